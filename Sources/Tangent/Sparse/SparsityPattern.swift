/// The positions of the structural nonzeros of a `rows × columns` matrix, in compressed sparse
/// row (CSR) form.
///
/// Row `i` holds the columns `columnIndices[rowOffsets[i] ..< rowOffsets[i + 1]]`, sorted
/// ascending and without repeats. A pattern says where a matrix *may* be nonzero; a Jacobian's
/// pattern is valid when every entry outside it is exactly zero.
///
/// ```swift
/// let tridiagonal = SparsityPattern.banded(size: 5, lower: 1, upper: 1)
/// print(tridiagonal.nonzeroCount)  // 13
/// ```
public struct SparsityPattern: Hashable, Sendable, CustomStringConvertible {
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int
  /// Where each row starts in ``columnIndices``: `rows + 1` nondecreasing offsets from 0 to
  /// ``nonzeroCount``.
  public let rowOffsets: [Int]
  /// The column of each nonzero, row by row, ascending inside a row.
  public let columnIndices: [Int]

  /// A pattern from its CSR arrays.
  ///
  /// - Parameters:
  ///   - rows: The number of rows, at least 0.
  ///   - columns: The number of columns, at least 0.
  ///   - rowOffsets: `rows + 1` nondecreasing offsets, the first 0 and the last
  ///     `columnIndices.count`.
  ///   - columnIndices: The columns of the nonzeros, strictly ascending inside each row.
  /// - Precondition: the arrays describe a valid pattern as above.
  public init(rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int]) {
    check(rows >= 0 && columns >= 0, "SparsityPattern: negative size \(rows) × \(columns)")
    check(
      rowOffsets.count == rows + 1,
      "SparsityPattern: rowOffsets has \(rowOffsets.count) entries; a \(rows)-row pattern needs \(rows + 1)")
    check(rowOffsets[0] == 0, "SparsityPattern: rowOffsets must start at 0, got \(rowOffsets[0])")
    check(
      rowOffsets[rows] == columnIndices.count,
      "SparsityPattern: rowOffsets ends at \(rowOffsets[rows]) but there are \(columnIndices.count) column indices")
    for i in 0..<rows {
      let lo = rowOffsets[i], hi = rowOffsets[i + 1]
      check(lo <= hi, "SparsityPattern: rowOffsets decreases at row \(i) (\(lo) > \(hi))")
      for k in lo..<hi {
        let j = columnIndices[k]
        check(j >= 0 && j < columns, "SparsityPattern: column index \(j) in row \(i) is out of range 0..<\(columns)")
        check(
          k == lo || columnIndices[k - 1] < j,
          "SparsityPattern: the column indices of row \(i) must be strictly ascending, got \(columnIndices[k - 1]) then \(j)")
      }
    }
    self.rows = rows
    self.columns = columns
    self.rowOffsets = rowOffsets
    self.columnIndices = columnIndices
  }

  /// A pattern from a list of `(row, column)` positions, in any order; repeats are merged.
  ///
  /// - Precondition: every position lies inside `rows × columns`.
  public init(rows: Int, columns: Int, positions: [(row: Int, column: Int)]) {
    check(rows >= 0 && columns >= 0, "SparsityPattern: negative size \(rows) × \(columns)")
    var perRow = [[Int]](repeating: [], count: rows)
    for (i, j) in positions {
      check(
        i >= 0 && i < rows && j >= 0 && j < columns,
        "SparsityPattern: position (\(i), \(j)) is outside a \(rows) × \(columns) matrix")
      perRow[i].append(j)
    }
    var offsets = [0]
    offsets.reserveCapacity(rows + 1)
    var indices: [Int] = []
    indices.reserveCapacity(positions.count)
    for var r in perRow {
      r.sort()
      var last = -1
      for j in r where j != last {
        indices.append(j)
        last = j
      }
      offsets.append(indices.count)
    }
    self.init(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices)
  }

  /// The pattern of a boolean predicate over `rows × columns`, row by row.
  ///
  /// - Parameters:
  ///   - rows: The number of rows.
  ///   - columns: The number of columns.
  ///   - isNonzero: Whether position `(i, j)` is in the pattern.
  public init(rows: Int, columns: Int, where isNonzero: (Int, Int) -> Bool) {
    check(rows >= 0 && columns >= 0, "SparsityPattern: negative size \(rows) × \(columns)")
    var offsets = [0]
    var indices: [Int] = []
    for i in 0..<rows {
      for j in 0..<columns where isNonzero(i, j) { indices.append(j) }
      offsets.append(indices.count)
    }
    self.init(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices)
  }

  /// The number of structural nonzeros.
  public var nonzeroCount: Int { columnIndices.count }

  /// The fraction of positions in the pattern, `nonzeroCount ÷ (rows · columns)` (0 when empty).
  public var density: Double {
    rows * columns == 0 ? 0 : Double(nonzeroCount) / Double(rows * columns)
  }

  /// The columns of row `i`.
  ///
  /// - Precondition: `0 <= i < rows`.
  public func columns(inRow i: Int) -> ArraySlice<Int> {
    check(i >= 0 && i < rows, "SparsityPattern.columns(inRow:): row \(i) is out of range 0..<\(rows)")
    return columnIndices[rowOffsets[i]..<rowOffsets[i + 1]]
  }

  /// Whether `(i, j)` is in the pattern (a binary search in row `i`).
  ///
  /// - Precondition: `(i, j)` lies inside the matrix.
  public func contains(row i: Int, column j: Int) -> Bool {
    check(
      i >= 0 && i < rows && j >= 0 && j < columns,
      "SparsityPattern.contains: position (\(i), \(j)) is outside a \(rows) × \(columns) matrix")
    return position(row: i, column: j) != nil
  }

  /// The index in ``columnIndices`` of `(i, j)`, or `nil` when it is not in the pattern.
  func position(row i: Int, column j: Int) -> Int? {
    var lo = rowOffsets[i], hi = rowOffsets[i + 1]
    while lo < hi {
      let mid = (lo + hi) / 2
      let c = columnIndices[mid]
      if c == j { return mid }
      if c < j { lo = mid + 1 } else { hi = mid }
    }
    return nil
  }

  /// The row of each nonzero, in CSR order (the COO row array).
  public var rowIndices: [Int] {
    var r = [Int](repeating: 0, count: nonzeroCount)
    for i in 0..<rows {
      for k in rowOffsets[i]..<rowOffsets[i + 1] { r[k] = i }
    }
    return r
  }

  /// The transposed pattern (`columns × rows`), with a permutation from its nonzeros to ours.
  ///
  /// `permutation[k]` is the index in this pattern's ``columnIndices`` of the transposed
  /// pattern's `k`-th nonzero.
  func transposedWithPermutation() -> (pattern: SparsityPattern, permutation: [Int]) {
    var counts = [Int](repeating: 0, count: columns + 1)
    for j in columnIndices { counts[j + 1] += 1 }
    for j in 0..<columns { counts[j + 1] += counts[j] }
    let offsets = counts
    var next = counts
    var indices = [Int](repeating: 0, count: nonzeroCount)
    var permutation = [Int](repeating: 0, count: nonzeroCount)
    for i in 0..<rows {
      for k in rowOffsets[i]..<rowOffsets[i + 1] {
        let j = columnIndices[k]
        indices[next[j]] = i
        permutation[next[j]] = k
        next[j] += 1
      }
    }
    return (
      SparsityPattern(uncheckedRows: columns, columns: rows, rowOffsets: offsets, columnIndices: indices),
      permutation
    )
  }

  /// The transposed pattern, `columns × rows`: column `j` of this pattern becomes row `j`.
  public var transposed: SparsityPattern { transposedWithPermutation().pattern }

  /// A pattern whose arrays are known to be valid (built by this module).
  init(uncheckedRows rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int]) {
    self.rows = rows
    self.columns = columns
    self.rowOffsets = rowOffsets
    self.columnIndices = columnIndices
  }

  /// Whether the pattern equals its transpose.
  ///
  /// Checked without building the transpose: every nonzero `(i, j)` has its mirror `(j, i)`
  /// (a binary search in row `j`). Mirroring is then a one-to-one map of the nonzeros onto
  /// themselves, so the pattern and its transpose hold the same positions.
  public var isSymmetric: Bool {
    guard rows == columns else { return false }
    for i in 0..<rows {
      for k in rowOffsets[i]..<rowOffsets[i + 1] where position(row: columnIndices[k], column: i) == nil { return false }
    }
    return true
  }

  /// The union of two patterns of one shape.
  ///
  /// - Precondition: both patterns have the same shape.
  public func union(_ other: SparsityPattern) -> SparsityPattern {
    check(
      rows == other.rows && columns == other.columns,
      "SparsityPattern.union: shapes differ, \(rows) × \(columns) and \(other.rows) × \(other.columns)")
    var offsets = [0]
    var indices: [Int] = []
    for i in 0..<rows {
      var a = rowOffsets[i], b = other.rowOffsets[i]
      let ae = rowOffsets[i + 1], be = other.rowOffsets[i + 1]
      while a < ae || b < be {
        let x = a < ae ? columnIndices[a] : Int.max
        let y = b < be ? other.columnIndices[b] : Int.max
        indices.append(min(x, y))
        if x <= y { a += 1 }
        if y <= x { b += 1 }
      }
      offsets.append(indices.count)
    }
    return SparsityPattern(uncheckedRows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices)
  }

  /// The `n × n` identity pattern (the diagonal).
  public static func diagonal(_ n: Int) -> SparsityPattern {
    check(n >= 0, "SparsityPattern.diagonal: negative size \(n)")
    return SparsityPattern(uncheckedRows: n, columns: n, rowOffsets: Array(0...n), columnIndices: Array(0..<n))
  }

  /// The `size × size` band with `lower` subdiagonals and `upper` superdiagonals.
  ///
  /// - Precondition: `size`, `lower` and `upper` are nonnegative.
  public static func banded(size: Int, lower: Int, upper: Int) -> SparsityPattern {
    check(size >= 0 && lower >= 0 && upper >= 0, "SparsityPattern.banded: negative size or bandwidth (\(size), \(lower), \(upper))")
    return SparsityPattern(rows: size, columns: size) { i, j in j >= i - lower && j <= i + upper }
  }

  /// The `n × n` arrowhead: the diagonal, a dense first row and a dense first column.
  public static func arrowhead(_ n: Int) -> SparsityPattern {
    check(n >= 0, "SparsityPattern.arrowhead: negative size \(n)")
    return SparsityPattern(rows: n, columns: n) { i, j in i == j || i == 0 || j == 0 }
  }

  /// The dense `rows × columns` pattern.
  public static func dense(rows: Int, columns: Int) -> SparsityPattern {
    SparsityPattern(rows: rows, columns: columns) { _, _ in true }
  }

  /// A one-line summary, such as `SparsityPattern(5 × 5, nnz=13, density=0.52)`.
  public var description: String {
    let d = (density * 1000).rounded() / 1000
    return "SparsityPattern(\(rows) × \(columns), nnz=\(nonzeroCount), density=\(d))"
  }
}
