import Foundation
import Testing
import TangentTesting

@testable import Tangent

// The margin, embedding and likelihood losses of NN: values against loops over the elements
// (the formulas of PyTorch's implementations); derivatives are checked by the op database.

@Suite struct NNMarginLossTests {
  let x = uniform([3, 4], -2...2, seed: 11)
  let x2 = uniform([3, 4], -2...2, seed: 12)
  let y = Tensor(shape: [3, 4], scalars: [1.0, -1, -1, 1, 1, 1, -1, -1, 1, -1, 1, -1])

  @Test func hingeEmbeddingLoss() {
    let want = zip(x.doubles, y.doubles).map { x, y in y == 1 ? x : Swift.max(0, 0.7 - x) }
    expectClose(NN.hingeEmbeddingLoss(x, y, margin: 0.7, reduction: .none), want, atol: 1e-14, "none")
    expectClose(NN.hingeEmbeddingLoss(x, y, margin: 0.7), [want.reduce(0, +) / 12], atol: 1e-14, "mean")
  }

  @Test func marginRankingAndSoftMarginLosses() {
    let ranking = (0..<12).map { Swift.max(0, -y.doubles[$0] * (x.doubles[$0] - x2.doubles[$0]) + 0.3) }
    expectClose(NN.marginRankingLoss(x, x2, y, margin: 0.3, reduction: .sum), [ranking.reduce(0, +)], atol: 1e-13, "ranking")
    let soft = (0..<12).map { Foundation.log(1 + Foundation.exp(-y.doubles[$0] * x.doubles[$0])) }
    expectClose(NN.softMarginLoss(x, y, reduction: .none), soft, atol: 1e-14, "soft margin")
  }

  @Test func multilabelSoftMarginLoss() {
    let t = uniform([3, 4], 0...1, seed: 13), w = Tensor([0.5, 1, 2, 1.5])
    func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
    let want = (0..<3).map { n in
      (0..<4).map { c -> Double in
        let (v, p) = (x.doubles[4 * n + c], t.doubles[4 * n + c])
        return -w.doubles[c] * (p * Foundation.log(sigmoid(v)) + (1 - p) * Foundation.log(sigmoid(-v)))
      }.reduce(0, +) / 4
    }
    expectClose(NN.multilabelSoftMarginLoss(x, t, weight: w, reduction: .none), want, atol: 1e-13, "none")
    expectClose(NN.multilabelSoftMarginLoss(x, t, weight: w), [want.reduce(0, +) / 3], atol: 1e-13, "mean")
  }

  @Test func cosineEmbeddingLoss() {
    let labels = Tensor([1.0, -1, -1])
    let want = (0..<3).map { n -> Double in
      let a = Array(x.doubles[4 * n..<4 * n + 4]), b = Array(x2.doubles[4 * n..<4 * n + 4])
      let dot = zip(a, b).map(*).reduce(0, +)
      let cos = dot / ((a.map { $0 * $0 }.reduce(0, +) + 1e-12) * (b.map { $0 * $0 }.reduce(0, +) + 1e-12)).squareRoot()
      return labels.doubles[n] == 1 ? 1 - cos : Swift.max(0, cos + 0.2)
    }
    expectClose(NN.cosineEmbeddingLoss(x, x2, labels, margin: -0.2, reduction: .none), want, atol: 1e-14, "none")
  }

  @Test func tripletMarginLoss() {
    let n = uniform([3, 4], -2...2, seed: 14)
    func distance(_ a: Tensor, _ b: Tensor, _ row: Int, p: Double) -> Double {
      Foundation.pow((0..<4).map { Foundation.pow(Swift.abs(a.doubles[4 * row + $0] - b.doubles[4 * row + $0] + 1e-6), p) }.reduce(0, +), 1 / p)
    }
    for p in [1.0, 2.0] {
      for swap in [false, true] {
        let want = (0..<3).map { r -> Double in
          var negative = distance(x, n, r, p: p)
          if swap { negative = Swift.min(negative, distance(x2, n, r, p: p)) }
          return Swift.max(0, distance(x, x2, r, p: p) - negative + 1.5)
        }
        expectClose(NN.tripletMarginLoss(x, x2, n, margin: 1.5, p: p, swap: swap, reduction: .none), want, atol: 1e-12, "p \(p) swap \(swap)")
      }
    }
    // The default distance of the distance variant is the pairwise distance.
    expectClose(NN.tripletMarginWithDistanceLoss(x, x2, n, margin: 1.5), NN.tripletMarginLoss(x, x2, n, margin: 1.5).doubles, atol: 1e-14, "default distance")
  }

  @Test func poissonNLLLoss() {
    let rate = uniform([3, 4], 0.2...3, seed: 15), count = Tensor(shape: [3, 4], scalars: (0..<12).map { Double($0 % 5) })
    let logWant = (0..<12).map { Foundation.exp(x.doubles[$0]) - count.doubles[$0] * x.doubles[$0] }
    expectClose(NN.poissonNLLLoss(x, count, reduction: .none), logWant, atol: 1e-13, "log input")
    let fullWant = (0..<12).map { i -> Double in
      let (l, t) = (rate.doubles[i], count.doubles[i])
      let stirling = t > 1 ? t * Foundation.log(t) - t + 0.5 * Foundation.log(2 * Double.pi * t) : 0
      return l - t * Foundation.log(l + 1e-8) + stirling
    }
    expectClose(NN.poissonNLLLoss(rate, count, logInput: false, full: true, reduction: .none), fullWant, atol: 1e-13, "full")
  }

  @Test func gaussianNLLLoss() {
    let v = Tensor(shape: [3, 1], scalars: [0.5, 1e-9, 2])
    let want = (0..<12).map { i -> Double in
      let variance = Swift.max(v.doubles[i / 4], 1e-6), d = x.doubles[i] - x2.doubles[i]
      return 0.5 * (Foundation.log(variance) + d * d / variance) + 0.5 * Foundation.log(2 * Double.pi)
    }
    expectClose(NN.gaussianNLLLoss(x, x2, variance: v, full: true, reduction: .none), want, atol: 1e-9, "full")
    // A variance without the last dim is unsqueezed.
    expectClose(NN.gaussianNLLLoss(x, x2, variance: v.squeezed(dim: 1)), NN.gaussianNLLLoss(x, x2, variance: v).doubles, atol: 1e-14, "unsqueezed")
  }
}
