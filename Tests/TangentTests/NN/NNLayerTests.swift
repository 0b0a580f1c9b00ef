import Foundation
import Testing
import TangentTesting

@testable import Tangent

// Embedding, glu, prelu, pixel shuffles, interpolate and attention: values against loops,
// derivatives by gradcheck (complex128 where PyTorch takes complex), misuse messages.

@Suite struct NNLayerTests {
  @Test func embedding() {
    let w = complexInputs([[5, 3]])[0]
    let idx = Tensor(shape: [2, 3], scalars: [4, 0, 2, 2, 4, 1] as [Int64])
    let want = complexReference([2, 3, 3]) { i in
      let row = Int(idx.scalars(as: Int64.self)[i[0] * 3 + i[1]])
      return complexAt(w, [row < 0 ? row + 5 : row, i[2]])
    }
    expectValues(NN.embedding(idx, weight: w), want, "embedding")
    expectValues(NN.embedding(Tensor(Int64(3)), weight: w), w.select(dim: 0, index: 3), "0-d index")
    // Repeated rows accumulate their gradients; the padding row gets none, but is still read.
    let real = w.real
    let g = gradient(of: { NN.embedding(idx, weight: $0).sum() }, at: real)
    expectClose(g, [1, 1, 1, 1, 1, 1, 2, 2, 2, 0, 0, 0, 2, 2, 2], "row counts")
    let padded = gradient(of: { NN.embedding(idx, weight: $0, paddingIndex: 2).sum() }, at: real)
    expectClose(padded, [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 2], "padding row")
    expectClose(NN.embedding(idx, weight: real, paddingIndex: -3), NN.embedding(idx, weight: real).doubles, "padding row is read")
    expectGradients([[5, 3]]) { [NN.embedding(idx, weight: $0[0])] }
  }

  @Test func glu() {
    let x = uniform([3, 4], -2...2, seed: 3)
    let want = reference([3, 2]) { i in value(x, [i[0], i[1]]) / (1 + Foundation.exp(-value(x, [i[0], i[1] + 2]))) }
    expectClose(NN.glu(x), want.doubles, atol: 1e-14, "last dim")
    let t = uniform([4, 3, 2], -2...2, seed: 4)
    expectClose(NN.glu(t, dim: 0), (t.narrowed(dim: 0, start: 0, length: 2) * t.narrowed(dim: 0, start: 2, length: 2).sigmoid()).doubles, "dim 0")
    expectGradients([[3, 4]], dtypes: [.float64]) { [NN.glu($0[0])] }
    expectGradients([[4, 3, 2]], dtypes: [.float64]) { [NN.glu($0[0], dim: 0)] }
  }

  @Test func prelu() {
    var rng = TestRandom(seed: 5)
    let x = rng.tensor([2, 3, 4], dtype: .float64, in: -2...2, avoiding: [0]), w = uniform([3], 0...1, seed: 6)
    let want = reference([2, 3, 4]) { i in
      let v = value(x, i)
      return v > 0 ? v : value(w, [i[1]]) * v
    }
    expectClose(NN.prelu(x, weight: w), want.doubles, "per channel")
    let s = uniform([1], 0...1, seed: 7)
    expectClose(NN.prelu(x, weight: s), x.doubles.map { $0 > 0 ? $0 : s.doubles[0] * $0 }, "one slope")
    expectClose(NN.prelu(x.select(dim: 0, index: 0).select(dim: 0, index: 0), weight: s),
                x.doubles.prefix(4).map { $0 > 0 ? $0 : s.doubles[0] * $0 }, "1-d input")
    expectGradcheck("prelu", { [NN.prelu($0[0], weight: $0[1])] }, at: [x, w])
  }

  @Test func pixelShuffle() {
    let x = grid([2, 8, 2, 3])
    let y = NN.pixelShuffle(x, upscaleFactor: 2)
    #expect(y.shape == [2, 2, 4, 6])
    let want = reference([2, 2, 4, 6]) { i in value(x, [i[0], (i[1] * 2 + i[2] % 2) * 2 + i[3] % 2, i[2] / 2, i[3] / 2]) }
    expectClose(y, want.doubles, "shuffle")
    expectClose(NN.pixelUnshuffle(y, downscaleFactor: 2), x.doubles, "unshuffle inverts")
    expectGradients([[1, 9, 2, 1]]) { [NN.pixelShuffle($0[0], upscaleFactor: 3)] }
    expectGradients([[2, 1, 4, 2]]) { [NN.pixelUnshuffle($0[0], downscaleFactor: 2)] }
  }

  @Test func interpolateNearest() {
    let x = Tensor(shape: [1, 1, 3], scalars: [1.0, 2, 3])
    expectClose(NN.interpolate(x, scaleFactor: [2]), [1, 1, 2, 2, 3, 3], "nearest × 2")
    expectClose(NN.interpolate(x, size: 5), [1, 1, 2, 2, 3], "nearest to 5")
    expectClose(NN.interpolate(x, size: 5, mode: .nearestExact), [1, 1, 2, 3, 3], "nearest-exact to 5")
    expectClose(NN.interpolate(x, size: 2), [1, 2], "nearest down to 2")
    let image = grid([1, 2, 2, 3])
    let up = NN.interpolate(image, scaleFactor: [2, 1.5])
    #expect(up.shape == [1, 2, 4, 4])
    expectClose(up, reference([1, 2, 4, 4]) { i in value(image, [0, i[1], i[2] / 2, Int((Float(i[3]) / 1.5).rounded(.down))]) }.doubles, "2-d")
    expectGradients([[1, 2, 2, 3]], dtypes: [.float64]) { [NN.interpolate($0[0], size: [3, 5])] }
  }

