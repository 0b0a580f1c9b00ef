import CSuperLU

/// A sparse LU factorisation `P_r A P_c = L U` of a square sparse matrix, reused across
/// right-hand sides and across new values on the same pattern.
///
/// This is the seam for sparse direct solvers: callers such as Newton's method hold a
/// `some SparseLUFactorization`, so another back end (SuperLU_DIST for distributed systems,
/// CHOLMOD for positive definite ones) can be added without touching them. Tangent ships
/// ``SuperLUFactorization``.
public protocol SparseLUFactorization<Scalar> {
  /// The element type of the matrix and of the right-hand sides.
  associatedtype Scalar: FloatingScalar

  /// The pattern the factorisation was built for; ``refactor(_:)`` accepts only this pattern.
  var pattern: SparsityPattern { get }

  /// Factorises a new matrix with the same pattern, reusing the fill-reducing ordering.
  ///
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` when a pivot is exactly zero; the
  ///   factorisation cannot solve until a later ``refactor(_:)`` succeeds.
  /// - Precondition: `matrix.pattern == pattern`.
  func refactor(_ matrix: SparseMatrix<Scalar>) throws(LinalgError)

  /// The solution `x` of `A x = b` (or `Aᵀ x = b` when `transposed`).
  ///
  /// - Parameters:
  ///   - b: The right-hand side, of shape `[n]`, or `[n, k]` for `k` right-hand sides at
  ///     once; its dtype is `Scalar.dtype`.
  ///   - transposed: Whether to solve with `Aᵀ` instead of `A` (with the same factors).
  /// - Returns: `x`, with the shape of `b`.
  /// - Precondition: `b`'s first dim is `n` and its dtype matches; the last factorisation
  ///   succeeded.
  func solve(_ b: Tensor, transposed: Bool) -> Tensor
}

/// A sparse LU factorisation by SuperLU (BSD-3): column ordering by COLAMD, chosen once per
/// pattern, then threshold partial pivoting by rows (`dgstrf`/`zgstrf` and their `s`/`c`
/// siblings), and triangular solves (`dgstrs`/`zgstrs`).
///
/// ```swift
/// let lu = try SuperLUFactorization(jacobian)          // orders and factorises
/// let dx = lu.solve(residual)                          // reused for every right-hand side
/// try lu.refactor(nextJacobian)                        // same pattern: the ordering is kept
/// ```
///
/// Factorising is not thread-safe; solving with one factorisation from several threads is
/// not either (SuperLU keeps scratch state). Use one factorisation per thread.
public final class SuperLUFactorization<Scalar: FloatingScalar>: SparseLUFactorization {
  /// The pattern of the factorised matrix.
  public let pattern: SparsityPattern
  private let handle: UnsafeMutablePointer<tangent_slu>
  private let columnOffsets: [Int32]
  private let rowIndices: [Int32]
  /// For each compressed-sparse-column entry, the index of its value in CSR order.
  private let cscToCSR: [Int]
  private var isFactored = false

  /// The SuperLU type code of `Scalar`.
  private static var typeCode: Int32 {
    switch Scalar.dtype {
    case .float32: 0
    case .float64: 1
    case .complex64: 2
    default: 3
    }
  }

  /// Chooses the column ordering for `matrix`'s pattern and factorises it.
  ///
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` (op `SuperLUFactorization`, batch
  ///   index 0) when a pivot is exactly zero.
  /// - Precondition: `matrix` is square and its pattern has at most `Int32.max` nonzeros.
  public init(_ matrix: SparseMatrix<Scalar>) throws(LinalgError) {
    check(
      matrix.rows == matrix.columns,
      "SuperLUFactorization: the matrix must be square, got \(matrix.rows) × \(matrix.columns)")
    check(
      matrix.nonzeroCount <= Int(Int32.max) && matrix.rows < Int(Int32.max),
      "SuperLUFactorization: \(matrix.nonzeroCount) nonzeros exceed SuperLU's 32-bit indices")
    pattern = matrix.pattern
    let (t, permutation) = matrix.pattern.transposedWithPermutation()
    columnOffsets = t.rowOffsets.map { Int32($0) }
    rowIndices = t.columnIndices.map { Int32($0) }
    cscToCSR = permutation
    handle = tangent_slu_create(Self.typeCode, Int32(matrix.rows))
    try factor(matrix, orderingKnown: false)
  }

  deinit { tangent_slu_destroy(handle) }

  /// The order `n` of the matrix.
  public var size: Int { pattern.rows }

  /// Factorises a new matrix with the same pattern, reusing the column ordering (SuperLU's
  /// `SamePattern`); rows are pivoted afresh.
  ///
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` when a pivot is exactly zero.
  /// - Precondition: `matrix.pattern == pattern`.
  public func refactor(_ matrix: SparseMatrix<Scalar>) throws(LinalgError) {
    check(
      matrix.pattern == pattern,
      "SuperLUFactorization.refactor: the matrix has pattern \(matrix.pattern), but this factorisation is for \(pattern)")
    try factor(matrix, orderingKnown: true)
  }

