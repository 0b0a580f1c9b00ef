/// Which Jacobian or Hessian pattern a detection finds.
public enum SparsityDetection: String, Sendable, CaseIterable {
  /// The pattern valid at every input: the union, over all inputs, of the nonzeros. It comes from
  /// the rules the ops declare (``DifferentiableOp/sparsity``) and never looks at values.
  case global
  /// The pattern at the given point: like ``global``, but elementwise ops whose partial
  /// derivative is exactly zero at the point's values drop that dependency (a ReLU on its off
  /// region, a product with an exact zero, `where` on the side not taken). Valid only at that
  /// point.
  case local
}

/// The sparsity pattern of the Jacobian of `f` at `x`: row `i` holds the inputs that element
/// `i` of `f(x)` depends on. Rows are the elements of `f(x)` and columns the elements of `x`,
/// both in row-major order.
///
/// Detection runs `f` once on `x` with index sets attached (index-set propagation): each op
/// maps its inputs' sets to its outputs' sets by the rule it declares
/// (``DifferentiableOp/sparsity``). Ops without a rule fall back to "every output depends on
/// every input" (``SparsityRule/dense``), which is conservative, never wrong; `tangent
/// coverage` lists them. The pattern contains every nonzero of the Jacobian at every point
/// (``SparsityDetection/global``) or at `x` (``SparsityDetection/local``); it may contain more
/// (an entry that cancels, or a dense fallback).
///
/// ```swift
/// let f = { (x: Tensor) in x[1...] * x[..<(-1)] }   // y[i] = x[i+1]·x[i]
/// let p = jacobianSparsity(of: f, at: Tensor.ones([5]))
/// // 4 × 5, two nonzeros per row: a bidiagonal pattern
/// ```
///
/// - Parameters:
///   - f: The function. It may read values (for control flow), but may not call derivative
///     transforms (jvp, gradient, ...) on the traced input.
///   - x: The point: a floating tensor.
///   - detection: Global (the default) or local.
/// - Returns: A `f(x).count × x.count` pattern.
public func jacobianSparsity(
  of f: (Tensor) throws -> Tensor, at x: Tensor, detection: SparsityDetection = .global
) rethrows -> SparsityPattern {
  try jacobianSparsityAndOutput(of: f, at: x, detection: detection).pattern
}

/// ``jacobianSparsity(of:at:detection:)`` and the value `f(x)` the detection computed on the
/// way (the prepared forms need both, and need not evaluate `f` a second time).
func jacobianSparsityAndOutput(
  of f: (Tensor) throws -> Tensor, at x: Tensor, detection: SparsityDetection = .global
) rethrows -> (pattern: SparsityPattern, output: Tensor) {
  let (y, _) = try traceSparsity(of: f, at: x, detection: detection, collectsPairs: false, op: "jacobianSparsity")
  let rows = y.count
  guard let sets = y.sparsityTrace?.sets else {
    return (SparsityPattern(rows: rows, columns: x.count, rowOffsets: [Int](repeating: 0, count: rows + 1), columnIndices: []), y.detached)
  }
  var offsets = [0]
  offsets.reserveCapacity(rows + 1)
  var columns: [Int] = []
  columns.reserveCapacity(sets.totalSize)
  for e in 0..<rows {
    columns.append(contentsOf: sets[e])
    offsets.append(columns.count)
  }
  return (SparsityPattern(rows: rows, columns: x.count, rowOffsets: offsets, columnIndices: columns), y.detached)
}

/// The sparsity pattern of the Hessian of a scalar function `f` at `x`: a symmetric
/// `x.count × x.count` pattern holding `(i, j)` when `∂²f/∂xᵢ∂xⱼ` may be nonzero.
///
/// Detection propagates first-order index sets as ``jacobianSparsity(of:at:detection:)`` does,
/// and records second-order pairs where inputs meet in a nonlinear op: a product `a·b` pairs
/// the inputs of `a` with those of `b`, a nonlinear function pairs all inputs of its argument,
/// and a linear op (a sum, a view, a ReLU) pairs none. So `Σ xᵢ²` has a diagonal Hessian
/// pattern, not a dense one. Pairs are collected over every op the function evaluates,
/// including values that do not reach the output, which keeps the pattern sound.
///
/// - Parameters:
///   - f: A function with one output element.
///   - x: The point: a floating tensor.
///   - detection: Global (the default) or local.
/// - Returns: A symmetric `x.count × x.count` pattern.
public func hessianSparsity(
  of f: (Tensor) throws -> Tensor, at x: Tensor, detection: SparsityDetection = .global
) rethrows -> SparsityPattern {
  let (pattern, y) = try hessianSparsityAndOutput(of: f, at: x, detection: detection)
  check(y.count == 1, "hessianSparsity: the function must return one element, got shape \(y.shape)")
  return pattern
}

/// The pairs ``hessianSparsity(of:at:detection:)`` finds and the value `f(x)` the detection
/// computed on the way, without checking that `f(x)` has one element (the caller does, in
/// its own words).
func hessianSparsityAndOutput(
  of f: (Tensor) throws -> Tensor, at x: Tensor, detection: SparsityDetection = .global
) rethrows -> (pattern: SparsityPattern, output: Tensor) {
  let (y, tracer) = try traceSparsity(of: f, at: x, detection: detection, collectsPairs: true, op: "hessianSparsity")
  return (tracer.pairPattern, y.detached)
}

/// The ops of one detection of `f` at `x` that used the dense fallback (no declared
/// ``DifferentiableOp/sparsity`` rule), by name; `tangent coverage` lists them per op.
///
/// - Parameters:
///   - f: The function.
///   - x: The point: a floating tensor.
/// - Returns: The op names, sorted.
public func sparsityFallbacks(of f: (Tensor) throws -> Tensor, at x: Tensor) rethrows -> [String] {
  try traceSparsity(of: f, at: x, detection: .global, collectsPairs: false, op: "sparsityFallbacks").tracer.fallbackOps
}

/// Runs `f` on `x` carrying identity index sets.
private func traceSparsity(
  of f: (Tensor) throws -> Tensor, at x: Tensor, detection: SparsityDetection, collectsPairs: Bool, op: String
) rethrows -> (output: Tensor, tracer: SparsityTracer) {
  check(x.dtype.isFloatingPoint, "\(op): the input must be floating, got \(x.dtype)")
  check(x.autodiff == nil, "\(op): the input carries tangents, a tape link or another detection's sets; pass a plain tensor")
  let tracer = SparsityTracer(detection: detection, collectsPairs: collectsPairs, inputCount: x.count)
  let y = try f(x.tracing(.identity(count: x.count, start: 0), tracer))
  if let t = y.sparsityTrace { check(t.tracer === tracer, "\(op): the function returned a tensor traced by another detection") }
  return (y.detached.tracing(y.sparsityTrace?.sets ?? .empty(y.count), tracer), tracer)
}
