/// A colouring of a sparsity pattern together with its recovery plan: the one value that
/// compression (seed matrices) and decompression accept.
///
/// Build one with ``SparsityPattern/coloring(_:algorithm:)``. Colours are numbered from 0;
/// a column (or row) colour of -1 means the column (row) is not seeded.
///
/// ```swift
/// let pattern = SparsityPattern.banded(size: 100, lower: 1, upper: 1)
/// let result = pattern.coloring(.column)           // 3 colours
/// let seed = result.columnSeed()                   // 100 × 3
/// let b = jacobian.matmul(seed)                   // or 3 JVPs
/// let j: SparseMatrix<Double> = result.decompress(columnProducts: b)
/// ```
public struct ColoringResult: Sendable {
  /// The problem this colouring solves.
  public let problem: ColoringProblem
  /// The pattern coloured.
  public let pattern: SparsityPattern
  /// The colour of each column, or -1 when the column is not seeded (row colourings, and
  /// columns not needed by a bidirectional colouring). For ``ColoringProblem/star`` and
  /// ``ColoringProblem/acyclic`` these are the vertex colours.
  public let columnColors: [Int]
  /// The colour of each row, or -1 when the row is not seeded.
  public let rowColors: [Int]
  /// The number of column colours: the forward products needed.
  public let columnColorCount: Int
  /// The number of row colours: the reverse products needed.
  public let rowColorCount: Int
  /// Where each nonzero is read in the compressed products (a gather), or the substitution
  /// steps for an acyclic colouring.
  let plan: RecoveryPlan

  /// The total number of products, forward plus reverse.
  public var colorCount: Int { columnColorCount + rowColorCount }

  init(problem: ColoringProblem, pattern: SparsityPattern, columnColors: [Int], rowColors: [Int]) {
    self.problem = problem
    self.pattern = pattern
    self.columnColors = columnColors
    self.rowColors = rowColors
    columnColorCount = (columnColors.max() ?? -1) + 1
    rowColorCount = (rowColors.max() ?? -1) + 1
    plan = RecoveryPlan(problem: problem, pattern: pattern, columnColors: columnColors, rowColors: rowColors,
                        columnColorCount: columnColorCount, rowColorCount: rowColorCount)
  }

  /// The groups of columns sharing each colour: `columnGroups[c]` lists the columns of colour `c`.
  public var columnGroups: [[Int]] { groups(columnColors, columnColorCount) }
  /// The groups of rows sharing each colour.
  public var rowGroups: [[Int]] { groups(rowColors, rowColorCount) }

  private func groups(_ colors: [Int], _ count: Int) -> [[Int]] {
    var g = [[Int]](repeating: [], count: count)
    for (v, c) in colors.enumerated() where c >= 0 { g[c].append(v) }
    return g
  }

  /// The forward seed matrix `S_c` (`columns × columnColorCount`): `S[j, c] = 1` when column `j`
  /// has colour `c`. The forward products are `B = J S_c`, one JVP per column of `S_c`.
  ///
  /// - Parameter dtype: The dtype of the seed (float64 by default).
  public func columnSeed(dtype: DType = .float64) -> Tensor {
    seed(columnColors, columnColorCount, dtype)
  }

  /// The reverse seed matrix `S_r` (`rows × rowColorCount`): `S[i, c] = 1` when row `i` has
  /// colour `c`. The reverse products are `B = S_rᵀ J`, one VJP per column of `S_r`.
  ///
  /// - Parameter dtype: The dtype of the seed (float64 by default).
  public func rowSeed(dtype: DType = .float64) -> Tensor {
    seed(rowColors, rowColorCount, dtype)
  }

  private func seed(_ colors: [Int], _ count: Int, _ dtype: DType) -> Tensor {
    var s = [Double](repeating: 0, count: colors.count * count)
    for (v, c) in colors.enumerated() where c >= 0 { s[v * count + c] = 1 }
    return Tensor(shape: [colors.count, count], scalars: s).converted(to: dtype)
  }

