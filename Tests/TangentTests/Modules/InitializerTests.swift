import Foundation
import Testing

@testable import Tangent

/// The initialisers' formulas (torch.nn.init's, checked by hand with
/// scripts/module_init_reference.py): bounds of the uniform ones, standard deviations of the
/// normal ones on large samples, gains, and reproducibility from a seed.
@Suite struct InitializerTests {
  static func std(_ t: Tensor) -> Double {
    let v = t.doubles, m = v.reduce(0, +) / Double(v.count)
    return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
  }

  @Test func gainsAndFans() {
    #expect(NN.Init.gain(.linear) == 1 && NN.Init.gain(.sigmoid) == 1 && NN.Init.gain(.tanh) == 5.0 / 3)
    #expect(NN.Init.gain(.relu) == 2.0.squareRoot() && NN.Init.gain(.selu) == 0.75)
    #expect(Swift.abs(NN.Init.gain(.leakyRelu, a: 0.2) - 1.3867504905630728) < 1e-15)
    #expect(NN.Init.fans([8, 3, 3, 2]) == (18, 48))
  }

  @Test func uniformBounds() {
    var g = SeededGenerator(seed: 0)
    // Kaiming uniform at a = √5 is U(±1/√fanIn): the samples fill the interval.
    let w = NN.Init.kaimingUniform([2000, 300], a: 5.0.squareRoot(), using: &g)
    let bound = 1 / 300.0.squareRoot()
    #expect(w.abs().amax().scalar <= bound && w.abs().amax().scalar > bound * 0.999)
    let x = NN.Init.xavierUniform([2000, 300], gain: 2, using: &g)
    let xb = 2 * (6.0 / 2300).squareRoot()
    #expect(x.abs().amax().scalar <= xb && x.abs().amax().scalar > xb * 0.999)
    let u = NN.Init.uniform([1000], low: -3, high: 5, using: &g)
    #expect(u.amin().scalar >= -3 && u.amax().scalar < 5 && u.amin().scalar < -2.9 && u.amax().scalar > 4.9)
  }

  @Test func normalStandardDeviations() {
    var g = SeededGenerator(seed: 1)
    // 600,000 samples: the sample std is within 0.5% of σ with overwhelming probability.
    let kn = NN.Init.kaimingNormal([2000, 300], using: &g)
    #expect(Swift.abs(Self.std(kn) / (2.0.squareRoot() / 300.0.squareRoot()) - 1) < 5e-3)
    let ko = NN.Init.kaimingNormal([2000, 300], mode: .fanOut, nonlinearity: .relu, using: &g)
    #expect(Swift.abs(Self.std(ko) / (2.0.squareRoot() / 2000.0.squareRoot()) - 1) < 5e-3)
    let xn = NN.Init.xavierNormal([2000, 300], using: &g)
    #expect(Swift.abs(Self.std(xn) / (2.0 / 2300).squareRoot() - 1) < 5e-3)
    let n = NN.Init.normal([2000, 300], mean: 3, std: 0.5, dtype: .float32, using: &g)
    #expect(n.dtype == .float32 && Swift.abs(n.mean().scalar - 3) < 5e-3 && Swift.abs(Self.std(n) / 0.5 - 1) < 5e-3)
  }

  @Test func layersUsePyTorchDefaults() {
    var g = SeededGenerator(seed: 2)
    let lin = Linear(300, 400, using: &g)
    let b = 1 / 300.0.squareRoot()
    #expect(lin.weight.abs().amax().scalar <= b && lin.weight.abs().amax().scalar > 0.99 * b)
    #expect(lin.bias!.abs().amax().scalar <= b && lin.bias!.abs().amax().scalar > 0.95 * b)
    let conv = Conv2d(6, 8, kernelSize: [3, 2], groups: 2, using: &g)
    #expect(conv.weight.shape == [8, 3, 3, 2] && conv.weight.abs().amax().scalar <= 1 / 18.0.squareRoot())
    let mha = MultiheadAttention(embedDim: 8, numHeads: 2, using: &g)
    #expect(mha.parameters.names == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"])
    #expect(mha.inProjWeight.abs().amax().scalar <= (6.0 / 32).squareRoot() && mha.outProj.bias!.abs().amax().scalar == 0)
    let emb = Embedding(10, 4, paddingIndex: -8, using: &g)
    #expect(emb.weight.select(dim: 0, index: 2).doubles == [0, 0, 0, 0] && emb.weight.select(dim: 0, index: 3).abs().amax().scalar > 0)
    let ln = LayerNorm([4]), bn = BatchNorm(3)
    #expect(ln.weight!.doubles == [1, 1, 1, 1] && ln.bias!.doubles == [0, 0, 0, 0])
    #expect(bn.buffers.names == ["running_mean", "running_var"] && bn.buffers["running_var"]!.doubles == [1, 1, 1])
  }

  @Test func aSeedReproducesAModel() {
    var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
    let a = Sequential.mlp(widths: [4, 8, 2], using: &g1), b = Sequential.mlp(widths: [4, 8, 2], using: &g2)
    #expect(a.parameters.tensors.map(\.doubles) == b.parameters.tensors.map(\.doubles))
    let f32 = Sequential.mlp(widths: [4, 8, 2], dtype: .float32, using: &g1)
    #expect(f32.parameters.tensors.allSatisfy { $0.dtype == .float32 })
  }
}
