/// The sparse Jacobian of `f` at `x`, prepared and evaluated once: detection (unless `pattern`
/// is given), colouring, compressed passes and decompression.
///
/// Use ``PreparedSparseJacobian`` to evaluate at many points (a Newton iteration, a time
/// stepper): it keeps the pattern, the colouring and the seeds. The result equals
/// ``jacfwd(of:at:chunkSize:)->Tensor`` (reshaped to `f(x).count × x.count`) on the pattern, to
/// rounding; for complex dtypes it follows `jacfwd`'s convention (see
/// ``PreparedSparseJacobian``).
///
/// ```swift
/// let j = sparseJacobian(of: residual, at: u, as: Double.self)
/// print(j.nonzeroCount)
/// ```
///
/// - Parameters:
///   - f: The function, from a floating tensor to a tensor of the same dtype.
///   - x: The point.
///   - scalarType: The Swift type of `x`'s dtype (`Double.self`, `Complex<Double>.self`, ...).
///   - pattern: The Jacobian's pattern, `f(x).count × x.count`; detected by default.
///   - coloring: ``ColoringProblem/jacobian`` (fewer of column and row colours; column for
///     complex dtypes), ``ColoringProblem/column``, ``ColoringProblem/row`` or
///     ``ColoringProblem/bidirectional``.
///   - algorithm: The greedy vertex orders to try.
///   - chunkSize: Directions per pass; by default every colour in one pass.
/// - Returns: `∂f/∂x` at `x` as a `f(x).count × x.count` sparse matrix.
/// - Precondition: as for ``PreparedSparseJacobian/init(of:at:pattern:coloring:algorithm:chunkSize:replay:)``
///   and ``PreparedSparseJacobian/jacobian(at:as:)``.
public func sparseJacobian<Scalar: FloatingScalar>(
  of f: (Tensor) -> Tensor, at x: Tensor, as scalarType: Scalar.Type = Scalar.self, pattern: SparsityPattern? = nil,
  coloring: ColoringProblem = .jacobian,
  algorithm: GreedyColoring = GreedyColoring(),
  chunkSize: Int? = nil
) -> SparseMatrix<Scalar> {
  withoutActuallyEscaping(f) { f in
    PreparedSparseJacobian(
      of: f, at: x, pattern: pattern, coloring: coloring, algorithm: algorithm, chunkSize: chunkSize, replay: false,
      name: "sparseJacobian"
    ).jacobian(at: x, as: Scalar.self)
  }
}

/// The sparse Hessian of the scalar function `f` at `x`, prepared and evaluated once:
/// detection (unless `pattern` is given), symmetric colouring, forward-over-reverse HVPs with
/// the colouring's seeds, and decompression.
///
/// Use ``PreparedSparseHessian`` to evaluate at many points. The result equals
/// ``hessian(of:at:chunkSize:)->Tensor`` (reshaped to `x.count × x.count`) on the pattern, to rounding.
///
/// ```swift
/// let h = sparseHessian(of: { ($0 * $0).sum() + $0.sin().sum() }, at: x, as: Double.self)  // diagonal
/// ```
///
/// - Parameters:
///   - f: The scalar function (one output element).
///   - x: The point, float32 or float64.
///   - scalarType: `Double.self` or `Float.self`.
///   - pattern: The symmetric `x.count × x.count` pattern; detected by default.
///   - coloring: ``ColoringProblem/star`` (direct recovery, the default) or
///     ``ColoringProblem/acyclic`` (fewer colours, recovery by substitution).
///   - algorithm: The greedy vertex orders to try.
///   - chunkSize: Directions per pass; by default every colour in one pass.
/// - Returns: `∂²f/∂x²` at `x` as an `x.count × x.count` symmetric sparse matrix.
/// - Precondition: as for ``PreparedSparseHessian/init(of:at:pattern:coloring:algorithm:chunkSize:replay:)``
///   and ``PreparedSparseHessian/hessian(at:as:)``.
public func sparseHessian<Scalar: FloatingScalar>(
  of f: (Tensor) -> Tensor, at x: Tensor, as scalarType: Scalar.Type = Scalar.self, pattern: SparsityPattern? = nil,
  coloring: ColoringProblem = .star,
  algorithm: GreedyColoring = GreedyColoring(),
  chunkSize: Int? = nil
) -> SparseMatrix<Scalar> {
  withoutActuallyEscaping(f) { f in
    PreparedSparseHessian(
      of: f, at: x, pattern: pattern, coloring: coloring, algorithm: algorithm, chunkSize: chunkSize, replay: false,
      name: "sparseHessian"
    ).hessian(at: x, as: Scalar.self)
  }
}
