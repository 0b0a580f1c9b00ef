import ComplexModule
import RealModule

/// The maximum (or minimum) over dims, propagating NaN.
///
/// Derivative (PyTorch's `amax`/`amin` and whole-tensor `max`/`min`): the gradient is shared
/// evenly by the elements that attain the extreme (the NaNs, when it is NaN),
/// w = [x = y]/Σ[x = y]; the JVP is Σ w·dx and the VJP is ḡ·w.
struct AmaxOp: UnaryOp {
  /// The dims, negative.
  let dims: [Int]
  let keepdim: Bool
  let max: Bool
  var name: String { max ? "amax" : "amin" }
  var sparsity: SparsityRule { .reduction(dims: dims, .linear) }

  func primal(_ x: Tensor) -> Tensor {
    Reductions.extremum(x, dims: dims.map { $0 + x.rank }.sorted(), keepdim: keepdim, isMax: max, op: name)
  }

  /// The share of each element: 1/count where it attains the extreme (or, when the extreme
  /// is NaN, where it is NaN, as PyTorch's `evenly_distribute_backward`), 0 elsewhere.
  func weights(_ x: Tensor, y: Tensor) -> Tensor {
    let yk = restoringReducedDims(y.detached, inputShape: x.shape, dims: dims, keepdim: keepdim)
    let bothNaN = x.mask(.notEqual, x).maskAnd(yk.mask(.notEqual, yk))
    let hit = x.mask(.equal, yk).maskOr(bothNaN).maskValues(x.dtype)
    return hit / hit.sum(dims: dims, keepdim: true)
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { (dx * weights(x, y: y)).sum(dims: dims, keepdim: keepdim) }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    restoringReducedDims(gy, inputShape: x.shape, dims: dims, keepdim: keepdim) * weights(x, y: y)
  }
}

/// The maximum (or minimum) along one dim with the index where it first occurs.
///
/// Derivative (PyTorch's `value_selecting_reduction_backward`): the values' gradient goes to
/// the selected index alone, even on ties; the indices have none.
struct MaxAlongDimOp: DifferentiableOp {
  /// The dim, negative.
  let dim: Int
  let keepdim: Bool
  let max: Bool
  var name: String { max ? "max" : "min" }
  var sparsity: SparsityRule { .reduction(dims: [dim], .linear) }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let x = inputs[0]
    let (v, i) = Reductions.extremumWithIndex(x, dim: dim + x.rank, keepdim: keepdim, isMax: max, op: name)
    return [v, i]
  }

  /// True at the selected index of each line.
  func selected(_ x: Tensor, indices: Tensor) -> Tensor {
    var kept = x.shape
    kept[dim + x.rank] = 1
    return OpReductionKernels.oneHot(indices.detached.reshaped(kept), shape: x.shape, dim: dim + x.rank)
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let dx = tangents[0] else { return [nil, nil] }
    return [dx.keeping(selected(inputs[0], indices: outputs[1])).sum(dims: [dim], keepdim: keepdim), nil]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gy = cotangents[0], needed[0] else { return [nil] }
    let x = inputs[0]
    let g = restoringReducedDims(gy, inputShape: x.shape, dims: [dim], keepdim: keepdim)
    return [g.keeping(selected(x, indices: outputs[1]))]
  }
}

extension Tensor {
  /// The largest element over `dims` (NaN if any is NaN), like `torch.amax(x, dims, keepdim)`.
  ///
  /// Derivative: shared evenly by the elements equal to the maximum.
  /// - Precondition: the dims are in range and not empty; the tensor is not complex.
  public func amax(dims: [Int], keepdim: Bool = false) -> Tensor {
    let d = negativeDims(dims, op: "amax")
    if rank == 0 { return self }
    return Tensor.apply(AmaxOp(dims: d, keepdim: keepdim, max: true), self)
  }

  /// The largest element along one dim, like `torch.amax(x, dim)`. See ``amax(dims:keepdim:)``.
  ///
  /// Derivative: shared evenly by the elements equal to the maximum.
  public func amax(dim: Int, keepdim: Bool = false) -> Tensor { amax(dims: [dim], keepdim: keepdim) }

  /// The largest element, as a 0-d tensor, like `torch.amax(x)`.
  ///
  /// Derivative: shared evenly by the elements equal to the maximum.
  public func amax() -> Tensor { amax(dims: Array(0..<rank)) }

