import ComplexModule
import RealModule

extension Tensor {
  /// The dim `dim` split into dims of `sizes`, like `torch.unflatten`; one size may be `-1`,
  /// to be inferred. A view when the strides allow (always for contiguous tensors), else a copy.
  ///
  /// ```swift
  /// x.unflattened(dim: 1, sizes: [2, -1])  // shape [3, 4] → [3, 2, 2]
  /// ```
  /// - Precondition: the sizes multiply to the size of `dim` (negative counts from the end),
  ///   with at most one `-1`.
  /// Derivative: linear; the VJP reshapes back.
  public func unflattened(dim: Int, sizes: [Int]) -> Tensor {
    check(rank > 0, "unflatten: cannot unflatten a 0-d tensor")
    check(!sizes.isEmpty, "unflatten: sizes must be non-empty")
    let d = Shape.normalize(dim, rank: rank, op: "unflatten")
    let n = shape[d]
    var s = sizes
    let unknown = s.indices.filter { s[$0] == -1 }
    check(unknown.count <= 1, "unflatten: only one size can be -1, got \(sizes)")
    check(s.allSatisfy { $0 >= -1 }, "unflatten: invalid sizes \(sizes)")
    if let u = unknown.first {
      let known = s.enumerated().filter { $0.offset != u }.reduce(1) { $0 * $1.element }
      check(
        known != 0 && n % known == 0,
        "unflatten: sizes \(sizes) do not fit dimension \(d) of size \(n) (shape \(shape))")
      s[u] = n / known
    }
    check(
      Shape.count(s) == n, "unflatten: sizes \(sizes) do not multiply to the size \(n) of dimension \(d) (shape \(shape))")
    return reshaped(Array(shape[..<d]) + s + Array(shape[(d + 1)...]))
  }
}
