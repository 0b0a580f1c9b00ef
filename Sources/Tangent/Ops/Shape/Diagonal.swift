import ComplexModule
import RealModule

/// The diagonal of two dims as a region: they are removed and the diagonal becomes the last dim.
struct DiagonalRegion: ViewRegion {
  let offset: Int
  /// The two dims, non-negative and distinct.
  let dim1: Int
  let dim2: Int
  var name: String { "diagonal" }
  var rankChange: Int { -1 }

  /// The length of the diagonal of an `n1 × n2` block.
  static func length(_ n1: Int, _ n2: Int, offset: Int) -> Int {
    offset >= 0 ? Swift.max(0, Swift.min(n1, n2 - offset)) : Swift.max(0, Swift.min(n1 + offset, n2))
  }

  func view(of x: Tensor, extra: Int) -> Tensor {
    let a = dim1 + extra, b = dim2 + extra
    let n = Self.length(x.shape[a], x.shape[b], offset: offset)
    var start = x.offset
    if n > 0 { start += offset >= 0 ? offset * x.strides[b] : -offset * x.strides[a] }
    var shape: [Int] = [], strides: [Int] = []
    for d in 0..<x.rank where d != a && d != b {
      shape.append(x.shape[d])
      strides.append(x.strides[d])
    }
    return x.view(shape: shape + [n], strides: strides + [x.strides[a] + x.strides[b]], offset: start)
  }
}

extension Tensor {
  /// The diagonal of the `dim1`, `dim2` planes, like `torch.diagonal`; a view.
  ///
  /// The two dims are removed and the diagonal is appended as the last dim. `offset > 0`
  /// takes a diagonal above the main one (towards larger `dim2` indices), `offset < 0` below.
  /// An offset past the edge gives an empty diagonal.
  /// - Precondition: the rank is at least 2 and `dim1`, `dim2` are distinct dims (negative
  ///   counts from the end).
  /// Derivative: linear; the VJP writes the cotangent on the diagonal of zeros.
  public func diagonal(offset: Int = 0, dim1: Int = 0, dim2: Int = 1) -> Tensor {
    check(rank >= 2, "diagonal: needs at least 2 dimensions, got shape \(shape)")
    let a = Shape.normalize(dim1, rank: rank, op: "diagonal"), b = Shape.normalize(dim2, rank: rank, op: "diagonal")
    check(a != b, "diagonal: dim1 and dim2 are both dimension \(a) (shape \(shape))")
    return reading(DiagonalRegion(offset: offset, dim1: a, dim2: b))
  }
}
