extension Tensor {
  /// This tensor with the entries at `index` along `dim` multiplied by `source`'s values, like
  /// `torch.scatter(input, dim, index, src, reduce="multiply")` (out of place):
  /// `y[index[i][j][k]][j][k] *= source[i][j][k]` for `dim == 0`, and likewise for other dims.
  /// Repeated positions multiply every value in.
  ///
  /// Computed in rounds: round `r` takes, for every target position, its `r`-th source value
  /// (so no position repeats within a round) and rewrites those positions by ``put(_:source:accumulate:)``
  /// with `y[t]·source[s]`. Only the part of `source` of the index's shape is used; negative
  /// indices count from the end.
  /// - Parameters:
  ///   - dim: the dimension indexed (negative counts from the end).
  ///   - index: an `int64` tensor of this tensor's rank, no larger than this tensor outside
  ///     `dim` and no larger than `source` anywhere.
  ///   - source: the factors; converted to this tensor's dtype.
  /// - Precondition: the ranks and shapes fit, the indices are inside the dimension, and a
  ///   complex source goes into a complex tensor.
  /// - Complexity: one `take` and `put` per round; the number of rounds is the largest number
  ///   of times one position is indexed.
  /// Derivative: the product rule through `take` and `put`: each factor's derivative is the
  /// product of the others at its position (and the original entry's).
  public func scatterMultiply(dim: Int, index: Tensor, source: Tensor) -> Tensor {
    let op = "scatterMultiply"
    check(!source.dtype.isComplex || dtype.isComplex, "\(op): a complex source (\(source.dtype)) cannot go into a \(dtype) tensor")
    check(source.rank == rank, "\(op): the source must have the input's rank, got source shape \(source.shape) for input shape \(shape)")
    if rank == 0 {
      check(index.rank == 0, "\(op): a 0-d input needs a 0-d index, got shape \(index.shape)")
      _ = Shape.normalize(dim, rank: 0, op: op)
      return reshaped([1]).scatterMultiply(dim: 0, index: index.reshaped([1]), source: source.reshaped([1])).reshaped([])
    }
    let d = Shape.normalize(dim, rank: rank, op: op)
    let list = gatherIndex(index, dim: d, op: op, limit: source.shape)
    func rowMajorStrides(_ s: [Int]) -> [Int] {
      var r = [Int](repeating: 1, count: s.count)
      for k in stride(from: s.count - 2, through: 0, by: -1) { r[k] = r[k + 1] * s[k + 1] }
      return r
    }
    let targetStrides = rowMajorStrides(shape), sourceStrides = rowMajorStrides(source.shape), indexShape = index.shape
    // Group the (target, source) pairs by how many times the target was seen before.
    var seen: [Int: Int] = [:]
    var rounds: [[(target: Int64, source: Int64)]] = []
    var coordinate = [Int](repeating: 0, count: rank)
    for p in 0..<list.count {
      var rest = p
      for k in stride(from: rank - 1, through: 0, by: -1) {
        coordinate[k] = rest % indexShape[k]
        rest /= indexShape[k]
      }
      var target = 0, from = 0
      for k in 0..<rank {
        target += (k == d ? list[p] : coordinate[k]) * targetStrides[k]
        from += coordinate[k] * sourceStrides[k]
      }
      let round = seen[target, default: 0]
      seen[target] = round + 1
      if round == rounds.count { rounds.append([]) }
      rounds[round].append((Int64(target), Int64(from)))
    }
    let factors = source.converted(to: dtype).reshaped([source.count])
    var y = reshaped([count])
    for pairs in rounds {
      let targets = Tensor(pairs.map(\.target)), sources = Tensor(pairs.map(\.source))
      y = y.put(targets, source: y.take(targets) * factors.take(sources))
    }
    return y.reshaped(shape)
  }
}
