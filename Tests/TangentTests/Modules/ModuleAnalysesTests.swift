import Foundation
import Testing

@testable import Tangent

/// Per-sample gradients and the empirical NTK on modules, against loops of `gradient`.
@Suite struct ModuleAnalysesTests {
  static func model() -> Sequential {
    var g = SeededGenerator(seed: 11)
    return Sequential.mlp(widths: [4, 8, 3], activation: .tanh, using: &g)
  }

  @Test func perSampleGradientsMatchALoop() {
    let model = Self.model()
    var g = SeededGenerator(seed: 12)
    // Class probabilities (one-hot) as targets; class indices below.
    let x = Tensor.randn([6, 4], using: &g), labels = Tensor.eye(3).indexSelect(dim: 0, index: Tensor([0, 2, 1, 1, 0, 2]))
    let grads = perSampleGradients(of: model, inputs: x, targets: labels) { NN.crossEntropy($0, $1) }
    #expect(grads.names == model.parameters.names && grads["0.weight"]!.shape == [6, 8, 4])
    for i in 0..<6 {
      let xi = x.narrowed(dim: 0, start: i, length: 1), yi = labels.narrowed(dim: 0, start: i, length: 1)
      let want = gradient(of: { (p: NamedTensors) in NN.crossEntropy(functionalCall(model, parameters: p, xi), yi) }, at: model.parameters)
      for (got, w) in zip(grads.tensors, want.tensors) { expectClose(got.select(dim: 0, index: i), w.doubles, atol: 1e-12, "sample \(i)") }
    }
    // Class-index targets give the same gradients (the cross entropy selects by a one-hot
    // comparison under vmap).
    let byIndex = perSampleGradients(of: model, inputs: x, targets: Tensor([0, 2, 1, 1, 0, 2])) { NN.crossEntropy($0, $1) }
    for (a, b) in zip(byIndex.tensors, grads.tensors) { expectClose(a, b.doubles, atol: 1e-14, "class indices") }
    let chunked = perSampleGradients(of: model, inputs: x, targets: labels, chunkSize: 4) { NN.crossEntropy($0, $1) }
    expectClose(chunked["2.bias"]!, grads["2.bias"]!.doubles, atol: 1e-14, "chunked")
  }

  /// A class-index cross entropy with class weights and an ignored sample, under vmap, is the
  /// unreduced loss of the batch.
  @Test func crossEntropyWithClassIndicesUnderVmap() {
    var g = SeededGenerator(seed: 15)
    let logits = Tensor.randn([5, 4], using: &g), targets = Tensor([3, -100, 0, 2, 3]), w = Tensor([0.5, 1.0, 2.0, 1.5])
    let mapped = vmap(of: { (x: Tensor, t: Tensor) in
      NN.crossEntropy(x.unsqueezed(dim: 0), t.unsqueezed(dim: 0), weight: w, reduction: .sum)
    })(logits, targets)
    expectClose(mapped, NN.crossEntropy(logits, targets, weight: w, reduction: .none).doubles, atol: 1e-14, "vmap")
  }

  @Test func ntkBothWaysMatchALoop() {
    let model = Self.model()
    var g = SeededGenerator(seed: 13)
    let x1 = Tensor.randn([5, 4], using: &g), x2 = Tensor.randn([3, 4], using: &g)
    let p = model.parameters
    /// Row a of sample x's Jacobian, raveled.
    func row(_ x: Tensor, _ a: Int) -> Tensor {
      ravel(gradient(of: { (q: NamedTensors) in functionalCall(model, parameters: q, x.unsqueezed(dim: 0)).select(dim: 1, index: a).sum() }, at: p)).vector
    }
    var want = [Double]()
    for i in 0..<5 {
      for j in 0..<3 {
        for a in 0..<3 {
          for b in 0..<3 { want.append((row(x1.select(dim: 0, index: i), a) * row(x2.select(dim: 0, index: j), b)).sum().scalar) }
        }
      }
    }
    let c = empiricalNTK(of: model, x1, x2, method: .jacobianContraction)
    let v = empiricalNTK(of: model, x1, x2, method: .ntkVectorProducts)
    #expect(c.shape == [5, 3, 3, 3] && v.shape == [5, 3, 3, 3])
    expectClose(c, want, atol: 1e-12, rtol: 1e-10, "Jacobian contraction")
    expectClose(v, want, atol: 1e-12, rtol: 1e-10, "NTK-vector products")
    expectClose(empiricalNTK(of: model, x1, x2), want, atol: 1e-12, rtol: 1e-10, "automatic")
    expectClose(empiricalNTK(of: model, x1, x2, jacobianBudget: 1), want, atol: 1e-12, rtol: 1e-10, "automatic, over budget")
  }

  /// Prints the time of both methods on a dense model (the numbers behind `.automatic`'s rule;
  /// not a timed assertion).
  @Test func ntkTimings() {
    var g = SeededGenerator(seed: 14)
    let model = Sequential.mlp(widths: [16, 64, 64, 4], activation: .tanh, using: &g)
    let x1 = Tensor.randn([16, 16], using: &g), x2 = Tensor.randn([16, 16], using: &g)
    let clock = ContinuousClock()
    var c = Tensor(0.0), v = Tensor(0.0)
    let tc = clock.measure { c = empiricalNTK(of: model, x1, x2, method: .jacobianContraction) }
    let tv = clock.measure { v = empiricalNTK(of: model, x1, x2, method: .ntkVectorProducts) }
    print("empiricalNTK 16×16, O = 4, P = \(model.parameters.scalarCount): contraction \(tc), NTK-vector products \(tv)")
    expectClose(c, v.doubles, atol: 1e-10, rtol: 1e-10, "the two methods agree")
  }
}
