/// Newton-CG (truncated Newton) with Hessian-vector products by forward-over-reverse: the
/// Hessian is never formed.
///
/// Each iteration solves the Newton system H p = −g approximately by conjugate gradients
/// (Nocedal and Wright, *Numerical Optimization*, 2nd ed., algorithm 7.1), where every
/// product H·v is the JVP of the reverse-mode gradient along v (forward-over-reverse; see
/// ``linearizesGradient`` for the two ways it is computed). CG stops
/// when ‖H p + g‖ ≤ η‖g‖ with the forcing term η = min(½, √‖g‖) (superlinear convergence
/// near the minimum), or at a direction of nonpositive curvature dᵀH d ≤ 0: then it keeps
/// the iterate so far, or, if that happens at the first CG step, takes the steepest-descent
/// direction −g, scaled by ‖g‖²/|gᵀH g| when that curvature is negative (the
/// negative-curvature guard, as SciPy's Newton-CG). A ``StrongWolfe`` line search from t = 1
/// then picks the step.
///
/// It stops when the largest absolute gradient element is at most `gradientTolerance`, when
/// the step's largest element or the change of f is below `changeTolerance`, or at the
/// iteration or evaluation limit.
public struct NewtonCG: Sendable {
  /// The most (outer) Newton iterations; default 100.
  public var maxIterations: Int
  /// The most evaluations of f and its gradient (line-search trials); default 5 × `maxIterations`.
  public var maxEvaluations: Int?
  /// The most CG iterations (Hessian-vector products) per Newton iteration; default 200.
  public var maxConjugateGradientIterations: Int
  /// The tolerance on the largest absolute gradient element; default 1e-7.
  public var gradientTolerance: Double
  /// The tolerance on the step's largest element and on the change of f; default 1e-12.
  public var changeTolerance: Double
  /// The line search.
  public var lineSearch: StrongWolfe
  /// How the Hessian-vector products are computed; default `true`.
  ///
  /// With `true`, every evaluation of f and its gradient (the start and each line-search
  /// trial) is recorded with ``linearize(of:at:chunked:)->(_,_)``, and each product H·v at the
  /// accepted point replays that tape forwards (the JVP of the gradient, forward-over-reverse)
  /// without recomputing the function or its gradient: a Newton iteration costs its line-search
  /// trials and its products, with no extra gradient evaluation to set up the products.
  /// With `false`, each product is one ``hvp(of:at:along:chunked:)`` call, which runs the
  /// gradient on dual tensors: the memory of one gradient, but the whole pass per product.
  /// Both give the same numbers.
  public var linearizesGradient: Bool

  /// Creates the minimizer.
  ///
  /// - Precondition: the limits ≥ 1 and the tolerances ≥ 0 (the message names `NewtonCG`
  ///   and the value).
  public init(
    maxIterations: Int = 100, maxEvaluations: Int? = nil, maxConjugateGradientIterations: Int = 200,
    gradientTolerance: Double = 1e-7, changeTolerance: Double = 1e-12, lineSearch: StrongWolfe = StrongWolfe(),
    linearizesGradient: Bool = true
  ) {
    self.linearizesGradient = linearizesGradient
    self.maxIterations = maxIterations
    self.maxEvaluations = maxEvaluations
    self.maxConjugateGradientIterations = maxConjugateGradientIterations
    self.gradientTolerance = gradientTolerance
    self.changeTolerance = changeTolerance
    self.lineSearch = lineSearch
    validate()
  }

  func validate() {
    checkHyperparameter(maxIterations >= 1, "NewtonCG", "maxIterations", ">= 1", maxIterations)
    if let maxEvaluations {
      checkHyperparameter(maxEvaluations >= 1, "NewtonCG", "maxEvaluations", ">= 1", maxEvaluations)
    }
    checkHyperparameter(
      maxConjugateGradientIterations >= 1, "NewtonCG", "maxConjugateGradientIterations", ">= 1", maxConjugateGradientIterations)
    checkHyperparameter(gradientTolerance >= 0, "NewtonCG", "gradientTolerance", ">= 0", gradientTolerance)
    checkHyperparameter(changeTolerance >= 0, "NewtonCG", "changeTolerance", ">= 0", changeTolerance)
    lineSearch.validate("NewtonCG")
  }

  /// The products H·v at one point.
  typealias HessianProduct = (LeafVector) -> LeafVector

