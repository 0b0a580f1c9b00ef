import Foundation
import Tangent
import TangentTesting
import Testing

@Suite struct TrigonometricTests {
  static let cases: [UnaryCase] = [
    UnaryCase(name: "sin", op: { $0.sin() }, reference: Foundation.sin, domain: -3...3, complexDomain: -1...1),
    UnaryCase(name: "cos", op: { $0.cos() }, reference: Foundation.cos, domain: -3...3, complexDomain: -1...1),
    UnaryCase(name: "tan", op: { $0.tan() }, reference: Foundation.tan, domain: -1.2...1.2, complexDomain: -1...1),
    UnaryCase(name: "asin", op: { $0.asin() }, reference: Foundation.asin, domain: -0.9...0.9, complexDomain: -0.8...0.8),
    UnaryCase(name: "acos", op: { $0.acos() }, reference: Foundation.acos, domain: -0.9...0.9, complexDomain: -0.8...0.8),
    UnaryCase(name: "atan", op: { $0.atan() }, reference: Foundation.atan, domain: -3...3, complexDomain: -0.8...0.8),
    UnaryCase(name: "deg2rad", op: { $0.deg2rad() }, reference: { $0 * Double.pi / 180 }, domain: -360...360),
    UnaryCase(name: "rad2deg", op: { $0.rad2deg() }, reference: { $0 * 180 / Double.pi }, domain: -7...7),
  ]

  @Test(arguments: cases) func unary(_ c: UnaryCase) { checkUnary(c) }

  @Test func complexBranches() {
    // Principal branches, as C's casin/cacos/catan.
    let z = Tensor([Complex(0.3, -0.4), Complex(-0.5, 0.2)])
    expectClose(z.asin().sin(), complex: z.complexDoubles, rtol: 1e-14)
    expectClose(z.acos().cos(), complex: z.complexDoubles, rtol: 1e-14)
    expectClose(z.atan().tan(), complex: z.complexDoubles, rtol: 1e-14)
  }

  @Test func atan2() {
    let a = uniform([3, 4], -2...2, seed: 21, avoidingZero: 0.2), b = uniform([4], -2...2, seed: 22, avoidingZero: 0.2)
    expectClose(a.atan2(b), (0..<12).map { Foundation.atan2(a.doubles[$0], b.doubles[$0 % 4]) })
    expectClose(Tensor([0.0, 1, -1]).atan2(Tensor([-1.0, 0, 0])), [Double.pi, Double.pi / 2, -Double.pi / 2])
    expectGradcheck("atan2", { [$0[0].atan2($0[1])] }, at: [a, b])
    expectGradcheck("atan2 (transposed)", { [$0[1].atan2($0[0].transposed())] },
                    at: [a.transposed().contiguousCopy(), uniform([3, 1], -2...2, seed: 23, avoidingZero: 0.2)])
  }

  @Test func degreesOfIntegers() {
    let d = Tensor([Int64(180), -90]).deg2rad()
    #expect(d.dtype == .float64)
    expectClose(d, [Double.pi, -Double.pi / 2])
  }
}

@Suite struct HyperbolicTests {
  static let cases: [UnaryCase] = [
    UnaryCase(name: "sinh", op: { $0.sinh() }, reference: Foundation.sinh, domain: -2...2, complexDomain: -1...1),
    UnaryCase(name: "cosh", op: { $0.cosh() }, reference: Foundation.cosh, domain: -2...2, complexDomain: -1...1),
    UnaryCase(name: "tanh", op: { $0.tanh() }, reference: Foundation.tanh, domain: -2...2, complexDomain: -1...1),
    UnaryCase(name: "asinh", op: { $0.asinh() }, reference: Foundation.asinh, domain: -3...3, complexDomain: -0.8...0.8),
    UnaryCase(name: "acosh", op: { $0.acosh() }, reference: Foundation.acosh, domain: 1.2...4, complexDomain: 0.3...2),
    UnaryCase(name: "atanh", op: { $0.atanh() }, reference: Foundation.atanh, domain: -0.9...0.9, complexDomain: -0.8...0.8),
  ]

  @Test(arguments: cases) func unary(_ c: UnaryCase) { checkUnary(c) }

  @Test func acoshComplexBranch() {
    // The derivative form 1/(√(z+1)√(z−1)) is right in the left half-plane, where 1/√(z²−1)
    // has the wrong sign.
    let z = Tensor([Complex(-1.5, 0.5), Complex(-0.4, -0.9)])
    expectGradcheck("acosh left half-plane", { [$0[0].acosh()] }, at: [z])
    expectClose(z.acosh().cosh(), complex: z.complexDoubles, rtol: 1e-14)
  }
}
