import Tangent
import TangentTesting
import Testing

/// The determinant by cofactor expansion (reference for small matrices).
func cofactorDet(_ m: [[Complex<Double>]]) -> Complex<Double> {
  let n = m.count
  if n == 0 { return Complex(1, 0) }
  if n == 1 { return m[0][0] }
  var total = Complex<Double>(0, 0)
  for j in 0..<n {
    let minor = (1..<n).map { i in (0..<n).filter { $0 != j }.map { m[i][$0] } }
    let term = m[0][j] * cofactorDet(minor)
    total = j % 2 == 0 ? total + term : total - term
  }
  return total
}

/// The adjugate by cofactors: adj[i][j] = (−1)^{i+j} det(minor of row j, column i).
func cofactorAdjugate(_ m: [[Complex<Double>]]) -> [Complex<Double>] {
  let n = m.count
  var out: [Complex<Double>] = []
  for i in 0..<n {
    for j in 0..<n {
      let minor = (0..<n).filter { $0 != j }.map { r in (0..<n).filter { $0 != i }.map { m[r][$0] } }
      let c = cofactorDet(minor)
      out.append((i + j) % 2 == 0 ? c : -c)
    }
  }
  return out
}

func rows(_ t: Tensor) -> [[Complex<Double>]] {
  let n = t.shape[t.rank - 1], v = t.complexDoubles
  return (0..<(v.count / n)).map { Array(v[($0 * n)..<(($0 + 1) * n)]) }
}

@Suite struct LinalgDeterminantTests {
  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func valuesAgainstCofactors(dtype: DType) {
    let a = linalgRandom([3, 4, 4], dtype: dtype, seed: 3) * 2
    let d = Linalg.det(a)
    #expect(d.shape == [3] && d.dtype == dtype)
    let want = (0..<3).map { cofactorDet(rows(a.select(dim: 0, index: $0))) }
    expectAllClose(d, Tensor(shape: [3], scalars: want), tol: tolerance(dtype), "det \(dtype)")
    expectAllClose(Linalg.det(a.mT), d, tol: tolerance(dtype), "det of the transpose \(dtype)")
    let (sign, logAbs) = Linalg.slogdet(a)
    #expect(logAbs.dtype == dtype.real)
    expectAllClose(sign * logAbs.exp(), d, tol: tolerance(dtype), "slogdet \(dtype)")
    // A permutation: det = −1.
    let p = Tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]).converted(to: dtype)
    expectAllClose(Linalg.det(p), Tensor(-1.0).converted(to: dtype), tol: tolerance(dtype), "permutation")
  }

  @Test func logdetAndSingularValues() {
    let pd = positiveDefinite([2, 3, 3])
    expectAllClose(Linalg.logdet(pd), Linalg.det(pd).log(), tol: 1e-12, "logdet")
    let negative = Tensor([[0.0, 1.0], [1.0, 0.0]])
    #expect(Linalg.logdet(negative).scalar.isNaN)
    let singular = Tensor([[1.0, 2.0], [2.0, 4.0]])
    #expect(Linalg.det(singular).scalar == 0)
    let (s, l) = Linalg.slogdet(singular)
    #expect(s.scalar == 0 && l.scalar == -.infinity)
    #expect(Linalg.logdet(singular).scalar == -.infinity)
    let z = positiveDefinite([3, 3], dtype: .complex128) * Tensor.full([], complex: Complex(0, 1))
    let lz = Linalg.logdet(z).complexDoubles[0], dz = Linalg.det(z).complexDoubles[0]
    #expect((Complex.exp(lz) - dz).length < 1e-9 * dz.length)
    #expect(Linalg.det(Tensor.zeros([2, 0, 0])).doubles == [1, 1])
  }

  @Test(arguments: [DType.float64, .complex128])
  func derivatives(dtype: DType) {
    let a = wellConditioned([4, 4], dtype: dtype), ab = linalgRandom([2, 3, 3], dtype: dtype, seed: 4) * 2
    expectGradcheck("det \(dtype)", { [Linalg.det($0[0])] }, at: [a])
    expectGradcheck("det batched \(dtype)", { [Linalg.det($0[0])] }, at: [ab])
    expectGradcheck("det transposed \(dtype)", { [Linalg.det($0[0].mT)] }, at: [ab])
    expectGradcheck("slogdet \(dtype)", { let (s, l) = Linalg.slogdet($0[0]); return [s, l] }, at: [ab])
    expectGradcheck("slogdet transposed \(dtype)", { let (s, l) = Linalg.slogdet($0[0].mT); return [s, l] }, at: [a])
    let pd = positiveDefinite([2, 3, 3], dtype: dtype)
    expectGradcheck("logdet \(dtype)", { [Linalg.logdet(($0[0] + $0[0].mH) / 2)] }, at: [pd])
  }

  @Test(arguments: [DType.float64, .complex128])
  func singularMatricesHaveExactFirstDerivatives(dtype: DType) {
    // Rank n − 1 (an exact zero pivot) and rank n − 2 (adj = 0).
    var rng = TestRandom(seed: 6)
    let b = rng.tensor([4, 3], dtype: dtype), c = rng.tensor([3, 4], dtype: dtype)
    let rankThree = b.matmul(c)
    let exact = Tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, -1.0, 2.0]]).converted(to: dtype)
    let rankTwo = rng.tensor([4, 2], dtype: dtype).matmul(rng.tensor([2, 4], dtype: dtype))
    for (label, m) in [("rank 3 of 4", rankThree), ("exact zero pivot", exact), ("rank 2 of 4", rankTwo)] {
      let x = m.requiringGrad()
      Linalg.det(x).backward(seed: Tensor.ones([], dtype: dtype))
      let grad = x.grad!
      #expect(grad.complexDoubles.allSatisfy { $0.real.isFinite && $0.imaginary.isFinite }, "\(label): finite gradient")
      // g · adj(A)ᴴ with g = 1 is conj(adj(A))ᵀ.
      let adj = Tensor(shape: m.shape, scalars: cofactorAdjugate(rows(m))).converted(to: dtype)
      expectAllClose(grad, adj.mH, tol: 1e-9, "\(label) \(dtype): gradient is the adjugate")
      var options = GradcheckOptions()
      options.checkForwardOverReverse = false
      options.checkForwardOverForward = false
      expectGradcheck("det at a singular matrix, \(label) \(dtype)", { [Linalg.det($0[0])] }, at: [m], options: options)
      let tangent = linalgRandom(m.shape, dtype: dtype, seed: 8)
      let dd = jvp(of: { Linalg.det($0) }, at: m, along: tangent).tangent
      let want = (adj.mT * tangent).sum()
      expectAllClose(dd, want, tol: 1e-9, "\(label) \(dtype): JVP is tr(adj(A) dA)")
    }
  }
}
