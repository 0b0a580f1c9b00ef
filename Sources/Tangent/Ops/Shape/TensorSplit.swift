import ComplexModule
import RealModule

extension Tensor {
  /// `sections` pieces along `dim` whose sizes differ by at most one, like
  /// `torch.tensor_split(x, sections, dim)`: for a dim of size `n`, the first `n % sections`
  /// pieces have `n / sections + 1` elements and the others `n / sections` (some may be
  /// empty). Views.
  ///
  /// - Precondition: the rank is at least 1 and `sections > 0`.
  /// Derivative: linear; the VJP concatenates the cotangents.
  public func tensorSplit(sections: Int, dim: Int = 0) -> [Tensor] {
    check(rank >= 1, "tensorSplit: needs at least 1 dimension, got shape \(shape)")
    check(sections > 0, "tensorSplit: the number of sections must be positive, got \(sections)")
    let d = Shape.normalize(dim, rank: rank, op: "tensorSplit")
    let n = shape[d]
    let small = n / sections, extra = n % sections
    return split(sizes: (0..<sections).map { $0 < extra ? small + 1 : small }, dim: d)
  }

  /// The pieces between split points along `dim`, like `torch.tensor_split(x, indices, dim)`:
  /// `x[..<i₀]`, `x[i₀..<i₁]`, …, `x[iₖ...]` along `dim`, with Python slice rules (negative
  /// points count from the end, points are clamped to the dim, and a piece whose end comes
  /// before its start is empty). Views.
  ///
  /// - Precondition: the rank is at least 1.
  /// Derivative: linear; the VJP adds the cotangents back into place.
  public func tensorSplit(indices: [Int], dim: Int = 0) -> [Tensor] {
    check(rank >= 1, "tensorSplit: needs at least 1 dimension, got shape \(shape)")
    let d = Shape.normalize(dim, rank: rank, op: "tensorSplit")
    let n = shape[d]
    func clamp(_ i: Int) -> Int { Swift.min(Swift.max(i < 0 ? i + n : i, 0), n) }
    let points = [0] + indices.map(clamp) + [n]
    var pieces: [(start: Int, count: Int)] = []
    for k in 1..<points.count {
      pieces.append((points[k - 1], Swift.max(0, points[k] - points[k - 1])))
    }
    if zip(points, points.dropFirst()).allSatisfy({ $0 <= $1 }) {
      return split(sizes: pieces.map(\.count), dim: d)
    }
    return pieces.map { narrowed(dim: d, start: $0.start, length: $0.count) }
  }
}
