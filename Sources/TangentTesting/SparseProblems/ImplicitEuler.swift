import Tangent

/// The residual of one implicit (backward) Euler step of `du/dt = f(u)`:
///
/// ```
/// F(u) = u − uₙ − Δt·f(u)
/// ```
///
/// whose root is `uₙ₊₁`. Its Jacobian `I − Δt·∂f/∂u` has the pattern of `∂f/∂u` plus the
/// diagonal. For a time-dependent `f`, pass `f(·, tₙ₊₁)`.
///
/// ```swift
/// let bruss = Brusselator2D(n: 32)
/// let forcing = bruss.forcing(t: t + dt)
/// let F = implicitEulerResidual(of: { bruss.rhs($0, forcing: forcing) }, previous: u, step: dt)
/// ```
///
/// - Parameters:
///   - f: The right-hand side.
///   - previous: `uₙ`, the state at the start of the step.
///   - step: The time step `Δt`.
/// - Returns: `F`, a function of the new state with the shape of `previous`.
public func implicitEulerResidual(
  of f: @escaping (Tensor) -> Tensor, previous: Tensor, step: Double
) -> (Tensor) -> Tensor {
  { u in u - previous - f(u) * step }
}
