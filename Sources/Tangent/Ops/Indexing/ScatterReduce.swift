/// How `scatterReduce` combines the values scattered to one position.
public enum ScatterReduction: String, Sendable {
  /// Their sum.
  case sum
  /// Their mean.
  case mean
}

extension Tensor {
  /// This tensor with `source`'s values combined into the positions `index` gives along
  /// `dim`, like `torch.scatter_reduce` (out of place). With `includeSelf`, this tensor's
  /// value takes part at every position that receives values; positions that receive none keep
  /// it.
  ///
  /// - Parameters:
  ///   - index: an `int64` tensor of this tensor's rank, no larger than `source` in any dim.
  ///   - reduce: `.sum` or `.mean`.
  /// - Precondition: the shapes fit and the indices are in range.
  /// Derivative: composed of `scatterAdd`, `where` and division: linear in both; the VJP
  /// gives `source` the cotangent gathered at `index` (divided by the count for `.mean`).
  public func scatterReduce(dim: Int, index: Tensor, source: Tensor, reduce: ScatterReduction, includeSelf: Bool = true) -> Tensor {
    let counts = Tensor.zeros(shape, dtype: dtype.real).scatterAdd(dim: dim, index: index, source: Tensor.ones(index.shape, dtype: dtype.real))
    let hit = counts.gt(0)
    let base = includeSelf ? self : maskedFill(hit, value: 0)
    let total = base.scatterAdd(dim: dim, index: index, source: source)
    switch reduce {
    case .sum: return total
    case .mean:
      let n = includeSelf ? counts + 1 : Tensor.where(hit, counts, 1.0)
      return Tensor.where(hit, total / n, self)
    }
  }
}
