import ComplexModule
import RealModule

/// A permutation of dimensions, as a view. Derivative: linear; the VJP applies the inverse
/// permutation.
struct PermuteOp: LinearOp {
  /// The permutation, in non-negative dims of the input.
  let dims: [Int]
  var name: String { "permute" }
  var sparsity: SparsityRule { .indexMap }
  /// The transpose permutes through `applyLinear`, which keeps leading chunk dims.
  var acceptsChunkedCotangents: Bool { true }

  func primal(_ x: Tensor) -> Tensor {
    x.view(shape: dims.map { x.shape[$0] }, strides: dims.map { x.strides[$0] }, offset: x.offset)
  }

  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor {
    let extra = dx.rank - inputShape.count
    if extra == 0 { return Tensor.apply(self, dx) }
    return Tensor.apply(PermuteOp(dims: Array(0..<extra) + dims.map { $0 + extra }), dx)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    var inverse = [Int](repeating: 0, count: dims.count)
    for (i, d) in dims.enumerated() { inverse[d] = i }
    return PermuteOp(dims: inverse).applyLinear(gy, inputShape: inputShape)
  }
}

extension Tensor {
  /// The dimensions reordered, like `torch.permute`; a view.
  ///
  /// Derivative: linear; the VJP applies the inverse permutation.
  /// - Precondition: `dims` is a permutation of the dims (negative allowed).
  public func permuted(_ dims: [Int]) -> Tensor {
    check(dims.count == rank, "permute: \(dims) has \(dims.count) dims for a tensor of rank \(rank) (shape \(shape))")
    let d = dims.map { Shape.normalize($0, rank: rank, op: "permute") }
    check(Set(d).count == d.count, "permute: \(dims) repeats a dimension")
    if d == Array(0..<rank) { return self }
    return Tensor.apply(PermuteOp(dims: d), self)
  }

  /// Two dimensions swapped, like `torch.transpose`; a view.
  ///
  /// Derivative: linear; the VJP swaps them back.
  public func transposed(_ dim0: Int = -2, _ dim1: Int = -1) -> Tensor {
    if rank < 2 && dim0 == -2 && dim1 == -1 { return self }
    let a = Shape.normalize(dim0, rank: rank, op: "transpose"), b = Shape.normalize(dim1, rank: rank, op: "transpose")
    var p = Array(0..<rank)
    p.swapAt(a, b)
    return permuted(p)
  }

  /// The transpose of the last two dimensions (`x.mT` in PyTorch).
  public var mT: Tensor {
    check(rank >= 2, "mT: needs at least 2 dimensions, got shape \(shape)")
    return transposed(-2, -1)
  }

  /// The conjugate transpose of the last two dimensions (`x.mH` in PyTorch).
  public var mH: Tensor { mT.conj() }
}