  private func factor(_ matrix: SparseMatrix<Scalar>, orderingKnown: Bool) throws(LinalgError) {
    isFactored = false
    var values = cscToCSR.map { matrix.values[$0] }
    var rows = rowIndices, offsets = columnOffsets
    let nnz = Int32(values.count)
    let info = values.withUnsafeMutableBytes { v in
      rows.withUnsafeMutableBufferPointer { r in
        offsets.withUnsafeMutableBufferPointer { c in
          tangent_slu_factor(handle, orderingKnown ? 1 : 0, nnz, v.baseAddress, r.baseAddress, c.baseAddress)
        }
      }
    }
    if info > 0 && Int(info) <= size { throw .singular(op: "SuperLUFactorization", batchIndex: 0) }
    check(info == 0, "SuperLUFactorization: SuperLU failed to allocate memory (info \(info))")
    isFactored = true
  }

  /// The solution `x` of `A x = b`, or `Aᵀ x = b` when `transposed` (not conjugated).
  ///
  /// - Parameters:
  ///   - b: Shape `[n]` or `[n, k]` (`k` right-hand sides), dtype `Scalar.dtype`.
  ///   - transposed: Solve with `Aᵀ` instead of `A`.
  /// - Returns: `x`, with the shape of `b`.
  /// - Precondition: `b`'s first dim is `n`, its dtype matches, and the last factorisation
  ///   succeeded.
  public func solve(_ b: Tensor, transposed: Bool = false) -> Tensor {
    let n = size
    check(b.rank == 1 || b.rank == 2, "SuperLUFactorization.solve: b must be 1-d or 2-d, got shape \(b.shape)")
    check(b.shape[0] == n, "SuperLUFactorization.solve: b has shape \(b.shape), but the matrix is \(n) × \(n)")
    check(b.dtype == Scalar.dtype, "SuperLUFactorization.solve: b holds \(b.dtype), but the matrix holds \(Scalar.dtype)")
    check(isFactored, "SuperLUFactorization.solve: the last factorisation failed (singular); refactor first")
    let k = b.rank == 1 ? 1 : b.shape[1]
    let rowMajor = b.scalars(as: Scalar.self)
    var columnMajor = [Scalar](repeating: .zero, count: n * k)
    for i in 0..<n { for j in 0..<k { columnMajor[j * n + i] = rowMajor[i * k + j] } }
    if n > 0 && k > 0 {
      let info = columnMajor.withUnsafeMutableBytes { tangent_slu_solve(handle, transposed ? 1 : 0, Int32(k), $0.baseAddress) }
      check(info == 0, "SuperLUFactorization.solve: SuperLU reported info \(info)")
    }
    var x = [Scalar](repeating: .zero, count: n * k)
    for i in 0..<n { for j in 0..<k { x[i * k + j] = columnMajor[j * n + i] } }
    return Tensor(shape: b.shape, scalars: x)
  }

  /// The solution of `A x = b` for one right-hand side given as an array.
  ///
  /// - Precondition: `b.count == n` and the last factorisation succeeded.
  public func solve(_ b: [Scalar]) -> [Scalar] {
    check(b.count == size, "SuperLUFactorization.solve: b has \(b.count) entries, but the matrix is \(size) × \(size)")
    return solve(Tensor(shape: [size], scalars: b)).scalars(as: Scalar.self)
  }
}

extension SparseMatrix {
  /// The solution `x` of `A x = b` by a one-off ``SuperLUFactorization``; keep the
  /// factorisation instead when solving several times with one pattern.
  ///
  /// - Parameter b: Shape `[n]` or `[n, k]`, dtype ``dtype``.
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` when `A` is singular.
  /// - Precondition: the matrix is square and `b` fits it.
  public func solve(_ b: Tensor) throws(LinalgError) -> Tensor {
    try SuperLUFactorization(self).solve(b)
  }
}
