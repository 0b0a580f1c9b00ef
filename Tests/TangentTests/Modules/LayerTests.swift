import Foundation
import Testing

@testable import Tangent

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

/// Each layer against the NN function it wraps, the layers' modes and randomness, and the
/// optimizers on module parameters.
@Suite struct LayerTests {
  @Test func linearAndSequential() {
    var g = SeededGenerator(seed: 0)
    let lin = Linear(3, 2, using: &g)
    let x = Tensor.randn([4, 3], using: &g)
    expectClose(lin(x), NN.linear(x, weight: lin.weight, bias: lin.bias).doubles, "linear")
    let noBias = Linear(3, 2, bias: false, using: &g)
    #expect(noBias.parameters.names == ["weight"])
    expectClose(noBias(x), x.matmul(noBias.weight.mT).doubles, "linear without bias")
    let second = Linear(2, 4, bias: false, using: &g)
    let seq = Sequential(lin, Activation.relu, second)
    expectClose(seq(x), second(lin(x).relu()).doubles, "sequential")
    #expect(seq.parameters.names == ["0.weight", "0.bias", "2.weight"])
  }

  @Test func normalizationLayers() {
    var g = SeededGenerator(seed: 1)
    let x = Tensor.randn([4, 3, 5], using: &g)
    var ln = LayerNorm([3, 5])
    ln.parameters = ln.parameters.mapLeaves { $0 + Tensor.randn($0.shape, using: &g) * 0.1 }
    expectClose(ln(x), NN.layerNorm(x, normalizedShape: [3, 5], weight: ln.weight, bias: ln.bias).doubles, atol: 1e-12, "layerNorm")
    var rms = RMSNorm([5], eps: 1e-6)
    rms.parameters = rms.parameters.mapLeaves { $0 * 1.5 }
    expectClose(rms(x), NN.rmsNorm(x, normalizedShape: [5], weight: rms.weight, eps: 1e-6).doubles, atol: 1e-12, "rmsNorm")
    var bn = BatchNorm(3, momentum: 0.2)
    expectClose(bn(x), NN.batchNorm(x, runningMean: nil, runningVar: nil, training: true).doubles, atol: 1e-12, "batchNorm training")
    var mean = Tensor.zeros([3]), variance = Tensor.ones([3])
    _ = NN.batchNorm(x, runningMean: &mean, runningVar: &variance, momentum: 0.2)
    _ = bn.forward(x)
    expectClose(bn.runningMean!, mean.doubles, atol: 1e-14, "running mean")
    expectClose(bn.runningVar!, variance.doubles, atol: 1e-14, "running var")
    bn.eval()
    expectClose(bn(x), NN.batchNorm(x, runningMean: mean, runningVar: variance).doubles, atol: 1e-12, "batchNorm eval")
    // Without running statistics, batch statistics in both modes.
    var plain = BatchNorm(3, affine: false, trackRunningStats: false)
    plain.eval()
    #expect(plain.parameters.count == 0 && plain.buffers.count == 0)
    expectClose(plain(x), NN.batchNorm(x, runningMean: nil, runningVar: nil, training: true).doubles, atol: 1e-12, "untracked")
  }

  @Test func dropoutIsSeededAndOnlyInTraining() {
    let x = Tensor.ones([1000])
    var a = Dropout(p: 0.3, seed: 7), b = Dropout(p: 0.3, seed: 7)
    let ya = a.forward(x), yb = b.forward(x)
    #expect(ya.doubles == yb.doubles, "one seed, one mask")
    let kept = ya.doubles.filter { $0 != 0 }
    #expect(kept.allSatisfy { Swift.abs($0 - 1 / 0.7) < 1e-12 })
    #expect(kept.count > 630 && kept.count < 770, "\(kept.count) of 1000 kept at p = 0.3")
    // The stream advances across calls, also through non-mutating calls and copies.
    let second = a(x)
    #expect(second.doubles != ya.doubles)
    a.reseed(7)
    #expect(a(x).doubles == ya.doubles, "reseeding restarts the stream")
    a.eval()
    #expect(a(x).doubles == x.doubles, "identity in evaluation mode")
  }

  @Test func embedding() {
    var g = SeededGenerator(seed: 2)
    let emb = Embedding(10, 4, paddingIndex: 0, using: &g)
    let idx = Tensor([[1, 0], [9, 3]])
    let y = emb(idx)
    #expect(y.shape == [2, 2, 4])
    expectClose(y, NN.embedding(idx, weight: emb.weight, paddingIndex: 0).doubles, "embedding")
    // Reverse mode never trains the padding row.
    let gw = gradient(of: { (p: NamedTensors) in functionalCall(emb, parameters: p, idx).sum() }, at: emb.parameters)["weight"]!
    #expect(gw.select(dim: 0, index: 0).doubles == [0, 0, 0, 0] && gw.select(dim: 0, index: 1).doubles == [1, 1, 1, 1])
  }

