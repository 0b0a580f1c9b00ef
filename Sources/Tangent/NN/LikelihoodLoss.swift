import ComplexModule
import RealModule

extension NN {
  /// The negative log-likelihood of a Poisson distribution, like
  /// `torch.nn.functional.poisson_nll_loss`:
  /// ```
  /// exp(input) − target·input             with logInput (input is log λ)
  /// input − target·log(input + eps)        otherwise (input is λ)
  /// ```
  /// plus, with `full`, Stirling's approximation of `log(target!)`,
  /// `target·log(target) − target + ½·log(2π·target)`, where `target > 1`.
  ///
  /// Derivative: `exp(input) − target` (or `1 − target/(input + eps)`) for `input`; `−input`
  /// (or `−log(input + eps)`), plus the Stirling term's `log(target) + 1/(2·target)`, for `target`.
  /// - Parameters:
  ///   - input: the rates, or their logs with `logInput`.
  ///   - target: the counts; broadcasts with `input`.
  ///   - logInput: whether `input` holds log-rates.
  ///   - full: add the Stirling term.
  ///   - eps: keeps the log away from 0 without `logInput`.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating operands of one dtype whose shapes broadcast.
  public static func poissonNLLLoss(
    _ input: Tensor, _ target: Tensor, logInput: Bool = true, full: Bool = false, eps: Double = 1e-8, reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.poisson_nll_loss"
    checkOperands([input, target], op: op)
    var loss = logInput ? input.exp() - target * input : input - target * (input + eps).log()
    if full {
      // The term is 0 where target ≤ 1; a stand-in target of 2 there keeps its derivative finite.
      let large = target.mask(.greater, 1)
      let t = Tensor.where(large, target, 2)
      let stirling = t * t.log() - t + 0.5 * (2 * Double.pi * t).log()
      loss = loss + Tensor.where(large, stirling, 0)
    }
    return reduce(loss, reduction, op: op)
  }

  /// The negative log-likelihood of a Gaussian with predicted mean and variance, like
  /// `torch.nn.functional.gaussian_nll_loss`:
  /// ```
  /// ½·(log(max(var, eps)) + (input − target)²/max(var, eps))   (+ ½·log 2π with full)
  /// ```
  ///
  /// Derivative: `(input − target)/v` for `input`, its negation for `target`, and
  /// `½(1/v − (input − target)²/v²)` for `variance`, with `v = max(var, eps)`. As in PyTorch,
  /// the clamp changes the value only: where `var < eps` the derivative for `var` is taken at
  /// `v` as if unclamped.
  /// - Parameters:
  ///   - input: the predicted means.
  ///   - target: the samples; broadcasts with `input`.
  ///   - variance: the predicted variances: the input's shape, that shape with a last dim of 1
  ///     (one variance for all of a sample's features), or that shape without its last dim.
  ///   - full: add the constant `½·log 2π`.
  ///   - eps: the smallest variance.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating tensors of one dtype whose shapes broadcast as above.
  public static func gaussianNLLLoss(
    _ input: Tensor, _ target: Tensor, variance: Tensor, full: Bool = false, eps: Double = 1e-6, reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.gaussian_nll_loss"
    checkOperands([input, target], op: op)
    check(variance.dtype == input.dtype, "\(op): variance \(variance.dtype) \(variance.shape) must have the input's dtype \(input.dtype)")
    var v = variance
    if v.shape != input.shape && input.rank >= 1 && v.shape == Array(input.shape.dropLast()) { v = v.unsqueezed(dim: -1) }
    check(
      v.shape == input.shape || (input.rank >= 1 && v.shape == Array(input.shape.dropLast()) + [1]),
      "\(op): variance \(variance.shape) must have the input's shape \(input.shape), with a last dim of 1, or without its last dim")
    v = v + (v.detached.clamp(min: eps) - v.detached)
    var loss = 0.5 * (v.log() + (input - target).square() / v)
    if full { loss = loss + 0.5 * Double.log(2 * Double.pi) }
    return reduce(loss, reduction, op: op)
  }
}
