import ComplexModule
import RealModule

extension Tensor {
  /// This tensor repeated `counts[i]` times along each dim, like PyTorch's `Tensor.repeat`:
  /// the result has shape `counts[i] · shape[i]`. Extra leading counts add new leading dims.
  /// A copy.
  ///
  /// ```swift
  /// x.repeated([2, 1, 2])  // shape [2, 3] → [2, 2, 6]
  /// ```
  /// - Precondition: there are at least as many counts as dims, and none is negative.
  /// Derivative: linear; the VJP sums the cotangent over the copies.
  public func repeated(_ counts: [Int]) -> Tensor {
    check(
      counts.count >= rank,
      "repeat: \(counts.count) repeat counts are fewer than the \(rank) dimensions of shape \(shape)")
    check(counts.allSatisfy { $0 >= 0 }, "repeat: negative repeat count in \(counts)")
    let padded = Array(repeating: 1, count: counts.count - rank) + shape
    // [r0, s0, r1, s1, …] broadcast from [1, s0, 1, s1, …], then merged pairwise.
    let spread = padded.flatMap { [1, $0] }
    let target = zip(counts, padded).flatMap { [$0, $1] }
    _ = Shape.count(target, op: "repeat")  // the result's size must fit before any copy
    return reshaped(spread).expanded(to: target).reshaped(zip(counts, padded).map { $0 * $1 })
  }

  /// This tensor tiled `reps[i]` times along each dim, like `torch.tile`: as
  /// ``repeated(_:)``, except that fewer reps than dims are padded with leading 1s. A copy.
  ///
  /// - Precondition: no rep is negative.
  /// Derivative: linear; the VJP sums the cotangent over the tiles.
  public func tiled(_ reps: [Int]) -> Tensor {
    check(reps.allSatisfy { $0 >= 0 }, "tile: negative rep in \(reps)")
    return repeated(Array(repeating: 1, count: Swift.max(0, rank - reps.count)) + reps)
  }

  /// Each element repeated `repeats` times in place along `dim`, like
  /// `torch.repeat_interleave(x, repeats, dim)`: `[a, b]` becomes `[a, a, b, b]`. With
  /// `dim == nil` the tensor is flattened first. A copy.
  ///
  /// - Precondition: `repeats >= 0`.
  /// Derivative: linear; the VJP sums the cotangent over each group of repeats.
  public func repeatInterleave(_ repeats: Int, dim: Int? = nil) -> Tensor {
    check(repeats >= 0, "repeatInterleave: repeats must be non-negative, got \(repeats)")
    guard let dim else { return reshaped([count]).repeatInterleave(repeats, dim: 0) }
    if rank == 0 { return reshaped([1]).repeatInterleave(repeats, dim: dim) }
    let d = Shape.normalize(dim, rank: rank, op: "repeatInterleave")
    var spread = shape
    spread.insert(1, at: d + 1)
    var target = spread
    target[d + 1] = repeats
    _ = Shape.count(target, op: "repeatInterleave")
    var merged = shape
    merged[d] *= repeats
    return reshaped(spread).expanded(to: target).reshaped(merged)
  }
}
