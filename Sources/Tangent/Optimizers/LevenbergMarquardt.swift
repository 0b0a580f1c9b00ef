/// Levenberg–Marquardt for nonlinear least squares, min ½‖r(θ)‖², with Jacobian-vector
/// products by forward mode and vector-Jacobian products by reverse mode: the Jacobian J of
/// the residuals is never formed.
///
/// Each iteration solves the damped Gauss-Newton system
///
///     (JᵀJ + λI) δ = −Jᵀr
///
/// by conjugate gradients, where each product (JᵀJ + λI)·v is one JVP J·v (a replay of a
/// ``linearize(of:at:chunked:)->(_,_)`` tape, so the residuals are not recomputed) and one VJP
/// Jᵀ·u (a ``vjp(of:at:chunked:)->(_,_)`` pullback). The step is accepted when the gain ratio
///
///     ρ = (F(θ) − F(θ + δ)) / (−gᵀδ − ½‖Jδ‖²),   F = ½‖r‖²,  g = Jᵀr
///
/// is positive; then λ ← λ·max(⅓, 1 − (2ρ − 1)³) and ν ← 2; otherwise λ ← λν and ν ← 2ν
/// (Nielsen 1999; Madsen, Nielsen and Tingleff, *Methods for Non-Linear Least Squares
/// Problems*, 2004). With λ small it is Gauss-Newton; with λ large, a short gradient step.
///
/// It stops when the largest absolute element of Jᵀr is at most `gradientTolerance`, when an
/// accepted step's largest element is below `changeTolerance`·(‖θ‖∞ + `changeTolerance`), when
/// F changes by less than `changeTolerance`·F, or at the iteration limit.
public struct LevenbergMarquardt: Sendable {
  /// The most (outer) iterations, accepted or rejected; default 100.
  public var maxIterations: Int
  /// The initial damping λ₀; default 1e-3. Zero starts as Gauss-Newton.
  public var initialDamping: Double
  /// The tolerance on the largest absolute element of Jᵀr; default 1e-10.
  public var gradientTolerance: Double
  /// The relative tolerance on the step and on the change of F; default 1e-12.
  public var changeTolerance: Double
  /// The most CG iterations (JᵀJ-vector products) per solve; default 200.
  public var maxConjugateGradientIterations: Int
  /// CG stops when ‖(JᵀJ + λI)δ + Jᵀr‖ ≤ this × ‖Jᵀr‖; default 1e-10.
  public var conjugateGradientTolerance: Double

  /// Creates the minimizer.
  ///
  /// - Precondition: the limits ≥ 1, `initialDamping` and the tolerances ≥ 0 (the message
  ///   names `LevenbergMarquardt` and the value).
  public init(
    maxIterations: Int = 100, initialDamping: Double = 1e-3, gradientTolerance: Double = 1e-10,
    changeTolerance: Double = 1e-12, maxConjugateGradientIterations: Int = 200,
    conjugateGradientTolerance: Double = 1e-10
  ) {
    self.maxIterations = maxIterations
    self.initialDamping = initialDamping
    self.gradientTolerance = gradientTolerance
    self.changeTolerance = changeTolerance
    self.maxConjugateGradientIterations = maxConjugateGradientIterations
    self.conjugateGradientTolerance = conjugateGradientTolerance
    validate()
  }

  func validate() {
    let op = "LevenbergMarquardt"
    checkHyperparameter(maxIterations >= 1, op, "maxIterations", ">= 1", maxIterations)
    checkHyperparameter(initialDamping >= 0 && initialDamping.isFinite, op, "initialDamping", "finite and >= 0", initialDamping)
    checkHyperparameter(gradientTolerance >= 0, op, "gradientTolerance", ">= 0", gradientTolerance)
    checkHyperparameter(changeTolerance >= 0, op, "changeTolerance", ">= 0", changeTolerance)
    checkHyperparameter(
      maxConjugateGradientIterations >= 1, op, "maxConjugateGradientIterations", ">= 1",
      maxConjugateGradientIterations)
    checkHyperparameter(conjugateGradientTolerance >= 0, op, "conjugateGradientTolerance", ">= 0", conjugateGradientTolerance)
  }

