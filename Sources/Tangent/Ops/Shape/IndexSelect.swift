import ComplexModule
import RealModule

/// Gathers slices along a dim by a list of indices (`index_select`). Derivative: linear; the
/// VJP scatter-adds the cotangent back (``IndexAddOp``), so repeated indices accumulate.
struct IndexSelectOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// A non-negative dim.
  let dim: Int
  /// Non-negative, checked indices.
  let indices: [Int]
  var name: String { "indexSelect" }
  var sparsity: SparsityRule { .indexMap }

  func primal(_ x: Tensor) -> Tensor { IndexKernels.gather(x, dim: dim, indices: indices) }

  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor {
    let more = dx.rank - inputShape.count
    return Tensor.apply(IndexSelectOp(dim: dim + more, indices: indices), dx)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    let more = gy.rank - inputShape.count
    let zeros = Tensor.zeros(Array(gy.shape.prefix(more)) + inputShape, dtype: gy.dtype)
    return Tensor.apply(IndexAddOp(dim: dim + more, indices: indices), zeros, gy)
  }
}

/// `a` plus `b`'s slices added at `indices` along a dim (`index_add`). Derivative: linear in
/// both; the VJP passes the cotangent to `a` and gathers it at `indices` for `b`.
struct IndexAddOp: BinaryOp {
  let dim: Int
  let indices: [Int]
  var name: String { "indexAdd" }
  var sparsity: SparsityRule { .adjointIndexMap }

  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = a.contiguousValues()
    let source = b.dtype == a.dtype ? b : b.contiguousValues(dtype: a.dtype)
    IndexKernels.scatterAdd(into: out, dim: dim, indices: indices, source: source)
    return out
  }

  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    if da == nil && db == nil { return nil }
    let more = da.map { $0.rank - a.rank } ?? (db!.rank - b.rank)
    let like = (da ?? db)!
    let prefix = Array(like.shape.prefix(more))
    guard let db else { return da }
    let ta = da ?? Tensor.zeros(prefix + a.shape, dtype: like.dtype)
    return Tensor.apply(IndexAddOp(dim: dim + more, indices: indices), ta, db)
  }

  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    (needA ? gy : nil, needB ? Tensor.apply(IndexSelectOp(dim: dim, indices: indices), gy) : nil)
  }

  /// The batch is one more leading dim of both operands (the unbatched one expanded).
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.leadingDim(IndexAddOp(dim: dim + 1, indices: indices), inputs, isBatched: isBatched, batchSize: batchSize)
  }
}

extension Tensor {
  /// Checks and normalises an integer index tensor against a dimension of size `n`: values
  /// in `0..<n`, as PyTorch's `index_select`, `index_add` and `index_copy` require, or in
  /// `-n..<n` with `wrapsNegative` (negative values count from the end, as PyTorch's
  /// `index_fill` and `x[index]` allow).
  func indexList(_ index: Tensor, size n: Int, dim: Int, op: String, wrapsNegative: Bool = false) -> [Int] {
    check(index.dtype == .int64, "\(op): indices must be an int64 tensor, got \(index.dtype)")
    check(index.rank <= 1, "\(op): indices must be 0-d or 1-d, got shape \(index.shape)")
    return index.scalars(as: Int64.self).map { v in
      let i = Int(v)
      check(
        i >= (wrapsNegative ? -n : 0) && i < n,
        "\(op): index \(i) is out of range for dimension \(dim) of size \(n) (shape \(shape))\(i < 0 && !wrapsNegative ? "; negative indices are not accepted, as in PyTorch" : "")")
      return i < 0 ? i + n : i
    }
  }

  /// The slices at `index` along `dim`, like `torch.index_select`; a copy.
  ///
  /// Indices are in `0..<n` for a dimension of size `n`: negative ones stop, as in PyTorch
  /// (`x[index]` wraps them).
  /// - Parameters:
  ///   - dim: the dimension (negative counts from the end).
  ///   - index: a 0-d or 1-d `int64` tensor of positions; repeats are allowed.
  /// A 0-d tensor counts as one of size 1 along dim 0 (or −1), as in PyTorch: `index` must
  /// then hold one position, and the result is 0-d.
  /// - Precondition: the indices are in range.
  /// Derivative: linear; the VJP scatter-adds the cotangent (`index_add`).
  public func indexSelect(dim: Int, index: Tensor) -> Tensor {
    if rank == 0 {
      _ = Shape.normalize(dim, rank: 0, op: "indexSelect")
      check(index.count == 1, "indexSelect: a 0-d tensor takes one index, got \(index.count) (index shape \(index.shape))")
      return reshaped([1]).indexSelect(dim: 0, index: index.reshaped([1])).reshaped([])
    }
    let d = Shape.normalize(dim, rank: rank, op: "indexSelect")
    let list = indexList(index, size: shape[d], dim: d, op: "indexSelect")
    return Tensor.apply(IndexSelectOp(dim: d, indices: list), self)
  }

