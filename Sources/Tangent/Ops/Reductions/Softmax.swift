import ComplexModule
import RealModule

/// The softmax e^(x − max)/Σ e^(x − max) along a dim, or its logarithm.
///
/// Derivative: softmax dy = y·(dx − Σ y·dx), VJP y·(ḡ − Σ ḡ·y); log-softmax dy = dx − Σ eʸ·dx,
/// VJP ḡ − eʸ·Σ ḡ (sums along the dim).
struct SoftmaxOp: UnaryOp {
  /// The dim, negative.
  let dim: Int
  let log: Bool
  var name: String { log ? "logSoftmax" : "softmax" }
  var sparsity: SparsityRule { .slices(dims: [dim], .nonlinear) }
  /// The VJP sums along a negative dim and broadcasts, so chunked cotangents fit.
  var acceptsChunkedCotangents: Bool { true }

  func primal(_ x: Tensor) -> Tensor {
    if x.count == 0 { return x }
    let m = Reductions.extremum(x, dims: [dim + x.rank], keepdim: true, isMax: true, op: name)
    let shifted = x - m
    let e = shifted.exp()
    let s = e.sum(dims: [dim], keepdim: true)
    return log ? shifted - s.log() : e / s
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    if log { return dx - (y.exp() * dx).sum(dims: [dim], keepdim: true) }
    return y * (dx - (y * dx).sum(dims: [dim], keepdim: true))
  }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    if log { return gy - y.exp() * gy.sum(dims: [dim], keepdim: true) }
    return y * (gy - (gy * y).sum(dims: [dim], keepdim: true))
  }
}

extension Tensor {
  /// The softmax along `dim`, e^(x − max)/Σ e^(x − max), like `torch.softmax(x, dim)`. Real
  /// only; integers are converted to the default floating dtype.
  ///
  /// Derivative: dy = y·(dx − Σ y·dx) along the dim.
  /// - Precondition: `dim` is in range; the tensor is not complex.
  public func softmax(dim: Int) -> Tensor {
    requireReal("softmax")
    let d = negativeDim(dim, op: "softmax")
    return floatingForReduction.viewingScalarAsVector { Tensor.apply(SoftmaxOp(dim: d, log: false), $0) }
  }

  /// The logarithm of the softmax along `dim`, computed stably, like `torch.log_softmax(x, dim)`.
  ///
  /// Derivative: dy = dx − Σ softmax·dx along the dim.
  /// - Precondition: `dim` is in range; the tensor is not complex.
  public func logSoftmax(dim: Int) -> Tensor {
    requireReal("logSoftmax")
    let d = negativeDim(dim, op: "logSoftmax")
    return floatingForReduction.viewingScalarAsVector { Tensor.apply(SoftmaxOp(dim: d, log: true), $0) }
  }

  /// The softmin along `dim`, softmax(−x), like `torch.nn.functional.softmin(x, dim)`.
  ///
  /// Derivative: that of softmax, through the negation.
  /// - Precondition: `dim` is in range; the tensor is not complex.
  public func softmin(dim: Int) -> Tensor {
    requireReal("softmin")
    return (-floatingForReduction).softmax(dim: dim)
  }
}
