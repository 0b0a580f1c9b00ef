/// AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay,
/// `torch.optim.AdamW`'s update and defaults.
///
/// The weight decay shrinks the parameter directly instead of entering the gradient (and so
/// the moments). With learning rate γ, betas (β₁, β₂), ε and weight decay λ, step t is
///
///     gₜ ← −gₜ                               (when maximizing)
///     θ′ = θₜ₋₁ (1 − γλ)
///     mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ
///     vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ²
///     v̂ₜ = max(v̂ₜ₋₁, vₜ) (AMSGrad),  vₜ (otherwise)
///     θₜ = θ′ − γ/(1 − β₁ᵗ) · mₜ / (√v̂ₜ / √(1 − β₂ᵗ) + ε)
///
/// The defaults are Adam's, except λ = 0.01.
public struct AdamW: Optimizer {
  /// The learning rate γ (PyTorch's `lr`); default 1e-3.
  public var learningRate: Double
  /// The decay rates (β₁, β₂) of the moment averages; default (0.9, 0.999).
  public var betas: (Double, Double)
  /// The term ε added to the denominator; default 1e-8.
  public var epsilon: Double
  /// The decoupled weight decay λ; default 0.01.
  public var weightDecay: Double
  /// Whether to use the AMSGrad variant: the running maximum of vₜ in the denominator;
  /// default false.
  public var amsgrad: Bool
  /// Whether to maximize the objective instead of minimizing it; default false.
  public var maximize: Bool

  /// The moments, one per parameter tensor (empty until the first step).
  public private(set) var state: [AdamState] = []
  /// The number of steps taken; step t uses the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ.
  public private(set) var stepCount = 0

  /// Creates the optimizer with `torch.optim.AdamW`'s defaults.
  ///
  /// - Precondition: `learningRate`, `epsilon` and `weightDecay` are ≥ 0, and both betas lie
  ///   in [0, 1) (the message names `AdamW` and the value).
  public init(
    learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
    weightDecay: Double = 0.01, amsgrad: Bool = false, maximize: Bool = false
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
      op: "AdamW", learningRate: learningRate, beta1: betas.0, beta2: betas.1, epsilon: epsilon,
      weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize, decoupled: true)
  }

  /// Updates `parameters` by one AdamW step (see ``AdamW`` for the formula).
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
