import Foundation
import Testing
import TangentTesting

@testable import Tangent

@Suite struct BiharmonicTests {
  static let batch = 3

  /// The reference Δ²u: the Laplacian (by collapsed Taylor mode) of the Laplacian, per point.
  static func laplacianOfLaplacian(_ u: @escaping (Tensor) -> Tensor, at x: Tensor) -> Tensor {
    laplacian(of: { laplacian(of: u, at: $0).laplacian }, at: x).laplacian
  }

  /// An independent reference for one point `[d]`: the trace of the Hessian (reverse mode
  /// over Taylor mode) of the Laplacian.
  static func hessianOfLaplacian(_ u: @escaping (Tensor) -> Tensor, at p: Tensor) -> Double {
    let d = p.shape[0]
    let h = hessian(of: { laplacian(of: u, at: $0.unsqueezed(dim: 0)).laplacian.sum() }, at: p).doubles
    return (0..<d).reduce(0.0) { $0 + h[$1 * d + $1] }
  }

  static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
  }

  @Test func tanhMLPEqualsTheLaplacianOfTheLaplacian() {
    var rng = TestRandom(seed: 41)
    let d = 4
    let w1 = rng.tensor([d, 6]), b1 = rng.tensor([6]), w2 = rng.tensor([6, 6]), w3 = rng.tensor([6, 1])
    let u = { (x: Tensor) in (x.matmul(w1) + b1).tanh().matmul(w2).tanh().matmul(w3).squeezed(dim: -1) }
    let x = rng.tensor([Self.batch, d])
    let ((value, b), fallbacks) = TaylorMode.recordingFallbacks { biharmonic(of: u, at: x) }
    #expect(fallbacks.isEmpty, "\(fallbacks)")
    #expect(value.shape == [Self.batch] && b.shape == [Self.batch])
    #expect(relativeError([value], [u(x)]) == 0)
    let reference = Self.laplacianOfLaplacian(u, at: x).doubles
    for i in 0..<Self.batch {
      #expect(Self.close(b.doubles[i], reference[i]), "point \(i): \(b.doubles[i]) vs \(reference[i])")
    }
    let nested = Self.hessianOfLaplacian(u, at: x.select(dim: 0, index: 0))
    #expect(Self.close(b.doubles[0], nested), "\(b.doubles[0]) vs the Hessian trace of Δu \(nested)")
  }

  @Test func sinExpProduct() {
    // u = sin(x₀)·e^{2x₁} (d = 3): Δu = (−1 + 4)·u = 3u, so Δ²u = 9u.
    var rng = TestRandom(seed: 42)
    let x = rng.tensor([Self.batch, 3])
    let u = { (x: Tensor) in x.select(dim: -1, index: 0).sin() * (x.select(dim: -1, index: 1) * 2).exp() }
    let (value, b) = biharmonic(of: u, at: x)
    let reference = Self.laplacianOfLaplacian(u, at: x).doubles
    for i in 0..<Self.batch {
      #expect(Self.close(b.doubles[i], 9 * value.doubles[i]), "point \(i): \(b.doubles[i]) vs 9u = \(9 * value.doubles[i])")
      #expect(Self.close(b.doubles[i], reference[i]), "point \(i): \(b.doubles[i]) vs \(reference[i])")
    }
    // sin(x₀)·e^{x₁} is harmonic in (x₀, x₁): Δ²u = 0.
    let (_, zero) = biharmonic(of: { $0.select(dim: -1, index: 0).sin() * $0.select(dim: -1, index: 1).exp() }, at: x)
    for i in 0..<Self.batch { #expect(abs(zero.doubles[i]) <= 1e-12, "point \(i): \(zero.doubles[i])") }
  }

  @Test func polynomialWithAKnownBiharmonic() {
    // u = Σᵢ xᵢ⁴ + x₀²x₁² + x₀³x₂ + x₁x₂: Δ²u = 24d + 8 everywhere (∂⁴(xᵢ⁴)/∂xᵢ⁴ = 24 and
    // ∂₀²∂₁²(x₀²x₁²) = 4, counted for (0, 1) and (1, 0); the other terms have no such derivative).
    for d in [3, 5] {
      var rng = TestRandom(seed: 43)
      let x = rng.tensor([2, Self.batch, d])
      let u = { (x: Tensor) -> Tensor in
        let c = { (i: Int) in x.select(dim: -1, index: i) }
        return (x * x * x * x).sum(dim: -1) + c(0) * c(0) * c(1) * c(1) + c(0).pow(3) * c(2) + c(1) * c(2)
      }
      let (_, b) = biharmonic(of: u, at: x)
      #expect(b.shape == [2, Self.batch])
      let expected = Double(24 * d + 8)
      for e in b.doubles { #expect(Self.close(e, expected, 1e-12), "d = \(d): \(e) vs \(expected)") }
    }
  }

  @Test func onePointAndOneCoordinate() {
    // u = x⁶ in one dimension: Δ²u = 360x².
    let (_, b) = biharmonic(of: { ($0 * $0 * $0).square().sum() }, at: Tensor([0.7]))
    #expect(b.shape == [] && Self.close(b.doubles[0], 360 * 0.49, 1e-12), "\(b.doubles)")
  }

  @Test func aZeroDimensionalPointStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = biharmonic(of: { $0 * $0 }, at: Tensor(1.0))
    }
    let text = r.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
    #expect(text.contains("biharmonic: the points need shape [B…, d], got a 0-d tensor"), "\(text)")
  }
}
