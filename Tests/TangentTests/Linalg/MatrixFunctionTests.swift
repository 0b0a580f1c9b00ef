import Tangent
import TangentTesting
import Testing

@Suite struct LinalgMatrixFunctionTests {
  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func matrixPowerValues(dtype: DType) throws {
    let a = wellConditioned([2, 3, 3], dtype: dtype, seed: 41) / 3
    var power = identityLike(a)
    for n in 0...5 {
      expectAllClose(try Linalg.matrixPower(a, n), power, tol: tolerance(dtype), "A^\(n) \(dtype)")
      power = power.matmul(a)
    }
    let inverse = try Linalg.inv(a)
    expectAllClose(try Linalg.matrixPower(a, -2), inverse.matmul(inverse), tol: tolerance(dtype), "A^-2 \(dtype)")
    #expect(throws: LinalgError.singular(op: "Linalg.matrixPower", batchIndex: 0)) { try Linalg.matrixPower(Tensor.zeros([2, 2]), -1) }
  }

  @Test(arguments: [DType.float64, .complex128])
  func matrixPowerDerivatives(dtype: DType) {
    let a = wellConditioned([2, 3, 3], dtype: dtype, seed: 42) / 3
    for n in [0, 1, 3, -2] { expectGradcheck("A^\(n) \(dtype)", { [try! Linalg.matrixPower($0[0], n)] }, at: [a]) }
  }

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func matrixExpValues(dtype: DType) {
    // A rotation generator: exp(t [[0, −1], [1, 0]]) is the rotation by t, for small t (no
    // scaling) and large t (scaling and squaring), in one batch.
    let ts = [0.01, 0.3, 2.0, 25.0]
    let gen = Tensor([[0.0, -1.0], [1.0, 0.0]])
    let a = Tensor.stack(ts.map { gen * $0 }).converted(to: dtype)
    let want = Tensor.stack(ts.map { t in Tensor([[Double.cos(t), -Double.sin(t)], [Double.sin(t), Double.cos(t)]]) }).converted(to: dtype)
    expectAllClose(Linalg.matrixExp(a), want, tol: dtype == .float32 || dtype == .complex64 ? 1e-4 : 1e-12, "rotations \(dtype)")
    // exp(A) exp(−A) = I, and exp of a diagonal matrix.
    let b = linalgRandom([3, 4, 4], dtype: dtype, seed: 43) * 3
    expectAllClose(Linalg.matrixExp(b).matmul(Linalg.matrixExp(-b)), identityLike(b), tol: dtype == .float32 || dtype == .complex64 ? 1e-3 : 1e-10, "exp(A) exp(−A)")
    let d = linalgRandom([4], dtype: dtype, seed: 44) * 4
    expectAllClose(Linalg.matrixExp(d.diagEmbed()), d.exp().diagEmbed(), tol: tolerance(dtype) * 10, "diagonal")
    expectAllClose(Linalg.matrixExp(b.mT.contiguous().mT), Linalg.matrixExp(b), tol: tolerance(dtype), "column-major input")
  }