  /// This tensor with `source`'s slices added at `index` along `dim`, like
  /// `torch.index_add` (out of place). Repeated indices accumulate.
  ///
  /// - Parameters:
  ///   - dim: the dim along which to add (negative counts from the end).
  ///   - index: a 0-d or 1-d `int64` tensor of positions along `dim`.
  ///   - source: slices to add; its size along `dim` is the number of indices, and its other
  ///     sizes are this tensor's. It is converted to this tensor's dtype.
  /// A 0-d tensor counts as one of size 1 along dim 0 (or −1), as in PyTorch: `index` and
  /// `source` then hold one element each, and the result is 0-d.
  /// - Precondition: the shapes fit and the indices are in range.
  /// Derivative: linear in both; the VJP gives this tensor the cotangent and `source` the
  /// cotangent gathered at `index`.
  public func indexAdd(dim: Int, index: Tensor, source: Tensor) -> Tensor {
    if rank == 0 {
      _ = Shape.normalize(dim, rank: 0, op: "indexAdd")
      check(
        index.count == 1 && source.count == 1 && source.rank <= 1,
        "indexAdd: a 0-d tensor takes one index and one source element, got index shape \(index.shape) and source shape \(source.shape)")
      return reshaped([1]).indexAdd(dim: 0, index: index.reshaped([1]), source: source.reshaped([1])).reshaped([])
    }
    let d = Shape.normalize(dim, rank: rank, op: "indexAdd")
    let list = indexList(index, size: shape[d], dim: d, op: "indexAdd")
    var want = shape
    want[d] = list.count
    check(
      source.shape == want,
      "indexAdd: source of shape \(source.shape) does not fit \(list.count) indices along dimension \(d) of shape \(shape) (expected \(want))")
    return Tensor.apply(IndexAddOp(dim: d, indices: list), self, source.converted(to: dtype))
  }

  /// Integer-array indexing along dim 0, like PyTorch's `x[index]` with an integer tensor:
  /// the result has shape `index.shape + shape.dropFirst()`. With a `bool` mask over the
  /// leading dims (`x[mask]`), the result is the selected rows, of shape
  /// `[number of trues] + shape.dropFirst(mask.rank)`. A copy.
  ///
  /// Negative indices count from the end.
  /// - Precondition: `index` is `int64` with values in range, or `bool` with this tensor's
  ///   leading sizes.
  /// Derivative: linear; the VJP scatter-adds the cotangent (`index_add`).
  public subscript(_ index: Tensor) -> Tensor {
    check(rank > 0, "subscript: cannot index a 0-d tensor with a tensor")
    if index.dtype == .bool {
      check(
        index.rank <= rank && Array(shape.prefix(index.rank)) == index.shape,
        "subscript: a bool mask of shape \(index.shape) must match the leading sizes of the tensor's shape \(shape)")
      let rows = index.scalars(as: Bool.self).enumerated().filter(\.element).map { Int64($0.offset) }
      let rest = Array(shape.dropFirst(index.rank))
      return reshaped([index.count] + rest).indexSelect(dim: 0, index: Tensor(shape: [rows.count], scalars: rows))
    }
    let flat = index.rank == 1 ? index : index.reshaped([index.count])
    // PyTorch's x[index] wraps negative indices (its index_select does not).
    let positions = indexList(flat, size: shape[0], dim: 0, op: "subscript", wrapsNegative: true)
    let picked = indexSelect(dim: 0, index: Tensor(shape: [positions.count], scalars: positions.map(Int64.init)))
    return index.rank == 1 ? picked : picked.reshaped(index.shape + Array(shape.dropFirst()))
  }
}

// MARK: Taylor rule

extension IndexAddOp {
  /// Linear in both inputs: the JVP on each coefficient.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByLinearity(inputs: inputs, outputs: outputs, series: series)
  }
}
