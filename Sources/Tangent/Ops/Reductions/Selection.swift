import ComplexModule
import RealModule

// Reductions that select elements by their order: sort, top-k, k-th value, median, and the
// running extrema. Each computes `int64` indices from the primal values (constants, with no
// derivative) and gathers the values at them, so the derivative of the values is the gather's:
// the tangent gathered at the indices, the cotangent scatter-added back (PyTorch's
// `value_selecting_reduction_backward`).

/// yᵢ = x at index `indices`ᵢ along a dim (PyTorch's `gather`); the indices (`int64`, the
/// output's shape) are a constant of the op.
///
/// Derivative: linear; the adjoint scatter-adds the cotangent at the indices
/// (``ScatterAlongDimOp``).
struct GatherAlongDimOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// The dim, negative.
  let dim: Int
  let indices: Tensor
  var name: String { "gatherAlongDim" }
  var tensorParameters: [Tensor] { [indices] }
  var hasBatchedParameters: Bool { indices.autodiff?.batch != nil }
  func replacingTensorParameters(_ parameters: [Tensor]) -> Self { GatherAlongDimOp(dim: dim, indices: parameters[0]) }
  var sparsity: SparsityRule { .indexMap }
  func primal(_ x: Tensor) -> Tensor {
    SelectionKernels.gather(x, dim: dim + x.rank, indices: Selection.indices(indices, matching: x))
  }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    Tensor.apply(ScatterAlongDimOp(dim: dim, indices: indices, size: inputShape[dim + inputShape.count]), gy)
  }
}

/// Zeros with `size` along a dim and each xᵢ added at index `indices`ᵢ there: the adjoint of
/// ``GatherAlongDimOp``.
///
/// Derivative: linear; the adjoint gathers at the indices.
struct ScatterAlongDimOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// The dim, negative.
  let dim: Int
  let indices: Tensor
  let size: Int
  var name: String { "scatterAlongDim" }
  var sparsity: SparsityRule { .adjointIndexMap }
  var tensorParameters: [Tensor] { [indices] }
  var hasBatchedParameters: Bool { indices.autodiff?.batch != nil }
  func replacingTensorParameters(_ parameters: [Tensor]) -> Self { ScatterAlongDimOp(dim: dim, indices: parameters[0], size: size) }
  func primal(_ x: Tensor) -> Tensor {
    SelectionKernels.scatterAdd(x, dim: dim + x.rank, indices: Selection.indices(indices, matching: x), size: size)
  }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { Tensor.apply(GatherAlongDimOp(dim: dim, indices: indices), gy) }
}

/// ``GatherAlongDimOp`` with the indices as its second input instead of a constant of the op:
/// for indices batched by vmap (the sort of a batched tensor), which the batching rule takes
/// along with the values.
///
/// Derivative: linear in the values; the adjoint scatter-adds at the indices
/// (``ScatterAlongDimByInputOp``). The indices have none.
struct GatherAlongDimByInputOp: DifferentiableOp {
  /// The dim, negative.
  let dim: Int
  var name: String { "gatherAlongDim" }
  var sparsity: SparsityRule { .indexMap }
  var acceptsChunkedCotangents: Bool { true }
  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let x = inputs[0]
    return [SelectionKernels.gather(x, dim: dim + x.rank, indices: Selection.indices(inputs[1], matching: x))]
  }
  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    [tangents[0].map { Tensor.apply(self, [$0, inputs[1]])[0] }]
  }
  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0], let gy = cotangents[0] else { return [nil, nil] }
    let size = inputs[0].shape[dim + inputs[0].rank]
    return [Tensor.apply(ScatterAlongDimByInputOp(dim: dim, size: size), [gy, inputs[1]])[0], nil]
  }
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.leadingDim(self, inputs, isBatched: isBatched, batchSize: batchSize)
  }
}

