/// Layer normalisation over the trailing dims, like `torch.nn.LayerNorm`
/// (``NN/layerNorm(_:normalizedShape:weight:bias:eps:)``).
///
/// Parameters `"weight"` (ones) and `"bias"` (zeros) of shape `normalizedShape`, when
/// `elementwiseAffine`.
public struct LayerNorm: Module {
  /// The trailing sizes normalised over.
  public let normalizedShape: [Int]
  /// Added to the variance.
  public var eps: Double
  /// The scale, or `nil`.
  public var weight: Tensor?
  /// The offset, or `nil`.
  public var bias: Tensor?

  /// A layer with PyTorch's initialisation (weight ones, bias zeros).
  /// - Precondition: positive sizes.
  public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true, dtype: DType = .float64) {
    check(!normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 }, "nn.LayerNorm: expected positive sizes, got \(normalizedShape)")
    self.normalizedShape = normalizedShape
    self.eps = eps
    weight = elementwiseAffine ? Tensor.ones(normalizedShape, dtype: dtype) : nil
    self.bias = elementwiseAffine && bias ? Tensor.zeros(normalizedShape, dtype: dtype) : nil
  }

  /// The normalised input.
  public mutating func forward(_ input: Tensor) -> Tensor {
    NN.layerNorm(input, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
  }

  /// The parameters `weight` and `bias`.
  public mutating func visit(_ visitor: inout ModuleVisitor) {
    visitor.parameter("weight", &weight)
    visitor.parameter("bias", &bias)
  }
}

/// Root-mean-square normalisation over the trailing dims, like `torch.nn.RMSNorm`
/// (``NN/rmsNorm(_:normalizedShape:weight:eps:)``), with a parameter `"weight"` (ones).
public struct RMSNorm: Module {
  /// The trailing sizes normalised over.
  public let normalizedShape: [Int]
  /// Added to the mean square; `nil` for the dtype's machine epsilon, as PyTorch.
  public var eps: Double?
  /// The scale, or `nil`.
  public var weight: Tensor?

  /// A layer with PyTorch's initialisation (weight ones).
  /// - Precondition: positive sizes.
  public init(_ normalizedShape: [Int], eps: Double? = nil, elementwiseAffine: Bool = true, dtype: DType = .float64) {
    check(!normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 }, "nn.RMSNorm: expected positive sizes, got \(normalizedShape)")
    self.normalizedShape = normalizedShape
    self.eps = eps
    weight = elementwiseAffine ? Tensor.ones(normalizedShape, dtype: dtype) : nil
  }

  /// The normalised input.
  public mutating func forward(_ input: Tensor) -> Tensor {
    NN.rmsNorm(input, normalizedShape: normalizedShape, weight: weight, eps: eps)
  }

  /// The parameter `weight`.
  public mutating func visit(_ visitor: inout ModuleVisitor) { visitor.parameter("weight", &weight) }
}

/// Batch normalisation over dim 1 of `[N, C, *]` inputs, like `torch.nn.BatchNorm1d/2d/3d`
/// (one type for every rank).
///
/// Parameters `"weight"` (ones) and `"bias"` (zeros), `[C]`, when `affine`; buffers
/// `"running_mean"` (zeros) and `"running_var"` (ones), `[C]`, when `trackRunningStats`.
///
/// In training mode the output uses the batch's mean and (population) variance. The running
/// statistics are updated, from the input's values and outside differentiation, only by the
/// mutating ``forward(_:)``:
///
///     runningMean ← (1 − momentum)·runningMean + momentum·mean
///     runningVar  ← (1 − momentum)·runningVar + momentum·var·n/(n − 1)
///
/// Calling the layer (`bn(x)`), ``functionalCall(_:parameters:_:)-(M,NamedTensors,M.Input)`` and every transform leave
/// them unchanged; ``functionalCall(_:parameters:buffers:_:)`` returns the updated ones. In
/// evaluation mode the running statistics normalise, as constants: they are buffers, not
/// parameters, so no transform differentiates them.
public struct BatchNorm: Module {
  /// The number of channels `C`.
  public let numFeatures: Int
  /// Added to the variance.
  public var eps: Double
  /// The weight of a new batch in the running statistics.
  public var momentum: Double
  /// The scale, or `nil`.
  public var weight: Tensor?
  /// The offset, or `nil`.
  public var bias: Tensor?
  /// The running mean (a buffer), or `nil` when the layer does not track statistics.
  public var runningMean: Tensor?
  /// The running (unbiased) variance (a buffer), or `nil`.
  public var runningVar: Tensor?
  /// Whether the layer is in training mode (the default).
  public var isTraining = true

  /// A layer with PyTorch's initialisation.
  /// - Parameters:
  ///   - numFeatures: `C`.
  ///   - eps: added to the variance.
  ///   - momentum: the weight of a new batch in the running statistics, in [0, 1].
  ///   - affine: whether the layer has `weight` and `bias`.
  ///   - trackRunningStats: whether it keeps running statistics; without them it normalises
  ///     with the batch's statistics in both modes, as PyTorch.
  ///   - dtype: the dtype of the parameters and buffers.
  /// - Precondition: `numFeatures > 0`, `momentum` in [0, 1].
  public init(
    _ numFeatures: Int, eps: Double = 1e-5, momentum: Double = 0.1, affine: Bool = true, trackRunningStats: Bool = true,
    dtype: DType = .float64
  ) {
    check(numFeatures > 0, "nn.BatchNorm: numFeatures must be positive, got \(numFeatures)")
    check(momentum >= 0 && momentum <= 1, "nn.BatchNorm: momentum must be in [0, 1], got \(momentum)")
    self.numFeatures = numFeatures
    self.eps = eps
    self.momentum = momentum
    weight = affine ? Tensor.ones([numFeatures], dtype: dtype) : nil
    bias = affine ? Tensor.zeros([numFeatures], dtype: dtype) : nil
    runningMean = trackRunningStats ? Tensor.zeros([numFeatures], dtype: dtype) : nil
    runningVar = trackRunningStats ? Tensor.ones([numFeatures], dtype: dtype) : nil
  }

  /// The normalised input; in training mode with running statistics, also updates them.
  public mutating func forward(_ input: Tensor) -> Tensor {
    if isTraining, var mean = runningMean, var variance = runningVar {
      let y = NN.batchNorm(input, runningMean: &mean, runningVar: &variance, weight: weight, bias: bias, momentum: momentum, eps: eps)
      (runningMean, runningVar) = (mean, variance)
      return y
    }
    let useBatch = isTraining || runningMean == nil
    return NN.batchNorm(
      input, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias, training: useBatch, momentum: momentum, eps: eps)
  }

  /// The parameters `weight` and `bias`, the buffers `running_mean` and `running_var`, and
  /// the training flag.
  public mutating func visit(_ visitor: inout ModuleVisitor) {
    visitor.parameter("weight", &weight)
    visitor.parameter("bias", &bias)
    visitor.buffer("running_mean", &runningMean)
    visitor.buffer("running_var", &runningVar)
    visitor.trainingFlag(&isTraining)
  }
}
