import Testing
import TangentTesting

@testable import Tangent

/// The collapsed fourth-order pass of ``biharmonic(of:at:method:)`` against the d² full jets
/// and against nested Hessians.
@Suite struct CollapsedBiharmonicTests {
  /// A tanh MLP d-6-6-1 and a batch of 3 points.
  static func mlp(d: Int, seed: UInt64) -> (u: (Tensor) -> Tensor, x: Tensor) {
    var rng = TestRandom(seed: seed)
    let w1 = rng.tensor([d, 6]), b1 = rng.tensor([6]), w2 = rng.tensor([6, 6]), w3 = rng.tensor([6, 1])
    let u = { (x: Tensor) in (x.matmul(w1) + b1).tanh().matmul(w2).tanh().matmul(w3).squeezed(dim: -1) }
    return (u, rng.tensor([3, d]))
  }

  // d = 7 makes the weights sum to zero (d·(7 − d)/6): the fourth coefficients then get a
  // direction dim (see TaylorLevelKind.share).
  @Test(arguments: [1, 2, 4, 7])
  func collapsedEqualsTheFullJets(d: Int) {
    let (u, x) = Self.mlp(d: d, seed: 130 + UInt64(d))
    let ((value, collapsed), fallbacks) = TaylorMode.recordingFallbacks { biharmonic(of: u, at: x, method: .collapsed) }
    let (_, full) = biharmonic(of: u, at: x, method: .directions)
    #expect(fallbacks.isEmpty, "\(fallbacks)")
    #expect(relativeError([value], [u(x)]) == 0)
    #expect(relativeError([collapsed], [full]) <= 1e-12, "d = \(d): \(collapsed) vs \(full)")
  }

  @Test func collapsedEqualsNestedHessians() {
    let (u, x) = Self.mlp(d: 3, seed: 140)
    let (_, b) = biharmonic(of: u, at: x, method: .collapsed)
    for i in 0..<3 {
      let nested = BiharmonicTests.hessianOfLaplacian(u, at: x.select(dim: 0, index: i))
      #expect(BiharmonicTests.close(b.doubles[i], nested), "point \(i): \(b.doubles[i]) vs \(nested)")
    }
  }

  @Test func productsAndALinearScan() {
    // sin(x₀)·e^{2x₁}·x₂² + Σ tanh(cumsum x): collapsed against the full jets.
    var rng = TestRandom(seed: 141)
    let x = rng.tensor([2, 3])
    let u = { (x: Tensor) in
      x.select(dim: -1, index: 0).sin() * (x.select(dim: -1, index: 1) * 2).exp() * x.select(dim: -1, index: 2).square()
        + x.cumsum(dim: -1).tanh().sum(dims: [-1])
    }
    let (_, collapsed) = biharmonic(of: u, at: x, method: .collapsed)
    let (_, full) = biharmonic(of: u, at: x, method: .directions)
    #expect(relativeError([collapsed], [full]) <= 1e-12, "\(collapsed) vs \(full)")
  }
}
