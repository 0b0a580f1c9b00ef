import Foundation
import Testing
import TangentTesting

@testable import Tangent

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

@Suite struct LaplacianTests {
  static let d = 5
  static let batch = 3

  /// The functions under test, from points [B, d] to values [B] (each row on its own).
  static func functions() -> [(String, (Tensor) -> Tensor)] {
    var rng = TestRandom(seed: 21)
    let w1 = rng.tensor([d, 8]), b1 = rng.tensor([8]), w2 = rng.tensor([8, 8]), w3 = rng.tensor([8, 1])
    let a = rng.tensor([d]), c = rng.tensor([d])
    return [
      ("tanh MLP", { x in ((x.matmul(w1) + b1).tanh().matmul(w2)).tanh().matmul(w3).squeezed(dim: -1) }),
      ("softplus", { x in (x * a).softplus().sum(dim: -1) + (x.sum(dim: -1) * 0.5).softplus() }),
      ("sin·exp", { x in x.sin().sum(dim: -1) * (x * c).sum(dim: -1).exp() + (x.sin() * x.exp()).sum(dim: -1) }),
      ("log-sum-exp", { x in (x * a).logSumExp(dims: [-1]) }),
      ("log-sum-exp composed", { x in (x * c).exp().sum(dim: -1).log() }),
    ]
  }

  /// The Hessian of one point's value, `[d, d]` as doubles.
  static func pointHessian(_ u: @escaping (Tensor) -> Tensor, at x: Tensor, row: Int) -> [Double] {
    hessian(of: { p in u(p.unsqueezed(dim: 0)).sum() }, at: x.select(dim: 0, index: row)).doubles
  }

  @Test(arguments: 0..<5)
  func laplacianEqualsTheHessianTrace(index: Int) {
    let (name, u) = Self.functions()[index]
    var rng = TestRandom(seed: 22)
    let x = rng.tensor([Self.batch, Self.d])
    let (value, grad, lap) = laplacian(of: u, at: x)
    #expect(value.shape == [Self.batch] && grad.shape == [Self.batch, Self.d] && lap.shape == [Self.batch])
    #expect(relativeError([value], [u(x)]) == 0, "\(name): the value")
    for b in 0..<Self.batch {
      let h = Self.pointHessian(u, at: x, row: b)
      let trace = (0..<Self.d).reduce(0.0) { $0 + h[$1 * Self.d + $1] }
      let e = abs(lap.doubles[b] - trace) / (1 + abs(trace))
      #expect(e <= 1e-12, "\(name), point \(b): Δu = \(lap.doubles[b]), tr H = \(trace)")
      let g = gradient(of: { p in u(p.unsqueezed(dim: 0)).sum() }, at: x.select(dim: 0, index: b))
      #expect(relativeError([grad.select(dim: 0, index: b)], [g]) <= 1e-13, "\(name), point \(b): the gradient")
    }
  }

  @Test func theCollapsedPassTakesNoFallbackOnTheMLP() {
    let (_, u) = Self.functions()[0]
    var rng = TestRandom(seed: 3)
    let x = rng.tensor([Self.batch, Self.d])
    let (_, fallbacks) = TaylorMode.recordingFallbacks { laplacian(of: u, at: x) }
    #expect(fallbacks.isEmpty, "\(fallbacks)")
  }

  @Test func hessianDiagonalAndWeightedLaplacian() {
    var rng = TestRandom(seed: 23)
    let x = rng.tensor([Self.batch, Self.d])
    let shared = rng.tensor([Self.d, 3])
    let perPoint = rng.tensor([Self.batch, Self.d, 2])
    for (name, u) in Self.functions() {
      let (_, diagonal) = hessianDiagonal(of: u, at: x)
      #expect(diagonal.shape == [Self.batch, Self.d])
      let (_, weighted) = weightedLaplacian(of: u, at: x, sigma: shared)
      let (_, weightedPerPoint) = weightedLaplacian(of: u, at: x, sigma: perPoint)
      for b in 0..<Self.batch {
        let h = Self.pointHessian(u, at: x, row: b)
        for j in 0..<Self.d {
          let e = abs(diagonal.doubles[b * Self.d + j] - h[j * Self.d + j]) / (1 + abs(h[j * Self.d + j]))
          #expect(e <= 1e-12, "\(name), point \(b), coordinate \(j)")
        }
        // tr(σσᵀH) = Σ_l σ_lᵀ H σ_l.
        func expected(_ sigma: [Double], columns r: Int) -> Double {
          var total = 0.0
          for l in 0..<r {
            for i in 0..<Self.d {
              for j in 0..<Self.d { total += sigma[i * r + l] * h[i * Self.d + j] * sigma[j * r + l] }
            }
          }
          return total
        }
        let e1 = expected(shared.doubles, columns: 3)
        #expect(abs(weighted.doubles[b] - e1) <= 1e-12 * (1 + abs(e1)), "\(name), point \(b): shared σ")
        let e2 = expected(perPoint.select(dim: 0, index: b).doubles, columns: 2)
        #expect(abs(weightedPerPoint.doubles[b] - e2) <= 1e-12 * (1 + abs(e2)), "\(name), point \(b): per-point σ")
      }
    }
  }

