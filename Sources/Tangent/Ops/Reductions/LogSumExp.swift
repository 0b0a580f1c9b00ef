import ComplexModule
import RealModule

/// log Σ eˣ over dims, computed stably by shifting by the maximum (of the real parts, for
/// complex inputs; infinite maxima shift by 0, as PyTorch does, so all −∞ gives −∞ and any +∞
/// gives +∞).
///
/// Derivative (holomorphic): the softmax weights w = e^(x − y); the JVP is Σ w·dx and the VJP
/// is ḡ·conj(w).
struct LogSumExpOp: UnaryOp {
  /// The dims, negative.
  let dims: [Int]
  let keepdim: Bool
  var name: String { "logSumExp" }
  var sparsity: SparsityRule { .reduction(dims: dims, .nonlinear) }

  func primal(_ x: Tensor) -> Tensor {
    let d = dims.map { $0 + x.rank }.sorted()
    if d.contains(where: { x.shape[$0] == 0 }) {
      return Tensor.full(Reductions.reducedShape(x.shape, dims: d, keepdim: keepdim), -.infinity, dtype: x.dtype)
    }
    let m = Reductions.extremum(x.dtype.isComplex ? x.real : x, dims: d, keepdim: true, isMax: true, op: name)
    let shift = OpElementwiseKernels.keep(m, where: OpElementwiseKernels.isFinite(m)).converted(to: x.dtype)
    let y = ((x - shift).exp().sum(dims: dims, keepdim: true).log() + shift)
    return keepdim ? y : y.reshaped(Reductions.reducedShape(x.shape, dims: d, keepdim: false))
  }

  /// e^(x − y), the derivative of y with respect to each element.
  func weights(_ x: Tensor, y: Tensor) -> Tensor {
    (x - restoringReducedDims(y, inputShape: x.shape, dims: dims, keepdim: keepdim)).exp()
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { (dx * weights(x, y: y)).sum(dims: dims, keepdim: keepdim) }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    restoringReducedDims(gy, inputShape: x.shape, dims: dims, keepdim: keepdim) * weights(x, y: y).conj()
  }
}

extension Tensor {
  /// log Σ exp(x) over `dims` (every dim when `nil`), computed without overflow, like
  /// `torch.logsumexp(x, dims, keepdim)`, for real and complex tensors (complex ones shift by
  /// the largest real part; the result is the principal logarithm). Integers are converted to
  /// the default floating dtype. Reducing an empty dim gives −∞.
  ///
  /// Derivative: softmax weights, e^(x − result) (conjugated in the VJP).
  /// - Precondition: the dims are in range.
  public func logSumExp(dims: [Int]? = nil, keepdim: Bool = false) -> Tensor {
    let d = negativeDims(dims, op: "logSumExp")
    if rank == 0 {
      // log(eˣ) = x for real x; for complex x PyTorch gives the principal logarithm, whose
      // imaginary part lies in (−π, π], so the 0-d value goes through the op as one element.
      return dtype.isComplex ? reshaped([1]).logSumExp(dims: [0]) : floatingForReduction
    }
    return Tensor.apply(LogSumExpOp(dims: d, keepdim: keepdim), floatingForReduction)
  }

  /// log Σ exp(x) along one dim, like `torch.logsumexp(x, dim)`. See ``logSumExp(dims:keepdim:)``.
  ///
  /// Derivative: softmax weights, e^(x − result).
  public func logSumExp(dim: Int, keepdim: Bool = false) -> Tensor { logSumExp(dims: [dim], keepdim: keepdim) }
}

// MARK: Taylor rule (normalized coefficients, see TaylorSeries)

extension LogSumExpOp {
  /// With the weights w = e^(x − y₀) (y₀ the output, its reduced dims restored):
  /// y(t) = y₀ + log S(t), S = Σ w(t), S₀ = 1. The weights follow the exp recurrence
  /// w_k = (1/k)·Σ_{j=1}^{k} j·x_j·w_{k−j}, S_k = Σ w_k over the dims, and the log recurrence
  /// with S₀ = 1 gives y_k = S_k − (1/k)·Σ_{j=1}^{k−1} j·y_j·S_{k−j}. Holomorphic, so complex
  /// inputs take the same rule.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorSeries(TaylorRecurrence.logSumExp(
      [inputs[0]] + s.coefficients, weights: weights(inputs[0], y: outputs[0]), dims: dims, keepdim: keepdim))]
  }
}

extension TaylorRecurrence {
  /// The coefficients 1…K of log Σ e^{x(t)} over `dims` (negative), given x's full list and
  /// the weights e^(x₀ − y₀): see ``LogSumExpOp``'s rule.
  static func logSumExp(_ x: [Tensor], weights w0: Tensor, dims: [Int], keepdim: Bool) -> [Tensor] {
    let w = exp(x, value: w0, order: x.count - 1)
    let sums = [Tensor?.none] + w.dropFirst().map { Optional($0.sum(dims: dims, keepdim: keepdim)) }
    var y: [Tensor] = []  // y[k − 1] holds y_k
    for k in 1..<x.count {
      var yk = sums[k]!
      for j in stride(from: 1, to: k, by: 1) { yk = yk - y[j - 1] * sums[k - j]! * (Double(j) / Double(k)) }
      y.append(yk)
    }
    return y
  }
}
