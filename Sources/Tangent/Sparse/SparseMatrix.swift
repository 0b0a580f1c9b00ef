import ComplexModule
import RealModule

/// A sparse matrix in compressed sparse row (CSR) form: a ``SparsityPattern`` and one value per
/// structural nonzero.
///
/// `Scalar` is `Float`, `Double`, `Complex<Float>` or `Complex<Double>`, the Swift types of
/// Tangent's floating dtypes; ``dtype`` names the dtype, and conversions to and from a dense
/// ``Tensor`` check it. Values stored in the pattern may be zero (a structural zero).
///
/// ```swift
/// let a = SparseMatrix<Double>(dense: Tensor(shape: [2, 2], scalars: [4.0, 0, 1, 3]))
/// print(a)  // SparseMatrix(2 × 2, nnz=3, dtype=float64) then one line per nonzero
/// let y = a.multiplied(by: [1.0, 1])  // [4, 4]
/// ```
public struct SparseMatrix<Scalar: FloatingScalar>: Sendable {
  /// Where the nonzeros are.
  public let pattern: SparsityPattern
  /// The value of each structural nonzero, in the order of `pattern.columnIndices`.
  public var values: [Scalar]

  /// A matrix from a pattern and its values.
  ///
  /// - Precondition: `values.count == pattern.nonzeroCount`.
  public init(pattern: SparsityPattern, values: [Scalar]) {
    check(
      values.count == pattern.nonzeroCount,
      "SparseMatrix: \(values.count) values for a pattern with \(pattern.nonzeroCount) nonzeros")
    self.pattern = pattern
    self.values = values
  }

  /// The matrix with every structural nonzero set to zero.
  public init(zerosIn pattern: SparsityPattern) {
    self.init(pattern: pattern, values: [Scalar](repeating: .zero, count: pattern.nonzeroCount))
  }

  /// The matrix from coordinate (COO) triplets in any order; values at a repeated position are
  /// summed, as in `scipy.sparse.coo_matrix(...).tocsr()`.
  ///
  /// - Precondition: the three arrays have one length and every position lies inside the matrix.
  public init(rows: Int, columns: Int, rowIndices: [Int], columnIndices: [Int], values: [Scalar]) {
    check(
      rowIndices.count == columnIndices.count && rowIndices.count == values.count,
      "SparseMatrix(rows:columns:rowIndices:columnIndices:values:): lengths differ (\(rowIndices.count), \(columnIndices.count), \(values.count))")
    let pattern = SparsityPattern(
      rows: rows, columns: columns, positions: zip(rowIndices, columnIndices).map { ($0, $1) })
    var v = [Scalar](repeating: .zero, count: pattern.nonzeroCount)
    for t in values.indices {
      v[pattern.position(row: rowIndices[t], column: columnIndices[t])!] += values[t]
    }
    self.init(pattern: pattern, values: v)
  }

  /// The nonzeros of a dense 2-d tensor (entries exactly equal to zero are left out).
  ///
  /// - Precondition: `dense` is 2-d and its dtype is ``dtype``.
  public init(dense: Tensor) {
    check(dense.rank == 2, "SparseMatrix(dense:): expected a 2-d tensor, got shape \(dense.shape)")
    check(
      dense.dtype == Scalar.dtype,
      "SparseMatrix(dense:): the tensor holds \(dense.dtype), but SparseMatrix<\(Scalar.self)> holds \(Scalar.dtype)")
    let m = dense.shape[0], n = dense.shape[1]
    let all = dense.scalars(as: Scalar.self)
    var offsets = [0]
    var indices: [Int] = []
    var v: [Scalar] = []
    for i in 0..<m {
      for j in 0..<n where all[i * n + j] != .zero {
        indices.append(j)
        v.append(all[i * n + j])
      }
      offsets.append(indices.count)
    }
    self.init(
      pattern: SparsityPattern(uncheckedRows: m, columns: n, rowOffsets: offsets, columnIndices: indices),
      values: v)
  }

