extension Tensor {
  /// The windows of `size` elements every `step` elements along `dimension`, like
  /// `Tensor.unfold`: that dim becomes the number of windows, `(n - size) / step + 1`, and a
  /// new last dim of `size` holds each window. A 0-d tensor is treated as a 1-element vector.
  ///
  /// - Precondition: `size` is at most the size of `dimension`, and `step > 0`.
  /// Derivative: linear; the VJP adds each window's cotangent back at its place (overlapping
  /// windows accumulate).
  public func unfold(dimension: Int, size: Int, step: Int) -> Tensor {
    if rank == 0 {
      check(size <= 1 && step > 0, "unfold: size \(size) and step \(step) do not fit a 0-d tensor")
      return reshaped([size])
    }
    let d = Shape.normalize(dimension, rank: rank, op: "unfold")
    check(size >= 0 && size <= shape[d], "unfold: size \(size) exceeds the size \(shape[d]) of dimension \(d) (shape \(shape))")
    check(step > 0, "unfold: step must be positive, got \(step)")
    let windows = (shape[d] - size) / step + 1
    let parts = (0..<windows).map { narrowed(dim: d, start: $0 * step, length: size).movedim(d, to: -1) }
    return Tensor.stack(parts, dim: d)
  }
}