  /// The sparse matrix recovered from its compressed products.
  ///
  /// - Parameters:
  ///   - columnProducts: `B = J S_c` (`rows × columnColorCount`), or `H S` for the symmetric
  ///     problems; needed when ``columnColorCount`` is positive.
  ///   - rowProducts: `B = S_rᵀ J` (`rowColorCount × columns`); needed when ``rowColorCount`` is
  ///     positive.
  ///   - scalarType: The element type of the result, for when the context does not fix it
  ///     (`as: Double.self`).
  /// - Returns: The matrix on ``pattern`` whose products these are.
  /// - Precondition: the products have the shapes above and the dtype of `Scalar`.
  public func decompress<Scalar: FloatingScalar>(
    columnProducts: Tensor? = nil, rowProducts: Tensor? = nil, as scalarType: Scalar.Type = Scalar.self
  ) -> SparseMatrix<Scalar> {
    let forward = products(columnProducts, [pattern.rows, columnColorCount], "columnProducts", Scalar.self)
    let reverse = products(rowProducts, [rowColorCount, pattern.columns], "rowProducts", Scalar.self)
    return SparseMatrix(pattern: pattern, values: plan.apply(forward: forward, reverse: reverse))
  }

  private func products<Scalar: FloatingScalar>(_ t: Tensor?, _ shape: [Int], _ name: String, _: Scalar.Type) -> [Scalar] {
    if shape.contains(0) && t == nil { return [] }
    guard let t else { misuse("ColoringResult.decompress: \(name) of shape \(shape) is needed for this \(problem) colouring") }
    check(t.shape == shape, "ColoringResult.decompress: \(name) has shape \(t.shape), expected \(shape)")
    check(t.dtype == Scalar.dtype, "ColoringResult.decompress: \(name) holds \(t.dtype), expected \(Scalar.dtype)")
    return t.scalars(as: Scalar.self)
  }
}

/// How each nonzero is read from the compressed products.
struct RecoveryPlan: Sendable {
  /// For direct recovery: for nonzero `k`, the flat index into the forward products (when
  /// `source[k] >= 0`) or `-1 - index` into the reverse products.
  var source: [Int] = []
  /// For substitution: steps in order; nonzero `target` (and its mirror) read `residual[read]`,
  /// then `residual[update] -= value`.
  var steps: [(target: Int, mirror: Int, read: Int, update: Int)] = []
  /// The diagonal nonzeros of a substitution plan, with the entry they read.
  var diagonal: [(target: Int, read: Int)] = []
  var substitution = false
  /// The number of nonzeros recovered.
  let nonzeroCount: Int
  /// Whether every nonzero is recovered (a valid colouring).
  var isComplete = false

  init(problem: ColoringProblem, pattern: SparsityPattern, columnColors: [Int], rowColors: [Int],
       columnColorCount kc: Int, rowColorCount kr: Int) {
    let rowOf = pattern.rowIndices
    let nnz = pattern.nonzeroCount
    nonzeroCount = nnz
    switch problem {
    case .column, .row, .jacobian, .star, .bidirectional:
      // For each nonzero (i, j): how many seeded columns of j's colour row i holds, and how many
      // seeded rows of i's colour column j holds (counts in a scratch array per row or column).
      let inRow = kc > 0 ? Self.colorCounts(pattern, colors: columnColors, colorCount: kc) : []
      var inColumn: [Int] = []
      if kr > 0 {
        let (t, permutation) = pattern.transposedWithPermutation()
        let counts = Self.colorCounts(t, colors: rowColors, colorCount: kr)
        inColumn = [Int](repeating: 0, count: nnz)
        for (k, original) in permutation.enumerated() { inColumn[original] = counts[k] }
      }
      // For star colourings, the mirror (j, i) of each nonzero, by the transpose's permutation.
      var mirror: [Int] = []
      if problem == .star {
        let permutation = pattern.transposedWithPermutation().permutation
        mirror = [Int](repeating: 0, count: nnz)
        for (k, original) in permutation.enumerated() { mirror[original] = k }
      }
      source = [Int](repeating: Int.min, count: nnz)
      for k in 0..<nnz {
        let i = rowOf[k], j = pattern.columnIndices[k]
        if kc > 0, columnColors[j] >= 0, inRow[k] == 1 {
          source[k] = i * kc + columnColors[j]
        } else if kr > 0, rowColors[i] >= 0, inColumn[k] == 1 {
          source[k] = -1 - (rowColors[i] * pattern.columns + j)
        } else if problem == .star, columnColors[i] >= 0, inRow[mirror[k]] == 1 {
          source[k] = j * kc + columnColors[i]  // H[i, j] = H[j, i], read from row j
        }
      }
      isComplete = !source.contains(Int.min)
    case .acyclic:
      substitution = true
      plan(acyclic: pattern, colors: columnColors, colorCount: kc, rowOf: rowOf)
    }
  }