  /// The dtype of the values.
  public var dtype: DType { Scalar.dtype }
  /// The number of rows.
  public var rows: Int { pattern.rows }
  /// The number of columns.
  public var columns: Int { pattern.columns }
  /// The shape `[rows, columns]`, as a dense tensor would have.
  public var shape: [Int] { [pattern.rows, pattern.columns] }
  /// The number of structural nonzeros.
  public var nonzeroCount: Int { pattern.nonzeroCount }

  /// The entry at `(i, j)`: its stored value, or zero outside the pattern.
  ///
  /// - Precondition: `(i, j)` lies inside the matrix.
  public subscript(i: Int, j: Int) -> Scalar {
    check(
      i >= 0 && i < rows && j >= 0 && j < columns,
      "SparseMatrix[\(i), \(j)]: outside a \(rows) × \(columns) matrix")
    return pattern.position(row: i, column: j).map { values[$0] } ?? .zero
  }

  /// The dense `rows × columns` tensor of dtype ``dtype``.
  public func dense() -> Tensor {
    let n = columns
    var all = [Scalar](repeating: .zero, count: rows * n)
    for i in 0..<rows {
      for k in pattern.rowOffsets[i]..<pattern.rowOffsets[i + 1] { all[i * n + pattern.columnIndices[k]] = values[k] }
    }
    return Tensor(shape: shape, scalars: all)
  }

  /// The coordinate (COO) form: the row, column and value of each nonzero, in row-major order.
  public var coordinates: (rowIndices: [Int], columnIndices: [Int], values: [Scalar]) {
    (pattern.rowIndices, pattern.columnIndices, values)
  }

  /// The transpose `Aᵀ` (not conjugated; see ``adjoint`` for `Aᴴ`).
  public var transposed: SparseMatrix {
    let (p, perm) = pattern.transposedWithPermutation()
    return SparseMatrix(pattern: p, values: perm.map { values[$0] })
  }

  /// The conjugate transpose `Aᴴ` (the transpose, for real scalars).
  public var adjoint: SparseMatrix {
    let (p, perm) = pattern.transposedWithPermutation()
    return SparseMatrix(pattern: p, values: perm.map { values[$0].conjugated })
  }
}

extension SparseMatrix {
  /// The matrix-vector product `y = A x`, `yᵢ = Σⱼ Aᵢⱼ xⱼ` over the nonzeros of row `i`.
  ///
  /// - Precondition: `x.count == columns`.
  public func multiplied(by x: [Scalar]) -> [Scalar] {
    check(x.count == columns, "SparseMatrix.multiplied(by:): a \(rows) × \(columns) matrix times a vector of length \(x.count)")
    var y = [Scalar](repeating: .zero, count: rows)
    values.withUnsafeBufferPointer { v in
      pattern.columnIndices.withUnsafeBufferPointer { c in
        x.withUnsafeBufferPointer { x in
          for i in 0..<rows {
            var s = Scalar.zero
            for k in pattern.rowOffsets[i]..<pattern.rowOffsets[i + 1] { s += v[k] * x[c[k]] }
            y[i] = s
          }
        }
      }
    }
    return y
  }

  /// The product `A X` with a dense row-major `columns × k` matrix given as a flat array;
  /// returns the flat row-major `rows × k` result. Each nonzero `Aᵢⱼ` adds `Aᵢⱼ · X[j, :]` to
  /// `Y[i, :]`, a contiguous loop over `k` that vectorises.
  ///
  /// - Precondition: `x.count == columns * k`.
  public func multiplied(by x: [Scalar], columns k: Int) -> [Scalar] {
    check(k >= 0 && x.count == columns * k, "SparseMatrix.multiplied(by:columns:): a \(rows) × \(columns) matrix times \(x.count) values as \(columns) × \(k)")
    var y = [Scalar](repeating: .zero, count: rows * k)
    values.withUnsafeBufferPointer { v in
      pattern.columnIndices.withUnsafeBufferPointer { c in
        x.withUnsafeBufferPointer { x in
          y.withUnsafeMutableBufferPointer { y in
            for i in 0..<rows {
              let out = y.baseAddress! + i * k
              for t in pattern.rowOffsets[i]..<pattern.rowOffsets[i + 1] {
                let a = v[t]
                let row = x.baseAddress! + c[t] * k
                for l in 0..<k { out[l] += a * row[l] }
              }
            }
          }
        }
      }
    }
    return y
  }

