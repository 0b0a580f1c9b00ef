import ComplexModule
import RealModule

extension NN {
  /// `(x − mean)/√(var + eps)` over `dims`, with the population variance: the shared core of
  /// the normalisation layers. Differentiable through sub, mean, square and rsqrt.
  static func standardized(_ x: Tensor, dims: [Int], eps: Double) -> Tensor {
    let deviation = x - x.mean(dims: dims, keepdim: true)
    return deviation * (deviation.square().mean(dims: dims, keepdim: true) + eps).rsqrt()
  }

  /// Checks an optional per-feature parameter (a weight or a bias) against its expected shape.
  static func checkParameter(_ p: Tensor?, _ name: String, shape: [Int], like input: Tensor, op: String) {
    guard let p else { return }
    check(
      p.shape == shape && p.dtype == input.dtype,
      "\(op): \(name) must be a \(input.dtype) tensor of shape \(shape), got \(p.dtype) \(p.shape) (input \(input.shape))")
  }

  /// `x·weight + bias` with either missing.
  static func affine(_ x: Tensor, weight: Tensor?, bias: Tensor?) -> Tensor {
    let scaled = weight.map { x * $0 } ?? x
    return bias.map { scaled + $0 } ?? scaled
  }

  /// The shape `[C, 1, …, 1]` that broadcasts a per-channel tensor along dim 1 of `input`.
  static func channelShape(_ input: Tensor) -> [Int] {
    [input.shape[1]] + [Int](repeating: 1, count: input.rank - 2)
  }

  /// Layer normalisation over the trailing `normalizedShape` dims, like
  /// `torch.nn.functional.layer_norm`:
  /// ```
  /// y = (x − E[x]) / √(Var[x] + eps) · weight + bias
  /// ```
  /// the mean and (population) variance taken over the last `normalizedShape.count` dims.
  ///
  /// Derivative: through the mean and variance (the rules of sub, mean, square, rsqrt and
  /// mul); `weight` and `bias` are differentiable.
  /// - Parameters:
  ///   - input: `[…, *normalizedShape]`.
  ///   - normalizedShape: the trailing sizes to normalise over.
  ///   - weight: a scale of shape `normalizedShape`.
  ///   - bias: an offset of shape `normalizedShape`.
  ///   - eps: added to the variance.
  /// - Returns: the input's shape.
  /// - Precondition: a real floating input whose shape ends with `normalizedShape`; `weight`
  ///   and `bias` have shape `normalizedShape` and the input's dtype.
  public static func layerNorm(
    _ input: Tensor, normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5
  ) -> Tensor {
    let op = "nn.functional.layer_norm"
    checkTrailing(input, normalizedShape, op: op)
    checkParameter(weight, "weight", shape: normalizedShape, like: input, op: op)
    checkParameter(bias, "bias", shape: normalizedShape, like: input, op: op)
    let dims = Array(input.rank - normalizedShape.count..<input.rank)
    return affine(standardized(input, dims: dims, eps: eps), weight: weight, bias: bias)
  }

  /// Checks that a real floating input ends with `normalizedShape`.
  static func checkTrailing(_ input: Tensor, _ normalizedShape: [Int], op: String, allowComplex: Bool = false) {
    check(
      input.dtype.isFloatingPoint && (allowComplex || !input.dtype.isComplex),
      "\(op): expected a real floating input, got \(input.dtype) \(input.shape)")
    check(
      !normalizedShape.isEmpty && input.shape.suffix(normalizedShape.count) == normalizedShape[...],
      "\(op): input \(input.shape) does not end with normalizedShape \(normalizedShape)")
  }