  /// Minimizes ½‖r(θ)‖² from `start`.
  ///
  /// - Parameters:
  ///   - start: the initial parameters (`float32` or `float64` leaves).
  ///   - residuals: the residual function r; its output is a tensor or a ``TensorTree``.
  /// - Returns: the final point, F = ½‖r‖² there and the ∞-norm of Jᵀr, the iterations, the
  ///   forward passes of r, the JᵀJ-vector products (``MinimizationResult/innerIterations``),
  ///   and why the minimizer stopped.
  public func minimize<Parameters: TensorTree, Residuals: TensorTree>(
    from start: Parameters, residuals: (Parameters) throws -> Residuals
  ) rethrows -> MinimizationResult<Parameters> {
    validate()
    var x = LeafVector(leavesOf: start)
    var (r, pullback) = try vjp(of: residuals, at: start)
    // The residuals are pulled back as plain values (cotangents carry no tape).
    r = r.mapLeaves(\.detached)
    var cost = 0.5 * LeafVector(leavesOf: r).dot(LeafVector(leavesOf: r))
    var g = LeafVector(leavesOf: pullback(r))
    var evaluations = 1, products = 0
    var lambda = initialDamping, nu = 2.0
    func result(_ iterations: Int, _ reason: StopReason) -> MinimizationResult<Parameters> {
      MinimizationResult(
        parameters: x.tree(like: start), value: cost, gradientNorm: g.maxAbs, iterations: iterations,
        functionEvaluations: evaluations, innerIterations: products, reason: reason)
    }
    guard cost.isFinite && g.maxAbs.isFinite else { return result(0, .nonFiniteValue) }
    if g.maxAbs <= gradientTolerance { return result(0, .gradientTolerance) }
    var linearized = try linearize(of: residuals, at: start).jvp
    evaluations += 1
    for iteration in 1...maxIterations {
      let solver = ConjugateGradient(
        tolerance: conjugateGradientTolerance * g.norm, maxIterations: maxConjugateGradientIterations)
      let pb = pullback, jvpAt = linearized, damping = lambda
      let solution = solver.solve(-g) { v in
        let jv = jvpAt(v.tree(like: start))
        return LeafVector(leavesOf: pb(jv)).adding(v, scaledBy: damping)
      }
      products += solution.iterations
      let delta = solution.x
      let jDelta = LeafVector(leavesOf: jvpAt(delta.tree(like: start)))
      let predicted = -g.dot(delta) - 0.5 * jDelta.dot(jDelta)
      let trialPoint = x + delta
      let (trial, trialPullback) = try vjp(of: residuals, at: trialPoint.tree(like: start))
      evaluations += 1
      let trialResiduals = LeafVector(leavesOf: trial)
      let trialCost = 0.5 * trialResiduals.dot(trialResiduals)
      let rho = (cost - trialCost) / predicted
      if predicted > 0 && trialCost.isFinite && rho > 0 {
        let previous = cost
        x = trialPoint
        (r, pullback, cost) = (trial.mapLeaves(\.detached), trialPullback, trialCost)
        g = LeafVector(leavesOf: pullback(r))
        let q = 2 * rho - 1
        lambda *= Swift.max(1.0 / 3, 1 - q * q * q)
        nu = 2
        if g.maxAbs <= gradientTolerance { return result(iteration, .gradientTolerance) }
        if delta.maxAbs <= changeTolerance * (x.maxAbs + changeTolerance) { return result(iteration, .stepTolerance) }
        if previous - cost <= changeTolerance * previous { return result(iteration, .valueTolerance) }
        linearized = try linearize(of: residuals, at: x.tree(like: start)).jvp
        evaluations += 1
      } else {
        // A rejected step: damp more (from a small λ when starting as Gauss-Newton).
        lambda = lambda == 0 ? 1e-3 : lambda * nu
        nu *= 2
        if !lambda.isFinite || lambda > 1e30 { return result(iteration, .noProgress) }
      }
    }
    return result(maxIterations, .iterationLimit)
  }
}
