import ComplexModule
import RealModule

/// Sum over dimensions. Derivative: linear; the VJP broadcasts the cotangent back.
struct SumOp: LinearOp {
  /// Dims counted from the right (negative), so the rule also fits chunked tangents.
  let dims: [Int]
  let keepdim: Bool
  var name: String { "sum" }
  var sparsity: SparsityRule { .reduction(dims: dims, .linear) }
  /// The transpose broadcasts from the right, keeping leading chunk dims.
  var acceptsChunkedCotangents: Bool { true }

  func primal(_ x: Tensor) -> Tensor {
    Reductions.sum(x, dims: dims.map { $0 + x.rank }.sorted(), keepdim: keepdim)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    var g = gy
    if !keepdim {
      let kept = Reductions.reducedShape(inputShape, dims: dims.map { $0 + inputShape.count }, keepdim: true)
      g = g.reshaped(Array(g.shape.prefix(g.rank - (inputShape.count - dims.count))) + kept)
    }
    return g.expanded(to: Array(g.shape.prefix(g.rank - inputShape.count)) + inputShape)
  }
}

extension Tensor {
  /// The sum of all elements, as a 0-d tensor.
  ///
  /// Derivative: linear; the VJP broadcasts the cotangent.
  public func sum() -> Tensor { sum(dims: Array(0..<rank)) }

  /// The sum over `dims` (negative dims count from the end), like `torch.sum(x, dims, keepdim)`.
  ///
  /// Derivative: linear; the VJP broadcasts the cotangent back over `dims`.
  /// - Precondition: every dim is in range and appears once.
  public func sum(dims: [Int], keepdim: Bool = false) -> Tensor {
    let d = Shape.normalize(dims, rank: rank, op: "sum").map { $0 - rank }
    if rank == 0 { return self }
    return Tensor.apply(SumOp(dims: d, keepdim: keepdim), self)
  }

  /// The sum over one dim. See ``sum(dims:keepdim:)``.
  public func sum(dim: Int, keepdim: Bool = false) -> Tensor { sum(dims: [dim], keepdim: keepdim) }

  /// The mean of all elements.
  ///
  /// Derivative: linear, 1/n of the sum's.
  public func mean() -> Tensor { mean(dims: Array(0..<rank)) }

  /// The mean over `dims`, like `torch.mean(x, dims, keepdim)`. Integer inputs give `float64`.
  /// A 0-d tensor accepts dim 0 and −1 and is its own mean.
  public func mean(dims: [Int], keepdim: Bool = false) -> Tensor {
    let d = Shape.normalize(dims, rank: rank, op: "mean")
    let n = rank == 0 ? 1 : d.reduce(1) { $0 * shape[$1] }
    let x = dtype.isFloatingPoint ? self : converted(to: .defaultFloating)
    return x.sum(dims: dims, keepdim: keepdim) / Double(n)
  }
}
