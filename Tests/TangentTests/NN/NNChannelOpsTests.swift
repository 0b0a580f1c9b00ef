import Foundation
import Testing
import TangentTesting

@testable import Tangent

// Instance and local response normalisation, channel shuffles, conv_transpose1d and conv3d:
// values against loops and against the 2-d ops; derivatives are checked by the op database.

@Suite struct NNChannelOpsTests {
  @Test func instanceNorm() {
    let x = uniform([2, 3, 4], -2...2, seed: 31), w = Tensor([0.5, 1, 2]), b = Tensor([0.1, -0.2, 0.3])
    var want: [Double] = []
    for n in 0..<2 {
      for c in 0..<3 {
        let v = (0..<4).map { x.doubles[(n * 3 + c) * 4 + $0] }
        let mean = v.reduce(0, +) / 4, variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
        want += v.map { ($0 - mean) / (variance + 1e-5).squareRoot() * w.doubles[c] + b.doubles[c] }
      }
    }
    expectClose(NN.instanceNorm(x, weight: w, bias: b), want, atol: 1e-13, "input statistics")
    let (m, v) = (Tensor([0.1, 0.2, -0.3]), Tensor([1.5, 0.5, 2]))
    expectClose(
      NN.instanceNorm(x, runningMean: m, runningVar: v, useInputStats: false),
      NN.batchNorm(x, runningMean: m, runningVar: v).doubles, atol: 1e-14, "running statistics")
  }

  @Test func localResponseNorm() {
    let x = uniform([2, 5, 3], -2...2, seed: 32)
    for size in [1, 2, 3, 4] {
      var want: [Double] = []
      for n in 0..<2 {
        for c in 0..<5 {
          for s in 0..<3 {
            let neighbours = (c - size / 2..<c - size / 2 + size).filter { (0..<5).contains($0) }
            let sum = neighbours.map { Foundation.pow(x.doubles[(n * 5 + $0) * 3 + s], 2) }.reduce(0, +)
            want.append(x.doubles[(n * 5 + c) * 3 + s] / Foundation.pow(2 + 0.3 * sum / Double(size), 0.6))
          }
        }
      }
      expectClose(NN.localResponseNorm(x, size: size, alpha: 0.3, beta: 0.6, k: 2), want, atol: 1e-13, "size \(size)")
    }
  }

  @Test func channelShuffle() {
    let x = Tensor(shape: [1, 6, 1], scalars: (0..<6).map(Double.init))
    expectClose(NN.channelShuffle(x, groups: 2), [0, 3, 1, 4, 2, 5], atol: 0, "2 groups")
    expectClose(NN.channelShuffle(x, groups: 3), [0, 2, 4, 1, 3, 5], atol: 0, "3 groups")
  }

  @Test func convolutionsMatchTheTwoDimensionalOnes() {
    let x = uniform([2, 4, 5], -1...1, seed: 33), w = uniform([4, 1, 3], -1...1, seed: 34), b = Tensor([0.5, -0.5])
    let got = NN.convTranspose1d(x, weight: w, bias: b, stride: 2, padding: 1, outputPadding: 1, groups: 2, dilation: 1)
    let want = NN.convTranspose2d(
      x.unsqueezed(dim: 2), weight: w.unsqueezed(dim: 2), bias: b, stride: [1, 2], padding: [0, 1], outputPadding: [0, 1], groups: 2)
    expectClose(got, want.squeezed(dim: 2).doubles, atol: 1e-14, "conv_transpose1d")
    // A volume of depth 1 with a kernel of depth 1 is conv2d.
    let image = uniform([2, 3, 5, 4], -1...1, seed: 35), kernel = uniform([4, 3, 2, 3], -1...1, seed: 36)
    expectClose(
      NN.conv3d(image.unsqueezed(dim: 2), weight: kernel.unsqueezed(dim: 2), padding: [0, 1, 1], dilation: [1, 2, 1]),
      NN.conv2d(image, weight: kernel, padding: 1, dilation: [2, 1]).doubles, atol: 1e-13, "conv3d of depth 1")
    // Depth against a loop over conv2d of the slices: kernel depth 2, stride 2, padding 1.
    let volume = uniform([1, 2, 5, 3, 3], -1...1, seed: 37), filters = uniform([3, 2, 2, 2, 2], -1...1, seed: 38)
    let y = NN.conv3d(volume, weight: filters, stride: [2, 1, 1], padding: [1, 0, 0])
    #expect(y.shape == [1, 3, 3, 2, 2])
    for a in 0..<3 {
      var slice = Tensor.zeros([1, 3, 2, 2])
      for i in 0..<2 where (0..<5).contains(2 * a + i - 1) {
        slice = slice + NN.conv2d(volume.select(dim: 2, index: 2 * a + i - 1), weight: filters.select(dim: 2, index: i))
      }
      expectClose(y.select(dim: 2, index: a), slice.doubles, atol: 1e-13, "depth \(a)")
    }
  }
}