  @Test func elementwiseOpsWithoutARuleUseOneProbe() {
    // mish has no recurrence: the collapsed pass probes its generic rule once (atan and gelu
    // have their own rules).
    var rng = TestRandom(seed: 25)
    let w = rng.tensor([Self.d, 4])
    let u = { (x: Tensor) in (x.matmul(w).atan() * x.matmul(w).mish() + x.matmul(w).gelu() + x.matmul(w).gelu(approximate: .tanh)).sum(dim: -1) }
    let x = rng.tensor([Self.batch, Self.d])
    let ((_, _, lap), fallbacks) = TaylorMode.recordingFallbacks { laplacian(of: u, at: x) }
    #expect(fallbacks == ["mish"], "\(fallbacks)")
    for b in 0..<Self.batch {
      let h = Self.pointHessian(u, at: x, row: b)
      let trace = (0..<Self.d).reduce(0.0) { $0 + h[$1 * Self.d + $1] }
      #expect(abs(lap.doubles[b] - trace) <= 1e-12 * (1 + abs(trace)), "point \(b): Δu = \(lap.doubles[b]), tr H = \(trace)")
    }
  }

  @Test func reductionsAndInverseFunctionsHaveFastRules() {
    // log-sum-exp, (log-)softmax, the vector norms, the inverse trigonometric and hyperbolic
    // functions and the piecewise-constant ops take their own rules, in the collapsed pass
    // and in a jet with d directions (the Hessian diagonal).
    var rng = TestRandom(seed: 26)
    let w = rng.tensor([Self.d, 4])
    let u = { (x: Tensor) -> Tensor in
      let h = x.matmul(w) * 0.5
      let bounded = h.tanh() * 0.5
      let parts = [
        h.logSumExp(dims: [-1]), h.softmax(dim: -1).atan().sum(dim: -1), h.logSoftmax(dim: -1).sin().sum(dim: -1),
        h.vectorNorm(dims: [-1]), h.vectorNorm(ord: 3, dims: [-1]), bounded.asin().sum(dim: -1),
        bounded.acos().sum(dim: -1), h.asinh().sum(dim: -1), (h * h + 1.5).acosh().sum(dim: -1),
        bounded.atanh().sum(dim: -1), (h.floor() * h + h.round() + h.sign() * h).sum(dim: -1),
      ]
      return parts.dropFirst().reduce(parts[0], +)
    }
    let x = rng.tensor([Self.batch, Self.d])
    let ((_, _, lap), fallbacks) = TaylorMode.recordingFallbacks { laplacian(of: u, at: x) }
    #expect(fallbacks.isEmpty, "\(fallbacks)")
    let ((_, diagonal), diagonalFallbacks) = TaylorMode.recordingFallbacks { hessianDiagonal(of: u, at: x) }
    #expect(diagonalFallbacks.isEmpty, "\(diagonalFallbacks)")
    for b in 0..<Self.batch {
      let h = Self.pointHessian(u, at: x, row: b)
      let trace = (0..<Self.d).reduce(0.0) { $0 + h[$1 * Self.d + $1] }
      #expect(abs(lap.doubles[b] - trace) <= 1e-12 * (1 + abs(trace)), "point \(b): Δu = \(lap.doubles[b]), tr H = \(trace)")
      for j in 0..<Self.d {
        let e = abs(diagonal.doubles[b * Self.d + j] - h[j * Self.d + j]) / (1 + abs(h[j * Self.d + j]))
        #expect(e <= 1e-12, "point \(b), coordinate \(j)")
      }
    }
  }

  @Test func onePointWithoutBatchDims() {
    let x = Tensor([0.3, -0.2, 0.7])
    // u = Σ x_i² · e^{x_0}: Δu = e^{x0}(2·3 + 4x0 + Σx²).
    let (_, _, lap) = laplacian(of: { ($0 * $0).sum() * $0.select(dim: 0, index: 0).exp() }, at: x)
    let s = x.doubles.reduce(0) { $0 + $1 * $1 }
    let expected = Foundation.exp(0.3) * (6 + 4 * 0.3 + s)
    #expect(abs(lap.doubles[0] - expected) <= 1e-13 * expected)
  }

  @Test func laplacianComposesWithGradient() {
    // A PINN loss: the gradient of mean((Δu)²) with respect to a weight, against finite differences.
    var rng = TestRandom(seed: 24)
    let x = rng.tensor([4, 3]), w0 = rng.tensor([3, 6]), w2 = rng.tensor([6, 1])
    let loss = { (w: Tensor) in
      let lap = laplacian(of: { $0.matmul(w).tanh().matmul(w2).squeezed(dim: -1) }, at: x).laplacian
      return (lap * lap).mean()
    }
    let g = gradient(of: loss, at: w0)
    let direction = rng.tensor([3, 6])
    let h = 1e-6
    let fd = (loss(w0 + direction * h).doubles[0] - loss(w0 - direction * h).doubles[0]) / (2 * h)
    let analytic = (g * direction).sum().doubles[0]
    #expect(abs(analytic - fd) <= 1e-6 * (1 + abs(fd)), "\(analytic) vs \(fd)")
  }

  @Test func misfitSigmaStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = weightedLaplacian(of: { $0.sum(dim: -1) }, at: Tensor.zeros([2, 3]), sigma: Tensor.zeros([4, 2]))
    }
    let text = stderrText(r)
    #expect(text.contains("weightedLaplacian: sigma of shape [4, 2] does not fit points of shape [2, 3]"), "\(text)")
  }
}
