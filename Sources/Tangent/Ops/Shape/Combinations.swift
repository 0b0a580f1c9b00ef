extension Tensor {
  /// The length-`r` combinations of this vector's elements, like `torch.combinations`: a
  /// `[k, r]` matrix with one combination per row in lexicographic order of positions (with
  /// repeated positions when `withReplacement`). `r = 0` gives an empty vector.
  ///
  /// - Precondition: this tensor is 1-d and `r ≥ 0`.
  /// Derivative: linear (an index selection); the VJP adds each entry back at its position.
  public func combinations(r: Int = 2, withReplacement: Bool = false) -> Tensor {
    check(rank == 1, "combinations: expected a 1-d tensor, got shape \(shape)")
    check(r >= 0, "combinations: r must be non-negative, got \(r)")
    if r == 0 { return indexSelect(dim: 0, index: Tensor(shape: [0], scalars: [Int64]())) }
    var rows: [[Int64]] = []
    var current: [Int64] = []
    func extend(from start: Int) {
      if current.count == r { rows.append(current); return }
      guard start < count else { return }
      for i in start..<count {
        current.append(Int64(i))
        extend(from: withReplacement ? i : i + 1)
        current.removeLast()
      }
    }
    extend(from: 0)
    let index = Tensor(shape: [rows.count * r], scalars: rows.flatMap { $0 })
    return indexSelect(dim: 0, index: index).reshaped([rows.count, r])
  }
}