  @Test(arguments: [DType.float64, .complex128])
  func matrixExpDerivatives(dtype: DType) {
    expectGradcheck("matrixExp small \(dtype)", { [Linalg.matrixExp($0[0])] }, at: [linalgRandom([2, 3, 3], dtype: dtype, seed: 45) * 0.1])
    expectGradcheck("matrixExp scaled \(dtype)", { [Linalg.matrixExp($0[0])] }, at: [linalgRandom([3, 3], dtype: dtype, seed: 46) * 4])
  }

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func pinvValues(dtype: DType) throws {
    for shape in [[2, 5, 3], [3, 5], [4, 4]] {
      let a = linalgRandom(shape, dtype: dtype, seed: 47)
      let p = Linalg.pinv(a)
      expectAllClose(a.matmul(p).matmul(a), a, tol: tolerance(dtype) * 10, "A A⁺ A = A \(shape) \(dtype)")
      expectAllClose(p.matmul(a).matmul(p), p, tol: tolerance(dtype) * 10, "A⁺ A A⁺ = A⁺ \(shape) \(dtype)")
    }
    let square = wellConditioned([3, 3], dtype: dtype, seed: 48)
    expectAllClose(Linalg.pinv(square), try Linalg.inv(square), tol: tolerance(dtype), "square")
    // Rank one: [[1, 2], [2, 4]]⁺ = A / 25.
    let rankOne = Tensor([[1.0, 2.0], [2.0, 4.0]]).converted(to: dtype)
    expectAllClose(Linalg.pinv(rankOne), rankOne / 25, tol: tolerance(dtype), "rank one")
    expectAllClose(Linalg.pinv(rankOne, hermitian: true), rankOne / 25, tol: tolerance(dtype), "rank one hermitian")
    let h = hermitianPart(linalgRandom([2, 4, 4], dtype: dtype, seed: 49))
    expectAllClose(Linalg.pinv(h, hermitian: true), Linalg.pinv(h), tol: tolerance(dtype) * 10, "hermitian")
    // A large atol removes everything.
    expectAllClose(Linalg.pinv(square, atol: 1e6), Tensor.zeros([3, 3], dtype: dtype), tol: 0, "atol")
  }

