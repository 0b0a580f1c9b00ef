import Foundation
import Tangent
import TangentTesting
import Testing

/// nansum, nanmean, aminmax, diff, trapezoid, trace, cov and corrcoef against straightforward
/// references.
@Suite struct StatisticsTests {
  let x = uniform([3, 4], -2...2, seed: 121)

  @Test func nanReductions() {
    let n = Tensor(shape: [2, 3], scalars: [1.0, .nan, 3, .nan, .nan, -2])
    expectClose(n.nansum(), [2])
    expectClose(n.nansum(dims: [1]), [4, -2])
    expectClose(n.nanmean(dims: [0]), [1, .nan, 0.5])
    expectClose(x.nansum(dims: [0], keepdim: true), x.sum(dim: 0, keepdim: true).doubles)
    let (_, g) = valueWithGradient(of: { $0.nansum() }, at: n)
    expectClose(g, [1, 0, 1, 0, 0, 1])
    expectGradcheck("nanmean", { $0.nanmean(dims: [1]) }, at: x)
    let (lo, hi) = x.aminmax(dim: 0)
    expectClose(lo, x.amin(dim: 0).doubles)
    expectClose(hi, x.amax(dim: 0).doubles)
    expectClose(x.aminmax().max, [x.doubles.max()!])
  }

  @Test func differencesAndIntegrals() {
    let v = x.doubles
    var first: [Double] = []
    for r in 0..<3 { for c in 0..<3 { first.append(v[r * 4 + c + 1] - v[r * 4 + c]) } }
    expectClose(x.diff(), first)
    let second: [Double] = (0..<4).map { (c: Int) -> Double in v[8 + c] - 2 * v[4 + c] + v[c] }
    expectClose(x.diff(n: 2, dim: 0), second)
    let p = Tensor(shape: [3, 1], scalars: [1.0, 2, 3])
    #expect(x.diff(prepend: p).shape == [3, 4])
    expectClose(x.diff(prepend: p).narrowed(dim: 1, start: 0, length: 1), (0..<3).map { v[$0 * 4] - Double($0 + 1) })
    let y = Tensor([1.0, 4, 9, 16])
    expectClose(y.trapezoid(), [2.5 + 6.5 + 12.5])
    expectClose(y.trapezoid(dx: 0.5), [0.5 * 21.5])
    let pts = Tensor([0.0, 1, 3, 4])
    expectClose(y.trapezoid(x: pts), [2.5 + 2 * 6.5 + 12.5])
    expectClose(y.cumulativeTrapezoid(), [2.5, 9, 21.5])
    expectClose(y.cumulativeTrapezoid(x: pts), [2.5, 15.5, 28])
    let columns: [Double] = (0..<4).map { (c: Int) -> Double in 0.5 * v[c] + v[4 + c] + 0.5 * v[8 + c] }
    expectClose(x.trapezoid(dim: 0), columns)
    expectGradcheck("trapezoid x", { [$0[0].trapezoid(x: $0[1])] }, at: [x, uniform([4], -1...1, seed: 122)])
    let m = uniform([4, 4], -1...1, seed: 123)
    expectClose(m.trace(), [(0..<4).reduce(0.0) { $0 + m.doubles[$1 * 5] }])
    expectGradcheck("diff", { $0.diff(n: 2) }, at: x)
  }

  @Test func covariance() {
    let a = uniform([3, 6], -2...2, seed: 124)
    let v = a.doubles
    var means = [Double](repeating: 0, count: 3)
    for r in 0..<3 { for k in 0..<6 { means[r] += v[r * 6 + k] / 6 } }
    var want = [Double](repeating: 0, count: 9)
    for i in 0..<3 {
      for j in 0..<3 {
        for k in 0..<6 { want[i * 3 + j] += (v[i * 6 + k] - means[i]) * (v[j * 6 + k] - means[j]) / 5 }
      }
    }
    expectClose(a.cov(), want, rtol: 1e-13)
    var corr = [Double](repeating: 0, count: 9)
    for k in 0..<9 { corr[k] = want[k] / (want[(k / 3) * 4] * want[(k % 3) * 4]).squareRoot() }
    expectClose(a.corrcoef(), corr, rtol: 1e-13)
    // One variable gives a 0-d result; frequency weights repeat observations.
    let b = Tensor([1.0, 2, 4])
    #expect(b.cov().shape == [])
    expectClose(b.cov(correction: 0), [14.0 / 9])
    expectClose(b.cov(fweights: Tensor([Int64(2), 1, 1])), Tensor([1.0, 1, 2, 4]).cov().doubles, rtol: 1e-14)
    let z = uniform([2, 5], -1...1, seed: 125, dtype: .complex128)
    let c = z.cov()
    expectClose(c.transposed().conj(), complex: c.complexDoubles)
    expectGradcheck("cov", { $0.cov() }, at: a)
    expectGradcheck("cov complex", { $0.cov() }, at: z)
    expectGradcheck("corrcoef", { $0.corrcoef() }, at: a)
  }
}

