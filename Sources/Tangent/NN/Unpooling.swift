extension NN {
  /// Max unpooling over the last `spatial` dims: `input`'s values written at `indices` (flat
  /// positions in each output plane) into zeros.
  static func maxUnpool(
    _ input: Tensor, indices: Tensor, spatial: Int, kernelSize: Sizes, stride: Sizes?, padding: Sizes, outputSize: [Int]?, op: String
  ) -> Tensor {
    check(
      (input.rank == spatial + 1 || input.rank == spatial + 2) && input.dtype.isFloatingPoint,
      "\(op): expected a floating input with \(spatial) spatial dims, batched or not, got \(input.dtype) \(input.shape)")
    check(
      indices.dtype == .int64 && indices.shape == input.shape,
      "\(op): indices \(indices.dtype) \(indices.shape) must be int64 of the input's shape \(input.shape)")
    let k = kernelSize.expanded(spatial, "kernelSize", op: op, minimum: 1)
    let s = (stride ?? kernelSize).expanded(spatial, "stride", op: op, minimum: 1)
    let p = padding.expanded(spatial, "padding", op: op, minimum: 0)
    let size = Array(input.shape.suffix(spatial))
    var out = (0..<spatial).map { d -> Int in
      let span: Int = (size[d] - 1) * s[d]
      return span - 2 * p[d] + k[d]
    }
    if let outputSize {
      check(
        outputSize.count >= spatial, "\(op): outputSize \(outputSize) must give the \(spatial) spatial sizes")
      out = Array(outputSize.suffix(spatial))
    }
    check(out.allSatisfy { $0 > 0 }, "\(op): the output size \(out) must be positive")
    let plane = out.reduce(1, *)
    check(
      indices.scalars(as: Int64.self).allSatisfy { $0 >= 0 && $0 < plane },
      "\(op): indices must lie in the output planes of \(plane) elements (output size \(out))")
    let lead = Array(input.shape.dropLast(spatial)), count = size.reduce(1, *)
    let zeros = Tensor.zeros(lead + [plane], dtype: input.dtype)
    return zeros.scatter(dim: -1, index: indices.reshaped(lead + [count]), source: input.reshaped(lead + [count])).reshaped(lead + out)
  }

  /// The 1-d max unpooling, like `torch.nn.functional.max_unpool1d`: the partial inverse of
  /// max pooling, writing each value of `input` at its index and zeros elsewhere.
  ///
  /// Derivative: linear in the input; the VJP gathers the cotangent at the indices (which
  /// have none). Repeated indices keep the last write, as the scatter does.
  /// - Parameters:
  ///   - input: `[N, C, W]` or `[C, W]`.
  ///   - indices: `int64` of the input's shape: positions in each output row, as max pooling
  ///     with indices returns them.
  ///   - kernelSize: the max pooling's; they give the default output size
  ///     `(W − 1)·s − 2p + k`.
  ///   - stride: the max pooling's; they give the default output size
  ///     `(W − 1)·s − 2p + k`.
  ///   - padding: the max pooling's; they give the default output size
  ///     `(W − 1)·s − 2p + k`.
  ///   - outputSize: the output's size (its last value is used).
  /// - Returns: `[N, C, Wout]` (or `[C, Wout]`).
  /// - Precondition: a floating input of 2 or 3 dims; `int64` indices of its shape within the
  ///   output; a positive output size.
  public static func maxUnpool1d(
    _ input: Tensor, indices: Tensor, kernelSize: Int, stride: Int? = nil, padding: Int = 0, outputSize: [Int]? = nil
  ) -> Tensor {
    maxUnpool(
      input, indices: indices, spatial: 1, kernelSize: Sizes(kernelSize), stride: stride.map { Sizes($0) }, padding: Sizes(padding),
      outputSize: outputSize, op: "nn.functional.max_unpool1d")
  }

  /// The 2-d max unpooling, like `torch.nn.functional.max_unpool2d`: the partial inverse of
  /// ``maxPool2dWithIndices(_:kernelSize:stride:padding:dilation:ceilMode:)``, writing each
  /// value of `input` at its flat index `h·Wout + w` and zeros elsewhere.
  ///
  /// Derivative: linear in the input; the VJP gathers the cotangent at the indices.
  /// - Parameters:
  ///   - input: `[N, C, H, W]` or `[C, H, W]`.
  ///   - indices: `int64` of the input's shape.
  ///   - kernelSize: the max pooling's; they give the default output size
  ///     `(H − 1)·s − 2p + k` per dim.
  ///   - stride: the max pooling's; they give the default output size
  ///     `(H − 1)·s − 2p + k` per dim.
  ///   - padding: the max pooling's; they give the default output size
  ///     `(H − 1)·s − 2p + k` per dim.
  ///   - outputSize: the output's size (its last two values are used).
  /// - Returns: `[N, C, Hout, Wout]` (or `[C, Hout, Wout]`).
  /// - Precondition: a floating input of 3 or 4 dims; `int64` indices of its shape within the
  ///   output; a positive output size.
  public static func maxUnpool2d(
    _ input: Tensor, indices: Tensor, kernelSize: Sizes, stride: Sizes? = nil, padding: Sizes = 0, outputSize: [Int]? = nil
  ) -> Tensor {
    maxUnpool(
      input, indices: indices, spatial: 2, kernelSize: kernelSize, stride: stride, padding: padding, outputSize: outputSize,
      op: "nn.functional.max_unpool2d")
  }

  /// The 3-d max unpooling, like `torch.nn.functional.max_unpool3d`: each value of `input`
  /// written at its flat index `(d·Hout + h)·Wout + w`, zeros elsewhere.
  ///
  /// Derivative: linear in the input; the VJP gathers the cotangent at the indices.
  /// - Parameters:
  ///   - input: `[N, C, D, H, W]` or `[C, D, H, W]`.
  ///   - indices: `int64` of the input's shape.
  ///   - kernelSize: the max pooling's; they give the default output size.
  ///   - stride: the max pooling's; they give the default output size.
  ///   - padding: the max pooling's; they give the default output size.
  ///   - outputSize: the output's size (its last three values are used).
  /// - Returns: `[N, C, Dout, Hout, Wout]` (or without `N`).
  /// - Precondition: a floating input of 4 or 5 dims; `int64` indices of its shape within the
  ///   output; a positive output size.
  public static func maxUnpool3d(
    _ input: Tensor, indices: Tensor, kernelSize: Sizes, stride: Sizes? = nil, padding: Sizes = 0, outputSize: [Int]? = nil
  ) -> Tensor {
    maxUnpool(
      input, indices: indices, spatial: 3, kernelSize: kernelSize, stride: stride, padding: padding, outputSize: outputSize,
      op: "nn.functional.max_unpool3d")
  }
}