  @Test(arguments: [DType.float64, .complex128])
  func pinvDerivatives(dtype: DType) {
    for shape in [[2, 5, 3], [3, 5], [3, 3]] {
      expectGradcheck("pinv \(shape) \(dtype)", { [Linalg.pinv($0[0])] }, at: [linalgRandom(shape, dtype: dtype, seed: 50)])
    }
    expectGradcheck("pinv hermitian \(dtype)", { [Linalg.pinv(hermitianPart($0[0]), hermitian: true)] }, at: [linalgRandom([4, 4], dtype: dtype, seed: 51)])
  }

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func lstsqValues(dtype: DType) throws {
    let a = linalgRandom([2, 6, 4], dtype: dtype, seed: 52), b = linalgRandom([2, 6, 3], dtype: dtype, seed: 53)
    // The normal equations.
    let want = try Linalg.solve(a.mH.matmul(a), a.mH.matmul(b))
    for driver in [Linalg.LstsqDriver.gels, .gelsy, .gelsd] {
      let r = try Linalg.lstsq(a, b, driver: driver)
      expectAllClose(r.solution, want, tol: tolerance(dtype) * 10, "solution \(driver) \(dtype)")
      if driver == .gelsy { #expect(r.residuals.shape == [0]) } else {
        let res = (a.matmul(r.solution) - b).abs().square().sum(dim: -2)
        expectAllClose(r.residuals, res, tol: tolerance(dtype) * 10, "residuals \(driver)")
      }
      #expect(r.rank.scalars(as: Int64.self) == (driver == .gels ? [] : [4, 4]))
      #expect(r.singularValues.shape == (driver == .gelsd ? [2, 4] : [0]))
    }
    let r = try Linalg.lstsq(a, b, driver: .gelsd)
    expectAllClose(r.singularValues, try Linalg.svdvals(a), tol: tolerance(dtype), "singular values")
    // A vector right-hand side, and broadcast batch dims.
    let v = try Linalg.lstsq(a, b.select(dim: -1, index: 0))
    expectAllClose(v.solution, want.select(dim: -1, index: 0), tol: tolerance(dtype) * 10, "vector")
    #expect(try Linalg.lstsq(a, b.select(dim: 0, index: 0)).solution.shape == [2, 4, 3])
    // Wide and rank-deficient: the minimum-norm solution, pinv(A) B.
    let wide = linalgRandom([3, 5], dtype: dtype, seed: 54), bw = linalgRandom([3, 2], dtype: dtype, seed: 55)
    expectAllClose(try Linalg.lstsq(wide, bw).solution, Linalg.pinv(wide).matmul(bw), tol: tolerance(dtype) * 10, "wide")
    let deficient = Tensor([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]).converted(to: dtype), bd = linalgRandom([3, 1], dtype: dtype, seed: 56)
    let rd = try Linalg.lstsq(deficient, bd, driver: .gelsd)
    #expect(rd.rank.scalars(as: Int64.self) == [1])
    expectAllClose(rd.solution, Linalg.pinv(deficient).matmul(bd), tol: tolerance(dtype) * 10, "rank-deficient")
    #expect(rd.residuals.shape == [0], "no residuals for a rank-deficient A")
    // gels needs full rank: an exactly zero diagonal in R is an error.
    let zeroColumn = Tensor([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]]).converted(to: dtype)
    #expect(throws: LinalgError.singular(op: "Linalg.lstsq", batchIndex: 0)) { try Linalg.lstsq(zeroColumn, bd, driver: .gels) }
  }

  @Test(arguments: [DType.float64, .complex128])
  func lstsqDerivatives(dtype: DType) {
    let a = linalgRandom([2, 5, 3], dtype: dtype, seed: 57), b = linalgRandom([2, 5, 2], dtype: dtype, seed: 58)
    expectGradcheck("lstsq \(dtype)", { [try! Linalg.lstsq($0[0], $0[1]).solution] }, at: [a, b])
    expectGradcheck("lstsq wide, broadcast \(dtype)", { [try! Linalg.lstsq($0[0], $0[1]).solution] },
      at: [linalgRandom([2, 3, 4], dtype: dtype, seed: 59), linalgRandom([3, 2], dtype: dtype, seed: 60)])
  }

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func normValues(dtype: DType) throws {
    let a = linalgRandom([2, 3, 4], dtype: dtype, seed: 61)
    let abs = a.abs()
    let s = try Linalg.svdvals(a)
    let tol = tolerance(dtype)
    expectAllClose(Linalg.matrixNorm(a), abs.square().sum(dims: [-2, -1]).sqrt(), tol: tol, "fro")
    expectAllClose(Linalg.matrixNorm(a, ord: .nuc), s.sum(dim: -1), tol: tol, "nuc")
    expectAllClose(Linalg.matrixNorm(a, ord: .p(2)), s.amax(dim: -1), tol: tol, "2")
    expectAllClose(Linalg.matrixNorm(a, ord: .p(-2)), s.amin(dim: -1), tol: tol, "-2")
    expectAllClose(Linalg.matrixNorm(a, ord: .p(1)), abs.sum(dim: -2).amax(dim: -1), tol: tol, "1")
    expectAllClose(Linalg.matrixNorm(a, ord: .p(-1)), abs.sum(dim: -2).amin(dim: -1), tol: tol, "-1")
    expectAllClose(Linalg.matrixNorm(a, ord: .p(.infinity)), abs.sum(dim: -1).amax(dim: -1), tol: tol, "inf")
    expectAllClose(Linalg.matrixNorm(a, ord: .p(-.infinity)), abs.sum(dim: -1).amin(dim: -1), tol: tol, "-inf")
    #expect(Linalg.matrixNorm(a, ord: .nuc, keepdim: true).shape == [2, 1, 1])
    expectAllClose(Linalg.matrixNorm(a, ord: .p(1), dims: [0, 2]), Linalg.matrixNorm(a.movedim(1, to: 0), ord: .p(1)), tol: tol, "dims")
    // linalg.norm: all elements by default, vectors with one dim, matrices with two.
    expectAllClose(Linalg.norm(a), abs.square().sum().sqrt(), tol: tol, "default")
    expectAllClose(Linalg.norm(a, ord: .p(3), dims: [1]), a.vectorNorm(ord: 3, dims: [1]), tol: tol, "vector")
    expectAllClose(Linalg.norm(a.select(dim: 0, index: 0), ord: .p(1)), abs.select(dim: 0, index: 0).sum(dim: 0).amax(), tol: tol, "2-d input")
    expectAllClose(Linalg.norm(a, ord: .nuc, dims: [-2, -1]), s.sum(dim: -1), tol: tol, "matrix dims")
  }

  @Test(arguments: [DType.float64, .complex128])
  func normDerivatives(dtype: DType) {
    let a = linalgRandom([2, 3, 4], dtype: dtype, seed: 62)
    for ord in [Linalg.NormOrder.fro, .nuc, .p(2), .p(-2), .p(1), .p(-1), .p(.infinity), .p(-.infinity)] {
      expectGradcheck("matrixNorm \(ord) \(dtype)", { [Linalg.matrixNorm($0[0], ord: ord)] }, at: [a])
    }
    let sq = wellConditioned([2, 3, 3], dtype: dtype, seed: 63)
    for p in [nil, Linalg.NormOrder.p(-2), .fro, .nuc, .p(1), .p(.infinity)] {
      expectGradcheck("cond \(String(describing: p)) \(dtype)", { [Linalg.cond($0[0], p: p)] }, at: [sq])
    }
  }

  @Test(arguments: [DType.float64, .complex128])
  func condValues(dtype: DType) throws {
    let a = wellConditioned([2, 3, 3], dtype: dtype, seed: 64)
    let s = try Linalg.svdvals(a)
    expectAllClose(Linalg.cond(a), s.amax(dim: -1) / s.amin(dim: -1), tol: 1e-12, "2")
    expectAllClose(Linalg.cond(a, p: .p(-2)), s.amin(dim: -1) / s.amax(dim: -1), tol: 1e-12, "-2")
    expectAllClose(Linalg.cond(a, p: .p(1)), Linalg.matrixNorm(a, ord: .p(1)) * Linalg.matrixNorm(try Linalg.inv(a), ord: .p(1)), tol: 1e-12, "1")
    let singular = Tensor.stack([Tensor.eye(2), Tensor.zeros([2, 2])]).converted(to: dtype)
    let c = Linalg.cond(singular, p: .fro).doubles
    #expect(Swift.abs(c[0] - 2) < 1e-12 && c[1] == .infinity, "\(c)")
    #expect(Linalg.cond(linalgRandom([3, 5], dtype: dtype, seed: 65)).shape == [])
  }

  @Test(arguments: [DType.float64, .complex128])
  func tensorOps(dtype: DType) throws {
    let a = wellConditioned([6, 6], dtype: dtype, seed: 66).reshaped([2, 3, 6])
    let inv = try Linalg.tensorinv(a, ind: 2)
    #expect(inv.shape == [6, 2, 3])
    expectAllClose(inv.reshaped([6, 6]).matmul(a.reshaped([6, 6])), Tensor.eye(6, dtype: dtype), tol: 1e-12, "tensorinv")
    expectGradcheck("tensorinv \(dtype)", { [try! Linalg.tensorinv($0[0], ind: 2)] }, at: [a])
    let b = linalgRandom([2, 3], dtype: dtype, seed: 67)
    let x = try Linalg.tensorsolve(a.reshaped([2, 3, 2, 3]), b)
    #expect(x.shape == [2, 3])
    expectAllClose(a.reshaped([6, 6]).matmul(x.reshaped([6, 1])).reshaped([2, 3]), b, tol: 1e-12, "tensorsolve")
    // dims: the dims of A that belong to X, moved to the end (X's dims in that order).
    let moved = try Linalg.tensorsolve(a.reshaped([2, 3, 2, 3]).movedim(2, to: 0), b, dims: [0])
    expectAllClose(moved, x.mT, tol: 1e-12, "tensorsolve dims")
    expectGradcheck("tensorsolve \(dtype)", { [try! Linalg.tensorsolve($0[0], $0[1])] }, at: [a.reshaped([2, 3, 2, 3]), b])
    #expect(throws: LinalgError.singular(op: "Linalg.tensorinv", batchIndex: 0)) { try Linalg.tensorinv(Tensor.zeros([2, 2], dtype: dtype), ind: 1) }
  }

  @Test(arguments: [DType.float64, .complex128])
  func vander(dtype: DType) {
    let x = Tensor([2.0, 3.0, -1.0]).converted(to: dtype)
    let v = Linalg.vander(x)
    expectAllClose(v, Tensor([[1.0, 2, 4], [1, 3, 9], [1, -1, 1]]).converted(to: dtype), tol: 0, "vander")
    #expect(Linalg.vander(x, n: 5).shape == [3, 5] && Linalg.vander(x, n: 0).shape == [3, 0])
    expectGradcheck("vander \(dtype)", { [Linalg.vander($0[0], n: 4)] }, at: [linalgRandom([2, 3], dtype: dtype, seed: 68)])
  }
}

