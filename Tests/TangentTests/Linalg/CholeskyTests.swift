import Tangent
import TangentTesting
import Testing

@Suite struct LinalgCholeskyTests {
  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func factorsReproduceTheMatrix(dtype: DType) throws {
    let a = positiveDefinite([3, 4, 4], dtype: dtype)
    let l = try Linalg.cholesky(a)
    expectAllClose(l.matmul(l.mH), a, tol: tolerance(dtype), "L Lᴴ \(dtype)")
    expectAllClose(l, l.tril(), tol: 0, "lower triangular \(dtype)")
    let u = try Linalg.cholesky(a, upper: true)
    expectAllClose(u.mH.matmul(u), a, tol: tolerance(dtype), "Uᴴ U \(dtype)")
    expectAllClose(u, l.mH, tol: tolerance(dtype), "U = Lᴴ \(dtype)")
    // Only the lower (upper) triangle is read.
    let junk = linalgRandom([3, 4, 4], dtype: dtype, seed: 9) * 100
    expectAllClose(try Linalg.cholesky(a.tril() + junk.triu(diagonal: 1)), l, tol: tolerance(dtype), "reads the lower triangle")
    expectAllClose(
      try Linalg.cholesky(a.triu() + junk.tril(diagonal: -1), upper: true), u, tol: tolerance(dtype), "reads the upper triangle")
    expectAllClose(try Linalg.cholesky(a.mT.contiguous().mT), l, tol: tolerance(dtype), "column-major input")
  }

  @Test func notPositiveDefiniteThrows() {
    let good = positiveDefinite([3, 3])
    let bad = Tensor([[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    let batch = Tensor.stack([good, bad])
    #expect(throws: LinalgError.notPositiveDefinite(op: "Linalg.cholesky", batchIndex: 1, order: 2)) {
      try Linalg.cholesky(batch)
    }
    let (_, info) = Linalg.choleskyEx(batch)
    #expect(info.scalars(as: Int64.self) == [0, 2])
    let message = LinalgError.notPositiveDefinite(op: "Linalg.cholesky", batchIndex: 1, order: 2).description
    #expect(message.contains("positive definite") && message.contains("order 2") && message.contains("batch index 1"))
  }

  @Test(arguments: [DType.float64, .complex128])
  func choleskyDerivatives(dtype: DType) {
    let x = linalgRandom([2, 3, 3], dtype: dtype, seed: 4)
    let spd = { (x: Tensor) in x.matmul(x.mH) + Tensor.eye(3, dtype: dtype) * 3 }
    expectGradcheck("cholesky \(dtype)", { [try! Linalg.cholesky(spd($0[0]))] }, at: [x])
    expectGradcheck("cholesky upper \(dtype)", { [try! Linalg.cholesky(spd($0[0]), upper: true)] }, at: [x])
    expectGradcheck("choleskyEx \(dtype)", { [Linalg.choleskyEx(spd($0[0])).factor] }, at: [x])
  }

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func solveAndInverseValues(dtype: DType) throws {
    let a = positiveDefinite([2, 4, 4], dtype: dtype, seed: 3)
    let l = try Linalg.cholesky(a), u = try Linalg.cholesky(a, upper: true)
    let b = linalgRandom([2, 4, 3], dtype: dtype)
    let x = Linalg.choleskySolve(b, l)
    expectAllClose(a.matmul(x), b, tol: tolerance(dtype), "A X = B \(dtype)")
    expectAllClose(Linalg.choleskySolve(b, u, upper: true), x, tol: tolerance(dtype), "upper \(dtype)")
    // Broadcast: one factor for a batch of right-hand sides.
    let x1 = Linalg.choleskySolve(linalgRandom([5, 2, 4, 1], dtype: dtype), l)
    #expect(x1.shape == [5, 2, 4, 1])
    let inv = Linalg.choleskyInverse(l)
    expectAllClose(inv.matmul(a), identityLike(a), tol: tolerance(dtype), "cholesky inverse \(dtype)")
    expectAllClose(Linalg.choleskyInverse(u, upper: true), inv, tol: tolerance(dtype), "cholesky inverse upper \(dtype)")
    expectAllClose(Linalg.choleskyInverse(l.mT.contiguous().mT), inv, tol: tolerance(dtype), "column-major factor \(dtype)")
  }

  @Test(arguments: [DType.float64, .complex128])
  func solveAndInverseDerivatives(dtype: DType) throws {
    // The factor is taken through its triangle, so the directions are those the primal reads.
    let l = try Linalg.cholesky(positiveDefinite([3, 3], dtype: dtype, seed: 5))
    let b = linalgRandom([3, 2], dtype: dtype)
    expectGradcheck("choleskySolve \(dtype)", { [Linalg.choleskySolve($0[0], $0[1].tril())] }, at: [b, l])
    expectGradcheck("choleskySolve upper \(dtype)", { [Linalg.choleskySolve($0[0], $0[1].triu(), upper: true)] }, at: [b, l.mH])
    expectGradcheck(
      "choleskySolve broadcast \(dtype)", { [Linalg.choleskySolve($0[0], $0[1].tril())] },
      at: [linalgRandom([2, 3, 2], dtype: dtype), l])
    // LAPACK's ?potri reads the real part of a complex factor's diagonal (as PyTorch's does):
    // the directions keep it real.
    let realDiagonal = { (x: Tensor) in x.tril(diagonal: -1) + x.diagonal(offset: 0, dim1: -2, dim2: -1).real.diagEmbed() }
    expectGradcheck("choleskyInverse \(dtype)", { [Linalg.choleskyInverse(realDiagonal($0[0]))] }, at: [l])
    expectGradcheck(
      "choleskyInverse upper \(dtype)", { [Linalg.choleskyInverse(realDiagonal($0[0].mH).mH, upper: true)] }, at: [l.mH])
  }
}
