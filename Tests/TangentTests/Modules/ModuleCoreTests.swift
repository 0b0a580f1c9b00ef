import Foundation
import Testing

@testable import Tangent

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

/// A user-defined module with a child, a parameter and a nested Sequential.
private struct Residual: Module {
  var inner: Sequential
  var scale: Tensor
  mutating func forward(_ x: Tensor) -> Tensor { x + scale * inner.forward(x) }
  mutating func visit(_ v: inout ModuleVisitor) {
    v.child("layers", &inner)
    v.parameter("scale", &scale)
  }
}

/// The module core: named parameters and buffers, setting them, functionalCall, modes, and
/// the separation of buffers from what transforms differentiate.
@Suite struct ModuleCoreTests {
  static func mlp(seed: UInt64 = 0) -> Sequential {
    var g = SeededGenerator(seed: seed)
    return Sequential.mlp(widths: [3, 5, 2], activation: .tanh, using: &g)
  }

  @Test func namedParametersFollowPyTorchNames() {
    let model = Self.mlp()
    #expect(model.parameters.names == ["0.weight", "0.bias", "2.weight", "2.bias"])
    #expect(model.parameters.tensors.map(\.shape) == [[5, 3], [5], [2, 5], [2]])
    #expect(model.parameters.scalarCount == 32)
    #expect(model.buffers.count == 0)
    var g = SeededGenerator(seed: 1)
    let r = Residual(inner: Sequential(Linear(3, 3, using: &g), BatchNorm(3)), scale: Tensor(0.5))
    #expect(r.parameters.names == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "scale"])
    #expect(r.buffers.names == ["layers.1.running_mean", "layers.1.running_var"])
  }

  @Test func forwardIsTheComposedFunctions() {
    let model = Self.mlp()
    let p = model.parameters
    let x = Tensor([[0.1, -0.2, 0.3], [1.0, 0.5, -1.5]])
    let manual = NN.linear(NN.linear(x, weight: p["0.weight"]!, bias: p["0.bias"]!).tanh(), weight: p["2.weight"]!, bias: p["2.bias"]!)
    expectClose(model(x), manual.doubles, "mlp")
  }

  @Test func settingParametersReplacesThemAndKeepsNames() {
    var model = Self.mlp()
    let doubled = model.parameters.mapLeaves { $0 * 2 }
    #expect(doubled.names == model.parameters.names)
    model.parameters = doubled
    expectClose(model.parameters["2.bias"]!, (Self.mlp().parameters["2.bias"]! * 2).doubles)
    let (theta, unravel) = ravel(model.parameters)
    #expect(theta.shape == [32] && unravel(theta).names == doubled.names)
  }

  @Test func functionalCallUsesOtherParametersAndLeavesTheModule() {
    let model = Self.mlp(seed: 0), other = Self.mlp(seed: 9)
    let x = Tensor([[0.3, 0.1, -0.7]])
    expectClose(functionalCall(model, parameters: other.parameters, x), other(x).doubles, "all parameters")
    expectClose(model.parameters["0.weight"]!, Self.mlp(seed: 0).parameters["0.weight"]!.doubles, "module unchanged")
    // A partial dictionary replaces only the named ones.
    let partial = functionalCall(model, parameters: ["2.bias": Tensor([10.0, -10.0])], x)
    let b = model.parameters["2.bias"]!.doubles
    expectClose(partial - model(x), [10 - b[0], -10 - b[1]], atol: 1e-12)
  }

  @Test func transformsThroughFunctionalCall() {
    let model = Self.mlp()
    let p = model.parameters
    let x = Tensor([[0.3, 0.1, -0.7], [0.2, -0.4, 0.9]])
    let f = { (p: NamedTensors) in functionalCall(model, parameters: p, x) }
    // Forward and reverse Jacobians with respect to the named parameters agree.
    let jf = jacfwd(of: f, at: p).matrix(), jr = jacrev(of: f, at: p).matrix()
    #expect(jf.shape == [4, 32])
    expectClose(jf, jr.doubles, atol: 1e-12, "jacfwd vs jacrev")
    // A JVP along a direction equals the Jacobian times it.
    let v = p.mapLeaves { Tensor.ones(like: $0) * 0.1 }
    let (_, dy) = jvp(of: f, at: p, along: v)
    expectClose(dy.reshaped([-1]), jf.matmul(ravel(v).vector).doubles, atol: 1e-12, "jvp")
  }

  @Test func trainAndEvalReachEveryLayer() {
    var model = Sequential(Linear(2, 2), Dropout(p: 0.5, seed: 1), BatchNorm(2))
    #expect(model.isTrainingAnywhere)
    model.eval()
    #expect(!model.isTrainingAnywhere)
    #expect(!(model.layers[1] as! Dropout).isTraining && !(model.layers[2] as! BatchNorm).isTraining)
    model.train()
    #expect((model.layers[1] as! Dropout).isTraining && (model.layers[2] as! BatchNorm).isTraining)
  }

