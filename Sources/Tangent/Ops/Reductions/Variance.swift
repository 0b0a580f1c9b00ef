import ComplexModule
import RealModule

/// The variance over dims, Σ|x − x̄|²/(N − correction), real for complex inputs.
///
/// Derivative: the deviations' sum is zero, so dvar = 2/(N − c)·Σ Re(conj(x − x̄)·dx) and the
/// VJP is ḡ·2(x − x̄)/(N − c) (PyTorch's `var_backward`).
struct VarOp: UnaryOp {
  /// The dims, negative.
  let dims: [Int]
  let correction: Double
  let keepdim: Bool
  var name: String { "var" }
  var sparsity: SparsityRule { .reduction(dims: dims, .nonlinear) }

  func count(_ shape: [Int]) -> Double { Double(dims.reduce(1) { $0 * shape[$1 + shape.count] }) }

  /// The divisor max(0, N − correction).
  func divisor(_ shape: [Int]) -> Double { Swift.max(0, count(shape) - correction) }

  func primal(_ x: Tensor) -> Tensor {
    let dev = x - x.sum(dims: dims, keepdim: true) / count(x.shape)
    let squares = x.dtype.isComplex ? dev.real * dev.real + dev.imag * dev.imag : dev * dev
    return squares.sum(dims: dims, keepdim: keepdim) / divisor(x.shape)
  }

  /// x − x̄ (differentiable).
  func deviation(_ x: Tensor) -> Tensor { x - x.mean(dims: dims, keepdim: true) }

  /// The factor 2/(N − c) of both rules; 0 when the reduced dims are empty (N = 0): the
  /// output then depends on no element at all, so its derivative is 0, not 0·∞.
  func ruleScale(_ shape: [Int]) -> Double { count(shape) == 0 ? 0 : 2 / divisor(shape) }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    (deviation(x).conj() * dx).real.sum(dims: dims, keepdim: keepdim) * ruleScale(x.shape)
  }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    restoringReducedDims(gy, inputShape: x.shape, dims: dims, keepdim: keepdim) * deviation(x) * ruleScale(x.shape)
  }
}

/// The standard deviation √var over dims.
///
/// Derivative: dvar/(2σ), taken as 0 where σ = 0 (PyTorch's `std_backward`).
struct StdOp: UnaryOp {
  let variance: VarOp
  var name: String { "std" }
  var sparsity: SparsityRule { .reduction(dims: variance.dims, .nonlinear) }

  func primal(_ x: Tensor) -> Tensor { variance.primal(x).sqrt() }

  /// 1/(2σ), zero where σ = 0 (finite in every derivative: see ``Tensor/dividedWhereNonzero(by:)``).
  func scale(_ y: Tensor) -> Tensor { y.realScalar(0.5).dividedWhereNonzero(by: y) }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { variance.jvp(x: x, y: y, dx: dx) * scale(y) }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { variance.vjp(x: x, y: y, gy: gy * scale(y)) }
}

extension Tensor {
  /// The variance over `dims` (every dim when `nil`), Σ|x − mean|²/(N − correction), like
  /// `torch.var(x, dims, correction:, keepdim:)`. Complex inputs give a real result.
  ///
  /// `correction` 1 (the default) is Bessel's unbiased estimate, 0 the population variance;
  /// when N ≤ correction the result is ∞ or NaN, as in PyTorch.
  ///
  /// Derivative: 2(x − mean)/(N − correction).
  /// - Precondition: the dims are in range; the tensor is floating.
  public func `var`(dims: [Int]? = nil, correction: Double = 1, keepdim: Bool = false) -> Tensor {
    check(dtype.isFloatingPoint, "var: expected a floating or complex tensor, got \(dtype)")
    let d = negativeDims(dims, op: "var")
    if rank == 0 { return reshaped([1]).var(dims: [0], correction: correction).reshaped([]) }
    return Tensor.apply(VarOp(dims: d, correction: correction, keepdim: keepdim), self)
  }

  /// The variance along one dim, like `torch.var(x, dim)`. See ``var(dims:correction:keepdim:)``.
  ///
  /// Derivative: 2(x − mean)/(N − correction).
  public func `var`(dim: Int, correction: Double = 1, keepdim: Bool = false) -> Tensor {
    self.var(dims: [dim], correction: correction, keepdim: keepdim)
  }

  /// The standard deviation over `dims` (every dim when `nil`), like
  /// `torch.std(x, dims, correction:, keepdim:)`. Complex inputs give a real result.
  ///
  /// Derivative: (x − mean)/((N − correction)·std), and 0 where std = 0.
  /// - Precondition: the dims are in range; the tensor is floating.
  public func std(dims: [Int]? = nil, correction: Double = 1, keepdim: Bool = false) -> Tensor {
    check(dtype.isFloatingPoint, "std: expected a floating or complex tensor, got \(dtype)")
    let d = negativeDims(dims, op: "std")
    if rank == 0 { return reshaped([1]).std(dims: [0], correction: correction).reshaped([]) }
    return Tensor.apply(StdOp(variance: VarOp(dims: d, correction: correction, keepdim: keepdim)), self)
  }

  /// The standard deviation along one dim, like `torch.std(x, dim)`. See
  /// ``std(dims:correction:keepdim:)``.
  ///
  /// Derivative: (x − mean)/((N − correction)·std), and 0 where std = 0.
  public func std(dim: Int, correction: Double = 1, keepdim: Bool = false) -> Tensor {
    std(dims: [dim], correction: correction, keepdim: keepdim)
  }

  /// The variance and the mean over `dims`, like `torch.var_mean`.
  ///
  /// Derivative: those of ``var(dims:correction:keepdim:)`` and ``mean(dims:keepdim:)``.
  public func varMean(dims: [Int]? = nil, correction: Double = 1, keepdim: Bool = false) -> (var: Tensor, mean: Tensor) {
    (self.var(dims: dims, correction: correction, keepdim: keepdim), mean(dims: dims ?? Array(0..<rank), keepdim: keepdim))
  }

  /// The standard deviation and the mean over `dims`, like `torch.std_mean`.
  ///
  /// Derivative: those of ``std(dims:correction:keepdim:)`` and ``mean(dims:keepdim:)``.
  public func stdMean(dims: [Int]? = nil, correction: Double = 1, keepdim: Bool = false) -> (std: Tensor, mean: Tensor) {
    (std(dims: dims, correction: correction, keepdim: keepdim), mean(dims: dims ?? Array(0..<rank), keepdim: keepdim))
  }
}
