extension SparsityPattern {
  /// A colouring of this pattern for `problem`, ready for compression and decompression.
  ///
  /// Jacobians (``ColoringProblem/column``, ``ColoringProblem/row``,
  /// ``ColoringProblem/jacobian``, ``ColoringProblem/bidirectional``) may be any shape; the
  /// Hessian problems (``ColoringProblem/star``, ``ColoringProblem/acyclic``) need a square,
  /// symmetric pattern. A banded pattern of bandwidth `w` takes `w` colours; a diagonal one, 1.
  ///
  /// - Parameters:
  ///   - problem: The matrix and products the colouring is for (``ColoringProblem/jacobian`` by
  ///     default: column or row, whichever needs fewer colours).
  ///   - algorithm: The greedy vertex orders to try (smallest-last by default).
  /// - Returns: The colouring and its recovery plan.
  /// - Precondition: for ``ColoringProblem/star`` and ``ColoringProblem/acyclic``, the pattern is
  ///   square and symmetric.
  public func coloring(_ problem: ColoringProblem = .jacobian, algorithm: GreedyColoring = GreedyColoring()) -> ColoringResult {
    coloring(problem, algorithm: algorithm, knownSymmetric: false)
  }

  /// ``coloring(_:algorithm:)``; `knownSymmetric` skips the symmetry check of the Hessian
  /// problems (a transpose and a comparison) for a pattern the caller has checked or built
  /// symmetric (``hessianSparsity(of:at:detection:)`` pairs every entry with its mirror).
  func coloring(_ problem: ColoringProblem, algorithm: GreedyColoring, knownSymmetric: Bool) -> ColoringResult {
    let none = { (n: Int) in [Int](repeating: -1, count: n) }
    let distinct = { (c: [Int]) in (c.max() ?? -1) + 1 }
    switch problem {
    case .column:
      let c = algorithm.color(.columnIntersection(self), GreedyRules.distance1, count: distinct)
      return ColoringResult(problem: .column, pattern: self, columnColors: c, rowColors: none(rows))
    case .row:
      let r = algorithm.color(.columnIntersection(transposed), GreedyRules.distance1, count: distinct)
      return ColoringResult(problem: .row, pattern: self, columnColors: none(columns), rowColors: r)
    case .jacobian:
      let byColumn = coloring(.column, algorithm: algorithm)
      // Row colours are coloured only when they could be fewer. A row colouring needs at least
      // as many colours as the densest column has nonzeros (that column's rows are pairwise
      // adjacent in the row intersection graph); and on a symmetric pattern it colours the
      // same graph as the column colouring, so it gives the same count.
      var columnDegrees = [Int](repeating: 0, count: columns)
      for j in columnIndices { columnDegrees[j] += 1 }
      if byColumn.colorCount <= (columnDegrees.max() ?? 0) || isSymmetric { return byColumn }
      let byRow = coloring(.row, algorithm: algorithm)
      return byRow.colorCount < byColumn.colorCount ? byRow : byColumn
    case .star, .acyclic:
      check(rows == columns, "SparsityPattern.coloring(.\(problem)): a Hessian pattern must be square, got \(rows) × \(columns)")
      check(knownSymmetric || isSymmetric, "SparsityPattern.coloring(.\(problem)): a Hessian pattern must be symmetric")
      let rule = problem == .star ? GreedyRules.star : GreedyRules.acyclic
      let c = algorithm.color(.adjacency(self), rule, count: distinct)
      return ColoringResult(problem: problem, pattern: self, columnColors: c, rowColors: none(rows))
    case .bidirectional:
      let n = columns
      let split = { (c: [Int]) in (c[..<n].max() ?? -1) + 1 + (c[n...].max() ?? -1) + 1 }
      let c = algorithm.color(.bipartite(self), { g, order in neutralize(GreedyRules.star(g, order)) }, count: split)
      var best = (columns: Array(c[..<n]), rows: Array(c[n...]))
      for split in denseSplits(algorithm) where distinct(split.columns) + distinct(split.rows) < distinct(best.columns) + distinct(best.rows) {
        best = split
      }
      return ColoringResult(problem: .bidirectional, pattern: self, columnColors: best.columns, rowColors: best.rows)
    }
  }

  /// Bicolourings that handle the densest rows in reverse and the rest forward (and the
  /// transposed split): rows of degree at least a threshold are row-coloured among themselves,
  /// and the columns are coloured on the other rows alone. Each nonzero of a dense row is then
  /// the only seeded one of its colour in its column, and every other nonzero the only one of
  /// its colour in its row. Thresholds are the largest few distinct degrees.
  private func denseSplits(_ algorithm: GreedyColoring) -> [(columns: [Int], rows: [Int])] {
    var out: [(columns: [Int], rows: [Int])] = []
    let t = transposed
    for (p, flip) in [(self, false), (t, true)] {
      let degrees = (0..<p.rows).map { p.rowOffsets[$0 + 1] - p.rowOffsets[$0] }
      for threshold in Set(degrees).sorted(by: >).prefix(8) where threshold > 1 {
        let dense = degrees.map { $0 >= threshold }
        let sparseRows = p.keepingRows(dense.map { !$0 })
        let denseRows = p.keepingRows(dense)
        let c = sparseRows.coloring(.column, algorithm: algorithm).columnColors
        var r = denseRows.coloring(.row, algorithm: algorithm).rowColors
        for i in 0..<p.rows where !dense[i] { r[i] = -1 }
        // Columns that meet no sparse row need no seed.
        let used = Set(sparseRows.columnIndices)
        let cc = c.enumerated().map { used.contains($0.offset) ? $0.element : -1 }
        out.append(flip ? (columns: r, rows: cc) : (columns: cc, rows: r))
      }
    }
    return out.map { (compact($0.columns), compact($0.rows)) }
  }