  /// Root-mean-square normalisation over the trailing `normalizedShape` dims, like
  /// `torch.nn.functional.rms_norm`:
  /// ```
  /// y = x / √(mean(x²) + eps) · weight
  /// ```
  ///
  /// Derivative: the rules of square, mean, rsqrt and mul.
  /// - Parameters:
  ///   - input: `[…, *normalizedShape]`.
  ///   - normalizedShape: the trailing sizes to normalise over.
  ///   - weight: a scale of shape `normalizedShape`.
  ///   - eps: added to the mean square; `nil` (the default) takes the machine epsilon of the
  ///     input's dtype, as PyTorch does.
  /// - Returns: the input's shape.
  /// Complex inputs follow PyTorch's composite: `x²` is the complex square (not `|x|²`) and
  /// the root is the principal complex square root.
  /// - Precondition: a floating input whose shape ends with `normalizedShape`; `weight`
  ///   has shape `normalizedShape` and the input's dtype.
  public static func rmsNorm(_ input: Tensor, normalizedShape: [Int], weight: Tensor? = nil, eps: Double? = nil) -> Tensor {
    let op = "nn.functional.rms_norm"
    checkTrailing(input, normalizedShape, op: op, allowComplex: true)
    checkParameter(weight, "weight", shape: normalizedShape, like: input, op: op)
    let dims = Array(input.rank - normalizedShape.count..<input.rank)
    let epsilon = eps ?? (input.dtype == .float32 || input.dtype == .complex64 ? Double(Float.ulpOfOne) : Double.ulpOfOne)
    let meanSquare = (input.dtype.isComplex ? input * input : input.square()).mean(dims: dims, keepdim: true) + epsilon
    let y = input.dtype.isComplex ? input / meanSquare.sqrt() : input * meanSquare.rsqrt()
    return affine(y, weight: weight, bias: nil)
  }

  /// Group normalisation, like `torch.nn.functional.group_norm`: the `C` channels of each
  /// sample are split into `numGroups` groups, each normalised over its channels and the
  /// spatial dims, then scaled and shifted per channel:
  /// ```
  /// y = (x − E_group[x]) / √(Var_group[x] + eps) · weight[c] + bias[c]
  /// ```
  ///
  /// Derivative: the rules of the mean, variance and affine map.
  /// - Parameters:
  ///   - input: `[N, C, *]`.
  ///   - numGroups: divides `C`.
  ///   - weight: `[C]`.
  ///   - bias: `[C]`.
  ///   - eps: added to the variance.
  /// - Returns: the input's shape.
  /// - Precondition: a real floating input of at least 2 dims; `numGroups` divides `C`;
  ///   `weight` and `bias` are `[C]` of the input's dtype.
  public static func groupNorm(
    _ input: Tensor, numGroups: Int, weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5
  ) -> Tensor {
    let op = "nn.functional.group_norm"
    checkChannels(input, op: op)
    let (n, c) = (input.shape[0], input.shape[1])
    check(numGroups > 0 && c % numGroups == 0, "\(op): \(numGroups) groups do not divide the \(c) channels of input \(input.shape)")
    checkParameter(weight, "weight", shape: [c], like: input, op: op)
    checkParameter(bias, "bias", shape: [c], like: input, op: op)
    let grouped = input.reshaped([n, numGroups, input.count / Swift.max(n * numGroups, 1)])
    let y = standardized(grouped, dims: [2], eps: eps).reshaped(input.shape)
    let shape = channelShape(input)
    return affine(y, weight: weight?.reshaped(shape), bias: bias?.reshaped(shape))
  }

  /// Checks a real floating `[N, C, *]` input.
  static func checkChannels(_ input: Tensor, op: String) {
    check(
      input.dtype.isFloatingPoint && !input.dtype.isComplex && input.rank >= 2,
      "\(op): expected a real floating input [N, C, *] of at least 2 dims, got \(input.dtype) \(input.shape)")
  }

