extension Tensor {
  /// Splits along the dim `hsplit`, `vsplit` or `dsplit` use, after checking the rank.
  private func directionalSplit(_ op: String, dim: Int, minRank: Int, sections: Int) -> [Tensor] {
    check(rank >= minRank, "\(op): expected a tensor with at least \(minRank) dims, got shape \(shape)")
    check(sections > 0, "\(op): the number of sections must be positive, got \(sections)")
    check(
      shape[dim] % sections == 0,
      "\(op): the size \(shape[dim]) of dimension \(dim) (shape \(shape)) is not divisible by \(sections) sections")
    return tensorSplit(sections: sections, dim: dim)
  }

  /// Splits along the dim `hsplit`, `vsplit` or `dsplit` use at the given indices.
  private func directionalSplit(_ op: String, dim: Int, minRank: Int, indices: [Int]) -> [Tensor] {
    check(rank >= minRank, "\(op): expected a tensor with at least \(minRank) dims, got shape \(shape)")
    return tensorSplit(indices: indices, dim: dim)
  }

  /// `sections` equal pieces column-wise, like `torch.hsplit`: along dim 1, or dim 0 for a
  /// vector. Views.
  ///
  /// - Precondition: rank ≥ 1 and the size of the split dim is divisible by `sections`.
  /// Derivative: linear; the VJP concatenates the cotangents.
  public func hsplit(sections: Int) -> [Tensor] {
    directionalSplit("hsplit", dim: rank == 1 ? 0 : 1, minRank: 1, sections: sections)
  }

  /// Pieces column-wise split before the given indices, like `torch.hsplit(x, indices)`.
  ///
  /// - Precondition: rank ≥ 1.
  /// Derivative: linear; the VJP concatenates the cotangents.
  public func hsplit(indices: [Int]) -> [Tensor] {
    directionalSplit("hsplit", dim: rank == 1 ? 0 : 1, minRank: 1, indices: indices)
  }

  /// `sections` equal pieces row-wise (along dim 0), like `torch.vsplit`. Views.
  ///
  /// - Precondition: rank ≥ 2 and the size of dim 0 is divisible by `sections`.
  /// Derivative: linear; the VJP concatenates the cotangents.
  public func vsplit(sections: Int) -> [Tensor] { directionalSplit("vsplit", dim: 0, minRank: 2, sections: sections) }

  /// Pieces row-wise split before the given indices, like `torch.vsplit(x, indices)`.
  ///
  /// - Precondition: rank ≥ 2.
  /// Derivative: linear; the VJP concatenates the cotangents.
  public func vsplit(indices: [Int]) -> [Tensor] { directionalSplit("vsplit", dim: 0, minRank: 2, indices: indices) }

  /// `sections` equal pieces depth-wise (along dim 2), like `torch.dsplit`. Views.
  ///
  /// - Precondition: rank ≥ 3 and the size of dim 2 is divisible by `sections`.
  /// Derivative: linear; the VJP concatenates the cotangents.
  public func dsplit(sections: Int) -> [Tensor] { directionalSplit("dsplit", dim: 2, minRank: 3, sections: sections) }

  /// Pieces depth-wise split before the given indices, like `torch.dsplit(x, indices)`.
  ///
  /// - Precondition: rank ≥ 3.
  /// Derivative: linear; the VJP concatenates the cotangents.
  public func dsplit(indices: [Int]) -> [Tensor] { directionalSplit("dsplit", dim: 2, minRank: 3, indices: indices) }
}
