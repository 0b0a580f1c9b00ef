import Foundation
import Testing
import TangentTesting

@testable import Tangent

// The normalisation layers of NN: values against loops over the groups, derivatives by
// gradcheck in float64 (PyTorch takes real inputs only), misuse messages.

/// `(v − mean)/√(var + eps)` of a list, with the population variance.
private func standardize(_ v: [Double], eps: Double) -> [Double] {
  let mean = v.reduce(0, +) / Double(v.count)
  let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)
  return v.map { ($0 - mean) / Foundation.sqrt(variance + eps) }
}

@Suite struct NNNormalizationTests {
  @Test func layerNorm() {
    let x = uniform([3, 4, 5], -2...2, seed: 3), w = uniform([5], -2...2, seed: 4), b = uniform([5], -2...2, seed: 5)
    // Each row of 5 is standardised, then scaled and shifted.
    let rows = stride(from: 0, to: 60, by: 5).flatMap { standardize(Array(x.doubles[$0..<$0 + 5]), eps: 1e-5) }
    let want = rows.enumerated().map { $1 * w.doubles[$0 % 5] + b.doubles[$0 % 5] }
    expectClose(NN.layerNorm(x, normalizedShape: [5], weight: w, bias: b), want, atol: 1e-13, "over [5]")
    // Over the last two dims: blocks of 20.
    let blocks = stride(from: 0, to: 60, by: 20).flatMap { standardize(Array(x.doubles[$0..<$0 + 20]), eps: 0.1) }
    expectClose(NN.layerNorm(x, normalizedShape: [4, 5], eps: 0.1), blocks, atol: 1e-13, "over [4, 5]")
    expectClose(NN.layerNorm(x.converted(to: .float32), normalizedShape: [5]), rows, atol: 1e-5, "float32")
    // Forward-over-forward is checked against finite differences of the JVP here; PyTorch's
    // own value for it treats the saved mean and 1/σ as constants and differs.
    expectGradients([[3, 4, 5], [5], [5]], dtypes: [.float64]) { [NN.layerNorm($0[0], normalizedShape: [5], weight: $0[1], bias: $0[2])] }
    expectGradients([[2, 3, 4]], dtypes: [.float64]) { [NN.layerNorm($0[0], normalizedShape: [3, 4])] }
  }

  @Test func rmsNorm() {
    let x = uniform([3, 4, 5], -2...2, seed: 3), w = uniform([5], -2...2, seed: 4)
    let want = (0..<60).map { i -> Double in
      let row = Array(x.doubles[(i / 5 * 5)..<(i / 5 * 5 + 5)])
      let ms = row.reduce(0) { $0 + $1 * $1 } / 5
      return x.doubles[i] / Foundation.sqrt(ms + Double.ulpOfOne) * w.doubles[i % 5]
    }
    expectClose(NN.rmsNorm(x, normalizedShape: [5], weight: w), want, atol: 1e-13, "rms over [5]")
    // A zero row stays zero: eps keeps the denominator positive.
    expectClose(NN.rmsNorm(Tensor.zeros([2, 3]), normalizedShape: [3]), [0, 0, 0, 0, 0, 0], "zero rows")
    #expect(NN.rmsNorm(x.converted(to: .float32), normalizedShape: [4, 5]).dtype == .float32)
    expectGradients([[3, 4, 5], [5]], dtypes: [.float64]) { [NN.rmsNorm($0[0], normalizedShape: [5], weight: $0[1])] }
    expectGradients([[2, 3, 4]], dtypes: [.float64]) { [NN.rmsNorm($0[0], normalizedShape: [3, 4], eps: 1e-3)] }
  }

  @Test func groupNorm() {
    let x = uniform([2, 6, 2], -2...2, seed: 3), w = uniform([6], -2...2, seed: 4), b = uniform([6], -2...2, seed: 5)
    // 3 groups of 2 channels × 2 positions: blocks of 4 consecutive values.
    let blocks = stride(from: 0, to: 24, by: 4).flatMap { standardize(Array(x.doubles[$0..<$0 + 4]), eps: 1e-5) }
    let want = blocks.enumerated().map { i, v in v * w.doubles[i / 2 % 6] + b.doubles[i / 2 % 6] }
    expectClose(NN.groupNorm(x, numGroups: 3, weight: w, bias: b), want, atol: 1e-13, "3 groups")
    // One group is a layer norm over [C, *]; C groups is an instance norm.
    expectClose(NN.groupNorm(x, numGroups: 1), NN.layerNorm(x, normalizedShape: [6, 2]).doubles, atol: 1e-14, "one group")
    expectClose(NN.groupNorm(x, numGroups: 6), NN.layerNorm(x, normalizedShape: [2]).doubles, atol: 1e-14, "instance norm")
    expectGradients([[2, 4, 3], [4], [4]], dtypes: [.float64]) { [NN.groupNorm($0[0], numGroups: 2, weight: $0[1], bias: $0[2])] }
  }