  /// Minimizes `f` from `start`.
  ///
  /// - Parameters:
  ///   - start: the initial parameters (`float32` or `float64` leaves).
  ///   - f: the scalar objective, twice differentiable.
  /// - Returns: the final point, its value and gradient norm, the Newton iterations, the
  ///   evaluations of f and its gradient, the Hessian-vector products (``MinimizationResult/innerIterations``),
  ///   and why the minimizer stopped.
  /// - Precondition: `f` returns a single element.
  public func minimize<Parameters: TensorTree>(
    from start: Parameters, _ f: (Parameters) throws -> Tensor
  ) rethrows -> MinimizationResult<Parameters> {
    validate()
    let evaluationLimit = maxEvaluations ?? maxIterations * 5
    var x = LeafVector(leavesOf: start)
    // With `linearizesGradient`, an evaluation also keeps the products H·v at its point.
    func evaluate(at point: LeafVector, linearizing: Bool) throws -> (Double, LeafVector, HessianProduct?) {
      guard linearizing else {
        let (v, g) = try LeafVector.valueAndGradient(of: f, at: point, like: start)
        return (v, g, nil)
      }
      var v = 0.0
      let (g, hessianTimes) = try linearize(
        of: { p in
          let (value, gradient) = try valueWithGradient(of: f, at: p)
          v = value.detached.scalar
          return gradient
        }, at: point.tree(like: start))
      return (v, LeafVector(leavesOf: g), { u in LeafVector(leavesOf: hessianTimes(u.tree(like: start))) })
    }
    var (value, g, hessianTimes) = try evaluate(at: x, linearizing: linearizesGradient)
    var evaluations = 1, products = 0
    func result(_ iterations: Int, _ reason: StopReason) -> MinimizationResult<Parameters> {
      MinimizationResult(
        parameters: x.tree(like: start), value: value, gradientNorm: g.maxAbs, iterations: iterations,
        functionEvaluations: evaluations, innerIterations: products, reason: reason)
    }
    guard value.isFinite && g.maxAbs.isFinite else { return result(0, .nonFiniteValue) }
    if g.maxAbs <= gradientTolerance { return result(0, .gradientTolerance) }
    for iteration in 1...maxIterations {
      let gNorm = g.norm
      let solver = ConjugateGradient(
        tolerance: Swift.min(0.5, gNorm.squareRoot()) * gNorm, maxIterations: maxConjugateGradientIterations)
      let solution: ConjugateGradient.Solution
      if let hessianTimes {
        solution = solver.solve(-g, applying: hessianTimes)
      } else {
        let point = x.tree(like: start)
        solution = try solver.solve(-g) { v in
          LeafVector(leavesOf: try hvp(of: f, at: point, along: v.tree(like: start)).hvp)
        }
      }
      products += solution.iterations
      var d = solution.x
      var slope = g.dot(d)
      // Nonpositive curvature at the first CG step leaves p = 0: take steepest descent,
      // scaled by ‖g‖²/|gᵀHg| when the curvature along −g is negative.
      if !(slope < 0) {
        let kappa = solution.nonpositiveCurvature ?? 0
        let scale = kappa < 0 && kappa.isFinite ? gNorm * gNorm / -kappa : 1
        d = scale * -g
        slope = -scale * gNorm * gNorm
      }
      let origin = LinePoint(t: 0, value: value, gradient: g, slope: slope)
      // The products of the lowest trial so far, the one the search accepts unless it stops at
      // its evaluation limit; only that trial's tape is kept (none after the last iteration).
      // When the accepted trial is another, its products are computed afresh with `hvp`.
      var lowest: (t: Double, value: Double, product: HessianProduct)?
      let linearizing = linearizesGradient && iteration < maxIterations
      let (accepted, used) = try lineSearch.search(
        from: origin, initialStep: 1, directionMaxAbs: d.maxAbs, tolerance: changeTolerance, singlePrecision: x.isSinglePrecision
      ) { t in
        let (v, gt, product) = try evaluate(at: x.adding(d, scaledBy: t), linearizing: linearizing)
        if let product, v < lowest?.value ?? .infinity { lowest = (t, v, product) }
        return LinePoint(t: t, value: v, gradient: gt, slope: gt.dot(d))
      }
      evaluations += used
      if accepted.t == 0 { return result(iteration, .noProgress) }
      hessianTimes = lowest.flatMap { $0.t == accepted.t ? $0.product : nil }
      let step = accepted.t * d
      x = x + step
      let previous = value
      (value, g) = (accepted.value, accepted.gradient)
      if g.maxAbs <= gradientTolerance { return result(iteration, .gradientTolerance) }
      if step.maxAbs <= changeTolerance { return result(iteration, .stepTolerance) }
      if Swift.abs(value - previous) < changeTolerance { return result(iteration, .valueTolerance) }
      if evaluations >= evaluationLimit { return result(iteration, .evaluationLimit) }
    }
    return result(maxIterations, .iterationLimit)
  }
}
