/// Which Jacobian or Hessian pattern a detection finds.
public enum SparsityDetection: String, Sendable, CaseIterable {
  /// The pattern valid at every input: the union, over all inputs, of the nonzeros. It comes from
  /// the index maps the ops declare and never looks at values.
  case global
  /// The pattern at the given point: like ``global``, but ops that are exactly flat or exactly
  /// zero at the point's values drop their dependencies (a ReLU on its off region, a product with
  /// an exact zero, a comparison). Valid only at that point.
  case local
}

/// The sparsity pattern of the Jacobian of `f` at `x`: rows are the elements of `f(x)` and
/// columns the elements of `x`, both in row-major order.
///
/// Placeholder (session 4 in progress): returns the dense pattern.
public func jacobianSparsity(
  of f: (Tensor) throws -> Tensor, at x: Tensor, detection: SparsityDetection = .global
) rethrows -> SparsityPattern {
  let y = try f(x)
  return .dense(rows: y.count, columns: x.count)
}

/// The sparsity pattern of the Hessian of a scalar function `f` at `x` (symmetric,
/// `x.count × x.count`).
///
/// Placeholder (session 4 in progress): returns the dense pattern.
public func hessianSparsity(
  of f: (Tensor) throws -> Tensor, at x: Tensor, detection: SparsityDetection = .global
) rethrows -> SparsityPattern {
  _ = try f(x)
  return .dense(rows: x.count, columns: x.count)
}
