extension Tensor {
  /// The derivative estimated by finite differences along each of `dims` (all by default),
  /// like `torch.gradient` with a uniform `spacing` h: central differences
  /// `(x[i+1] − x[i−1]) / 2h` inside; at the ends, with `edgeOrder` 1, the one-sided
  /// first-order differences `(x[1] − x[0]) / h` and `(x[n−1] − x[n−2]) / h`, and with
  /// `edgeOrder` 2 the one-sided second-order ones
  /// `(−3x[0] + 4x[1] − x[2]) / 2h` and `(3x[n−1] − 4x[n−2] + x[n−3]) / 2h`
  /// (exact for quadratics). One tensor of this tensor's shape per dim.
  ///
  /// Derivative: linear (composed of slices, subtraction and `cat`).
  /// - Precondition: every differentiated dim has at least `edgeOrder + 1` elements,
  ///   `spacing ≠ 0` and `edgeOrder` is 1 or 2.
  public func gradient(spacing: Double = 1, dims: [Int]? = nil, edgeOrder: Int = 1) -> [Tensor] {
    check(spacing != 0, "gradient: spacing must be non-zero")
    check(edgeOrder == 1 || edgeOrder == 2, "gradient: edgeOrder must be 1 or 2, got \(edgeOrder)")
    let ds = (dims ?? Array(0..<rank)).map { Shape.normalize($0, rank: rank, op: "gradient") }
    return ds.map { d in
      let n = shape[d]
      check(n >= edgeOrder + 1, "gradient: dimension \(d) of shape \(shape) needs at least \(edgeOrder + 1) elements for edgeOrder \(edgeOrder)")
      func at(_ i: Int) -> Tensor { narrowed(dim: d, start: i, length: 1) }
      let first: Tensor, last: Tensor
      if edgeOrder == 1 {
        first = (at(1) - at(0)) / spacing
        last = (at(n - 1) - at(n - 2)) / spacing
      } else {
        first = (4 * at(1) - 3 * at(0) - at(2)) / (2 * spacing)
        last = (3 * at(n - 1) - 4 * at(n - 2) + at(n - 3)) / (2 * spacing)
      }
      guard n > 2 else { return Tensor.cat([first, last], dim: d) }
      let inner = (narrowed(dim: d, start: 2, length: n - 2) - narrowed(dim: d, start: 0, length: n - 2)) / (2 * spacing)
      return Tensor.cat([first, inner, last], dim: d)
    }
  }

  /// ``gradient(spacing:dims:edgeOrder:)`` with its own uniform spacing for each dim, like
  /// `torch.gradient(x, spacing=[h₀, h₁, …])`.
  ///
  /// Derivative: linear, as ``gradient(spacing:dims:edgeOrder:)``.
  /// - Parameters:
  ///   - spacings: one non-zero spacing per differentiated dim, in the order of `dims`.
  ///   - dims: the dims to differentiate along (all by default).
  ///   - edgeOrder: 1 or 2, the order of the one-sided differences at the ends.
  /// - Returns: one tensor of this tensor's shape per dim.
  /// - Precondition: as many spacings as dims, and what ``gradient(spacing:dims:edgeOrder:)`` needs.
  public func gradient(spacings: [Double], dims: [Int]? = nil, edgeOrder: Int = 1) -> [Tensor] {
    let ds = dims ?? Array(0..<rank)
    check(spacings.count == ds.count, "gradient: \(spacings.count) spacings for \(ds.count) dims of shape \(shape)")
    return zip(spacings, ds).map { gradient(spacing: $0, dims: [$1], edgeOrder: edgeOrder)[0] }
  }
}