/// quantile and nanquantile, dist, renorm.
@Suite struct QuantileAndNormTests {
  @Test func quantiles() {
    let y = Tensor([3.0, 1, 4, 1.5, 5])
    // Sorted 1, 1.5, 3, 4, 5; rank 0.3·4 = 1.2.
    expectClose(y.quantile(0.3), [1.5 + 0.2 * 1.5], rtol: 1e-14)
    expectClose(y.quantile(0.3, interpolation: .lower), [1.5])
    expectClose(y.quantile(0.3, interpolation: .higher), [3])
    expectClose(y.quantile(0.3, interpolation: .nearest), [1.5])
    expectClose(y.quantile(0.3, interpolation: .midpoint), [2.25])
    expectClose(y.quantile(Tensor([0.0, 1])), [1, 5])
    #expect(y.quantile(Tensor([0.0, 0.5, 1])).shape == [3])
    let m = Tensor(shape: [2, 3], scalars: [1.0, .nan, 3, 2, 0, 4])
    expectClose(m.quantile(0.5, dim: 1), [.nan, 2])
    expectClose(m.nanquantile(0.5, dim: 1), [2, 2])
    #expect(m.quantile(Tensor([0.25, 0.75]), dim: 0, keepdim: true).shape == [2, 1, 3])
    #expect(m.nanquantile(0.5, keepdim: true).shape == [1, 1])
    expectClose(m.nanquantile(0.5), [2])
    expectGradcheck("quantile", { $0.quantile(0.35, dim: 1) }, at: uniform([3, 5], -1...1, seed: 131))
  }

  /// PyTorch differentiates a tensor q (OpInfo `quantile#37`): with linear interpolation
  /// ∂/∂q = (hi − lo)·(N − 1); lower/higher/nearest are constant in q.
  @Test func quantileIsDifferentiableInQ() {
    let y = Tensor([3.0, 1, 4, 1.5, 5])  // sorted 1, 1.5, 3, 4, 5
    let q = Tensor([0.3, 0.8])  // ranks 1.2 (1.5…3) and 3.2 (4…5)
    let dq = jvp(of: { y.quantile($0) }, at: q, along: Tensor([1.0, 2])).tangent
    expectClose(dq, [(3 - 1.5) * 4, 2 * (5 - 4) * 4], rtol: 1e-14)
    let lower = jvp(of: { y.quantile($0, interpolation: .lower) }, at: q, along: Tensor([1.0, 2])).tangent
    expectClose(lower, [0, 0])
    // nanquantile counts the non-NaN values: N − 1 = 2 on [2, NaN, 0, 4].
    let m = Tensor([2.0, .nan, 0, 4])
    expectClose(jvp(of: { m.nanquantile($0) }, at: Tensor(shape: [], scalars: [0.25]), along: Tensor(shape: [], scalars: [1.0])).tangent, [2 * 2])
    expectGradcheck("quantile in q", { y.quantile($0) }, at: q)
  }

  @Test func distAndRenorm() {
    let a = uniform([3, 4], -1...1, seed: 132), b = uniform([4], -1...1, seed: 133)
    let diffs = (0..<12).map { a.doubles[$0] - b.doubles[$0 % 4] }
    expectClose(a.dist(b), [diffs.reduce(0) { $0 + $1 * $1 }.squareRoot()], rtol: 1e-14)
    expectClose(a.dist(b, p: 1), [diffs.reduce(0) { $0 + Swift.abs($1) }], rtol: 1e-14)
    let x = Tensor(shape: [2, 2], scalars: [3.0, 4, 0.3, 0.4])
    expectClose(x.renorm(p: 2, dim: 0, maxnorm: 1), [3 / (5 + 1e-7), 4 / (5 + 1e-7), 0.3, 0.4], rtol: 1e-14)
    expectGradcheck("renorm", { $0.renorm(p: 2, dim: 0, maxnorm: 1) }, at: x)
    let (m, e) = Tensor([8.0, -3, 0.375, 0, .infinity]).frexp()
    expectClose(m, [0.5, -0.75, 0.75, 0, .infinity])
    #expect(e.scalars(as: Int64.self) == [4, 2, -1, 0, 0])
  }
}