@Suite struct LinalgDecompositionEdgeCaseTests {
  @Test func emptyMatricesAndBatches() throws {
    let (l, v) = try Linalg.eigh(Tensor.zeros([2, 0, 0]))
    #expect(l.shape == [2, 0] && v.shape == [2, 0, 0])
    #expect(try Linalg.eig(Tensor.zeros([0, 3, 3])).eigenvectors.shape == [0, 3, 3])
    let (u, s, vh) = try Linalg.svd(Tensor.zeros([3, 0]))
    #expect(u.shape == [3, 3] && s.shape == [0] && vh.shape == [0, 0])
    expectAllClose(u, Tensor.eye(3), tol: 0, "full U of an empty matrix")
    #expect(try Linalg.svd(Tensor.zeros([3, 0]), fullMatrices: false).u.shape == [3, 0])
    let (q, r) = Linalg.qr(Tensor.zeros([3, 0]), mode: .complete)
    #expect(q.shape == [3, 3] && r.shape == [3, 0])
    expectAllClose(q, Tensor.eye(3), tol: 0, "complete Q of an empty matrix")
    #expect(Linalg.matrixExp(Tensor.zeros([2, 0, 0])).shape == [2, 0, 0])
    #expect(Linalg.pinv(Tensor.zeros([3, 0])).shape == [0, 3])
    #expect(try Linalg.lstsq(Tensor.zeros([3, 0]), Tensor.zeros([3, 2])).solution.shape == [0, 2])
    #expect(try Linalg.matrixPower(Tensor.zeros([2, 0, 0]), 3).shape == [2, 0, 0])
  }