  /// The product `A x` with a dense tensor: `x` of shape `[columns]` gives `[rows]`, and `x` of
  /// shape `[columns, k]` gives `[rows, k]`, both of dtype ``dtype``.
  ///
  /// - Precondition: `x` is 1-d or 2-d, its first dim is ``columns`` and its dtype is ``dtype``.
  public func matmul(_ x: Tensor) -> Tensor {
    check(x.rank == 1 || x.rank == 2, "SparseMatrix.matmul: expected a 1-d or 2-d tensor, got shape \(x.shape)")
    check(
      x.shape[0] == columns,
      "SparseMatrix.matmul: a \(rows) × \(columns) matrix times a tensor of shape \(x.shape) (its first dim must be \(columns))")
    check(x.dtype == dtype, "SparseMatrix.matmul: the matrix holds \(dtype) but the tensor holds \(x.dtype)")
    let flat = x.scalars(as: Scalar.self)
    if x.rank == 1 { return Tensor(shape: [rows], scalars: multiplied(by: flat)) }
    let k = x.shape[1]
    return Tensor(shape: [rows, k], scalars: multiplied(by: flat, columns: k))
  }

  /// The sparse product `A B` of two sparse matrices (Gustavson's row-by-row algorithm).
  ///
  /// - Precondition: `columns == other.rows`.
  public func matmul(_ other: SparseMatrix) -> SparseMatrix {
    check(columns == other.rows, "SparseMatrix.matmul: inner dims differ, \(rows) × \(columns) times \(other.rows) × \(other.columns)")
    let n = other.columns
    var accumulator = [Scalar](repeating: .zero, count: n)
    var marker = [Int](repeating: -1, count: n)
    var offsets = [0]
    var indices: [Int] = []
    var v: [Scalar] = []
    for i in 0..<rows {
      var touched: [Int] = []
      for t in pattern.rowOffsets[i]..<pattern.rowOffsets[i + 1] {
        let a = values[t], j = pattern.columnIndices[t]
        for u in other.pattern.rowOffsets[j]..<other.pattern.rowOffsets[j + 1] {
          let c = other.pattern.columnIndices[u]
          if marker[c] != i {
            marker[c] = i
            accumulator[c] = .zero
            touched.append(c)
          }
          accumulator[c] += a * other.values[u]
        }
      }
      touched.sort()
      for c in touched {
        indices.append(c)
        v.append(accumulator[c])
      }
      offsets.append(indices.count)
    }
    return SparseMatrix(
      pattern: SparsityPattern(uncheckedRows: rows, columns: n, rowOffsets: offsets, columnIndices: indices),
      values: v)
  }
}

extension SparseMatrix: CustomStringConvertible {
  /// A header with the size, the number of nonzeros and the dtype, then one `(row, column)
  /// value` line per nonzero, like `scipy.sparse`'s printing; past 40 nonzeros the first and
  /// last 20 are shown around a `⋮`.
  public var description: String {
    var lines = ["SparseMatrix(\(rows) × \(columns), nnz=\(nonzeroCount), dtype=\(dtype))"]
    let rowOf = pattern.rowIndices
    func line(_ k: Int) -> String {
      let (re, im) = values[k].doublePair
      let value = dtype.isComplex ? "\(re)\(im < 0 || (im == 0 && im.sign == .minus) ? "-" : "+")\(abs(im))i" : "\(re)"
      return "  (\(rowOf[k]), \(pattern.columnIndices[k]))\t\(value)"
    }
    if nonzeroCount <= 40 {
      lines += (0..<nonzeroCount).map(line)
    } else {
      lines += (0..<20).map(line)
      lines.append("  ⋮")
      lines += (nonzeroCount - 20..<nonzeroCount).map(line)
    }
    return lines.joined(separator: "\n")
  }
}
