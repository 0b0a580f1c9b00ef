extension Tensor {
  /// The derivative estimated by finite differences along each of `dims` (all by default),
  /// like `torch.gradient` with uniform `spacing` and `edge_order=1`: central differences
  /// `(x[i+1] - x[i-1]) / 2h` inside, one-sided `(x[1] - x[0]) / h` and
  /// `(x[n-1] - x[n-2]) / h` at the ends. One tensor of this tensor's shape per dim.
  ///
  /// - Precondition: every differentiated dim has at least 2 elements and `spacing ≠ 0`.
  /// Derivative: linear (composed of slices, subtraction and `cat`).
  public func gradient(spacing: Double = 1, dims: [Int]? = nil) -> [Tensor] {
    check(spacing != 0, "gradient: spacing must be non-zero")
    let ds = (dims ?? Array(0..<rank)).map { Shape.normalize($0, rank: rank, op: "gradient") }
    return ds.map { d in
      let n = shape[d]
      check(n >= 2, "gradient: dimension \(d) of shape \(shape) needs at least 2 elements")
      let first = (narrowed(dim: d, start: 1, length: 1) - narrowed(dim: d, start: 0, length: 1)) / spacing
      let last = (narrowed(dim: d, start: n - 1, length: 1) - narrowed(dim: d, start: n - 2, length: 1)) / spacing
      guard n > 2 else { return Tensor.cat([first, last], dim: d) }
      let inner = (narrowed(dim: d, start: 2, length: n - 2) - narrowed(dim: d, start: 0, length: n - 2)) / (2 * spacing)
      return Tensor.cat([first, inner, last], dim: d)
    }
  }
}
