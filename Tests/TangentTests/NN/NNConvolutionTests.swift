import Foundation
import Testing
import TangentTesting

@testable import Tangent

// Convolutions, unfold/fold and pooling: values against loops over the windows, derivatives by
// gradcheck (complex128 for the convolutions, which PyTorch takes complex), misuse messages.

/// The element of a 4-d tensor, or zero outside its spatial dims.
private func at(_ x: Tensor, _ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Complex<Double> {
  guard h >= 0 && h < x.shape[2] && w >= 0 && w < x.shape[3] else { return .zero }
  return complexAt(x, [n, c, h, w])
}

/// A direct conv2d: a loop over outputs, groups and the kernel.
private func referenceConv2d(
  _ x: Tensor, _ w: Tensor, bias: Tensor?, stride: [Int], padding: [Int], dilation: [Int], groups: Int
) -> Tensor {
  let (n, h, wd) = (x.shape[0], x.shape[2], x.shape[3])
  let (o, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
  let oh = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1
  let ow = (wd + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1
  return complexReference([n, o, oh, ow]) { i in
    let g = i[1] / (o / groups)
    var s = bias.map { complexAt($0, [i[1]]) } ?? .zero
    for ci in 0..<cg {
      for a in 0..<kh {
        for b in 0..<kw {
          let xv = at(x, i[0], g * cg + ci, i[2] * stride[0] + a * dilation[0] - padding[0], i[3] * stride[1] + b * dilation[1] - padding[1])
          s += complexAt(w, [i[1], ci, a, b]) * xv
        }
      }
    }
    return s
  }
}

@Suite struct NNConvolutionTests {
  @Test func conv2d() {
    let v = complexInputs([[2, 4, 6, 5], [6, 2, 3, 2], [6]])
    let (x, w, b) = (v[0], v[1], v[2])
    for (stride, padding, dilation, groups) in [([1, 1], [0, 0], [1, 1], 1), ([2, 1], [1, 2], [1, 2], 2), ([1, 3], [2, 0], [2, 1], 1)] {
      let weight = groups == 1 ? Tensor.cat([w, w], dim: 1) : w
      let got = NN.conv2d(x, weight: weight, bias: b, stride: NN.Sizes(stride), padding: NN.Sizes(padding), dilation: NN.Sizes(dilation), groups: groups)
      let want = referenceConv2d(x, weight, bias: b, stride: stride, padding: padding, dilation: dilation, groups: groups)
      expectValues(got, want, atol: 1e-12, "stride \(stride) padding \(padding) dilation \(dilation) groups \(groups)")
    }
    // Unbatched input, and real float32.
    expectValues(NN.conv2d(x.select(dim: 0, index: 1), weight: w, groups: 2),
                 NN.conv2d(x, weight: w, groups: 2).select(dim: 0, index: 1), "unbatched")
    let y32 = NN.conv2d(x.real.converted(to: .float32), weight: w.real.converted(to: .float32), groups: 2)
    #expect(y32.dtype == .float32)
    expectClose(y32, NN.conv2d(x.real, weight: w.real, groups: 2).doubles, atol: 1e-4, "float32")
    expectGradients([[2, 3, 5, 4], [4, 3, 3, 2], [4]]) { [NN.conv2d($0[0], weight: $0[1], bias: $0[2], padding: 1)] }
    expectGradients([[1, 4, 5, 5], [4, 2, 2, 3]]) { [NN.conv2d($0[0], weight: $0[1], stride: [2, 1], dilation: [1, 2], groups: 2)] }
  }

  @Test func conv1d() {
    let v = complexInputs([[2, 3, 9], [4, 3, 3], [4]])
    let (x, w, b) = (v[0], v[1], v[2])
    let got = NN.conv1d(x, weight: w, bias: b, stride: 2, padding: 1, dilation: 2)
    let want = complexReference([2, 4, 4]) { i in
      var s = complexAt(b, [i[1]])
      for c in 0..<3 {
        for k in 0..<3 {
          let p = i[2] * 2 + k * 2 - 1
          if p >= 0 && p < 9 { s += complexAt(w, [i[1], c, k]) * complexAt(x, [i[0], c, p]) }
        }
      }
      return s
    }
    expectValues(got, want, "conv1d")
    expectValues(NN.conv1d(x.select(dim: 0, index: 0), weight: w), NN.conv1d(x, weight: w).select(dim: 0, index: 0), "unbatched")
    expectGradients([[2, 3, 9], [4, 3, 3], [4]]) { [NN.conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1)] }
  }

  @Test func convTranspose2d() {
    let v = complexInputs([[2, 4, 3, 3], [4, 3, 3, 2], [6]])
    let (x, w, b) = (v[0], v[1], v[2])
    for (stride, padding, outputPadding, dilation, groups) in [
      ([2, 2], [0, 0], [0, 0], [1, 1], 1), ([2, 3], [1, 1], [1, 2], [1, 1], 2), ([1, 2], [1, 0], [0, 1], [2, 1], 1),
    ] {
      let o = w.shape[1] * groups
      let oh = (3 - 1) * stride[0] - 2 * padding[0] + dilation[0] * 2 + outputPadding[0] + 1
      let ow = (3 - 1) * stride[1] - 2 * padding[1] + dilation[1] * 1 + outputPadding[1] + 1
      // Scatter each input element times the kernel into the output.
      var out = [Complex<Double>](repeating: .zero, count: 2 * o * oh * ow)
      for n in 0..<2 { for c in 0..<4 { for a in 0..<3 { for bb in 0..<3 { for oc in 0..<w.shape[1] { for i in 0..<3 { for j in 0..<2 {
        let g = c / (4 / groups)
        let (r, q) = (a * stride[0] + i * dilation[0] - padding[0], bb * stride[1] + j * dilation[1] - padding[1])
        guard r >= 0 && r < oh && q >= 0 && q < ow else { continue }
        out[((n * o + g * w.shape[1] + oc) * oh + r) * ow + q] += complexAt(x, [n, c, a, bb]) * complexAt(w, [c, oc, i, j])
      } } } } } } }
      let bias = b.narrowed(dim: 0, start: 0, length: o)
      let want = Tensor(shape: [2, o, oh, ow], scalars: out) + bias.reshaped([o, 1, 1])
      let got = NN.convTranspose2d(
        x, weight: w, bias: bias, stride: NN.Sizes(stride), padding: NN.Sizes(padding), outputPadding: NN.Sizes(outputPadding),
        groups: groups, dilation: NN.Sizes(dilation))
      expectValues(got, want, "stride \(stride) padding \(padding) outputPadding \(outputPadding) groups \(groups)")
    }
    // The transposed convolution is the adjoint of the convolution: ⟨conv(y, w), x⟩ = ⟨y, convT(x, w)⟩.
    var rng = TestRandom(seed: 3)
    let y = rng.tensor([2, 3, 8, 6]), weight = rng.tensor([4, 3, 3, 2]), z = rng.tensor([2, 4, 4, 4])
    let lhs = (NN.conv2d(y, weight: weight, stride: 2, padding: 1) * z).sum()
    let rhs = (y * NN.convTranspose2d(z, weight: weight, stride: 2, padding: 1, outputPadding: [1, 0])).sum()
    expectClose(lhs, rhs.doubles, atol: 1e-12, "adjoint of conv2d")
    expectGradients([[1, 3, 4, 4], [3, 2, 3, 3], [2]]) { [NN.convTranspose2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1, outputPadding: 1)] }
  }

  @Test func unfoldAndFold() {
    let x = grid([2, 2, 5, 4])
    let cols = NN.unfold(x, kernelSize: [2, 3], dilation: [2, 1], padding: 1, stride: [1, 2])
    // oh = (5 + 2 − 2 − 1)/1 + 1 = 5, ow = (4 + 2 − 2 − 1)/2 + 1 = 2.
    let want = reference([2, 12, 10]) { i in
      let (c, ki, kj) = (i[1] / 6, i[1] / 3 % 2, i[1] % 3)
      let (a, b) = (i[2] / 2, i[2] % 2)
      let (h, w) = (a + ki * 2 - 1, b * 2 + kj - 1)
      return h >= 0 && h < 5 && w >= 0 && w < 4 ? value(x, [i[0], c, h, w]) : 0
    }
    expectClose(cols, want.doubles, "unfold")
    #expect(cols.shape == [2, 12, 10])
    #expect(NN.unfold(x.select(dim: 0, index: 0), kernelSize: 2).shape == [8, 12])
    // fold is the adjoint: ⟨unfold(x), y⟩ = ⟨x, fold(y)⟩; with stride = kernel it inverts unfold.
    var rng = TestRandom(seed: 4)
    let u = rng.tensor([2, 2, 5, 4]), y = rng.tensor([2, 12, 10])
    let lhs = (NN.unfold(u, kernelSize: [2, 3], dilation: [2, 1], padding: 1, stride: [1, 2]) * y).sum()
    let rhs = (u * NN.fold(y, outputSize: [5, 4], kernelSize: [2, 3], dilation: [2, 1], padding: 1, stride: [1, 2])).sum()
    expectClose(lhs, rhs.doubles, atol: 1e-12, "adjoint")
    let tiles = grid([1, 2, 4, 6])
    expectClose(NN.fold(NN.unfold(tiles, kernelSize: 2, stride: 2), outputSize: [4, 6], kernelSize: 2, stride: 2), tiles.doubles, "round trip")
    // Overlapping windows add up: fold(unfold(ones)) counts the windows covering each position.
    let counts = NN.fold(NN.unfold(Tensor.ones([1, 1, 3, 3]), kernelSize: 2), outputSize: 3, kernelSize: 2)
    expectClose(counts, [1, 2, 1, 2, 4, 2, 1, 2, 1], "coverage")
    expectGradients([[1, 2, 4, 4]]) { [NN.unfold($0[0], kernelSize: 2, padding: 1)] }
    expectGradients([[2, 8, 6]]) { [NN.fold($0[0], outputSize: [4, 4], kernelSize: 2, dilation: [1, 2])] }
  }

  @Test func maxPool() {
    var rng = TestRandom(seed: 5)
    let x = rng.tensor([2, 2, 6, 5], in: -3...3)
    for (kernel, stride, padding, dilation, ceil) in [
      ([2, 2], [2, 2], [0, 0], [1, 1], false), ([3, 2], [2, 2], [1, 1], [1, 1], true), ([2, 3], [1, 2], [1, 0], [2, 1], true),
    ] {
      func blocks(_ n: Int, _ d: Int) -> Int {
        let span = n + 2 * padding[d] - dilation[d] * (kernel[d] - 1) - 1
        var out = (ceil ? span + stride[d] - 1 : span) / stride[d] + 1
        if ceil && (out - 1) * stride[d] >= n + padding[d] { out -= 1 }
        return out
      }
      let (oh, ow) = (blocks(6, 0), blocks(5, 1))
      var wantIndex: [Int64] = []
      let want = reference([2, 2, oh, ow]) { i in
        var best = -Double.infinity, where_ = -1
        for a in 0..<kernel[0] {
          for b in 0..<kernel[1] {
            let (h, w) = (i[2] * stride[0] + a * dilation[0] - padding[0], i[3] * stride[1] + b * dilation[1] - padding[1])
            if h >= 0 && h < 6 && w >= 0 && w < 5 && value(x, [i[0], i[1], h, w]) > best { best = value(x, [i[0], i[1], h, w]); where_ = h * 5 + w }
          }
        }
        wantIndex.append(Int64(where_))
        return best
      }
      let (values, indices) = NN.maxPool2dWithIndices(
        x, kernelSize: NN.Sizes(kernel), stride: NN.Sizes(stride), padding: NN.Sizes(padding), dilation: NN.Sizes(dilation), ceilMode: ceil)
      #expect(values.shape == [2, 2, oh, ow], "shape \(values.shape) for kernel \(kernel)")
      expectClose(values, want.doubles, "max pool kernel \(kernel) stride \(stride) padding \(padding) dilation \(dilation) ceil \(ceil)")
      #expect(indices.scalars(as: Int64.self) == wantIndex, "indices for kernel \(kernel)")
    }
    // The gradient goes to each window's maximum; 1-d is a height-1 2-d pooling.
    let g = gradient(of: { NN.maxPool2d($0, kernelSize: 2).sum() }, at: Tensor(shape: [1, 1, 2, 2], scalars: [1.0, 4, 3, 2]))
    expectClose(g, [0, 1, 0, 0], "gradient at the maximum")
    let s = rng.tensor([2, 3, 8])
    expectClose(NN.maxPool1d(s, kernelSize: 3, stride: 2, padding: 1), NN.maxPool2d(s.unsqueezed(dim: 2), kernelSize: [1, 3], stride: [1, 2], padding: [0, 1]).doubles, "1-d")
    expectGradients([[1, 2, 5, 5]], dtypes: [.float64]) { [NN.maxPool2d($0[0], kernelSize: 3, stride: 2, padding: 1, ceilMode: true)] }
    expectGradients([[2, 7]], dtypes: [.float64]) { [NN.maxPool1d($0[0], kernelSize: 2, dilation: 2)] }
  }

  @Test func avgPool() {
    let x = grid([1, 2, 5, 6])
    for (kernel, stride, padding, ceil, includePad) in [
      ([2, 2], [2, 2], [0, 0], false, true), ([3, 3], [2, 2], [1, 1], false, true), ([3, 2], [2, 2], [1, 1], true, false),
      ([3, 3], [2, 3], [1, 1], true, true),
    ] {
      func blocks(_ n: Int, _ d: Int) -> Int {
        let span = n + 2 * padding[d] - kernel[d]
        var out = (ceil ? span + stride[d] - 1 : span) / stride[d] + 1
        if ceil && (out - 1) * stride[d] >= n + padding[d] { out -= 1 }
        return out
      }
      let (oh, ow) = (blocks(5, 0), blocks(6, 1))
      let want = reference([1, 2, oh, ow]) { i in
        let (h0, w0) = (i[2] * stride[0] - padding[0], i[3] * stride[1] - padding[1])
        let (h1, w1) = (Swift.min(h0 + kernel[0], 5 + padding[0]), Swift.min(w0 + kernel[1], 6 + padding[1]))
        var sum = 0.0, inside = 0
        for h in Swift.max(h0, 0)..<Swift.min(h1, 5) { for w in Swift.max(w0, 0)..<Swift.min(w1, 6) { sum += value(x, [0, i[1], h, w]); inside += 1 } }
        return sum / Double(includePad ? (h1 - h0) * (w1 - w0) : inside)
      }
      let got = NN.avgPool2d(x, kernelSize: NN.Sizes(kernel), stride: NN.Sizes(stride), padding: NN.Sizes(padding), ceilMode: ceil, countIncludePad: includePad)
      #expect(got.shape == want.shape)
      expectClose(got, want.doubles, "avg pool kernel \(kernel) stride \(stride) padding \(padding) ceil \(ceil) includePad \(includePad)")
    }
    expectClose(NN.avgPool2d(Tensor.ones([1, 4, 4]), kernelSize: 2, divisorOverride: 3), [Double](repeating: 4.0 / 3, count: 4), "divisor")
    expectGradients([[1, 2, 5, 6]], dtypes: [.float64]) { [NN.avgPool2d($0[0], kernelSize: [3, 2], stride: 2, padding: 1, ceilMode: true, countIncludePad: false)] }
  }

  @Test func adaptiveAvgPool() {
    let x = grid([1, 2, 7, 5])
    let want = reference([1, 2, 3, 2]) { i in
      let (h0, h1) = (i[2] * 7 / 3, ((i[2] + 1) * 7 + 2) / 3), (w0, w1) = (i[3] * 5 / 2, ((i[3] + 1) * 5 + 1) / 2)
      var sum = 0.0
      for h in h0..<h1 { for w in w0..<w1 { sum += value(x, [0, i[1], h, w]) } }
      return sum / Double((h1 - h0) * (w1 - w0))
    }
    expectClose(NN.adaptiveAvgPool2d(x, outputSize: [3, 2]), want.doubles, "[3, 2]")
    expectClose(NN.adaptiveAvgPool2d(x, outputSize: [7, nil]), x.doubles, "identity")
    expectClose(NN.adaptiveAvgPool2d(x, outputSize: 1), x.mean(dims: [2, 3]).doubles, "global average")
    // With sizes that divide, it is the average pooling.
    let y = grid([2, 6, 4])
    expectClose(NN.adaptiveAvgPool2d(y, outputSize: [3, 2]), NN.avgPool2d(y, kernelSize: 2).doubles, "as avg pool")
    expectGradients([[1, 2, 7, 5]], dtypes: [.float64]) { [NN.adaptiveAvgPool2d($0[0], outputSize: [3, 2])] }
  }

  @Test func misuseStopsWithTheShapes() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.conv2d(Tensor.zeros([1, 3, 5, 5]), weight: Tensor.zeros([4, 2, 3, 3]))
    }
    expectMessage(r0, "nn.functional.conv2d: weight [4, 2, 3, 3] expects 2 input channels (2 × 1 groups), input [1, 3, 5, 5] has 3")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.conv2d(Tensor.zeros([1, 3, 2, 2]), weight: Tensor.zeros([4, 3, 3, 3]))
    }
    expectMessage(r1, "nn.functional.conv2d: a window of kernel [3, 3], dilation [1, 1] does not fit in input [1, 3, 2, 2]")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.conv2d(Tensor.zeros([1, 4, 5, 5]), weight: Tensor.zeros([3, 2, 3, 3]), groups: 2)
    }
    expectMessage(r2, "nn.functional.conv2d: 2 groups must divide the 4 input and 3 output channels")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.maxPool2d(Tensor.zeros([1, 1, 4, 4]), kernelSize: 2, padding: 2)
    }
    expectMessage(r3, "nn.functional.max_pool2d: padding [2, 2] must be at most half of the kernel [2, 2]")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.convTranspose2d(Tensor.zeros([1, 2, 3, 3]), weight: Tensor.zeros([2, 2, 3, 3]), stride: 2, outputPadding: 2)
    }
    expectMessage(r4, "nn.functional.conv_transpose2d: outputPadding [2, 2] must be smaller than the stride [2, 2] or the dilation [1, 1]")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.fold(Tensor.zeros([1, 8, 8]), outputSize: 4, kernelSize: 2)
    }
    expectMessage(r5, "nn.functional.fold: input [1, 8, 8] has 8 blocks, but output [4, 4] gives 3 × 3")
    let r6 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.unfold(Tensor.zeros([1, 1, 4, 4]), kernelSize: [2, 2, 2])
    }
    expectMessage(r6, "nn.functional.unfold: kernelSize [2, 2, 2] must have 1 or 2 values")
    await #expect(processExitsWith: .failure) { _ = NN.conv2d(Tensor.zeros([3, 5, 5]), weight: Tensor.zeros([2, 3, 3])) }
    await #expect(processExitsWith: .failure) { _ = NN.avgPool2d(Tensor.zeros([4, 4]), kernelSize: 2) }
  }
}
