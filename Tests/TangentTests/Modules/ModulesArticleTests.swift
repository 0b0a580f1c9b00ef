import Tangent
import Testing

/// The code of Sources/Tangent/Tangent.docc/Modules.md, line for line, with the values the
/// article states.
@Suite struct ModulesArticleTests {
  struct Residual: Module {
    var inner: Linear
    var scale: Tensor
    mutating func forward(_ x: Tensor) -> Tensor { x + scale * inner.forward(x) }
    mutating func visit(_ v: inout ModuleVisitor) {
      v.child("inner", &inner)
      v.parameter("scale", &scale)
    }
  }

  @Test func article() {
    var gen = SeededGenerator(seed: 0)
    var model = Sequential.mlp(widths: [4, 32, 32, 3], activation: .tanh, using: &gen)
    #expect(model.parameters.names == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
    let x = Tensor.randn([64, 4], using: &gen)
    let labels = Tensor.randint(0, 3, [64], using: &gen)
    let before = NN.crossEntropy(model(x), labels).scalar

    var adam = Adam(learningRate: 1e-2)
    for _ in 0..<200 {
      adam.step(&model) { m in NN.crossEntropy(m(x), labels) }
    }
    #expect(NN.crossEntropy(model(x), labels).scalar < before * 0.7)

    let p = model.parameters
    let loss = { (p: NamedTensors) in NN.crossEntropy(functionalCall(model, parameters: p, x), labels) }
    let g = gradient(of: loss, at: p)                                   // NamedTensors
    let (_, dLogits) = jvp(of: { p in functionalCall(model, parameters: p, x) }, at: p, along: g)
    let hv = hvp(of: loss, at: p, along: g).hvp                         // forward-over-reverse
    let fit = NewtonCG(maxIterations: 20).minimize(from: p, loss)
    #expect(dLogits.shape == [64, 3] && hv.names == p.names && fit.value < loss(p).scalar)

    var r = Residual(inner: Linear(2, 2, using: &gen), scale: Tensor(0.5))
    #expect(r.parameters.names == ["inner.weight", "inner.bias", "scale"])
    #expect(r.forward(Tensor([[1.0, 2.0]])).shape == [1, 2])

        let perSample = perSampleGradients(of: model, inputs: x, targets: labels) { NN.crossEntropy($0, $1) }
    #expect(perSample["0.weight"]!.shape == [64, 32, 4])
  }
}
