import ComplexModule
import RealModule

/// Picks values along a dim by an index tensor of the input's rank (`torch.gather`):
/// `y[i] = x[i with i[dim] = index[i]]`. Derivative: linear; the VJP scatter-adds the
/// cotangent into zeros (``ScatterOp`` adding), so repeated indices accumulate.
struct GatherOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// A non-negative dim, counted after the `extra` leading dims.
  let dim: Int
  /// Non-negative, checked index values, row-major over `indexShape`.
  let index: [Int]
  let indexShape: [Int]
  /// Leading (chunk) dims kept whole, in front of the index's dims.
  let extra: Int
  var name: String { "gather" }
  var sparsity: SparsityRule { .indexMap }

  func primal(_ x: Tensor) -> Tensor {
    GatherKernels.gather(x, dim: dim, index: index, indexShape: indexShape, extra: extra)
  }

  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor {
    let more = dx.rank - inputShape.count
    return Tensor.apply(GatherOp(dim: dim, index: index, indexShape: indexShape, extra: extra + more), dx)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    let more = gy.rank - (extra + indexShape.count)
    let zeros = Tensor.zeros(Array(gy.shape.prefix(more)) + inputShape, dtype: gy.dtype)
    return Tensor.apply(ScatterOp(dim: dim, index: index, indexShape: indexShape, extra: extra + more, add: true), zeros, gy)
  }
}

extension Tensor {
  /// Checks an index tensor for `gather`-like ops against this tensor (of rank ≥ 1): `int64`,
  /// of this rank, no larger than this tensor outside `dim` (nor than `limit` anywhere), with
  /// values inside the size of `dim`: `0..<n`, as PyTorch's `gather` and `scatter` require,
  /// or `-n..<n` with `wrapsNegative` (negative values count from the end, as PyTorch's
  /// `take_along_dim` and `take` allow).
  /// - Returns: the normalised values, row-major.
  func gatherIndex(_ index: Tensor, dim: Int, op: String, limit: [Int]? = nil, wrapsNegative: Bool = false) -> [Int] {
    check(index.dtype == .int64, "\(op): the index must be an int64 tensor, got \(index.dtype)")
    check(
      index.rank == rank,
      "\(op): the index must have the input's rank, got index shape \(index.shape) for input shape \(shape)")
    for d in 0..<rank where d != dim {
      check(
        index.shape[d] <= shape[d],
        "\(op): the index (shape \(index.shape)) is larger than the input (shape \(shape)) in dimension \(d)")
    }
    if let limit {
      for d in 0..<rank {
        check(
          index.shape[d] <= limit[d],
          "\(op): the index (shape \(index.shape)) is larger than the source (shape \(limit)) in dimension \(d)")
      }
    }
    let n = shape[dim]
    // Under vmap every member's indices are checked.
    return index.valuesOfEveryMember.scalars(as: Int64.self).map { v in
      let i = Int(v)
      check(
        i >= (wrapsNegative ? -n : 0) && i < n,
        "\(op): index \(i) is out of range for dimension \(dim) of size \(n) (shape \(shape))\(i < 0 && !wrapsNegative ? "; negative indices are not accepted, as in PyTorch" : "")")
      return i < 0 ? i + n : i
    }
  }

  /// The values at `index` along `dim`, like `torch.gather`:
  /// `y[i][j][k] = self[index[i][j][k]][j][k]` for `dim == 0`, and likewise for other dims.
  /// A copy, of the index's shape.
  ///
  /// - Parameters:
  ///   - dim: the dimension indexed (negative counts from the end).
  ///   - index: an `int64` tensor of this tensor's rank, no larger than this tensor in the
  ///     other dims.
  /// - Precondition: the shapes fit and the indices are in `0..<n` for a dimension of size
  ///   `n` (negative indices stop, as in PyTorch; ``takeAlongDim(_:dim:)`` wraps them).
  /// Derivative: linear; the VJP scatter-adds the cotangent into zeros (repeated indices
  /// accumulate), like PyTorch's `gather_backward`.
  public func gather(dim: Int, index: Tensor) -> Tensor { gathering(dim: dim, index: index, op: "gather") }

