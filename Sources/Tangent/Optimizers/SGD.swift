/// Stochastic gradient descent, optionally with momentum, Nesterov momentum and weight decay:
/// `torch.optim.SGD`'s update and defaults.
///
/// With learning rate γ, weight decay λ, momentum μ and dampening τ, step t turns the
/// gradient gₜ of parameter θ into
///
///     gₜ ← −gₜ                          (when maximizing)
///     gₜ ← gₜ + λ θₜ₋₁                  (when λ ≠ 0)
///     bₜ ← gₜ (t = 1),  μ bₜ₋₁ + (1 − τ) gₜ (t > 1)      (when μ ≠ 0)
///     gₜ ← gₜ + μ bₜ (Nesterov),  bₜ (otherwise)         (when μ ≠ 0)
///     θₜ = θₜ₋₁ − γ gₜ
///
/// As in PyTorch's implementation, maximizing negates the gradient first, so weight decay
/// still pulls the parameters toward zero. The momentum buffer bₜ is the per-tensor state.
public struct SGD: Optimizer {
  /// The learning rate γ (PyTorch's `lr`); default 1e-3.
  public var learningRate: Double
  /// The momentum factor μ; default 0 (no momentum buffer).
  public var momentum: Double
  /// The dampening τ of the momentum update; default 0.
  public var dampening: Double
  /// The L2 weight decay λ added to the gradient; default 0.
  public var weightDecay: Double
  /// Whether to use Nesterov momentum (needs μ > 0 and τ = 0); default false.
  public var nesterov: Bool
  /// Whether to maximize the objective instead of minimizing it; default false.
  public var maximize: Bool

  /// The momentum buffers bₜ, one per parameter tensor (empty until the first step, and
  /// always empty without momentum).
  public private(set) var momentumBuffers: [Tensor] = []
  /// The number of steps taken.
  public private(set) var stepCount = 0

  /// Creates the optimizer with `torch.optim.SGD`'s defaults.
  ///
  /// - Precondition: `learningRate`, `momentum` and `weightDecay` are ≥ 0; Nesterov momentum
  ///   needs `momentum` > 0 and `dampening` = 0 (the message names `SGD` and the value).
  public init(
    learningRate: Double = 1e-3, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
    nesterov: Bool = false, maximize: Bool = false
  ) {
    self.learningRate = learningRate
    self.momentum = momentum
    self.dampening = dampening
    self.weightDecay = weightDecay
    self.nesterov = nesterov
    self.maximize = maximize
    validate()
  }

  /// Checks the hyperparameters (at creation and at every step, since they are mutable).
  func validate() {
    checkHyperparameter(learningRate >= 0, "SGD", "learningRate", ">= 0", learningRate)
    checkHyperparameter(momentum >= 0, "SGD", "momentum", ">= 0", momentum)
    checkHyperparameter(weightDecay >= 0, "SGD", "weightDecay", ">= 0", weightDecay)
    checkHyperparameter(dampening.isFinite, "SGD", "dampening", "finite", dampening)
    check(
      !nesterov || (momentum > 0 && dampening == 0),
      "SGD: Nesterov momentum needs momentum > 0 and dampening = 0, got momentum \(momentum) and dampening \(dampening)")
  }

  /// Updates `parameters` by one SGD step (see ``SGD`` for the formula).
  ///
  /// - Precondition: `gradient` has the structure, shapes and dtypes of `parameters`.
  public mutating func step<Parameters: TensorTree>(_ parameters: inout Parameters, gradient: Parameters) {
    validate()
    let pairs = OptimizerUpdate.pairs(parameters, gradient, op: "SGD")
    let usesMomentum = momentum != 0
    if usesMomentum && !momentumBuffers.isEmpty {
      OptimizerUpdate.checkState(
        shapes: momentumBuffers.map(\.shape), dtypes: momentumBuffers.map(\.dtype), against: pairs, op: "SGD")
    }
    let first = momentumBuffers.isEmpty
    if usesMomentum && first { momentumBuffers = pairs.map { $0.parameter.uninitializedCopyShape } }
    let c = SGDCoefficients(
      learningRate: learningRate, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
      nesterov: nesterov, maximize: maximize, firstStep: first)
    var updated: [Tensor] = []
    updated.reserveCapacity(pairs.count)
    for (i, (p, g)) in pairs.enumerated() {
      let out = p.uninitializedCopyShape
      if usesMomentum { momentumBuffers[i].makeUniqueForUpdate() }
      let buffer: Tensor? = usesMomentum ? momentumBuffers[i] : nil
      p.dtype.visitReal(SGDUpdateKernel(c: c, p: p, g: g, buffer: buffer, out: out), op: "SGD")
      updated.append(out)
    }
    parameters = OptimizerUpdate.rebuilt(parameters, with: updated)
    stepCount += 1
  }

  /// Forgets the momentum buffers and the step count.
  public mutating func resetState() {
    momentumBuffers = []
    stepCount = 0
  }
}

/// One SGD step's constants and its fused elementwise update.
struct SGDCoefficients {
  let learningRate, momentum, dampening, weightDecay: Double
  let nesterov, maximize, firstStep: Bool

  /// Writes the updated parameter into `out` and updates `buffer` in place (its storage is
  /// uniquely owned; uninitialised on the first step).
  func update<T: RealScalar>(_: T.Type, _ p: Tensor, _ g: Tensor, _ buffer: Tensor?, _ out: Tensor) {
    let pp = UnsafePointer(p.pointer(as: T.self)), gp = UnsafePointer(g.pointer(as: T.self))
    let op = out.pointer(as: T.self)
    let bp = buffer?.pointer(as: T.self)
    let negLR = T(-learningRate), wd = T(weightDecay), mu = T(momentum), keep = T(1 - dampening)
    let decays = weightDecay != 0, negate = maximize, nesterov = nesterov, first = firstStep
    // The decayed (and, when maximizing, negated) gradient of element i.
    @inline(__always) func direction(_ i: Int) -> T {
      let d = negate ? -gp[i] : gp[i]
      return decays ? d + wd * pp[i] : d
    }
    // Two loops, so that neither has a store under a condition (both vectorise).
    OptimizerUpdate.forEachChunk(p.count) { r in
      if let bp {
        for i in r {
          let d = direction(i)
          let b = first ? d : mu * bp[i] + keep * d
          bp[i] = b
          op[i] = pp[i] + negLR * (nesterov ? d + mu * b : b)
        }
      } else {
        for i in r { op[i] = pp[i] + negLR * direction(i) }
      }
    }
  }
}

/// One parameter's fused SGD update, run for its dtype.
private struct SGDUpdateKernel: RealVisitor {
  let c: SGDCoefficients
  let p, g: Tensor
  let buffer: Tensor?
  let out: Tensor
  func visit<T: RealScalar>(_: T.Type) { c.update(T.self, p, g, buffer, out) }
}
