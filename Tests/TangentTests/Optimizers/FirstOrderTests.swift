import Testing

@testable import Tangent

/// Behaviour of the first-order optimizers beyond PyTorch's numbers: value semantics of the
/// state, dtypes, layouts, structured parameters, and training that converges.
@Suite struct FirstOrderTests {
  struct Layer: KeyPathTensorTree {
    var weight: Tensor
    var bias: Tensor
    static var tensorKeyPaths: [WritableKeyPath<Layer, Tensor>] { [\.weight, \.bias] }
  }

  static func quadratic(_ x: Tensor) -> Tensor { 0.5 * (x * x).sum() }

  /// Plain SGD on ½‖x‖² scales x by 1 − γ each step.
  @Test func sgdOnAQuadraticScalesTheParameters() {
    var x = Tensor([1.0, -2.0, 4.0])
    var sgd = SGD(learningRate: 0.1)
    let loss = sgd.step(&x, loss: Self.quadratic)
    #expect(loss.scalar == 10.5)
    #expect(x.doubles == [0.9, -1.8, 3.6])
    #expect(sgd.momentumBuffers.isEmpty)
  }

  /// Copying an optimizer copies its state: stepping the original leaves the copy's moments
  /// unchanged (the in-place update respects copy-on-write), and the copy then takes the
  /// same step as the original did.
  @Test func copiesKeepTheirOwnState() {
    var params: [Tensor] = [Tensor([0.5, -1.0, 2.0]), Tensor([[1.0, 2.0], [3.0, 4.0]])]
    let f = { (p: [Tensor]) in (p[0].tanh() * p[0]).sum() + (p[1] * p[1] * p[1]).sum() }
    var adam = Adam(learningRate: 0.05, amsgrad: true)
    adam.step(&params, loss: f)
    adam.step(&params, loss: f)
    let saved = adam
    let savedMoment = saved.state[1].firstMoment.doubles
    let savedMax = saved.state[0].maxSecondMoment!.doubles
    var fromOriginal = params
    adam.step(&fromOriginal, loss: f)
    #expect(saved.state[1].firstMoment.doubles == savedMoment)
    #expect(saved.state[0].maxSecondMoment!.doubles == savedMax)
    #expect(adam.state[1].firstMoment.doubles != savedMoment)
    var copy = saved
    var fromCopy = params
    copy.step(&fromCopy, loss: f)
    #expect(fromCopy[0].doubles == fromOriginal[0].doubles)
    #expect(fromCopy[1].doubles == fromOriginal[1].doubles)
    #expect(copy.stepCount == 3 && saved.stepCount == 2)
  }

