import Tangent
import TangentTesting
import Testing

@Suite struct LinalgSolveTests {
  static let dtypes: [DType] = [.float32, .float64, .complex64, .complex128]

  @Test(arguments: dtypes)
  func inverseTimesMatrixIsIdentity(dtype: DType) throws {
    let a = wellConditioned([3, 4, 4], dtype: dtype)
    let y = try Linalg.inv(a)
    #expect(y.dtype == dtype)
    expectAllClose(a.matmul(y), identityLike(a), tol: tolerance(dtype), "A·inv(A) \(dtype)")
    expectAllClose(y.matmul(a), identityLike(a), tol: tolerance(dtype), "inv(A)·A \(dtype)")
    // A column-major (transposed) input gives the same inverse.
    let t = a.mT.contiguous().mT
    expectAllClose(try Linalg.inv(t), y, tol: tolerance(dtype), "transposed layout \(dtype)")
  }

  @Test(arguments: dtypes)
  func solveSatisfiesTheSystem(dtype: DType) throws {
    let a = wellConditioned([2, 4, 4], dtype: dtype, seed: 3)
    let b = linalgRandom([2, 4, 3], dtype: dtype, seed: 4)
    let x = try Linalg.solve(a, b)
    expectAllClose(a.matmul(x), b, tol: tolerance(dtype), "A X = B \(dtype)")
    let br = linalgRandom([2, 3, 4], dtype: dtype, seed: 5)
    let xr = try Linalg.solve(a, br, left: false)
    expectAllClose(xr.matmul(a), br, tol: tolerance(dtype), "X A = B \(dtype)")
    // Column-major A factorises A itself; the results agree.
    let at = a.mT.contiguous().mT
    expectAllClose(try Linalg.solve(at, b), x, tol: tolerance(dtype), "column-major A \(dtype)")
    expectAllClose(try Linalg.solve(at, br, left: false), xr, tol: tolerance(dtype), "column-major A, right \(dtype)")
  }

  @Test func vectorsAndBroadcasting() throws {
    let a = wellConditioned([2, 3, 3])
    let v = linalgRandom([3])
    let x = try Linalg.solve(a, v)
    #expect(x.shape == [2, 3])
    expectAllClose(a.matmul(x.unsqueezed(dim: -1)).squeezed(dim: -1), v.expanded(to: [2, 3]), tol: 1e-12, "vector")
    let batchOfVectors = linalgRandom([2, 3])
    #expect(try Linalg.solve(a, batchOfVectors).shape == [2, 3])
    // One A for a batch of right-hand sides, and a batch of A for one right-hand side.
    let a1 = wellConditioned([3, 3], seed: 7)
    let bs = linalgRandom([5, 3, 2])
    let xs = try Linalg.solve(a1, bs)
    #expect(xs.shape == [5, 3, 2])
    expectAllClose(a1.matmul(xs), bs, tol: 1e-12, "broadcast A")
    let a4 = wellConditioned([4, 1, 3, 3], seed: 8)
    #expect(try Linalg.solve(a4, linalgRandom([2, 3, 2])).shape == [4, 2, 3, 2])
  }

  @Test(arguments: [DType.float64, .complex128])
  func derivatives(dtype: DType) {
    let a = wellConditioned([4, 4], dtype: dtype)
    let ab = wellConditioned([2, 3, 3], dtype: dtype, seed: 5)
    expectGradcheck("inv \(dtype)", { [try! Linalg.inv($0[0])] }, at: [a])
    expectGradcheck("inv batched \(dtype)", { [try! Linalg.inv($0[0])] }, at: [ab])
    expectGradcheck("inv transposed \(dtype)", { [try! Linalg.inv($0[0].mT)] }, at: [a])
    let b = linalgRandom([4, 2], dtype: dtype), br = linalgRandom([2, 4], dtype: dtype)
    expectGradcheck("solve \(dtype)", { [try! Linalg.solve($0[0], $0[1])] }, at: [a, b])
    expectGradcheck("solve right \(dtype)", { [try! Linalg.solve($0[0], $0[1], left: false)] }, at: [a, br])
    expectGradcheck("solve column-major \(dtype)", { [try! Linalg.solve($0[0].mT, $0[1])] }, at: [a, b])
    expectGradcheck("solve right column-major \(dtype)", { [try! Linalg.solve($0[0].mT, $0[1], left: false)] }, at: [a, br])
    expectGradcheck("solve vector \(dtype)", { [try! Linalg.solve($0[0], $0[1])] }, at: [a, linalgRandom([4], dtype: dtype)])
    expectGradcheck(
      "solve broadcast \(dtype)", { [try! Linalg.solve($0[0], $0[1])] }, at: [a, linalgRandom([3, 4, 2], dtype: dtype)])
    expectGradcheck(
      "solve broadcast B \(dtype)", { [try! Linalg.solve($0[0], $0[1])] }, at: [ab, linalgRandom([3, 1], dtype: dtype)])
    // A constant matrix: the rules reuse the primal's factorisation.
    expectGradcheck("solve constant A \(dtype)", { [try! Linalg.solve(a, $0[0])] }, at: [b])
    expectGradcheck("solve right constant A \(dtype)", { [try! Linalg.solve(a.mT, $0[0], left: false)] }, at: [br])
  }