extension NN {
  /// The gradient of 2-d max pooling with respect to its input, like ATen's
  /// `max_pool2d_with_indices_backward`: each output cotangent added to the input position its
  /// window's maximum came from (the indices of
  /// ``maxPool2dWithIndices(_:kernelSize:stride:padding:dilation:ceilMode:)``), zeros elsewhere.
  /// Overlapping windows that share a maximum add up.
  ///
  /// Derivative: linear in `gradOutput` (the VJP gathers at the indices); the input only gives
  /// the shape, so its derivative is zero.
  /// - Parameters:
  ///   - gradOutput: `[N, C, oh, ow]` (or `[C, oh, ow]`), the cotangent of the pooled values.
  ///   - input: the pooled input, `[N, C, H, W]` (or `[C, H, W]`).
  ///   - indices: `int64` of `gradOutput`'s shape: flat positions `h·W + w` in the input planes.
  /// - Returns: the input's shape.
  /// - Precondition: floating tensors of one dtype with the shapes above; indices within the
  ///   input planes.
  public static func maxPool2dBackward(_ gradOutput: Tensor, input: Tensor, indices: Tensor) -> Tensor {
    let op = "max_pool2d_with_indices_backward"
    check(
      (input.rank == 3 || input.rank == 4) && gradOutput.rank == input.rank && gradOutput.dtype == input.dtype && input.dtype.isFloatingPoint
        && indices.dtype == .int64 && indices.shape == gradOutput.shape
        && Array(gradOutput.shape.dropLast(2)) == Array(input.shape.dropLast(2)),
      "\(op): expected floating gradOutput and input [N, C, *, *] of one dtype and int64 indices of gradOutput's shape, got \(gradOutput.dtype) \(gradOutput.shape), \(input.dtype) \(input.shape) and \(indices.dtype) \(indices.shape)")
    let lead = Array(input.shape.dropLast(2)), plane = input.shape.suffix(2).reduce(1, *), count = gradOutput.shape.suffix(2).reduce(1, *)
    check(
      indices.scalars(as: Int64.self).allSatisfy { $0 >= 0 && $0 < plane }, "\(op): indices must lie in the input planes of \(plane) elements")
    let zeros = Tensor.zeros(lead + [plane], dtype: input.dtype)
    let grad = zeros.scatterAdd(dim: -1, index: indices.reshaped(lead + [count]), source: gradOutput.reshaped(lead + [count]))
    return grad.reshaped(input.shape)
  }
}
