/// Limited-memory BFGS with a strong Wolfe line search (Nocedal 1980; Liu and Nocedal
/// 1989), with `torch.optim.LBFGS`'s defaults and stopping rules.
///
/// Each iteration computes the direction dₖ = −Hₖ gₖ by the two-loop recursion over the last
/// m pairs sₖ = θₖ₊₁ − θₖ, yₖ = gₖ₊₁ − gₖ (a pair is kept when yₖᵀsₖ > 10⁻¹⁰), with the
/// initial inverse Hessian γI, γ = yᵀs / yᵀy of the newest pair; then a ``StrongWolfe`` line
/// search picks θₖ₊₁ = θₖ + tₖ dₖ. The first trial step is `learningRate` (min(1, 1/‖g₀‖₁)
/// times it on the first iteration). Gradients come from reverse mode.
///
/// It stops when the largest absolute gradient element is at most `gradientTolerance`, when
/// the step's largest element or the change of f is below `changeTolerance`, when the
/// directional derivative gᵀd is above −`changeTolerance`, or at the iteration or evaluation
/// limit.
///
/// ```swift
/// let result = LBFGS().minimize(from: Tensor.zeros([10])) { x in rosenbrock(x) }
/// result.parameters; result.iterations; result.reason
/// ```
public struct LBFGS: Sendable {
  /// The number of (s, y) pairs kept; default 100 (PyTorch's `history_size`).
  public var historySize: Int
  /// The most iterations; default 100.
  public var maxIterations: Int
  /// The most evaluations of f and its gradient; by default 1.25 × `maxIterations`, as PyTorch.
  public var maxEvaluations: Int?
  /// The tolerance on the largest absolute gradient element; default 1e-7.
  public var gradientTolerance: Double
  /// The tolerance on the step's largest element and on the change of f; default 1e-9.
  public var changeTolerance: Double
  /// The first trial step of each line search; default 1.
  public var learningRate: Double
  /// The line search.
  public var lineSearch: StrongWolfe

  /// Creates the minimizer with `torch.optim.LBFGS`'s tolerances.
  ///
  /// - Precondition: `historySize`, `maxIterations` (and `maxEvaluations` when given) ≥ 1;
  ///   the tolerances ≥ 0; `learningRate` > 0 (the message names `LBFGS` and the value).
  public init(
    historySize: Int = 100, maxIterations: Int = 100, maxEvaluations: Int? = nil,
    gradientTolerance: Double = 1e-7, changeTolerance: Double = 1e-9, learningRate: Double = 1,
    lineSearch: StrongWolfe = StrongWolfe()
  ) {
    self.historySize = historySize
    self.maxIterations = maxIterations
    self.maxEvaluations = maxEvaluations
    self.gradientTolerance = gradientTolerance
    self.changeTolerance = changeTolerance
    self.learningRate = learningRate
    self.lineSearch = lineSearch
    validate()
  }

  func validate() {
    checkHyperparameter(historySize >= 1, "LBFGS", "historySize", ">= 1", historySize)
    checkHyperparameter(maxIterations >= 1, "LBFGS", "maxIterations", ">= 1", maxIterations)
    if let maxEvaluations {
      checkHyperparameter(maxEvaluations >= 1, "LBFGS", "maxEvaluations", ">= 1", maxEvaluations)
    }
    checkHyperparameter(gradientTolerance >= 0, "LBFGS", "gradientTolerance", ">= 0", gradientTolerance)
    checkHyperparameter(changeTolerance >= 0, "LBFGS", "changeTolerance", ">= 0", changeTolerance)
    checkHyperparameter(learningRate > 0, "LBFGS", "learningRate", "> 0", learningRate)
    lineSearch.validate("LBFGS")
  }

  /// Minimizes `f` from `start`.
  ///
  /// - Parameters:
  ///   - start: the initial parameters (`float32` or `float64` leaves).
  ///   - f: the scalar objective.
  /// - Returns: the final point, its value and gradient norm, the iterations and evaluations
  ///   used, and why the minimizer stopped.
  /// - Precondition: `f` returns a single element.
  public func minimize<Parameters: TensorTree>(
    from start: Parameters, _ f: (Parameters) throws -> Tensor
  ) rethrows -> MinimizationResult<Parameters> {
    validate()
    let evaluationLimit = maxEvaluations ?? maxIterations * 5 / 4
    var x = LeafVector(leavesOf: start)
    var (value, g) = try LeafVector.valueAndGradient(of: f, at: x, like: start)
    var evaluations = 1
    func result(_ iterations: Int, _ reason: StopReason) -> MinimizationResult<Parameters> {
      MinimizationResult(
        parameters: x.tree(like: start), value: value, gradientNorm: g.maxAbs, iterations: iterations,
        functionEvaluations: evaluations, innerIterations: 0, reason: reason)
    }
    guard value.isFinite && g.maxAbs.isFinite else { return result(0, .nonFiniteValue) }
    if g.maxAbs <= gradientTolerance { return result(0, .gradientTolerance) }
    var s: [LeafVector] = [], y: [LeafVector] = [], rho: [Double] = []
    var gamma = 1.0
    for iteration in 1...maxIterations {
      // Two-loop recursion: d = −H g.
      var q = g
      var alpha = [Double](repeating: 0, count: s.count)
      for i in stride(from: s.count - 1, through: 0, by: -1) {
        alpha[i] = rho[i] * s[i].dot(q)
        q = q.adding(y[i], scaledBy: -alpha[i])
      }
      var r = gamma * q
      for i in 0..<s.count {
        let beta = rho[i] * y[i].dot(r)
        r = r.adding(s[i], scaledBy: alpha[i] - beta)
      }
      let d = -r
      let slope = g.dot(d)
      if !(slope < -changeTolerance) { return result(iteration, slope.isFinite ? .stepTolerance : .nonFiniteValue) }
      let t0 = iteration == 1 ? Swift.min(1, 1 / g.l1Norm) * learningRate : learningRate
      let origin = LinePoint(t: 0, value: value, gradient: g, slope: slope)
      let (point, used) = try lineSearch.search(
        from: origin, initialStep: t0, directionMaxAbs: d.maxAbs, tolerance: changeTolerance, singlePrecision: x.isSinglePrecision
      ) { t in
        let (v, gt) = try LeafVector.valueAndGradient(of: f, at: x.adding(d, scaledBy: t), like: start)
        return LinePoint(t: t, value: v, gradient: gt, slope: gt.dot(d))
      }
      evaluations += used
      if point.t == 0 { return result(iteration, .noProgress) }
      let step = point.t * d
      let change = point.gradient - g
      let ys = change.dot(step)
      if ys > 1e-10 {
        if s.count == historySize { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
        s.append(step)
        y.append(change)
        rho.append(1 / ys)
        gamma = ys / change.dot(change)
      }
      x = x + step
      let previous = value
      (value, g) = (point.value, point.gradient)
      if g.maxAbs <= gradientTolerance { return result(iteration, .gradientTolerance) }
      if step.maxAbs <= changeTolerance { return result(iteration, .stepTolerance) }
      if Swift.abs(value - previous) < changeTolerance { return result(iteration, .valueTolerance) }
      if evaluations >= evaluationLimit { return result(iteration, .evaluationLimit) }
    }
    return result(maxIterations, .iterationLimit)
  }
}
