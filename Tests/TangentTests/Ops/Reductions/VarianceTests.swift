import Foundation
import Tangent
import TangentTesting
import Testing

private func variance(_ v: [Double], correction: Double) -> Double {
  let m = v.reduce(0, +) / Double(v.count)
  return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (Double(v.count) - correction)
}

@Suite struct VarianceTests {
  let x = uniform([3, 4], -2...2, seed: 111)

  @Test(arguments: [0.0, 1, 2]) func values(correction: Double) {
    let v = x.doubles
    let rows = (0..<3).map { r in Array(v[(r * 4)..<(r * 4 + 4)]) }
    let cols = (0..<4).map { c in (0..<3).map { v[$0 * 4 + c] } }
    expectClose(x.var(dim: 1, correction: correction), rows.map { variance($0, correction: correction) }, rtol: 1e-13)
    expectClose(x.std(dim: 0, correction: correction), cols.map { variance($0, correction: correction).squareRoot() }, rtol: 1e-13)
    expectClose(x.var(correction: correction), [variance(v, correction: correction)], rtol: 1e-13)
    expectClose(x.transposed().var(dim: 0, correction: correction), rows.map { variance($0, correction: correction) }, rtol: 1e-13)
    let (vr, mn) = x.varMean(dims: [1], correction: correction, keepdim: true)
    #expect(vr.shape == [3, 1] && mn.shape == [3, 1])
    expectClose(mn, rows.map { $0.reduce(0, +) / 4 }, rtol: 1e-14)
    let (sd, _) = x.stdMean(dims: [0], correction: correction)
    expectClose(sd, cols.map { variance($0, correction: correction).squareRoot() }, rtol: 1e-13)
  }

  @Test func complexAndEdges() {
    let z = Tensor([Complex(1.0, 2), Complex(-1, 0), Complex(3, -1)])
    // Σ|z − mean|²/(N − 1) with mean = (1 + i/3).
    let m = Complex(1.0, 1.0 / 3)
    let want = z.complexDoubles.reduce(0.0) { $0 + ($1 - m).lengthSquared } / 2
    let v = z.var()
    #expect(v.dtype == .float64)
    expectClose(v, [want], rtol: 1e-14)
    expectClose(Tensor([2.0]).var(), [.nan])
    expectClose(Tensor([2.0]).var(correction: 0), [0])
    // σ = 0 has a zero gradient.
    let c = Tensor([1.5, 1.5, 1.5]).requiringGrad()
    expectClose(gradients(of: c.std(), wrt: [c])[0], [0, 0, 0])
  }

  @Test func derivatives() {
    expectGradcheck("var(dim: 1)", { $0.var(dim: 1) }, at: x)
    expectGradcheck("var(correction: 0, keepdim)", { $0.var(dims: [0, 1], correction: 0, keepdim: true) }, at: x)
    expectGradcheck("std(dim: 0)", { $0.std(dim: 0) }, at: x)
    expectGradcheck("std(correction: 2)", { $0.std(correction: 2) }, at: x)
    let z = uniform([2, 3], -1...1, seed: 112, dtype: .complex128)
    expectGradcheck("var complex128", { $0.var(dim: 1) }, at: z)
    expectGradcheck("std complex128", { $0.std(dim: 0) }, at: z)
    expectGradcheck("varMean", { x in let (v, m) = x[0].varMean(dims: [1]); return [v, m] }, at: [x])
    expectGradcheck("stdMean", { x in let (s, m) = x[0].stdMean(dims: [0], keepdim: true); return [s, m] }, at: [x])
  }

  /// A single element per reduction has σ ≡ 0, so every derivative is 0, up to the third
  /// (the rule's 1/(2σ) once divided by σ itself and masked, so its own derivative gave
  /// 0·∞ = NaN under reverse over forward over reverse).
  @Test func thirdDerivativeAtZeroDeviationIsZero() {
    let x = Tensor([[0.4], [-1.3]])
    let s: (Tensor) -> Tensor = { $0.std(dim: 1, correction: 0).sum() }
    let v = Tensor([[1.0], [0.5]])
    let third = gradient(of: { x in (jvp(of: { gradient(of: s, at: $0) }, at: x, along: v).tangent * v).sum() }, at: x)
    #expect(third.doubles == [0, 0], "\(third)")
    let fourth = hessian(of: { y in hessian(of: { s($0.reshaped([2, 1])) }, at: y).sum() }, at: Tensor([0.4, -1.3]))
    #expect(fourth.doubles.allSatisfy { $0 == 0 }, "\(fourth)")
  }
}
