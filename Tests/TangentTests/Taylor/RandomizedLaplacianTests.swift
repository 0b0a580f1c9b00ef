import Foundation
import Testing
import TangentTesting

@testable import Tangent

@Suite struct RandomizedLaplacianTests {
  /// u = Σ a_i x_i² + a product term, from points [B, d] to [B].
  static func u(_ a: Tensor) -> (Tensor) -> Tensor {
    { x in (x * x * a).sum(dim: -1) + (x.sin().sum(dim: -1) * x.select(dim: -1, index: 0)).tanh() }
  }

  @Test func allCoordinatesAreExact() {
    var rng = TestRandom(seed: 31)
    let a = rng.tensor([6]), x = rng.tensor([4, 6])
    let exact = laplacian(of: Self.u(a), at: x).laplacian
    var generator = TestRandom(seed: 5)
    let (value, estimate, error) = randomizedLaplacian(of: Self.u(a), at: x, samples: 6, estimator: .coordinates, using: &generator)
    #expect(relativeError([value], [Self.u(a)(x)]) == 0)
    #expect(relativeError([estimate], [exact]) <= 1e-13)
    #expect(error.doubles.allSatisfy { $0 == 0 }, "drawing every coordinate leaves no sampling error")
  }

  @Test func rademacherIsExactForADiagonalHessian() {
    // vᵀ diag(2a) v = Σ 2a_i for v of ±1 entries.
    var rng = TestRandom(seed: 32)
    let a = rng.tensor([5]), x = rng.tensor([3, 5])
    var generator = TestRandom(seed: 6)
    let (_, estimate, error) = randomizedLaplacian(of: { ($0 * $0 * a).sum(dim: -1) }, at: x, samples: 4, using: &generator)
    let trace = a.doubles.reduce(0) { $0 + 2 * $1 }
    for e in estimate.doubles { #expect(abs(e - trace) <= 1e-13 * (1 + abs(trace))) }
    #expect(error.doubles.allSatisfy { $0 <= 1e-13 })
  }

  @Test(arguments: [LaplacianEstimator.rademacher, .gaussian, .coordinates])
  func estimatesAreWithinTheirStandardError(estimator: LaplacianEstimator) {
    var rng = TestRandom(seed: 33)
    let d = 40
    let a = rng.tensor([d]), x = rng.tensor([3, d])
    let exact = laplacian(of: Self.u(a), at: x).laplacian.doubles
    var generator = TestRandom(seed: 7)
    let samples = estimator == .coordinates ? 20 : 400
    let (_, estimate, error) = randomizedLaplacian(of: Self.u(a), at: x, samples: samples, estimator: estimator, using: &generator)
    for (e, (t, s)) in zip(estimate.doubles, zip(exact, error.doubles)) {
      #expect(s > 0, "\(estimator): a positive standard error")
      #expect(abs(e - t) <= 4 * s, "\(estimator): estimate \(e), exact \(t), standard error \(s)")
    }
    // The same seed gives the same numbers.
    var again = TestRandom(seed: 7)
    let repeated = randomizedLaplacian(of: Self.u(a), at: x, samples: samples, estimator: estimator, using: &again).estimate
    #expect(repeated.doubles == estimate.doubles)
  }

  @Test func tooFewSamplesStop() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var g = TestRandom(seed: 1)
      _ = randomizedLaplacian(of: { $0.sum(dim: -1) }, at: Tensor.zeros([2, 3]), samples: 4, estimator: .coordinates, using: &g)
    }
    let text = r.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
    #expect(text.contains("randomizedLaplacian: 4 coordinate samples drawn without replacement exceed the dimension 3"), "\(text)")
  }
}