  /// ``gather(dim:index:)``, with messages naming `op`; `wrapsNegative` lets negative indices
  /// count from the end.
  func gathering(dim: Int, index: Tensor, op: String, wrapsNegative: Bool = false) -> Tensor {
    if rank == 0 {
      // A 0-d input acts as one element along dim 0 (PyTorch also takes a 1-d index here).
      check(index.rank <= 1, "\(op): a 0-d input needs a 0-d or 1-d index, got shape \(index.shape)")
      _ = Shape.normalize(dim, rank: 0, op: op)
      return reshaped([1]).gathering(dim: 0, index: index.reshaped([index.count]), op: op, wrapsNegative: wrapsNegative).reshaped(index.shape)
    }
    let d = Shape.normalize(dim, rank: rank, op: op)
    // An empty index gathers nothing: PyTorch skips its shape checks and returns an empty
    // tensor of the index's shape (its derivatives are empty, so zero).
    if index.count == 0 && index.rank != rank {
      check(index.dtype == .int64, "\(op): the index must be an int64 tensor, got \(index.dtype)")
      return Tensor.zeros(index.shape, dtype: dtype)
    }
    let list = gatherIndex(index, dim: d, op: op, wrapsNegative: wrapsNegative)
    if index.isBatched {
      // Indices batched by vmap differ across the batch: checked above for every member, then
      // an input of the gather (negative ones wrapped), which batches them.
      let wrapped = index.lt(0).converted(to: .int64) * shape[d] + index
      return Tensor.apply(GatherAlongDimByInputOp(dim: d - rank), [self, wrapped])[0]
    }
    return Tensor.apply(GatherOp(dim: d, index: list, indexShape: index.shape, extra: 0), self)
  }

  /// The values at `indices` along `dim`, with the two broadcast against each other outside
  /// `dim`, like `torch.take_along_dim`; with `dim == nil`, the values at `indices` of the
  /// flattened tensor, as a 1-d tensor. A copy.
  ///
  /// This is how the indices from `argsort`, `argmax(dim:keepdim: true)` or `topk` pick values.
  /// Negative indices count from the end (as in PyTorch, unlike ``gather(dim:index:)``).
  /// - Parameters:
  ///   - indices: an `int64` tensor of this tensor's rank (any shape when `dim` is `nil`).
  ///   - dim: the dimension indexed (negative counts from the end), or `nil`.
  /// - Precondition: the shapes broadcast outside `dim` and the indices are in range.
  /// Derivative: linear; the VJP scatter-adds the cotangent and sums it over broadcast dims.
  public func takeAlongDim(_ indices: Tensor, dim: Int? = nil) -> Tensor {
    guard let dim else {
      check(indices.dtype == .int64, "takeAlongDim: the indices must be an int64 tensor, got \(indices.dtype)")
      return reshaped([count]).gathering(dim: 0, index: indices.reshaped([indices.count]), op: "takeAlongDim", wrapsNegative: true)
    }
    check(
      indices.rank == rank,
      "takeAlongDim: the indices must have the input's rank, got shapes \(indices.shape) and \(shape)")
    if rank == 0 { return gathering(dim: dim, index: indices, op: "takeAlongDim", wrapsNegative: true) }
    let d = Shape.normalize(dim, rank: rank, op: "takeAlongDim")
    var selfShape = shape
    selfShape[d] = indices.shape[d]
    guard let common = Shape.broadcast(selfShape, indices.shape) else {
      misuse("takeAlongDim: shapes \(shape) and \(indices.shape) do not broadcast outside dimension \(d)")
    }
    var source = common
    source[d] = shape[d]
    return expanded(to: source).gathering(dim: d, index: indices.expanded(to: common), op: "takeAlongDim", wrapsNegative: true)
  }

  /// The values at `index` of this tensor read as 1-d (row-major), like `torch.take`; the
  /// result has the index's shape. A copy.
  ///
  /// Negative indices count from the end.
  /// - Parameter index: an `int64` tensor of any shape.
  /// - Precondition: the indices are inside `-count..<count`.
  /// Derivative: linear; the VJP scatter-adds the cotangent (repeated indices accumulate).
  public func take(_ index: Tensor) -> Tensor {
    check(index.dtype == .int64, "take: the index must be an int64 tensor, got \(index.dtype)")
    let flat = reshaped([count]).gathering(dim: 0, index: index.reshaped([index.count]), op: "take", wrapsNegative: true)
    return flat.reshaped(index.shape)
  }
}
