import Foundation
import Tangent
import TangentTesting
import Testing

@Suite struct SignTests {
  static let cases: [UnaryCase] = [
    UnaryCase(name: "neg", op: { -$0 }, reference: { -$0 }, domain: -2...2, complexDomain: -1...1),
    UnaryCase(name: "abs", op: { $0.abs() }, reference: Swift.abs, domain: -2...2, complexDomain: -1...1, gap: 0.2),
    UnaryCase(name: "sign", op: { $0.sign() }, reference: { $0 > 0 ? 1 : -1 }, domain: -2...2, gap: 0.2),
    UnaryCase(name: "sgn", op: { $0.sgn() }, reference: { $0 > 0 ? 1 : -1 }, domain: -2...2, complexDomain: -1...1, gap: 0.2),
    UnaryCase(name: "angle", op: { $0.angle() }, reference: { $0 < 0 ? Double.pi : 0 }, domain: -2...2, complexDomain: -1...1, gap: 0.2),
  ]

  @Test(arguments: cases) func unary(_ c: UnaryCase) { checkUnary(c) }

  @Test func complexValues() {
    let z = Tensor([Complex(3.0, -4.0), Complex(0, 0), Complex(-1, 1)])
    let a = z.abs()
    #expect(a.dtype == .float64)
    expectClose(a, [5, 0, 2.0.squareRoot()])
    expectClose(z.sgn(), complex: [Complex(0.6, -0.8), .zero, Complex(-1, 1) / Complex(2.0.squareRoot(), 0)])
    let t = z.angle()
    #expect(t.dtype == .float64)
    expectClose(t, [Foundation.atan2(-4.0, 3), 0, 3 * Double.pi / 4])
  }

  @Test func derivativesAtZero() {
    // PyTorch: abs′(0) = 0, and sgn and angle have zero gradients at 0.
    let x = Tensor([0.0, -2]).requiringGrad()
    expectClose(gradients(of: x.abs().sum(), wrt: [x])[0], [0, -1])
    let z = Tensor([Complex(0.0, 0), Complex(0, 2)]).requiringGrad()
    let ga = gradients(of: z.abs().sum(), wrt: [z])[0]
    expectClose(ga, complex: [.zero, Complex(0, 1)])
    let gs = gradients(of: z.sgn().real.sum(), wrt: [z])[0]
    expectClose(gs, complex: [.zero, Complex(0.5, 0)])
    let gt = gradients(of: z.angle().sum(), wrt: [z])[0]
    expectClose(gt, complex: [.zero, Complex(-0.5, 0)])
  }

  @Test func integers() {
    let i = Tensor([Int64(-3), 0, 5])
    #expect(i.abs().scalars(as: Int64.self) == [3, 0, 5])
    #expect(i.sign().scalars(as: Int64.self) == [-1, 0, 1])
    #expect(Tensor([Double.nan, -0.0]).sign().doubles.map { $0 == 0 } == [true, true])
  }

  @Test func copysign() {
    let a = uniform([3, 4], -2...2, seed: 41, avoidingZero: 0.1), b = uniform([4], -2...2, seed: 42, avoidingZero: 0.1)
    expectClose(a.copysign(b), (0..<12).map { Foundation.copysign(a.doubles[$0], b.doubles[$0 % 4]) })
    expectClose(Tensor([1.0, 2]).copysign(Tensor([-0.0, 0])), [-1, 2])
    expectGradcheck("copysign", { [$0[0].copysign($0[1])] }, at: [a, b])
    expectGradcheck("copysign (transposed)", { [$0[0].transposed().copysign($0[1])] }, at: [a.transposed().contiguousCopy(), uniform([3, 1], -2...2, seed: 43, avoidingZero: 0.1)])
  }

  /// abs, sgn and angle of a complex zero (a structural one here, so every derivative is 0)
  /// have finite derivatives at every order: their rules divide by |z| only where z ≠ 0.
  /// Dividing and then masking gave NaN at third order (reverse over forward over reverse),
  /// for instance through |R| of a complex QR, whose R has exact zeros below the diagonal.
  @Test func complexZeroHasFiniteHigherDerivatives() {
    let z = Tensor([Complex(0.6, -0.8), Complex(-1.2, 0.5)])
    let keepFirst = Tensor([Complex(1.0, 0), Complex(0, 0)])
    let ops: [(String, (Tensor) -> Tensor)] = [("abs", { $0.abs() }), ("sgn", { $0.sgn() }), ("angle", { $0.angle() })]
    for (name, op) in ops {
      expectGradcheck("\(name) at a complex zero", { [op($0[0] * keepFirst)] }, at: [z])
    }
  }
}
