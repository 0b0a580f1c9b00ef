import ComplexModule
import RealModule

extension NN {
  /// Instance normalisation, like `torch.nn.functional.instance_norm`: each channel of each
  /// sample is normalised over its spatial dims, then scaled and shifted:
  /// ```
  /// y[n, c] = (x[n, c] − mean) / √(var + eps) · weight[c] + bias[c]
  /// ```
  /// with the mean and population variance of `x[n, c]`; without `useInputStats`, the running
  /// statistics instead (as ``batchNorm(_:runningMean:runningVar:weight:bias:training:momentum:eps:)``
  /// in evaluation mode).
  ///
  /// This form is functional: the running statistics are not updated.
  ///
  /// Derivative: through the mean and variance of each instance (the rules of
  /// ``groupNorm(_:numGroups:weight:bias:eps:)`` with one group per channel); with the running
  /// statistics, affine in the input and differentiable in the statistics too.
  /// - Parameters:
  ///   - input: `[N, C, *]` with at least one spatial dim.
  ///   - runningMean: `[C]`; needed without `useInputStats`.
  ///   - runningVar: `[C]`; needed without `useInputStats`.
  ///   - weight: `[C]`.
  ///   - bias: `[C]`.
  ///   - useInputStats: normalise with each instance's statistics (the default).
  ///   - momentum: unused here (the statistics are not updated); kept for PyTorch's signature.
  ///   - eps: added to the variance.
  /// - Returns: the input's shape.
  /// - Precondition: a real floating input of at least 3 dims; per-channel tensors `[C]` of
  ///   the input's dtype; running statistics without `useInputStats`.
  public static func instanceNorm(
    _ input: Tensor, runningMean: Tensor? = nil, runningVar: Tensor? = nil, weight: Tensor? = nil, bias: Tensor? = nil,
    useInputStats: Bool = true, momentum: Double = 0.1, eps: Double = 1e-5
  ) -> Tensor {
    let op = "nn.functional.instance_norm"
    check(
      input.dtype.isFloatingPoint && !input.dtype.isComplex && input.rank >= 3,
      "\(op): expected a real floating input [N, C, *] of at least 3 dims, got \(input.dtype) \(input.shape)")
    let (n, c) = (input.shape[0], input.shape[1])
    for (p, name) in [(weight, "weight"), (bias, "bias"), (runningMean, "runningMean"), (runningVar, "runningVar")] {
      checkParameter(p, name, shape: [c], like: input, op: op)
    }
    let shape = channelShape(input)
    guard useInputStats else {
      check(runningMean != nil && runningVar != nil, "\(op): without useInputStats, runningMean and runningVar are needed")
      let y = (input - runningMean!.reshaped(shape)) * (runningVar!.reshaped(shape) + eps).rsqrt()
      return affine(y, weight: weight?.reshaped(shape), bias: bias?.reshaped(shape))
    }
    let y = standardized(input.reshaped([n, c, input.count / Swift.max(n * c, 1)]), dims: [2], eps: eps).reshaped(input.shape)
    return affine(y, weight: weight?.reshaped(shape), bias: bias?.reshaped(shape))
  }

  /// Local response normalisation across channels, like
  /// `torch.nn.functional.local_response_norm`:
  /// ```
  /// y[n, c] = x[n, c] / (k + alpha/size · Σ_{c'} x[n, c']²)^beta
  /// ```
  /// the sum over the `size` channels `c − ⌊size/2⌋ ..< c − ⌊size/2⌋ + size` that exist.
  ///
  /// Derivative: the quotient and power rules through the windowed sum of squares (a band
  /// matrix product along the channels).
  /// - Parameters:
  ///   - input: `[N, C, *]` with at least one spatial dim.
  ///   - size: the number of neighbouring channels.
  ///   - alpha: the scale of the sum.
  ///   - beta: the exponent.
  ///   - k: the additive constant.
  /// - Returns: the input's shape.
  /// - Precondition: a real floating input of at least 3 dims; a positive size.
  public static func localResponseNorm(_ input: Tensor, size: Int, alpha: Double = 1e-4, beta: Double = 0.75, k: Double = 1) -> Tensor {
    let op = "nn.functional.local_response_norm"
    check(
      input.dtype.isFloatingPoint && !input.dtype.isComplex && input.rank >= 3,
      "\(op): expected a real floating input [N, C, *] of at least 3 dims, got \(input.dtype) \(input.shape)")
    check(size > 0, "\(op): size must be positive, got \(size)")
    let c = input.shape[1]
    var band = [Double](repeating: 0, count: c * c)
    for i in 0..<c {
      for j in Swift.max(i - size / 2, 0)..<Swift.min(i - size / 2 + size, c) { band[i * c + j] = 1 / Double(size) }
    }
    let mean = along(input.square(), dim: 1, Tensor(shape: [c, c], scalars: band).converted(to: input.dtype))
    return input / (k + alpha * mean).pow(beta)
  }

  /// Shuffles the channels of `input` across `groups`, like
  /// `torch.nn.functional.channel_shuffle`: the channels `[g₀…, g₁…, …]` of `groups` groups of
  /// `C/groups` become interleaved, channel `i·groups + j` of the result being channel
  /// `j·C/groups + i` of the input.
  ///
  /// Derivative: a permutation of the channels; its inverse for the VJP.
  /// - Parameters:
  ///   - input: `[N, C, *]` with at least one spatial dim.
  ///   - groups: divides `C`.
  /// - Returns: the input's shape.
  /// - Precondition: at least 3 dims; `groups` positive and dividing `C`.
  public static func channelShuffle(_ input: Tensor, groups: Int) -> Tensor {
    let op = "nn.functional.channel_shuffle"
    check(input.rank >= 3, "\(op): expected an input [N, C, *] of at least 3 dims, got \(input.shape)")
    let c = input.shape[1]
    check(groups > 0 && c % groups == 0, "\(op): \(groups) groups do not divide the \(c) channels of input \(input.shape)")
    var split = input.shape
    split.replaceSubrange(1...1, with: [groups, c / groups])
    return input.reshaped(split).transposed(1, 2).reshaped(input.shape)
  }
}