  @Test func convolutions() {
    var g = SeededGenerator(seed: 3)
    let c2 = Conv2d(4, 6, kernelSize: 3, stride: 2, padding: 1, groups: 2, using: &g)
    let x = Tensor.randn([2, 4, 7, 7], using: &g)
    let y = c2(x)
    #expect(y.shape == [2, 6, 4, 4])
    expectClose(y, NN.conv2d(x, weight: c2.weight, bias: c2.bias, stride: 2, padding: 1, groups: 2).doubles, atol: 1e-12, "conv2d")
    let c1 = Conv1d(3, 5, kernelSize: 2, dilation: 2, bias: false, using: &g)
    let s = Tensor.randn([2, 3, 9], using: &g)
    #expect(c1.parameters.names == ["weight"])
    expectClose(c1(s), NN.conv1d(s, weight: c1.weight, dilation: 2).doubles, atol: 1e-12, "conv1d")
  }

  @Test func multiheadAttention() {
    var g = SeededGenerator(seed: 4)
    let mha = MultiheadAttention(embedDim: 8, numHeads: 2, using: &g)
    let q = Tensor.randn([5, 3, 8], using: &g), k = Tensor.randn([6, 3, 8], using: &g)
    let (out, weights) = mha(query: q, key: k, value: k)
    let want = NN.multiHeadAttentionForward(
      query: q, key: k, value: k, numHeads: 2, inProjWeight: mha.inProjWeight, inProjBias: mha.inProjBias,
      outProjWeight: mha.outProj.weight, outProjBias: mha.outProj.bias)
    expectClose(out, want.output.doubles, atol: 1e-12, "output")
    expectClose(weights!, want.weights!.doubles, atol: 1e-12, "weights")
    expectClose(mha((q, k, k)), out.doubles, atol: 1e-12, "as a module")
    var bf = MultiheadAttention(embedDim: 8, numHeads: 2, batchFirst: true, using: &g)
    bf.parameters = mha.parameters
    expectClose(bf((q.transposed(0, 1), k.transposed(0, 1), k.transposed(0, 1))), out.transposed(0, 1).contiguous().doubles, atol: 1e-12, "batch first")
  }

  /// A small classification problem for the optimizers.
  static func problem() -> (model: Sequential, x: Tensor, labels: Tensor) {
    var g = SeededGenerator(seed: 5)
    let x = Tensor.randn([40, 2], using: &g)
    let v = x.doubles
    let labels = Tensor((0..<40).map { i -> Int in v[2 * i] + v[2 * i + 1] > 0 ? 1 : 0 })
    return (Sequential.mlp(widths: [2, 6, 2], activation: .tanh, using: &g), x, labels)
  }

  @Test func secondOrderMinimizersTakeModuleParameters() {
    let (model, x, labels) = Self.problem()
    let loss = { (p: NamedTensors) in NN.crossEntropy(functionalCall(model, parameters: p, x), labels) }
    let start = loss(model.parameters).scalar
    let lbfgs = LBFGS(maxIterations: 50).minimize(from: model.parameters, loss)
    let newton = NewtonCG(maxIterations: 15).minimize(from: model.parameters, loss)
    #expect(lbfgs.parameters.names == model.parameters.names)
    #expect(lbfgs.value < start * 0.2 && newton.value < start * 0.2, "\(start) → L-BFGS \(lbfgs.value), Newton-CG \(newton.value)")
    expectClose(loss(newton.parameters), [newton.value], atol: 1e-12, "the result's value is the loss at its parameters")
  }

  @Test func misuse() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Linear(0, 3) }
    #expect(stderrText(r0).contains("nn.Linear: sizes must be positive, got 0 and 3"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = BatchNorm(3, momentum: 1.5) }
    #expect(stderrText(r1).contains("nn.BatchNorm: momentum must be in [0, 1], got 1.5"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Dropout(p: -0.1) }
    #expect(stderrText(r2).contains("nn.Dropout: p must be in [0, 1], got -0.1"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var g = SystemRandomNumberGenerator()
      _ = MultiheadAttention(embedDim: 10, numHeads: 3, using: &g)
    }
    #expect(stderrText(r3).contains("nn.MultiheadAttention: numHeads 3 must divide embedDim 10"), "\(stderrText(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var g = SystemRandomNumberGenerator()
      _ = Conv2d(4, 6, kernelSize: 3, groups: 4, using: &g)
    }
    #expect(stderrText(r4).contains("nn.Conv2d: groups 4 must divide the channel counts 4 and 6"), "\(stderrText(r4))")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var g = SystemRandomNumberGenerator()
      _ = NN.Init.kaimingUniform([5], using: &g)
    }
    #expect(stderrText(r5).contains("nn.init: fans need a shape of at least 2 dims, got [5]"), "\(stderrText(r5))")
    let r6 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var g = SystemRandomNumberGenerator()
      _ = Sequential.mlp(widths: [3], using: &g)
    }
    #expect(stderrText(r6).contains("nn.MLP: expected at least an input and an output width, got [3]"), "\(stderrText(r6))")
  }
}