  /// float32 parameters stay float32 and follow the float64 trajectory to float32 precision.
  @Test func float32FollowsFloat64() {
    let start = Tensor([[0.3, -0.7], [1.1, 0.2]])
    let f = { (x: Tensor) in (x.tanh() * x).sum() + 0.1 * (x * x * x * x).sum() }
    var x64 = start, x32 = start.converted(to: .float32)
    var a64 = AdamW(learningRate: 0.1, amsgrad: true), a32 = AdamW(learningRate: 0.1, amsgrad: true)
    var s64 = SGD(learningRate: 0.05, momentum: 0.9, nesterov: true), s32 = SGD(learningRate: 0.05, momentum: 0.9, nesterov: true)
    var y64 = start, y32 = start.converted(to: .float32)
    for _ in 0..<10 {
      a64.step(&x64, loss: f)
      a32.step(&x32, loss: f)
      s64.step(&y64, loss: f)
      s32.step(&y32, loss: f)
    }
    #expect(x32.dtype == .float32 && y32.dtype == .float32)
    #expect(a32.state[0].secondMoment.dtype == .float32 && s32.momentumBuffers[0].dtype == .float32)
    for (a, b) in zip(x32.doubles, x64.doubles) { #expect(Swift.abs(a - b) < 1e-5) }
    for (a, b) in zip(y32.doubles, y64.doubles) { #expect(Swift.abs(a - b) < 1e-5) }
  }

  /// A transposed (non-contiguous) parameter and gradient update like their contiguous copy.
  @Test func nonContiguousParametersUpdateLikeContiguousOnes() {
    let base = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    var view = base.transposed(0, 1)
    var copy = view.contiguous()
    #expect(!view.isContiguous)
    var a = Adam(learningRate: 0.1, weightDecay: 0.1), b = Adam(learningRate: 0.1, weightDecay: 0.1)
    let f = { (x: Tensor) in (x.sin() * x).sum() }
    for _ in 0..<3 {
      a.step(&view, gradient: gradient(of: f, at: view))
      b.step(&copy, gradient: gradient(of: f, at: copy))
    }
    #expect(view.shape == [3, 2])
    #expect(view.doubles == copy.doubles)
    #expect(base.doubles == [1, 2, 3, 4, 5, 6])
  }

  /// Struct parameters (``KeyPathTensorTree``): a linear least-squares fit by Adam and by SGD
  /// with momentum reaches the exact solution.
  @Test func trainsALinearModel() {
    var g = SeededGenerator(seed: 7)
    let x = Tensor.randn([64, 3], using: &g)
    let trueWeight = Tensor([[1.5], [-2.0], [0.5]])
    let y = x.matmul(trueWeight) + 0.25
    let loss = { (p: Layer) in ((x.matmul(p.weight) + p.bias - y).square()).mean() }
    for var optimizer in [Adam(learningRate: 0.05) as any Optimizer, SGD(learningRate: 0.1, momentum: 0.9)] {
      var p = Layer(weight: Tensor.zeros([3, 1]), bias: Tensor.zeros([1]))
      let initial = loss(p).scalar
      for _ in 0..<400 { optimizer.step(&p, loss: loss) }
      #expect(loss(p).scalar < 1e-8 * initial, "\(type(of: optimizer))")
      for (a, b) in zip(p.weight.doubles, trueWeight.doubles) { #expect(Swift.abs(a - b) < 1e-4) }
      #expect(Swift.abs(p.bias.scalar - 0.25) < 1e-4)
    }
  }

  /// resetState forgets the moments; the next step is a first step again.
  @Test func resetStateStartsOver() {
    var x = Tensor([1.0, 2.0])
    var adam = Adam(learningRate: 0.1)
    adam.step(&x, loss: Self.quadratic)
    adam.step(&x, loss: Self.quadratic)
    adam.resetState()
    #expect(adam.stepCount == 0 && adam.state.isEmpty)
    // Adam's first step moves every coordinate by ≈ γ (m̂/√v̂ = sign(g)).
    let before = x
    adam.step(&x, loss: Self.quadratic)
    for (a, b) in zip(x.doubles, before.doubles) { #expect(Swift.abs((b - a) - 0.1) < 1e-7) }
  }

  /// The imperative style: parameters that are leaves requiring a gradient, gradients from
  /// `backward`; they stay such leaves after the step, with no accumulated gradient.
  @Test func imperativeLeavesStayLeaves() {
    var w = Tensor([1.0, 2.0]).requiringGrad()
    var sgd = SGD(learningRate: 0.1, momentum: 0.5)
    for _ in 0..<2 {
      (w * w).sum().backward()
      let g = w.grad!
      sgd.step(&w, gradient: g)
      #expect(w.requiresGrad && w.isLeaf && w.grad == nil)
    }
    // b₁ = 2w₀, w₁ = 0.8w₀; b₂ = 0.5·2w₀ + 1.6w₀ = 2.6w₀, w₂ = 0.8w₀ − 0.26w₀ = 0.54w₀.
    #expect(Swift.abs(w.doubles[0] - 0.54) < 1e-15 && Swift.abs(w.doubles[1] - 1.08) < 1e-15)
    var plain = Tensor([1.0])
    sgd.resetState()
    sgd.step(&plain, gradient: Tensor([1.0]))
    #expect(!plain.requiresGrad)
  }

  /// A learning rate changed between steps (a schedule) takes effect at the next step.
  @Test func learningRateCanBeScheduled() {
    var x = Tensor([1.0])
    var sgd = SGD(learningRate: 0.1)
    sgd.step(&x, loss: Self.quadratic)
    sgd.learningRate = 0.5
    sgd.step(&x, loss: Self.quadratic)
    #expect(Swift.abs(x.scalar - 0.45) < 1e-15)
  }
}
