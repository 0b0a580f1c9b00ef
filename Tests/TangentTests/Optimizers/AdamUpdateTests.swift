import Foundation
import Testing

@testable import Tangent

/// The fused Adam/AdamW update (Sources/Tangent/Optimizers/AdamUpdate.swift) runs blocks of 8
/// elements as vectors and the rest as scalars: both must give PyTorch's single-tensor formula,
/// to the bit, for every variant.
@Suite struct AdamUpdateTests {
  /// PyTorch's single-tensor Adam step t on plain Doubles (the reference), updating m, v, vMax.
  static func reference(
    theta: inout [Double], g: [Double], m: inout [Double], v: inout [Double], vMax: inout [Double], t: Int,
    lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double, amsgrad: Bool, maximize: Bool, decoupled: Bool
  ) {
    let bc1 = 1 - Double.pow(betas.0, Double(t)), bc2 = (1 - Double.pow(betas.1, Double(t))).squareRoot()
    let w = 1 - betas.0
    for i in theta.indices {
      var gi = maximize ? -g[i] : g[i]
      if decoupled { theta[i] = theta[i] * (1 - lr * weightDecay) } else if weightDecay != 0 { gi = gi + weightDecay * theta[i] }
      m[i] = w < 0.5 ? m[i] + w * (gi - m[i]) : gi - (gi - m[i]) * (1 - w)
      v[i] = v[i] * betas.1 + (1 - betas.1) * gi * gi
      var second = v[i]
      if amsgrad {
        vMax[i] = Swift.max(vMax[i], v[i])
        second = vMax[i]
      }
      theta[i] = theta[i] + -(lr / bc1) * m[i] / (second.squareRoot() / bc2 + eps)
    }
  }

  @Test(arguments: [false, true], [false, true])
  func vectorBlocksAndTailMatchTheFormula(amsgrad: Bool, decoupled: Bool) {
    // 2 vector blocks and a tail of 5 for one tensor, a tail only for the other.
    let n = 21
    let theta = (0..<n).map { Foundation.sin(Double($0) * 0.7) }, bias = [0.25, -0.5, 1.5]
    for maximize in [false, true] {
      for (weightDecay, beta1) in [(0.0, 0.9), (0.05, 0.9), (0.01, 0.3)] {
        var p: [Tensor] = [Tensor(shape: [3, 7], scalars: theta), Tensor(bias)]
        var refTheta = [theta, bias]
        var m = [[Double]](repeating: [], count: 2), v = m, vMax = m
        for k in 0..<2 { m[k] = [Double](repeating: 0, count: refTheta[k].count); v[k] = m[k]; vMax[k] = m[k] }
        var adam: any Optimizer =
          decoupled
          ? AdamW(learningRate: 0.1, betas: (beta1, 0.99), weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize)
          : Adam(learningRate: 0.1, betas: (beta1, 0.99), weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize)
        for t in 1...4 {
          // A gradient that changes sign and size between steps (so AMSGrad's maximum moves).
          let grads = refTheta.map { $0.enumerated().map { Foundation.cos(Double($0.offset * t) + $0.element) * Double(5 - t) } }
          adam.step(&p, gradient: [Tensor(shape: [3, 7], scalars: grads[0]), Tensor(grads[1])])
          for k in 0..<2 {
            Self.reference(
              theta: &refTheta[k], g: grads[k], m: &m[k], v: &v[k], vMax: &vMax[k], t: t, lr: 0.1, betas: (beta1, 0.99), eps: 1e-8,
              weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize, decoupled: decoupled)
            #expect(p[k].doubles == refTheta[k], "step \(t) tensor \(k) maximize \(maximize) decay \(weightDecay) β₁ \(beta1)")
          }
        }
        // float32 takes the same path.
        var p32 = [Tensor(shape: [3, 7], scalars: theta).converted(to: .float32)]
        var adam32 = Adam(learningRate: 0.1, amsgrad: amsgrad)
        adam32.step(&p32, gradient: [Tensor(shape: [3, 7], scalars: theta).converted(to: .float32)])
        // First step: every coordinate moves by ≈ γ against the sign of its gradient.
        for (a, b) in zip(p32[0].doubles, theta) where b != 0 { #expect(Swift.abs((b - a) - 0.1 * (b > 0 ? 1 : -1)) < 1e-5) }
      }
    }
  }
}
