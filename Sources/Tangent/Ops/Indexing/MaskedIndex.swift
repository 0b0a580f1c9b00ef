extension Tensor {
  /// The row-major positions in the flattened leading dims that `int64` index tensors pick
  /// (broadcast together to `b`), each clamped into its dim.
  private func clampedLeadingPositions(_ indices: [Tensor], op: String) -> (b: [Int], positions: Tensor) {
    check(!indices.isEmpty && indices.count <= rank, "\(op): \(indices.count) index tensors for a tensor of shape \(shape)")
    check(indices.allSatisfy { $0.dtype == .int64 }, "\(op): indices must be int64")
    let b = indices.dropFirst().reduce(indices[0].shape) { Shape.broadcast($0, $1.shape, op: op) }
    let n = Shape.count(b)
    var linear = [Int64](repeating: 0, count: n)
    for (d, index) in indices.enumerated() {
      let size = Int64(shape[d])
      let values = index.expanded(to: b).scalars(as: Int64.self)
      for i in 0..<n {
        let v = Swift.min(Swift.max(values[i], -size), size - 1)
        linear[i] = linear[i] * size + (v < 0 ? v + size : v)
      }
    }
    return (b, Tensor(shape: [n], scalars: linear))
  }

  /// The elements the index tensors pick from the leading dims where `mask` is true, and
  /// `fill` elsewhere, like PyTorch's `aten._unsafe_masked_index`: out-of-range indices are
  /// clamped (their elements are expected to be masked out).
  ///
  /// - Parameters:
  ///   - mask: a `bool` tensor that broadcasts to the result, `B + rest` for the broadcast
  ///     index shape `B` and the dims not indexed.
  ///   - indices: `int64` tensors, one per leading dim.
  ///   - fill: the value where `mask` is false.
  /// Derivative: linear (an index selection and `where`); the VJP adds the cotangent where
  /// the mask holds back at the picked elements.
  public func maskedIndex(mask: Tensor, indices: [Tensor], fill: Double) -> Tensor {
    check(mask.dtype == .bool, "maskedIndex: the mask must be a bool tensor, got \(mask.dtype)")
    let (b, positions) = clampedLeadingPositions(indices, op: "maskedIndex")
    let k = indices.count, rest = Array(shape.dropFirst(k))
    let picked = reshaped([Shape.count(Array(shape.prefix(k)))] + rest).indexSelect(dim: 0, index: positions).reshaped(b + rest)
    return Tensor.where(mask, picked, fill)
  }

  /// This tensor with `values` added, where `mask` is true, at the elements the index tensors
  /// pick from the leading dims, like PyTorch's `aten._unsafe_masked_index_put_accumulate`:
  /// out-of-range indices are clamped (their values are expected to be masked out).
  ///
  /// - Parameters:
  ///   - mask: a `bool` tensor that broadcasts to `values`.
  ///   - indices: `int64` tensors, one per leading dim.
  ///   - values: broadcasts to `B + rest` (see ``maskedIndex(mask:indices:fill:)``).
  /// Derivative: linear in both (`where` and `indexAdd`); the VJP gives `values` the
  /// cotangent at the picked elements where the mask holds.
  public func maskedIndexPutAccumulate(mask: Tensor, indices: [Tensor], values: Tensor) -> Tensor {
    check(mask.dtype == .bool, "maskedIndexPutAccumulate: the mask must be a bool tensor, got \(mask.dtype)")
    let (b, positions) = clampedLeadingPositions(indices, op: "maskedIndexPutAccumulate")
    let k = indices.count, rest = Array(shape.dropFirst(k))
    let kept = Tensor.where(mask, values.converted(to: dtype), 0.0).expanded(to: b + rest).reshaped([positions.count] + rest)
    let flat = reshaped([Shape.count(Array(shape.prefix(k)))] + rest)
    return flat.indexAdd(dim: 0, index: positions, source: kept).reshaped(shape)
  }
}
