import Foundation
import Tangent
import TangentTesting
import Testing

@Suite struct ExponentialTests {
  static let cases: [UnaryCase] = [
    UnaryCase(name: "exp", op: { $0.exp() }, reference: Foundation.exp, domain: -2...2, complexDomain: -1...1),
    UnaryCase(name: "exp2", op: { $0.exp2() }, reference: Foundation.exp2, domain: -2...2, complexDomain: -1...1),
    UnaryCase(name: "expm1", op: { $0.expm1() }, reference: Foundation.expm1, domain: -2...2, complexDomain: -1...1),
    UnaryCase(name: "log", op: { $0.log() }, reference: Foundation.log, domain: 0.2...3, complexDomain: 0.2...2),
    UnaryCase(name: "log2", op: { $0.log2() }, reference: Foundation.log2, domain: 0.2...3, complexDomain: 0.2...2),
    UnaryCase(name: "log10", op: { $0.log10() }, reference: Foundation.log10, domain: 0.2...3, complexDomain: 0.2...2),
    UnaryCase(name: "log1p", op: { $0.log1p() }, reference: Foundation.log1p, domain: -0.8...3, complexDomain: 0.2...2),
  ]

  @Test(arguments: cases) func unary(_ c: UnaryCase) { checkUnary(c) }

  @Test func accurateNearZero() {
    let x = Tensor([1e-10, -1e-12])
    expectClose(x.expm1(), [Foundation.expm1(1e-10), Foundation.expm1(-1e-12)], rtol: 1e-15)
    expectClose(x.log1p(), [Foundation.log1p(1e-10), Foundation.log1p(-1e-12)], rtol: 1e-15)
  }

  @Test func complexValues() {
    let z = Tensor([Complex(0.5, -1.25), Complex(-2.0, 0.75)])
    let ln2 = Foundation.log(2.0), ln10 = Foundation.log(10.0)
    expectClose(z.exp2(), complex: z.complexDoubles.map { Complex.exp($0 * Complex(ln2, 0)) })
    expectClose(z.log2(), complex: z.complexDoubles.map { Complex.log($0) / Complex(ln2, 0) })
    expectClose(z.log10(), complex: z.complexDoubles.map { Complex.log($0) / Complex(ln10, 0) })
    expectClose(z.expm1(), complex: z.complexDoubles.map { Complex.exp($0) - 1 }, rtol: 1e-14)
  }

  @Test func integersPromote() {
    let x = Tensor([Int64(1), 2, 3])
    #expect(x.log2().dtype == .float64)
    expectClose(x.log2(), [0, 1, Foundation.log2(3)])
  }

  @Test func logAddExp() {
    let a = uniform([3, 4], -3...3, seed: 3), b = uniform([4], -3...3, seed: 4)
    let want = (0..<12).map { i in Foundation.log(Foundation.exp(a.doubles[i]) + Foundation.exp(b.doubles[i % 4])) }
    expectClose(a.logAddExp(b), want, rtol: 1e-14)
    // Large arguments do not overflow; equal infinities stay infinite.
    expectClose(Tensor([1000.0, -.infinity, .infinity]).logAddExp(Tensor([1000.0, -.infinity, .infinity])),
                [1000 + Foundation.log(2.0), -.infinity, .infinity])
    expectGradcheck("logaddexp", { [$0[0].logAddExp($0[1])] }, at: [a, b])
    expectGradcheck("logaddexp (transposed)", { [$0[0].transposed().logAddExp($0[1])] }, at: [a.transposed().contiguousCopy(), uniform([3, 1], -3...3, seed: 5)])
  }
}