  @Test func oneByOneMatrices() throws {
    let a = Tensor([[-3.0]])
    #expect(try Linalg.eigh(a).eigenvalues.doubles == [-3])
    #expect(try Linalg.svdvals(a).doubles == [3])
    #expect(Swift.abs(Linalg.matrixExp(a).doubles[0] - Double.exp(-3)) < 1e-15)
    expectGradcheck("eigh 1×1", { [try! Linalg.eigh($0[0]).eigenvalues] }, at: [a])
    expectGradcheck("svd 1×1", { [try! Linalg.svdvals($0[0])] }, at: [a])
    expectGradcheck("qr 1×1", { [Linalg.qr($0[0]).r.abs()] }, at: [a])
    expectGradcheck("eig 1×1", { [try! Linalg.eigvals($0[0])] }, at: [a])
  }

  /// eig at a repeated eigenvalue: the eigenvectors' derivative is not finite, the
  /// eigenvalues' is.
  @Test func eigRepeatedEigenvalue() {
    let a = Tensor([[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 1.0]])
    let gl = gradient(of: { (x: Tensor) in try! Linalg.eigvals(x).real.sum() }, at: a)
    expectAllClose(gl, Tensor.eye(3), tol: 1e-12, "eigvals gradient")
    let gv = gradient(of: { (x: Tensor) in try! Linalg.eig(x).eigenvectors.abs().sum() }, at: a)
    #expect(!allFinite(gv))
  }

  @Test func completeQROfATallMatrixHasNoDerivative() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = gradient(of: { (x: Tensor) in Linalg.qr(x, mode: .complete).q.abs().sum() }, at: Tensor.ones([3, 2]))
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("Linalg.qr") && message.contains("complete"), "\(message)")
  }
}
