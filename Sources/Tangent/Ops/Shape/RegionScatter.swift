extension Tensor {
  /// A copy of this tensor with `region` replaced by `source`, which must have exactly the
  /// region's shape; the out-of-place scatter ops call this.
  private func scattering<R: ViewRegion>(_ source: Tensor, into region: R, op: String) -> Tensor {
    let target = region.view(of: detached, extra: 0).shape
    check(
      source.shape == target,
      "\(op): source of shape \(source.shape) does not match the region of shape \(target) (tensor shape \(shape))")
    check(!source.dtype.isComplex || dtype.isComplex, "\(op): a \(source.dtype) source cannot go into a \(dtype) tensor")
    return Tensor.apply(RegionAssignOp(region: region, extra: 0), self, source.converted(to: dtype))
  }

  /// A copy of this tensor with the slice at `index` along `dim` replaced by `source`, like
  /// `torch.select_scatter`.
  ///
  /// - Parameters:
  ///   - source: the new slice; its shape is this tensor's without `dim`.
  ///   - dim: the dim of the slice (negative counts from the end).
  ///   - index: the slice's position along `dim` (negative counts from the end).
  /// - Precondition: the index is in range (negative counts from the end) and the shapes fit.
  /// Derivative: linear in both; the VJP gives this tensor the cotangent with the slice zeroed,
  /// and `source` the slice of the cotangent.
  public func selectScatter(_ source: Tensor, dim: Int, index: Int) -> Tensor {
    check(rank > 0, "selectScatter: cannot index a 0-d tensor")
    let d = Shape.normalize(dim, rank: rank, op: "selectScatter")
    let n = shape[d]
    check(index >= -n && index < n, "selectScatter: index \(index) is out of range for dimension \(d) of size \(n) (shape \(shape))")
    let items = (0..<d).map { SliceRegion.Item.range(start: 0, count: shape[$0], step: 1) } + [.index(index < 0 ? index + n : index)]
    return scattering(source, into: SliceRegion(items: items, name: "selectScatter"), op: "selectScatter")
  }

  /// A copy of this tensor with the elements `start..<end` (every `step`-th) along `dim`
  /// replaced by `source`, like `torch.slice_scatter`. The bounds count from the end when
  /// negative and are clamped, as in slicing; `end` defaults to the end of the dim.
  ///
  /// - Precondition: `step > 0` and `source` has the slice's shape.
  /// Derivative: linear in both; the VJP gives this tensor the cotangent with the slice zeroed,
  /// and `source` the slice of the cotangent.
  public func sliceScatter(_ source: Tensor, dim: Int = 0, start: Int? = nil, end: Int? = nil, step: Int = 1) -> Tensor {
    check(rank > 0, "sliceScatter: cannot slice a 0-d tensor")
    check(step > 0, "sliceScatter: step must be positive, got \(step)")
    let d = Shape.normalize(dim, rank: rank, op: "sliceScatter")
    let n = shape[d]
    func clamp(_ v: Int) -> Int { Swift.min(Swift.max(v < 0 ? v + n : v, 0), n) }
    let lo = clamp(start ?? 0), hi = Swift.max(clamp(end ?? n), lo)
    let count = (hi - lo + step - 1) / step
    let items = (0..<d).map { SliceRegion.Item.range(start: 0, count: shape[$0], step: 1) } + [.range(start: lo, count: count, step: step)]
    return scattering(source, into: SliceRegion(items: items, name: "sliceScatter"), op: "sliceScatter")
  }

  /// A copy of this tensor with the diagonal `offset` of the planes `dim1`, `dim2` replaced
  /// by `source`, like `torch.diagonal_scatter`.
  ///
  /// - Parameters:
  ///   - source: the new diagonals, shaped like `diagonal(offset:dim1:dim2:)`.
  ///   - offset: the diagonal: 0 the main one, positive above it, negative below.
  ///   - dim1: the first dim of the planes.
  ///   - dim2: the second dim of the planes.
  /// - Precondition: the rank is at least 2, the dims are distinct and the shapes fit.
  /// Derivative: linear in both; the VJP gives this tensor the cotangent with the diagonal
  /// zeroed, and `source` the diagonal of the cotangent.
  public func diagonalScatter(_ source: Tensor, offset: Int = 0, dim1: Int = 0, dim2: Int = 1) -> Tensor {
    check(rank >= 2, "diagonalScatter: needs at least 2 dimensions, got shape \(shape)")
    let a = Shape.normalize(dim1, rank: rank, op: "diagonalScatter"), b = Shape.normalize(dim2, rank: rank, op: "diagonalScatter")
    check(a != b, "diagonalScatter: dim1 and dim2 are both dimension \(a) (shape \(shape))")
    return scattering(source, into: DiagonalRegion(offset: offset, dim1: a, dim2: b), op: "diagonalScatter")
  }
}
