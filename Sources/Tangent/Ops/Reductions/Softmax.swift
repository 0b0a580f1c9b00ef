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

// MARK: Taylor rule (normalized coefficients, see TaylorSeries)

extension SoftmaxOp {
  /// log softmax(x) = x − L with L = log Σ e^x along the dim (kept): L's coefficients come from
  /// the log-sum-exp rule (``LogSumExpOp``; its weights are the softmax s₀), so the log softmax
  /// has z_k = x_k − L_k, and the softmax e^z the exp recurrence
  /// s_k = (1/k)·Σ_{j=1}^{k} j·z_j·s_{k−j}.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let x = [inputs[0]] + s.coefficients
    let softmax = log ? outputs[0].exp() : outputs[0]
    let l = TaylorRecurrence.logSumExp(x, weights: softmax, dims: [dim], keepdim: true)
    let z = zip(s.coefficients, l).map { $0 - $1 }
    if log { return [TaylorSeries(z)] }
    return [TaylorRecurrence.series(TaylorRecurrence.exp([inputs[0]] + z, value: softmax, order: s.order))]
  }
}