@Suite struct NNTransposedOpsTests {
  @Test func convTranspose3dIsTheAdjointOfConv3d() {
    // ⟨conv3d(x, w), y⟩ = ⟨x, convTranspose3d(y, w)⟩ for the matching geometry.
    let x = uniform([1, 2, 5, 4, 5], -1...1, seed: 41), w = uniform([3, 2, 2, 3, 2], -1...1, seed: 42)
    let stride: NN.Sizes = [2, 1, 2], padding: NN.Sizes = [1, 1, 0], dilation: NN.Sizes = [1, 1, 2]
    let conv = NN.conv3d(x, weight: w, stride: stride, padding: padding, dilation: dilation)
    let y = uniform(conv.shape, -1...1, seed: 43)
    let back = NN.convTranspose3d(y, weight: w, stride: stride, padding: padding, outputPadding: [1, 0, 0], dilation: dilation)
    #expect(back.shape == x.shape)
    expectClose((conv * y).sum(), [(x * back).sum().doubles[0]], atol: 1e-12, "adjoint")
    // A depth of 1 is convTranspose2d.
    let image = uniform([2, 3, 3, 2], -1...1, seed: 44), kernel = uniform([3, 2, 2, 3], -1...1, seed: 45)
    expectClose(
      NN.convTranspose3d(image.unsqueezed(dim: 2), weight: kernel.unsqueezed(dim: 2), bias: Tensor([1.0, -1]), stride: [1, 2, 1]),
      NN.convTranspose2d(image, weight: kernel, bias: Tensor([1.0, -1]), stride: [2, 1]).doubles, atol: 1e-13, "depth 1")
  }

  @Test func maxPool2dBackwardIsThePullbackOfMaxPool() {
    let x = uniform([2, 2, 6, 5], -1...1, seed: 47)
    let pooled = NN.maxPool2dWithIndices(x, kernelSize: 3, stride: 2, padding: 1)
    let g = uniform(pooled.values.shape, -1...1, seed: 48)
    let (_, pullback) = vjp(of: { NN.maxPool2d($0, kernelSize: 3, stride: 2, padding: 1) }, at: x)
    expectClose(NN.maxPool2dBackward(g, input: x, indices: pooled.indices), pullback(g).doubles, atol: 1e-15, "pullback")
  }

  @Test func maxUnpoolInvertsMaxPool() {
    let x = uniform([2, 3, 4, 6], 0.1...1, seed: 46)
    let pooled = NN.maxPool2dWithIndices(x, kernelSize: 2)
    let restored = NN.maxUnpool2d(pooled.values, indices: pooled.indices, kernelSize: 2)
    #expect(restored.shape == x.shape)
    // Each maximum is back in its place; everything else is 0.
    let kept = zip(x.doubles, restored.doubles).filter { $0.1 != 0 }
    #expect(kept.count == 2 * 3 * 2 * 3 && kept.allSatisfy { $0.0 == $0.1 })
    expectClose(NN.maxPool2d(restored, kernelSize: 2), pooled.values.doubles, atol: 0, "pooling again")
    let signal = Tensor(shape: [1, 1, 2], scalars: [5.0, 7]), where1d = Tensor(shape: [1, 1, 2], scalars: [1, 2] as [Int64])
    expectClose(NN.maxUnpool1d(signal, indices: where1d, kernelSize: 2), [0, 5, 7, 0], atol: 0, "1d")
    let volume = NN.maxUnpool3d(Tensor(shape: [1, 1, 1, 1], scalars: [3.0]), indices: Tensor(shape: [1, 1, 1, 1], scalars: [6] as [Int64]), kernelSize: 2)
    expectClose(volume, [0, 0, 0, 0, 0, 0, 3, 0], atol: 0, "3d")
  }
}

@Suite struct NNNativeNormalizationTests {
  @Test func savedStatistics() {
    let x = uniform([4, 3, 2], -2...2, seed: 81)
    let r = NN.nativeBatchNorm(x, weight: nil, bias: nil, runningMean: nil, runningVar: nil, training: true)
    expectClose(r.output, NN.batchNorm(x, runningMean: nil, runningVar: nil, training: true).doubles, atol: 0, "output")
    for c in 0..<3 {
      let v = (0..<4).flatMap { n in (0..<2).map { x.doubles[(n * 3 + c) * 2 + $0] } }
      let mean = v.reduce(0, +) / 8, variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
      expectClose([r.saveMean.doubles[c], r.saveInvstd.doubles[c]], [mean, 1 / (variance + 1e-5).squareRoot()], atol: 1e-13, "channel \(c)")
    }
    let evaluation = NN.nativeBatchNorm(x, weight: nil, bias: nil, runningMean: Tensor.zeros([3]), runningVar: Tensor.ones([3]), training: false)
    #expect(evaluation.saveMean.shape == [0] && evaluation.saveInvstd.shape == [0])
    let g = NN.nativeGroupNorm(uniform([2, 4, 3], -2...2, seed: 82), weight: nil, bias: nil, numGroups: 2, eps: 1e-5)
    #expect(g.mean.shape == [2, 2] && g.rstd.shape == [2, 2])
    let y = uniform([2, 4, 3], -2...2, seed: 82), group = Array(y.doubles[6..<12])
    let mean = group.reduce(0, +) / 6, variance = group.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
    expectClose([g.mean.doubles[1], g.rstd.doubles[1]], [mean, 1 / (variance + 1e-5).squareRoot()], atol: 1e-13, "group 1 of sample 0")
  }
}