  @Test func batchNorm() {
    let x = uniform([4, 3, 2], -2...2, seed: 3), w = uniform([3], -2...2, seed: 4), b = uniform([3], -2...2, seed: 5)
    // Training: each channel standardised over its 4 × 2 values.
    var want = [Double](repeating: 0, count: 24)
    for c in 0..<3 {
      let positions = (0..<4).flatMap { n in (0..<2).map { n * 6 + c * 2 + $0 } }
      for (p, v) in zip(positions, standardize(positions.map { x.doubles[$0] }, eps: 1e-5)) { want[p] = v * w.doubles[c] + b.doubles[c] }
    }
    expectClose(NN.batchNorm(x, runningMean: nil, runningVar: nil, weight: w, bias: b, training: true), want, atol: 1e-13, "training")
    // Evaluation: the running statistics.
    let mean = uniform([3], -1...1, seed: 6), variance = uniform([3], 0.5...2, seed: 7)
    let eval = (0..<24).map { i -> Double in
      let c = i / 2 % 3
      return (x.doubles[i] - mean.doubles[c]) / Foundation.sqrt(variance.doubles[c] + 1e-5) * w.doubles[c] + b.doubles[c]
    }
    expectClose(NN.batchNorm(x, runningMean: mean, runningVar: variance, weight: w, bias: b), eval, atol: 1e-13, "evaluation")
    // The inout form updates the statistics (unbiased variance) and returns the training output.
    var runningMean = Tensor.zeros([3]), runningVar = Tensor.ones([3])
    let y = NN.batchNorm(x, runningMean: &runningMean, runningVar: &runningVar, weight: w, bias: b, momentum: 0.25)
    expectClose(y, want, atol: 1e-13, "inout output")
    expectClose(runningMean, (x.mean(dims: [0, 2]) * 0.25).doubles, atol: 1e-14, "running mean")
    expectClose(runningVar, (0.75 + x.var(dims: [0, 2]) * 0.25).doubles, atol: 1e-14, "running var")
    expectGradients([[4, 3, 2], [3], [3]], dtypes: [.float64]) {
      [NN.batchNorm($0[0], runningMean: nil, runningVar: nil, weight: $0[1], bias: $0[2], training: true)]
    }
    expectGradcheck("evaluation", { [NN.batchNorm($0[0], runningMean: $0[1], runningVar: $0[2], weight: $0[3])] }, at: [x, mean, variance, w])
  }

  /// An empty 1-d input is returned empty, as PyTorch does (OpInfo's `batch_norm#4`, which
  /// stopped with "at least 2 dims"); its derivatives are empty, and the statistics get zero
  /// gradients. A 1-d input with values still stops.
  @Test func emptyOneDimensionalInput() async {
    let empty = Tensor.zeros([0])
    for training in [false, true] {
      let y = NN.batchNorm(empty, runningMean: empty, runningVar: empty, training: training)
      #expect(y.shape == [0] && y.dtype == .float64)
    }
    // The inout form too (OpInfo's `batch_norm#3`, training with running statistics): the
    // statistics are left as they are.
    var (runningMean, runningVar) = (empty, empty)
    #expect(NN.batchNorm(empty, runningMean: &runningMean, runningVar: &runningVar).shape == [0])
    #expect(runningMean.shape == [0] && runningVar.shape == [0])
    let (m, v) = (empty.requiringGrad(), empty.requiringGrad())
    let x = empty.requiringGrad()
    let g = gradients(of: [NN.batchNorm(x, runningMean: m, runningVar: v)], wrt: [x, m, v], seeds: [empty])
    #expect(g.map(\.shape) == [[0], [0], [0]])
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.batchNorm(Tensor.zeros([3]), runningMean: Tensor.zeros([3]), runningVar: Tensor.ones([3]))
    }
    expectMessage(r, "nn.functional.batch_norm: expected a real floating input [N, C, *] of at least 2 dims, got float64 [3]")
  }

  @Test func misuseStopsWithTheShapes() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.layerNorm(Tensor.zeros([3, 4]), normalizedShape: [3])
    }
    expectMessage(r0, "nn.functional.layer_norm: input [3, 4] does not end with normalizedShape [3]")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.groupNorm(Tensor.zeros([2, 6, 3]), numGroups: 4)
    }
    expectMessage(r1, "nn.functional.group_norm: 4 groups do not divide the 6 channels of input [2, 6, 3]")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.batchNorm(Tensor.zeros([1, 3]), runningMean: nil, runningVar: nil, training: true)
    }
    expectMessage(r2, "nn.functional.batch_norm: expected more than 1 value per channel when training, got input [1, 3]")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.batchNorm(Tensor.zeros([2, 3]), runningMean: nil, runningVar: nil)
    }
    expectMessage(r3, "needs runningMean and runningVar")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.layerNorm(Tensor.zeros([3, 4]), normalizedShape: [4], weight: Tensor.zeros([3]))
    }
    expectMessage(r4, "nn.functional.layer_norm: weight must be a float64 tensor of shape [4], got float64 [3]")
  }
}
