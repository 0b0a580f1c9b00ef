import Foundation
import Testing
import TangentTesting

@testable import Tangent

// The pooling of 1 and 3 spatial dims and the adaptive max pooling of NN: values against
// loops over the windows and against the 2-d pools; derivatives are checked by the op database.

@Suite struct NNPoolingTests {
  @Test func oneDimensionalPoolsMatchTheTwoDimensionalOnes() {
    let x = uniform([2, 3, 9], -2...2, seed: 21), image = x.unsqueezed(dim: -2)
    for (padding, ceil, count) in [(0, false, true), (1, true, false), (1, false, true)] {
      let got = NN.avgPool1d(x, kernelSize: 3, stride: 2, padding: padding, ceilMode: ceil, countIncludePad: count)
      let want = NN.avgPool2d(image, kernelSize: [1, 3], stride: [1, 2], padding: [0, padding], ceilMode: ceil, countIncludePad: count)
      expectClose(got, want.squeezed(dim: -2).doubles, atol: 1e-14, "avg padding \(padding) ceil \(ceil)")
    }
    expectClose(NN.adaptiveAvgPool1d(x, outputSize: 4), NN.adaptiveAvgPool2d(image, outputSize: [1, 4]).doubles, atol: 1e-14, "adaptive avg")
  }

  @Test func threeDimensionalPoolsAgainstLoops() {
    let x = uniform([1, 2, 4, 5, 3], -2...2, seed: 22)
    let v = x.doubles
    func at(_ c: Int, _ d: Int, _ h: Int, _ w: Int) -> Double? {
      guard (0..<4).contains(d), (0..<5).contains(h), (0..<3).contains(w) else { return nil }
      return v[((c * 4 + d) * 5 + h) * 3 + w]
    }
    // Kernel 2, stride 2, padding 1: windows start at −1, 1, 3 (depth, height) and −1, 1 (width).
    var maxWant: [Double] = [], avgWant: [Double] = []
    for c in 0..<2 {
      for a in 0..<3 {
        for b in 0..<3 {
          for e in 0..<2 {
            let window = (0..<2).flatMap { i in (0..<2).flatMap { j in (0..<2).compactMap { l in at(c, 2 * a - 1 + i, 2 * b - 1 + j, 2 * e - 1 + l) } } }
            maxWant.append(window.max()!)
            avgWant.append(window.reduce(0, +) / 8)
          }
        }
      }
    }
    expectClose(NN.maxPool3d(x, kernelSize: 2, stride: 2, padding: 1), maxWant, atol: 0, "max")
    expectClose(NN.avgPool3d(x, kernelSize: 2, stride: 2, padding: 1), avgWant, atol: 1e-14, "avg")
    // A kernel of depth 1 is the 2-d pool of each slice.
    let slices = x.movedim(2, to: 1).reshaped([4, 2, 5, 3])
    let want = NN.maxPool2d(slices, kernelSize: [3, 2], stride: 1, padding: 1, dilation: [1, 2]).reshaped([1, 4, 2, 5, 3]).movedim(1, to: 2)
    expectClose(NN.maxPool3d(x, kernelSize: [1, 3, 2], stride: 1, padding: [0, 1, 1], dilation: [1, 1, 2]), want.doubles, atol: 0, "slices")
  }

  @Test func adaptivePoolsAgainstLoops() {
    let x = uniform([2, 7, 5], -2...2, seed: 23), v = x.doubles
    var want: [Double] = []
    for c in 0..<2 {
      for a in 0..<3 {
        for b in 0..<2 {
          let rows = (a * 7 / 3)..<((a + 1) * 7 + 2) / 3, columns = (b * 5 / 2)..<((b + 1) * 5 + 1) / 2
          want.append(rows.flatMap { r in columns.map { v[(c * 7 + r) * 5 + $0] } }.max()!)
        }
      }
    }
    expectClose(NN.adaptiveMaxPool2d(x, outputSize: [3, 2]), want, atol: 0, "adaptive max 2d")
    expectClose(NN.adaptiveMaxPool3d(x.unsqueezed(dim: 1), outputSize: [1, 3, 2]), want, atol: 0, "adaptive max 3d")
    expectClose(NN.adaptiveMaxPool1d(x, outputSize: 1), x.max(dim: -1).values.doubles, atol: 0, "adaptive max 1d, one window")
    let y = uniform([2, 3, 4, 5], -2...2, seed: 24)
    expectClose(NN.adaptiveAvgPool3d(y, outputSize: [nil, 4, 5]), y.doubles, atol: 1e-14, "identity")
    expectClose(NN.adaptiveAvgPool3d(y, outputSize: 1), y.reshaped([2, 60]).mean(dims: [1]).doubles, atol: 1e-14, "global mean")
  }
}