  @Test(arguments: [DType.float64, .complex128])
  func reverseModeWithConstantMatrix(dtype: DType) throws {
    // Without createGraph the VJP treats A as a constant and solves with the saved factors.
    let a = wellConditioned([3, 3], dtype: dtype).requiringGrad()
    let b = linalgRandom([3, 2], dtype: dtype).requiringGrad()
    let g = linalgRandom([3, 2], dtype: dtype, seed: 9)
    let x = try Linalg.solve(a, b)
    x.backward(seed: g)
    let gb = try Linalg.solve(a.detached.mH, g)
    expectAllClose(b.grad!, gb, tol: 1e-12, "gB")
    expectAllClose(a.grad!, -(gb.matmul(x.detached.mH)), tol: 1e-12, "gA")
  }

  @Test func singularMatricesThrow() {
    let good = wellConditioned([3, 3])
    let singular = Tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
    let batch = Tensor.stack([good, good, singular, good])
    #expect(throws: LinalgError.singular(op: "Linalg.inv", batchIndex: 2)) { try Linalg.inv(batch) }
    #expect(throws: LinalgError.singular(op: "Linalg.solve", batchIndex: 2)) {
      try Linalg.solve(batch, linalgRandom([3, 1]))
    }
    let (y, info) = Linalg.invEx(batch)
    #expect(info.shape == [4] && info.dtype == .int64)
    let codes = info.scalars(as: Int64.self)
    #expect(codes[0] == 0 && codes[1] == 0 && codes[2] > 0 && codes[3] == 0)
    expectAllClose(y.select(dim: 0, index: 0), try! Linalg.inv(good), tol: 1e-12, "non-singular entries are computed")
    let (_, solveInfo) = Linalg.solveEx(batch, linalgRandom([3]))
    #expect(solveInfo.scalars(as: Int64.self)[2] > 0)
    let message = LinalgError.singular(op: "Linalg.inv", batchIndex: 2).description
    #expect(message.contains("Linalg.inv") && message.contains("batch index 2") && message.contains("singular"))
  }

  /// The solves batch under vmap without looping, whichever operand carries the batch and
  /// whatever batch dims the other one has, and equal the loop over the members.
  @Test func solvesBatchUnderVmap() throws {
    let a = wellConditioned([2, 4, 4], seed: 7)  // one batch dim more than a member of bs
    let bs = linalgRandom([3, 4, 2], seed: 8)
    let (lu, pivots) = try Linalg.luFactor(a)
    let l = try Linalg.cholesky(a.matmul(a.mT))
    let overB: [(String, (Tensor) -> Tensor)] = [
      ("solve", { try! Linalg.solve(a, $0) }),
      ("luSolve", { Linalg.luSolve(lu, pivots, $0) }),
      ("solveTriangular", { Linalg.solveTriangular(a.triu(), $0, upper: true) }),
      ("choleskySolve", { Linalg.choleskySolve($0, l) }),
    ]
    let matrices = wellConditioned([3, 4, 4], seed: 9)  // one batch dim fewer than b
    let b = linalgRandom([2, 4, 2], seed: 10)
    let overA: [(String, (Tensor) -> Tensor)] = [
      ("solve", { try! Linalg.solve($0, b) }),
      ("luSolve", { m in let (f, p) = try! Linalg.luFactor(m); return Linalg.luSolve(f, p, b) }),
      ("solveTriangular", { Linalg.solveTriangular($0.tril(), b, upper: false) }),
      ("choleskySolve", { m in Linalg.choleskySolve(b, try! Linalg.cholesky(m.matmul(m.mT))) }),
    ]
    for (what, xs, cases) in [("B", bs, overB), ("A", matrices, overA)] {
      for (name, f) in cases {
        let (mapped, looped) = Batching.loopedOps { vmap(of: f)(xs) }
        #expect(looped.isEmpty, "\(name) over \(what) looped: \(looped)")
        let loop = Tensor.stack((0..<3).map { f(xs.select(dim: 0, index: $0)) }, dim: 0)
        expectAllClose(mapped, loop, tol: 1e-12, "\(name) vmapped over \(what)")
      }
    }
  }
}
