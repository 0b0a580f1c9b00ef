/// The Laplacian Δu = Σⱼ ∂²u/∂xⱼ² at a batch of points, by collapsed Taylor mode (the Forward
/// Laplacian of Li et al. 2023; Dangel et al. 2025).
///
/// One evaluation of `u` pushes, through each op, the value, the d first-order coefficients
/// (one per coordinate direction, as one chunked tangent) and a *single* second-order
/// coefficient summed over the directions: for an elementwise f, s_y = f′·s_x + ½f″·Σⱼ x₁ⱼ².
/// It is neither d separate second-order jets nor a Hessian trace, and its memory is that of a
/// chunked JVP with d + 1 directions. Ops without a fast Taylor rule take the generic rule
/// (nested forward mode, one direction at a time).
///
/// - Parameters:
///   - u: the function, from points of shape `[B…, d]` to values of any shape (usually
///     `[B…]` or `[B…, 1]`), where each value depends on one point only (a batch of independent
///     evaluations, as under `vmap`).
///   - x: the points, shape `[B…, d]` (just `[d]` for one point).
/// - Returns: u(x); the gradients, of shape `u(x).shape + [d]`; and the Laplacians, of `u(x)`'s
///   shape. (For a value that depends on several points, the last two are the sums of the
///   derivatives over those points' coordinates j.)
/// - Precondition: `x` is floating with rank ≥ 1.
/// - Complexity: about one evaluation of a chunked JVP with d + 1 directions (an elementwise
///   op adds three d-wide passes: x₁·f′, x₁² and their sum over the directions).
public func laplacian(
  of u: (Tensor) throws -> Tensor, at x: Tensor
) rethrows -> (value: Tensor, gradient: Tensor, laplacian: Tensor) {
  check(x.rank >= 1, "laplacian: the points need shape [B…, d], got a 0-d tensor")
  let (value, first, second) = try collapsedSecondOrder(of: u, at: x, directions: coordinateDirections(x), op: "laplacian")
  return (value, movingDirectionsLast(first), second * 2)
}

/// The weighted Laplacian tr(σσᵀ∇²u) = Σₗ σₗᵀ·∇²u·σₗ (σₗ the columns of σ), the second-order
/// term of the Kolmogorov backward and Fokker–Planck operators, by collapsed Taylor mode
/// along the columns of σ (see ``laplacian(of:at:)``).
///
/// - Parameters:
///   - u: the function, from points `[B…, d]` to values where each depends on one point.
///   - x: the points, shape `[B…, d]`.
///   - sigma: the diffusion matrix, `[d, r]` for all points or `[B…, d, r]` per point.
/// - Returns: u(x) and tr(σσᵀ∇²u) of `u(x)`'s shape.
/// - Precondition: `sigma` has shape `[d, r]` or `x.shape + [r]`, r ≥ 1.
public func weightedLaplacian(
  of u: (Tensor) throws -> Tensor, at x: Tensor, sigma: Tensor
) rethrows -> (value: Tensor, laplacian: Tensor) {
  check(x.rank >= 1, "weightedLaplacian: the points need shape [B…, d], got a 0-d tensor")
  let d = x.shape[x.rank - 1]
  check(
    sigma.rank >= 2 && sigma.shape[sigma.rank - 2] == d
      && (sigma.rank == 2 || Array(sigma.shape.dropLast()) == x.shape),
    "weightedLaplacian: sigma of shape \(sigma.shape) does not fit points of shape \(x.shape) (expected [\(d), r] or \(x.shape) + [r])")
  let r = sigma.shape[sigma.rank - 1]
  // The columns of σ as directions: [r] + x.shape.
  let columns = sigma.movedim(sigma.rank - 1, to: 0)
  let directions = columns.rank == 2
    ? columns.reshaped([r] + Array(repeating: 1, count: x.rank - 1) + [d]).expanded(to: [r] + x.shape)
    : columns
  let (value, _, second) = try collapsedSecondOrder(of: u, at: x, directions: directions, op: "weightedLaplacian")
  return (value, second * 2)
}

/// The diagonal of the Hessian, ∂²u/∂xⱼ² for each coordinate j, at a batch of points, by
/// second-order Taylor mode along the d coordinate directions at once (d jets that share the
/// primal, not a Hessian).
///
/// - Parameters:
///   - u: the function, from points `[B…, d]` to values where each depends on one point.
///   - x: the points, shape `[B…, d]`.
/// - Returns: u(x) and the diagonals, of shape `u(x).shape + [d]`.
/// - Precondition: `x` is floating with rank ≥ 1.
public func hessianDiagonal(
  of u: (Tensor) throws -> Tensor, at x: Tensor
) rethrows -> (value: Tensor, diagonal: Tensor) {
  check(x.rank >= 1, "hessianDiagonal: the points need shape [B…, d], got a 0-d tensor")
  let v = coordinateDirections(x)
  let (value, coefficients) = try taylorPass(
    of: u, at: x, coefficients: [[v, Tensor.zeros(like: v)]], directions: v.shape[0])
  // The normalized second coefficient is ½·vᵀ∇²u·v.
  return (value, movingDirectionsLast(coefficients[0][1] * 2))
}

/// The d coordinate directions over points `[B…, d]`: shape `[d] + x.shape`, direction j
/// being 1 at coordinate j of every point.
func coordinateDirections(_ x: Tensor) -> Tensor {
  let d = x.shape[x.rank - 1]
  let eye = Tensor.eye(d, dtype: x.dtype)
  return eye.reshaped([d] + Array(repeating: 1, count: x.rank - 1) + [d]).expanded(to: [d] + x.shape).contiguousCopy()
}

/// `[d] + shape` → `shape + [d]`.
func movingDirectionsLast(_ t: Tensor) -> Tensor { t.movedim(0, to: t.rank - 1) }

/// Runs `u` at a collapsed Taylor level: the value, the first-order coefficients along each
/// of the r `directions` (`[r] + x.shape`) and the second-order coefficient summed over them
/// (normalized: ½·Σₗ vₗᵀ∇²u·vₗ), with x₂ = 0.
func collapsedSecondOrder(
  of u: (Tensor) throws -> Tensor, at x: Tensor, directions: Tensor, op: String
) rethrows -> (value: Tensor, first: Tensor, second: Tensor) {
  check(x.dtype.isFloatingPoint, "\(op): the points must be floating, got \(x.dtype)")
  check(
    directions.rank == x.rank + 1 && Array(directions.shape.dropFirst()) == x.shape && directions.shape[0] >= 1,
    "\(op): directions of shape \(directions.shape) do not fit points of shape \(x.shape)")
  let r = directions.shape[0]
  return try withDualLevel { level in
    try TaylorMode.withLevel(level, .collapsed(directions: r)) {
      let v = directions.dtype == x.dtype ? directions : directions.converted(to: x.dtype)
      let payload = Tensor.cat([v, Tensor.zeros(like: x.detached).unsqueezed(dim: 0)], dim: 0)
      let y = try u(x.attachingPayload(payload, at: level))
      let (value, p) = y.unpacked(at: level)
      let full = p ?? Tensor.zeros(like: value.detached, shape: [r + 1] + value.shape)
      return (value, full.narrowed(dim: 0, start: 0, length: r), full.select(dim: 0, index: r))
    }
  }
}