/// ``ScatterAlongDimOp`` with the indices as its second input: the adjoint of
/// ``GatherAlongDimByInputOp``.
///
/// Derivative: linear in the values; the adjoint gathers at the indices.
struct ScatterAlongDimByInputOp: DifferentiableOp {
  /// The dim, negative.
  let dim: Int
  let size: Int
  var name: String { "scatterAlongDim" }
  var sparsity: SparsityRule { .adjointIndexMap }
  var acceptsChunkedCotangents: Bool { true }
  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let x = inputs[0]
    return [SelectionKernels.scatterAdd(x, dim: dim + x.rank, indices: Selection.indices(inputs[1], matching: x), size: size)]
  }
  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    [tangents[0].map { Tensor.apply(self, [$0, inputs[1]])[0] }]
  }
  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0], let gy = cotangents[0] else { return [nil, nil] }
    return [Tensor.apply(GatherAlongDimByInputOp(dim: dim), [gy, inputs[1]])[0], nil]
  }
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.leadingDim(self, inputs, isBatched: isBatched, batchSize: batchSize)
  }
}

/// Shared helpers of the selection reductions.
enum Selection {
  /// `indices` broadcast over the leading (chunk) dims of `t`.
  static func indices(_ indices: Tensor, matching t: Tensor) -> Tensor {
    let extra = t.rank - indices.rank
    return extra == 0 ? indices : indices.expanded(to: Array(t.shape.prefix(extra)) + indices.shape)
  }
}

/// A whole-tensor median (lower median, NaN-propagating unless `ignoringNaN`), one per slice
/// over the dims after the first `leading` ones (a vmap batch).
///
/// Derivative (PyTorch's `evenly_distribute_backward`): shared evenly by the elements equal to
/// the result (the NaNs, when it is NaN).
struct MedianOp: UnaryOp {
  let ignoringNaN: Bool
  /// Leading dims kept whole: one median per slice over the other dims.
  var leading = 0
  var name: String { ignoringNaN ? "nanmedian" : "median" }
  var sparsity: SparsityRule { leading == 0 ? .allToAll(.linear) : .dense }

  /// Batching: one median per batch member, over the member's dims.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    [Tensor.apply(MedianOp(ignoringNaN: ignoringNaN, leading: leading + 1), inputs[0])]
  }

  func primal(_ x: Tensor) -> Tensor {
    let kept = Array(x.shape.prefix(leading))
    let rows = x.reshaped([kept.reduce(1, *), x.shape.dropFirst(leading).reduce(1, *)])
    let i = SelectionKernels.indices(rows, dim: 1, kind: .median(ignoringNaN: ignoringNaN))
    return SelectionKernels.gather(rows, dim: 1, indices: i).reshaped(kept)
  }

  /// `t` summed over the dims a median reduces (the last `x.rank − leading`), kept as size 1
  /// when `keepdim`; `t` itself when there are none (0-d slices).
  func summedOverSlices(_ t: Tensor, _ x: Tensor, keepdim: Bool) -> Tensor {
    x.rank == leading ? t : t.sum(dims: Array(-(x.rank - leading)..<0), keepdim: keepdim)
  }

  /// 1/count where an element equals its slice's result (or both are NaN), 0 elsewhere.
  func weights(_ x: Tensor, y: Tensor) -> Tensor {
    let yd = y.detached.reshaped(y.shape + Array(repeating: 1, count: x.rank - leading))
    let hit = x.mask(.equal, yd).maskOr(x.mask(.notEqual, x).maskAnd(yd.mask(.notEqual, yd))).maskValues(x.dtype)
    return hit / summedOverSlices(hit, x, keepdim: true)
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    summedOverSlices(dx * weights(x, y: y), x, keepdim: false)
  }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    gy.reshaped(gy.shape + Array(repeating: 1, count: x.rank - leading)) * weights(x, y: y)
  }
}

extension Tensor {
  /// The values gathered at constant `int64` indices along `dim`.
  func gathered(dim: Int, indices: Tensor) -> Tensor {
    let d = negativeDim(dim, op: "gather")
    // Indices batched by vmap differ across the batch, so they are an input of the op.
    if indices.isBatched { return Tensor.apply(GatherAlongDimByInputOp(dim: d), [self, indices])[0] }
    return Tensor.apply(GatherAlongDimOp(dim: d, indices: indices), self)
  }

