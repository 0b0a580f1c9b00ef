import ComplexModule
import RealModule

extension Tensor {
  /// This tensor rotated by `k` quarter turns in the plane of `dims`, like `torch.rot90`:
  /// one turn goes from the first dim towards the second (counter-clockwise for a matrix
  /// shown with rows down and columns across). Negative `k` turns the other way. A copy.
  ///
  /// - Parameters:
  ///   - k: the number of quarter turns.
  ///   - dims: two distinct dims (negative counts from the end).
  /// - Precondition: the rank is at least 2 and `dims` holds two distinct dims.
  /// Derivative: linear; the VJP rotates the cotangent back.
  public func rot90(_ k: Int = 1, dims: [Int] = [0, 1]) -> Tensor {
    check(dims.count == 2, "rot90: expected two dims, got \(dims)")
    check(rank >= 2, "rot90: needs at least 2 dimensions, got shape \(shape)")
    let a = Shape.normalize(dims[0], rank: rank, op: "rot90"), b = Shape.normalize(dims[1], rank: rank, op: "rot90")
    check(a != b, "rot90: dims \(dims) name dimension \(a) twice")
    switch ((k % 4) + 4) % 4 {
    case 1: return flipped(dim: b).transposed(a, b)
    case 2: return flipped(dims: [a, b])
    case 3: return flipped(dim: a).transposed(a, b)
    default: return self
    }
  }

  /// The columns in reverse order (dim 1 flipped), like `torch.fliplr`. A copy.
  ///
  /// - Precondition: the rank is at least 2.
  /// Derivative: linear; the VJP flips the cotangent back.
  public func fliplr() -> Tensor {
    check(rank >= 2, "fliplr: needs at least 2 dimensions, got shape \(shape)")
    return flipped(dim: 1)
  }

  /// The rows in reverse order (dim 0 flipped), like `torch.flipud`. A copy.
  ///
  /// - Precondition: the rank is at least 1.
  /// Derivative: linear; the VJP flips the cotangent back.
  public func flipud() -> Tensor {
    check(rank >= 1, "flipud: needs at least 1 dimension, got shape \(shape)")
    return flipped(dim: 0)
  }
}
