import Foundation
import Tangent
import TangentTesting
import Testing

private func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
private func softplus(_ x: Double, beta: Double = 1, threshold: Double = 20) -> Double {
  beta * x > threshold ? x : Foundation.log1p(Foundation.exp(beta * x)) / beta
}

/// Inputs away from the kinks at 0, ±1, ±3 and 1.5.
private let kinkFree: [Double] = [-4.2, -3.4, -2.6, -1.7, -0.8, -0.3, 0.4, 0.9, 1.3, 2.1, 3.6, 5.0]

@Suite struct ActivationTests {
  static let cases: [UnaryCase] = [
    UnaryCase(name: "sigmoid", op: { $0.sigmoid() }, reference: sigmoid, domain: -4...4, complexDomain: -1...1),
    UnaryCase(name: "logSigmoid", op: { $0.logSigmoid() }, reference: { -Foundation.log1p(Foundation.exp(-$0)) }, domain: -6...6),
    UnaryCase(name: "relu", op: { $0.relu() }, reference: { Swift.max($0, 0) }, domain: -2...2, values: kinkFree),
    UnaryCase(name: "softplus", op: { $0.softplus() }, reference: { softplus($0) }, domain: -5...5),
    UnaryCase(name: "softplus(beta: 2, threshold: 3)", op: { $0.softplus(beta: 2, threshold: 3) },
              reference: { softplus($0, beta: 2, threshold: 3) }, domain: -5...5, values: kinkFree),
    UnaryCase(name: "silu", op: { $0.silu() }, reference: { $0 * sigmoid($0) }, domain: -4...4, complexDomain: -1...1),
    UnaryCase(name: "gelu", op: { $0.gelu() }, reference: { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }, domain: -4...4),
    UnaryCase(name: "gelu(tanh)", op: { $0.gelu(approximate: .tanh) },
              reference: { 0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) },
              domain: -4...4),
    UnaryCase(name: "elu", op: { $0.elu(alpha: 1.3) }, reference: { $0 > 0 ? $0 : 1.3 * Foundation.expm1($0) }, domain: -3...3, values: kinkFree),
    UnaryCase(name: "selu", op: { $0.selu() },
              reference: { 1.0507009873554805 * ($0 > 0 ? $0 : 1.6732632423543772 * Foundation.expm1($0)) }, domain: -3...3, values: kinkFree),
    UnaryCase(name: "celu", op: { $0.celu(alpha: 0.7) }, reference: { Swift.max(0, $0) + Swift.min(0, 0.7 * Foundation.expm1($0 / 0.7)) },
              domain: -3...3, values: kinkFree),
    UnaryCase(name: "leakyRelu", op: { $0.leakyRelu(negativeSlope: 0.2) }, reference: { $0 > 0 ? $0 : 0.2 * $0 }, domain: -3...3, values: kinkFree),
    UnaryCase(name: "hardtanh", op: { $0.hardtanh(min: -1, max: 2) }, reference: { Swift.min(Swift.max($0, -1), 2) }, domain: -3...3, values: kinkFree),
    UnaryCase(name: "hardsigmoid", op: { $0.hardsigmoid() }, reference: { Swift.min(Swift.max($0 + 3, 0), 6) / 6 }, domain: -5...5, values: kinkFree),
    UnaryCase(name: "hardswish", op: { $0.hardswish() }, reference: { $0 * Swift.min(Swift.max($0 + 3, 0), 6) / 6 }, domain: -5...5, values: kinkFree),
    UnaryCase(name: "mish", op: { $0.mish() }, reference: { $0 * Foundation.tanh(softplus($0)) }, domain: -4...4),
  ]

  @Test(arguments: cases) func unary(_ c: UnaryCase) { checkUnary(c) }

  @Test func stableForLargeInputs() {
    let x = Tensor([-800.0, 800])
    expectClose(x.sigmoid(), [0, 1])
    expectClose(x.logSigmoid(), [-800, 0])
    expectClose(x.softplus(), [0, 800])
    expectClose(x.silu(), [-0.0, 800])
    expectClose(x.mish(), [-0.0, 800])
    expectClose(x.elu(), [-1, 800])
    // The derivative of elu does not overflow for large positive inputs.
    let p = Tensor([800.0, -2]).requiringGrad()
    expectClose(gradients(of: p.elu().sum(), wrt: [p])[0], [1, Foundation.exp(-2.0)], rtol: 1e-14)
  }

  @Test func derivativesAtTheKinks() {
    // PyTorch's one-sided choices: relu′(0) = 0, hardtanh′ = 0 at the bounds, hardsigmoid′ = 0
    // at ±3, hardswish′(−3) = −½ and hardswish′(3) = 1.5, elu′(0) = α, leakyRelu′(0) = slope.
    func grad(_ f: (Tensor) -> Tensor, _ v: [Double]) -> [Double] {
      let x = Tensor(v).requiringGrad()
      return gradients(of: f(x).sum(), wrt: [x])[0].doubles
    }
    #expect(grad({ $0.relu() }, [0, 1]) == [0, 1])
    #expect(grad({ $0.hardtanh() }, [-1, 1, 0]) == [0, 0, 1])
    expectClose(grad({ $0.hardsigmoid() }, [-3, 3, 0]), [0, 0, 1.0 / 6])
    expectClose(grad({ $0.hardswish() }, [-3, 3, 4]), [-0.5, 1.5, 1])
    expectClose(grad({ $0.elu(alpha: 2) }, [0]), [2])
    expectClose(grad({ $0.leakyRelu(negativeSlope: 0.1) }, [0]), [0.1])
  }

  @Test func reluKeepsIntegersAndNaN() {
    let r = Tensor([Int64(-2), 3]).relu()
    #expect(r.dtype == .int64)
    #expect(r.scalars(as: Int64.self) == [0, 3])
    #expect(Tensor([Double.nan]).relu().doubles[0].isNaN)
  }
}
