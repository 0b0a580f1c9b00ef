/// Why a second-order minimizer (``LBFGS``, ``NewtonCG``, ``LevenbergMarquardt``) stopped.
public enum StopReason: String, Sendable, CustomStringConvertible {
  /// The largest absolute gradient element fell to the gradient tolerance: converged.
  case gradientTolerance
  /// The step's largest absolute element fell to the change tolerance: converged (progress
  /// stalled at the tolerance).
  case stepTolerance
  /// The change of the objective fell to the change tolerance: converged (progress stalled at
  /// the tolerance).
  case valueTolerance
  /// The iteration limit was reached first.
  case iterationLimit
  /// The function-evaluation limit was reached first.
  case evaluationLimit
  /// No step decreased the objective: the line search failed, the direction was not a descent
  /// direction, or the damping grew without an accepted step.
  case noProgress
  /// The objective or its gradient was not finite at the start or at an accepted point.
  case nonFiniteValue

  /// Whether this reason means convergence (a tolerance was met).
  public var isConvergence: Bool {
    switch self {
    case .gradientTolerance, .stepTolerance, .valueTolerance: return true
    default: return false
    }
  }

  /// The reason's name.
  public var description: String { rawValue }
}

/// The outcome of a second-order minimizer: the final point and value, the work done, and why
/// it stopped.
public struct MinimizationResult<Parameters: TensorTree> {
  /// The final parameters (the best accepted point).
  public var parameters: Parameters
  /// The objective at ``parameters`` (½‖r‖² for ``LevenbergMarquardt``).
  public var value: Double
  /// The largest absolute element of the gradient at ``parameters`` (the ∞-norm, which the
  /// gradient tolerance is compared with).
  public var gradientNorm: Double
  /// The outer iterations taken (accepted steps and the iteration that stopped).
  public var iterations: Int
  /// Evaluations of the objective: with its gradient for ``LBFGS`` and ``NewtonCG``; forward
  /// passes of the residuals (recorded for a pullback or a linearization) for
  /// ``LevenbergMarquardt``.
  public var functionEvaluations: Int
  /// Inner conjugate-gradient iterations: Hessian-vector products for ``NewtonCG``,
  /// JᵀJ-vector products (one JVP and one VJP each) for ``LevenbergMarquardt``, 0 for ``LBFGS``.
  public var innerIterations: Int
  /// Why the minimizer stopped.
  public var reason: StopReason
  /// Whether a tolerance was met (see ``StopReason/isConvergence``).
  public var converged: Bool { reason.isConvergence }
}
