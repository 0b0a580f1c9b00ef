import ComplexModule
import RealModule

extension NN {
  /// How a loss combines its elementwise values, like PyTorch's `reduction` argument.
  public enum Reduction: String, Sendable, CaseIterable {
    /// No reduction: the loss of every element (or sample).
    case none
    /// The mean (for ``NN/nllLoss(_:_:weight:ignoreIndex:reduction:)`` and
    /// ``NN/crossEntropy(_:_:weight:ignoreIndex:labelSmoothing:reduction:)``, the weighted mean).
    case mean
    /// The sum.
    case sum
    /// The sum divided by the batch size (the size of the first dim): the mathematically
    /// correct KL divergence per sample. Only ``NN/klDiv(_:_:logTarget:reduction:)`` takes it.
    case batchMean = "batchmean"
  }

  /// Applies `reduction` to an elementwise loss.
  static func reduce(_ loss: Tensor, _ reduction: Reduction, op: String) -> Tensor {
    switch reduction {
    case .none: return loss
    case .sum: return loss.sum()
    case .mean: return loss.mean()
    case .batchMean: misuse("\(op): reduction batchmean is only for kl_div; use mean, sum or none")
    }
  }

  /// Checks the operands of a pointwise loss: real floating (complex too when `complex`), one
  /// dtype, broadcasting shapes.
  static func checkPointwise(_ input: Tensor, _ target: Tensor, op: String, complex: Bool = false) {
    check(
      input.dtype.isFloatingPoint && (complex || !input.dtype.isComplex) && input.dtype == target.dtype,
      "\(op): expected \(complex ? "" : "real ")floating input and target of one dtype, got \(input.dtype) \(input.shape) and \(target.dtype) \(target.shape)")
    _ = Shape.broadcast(input.shape, target.shape, op: op)
  }

