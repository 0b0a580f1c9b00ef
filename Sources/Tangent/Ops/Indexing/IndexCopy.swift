extension Tensor {
  /// A `bool` tensor, broadcastable to this tensor, true on the slices at `index` along `d`.
  /// `index_fill`'s index, checked before any kernel runs, with negative entries counting
  /// from the end (PyTorch's `index_fill` wraps them; `index_copy` and `index_add` reject
  /// them).
  private func wrappedFillIndex(_ index: Tensor, dim d: Int) -> Tensor {
    let positions = indexList(index, size: shape[d], dim: d, op: "indexFill", wrapsNegative: true)
    return Tensor(shape: [positions.count], scalars: positions.map(Int64.init))
  }

  private func indexMask(dim d: Int, index: Tensor) -> Tensor {
    let hits = Tensor.zeros([shape[d]]).indexAdd(dim: 0, index: index, source: Tensor.ones([index.count])).gt(0)
    var view = [Int](repeating: 1, count: rank)
    view[d] = shape[d]
    return hits.reshaped(view)
  }

  /// This tensor with the slices at `index` along `dim` replaced by `source`'s, like
  /// `torch.index_copy` (out of place).
  ///
  /// - Parameters:
  ///   - dim: the dim along which to copy (negative counts from the end).
  ///   - index: a 0-d or 1-d `int64` tensor of distinct positions (with repeats, which slice
  ///     wins is unspecified in PyTorch; here their sum is written).
  ///   - source: the new slices; its size along `dim` is the number of indices, and its other
  ///     sizes are this tensor's.
  /// - Precondition: the shapes fit and the indices are in range.
  /// Derivative: linear in both (composed of `indexAdd` and `where`); the VJP gives this
  /// tensor the cotangent with the slices zeroed, and `source` the cotangent at `index`.
  ///
  /// A 0-d tensor counts as one of size 1 along dim 0 (or −1), as in PyTorch.
  public func indexCopy(dim: Int, index: Tensor, source: Tensor) -> Tensor {
    if rank == 0 {
      _ = Shape.normalize(dim, rank: 0, op: "indexCopy")
      check(
        index.count == 1 && source.count == 1 && source.rank <= 1,
        "indexCopy: a 0-d tensor takes one index and one source element, got index shape \(index.shape) and source shape \(source.shape)")
      return reshaped([1]).indexCopy(dim: 0, index: index.reshaped([1]), source: source.reshaped([1])).reshaped([])
    }
    let d = Shape.normalize(dim, rank: rank, op: "indexCopy")
    _ = indexList(index, size: shape[d], dim: d, op: "indexCopy")  // checked before any kernel runs
    let placed = Tensor.zeros(like: self).indexAdd(dim: d, index: index, source: source)
    return Tensor.where(indexMask(dim: d, index: index), placed, self)
  }

  /// This tensor with `value` in the slices at `index` along `dim`, like `torch.index_fill`
  /// (out of place).
  ///
  /// A 0-d tensor counts as one of size 1 along dim 0 (or −1), as in PyTorch.
  /// - Precondition: `index` is a 0-d or 1-d `int64` tensor with indices in range.
  /// Derivative: linear; the VJP zeroes the cotangent on the filled slices.
  public func indexFill(dim: Int, index: Tensor, value: Double) -> Tensor {
    if rank == 0 {
      _ = Shape.normalize(dim, rank: 0, op: "indexFill")
      return reshaped([1]).indexFill(dim: 0, index: index, value: value).reshaped([])
    }
    let d = Shape.normalize(dim, rank: rank, op: "indexFill")
    return maskedFill(indexMask(dim: d, index: wrappedFillIndex(index, dim: d)), value: value)
  }

  /// This tensor with the value of a 0-d tensor in the slices at `index` along `dim`, like
  /// `torch.index_fill` with a tensor value.
  ///
  /// - Precondition: `value` is 0-d and `index` is a 0-d or 1-d `int64` tensor with indices in
  ///   range.
  /// Derivative: linear in both; the VJP zeroes the cotangent on the filled slices and gives
  /// `value` its sum there.
  public func indexFill(dim: Int, index: Tensor, value: Tensor) -> Tensor {
    if rank == 0 {
      _ = Shape.normalize(dim, rank: 0, op: "indexFill")
      return reshaped([1]).indexFill(dim: 0, index: index, value: value).reshaped([])
    }
    let d = Shape.normalize(dim, rank: rank, op: "indexFill")
    return maskedFill(indexMask(dim: d, index: wrappedFillIndex(index, dim: d)), value: value)
  }
}
