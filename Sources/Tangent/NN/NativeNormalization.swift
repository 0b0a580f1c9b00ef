extension NN {
  /// Batch normalisation with its saved statistics, like ATen's `native_batch_norm`: the
  /// output of ``batchNorm(_:runningMean:runningVar:weight:bias:training:momentum:eps:)`` and,
  /// in training, the batch mean and `1/√(var + eps)` of each channel (what the backward pass
  /// reuses); outside training both are empty, as in PyTorch.
  ///
  /// This form is functional: the running statistics are not updated.
  ///
  /// Derivative: through the batch mean and variance (all three outputs); outside training,
  /// affine in the input and differentiable in the running statistics.
  /// - Parameters:
  ///   - input: `[N, C, *]`.
  ///   - weight: `[C]`.
  ///   - bias: `[C]`.
  ///   - runningMean: `[C]`; needed unless `training`.
  ///   - runningVar: `[C]`; needed unless `training`.
  ///   - training: whether to use the batch's statistics.
  ///   - momentum: unused here; kept for PyTorch's signature.
  ///   - eps: added to the variance.
  /// - Returns: the output (the input's shape), the mean and the inverse standard deviation
  ///   (`[C]` in training, `[0]` otherwise).
  /// - Precondition: those of `batchNorm`.
  public static func nativeBatchNorm(
    _ input: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?, training: Bool, momentum: Double = 0.1,
    eps: Double = 1e-5
  ) -> (output: Tensor, saveMean: Tensor, saveInvstd: Tensor) {
    let output = batchNorm(
      input, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias, training: training, momentum: momentum, eps: eps)
    guard training else {
      let empty = Tensor.zeros([0], dtype: input.dtype)
      return (output, empty, empty)
    }
    let dims = [0] + Array(2..<input.rank)
    let mean = input.mean(dims: dims)
    let deviation = input - mean.reshaped(channelShape(input))
    let invstd = (deviation.square().mean(dims: dims) + eps).rsqrt()
    return (output, mean, invstd)
  }

  /// Group normalisation with its saved statistics, like ATen's `native_group_norm`: the
  /// output of ``groupNorm(_:numGroups:weight:bias:eps:)`` and the mean and `1/√(var + eps)`
  /// of each sample's groups.
  ///
  /// Derivative: through the group means and variances (all three outputs).
  /// - Parameters:
  ///   - input: `[N, C, *]`.
  ///   - weight: `[C]`.
  ///   - bias: `[C]`.
  ///   - numGroups: divides `C`.
  ///   - eps: added to the variance.
  /// - Returns: the output (the input's shape), the means and the inverse standard deviations
  ///   (`[N, numGroups]`).
  /// - Precondition: those of `groupNorm`.
  public static func nativeGroupNorm(
    _ input: Tensor, weight: Tensor?, bias: Tensor?, numGroups: Int, eps: Double
  ) -> (output: Tensor, mean: Tensor, rstd: Tensor) {
    let output = groupNorm(input, numGroups: numGroups, weight: weight, bias: bias, eps: eps)
    let n = input.shape[0]
    let grouped = input.reshaped([n, numGroups, input.count / Swift.max(n * numGroups, 1)])
    let mean = grouped.mean(dims: [2])
    let rstd = ((grouped - mean.unsqueezed(dim: 2)).square().mean(dims: [2]) + eps).rsqrt()
    return (output, mean, rstd)
  }
}