  /// The same partition with colours renumbered 0, 1, … in order of first use (-1 kept).
  private func compact(_ colors: [Int]) -> [Int] {
    var renumber: [Int: Int] = [:]
    return colors.map { c in
      guard c >= 0 else { return -1 }
      if let k = renumber[c] { return k }
      renumber[c] = renumber.count
      return renumber[c]!
    }
  }

  /// The pattern with the nonzeros of rows where `keep` is false removed (same shape).
  func keepingRows(_ keep: [Bool]) -> SparsityPattern {
    var offsets = [0]
    var indices: [Int] = []
    for i in 0..<rows {
      if keep[i] { indices.append(contentsOf: columns(inRow: i)) }
      offsets.append(indices.count)
    }
    return SparsityPattern(uncheckedRows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices)
  }

  /// Turns a star colouring of the bipartite graph (columns, then rows) into a bicolouring:
  /// each nonzero picks the side its recovery reads (forward when its column's colour is unique
  /// in its row, else reverse), vertices no nonzero reads get no colour (-1), and the colours
  /// left are renumbered from 0 on each side.
  private func neutralize(_ color: [Int]) -> [Int] {
    let n = columns
    let t = transposed
    var needed = [Bool](repeating: false, count: n + rows)
    var undecided: [(Int, Int)] = []
    func unique(_ c: Int, among vertices: ArraySlice<Int>, offset: Int) -> Bool {
      var seen = 0
      for v in vertices where color[v + offset] == c { seen += 1 }
      return seen == 1
    }
    for i in 0..<rows {
      for j in columns(inRow: i) {
        let forward = unique(color[j], among: columns(inRow: i), offset: 0)
        let reverse = unique(color[n + i], among: t.columns(inRow: j), offset: n)
        if forward && reverse { undecided.append((i, j)) } else if forward { needed[j] = true } else { needed[n + i] = true }
      }
    }
    for (i, j) in undecided where !needed[j] && !needed[n + i] { needed[j] = true }
    var result = [Int](repeating: -1, count: n + rows)
    for side in [0..<n, n..<(n + rows)] {
      var renumber: [Int: Int] = [:]
      for v in side where needed[v] {
        if renumber[color[v]] == nil { renumber[color[v]] = renumber.count }
        result[v] = renumber[color[v]]!
      }
    }
    return result
  }

  /// Whether a colouring recovers every nonzero of this pattern exactly.
  ///
  /// For ``ColoringProblem/column``, ``ColoringProblem/row``, ``ColoringProblem/star`` and
  /// ``ColoringProblem/bidirectional`` (direct recovery) it holds when every nonzero is the
  /// only one of its colour in its row of `J S_c` (or, for the symmetric problem, of its mirror),
  /// or the only one of its colour in its column of `S_rᵀ J`. For ``ColoringProblem/acyclic`` it
  /// holds when adjacent vertices differ in colour and substitution reaches every nonzero
  /// (no two-coloured cycle). ``ColoringProblem/jacobian`` accepts a column or a row colouring.
  ///
  /// - Parameters:
  ///   - problem: The problem the colours are for.
  ///   - columnColors: One colour (from 0) per column, or -1 for a column not seeded; ignored
  ///     by ``ColoringProblem/row``.
  ///   - rowColors: One colour per row or -1; ignored by every problem except
  ///     ``ColoringProblem/row`` and ``ColoringProblem/bidirectional``.
  /// - Returns: `false` also for arrays of the wrong length or colours below -1.
  public func isValidColoring(_ problem: ColoringProblem, columnColors: [Int], rowColors: [Int]) -> Bool {
    let none = { (n: Int) in [Int](repeating: -1, count: n) }
    guard columnColors.count == columns, rowColors.count == rows,
      !columnColors.contains(where: { $0 < -1 }), !rowColors.contains(where: { $0 < -1 })
    else { return false }
    switch problem {
    case .jacobian:
      return isValidColoring(.column, columnColors: columnColors, rowColors: none(rows))
        || isValidColoring(.row, columnColors: none(columns), rowColors: rowColors)
    case .column:
      return ColoringResult(problem: .column, pattern: self, columnColors: columnColors, rowColors: none(rows)).plan.isComplete
    case .row:
      return ColoringResult(problem: .row, pattern: self, columnColors: none(columns), rowColors: rowColors).plan.isComplete
    case .bidirectional:
      return ColoringResult(problem: .bidirectional, pattern: self, columnColors: columnColors, rowColors: rowColors).plan.isComplete
    case .star, .acyclic:
      guard rows == columns, isSymmetric else { return false }
      if problem == .acyclic {
        guard !columnColors.contains(-1) else { return false }
        for i in 0..<rows {
          for j in columns(inRow: i) where j != i && columnColors[i] == columnColors[j] { return false }
        }
      }
      return ColoringResult(problem: problem, pattern: self, columnColors: columnColors, rowColors: none(rows)).plan.isComplete
    }
  }

  /// Whether `result` recovers every nonzero of this pattern exactly (see
  /// ``isValidColoring(_:columnColors:rowColors:)``).
  public func isValid(_ result: ColoringResult) -> Bool {
    result.pattern == self
      && isValidColoring(result.problem, columnColors: result.columnColors, rowColors: result.rowColors)
  }
}
