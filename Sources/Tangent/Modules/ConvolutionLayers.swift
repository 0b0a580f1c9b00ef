/// A 2-d convolution layer, like `torch.nn.Conv2d` (``NN/conv2d(_:weight:bias:stride:padding:dilation:groups:)-(_,_,_,_,NN.Sizes,_,_)``).
///
/// Parameters `"weight"` `[out, in/groups, kh, kw]` and `"bias"` `[out]`, initialised as
/// PyTorch: both from U(−1/√fanIn, 1/√fanIn), `fanIn = in/groups·kh·kw`.
public struct Conv2d: Module {
  /// The filters, `[out, in/groups, kh, kw]`.
  public var weight: Tensor
  /// The bias, `[out]`, or `nil`.
  public var bias: Tensor?
  /// The step between windows.
  public var stride: NN.Sizes
  /// Zeros added on both sides of each spatial dim.
  public var padding: NN.Sizes
  /// The spacing of kernel elements.
  public var dilation: NN.Sizes
  /// The number of channel groups.
  public let groups: Int

  /// A layer with PyTorch's default initialisation, drawn from `generator`.
  /// - Precondition: positive sizes; `groups` divides both channel counts.
  public init<G: RandomNumberGenerator>(
    _ inChannels: Int, _ outChannels: Int, kernelSize: NN.Sizes, stride: NN.Sizes = 1, padding: NN.Sizes = 0,
    dilation: NN.Sizes = 1, groups: Int = 1, bias: Bool = true, dtype: DType = .float64, using generator: inout G
  ) {
    let k = kernelSize.values.count == 1 ? [kernelSize.values[0], kernelSize.values[0]] : kernelSize.values
    checkConvolutionLayer(inChannels, outChannels, kernel: k, rank: 2, groups: groups, op: "nn.Conv2d")
    (weight, self.bias) = NN.Init.layerDefault(
      weight: [outChannels, inChannels / groups] + k, bias: bias, dtype: dtype, using: &generator)
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    self.groups = groups
  }

  /// The convolution of `input` (`[N, C, H, W]` or `[C, H, W]`).
  public mutating func forward(_ input: Tensor) -> Tensor {
    NN.conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
  }

  /// The parameters `weight` and `bias`.
  public mutating func visit(_ visitor: inout ModuleVisitor) {
    visitor.parameter("weight", &weight)
    visitor.parameter("bias", &bias)
  }
}

/// A 1-d convolution layer, like `torch.nn.Conv1d` (``NN/conv1d(_:weight:bias:stride:padding:dilation:groups:)-(_,_,_,_,Int,_,_)``).
///
/// Parameters `"weight"` `[out, in/groups, k]` and `"bias"` `[out]`, initialised as PyTorch:
/// both from U(−1/√fanIn, 1/√fanIn), `fanIn = in/groups·k`.
public struct Conv1d: Module {
  /// The filters, `[out, in/groups, k]`.
  public var weight: Tensor
  /// The bias, `[out]`, or `nil`.
  public var bias: Tensor?
  /// The step between windows.
  public var stride: Int
  /// Zeros added on both sides.
  public var padding: Int
  /// The spacing of kernel elements.
  public var dilation: Int
  /// The number of channel groups.
  public let groups: Int

  /// A layer with PyTorch's default initialisation, drawn from `generator`.
  /// - Precondition: positive sizes; `groups` divides both channel counts.
  public init<G: RandomNumberGenerator>(
    _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
    groups: Int = 1, bias: Bool = true, dtype: DType = .float64, using generator: inout G
  ) {
    checkConvolutionLayer(inChannels, outChannels, kernel: [kernelSize], rank: 1, groups: groups, op: "nn.Conv1d")
    (weight, self.bias) = NN.Init.layerDefault(
      weight: [outChannels, inChannels / groups, kernelSize], bias: bias, dtype: dtype, using: &generator)
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    self.groups = groups
  }

  /// The convolution of `input` (`[N, C, W]` or `[C, W]`).
  public mutating func forward(_ input: Tensor) -> Tensor {
    NN.conv1d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
  }

  /// The parameters `weight` and `bias`.
  public mutating func visit(_ visitor: inout ModuleVisitor) {
    visitor.parameter("weight", &weight)
    visitor.parameter("bias", &bias)
  }
}

/// Checks a convolution layer's sizes.
func checkConvolutionLayer(_ inChannels: Int, _ outChannels: Int, kernel: [Int], rank: Int, groups: Int, op: String) {
  check(
    inChannels > 0 && outChannels > 0 && kernel.count == rank && kernel.allSatisfy { $0 > 0 },
    "\(op): expected positive channel counts and \(rank) positive kernel sizes, got \(inChannels), \(outChannels) and \(kernel)")
  check(
    groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
    "\(op): groups \(groups) must divide the channel counts \(inChannels) and \(outChannels)")
}