  @Test func interpolateLinear() {
    let x = Tensor(shape: [1, 1, 2], scalars: [0.0, 1])
    expectClose(NN.interpolate(x, size: 4, mode: .linear), [0, 0.25, 0.75, 1], "half-pixel centres")
    expectClose(NN.interpolate(x, size: 3, mode: .linear, alignCorners: true), [0, 0.5, 1], "corners aligned")
    // Bilinear against the four-neighbour formula at each output position.
    let image = uniform([2, 1, 3, 4], -1...1, seed: 3)
    for (size, align) in [([5, 7], false), ([5, 7], true), ([2, 3], false)] {
      func source(_ dst: Int, _ n: Int, _ m: Int) -> (Int, Int, Double) {
        var s = align ? Double(dst) * Double(n - 1) / Double(Swift.max(m - 1, 1)) : (Double(dst) + 0.5) * Double(n) / Double(m) - 0.5
        s = Swift.max(s, 0)
        let i0 = Swift.min(Int(s), n - 1)
        return (i0, Swift.min(i0 + 1, n - 1), s - Double(i0))
      }
      let want = reference([2, 1] + size) { i in
        let (h0, h1, a) = source(i[2], 3, size[0]), (w0, w1, b) = source(i[3], 4, size[1])
        let v = { (h: Int, w: Int) in value(image, [i[0], 0, h, w]) }
        return (1 - a) * ((1 - b) * v(h0, w0) + b * v(h0, w1)) + a * ((1 - b) * v(h1, w0) + b * v(h1, w1))
      }
      expectClose(NN.interpolate(image, size: NN.Sizes(size), mode: .bilinear, alignCorners: align), want.doubles, atol: 1e-14, "bilinear \(size) \(align)")
    }
    // Trilinear is bilinear in the last two dims after linear along the first.
    let volume = uniform([1, 1, 2, 3, 2], -1...1, seed: 4)
    let tri = NN.interpolate(volume, size: [3, 4, 3], mode: .trilinear)
    let byDims = NN.interpolate(
      NN.interpolate(volume.reshaped([1, 2, 6]).transposed(1, 2), size: 3, mode: .linear).transposed(1, 2).reshaped([1, 3, 3, 2]),
      size: [4, 3], mode: .bilinear)
    expectClose(tri, byDims.doubles, atol: 1e-14, "trilinear is separable")
    expectGradients([[1, 2, 3, 4]], dtypes: [.float64]) { [NN.interpolate($0[0], scaleFactor: [2], mode: .bilinear)] }
    expectGradients([[1, 1, 2, 3, 2]], dtypes: [.float64]) { [NN.interpolate($0[0], size: [3, 2, 4], mode: .trilinear, alignCorners: true)] }
  }

  @Test func interpolateBicubicAndArea() {
    // Cubic convolution reproduces constants and (away from the clamped edges) linear ramps.
    expectClose(NN.interpolate(Tensor.full([1, 1, 3, 4], 2.5), size: [5, 7], mode: .bicubic), [Double](repeating: 2.5, count: 35), atol: 1e-14, "constant")
    let ramp = reference([1, 1, 1, 8]) { i in Double(i[3]) }
    let upRamp = NN.interpolate(ramp, size: [1, 15], mode: .bicubic, alignCorners: true)
    expectClose(Array(upRamp.doubles[2..<13]), (2..<13).map { Double($0) / 2 }, atol: 1e-14, "linear ramp")
    // Halfway between samples 1 and 2 (t = ½) the weights of samples 0…3 are −3/32, 19/32,
    // 19/32, −3/32 (Keys, a = −0.75): −1·3/32 + 2·19/32 + 4·19/32 − 8·3/32 = 2.71875.
    let row = Tensor(shape: [1, 1, 1, 4], scalars: [1.0, 2, 4, 8])
    expectClose([NN.interpolate(row, size: [1, 7], mode: .bicubic, alignCorners: true).doubles[3]], [2.71875], atol: 1e-14, "midpoint")
    let image = grid([1, 2, 6, 4])
    expectClose(NN.interpolate(image, size: [3, 2], mode: .area), NN.avgPool2d(image, kernelSize: 2).doubles, "area")
    expectGradients([[1, 1, 4, 3]], dtypes: [.float64]) { [NN.interpolate($0[0], size: [5, 6], mode: .bicubic)] }
    expectGradients([[1, 2, 5]], dtypes: [.float64]) { [NN.interpolate($0[0], size: 3, mode: .area)] }
  }

