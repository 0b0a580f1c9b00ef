import ComplexModule
import RealModule

/// Reverses the order of elements along some dims (a copy, as in PyTorch). Derivative:
/// linear and self-adjoint; the VJP flips the cotangent back.
struct FlipOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// Non-negative dims of the input.
  let dims: [Int]
  var name: String { "flip" }
  var sparsity: SparsityRule { .indexMap }

  func primal(_ x: Tensor) -> Tensor {
    var offset = x.offset
    var strides = x.strides
    for d in dims where x.shape[d] > 0 {
      offset += (x.shape[d] - 1) * strides[d]
      strides[d] = -strides[d]
    }
    return x.view(shape: x.shape, strides: strides, offset: offset).contiguousValues()
  }

  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor {
    let more = dx.rank - inputShape.count
    return Tensor.apply(FlipOp(dims: dims.map { $0 + more }), dx)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { applyLinear(gy, inputShape: inputShape) }
}

extension Tensor {
  /// The elements in reverse order along `dims`, like `torch.flip`. A copy (PyTorch has no
  /// negative strides either).
  ///
  /// - Precondition: the dims are in range (negative counts from the end) and distinct.
  /// Derivative: linear; the VJP flips the cotangent along the same dims.
  public func flipped(dims: [Int]) -> Tensor {
    let d = Shape.normalize(dims, rank: rank, op: "flip")
    if rank == 0 || d.isEmpty { return self }
    return Tensor.apply(FlipOp(dims: d), self)
  }

  /// The elements in reverse order along `dim`. See ``flipped(dims:)``.
  public func flipped(dim: Int) -> Tensor { flipped(dims: [dim]) }
}