@Suite struct NNFractionalPoolingTests {
  @Test func windowStartsFollowPyTorch() {
    // α = (10 − 2)/(5 − 1) = 2 with u = 0.5: starts ⌊(i + 0.5)·2⌋ − 1 = 0, 2, 4, 6, and the last 8.
    #expect(NN.fractionalStarts(0.5, 10, 5, 2) == [0, 2, 4, 6, 8])
    // α = (7 − 2)/(4 − 1) = 5/3 with u = 0.3: ⌊0.5⌋ − 0, ⌊2.1666⌋ − 0, ⌊3.8333⌋ − 0, then 5.
    #expect(NN.fractionalStarts(0.3, 7, 4, 2) == [0, 2, 3, 5])
    #expect(NN.fractionalStarts(0.9, 6, 1, 3) == [3])
  }

  @Test func fractionalMaxPoolAgainstLoops() {
    let x = uniform([1, 2, 7, 6], -2...2, seed: 61), samples = Tensor(shape: [1, 2, 2], scalars: [0.3, 0.6, 0.8, 0.1])
    let y = NN.fractionalMaxPool2d(x, kernelSize: 2, outputSize: [4, 3], randomSamples: samples)
    var want: [Double] = []
    for c in 0..<2 {
      let columns = NN.fractionalStarts(samples.doubles[2 * c], 6, 3, 2), rows = NN.fractionalStarts(samples.doubles[2 * c + 1], 7, 4, 2)
      for r in rows {
        for s in columns {
          want.append([(r, s), (r, s + 1), (r + 1, s), (r + 1, s + 1)].map { x.doubles[(c * 7 + $0.0) * 6 + $0.1] }.max()!)
        }
      }
    }
    expectClose(y, want, atol: 0, "2d")
    // Seeded draws are reproducible, and the ratio gives ⌊size·ratio⌋.
    var g = SeededGenerator(seed: 1), h = SeededGenerator(seed: 1)
    let a = NN.fractionalMaxPool3d(uniform([2, 5, 6, 4], -1...1, seed: 62), kernelSize: 2, outputRatio: [0.5], using: &g)
    let b = NN.fractionalMaxPool3d(uniform([2, 5, 6, 4], -1...1, seed: 62), kernelSize: 2, outputRatio: [0.5], using: &h)
    #expect(a.shape == [2, 2, 3, 2] && a.doubles == b.doubles)
  }
}

@Suite struct NNNewOpsMisuseTests {
  @Test func misuseStopsWithTheShapes() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.cosineEmbeddingLoss(Tensor.zeros([3, 4]), Tensor.zeros([3, 4]), Tensor.zeros([4]))
    }
    expectMessage(r0, "nn.functional.cosine_embedding_loss: expected inputs [N, D] or [D] of one shape and a target [N] (or 0-d), got [3, 4], [3, 4] and [4]")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.maxPool3d(Tensor.zeros([1, 1, 2, 2, 2]), kernelSize: 3)
    }
    expectMessage(r1, "nn.functional.max_pool3d: a window of kernel 3, dilation 1 does not fit in input [1, 1, 2, 2, 2] padded by 0")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.channelShuffle(Tensor.zeros([1, 6, 2]), groups: 4)
    }
    expectMessage(r2, "nn.functional.channel_shuffle: 4 groups do not divide the 6 channels of input [1, 6, 2]")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.conv3d(Tensor.zeros([1, 2, 3, 3, 3]), weight: Tensor.zeros([4, 3, 2, 2, 2]))
    }
    expectMessage(r3, "nn.functional.conv3d: weight [4, 3, 2, 2, 2] expects 3 input channels (3 × 1 groups), input [1, 2, 3, 3, 3] has 2")
  }
}