  /// Batch normalisation, like `torch.nn.functional.batch_norm`: each channel (dim 1) is
  /// normalised over the batch and spatial dims, then scaled and shifted:
  /// ```
  /// y = (x − mean[c]) / √(var[c] + eps) · weight[c] + bias[c]
  /// ```
  /// In training mode `mean` and `var` are the batch's statistics (population variance);
  /// otherwise they are `runningMean` and `runningVar`.
  ///
  /// This form is functional: the running statistics are inputs and are not updated. To
  /// update them as PyTorch does in training mode, use
  /// ``batchNorm(_:runningMean:runningVar:weight:bias:momentum:eps:)`` with `inout` statistics.
  ///
  /// Derivative: training mode, through the batch mean and variance; evaluation mode, affine
  /// in the input, and differentiable in the running statistics too.
  /// - Parameters:
  ///   - input: `[N, C, *]`.
  ///   - runningMean: `[C]`; needed unless `training`.
  ///   - runningVar: `[C]`; needed unless `training`.
  ///   - weight: `[C]`.
  ///   - bias: `[C]`.
  ///   - training: whether to use the batch's statistics.
  ///   - momentum: unused here (the statistics are not updated); kept for PyTorch's signature.
  ///   - eps: added to the variance.
  /// - Returns: the input's shape.
  /// - Precondition: a real floating input of at least 2 dims (or an empty 1-d one, returned
  ///   as it is, as PyTorch does), with more than one value per channel in training mode;
  ///   every per-channel tensor is `[C]` of the input's dtype; running statistics are given
  ///   in evaluation mode.
  public static func batchNorm(
    _ input: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil, bias: Tensor? = nil,
    training: Bool = false, momentum: Double = 0.1, eps: Double = 1e-5
  ) -> Tensor {
    let op = "nn.functional.batch_norm"
    if input.rank == 1 && input.count == 0 {
      // PyTorch accepts an empty 1-d input (it has no channel dim to check the statistics
      // against) and returns it; the result depends on no value.
      check(
        input.dtype.isFloatingPoint && !input.dtype.isComplex,
        "\(op): expected a real floating input, got \(input.dtype) \(input.shape)")
      return input
    }
    checkBatchNorm(input, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias, training: training, op: op)
    let shape = channelShape(input)
    let y: Tensor
    if training {
      y = standardized(input, dims: [0] + Array(2..<input.rank), eps: eps)
    } else {
      y = (input - runningMean!.reshaped(shape)) * (runningVar!.reshaped(shape) + eps).rsqrt()
    }
    return affine(y, weight: weight?.reshaped(shape), bias: bias?.reshaped(shape))
  }

  /// Batch normalisation in training mode that also updates the running statistics, as
  /// `torch.nn.functional.batch_norm(…, training=True)` does in place:
  /// ```
  /// runningMean ← (1 − momentum)·runningMean + momentum·mean
  /// runningVar  ← (1 − momentum)·runningVar + momentum·var·n/(n − 1)
  /// ```
  /// (the unbiased batch variance, `n` values per channel). The statistics are updated from
  /// the input's values; they take no part in differentiation.
  ///
  /// Derivative: that of the training-mode
  /// ``batchNorm(_:runningMean:runningVar:weight:bias:training:momentum:eps:)``.
  /// - Parameters:
  ///   - input: `[N, C, *]`.
  ///   - runningMean: `[C]`, updated.
  ///   - runningVar: `[C]`, updated.
  ///   - weight: `[C]`.
  ///   - bias: `[C]`.
  ///   - momentum: the weight of the new statistics, in [0, 1].
  ///   - eps: added to the variance.
  /// - Returns: the normalised input.
  /// - Precondition: as for the functional form in training mode.
  public static func batchNorm(
    _ input: Tensor, runningMean: inout Tensor, runningVar: inout Tensor, weight: Tensor? = nil, bias: Tensor? = nil,
    momentum: Double = 0.1, eps: Double = 1e-5
  ) -> Tensor {
    let op = "nn.functional.batch_norm"
    if input.rank == 1 && input.count == 0 {
      // As PyTorch: an empty 1-d input is returned, and the statistics are left as they are.
      return batchNorm(input, runningMean: nil, runningVar: nil, training: true)
    }
    checkBatchNorm(input, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias, training: true, op: op)
    let dims = [0] + Array(2..<input.rank)
    let x = input.detached
    runningMean = runningMean.detached * (1 - momentum) + x.mean(dims: dims) * momentum
    runningVar = runningVar.detached * (1 - momentum) + x.var(dims: dims, correction: 1) * momentum
    return batchNorm(input, runningMean: nil, runningVar: nil, weight: weight, bias: bias, training: true, eps: eps)
  }

  /// Checks the arguments of batch normalisation.
  static func checkBatchNorm(
    _ input: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor?, bias: Tensor?, training: Bool, op: String
  ) {
    checkChannels(input, op: op)
    let c = input.shape[1]
    for (p, name) in [(runningMean, "runningMean"), (runningVar, "runningVar"), (weight, "weight"), (bias, "bias")] {
      checkParameter(p, name, shape: [c], like: input, op: op)
    }
    if training {
      check(
        input.count / Swift.max(c, 1) > 1,
        "\(op): expected more than 1 value per channel when training, got input \(input.shape)")
    } else {
      check(
        runningMean != nil && runningVar != nil,
        "\(op): evaluation mode (training false) needs runningMean and runningVar")
    }
  }
}
