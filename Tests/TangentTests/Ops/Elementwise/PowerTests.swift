import Foundation
import Tangent
import TangentTesting
import Testing

@Suite struct PowerTests {
  static let cases: [UnaryCase] = [
    UnaryCase(name: "sqrt", op: { $0.sqrt() }, reference: Foundation.sqrt, domain: 0.2...3, complexDomain: 0.2...2),
    UnaryCase(name: "rsqrt", op: { $0.rsqrt() }, reference: { 1 / Foundation.sqrt($0) }, domain: 0.2...3, complexDomain: 0.2...2),
    UnaryCase(name: "square", op: { $0.square() }, reference: { $0 * $0 }, domain: -2...2, complexDomain: -1...1),
    UnaryCase(name: "reciprocal", op: { $0.reciprocal() }, reference: { 1 / $0 }, domain: -2...2, complexDomain: -1...1, gap: 0.3),
    UnaryCase(name: "pow(2.5)", op: { $0.pow(2.5) }, reference: { Foundation.pow($0, 2.5) }, domain: 0.2...2, complexDomain: 0.2...1),
    UnaryCase(name: "pow(-3)", op: { $0.pow(-3) }, reference: { Foundation.pow($0, -3) }, domain: -2...2, complexDomain: -1...1, gap: 0.3),
    UnaryCase(name: "pow(base: 1.7)", op: { Tensor.pow(1.7, $0) }, reference: { Foundation.pow(1.7, $0) }, domain: -2...2, complexDomain: -1...1),
  ]

  @Test(arguments: cases) func unary(_ c: UnaryCase) { checkUnary(c) }

  @Test func negativeBase() {
    // A negative base has a sign with integral exponents and gives NaN with the others.
    expectClose(Tensor([-2.0, 0, -1, 3, -8]).pow(Tensor([2.0, 3, 0.5, -1, -1])), [4, 0, .nan, 1.0 / 3, -0.125])
    expectClose(Tensor.pow(-2, Tensor([2.0, 3, 0.5])), [4, -8, .nan])
    let x = Tensor([-1.5, -0.5, 2]).requiringGrad()
    expectClose(gradients(of: x.pow(3).sum(), wrt: [x])[0], [3 * 2.25, 3 * 0.25, 12])
    expectGradcheck("pow(3) of negatives", { [$0[0].pow(3)] }, at: [Tensor([-1.5, -0.5, -2])])
  }

  @Test func powTensorTensor() {
    let a = uniform([3, 4], 0.3...2, seed: 1), b = uniform([4], -2...2, seed: 2)
    let want = (0..<12).map { Foundation.pow(a.doubles[$0], b.doubles[$0 % 4]) }
    expectClose(a.pow(b), want, rtol: 1e-14)
    expectGradcheck("pow", { [$0[0].pow($0[1])] }, at: [a, b])
    expectGradcheck("pow (transposed, broadcast)", { [$0[0].transposed().pow($0[1])] },
                    at: [a.transposed().contiguousCopy(), uniform([3, 1], -2...2, seed: 3)])
    let za = uniform([2, 3], 0.3...1.5, seed: 4, dtype: .complex128), zb = uniform([3], -1...1, seed: 5, dtype: .complex128)
    expectGradcheck("pow complex128", { [$0[0].pow($0[1])] }, at: [za, zb])
    // A real base with a complex exponent: the base's gradient is real.
    expectGradcheck("pow real^complex", { [$0[0].pow($0[1])] }, at: [uniform([2, 3], 0.3...1.5, seed: 8), zb])
  }

  @Test func powEdgeConventions() {
    // C's pow: x⁰ = 1 even for NaN and 0; 0 to a negative power is +∞.
    expectClose(Tensor([Double.nan, 0, -0.0, 2]).pow(0), [1, 1, 1, 1])
    expectClose(Tensor([0.0]).pow(-1), [.infinity])
    expectClose(Tensor([-0.0]).pow(-1), [-.infinity])
    // Integers stay integers.
    let i = Tensor([Int64(2), -3, 5]).pow(Tensor([Int64(3), 2, 0]))
    #expect(i.dtype == .int64)
    #expect(i.scalars(as: Int64.self) == [8, 9, 1])
    #expect(Tensor([Int64(2), 3]).pow(2).dtype == .int64)
    #expect(Tensor([Int64(2), 3]).pow(0.5).dtype == .float64)
    // Complex integral powers are exact.
    expectClose(Tensor([Complex(1.0, 2.0)]).pow(2), complex: [Complex(-3, 4)], atol: 0, rtol: 0)
  }

  @Test func powDerivativeConventionsAtZero() {
    // PyTorch: d/da aᵇ is 0 where b = 0 (even at a = 0), and d/db aᵇ is 0 where a = 0, b ≥ 0.
    let a = Tensor([0.0, 0, 0, 2]).requiringGrad()
    let b = Tensor([0.0, 2, 0.5, 0]).requiringGrad()
    let g = gradients(of: a.pow(b).sum(), wrt: [a, b])
    expectClose(g[0], [0, 0, .infinity, 0])
    expectClose(g[1], [0, 0, 0, Foundation.log(2.0)])
    // 0 to a negative power: the exponent's derivative is not masked (∞·log 0).
    let a2 = Tensor([0.0]).requiringGrad(), b2 = Tensor([-1.0]).requiringGrad()
    let g2 = gradients(of: a2.pow(b2).sum(), wrt: [a2, b2])
    #expect(g2[1].doubles[0] == -.infinity)
    // The scalar-exponent form: x⁰ has a zero derivative everywhere.
    let x = Tensor([0.0, 3]).requiringGrad()
    expectClose(gradients(of: x.pow(0).sum(), wrt: [x])[0], [0, 0])
    // Scalar base 0: zero derivative for non-negative exponents.
    let e = Tensor([0.0, 1.5]).requiringGrad()
    expectClose(gradients(of: Tensor.pow(0, e).sum(), wrt: [e])[0], [0, 0])
  }

  @Test func hypot() {
    let a = uniform([3, 4], -2...2, seed: 6, avoidingZero: 0.2), b = uniform([4], -2...2, seed: 7, avoidingZero: 0.2)
    expectClose(a.hypot(b), (0..<12).map { Foundation.hypot(a.doubles[$0], b.doubles[$0 % 4]) })
    expectClose(Tensor([1e300]).hypot(Tensor([1e300])), [1e300 * 2.0.squareRoot()], rtol: 1e-15)
    expectGradcheck("hypot", { [$0[0].hypot($0[1])] }, at: [a, b])
    expectGradcheck("hypot (transposed)", { [$0[0].transposed().hypot($0[1])] }, at: [a.transposed().contiguousCopy(), b])
  }
}