  /// The sorted values along `dim` and the permutation that sorts them (`int64`), like
  /// `torch.sort(x, dim, descending)`. The sort is stable; NaN counts as the largest value.
  ///
  /// Derivative: the values' tangent is the input's permuted the same way; the cotangent is
  /// scattered back by the inverse permutation. The indices have none.
  /// - Precondition: `dim` is in range; the tensor is not complex.
  /// - Complexity: O(n log n) per line of n elements.
  public func sort(dim: Int = -1, descending: Bool = false) -> (values: Tensor, indices: Tensor) {
    requireReal("sort")
    if rank == 0 { return (self, Tensor.zeros([], dtype: .int64)) }
    let d = Shape.normalize(dim, rank: rank, op: "sort")
    let i = SelectionKernels.indices(detached, dim: d, kind: .sorted(descending: descending))
    return (gathered(dim: d, indices: i), i)
  }

  /// The sorted values along dim 0, like `torch.msort`.
  ///
  /// Derivative: as ``sort(dim:descending:)``.
  public func msort() -> Tensor { sort(dim: 0).values }

  /// The permutation that sorts the values along `dim` (`int64`), like `torch.argsort`.
  ///
  /// Derivative: none (integer output).
  public func argsort(dim: Int = -1, descending: Bool = false) -> Tensor {
    detached.sort(dim: dim, descending: descending).indices
  }