  /// The mean squared error `(input − target)²`, reduced, like `torch.nn.functional.mse_loss`.
  ///
  /// Derivative: `2(input − target)` for `input`, its negation for `target` (both are
  /// differentiable).
  /// - Parameters:
  ///   - input: the predictions.
  ///   - target: the targets; broadcasts with `input`.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Returns: a 0-d tensor, or the broadcast shape for `.none`.
  /// - Precondition: real floating operands of one dtype whose shapes broadcast.
  public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    checkPointwise(input, target, op: "nn.functional.mse_loss")
    return reduce((input - target).square(), reduction, op: "nn.functional.mse_loss")
  }

  /// The mean absolute error `|input − target|`, reduced, like `torch.nn.functional.l1_loss`.
  /// Complex operands take the modulus of the difference.
  ///
  /// Derivative: `sgn(input − target)` (0 where they are equal), negated for `target`.
  /// - Parameters:
  ///   - input: the predictions.
  ///   - target: the targets; broadcasts with `input`.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Returns: a 0-d real tensor, or the broadcast shape for `.none`.
  /// - Precondition: floating operands whose shapes broadcast, of one dtype or (as PyTorch
  ///   promotes them) one complex and one real of the same precision.
  public static func l1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    let op = "nn.functional.l1_loss"
    var (input, target) = (input, target)
    if input.dtype != target.dtype, input.dtype.isFloatingPoint, target.dtype.isFloatingPoint,
      input.dtype.real == target.dtype.real
    {
      let common = input.dtype.isComplex ? input.dtype : target.dtype
      (input, target) = (input.converted(to: common), target.converted(to: common))
    }
    checkPointwise(input, target, op: op, complex: true)
    return reduce((input - target).abs(), reduction, op: op)
  }

  /// The Huber loss, like `torch.nn.functional.huber_loss`: with `d = |input − target|`,
  /// ```
  /// ½d²             if d < delta
  /// delta·(d − ½delta)  otherwise
  /// ```
  /// quadratic near zero and linear (slope `delta`) beyond.
  ///
  /// Derivative: `clamp(input − target, −delta, delta)` for `input`, negated for `target`.
  /// - Parameters:
  ///   - input: the predictions.
  ///   - target: the targets, of a shape that broadcasts with `input`.
  ///   - delta: where the quadratic turns linear; positive.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating operands of one dtype whose shapes broadcast; `delta > 0`.
  public static func huberLoss(_ input: Tensor, _ target: Tensor, delta: Double = 1, reduction: Reduction = .mean) -> Tensor {
    let op = "nn.functional.huber_loss"
    checkPointwise(input, target, op: op)
    check(delta > 0, "\(op): delta must be positive, got \(delta)")
    let diff = input - target, d = diff.abs()
    let loss = Tensor.where(d.mask(.less, delta), 0.5 * diff.square(), delta * (d - 0.5 * delta))
    return reduce(loss, reduction, op: op)
  }

  /// The smooth L1 loss, like `torch.nn.functional.smooth_l1_loss`: with `d = |input − target|`,
  /// ```
  /// ½d²/beta     if d < beta
  /// d − ½beta    otherwise
  /// ```
  /// (the Huber loss divided by `beta`); `beta = 0` is the L1 loss.
  ///
  /// Derivative: `clamp((input − target)/beta, −1, 1)` for `input`, negated for `target`.
  /// - Parameters:
  ///   - input: the predictions.
  ///   - target: the targets, of a shape that broadcasts with `input`.
  ///   - beta: where the quadratic turns linear; not negative.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating operands of one dtype whose shapes broadcast; `beta ≥ 0`.
  public static func smoothL1Loss(_ input: Tensor, _ target: Tensor, beta: Double = 1, reduction: Reduction = .mean) -> Tensor {
    let op = "nn.functional.smooth_l1_loss"
    checkPointwise(input, target, op: op)
    check(beta >= 0, "\(op): beta must not be negative, got \(beta)")
    let diff = input - target, d = diff.abs()
    if beta == 0 { return reduce(d, reduction, op: op) }
    let loss = Tensor.where(d.mask(.less, beta), (0.5 / beta) * diff.square(), d - 0.5 * beta)
    return reduce(loss, reduction, op: op)
  }

  /// The binary cross entropy between probabilities and targets, like
  /// `torch.nn.functional.binary_cross_entropy`:
  /// ```
  /// −weight·(target·log(input) + (1 − target)·log(1 − input))
  /// ```
  /// with each log clamped to at least −100, as PyTorch does, so an input of exactly 0 or 1
  /// gives a finite loss.
  ///
  /// Derivative: `weight·(input − target)/(input(1 − input))` for `input`;
  /// `weight·(log(1 − input) − log(input))` for `target` (differentiable, as in PyTorch); the
  /// loss itself for `weight`. Where a log is clamped its derivative is zero.
  /// - Parameters:
  ///   - input: probabilities in [0, 1] (values outside give NaN).
  ///   - target: the input's shape, usually in [0, 1].
  ///   - weight: a rescaling that broadcasts to the input's shape.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating tensors of one dtype; `target` has the input's shape and
  ///   `weight` broadcasts to it.
  public static func binaryCrossEntropy(
    _ input: Tensor, _ target: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.binary_cross_entropy"
    checkPointwise(input, target, op: op)
    check(
      input.shape == target.shape,
      "\(op): target \(target.shape) must have the input's shape \(input.shape)")
    checkWeight(weight, like: input, op: op)
    let logP = input.log().clamp(min: -100), logQ = (1 - input).log().clamp(min: -100)
    var loss = -(target * logP + (1 - target) * logQ)
    if let weight { loss = loss * weight }
    return reduce(loss, reduction, op: op)
  }

  /// The binary cross entropy of logits, like
  /// `torch.nn.functional.binary_cross_entropy_with_logits`: with `p = posWeight`,
  /// ```
  /// weight·((1 − target)·input − (1 + (p − 1)·target)·log σ(input))
  /// ```
  /// which is the binary cross entropy of `σ(input)`, computed stably for large `|input|`.
  ///
  /// Derivative: `weight·((1 + (p − 1)t)σ(x) − p·t)` for `input`; `weight·(−x − (p − 1)·log σ(x))`
  /// for `target`; the rules of mul and add for `weight` and `posWeight`.
  /// - Parameters:
  ///   - input: logits.
  ///   - target: the input's shape, usually in [0, 1].
  ///   - weight: a rescaling that broadcasts to the input's shape.
  ///   - posWeight: the weight of positive examples, broadcasting along the last dim (one per
  ///     class).
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating tensors of one dtype; `target` has the input's shape and
  ///   the weights broadcast to it.
  public static func binaryCrossEntropyWithLogits(
    _ input: Tensor, _ target: Tensor, weight: Tensor? = nil, posWeight: Tensor? = nil, reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.binary_cross_entropy_with_logits"
    checkPointwise(input, target, op: op)
    check(
      input.shape == target.shape,
      "\(op): target \(target.shape) must have the input's shape \(input.shape)")
    checkWeight(weight, like: input, op: op)
    checkWeight(posWeight, like: input, op: op, name: "posWeight")
    guard let posWeight else {
      // One fused pass (BinaryCrossEntropyWithLogitsOp), the same value as the formula below.
      var loss = Tensor.apply(BinaryCrossEntropyWithLogitsOp(), input, target)
      if let weight { loss = loss * weight }
      return reduce(loss, reduction, op: op)
    }
    let logWeight = 1 + (posWeight - 1) * target
    let logSigmoid = input.logSigmoid()
    var loss = (1 - target) * input - logWeight * logSigmoid
    if let weight { loss = loss * weight }
    return reduce(loss, reduction, op: op)
  }

  /// Checks that an optional weight has the input's dtype and broadcasts to its shape.
  static func checkWeight(_ weight: Tensor?, like input: Tensor, op: String, name: String = "weight") {
    guard let weight else { return }
    check(
      weight.dtype == input.dtype && Shape.broadcast(weight.shape, input.shape) == input.shape,
      "\(op): \(name) \(weight.dtype) \(weight.shape) must have the input's dtype and broadcast to its shape \(input.dtype) \(input.shape)")
  }

  /// The Kullback–Leibler divergence of `target` from the distribution whose log-probabilities
  /// are `input`, like `torch.nn.functional.kl_div`, pointwise:
  /// ```
  /// target·(log target − input)         (0 where target = 0)
  /// exp(target)·(target − input)         with logTarget
  /// ```
  ///
  /// Derivative: `−target` (or `−exp(target)`) for `input`; `log target + 1 − input` (or
  /// `exp(target)·(target + 1 − input)`) for `target`.
  /// - Parameters:
  ///   - input: log-probabilities.
  ///   - target: probabilities, or log-probabilities with `logTarget`; broadcasts with `input`.
  ///   - logTarget: whether `target` holds log-probabilities.
  ///   - reduction: `.mean` (default, the mean over all elements, as PyTorch's default),
  ///     `.batchMean` (the sum divided by the size of dim 0: the true KL divergence per
  ///     sample), `.sum` or `.none`.
  /// - Precondition: real floating operands of one dtype whose shapes broadcast.
  public static func klDiv(_ input: Tensor, _ target: Tensor, logTarget: Bool = false, reduction: Reduction = .mean) -> Tensor {
    let op = "nn.functional.kl_div"
    checkPointwise(input, target, op: op)
    let loss = logTarget ? target.exp() * (target - input) : target.xlogy(target) - target * input
    guard reduction == .batchMean else { return reduce(loss, reduction, op: op) }
    return input.rank == 0 ? loss.sum() : loss.sum() / Double(input.shape[0])
  }
}
