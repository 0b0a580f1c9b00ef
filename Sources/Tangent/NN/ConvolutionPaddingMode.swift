// PyTorch's string paddings of the convolutions: padding="same" and padding="valid".

extension NN {
  /// A convolution padding given by name, as PyTorch's `padding="same"` / `padding="valid"`.
  public enum ConvolutionPadding: String, Sendable {
    /// Zeros so that the output has the input's spatial size (stride 1 only). Each dim gets
    /// `d·(k − 1)` zeros in total, `⌊d·(k − 1)/2⌋` before and the rest after, as in PyTorch.
    case same
    /// No padding (the same as `padding: 0`).
    case valid
  }

  /// The zeros before and after each spatial dim for a named padding, given the kernel sizes,
  /// dilations and strides of the spatial dims.
  static func namedPadding(
    _ mode: ConvolutionPadding, kernel: [Int], dilation: [Int], stride: [Int], op: String
  ) -> [(before: Int, after: Int)] {
    switch mode {
    case .valid: return kernel.map { _ in (0, 0) }
    case .same:
      check(stride.allSatisfy { $0 == 1 }, "\(op): padding \"same\" needs stride 1, got stride \(stride)")
      return zip(kernel, dilation).map { k, d in
        let total = d * (k - 1)
        return (total / 2, total - total / 2)
      }
    }
  }

  /// `input` padded with zeros by `pads` (one pair per spatial dim, in order), and the
  /// symmetric padding left for the convolution: an uneven pair pads the input explicitly.
  static func applyingPadding(_ input: Tensor, _ pads: [(before: Int, after: Int)]) -> (input: Tensor, padding: [Int]) {
    if pads.allSatisfy({ $0.before == $0.after }) { return (input, pads.map(\.before)) }
    // torch-style flat pads: the last dim first.
    return (input.padded(pads.reversed().flatMap { [$0.before, $0.after] }), pads.map { _ in 0 })
  }

  /// ``conv1d(_:weight:bias:stride:padding:dilation:groups:)-(_,_,_,_,Int,_,_)`` with a named padding, like
  /// `conv1d(…, padding="same")` or `padding="valid"`.
  ///
  /// Derivative: as `conv1d` (the padding is linear).
  /// - Precondition: as `conv1d`; stride 1 for `.same`.
  public static func conv1d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: ConvolutionPadding, dilation: Int = 1, groups: Int = 1
  ) -> Tensor {
    let op = "nn.functional.conv1d"
    check(weight.rank == 3, "\(op): expected a weight [O, C/groups, k], got \(weight.shape)")
    let pads = namedPadding(padding, kernel: [weight.shape[2]], dilation: [dilation], stride: [stride], op: op)
    let (x, p) = applyingPadding(input, pads)
    return conv1d(x, weight: weight, bias: bias, stride: stride, padding: p[0], dilation: dilation, groups: groups)
  }

  /// ``conv2d(_:weight:bias:stride:padding:dilation:groups:)-(_,_,_,_,NN.Sizes,_,_)`` with a named padding, like
  /// `conv2d(…, padding="same")` or `padding="valid"`.
  ///
  /// Derivative: as `conv2d` (the padding is linear).
  /// - Precondition: as `conv2d`; stride 1 for `.same`.
  public static func conv2d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Sizes = 1, padding: ConvolutionPadding, dilation: Sizes = 1, groups: Int = 1
  ) -> Tensor {
    let op = "nn.functional.conv2d"
    check(weight.rank == 4, "\(op): expected a weight [O, C/groups, kh, kw], got \(weight.shape)")
    let pads = namedPadding(
      padding, kernel: Array(weight.shape.suffix(2)), dilation: dilation.expanded(2, "dilation", op: op, minimum: 1),
      stride: stride.expanded(2, "stride", op: op, minimum: 1), op: op)
    let (x, p) = applyingPadding(input, pads)
    return conv2d(x, weight: weight, bias: bias, stride: stride, padding: Sizes(p), dilation: dilation, groups: groups)
  }

  /// ``conv3d(_:weight:bias:stride:padding:dilation:groups:)-(_,_,_,_,NN.Sizes,_,_)`` with a named padding, like
  /// `conv3d(…, padding="same")` or `padding="valid"`.
  ///
  /// Derivative: as `conv3d` (the padding is linear).
  /// - Precondition: as `conv3d`; stride 1 for `.same`.
  public static func conv3d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Sizes = 1, padding: ConvolutionPadding, dilation: Sizes = 1, groups: Int = 1
  ) -> Tensor {
    let op = "nn.functional.conv3d"
    check(weight.rank == 5, "\(op): expected a weight [O, C/groups, kd, kh, kw], got \(weight.shape)")
    let pads = namedPadding(
      padding, kernel: Array(weight.shape.suffix(3)), dilation: dilation.expanded(3, "dilation", op: op, minimum: 1),
      stride: stride.expanded(3, "stride", op: op, minimum: 1), op: op)
    let (x, p) = applyingPadding(input, pads)
    return conv3d(x, weight: weight, bias: bias, stride: stride, padding: Sizes(p), dilation: dilation, groups: groups)
  }
}