  /// The smallest element over `dims` (NaN if any is NaN), like `torch.amin(x, dims, keepdim)`.
  ///
  /// Derivative: shared evenly by the elements equal to the minimum.
  /// - Precondition: the dims are in range and not empty; the tensor is not complex.
  public func amin(dims: [Int], keepdim: Bool = false) -> Tensor {
    let d = negativeDims(dims, op: "amin")
    if rank == 0 { return self }
    return Tensor.apply(AmaxOp(dims: d, keepdim: keepdim, max: false), self)
  }

  /// The smallest element along one dim, like `torch.amin(x, dim)`. See ``amin(dims:keepdim:)``.
  ///
  /// Derivative: shared evenly by the elements equal to the minimum.
  public func amin(dim: Int, keepdim: Bool = false) -> Tensor { amin(dims: [dim], keepdim: keepdim) }

  /// The smallest element, as a 0-d tensor, like `torch.amin(x)`.
  ///
  /// Derivative: shared evenly by the elements equal to the minimum.
  public func amin() -> Tensor { amin(dims: Array(0..<rank)) }

  /// The largest element, as a 0-d tensor, like `torch.max(x)` (NaN if any is NaN).
  ///
  /// Derivative: shared evenly by the elements equal to the maximum (as PyTorch's `max()`).
  /// - Precondition: the tensor is not empty and not complex.
  public func max() -> Tensor { amax() }

  /// The smallest element, as a 0-d tensor, like `torch.min(x)`.
  ///
  /// Derivative: shared evenly by the elements equal to the minimum.
  /// - Precondition: the tensor is not empty and not complex.
  public func min() -> Tensor { amin() }

  /// The largest values along `dim` and the indices where they first occur (`int64`), like
  /// `torch.max(x, dim, keepdim)`. A NaN counts as the largest value.
  ///
  /// Derivative: the values' gradient flows to the returned index only (ties are not
  /// shared); the indices have none.
  /// - Precondition: `dim` is in range and not empty; the tensor is not complex.
  public func max(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    extremum(dim: dim, keepdim: keepdim, max: true)
  }

  /// The smallest values along `dim` and the indices where they first occur, like
  /// `torch.min(x, dim, keepdim)`. A NaN counts as the smallest value.
  ///
  /// Derivative: the values' gradient flows to the returned index only; the indices have none.
  /// - Precondition: `dim` is in range and not empty; the tensor is not complex.
  public func min(dim: Int, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    extremum(dim: dim, keepdim: keepdim, max: false)
  }

  func extremum(dim: Int, keepdim: Bool, max: Bool) -> (values: Tensor, indices: Tensor) {
    let d = negativeDim(dim, op: max ? "max" : "min")
    if rank == 0 { return (self, Tensor.zeros([], dtype: .int64)) }
    let out = Tensor.apply(MaxAlongDimOp(dim: d, keepdim: keepdim, max: max), [self])
    return (out[0], out[1])
  }

  /// The index of the largest element in the flattened tensor (the first, on ties), as a 0-d
  /// `int64` tensor, like `torch.argmax(x)`.
  ///
  /// Derivative: none (integer output).
  public func argmax() -> Tensor { detached.reshaped([-1]).argmax(dim: 0) }

  /// The indices of the largest elements along `dim` (the first, on ties), like
  /// `torch.argmax(x, dim, keepdim)`.
  ///
  /// Derivative: none (integer output).
  /// - Precondition: `dim` is in range and not empty; the tensor is not complex.
  public func argmax(dim: Int, keepdim: Bool = false) -> Tensor { detached.max(dim: dim, keepdim: keepdim).indices }

  /// The index of the smallest element in the flattened tensor, like `torch.argmin(x)`.
  ///
  /// Derivative: none (integer output).
  public func argmin() -> Tensor { detached.reshaped([-1]).argmin(dim: 0) }

  /// The indices of the smallest elements along `dim` (the first, on ties), like
  /// `torch.argmin(x, dim, keepdim)`.
  ///
  /// Derivative: none (integer output).
  public func argmin(dim: Int, keepdim: Bool = false) -> Tensor { detached.min(dim: dim, keepdim: keepdim).indices }
}