  /// For each nonzero `(i, j)` of `pattern`: how many columns of row `i` have column `j`'s
  /// colour (0 when column `j` is not seeded, colour −1).
  static func colorCounts(_ pattern: SparsityPattern, colors: [Int], colorCount: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: pattern.nonzeroCount)
    var scratch = [Int](repeating: 0, count: colorCount)
    let columns = pattern.columnIndices
    for i in 0..<pattern.rows {
      let range = pattern.rowOffsets[i]..<pattern.rowOffsets[i + 1]
      for t in range where colors[columns[t]] >= 0 { scratch[colors[columns[t]]] += 1 }
      for t in range where colors[columns[t]] >= 0 { counts[t] = scratch[colors[columns[t]]] }
      for t in range where colors[columns[t]] >= 0 { scratch[colors[columns[t]]] = 0 }
    }
    return counts
  }

  /// The peeling order for an acyclic colouring: an entry `(i, c)` of the residual whose row `i`
  /// has one unrecovered neighbour `j` of colour `c` gives `H[i, j]`, which is then subtracted
  /// from `(j, color(i))`. Two-coloured subgraphs are forests, so every edge is reached.
  private mutating func plan(acyclic pattern: SparsityPattern, colors: [Int], colorCount kc: Int, rowOf: [Int]) {
    let nnz = pattern.nonzeroCount
    var remaining = [Int](repeating: 0, count: pattern.rows * kc)
    for k in 0..<nnz where rowOf[k] != pattern.columnIndices[k] {
      remaining[rowOf[k] * kc + colors[pattern.columnIndices[k]]] += 1
    }
    var done = [Bool](repeating: false, count: nnz)
    var queue: [Int] = []
    for (slot, r) in remaining.enumerated() where r == 1 { queue.append(slot) }
    while let slot = queue.popLast() {
      guard remaining[slot] == 1 else { continue }
      let i = slot / kc, c = slot % kc
      guard let k = (pattern.rowOffsets[i]..<pattern.rowOffsets[i + 1]).first(where: { t in
        let j = pattern.columnIndices[t]
        return j != i && !done[t] && colors[j] == c
      }) else { continue }
      let j = pattern.columnIndices[k]
      let mirror = pattern.position(row: j, column: i)!
      done[k] = true
      done[mirror] = true
      remaining[slot] = 0
      let back = j * kc + colors[i]
      remaining[back] -= 1
      steps.append((k, mirror, slot, back))
      if remaining[back] == 1 { queue.append(back) }
    }
    for k in 0..<nnz where rowOf[k] == pattern.columnIndices[k] {
      diagonal.append((k, rowOf[k] * kc + colors[rowOf[k]]))
    }
    isComplete = steps.count * 2 + diagonal.count == nnz
  }

  /// The nonzeros from the products (flat row-major arrays).
  func apply<Scalar: FloatingScalar>(forward: [Scalar], reverse: [Scalar]) -> [Scalar] {
    if substitution {
      var residual = forward
      var values = [Scalar](repeating: .zero, count: nonzeroCount)
      for (k, read) in diagonal { values[k] = residual[read] }
      for s in steps {
        let h = residual[s.read]
        values[s.target] = h
        values[s.mirror] = h
        residual[s.update] -= h
      }
      return values
    }
    return source.map { $0 >= 0 ? forward[$0] : reverse[-1 - $0] }
  }
}

