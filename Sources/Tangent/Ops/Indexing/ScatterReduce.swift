/// How `scatterReduce` combines the values scattered to one position.
public enum ScatterReduction: String, Sendable {
  /// Their sum.
  case sum
  /// Their mean.
  case mean
  /// Their maximum (real dtypes).
  case amax
  /// Their minimum (real dtypes).
  case amin
}

extension Tensor {
  /// This tensor with `source`'s values combined into the positions `index` gives along
  /// `dim`, like `torch.scatter_reduce` (out of place). With `includeSelf`, this tensor's
  /// value takes part at every position that receives values; positions that receive none keep
  /// it.
  ///
  /// - Parameters:
  ///   - dim: the dim along which to scatter (negative counts from the end).
  ///   - index: an `int64` tensor of this tensor's rank, no larger than `source` in any dim.
  ///   - source: the values, of `index`'s shape or larger in each dim (only the part `index`
  ///     covers is read).
  ///   - reduce: `.sum`, `.mean`, `.amax` or `.amin`.
  ///   - includeSelf: whether this tensor's value takes part at the positions that receive
  ///     values.
  /// - Precondition: the shapes fit and the indices are in range; real dtypes for `.amax` and
  ///   `.amin`.
  /// Derivative: composed of `scatterAdd`, `where` and division. `.sum` and `.mean` are linear
  /// in both; the VJP gives `source` the cotangent gathered at `index` (divided by the count
  /// for `.mean`). For `.amax` and `.amin`, as in PyTorch, the derivative at each position is
  /// shared evenly among the values that attain the extremum there (this tensor's value
  /// included, with `includeSelf`): the result is written as the mean of those tied values,
  /// chosen from the detached values.
  public func scatterReduce(dim: Int, index: Tensor, source: Tensor, reduce: ScatterReduction, includeSelf: Bool = true) -> Tensor {
    // Checked with this op's name before the scatters below run.
    check(
      source.rank == rank && index.rank == rank,
      "scatterReduce: index \(index.shape) and source \(source.shape) need the rank of \(shape)")
    if rank > 0 {
      _ = gatherIndex(index, dim: Shape.normalize(dim, rank: rank, op: "scatterReduce"), op: "scatterReduce", limit: source.shape)
    }
    let counts = Tensor.zeros(shape, dtype: dtype.real).scatterAdd(dim: dim, index: index, source: Tensor.ones(index.shape, dtype: dtype.real))
    let hit = counts.gt(0)
    let base = includeSelf ? self : maskedFill(hit, value: 0)
    let total = base.scatterAdd(dim: dim, index: index, source: source)
    switch reduce {
    case .amax, .amin: return scatterExtremum(dim: dim, index: index, source: source, max: reduce == .amax, includeSelf: includeSelf)
    case .sum: return total
    case .mean:
      let n = includeSelf ? counts + 1 : Tensor.where(hit, counts, 1.0)
      return Tensor.where(hit, total / n, self)
    }
  }

  /// `scatterReduce` with `.amax` or `.amin`: see there.
  private func scatterExtremum(dim: Int, index: Tensor, source: Tensor, max: Bool, includeSelf: Bool) -> Tensor {
    let op = "scatterReduce"
    check(!dtype.isComplex && !source.dtype.isComplex, "\(op): amax and amin need real tensors, got \(dtype) and \(source.dtype)")
    // A 0-d tensor (with 0-d index and source, as PyTorch allows) is a 1-element vector here.
    if rank == 0 {
      check(index.rank == 0 && source.rank == 0, "\(op): a 0-d tensor needs a 0-d index and source, got \(index.shape) and \(source.shape)")
      return reshaped([1]).scatterExtremum(
        dim: 0, index: index.reshaped([1]), source: source.reshaped([1]), max: max, includeSelf: includeSelf
      ).reshaped([])
    }
    check(index.dtype == .int64, "\(op): indices must be int64, got \(index.dtype)")
    check(index.rank == rank && source.rank == rank, "\(op): index \(index.shape) and source \(source.shape) need the rank of \(shape)")
    let d = Shape.normalize(dim, rank: rank, op: op)
    for k in 0..<rank {
      check(index.shape[k] <= source.shape[k] && (k == d || index.shape[k] <= shape[k]),
        "\(op): index of shape \(index.shape) does not fit source \(source.shape) and tensor \(shape)")
    }
    // The part of the source the index covers.
    var src = source.converted(to: dtype)
    for k in 0..<rank where src.shape[k] != index.shape[k] { src = src.narrowed(dim: k, start: 0, length: index.shape[k]) }
    // The extremum at each position, from the detached values.
    let base = includeSelf ? detached : Tensor.full(shape, max ? -Double.infinity : .infinity, dtype: dtype)
    let best = Tensor.scatterExtremumValues(base: base, index: index, source: src.detached, dim: d, max: max)
    let hits = Tensor.zeros(shape, dtype: dtype.real)
      .scatterAdd(dim: d, index: index, source: Tensor.ones(index.shape, dtype: dtype.real)).gt(0)
    let result = best.converted(to: dtype)
    // The mean of the tied values: equal to the extremum, with its derivative shared evenly.
    let selfTies = includeSelf ? detached.eq(result) : Tensor.zeros(shape).gt(0)
    let sourceTies = src.detached.eq(result.gather(dim: d, index: index))
    let ties = selfTies.converted(to: dtype)
      .scatterAdd(dim: d, index: index, source: sourceTies.converted(to: dtype))
    let tied = Tensor.where(selfTies, self, 0.0).scatterAdd(dim: d, index: index, source: Tensor.where(sourceTies, src, 0.0))
    return Tensor.where(hits, tied / Tensor.where(hits, ties, 1.0), self)
  }

  /// The extremum of `base` and the `source` values scattered to each position along `dim`
  /// (as float64, `base`'s shape): the host loop of `scatterReduce`'s `.amax` and `.amin`.
  /// Under vmap it runs on the whole batch at once, the batch as one more leading dim, so
  /// every member's values are read (the index check was made by `scatterReduce`).
  private static func scatterExtremumValues(base: Tensor, index: Tensor, source: Tensor, dim d: Int, max: Bool) -> Tensor {
    let op = "scatterReduce"
    if base.isBatched || index.isBatched || source.isBatched {
      return Batching.overLeadingBatch([base, index, source]) { all in
        [scatterExtremumValues(base: all[0], index: all[1], source: all[2], dim: d + 1, max: max)]
      }![0]
    }
    let shape = base.shape
    let values = source.doubles
    let positions = index.scalars(as: Int64.self).map { p in
      let i = Int(p)
      check(i >= 0 && i < shape[d], "\(op): index \(i) is out of range for dimension \(d) of size \(shape[d])\(i < 0 ? "; negative indices are not accepted, as in PyTorch" : "")")
      return i
    }
    var best = base.doubles
    let targets = GatherKernels.offsets(positions, shape: index.shape, dim: d, strides: Shape.contiguousStrides(shape))
    for (p, t) in targets.enumerated() {
      best[t] = max ? Swift.max(best[t], values[p]) : Swift.min(best[t], values[p])
    }
    return Tensor(shape: shape, scalars: best)
  }
}