  @Test func callingNeverUpdatesRunningStatistics() {
    var gen = SeededGenerator(seed: 3)
    let x = Tensor.randn([8, 3], using: &gen) * 2 + 1
    var model = Sequential(Linear(3, 3, using: &gen), BatchNorm(3))
    let before = model.buffers
    _ = model(x)
    _ = functionalCall(model, parameters: model.parameters, x)
    // Derivatives through BatchNorm in training mode (PyTorch's jacrev trap) change nothing.
    let p = model.parameters
    let j = jacrev(of: { (p: NamedTensors) in functionalCall(model, parameters: p, x) }, at: p).matrix()
    let jf = jacfwd(of: { (p: NamedTensors) in functionalCall(model, parameters: p, x) }, at: p).matrix()
    expectClose(j, jf.doubles, atol: 1e-10, "jacrev vs jacfwd in training mode")
    _ = gradient(of: { (p: NamedTensors) in functionalCall(model, parameters: p, x).square().sum() }, at: p)
    expectClose(model.buffers.tensors[0], before.tensors[0].doubles, "running mean unchanged")
    expectClose(model.buffers.tensors[1], before.tensors[1].doubles, "running var unchanged")
    // The explicit forms update them, with PyTorch's formula.
    let h = NN.linear(x, weight: p["0.weight"]!, bias: p["0.bias"]!)
    let (_, updated) = functionalCall(model, parameters: p, buffers: before, x)
    let wantMean = (h.mean(dims: [0]) * 0.1).doubles
    let wantVar = (h.var(dims: [0], correction: 1) * 0.1 + 0.9).doubles
    expectClose(updated["1.running_mean"]!, wantMean, atol: 1e-12, "functional update of the mean")
    expectClose(updated["1.running_var"]!, wantVar, atol: 1e-12, "functional update of the variance")
    expectClose(model.buffers.tensors[0], before.tensors[0].doubles, "still unchanged until assigned")
    _ = model.forward(x)
    expectClose(model.buffers["1.running_mean"]!, wantMean, atol: 1e-12, "forward updates in place")
    // In evaluation mode the running statistics normalise.
    model.eval()
    let rm = model.buffers["1.running_mean"]!, rv = model.buffers["1.running_var"]!
    expectClose(model(x), ((h - rm) / (rv + 1e-5).sqrt()).doubles, atol: 1e-12, "eval mode")
  }

  @Test func optimizerStepOnAModuleUpdatesBuffersOnlyThroughForward() {
    var gen = SeededGenerator(seed: 4)
    let x = Tensor.randn([16, 3], using: &gen), y = Tensor.randn([16, 1], using: &gen)
    var model = Sequential(Linear(3, 4, using: &gen), BatchNorm(4), Activation.tanh, Linear(4, 1, using: &gen))
    var adam = Adam(learningRate: 0.01)
    let start = model.buffers
    adam.step(&model) { m in NN.mseLoss(m(x), y) }
    expectClose(model.buffers.tensors[0], start.tensors[0].doubles, "a call leaves the statistics")
    #expect(model.parameters["0.weight"]!.doubles != Self.mlp().parameters["0.weight"]!.doubles)
    var losses: [Double] = []
    for _ in 0..<50 { losses.append(adam.step(&model) { m in NN.mseLoss(m.forward(x), y) }.scalar) }
    #expect(model.buffers.tensors[0].doubles != start.tensors[0].doubles, "forward updated the statistics")
    #expect(model.buffers.tensors.allSatisfy { $0.autodiff == nil }, "the buffers carry no derivative")
    #expect(losses.last! < losses.first! * 0.8, "\(losses.first!) → \(losses.last!)")
  }

  @Test func misuse() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var m = Sequential(Linear(2, 2))
      m.parameters = NamedTensors([("weight", Tensor.zeros([2, 2])), ("0.bias", Tensor.zeros([2]))])
    }
    #expect(stderrText(r0).contains("Module: expected the parameter 0.weight next, got weight"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let m = Sequential(Linear(2, 2))
      _ = functionalCall(m, parameters: ["0.wieght": Tensor.zeros([2, 2])], Tensor.zeros([1, 2]))
    }
    #expect(stderrText(r1).contains("functionalCall: no parameters named [\"0.wieght\"]"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var m = Sequential(Linear(2, 2))
      m.parameters = NamedTensors([("0.weight", Tensor.zeros([2, 2])), ("0.bias", Tensor.zeros([2])), ("x", Tensor.zeros([1]))])
    }
    #expect(stderrText(r2).contains("Module: 3 parameters given to Sequential, which has 2"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var m = Sequential(Linear(2, 2))
      m.parameters = NamedTensors([("0.weight", Tensor.zeros([2, 3])), ("0.bias", Tensor.zeros([2]))])
    }
    #expect(stderrText(r3).contains("Module: the parameter 0.weight has shape [2, 2], got [2, 3]"), "\(stderrText(r3))")
  }
}