  /// The `k` largest (or smallest) values along `dim`, in order, and their indices, like
  /// `torch.topk(x, k, dim, largest)`.
  ///
  /// Derivative: the values' gradient flows to the selected elements.
  /// - Precondition: 0 ≤ k ≤ the size of `dim`; the tensor is not complex.
  /// - Complexity: O(n log n) per line of n elements.
  public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) -> (values: Tensor, indices: Tensor) {
    requireReal("topk")
    if rank == 0 {
      check(k == 1, "topk: k (\(k)) is out of range for a 0-d tensor")
      return (self, Tensor.zeros([], dtype: .int64))
    }
    let d = Shape.normalize(dim, rank: rank, op: "topk")
    check(k >= 0 && k <= shape[d], "topk: k (\(k)) is out of range for dimension \(d) of size \(shape[d])")
    let order = SelectionKernels.indices(detached, dim: d, kind: .sorted(descending: largest))
    let i = order.narrowed(dim: d, start: 0, length: k).contiguousValues()
    return (gathered(dim: d, indices: i), i)
  }

  /// The k-th smallest value along `dim` (k counts from 1) and its index, like
  /// `torch.kthvalue(x, k, dim, keepdim)`.
  ///
  /// Derivative: the values' gradient flows to the selected element.
  /// - Precondition: 1 ≤ k ≤ the size of `dim`; the tensor is not complex.
  /// - Complexity: O(n log n) per line of n elements.
  public func kthvalue(_ k: Int, dim: Int = -1, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    requireReal("kthvalue")
    if rank == 0 {
      check(k == 1, "kthvalue: k (\(k)) is out of range for a 0-d tensor")
      return (self, Tensor.zeros([], dtype: .int64))
    }
    let d = Shape.normalize(dim, rank: rank, op: "kthvalue")
    check(k >= 1 && k <= shape[d], "kthvalue: k (\(k)) is out of range for dimension \(d) of size \(shape[d])")
    let order = SelectionKernels.indices(detached, dim: d, kind: .sorted(descending: false))
    let i = order.narrowed(dim: d, start: k - 1, length: 1).contiguousValues()
    return keptOrSqueezed(gathered(dim: d, indices: i), i, dim: d, keepdim: keepdim)
  }

  /// The lower median along `dim` and its index, like `torch.median(x, dim, keepdim)`: NaN
  /// (with the first NaN's index) where a line has one.
  ///
  /// Derivative: the values' gradient flows to the selected element.
  /// - Precondition: `dim` is in range and not empty; the tensor is not complex.
  /// - Complexity: O(n log n) per line of n elements.
  public func median(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    selectMedian(dim: dim, keepdim: keepdim, ignoringNaN: false)
  }

  /// The lower median along `dim` ignoring NaN, and its index, like `torch.nanmedian(x, dim)`.
  ///
  /// Derivative: the values' gradient flows to the selected element.
  /// - Precondition: `dim` is in range and not empty; the tensor is not complex.
  /// - Complexity: O(n log n) per line of n elements.
  public func nanmedian(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    selectMedian(dim: dim, keepdim: keepdim, ignoringNaN: true)
  }

  /// The lower median of all elements, as a 0-d tensor, like `torch.median(x)` (NaN if any
  /// element is NaN).
  ///
  /// Derivative: shared evenly by the elements equal to the median.
  /// - Precondition: the tensor is not empty and not complex.
  /// - Complexity: O(n log n).
  public func median() -> Tensor {
    requireReal("median")
    check(count > 0, "median: the tensor is empty")
    return Tensor.apply(MedianOp(ignoringNaN: false), self)
  }

  /// The lower median of the non-NaN elements, like `torch.nanmedian(x)`.
  ///
  /// Derivative: shared evenly by the elements equal to the median.
  /// - Precondition: the tensor is not empty and not complex.
  /// - Complexity: O(n log n).
  public func nanmedian() -> Tensor {
    requireReal("nanmedian")
    check(count > 0, "nanmedian: the tensor is empty")
    return Tensor.apply(MedianOp(ignoringNaN: true), self)
  }

  func selectMedian(dim: Int, keepdim: Bool, ignoringNaN: Bool) -> (values: Tensor, indices: Tensor) {
    let op = ignoringNaN ? "nanmedian" : "median"
    requireReal(op)
    if rank == 0 { return (self, Tensor.zeros([], dtype: .int64)) }
    let d = Shape.normalize(dim, rank: rank, op: op)
    check(shape[d] > 0, "\(op): cannot reduce over dimension \(d) of size 0 (shape \(shape))")
    let i = SelectionKernels.indices(detached, dim: d, kind: .median(ignoringNaN: ignoringNaN))
    return keptOrSqueezed(gathered(dim: d, indices: i), i, dim: d, keepdim: keepdim)
  }

  /// A selection's values and indices of size 1 along `dim`, squeezed there unless `keepdim`.
  func keptOrSqueezed(_ v: Tensor, _ i: Tensor, dim: Int, keepdim: Bool) -> (values: Tensor, indices: Tensor) {
    keepdim ? (v, i) : (v.squeezed(dim: dim), i.squeezed(dim: dim))
  }

  /// The running maximum along `dim` and the index where each was attained, like
  /// `torch.cummax(x, dim)`: the latest index on ties; NaN, once met, stays.
  ///
  /// Derivative: the values' gradient flows to the attaining elements (scatter-added, as
  /// PyTorch's `cummaxmin_backward`).
  /// - Precondition: `dim` is in range; the tensor is not complex.
  public func cummax(dim: Int) -> (values: Tensor, indices: Tensor) { runningExtremum(dim: dim, max: true) }

  /// The running minimum along `dim` and the index where each was attained, like
  /// `torch.cummin(x, dim)`.
  ///
  /// Derivative: the values' gradient flows to the attaining elements.
  /// - Precondition: `dim` is in range; the tensor is not complex.
  public func cummin(dim: Int) -> (values: Tensor, indices: Tensor) { runningExtremum(dim: dim, max: false) }

  func runningExtremum(dim: Int, max: Bool) -> (values: Tensor, indices: Tensor) {
    let op = max ? "cummax" : "cummin"
    requireReal(op)
    if rank == 0 { return (self, Tensor.zeros([], dtype: .int64)) }
    let d = Shape.normalize(dim, rank: rank, op: op)
    let i = SelectionKernels.indices(detached, dim: d, kind: .running(max: max))
    return (gathered(dim: d, indices: i), i)
  }
}
