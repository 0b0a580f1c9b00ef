/// Adam (Kingma and Ba 2015), with optional L2 weight decay and AMSGrad:
/// `torch.optim.Adam`'s update and defaults.
///
/// With learning rate γ, betas (β₁, β₂), ε and weight decay λ, step t turns the gradient gₜ
/// of parameter θ into
///
///     gₜ ← −gₜ                               (when maximizing)
///     gₜ ← gₜ + λ θₜ₋₁                       (when λ ≠ 0)
///     mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ
///     vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ²
///     v̂ₜ = max(v̂ₜ₋₁, vₜ) (AMSGrad),  vₜ (otherwise)
///     θₜ = θₜ₋₁ − γ/(1 − β₁ᵗ) · mₜ / (√v̂ₜ / √(1 − β₂ᵗ) + ε)
///
/// m₀ = v₀ = v̂₀ = 0. The operations run in PyTorch's order (the first moment by `lerp`), so
/// float64 trajectories match `torch.optim.Adam`'s to rounding. For weight decay that is not
/// an L2 term, use ``AdamW``.
public typealias Adam = AdamOptimizer<L2WeightDecay>

/// How an ``AdamOptimizer`` applies its weight decay λ: the one difference between ``Adam``
/// and ``AdamW``.
public protocol AdamWeightDecay {
  /// The optimizer's name in messages: `Adam` or `AdamW`.
  static var optimizerName: String { get }
  /// Whether the decay shrinks the parameter directly (AdamW) instead of adding λθ to the
  /// gradient (Adam).
  static var isDecoupled: Bool { get }
  /// The default λ: 0 for Adam, 0.01 for AdamW (PyTorch's defaults).
  static var defaultWeightDecay: Double { get }
}

/// Weight decay as an L2 term added to the gradient, gₜ + λθₜ₋₁: ``Adam``.
public enum L2WeightDecay: AdamWeightDecay {
  public static var optimizerName: String { "Adam" }
  public static var isDecoupled: Bool { false }
  public static var defaultWeightDecay: Double { 0 }
}

/// Decoupled weight decay, θₜ₋₁(1 − γλ) before the update: ``AdamW``.
public enum DecoupledWeightDecay: AdamWeightDecay {
  public static var optimizerName: String { "AdamW" }
  public static var isDecoupled: Bool { true }
  public static var defaultWeightDecay: Double { 0.01 }
}

/// The Adam family, ``Adam`` and ``AdamW``: one implementation, the weight decay chosen by
/// `Decay` (see those two for the formulas).
public struct AdamOptimizer<Decay: AdamWeightDecay>: Optimizer {
  /// The learning rate γ (PyTorch's `lr`); default 1e-3.
  public var learningRate: Double
  /// The decay rates (β₁, β₂) of the moment averages; default (0.9, 0.999).
  public var betas: (Double, Double)
  /// The term ε added to the denominator; default 1e-8.
  public var epsilon: Double
  /// The weight decay λ: an L2 term added to the gradient (``Adam``, default 0), or
  /// decoupled (``AdamW``, default 0.01).
  public var weightDecay: Double
  /// Whether to use the AMSGrad variant (Reddi et al. 2018): the running maximum of vₜ in
  /// the denominator; default false.
  public var amsgrad: Bool
  /// Whether to maximize the objective instead of minimizing it; default false.
  public var maximize: Bool

  /// The moments, one per parameter tensor (empty until the first step).
  public private(set) var state: [AdamState] = []
  /// The number of steps taken; step t uses the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ.
  public private(set) var stepCount = 0

  /// Creates the optimizer with `torch.optim.Adam`'s (or `torch.optim.AdamW`'s) defaults.
  ///
  /// - Precondition: `learningRate`, `epsilon` and `weightDecay` are ≥ 0, and both betas lie
  ///   in [0, 1) (the message names `Adam` or `AdamW` and the value).
  public init(
    learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
    weightDecay: Double = Decay.defaultWeightDecay, amsgrad: Bool = false, maximize: Bool = false
  ) {
    self.learningRate = learningRate
    self.betas = betas
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.amsgrad = amsgrad
    self.maximize = maximize
    body.validate()
  }

  var body: AdamStep {
    AdamStep(
      op: Decay.optimizerName, learningRate: learningRate, beta1: betas.0, beta2: betas.1, epsilon: epsilon,
      weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize, decoupled: Decay.isDecoupled)
  }

  /// Updates `parameters` by one step (see ``Adam`` and ``AdamW`` for the formulas).
  ///
  /// - Precondition: `gradient` has the structure, shapes and dtypes of `parameters`.
  public mutating func step<Parameters: TensorTree>(_ parameters: inout Parameters, gradient: Parameters) {
    body.run(&parameters, gradient: gradient, state: &state, count: stepCount + 1)
    stepCount += 1
  }

  /// Forgets the moments and the step count.
  public mutating func resetState() {
    state = []
    stepCount = 0
  }
}