  @Test func scaledDotProductAttention() {
    var rng = TestRandom(seed: 6)
    let q = rng.tensor([2, 3, 4]), k = rng.tensor([2, 5, 4]), v = rng.tensor([2, 5, 2])
    /// softmax(q kᵀ·scale + bias) v by loops; a row with every key masked gives zeros.
    func attention(scale: Double, bias: (Int, Int) -> Double) -> Tensor {
      reference([2, 3, 2]) { i in
        let logits = (0..<5).map { j in (0..<4).reduce(0) { $0 + value(q, [i[0], i[1], $1]) * value(k, [i[0], j, $1]) } * scale + bias(i[1], j) }
        let top = logits.max()!
        if top == -.infinity { return 0 }
        let e = logits.map { Foundation.exp($0 - top) }, total = e.reduce(0, +)
        return (0..<5).reduce(0) { $0 + e[$1] / total * value(v, [i[0], $1, i[2]]) }
      }
    }
    expectClose(NN.scaledDotProductAttention(q, k, v), attention(scale: 0.5) { _, _ in 0 }.doubles, atol: 1e-14, "plain")
    expectClose(NN.scaledDotProductAttention(q, k, v, isCausal: true, scale: 0.3), attention(scale: 0.3) { i, j in j <= i ? 0 : -.infinity }.doubles,
                atol: 1e-14, "causal")
    let flags: [Bool] = [true, false, true, true, false, false, false, false, false, false, true, true, true, false, true]
    let mask = Tensor(shape: [3, 5], scalars: flags)
    expectClose(NN.scaledDotProductAttention(q, k, v, attnMask: mask), attention(scale: 0.5) { i, j in flags[i * 5 + j] ? 0 : -.infinity }.doubles,
                atol: 1e-14, "bool mask, one row blocked")
    let additive = uniform([3, 5], -1...1, seed: 7)
    expectClose(NN.scaledDotProductAttention(q, k, v, attnMask: additive), attention(scale: 0.5) { value(additive, [$0, $1]) }.doubles,
                atol: 1e-14, "float mask")
    // Grouped-query attention repeats the key and value heads.
    let q4 = rng.tensor([1, 4, 3, 2]), k2 = rng.tensor([1, 2, 5, 2]), v2 = rng.tensor([1, 2, 5, 3])
    expectClose(NN.scaledDotProductAttention(q4, k2, v2, enableGQA: true),
                NN.scaledDotProductAttention(q4, k2.repeatInterleave(2, dim: 1), v2.repeatInterleave(2, dim: 1)).doubles, "grouped heads")
    expectGradcheck("attention", { [NN.scaledDotProductAttention($0[0], $0[1], $0[2])] }, at: [q, k, v])
    expectGradcheck("attention with a blocked row", { [NN.scaledDotProductAttention($0[0], $0[1], $0[2], attnMask: mask)] }, at: [q, k, v])
    expectGradcheck("attention with a float mask", { [NN.scaledDotProductAttention($0[0], $0[1], $0[2], attnMask: $0[3])] }, at: [q, k, v, additive])
  }

  @Test func misuseStopsWithTheShapes() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.embedding(Tensor([0, 5] as [Int64]), weight: Tensor.zeros([5, 2]))
    }
    expectMessage(r0, "nn.functional.embedding: index 5 is out of range for a table of 5 rows")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.glu(Tensor.zeros([3, 5]))
    }
    expectMessage(r1, "nn.functional.glu: halving dimension 1 of input [3, 5] needs an even size, got 5")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.prelu(Tensor.zeros([2, 3, 4]), weight: Tensor.zeros([4]))
    }
    expectMessage(r2, "nn.functional.prelu: weight [4] must have 1 element or one per channel (3 in input [2, 3, 4])")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.pixelShuffle(Tensor.zeros([1, 6, 2, 2]), upscaleFactor: 2)
    }
    expectMessage(r3, "nn.functional.pixel_shuffle: the 6 channels of input [1, 6, 2, 2] are not a multiple of 2² = 4")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.interpolate(Tensor.zeros([1, 2, 3]), size: 4, mode: .bilinear)
    }
    expectMessage(r4, "nn.functional.interpolate: mode bilinear needs 2 spatial dims (a 4-d input), got input [1, 2, 3]")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.scaledDotProductAttention(Tensor.zeros([2, 3, 4]), Tensor.zeros([2, 5, 3]), Tensor.zeros([2, 5, 4]))
    }
    expectMessage(r5, "nn.functional.scaled_dot_product_attention: expected query [..., L, E], key [..., S, E] and value [..., S, Ev]")
    let r6 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.scaledDotProductAttention(Tensor.zeros([3, 4]), Tensor.zeros([5, 4]), Tensor.zeros([5, 4]), attnMask: Tensor.zeros([4, 5]))
    }
    expectMessage(r6, "attnMask [4, 5] does not broadcast to the scores [..., 3, 5]")
    await #expect(processExitsWith: .failure) { _ = NN.interpolate(Tensor.zeros([1, 2, 3]), size: 4, scaleFactor: [2]) }
    await #expect(processExitsWith: .failure) { _ = NN.interpolate(Tensor.zeros([1, 2, 3]), size: 4, alignCorners: true) }
  }
}
