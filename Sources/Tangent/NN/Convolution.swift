import ComplexModule
import RealModule

extension NN {
  /// The 2-d convolution (cross-correlation) of a batch of images with a bank of filters, like
  /// `torch.nn.functional.conv2d`:
  /// ```
  /// y[n, o, a, b] = bias[o] + Σ_{c, i, j} weight[o, c, i, j]·x[n, g·C/G + c, a·sh + i·dh − ph, b·sw + j·dw − pw]
  /// ```
  /// where `g = o / (O/G)` is the group of output channel `o` (zero outside the input).
  ///
  /// Computed as im2col and one batched matrix product on BLAS: the windows of the input
  /// (``unfold(_:kernelSize:dilation:padding:stride:)``, `[N, C·kh·kw, L]`) multiplied by the
  /// filters as a `[O, C/G·kh·kw]` matrix (per group).
  ///
  /// Derivative: bilinear in input and weight, so the JVP is `conv(dx, w) + conv(x, dw)`; the
  /// VJP folds `wᵀ·ḡ` back into the input's shape (a transposed convolution) and multiplies
  /// `ḡ` by the input's windows for the weight; the bias gets `ḡ` summed. Both rules are the
  /// rules of unfold/fold and matmul, so derivatives of every order follow.
  /// - Parameters:
  ///   - input: `[N, C, H, W]` or `[C, H, W]`.
  ///   - weight: `[O, C/G, kh, kw]`.
  ///   - bias: `[O]`.
  ///   - stride: the step between windows.
  ///   - padding: zeros added on both sides of each spatial dim.
  ///   - dilation: the spacing of kernel elements.
  ///   - groups: `G`, which divides `C` and `O`: group `g` of the outputs sees group `g` of the
  ///     input channels only.
  /// - Returns: `[N, O, oh, ow]` (or `[O, oh, ow]`), `oh = ⌊(H + 2ph − dh(kh − 1) − 1)/sh⌋ + 1`.
  /// - Precondition: floating tensors of one dtype with the shapes above; the kernel fits in
  ///   the padded input.
  /// - Complexity: O(N·O·C/G·kh·kw·oh·ow) in one batched GEMM, plus the `C·kh·kw·L` copy of
  ///   the windows.
  public static func conv2d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Sizes = 1, padding: Sizes = 0, dilation: Sizes = 1, groups: Int = 1
  ) -> Tensor {
    convolution(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups, op: "nn.functional.conv2d")
  }

  /// The 1-d convolution (cross-correlation) of a batch of signals with a bank of filters, like
  /// `torch.nn.functional.conv1d`:
  /// ```
  /// y[n, o, a] = bias[o] + Σ_{c, i} weight[o, c, i]·x[n, g·C/G + c, a·s + i·d − p]
  /// ```
  /// computed as ``conv2d(_:weight:bias:stride:padding:dilation:groups:)-(_,_,_,_,NN.Sizes,_,_)`` with a height of 1.
  ///
  /// Derivative: bilinear in input and weight; see `conv2d`.
  /// - Parameters:
  ///   - input: `[N, C, W]` or `[C, W]`.
  ///   - weight: `[O, C/G, k]`.
  ///   - bias: `[O]`.
  ///   - stride: one value.
  ///   - padding: one value.
  ///   - dilation: one value.
  ///   - groups: `G`, which divides `C` and `O`.
  /// - Returns: `[N, O, ow]` (or `[O, ow]`), `ow = ⌊(W + 2p − d(k − 1) − 1)/s⌋ + 1`.
  /// - Precondition: floating tensors of one dtype with the shapes above; the kernel fits.
  public static func conv1d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1
  ) -> Tensor {
    let op = "nn.functional.conv1d"
    check(
      (input.rank == 2 || input.rank == 3) && weight.rank == 3,
      "\(op): expected an input [N, C, W] or [C, W] and a weight [O, C/groups, k], got \(input.shape) and \(weight.shape)")
    let y = convolution(
      input.unsqueezed(dim: -2), weight: weight.unsqueezed(dim: -2), bias: bias, stride: [1, stride], padding: [0, padding],
      dilation: [1, dilation], groups: groups, op: op)
    return y.squeezed(dim: -2)
  }

  /// conv2d and conv1d (as a height-1 conv2d), with messages naming `op`.
  static func convolution(
    _ input: Tensor, weight: Tensor, bias: Tensor?, stride: Sizes, padding: Sizes, dilation: Sizes, groups: Int, op: String
  ) -> Tensor {
    check(
      (input.rank == 3 || input.rank == 4) && weight.rank == 4,
      "\(op): expected an input [N, C, H, W] or [C, H, W] and a weight [O, C/groups, kh, kw], got \(input.shape) and \(weight.shape)")
    checkConvolution(
      input, weight: weight, bias: bias, channels: input.shape[input.rank - 3], outputs: weight.shape[0], groups: groups, op: op)
    let x = input.rank == 4 ? input : input.unsqueezed(dim: 0)
    let (n, c) = (x.shape[0], x.shape[1])
    let (o, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
    check(
      weight.shape[1] * groups == c,
      "\(op): weight \(weight.shape) expects \(weight.shape[1] * groups) input channels (\(weight.shape[1]) × \(groups) groups), input \(input.shape) has \(c)")
    let g = geometry(kernelSize: [kh, kw], dilation: dilation, padding: padding, stride: stride, op: op)
    checkBlocks(g, Array(x.shape.suffix(2)), input: input.shape, op: op)
    let blocks = g.blocks(Array(x.shape.suffix(2)))
    let cols = Tensor.apply(UnfoldOp(geometry: g), x)  // [N, C·kh·kw, L]
    let k = c / groups * kh * kw, l = blocks[0] * blocks[1]
    let product = groups == 1
      ? weight.reshaped([o, k]).matmul(cols)
      : weight.reshaped([groups, o / groups, k]).matmul(cols.reshaped([n, groups, k, l]))
    var y = product.reshaped([n, o, blocks[0], blocks[1]])
    if let bias { y = y + bias.reshaped([o, 1, 1]) }
    return input.rank == 4 ? y : y.squeezed(dim: 0)
  }

  /// Checks the dtypes, groups and bias of a convolution with `channels` input and `outputs`
  /// output channels.
  static func checkConvolution(_ input: Tensor, weight: Tensor, bias: Tensor?, channels: Int, outputs: Int, groups: Int, op: String) {
    check(
      input.dtype.isFloatingPoint && input.dtype == weight.dtype && (bias == nil || bias!.dtype == input.dtype),
      "\(op): expected floating tensors of one dtype, got input \(input.dtype), weight \(weight.dtype)" + (bias.map { ", bias \($0.dtype)" } ?? ""))
    check(
      groups > 0 && channels % groups == 0 && outputs % groups == 0,
      "\(op): \(groups) groups must divide the \(channels) input and \(outputs) output channels (input \(input.shape), weight \(weight.shape))")
    check(bias == nil || bias!.shape == [outputs], "\(op): bias must be [\(outputs)], got \(bias!.shape)")
  }

  /// The 2-d transposed convolution, like `torch.nn.functional.conv_transpose2d`: the adjoint
  /// (gradient) of ``conv2d(_:weight:bias:stride:padding:dilation:groups:)-(_,_,_,_,NN.Sizes,_,_)`` with respect to
  /// its input, often called a fractionally strided convolution:
  /// ```
  /// y[n, g·O/G + o, a·sh + i·dh − ph, b·sw + j·dw − pw] += Σ_c x[n, g·C/G + c, a, b]·weight[g·C/G + c, o, i, j]
  /// ```
  ///
  /// Computed as one batched matrix product (the weight as `[C/G, O/G·kh·kw]` per group, its
  /// transpose times the input) and a col2im
  /// (``fold(_:outputSize:kernelSize:dilation:padding:stride:)``).
  ///
  /// Derivative: bilinear in input and weight (the rules of matmul and fold); the bias gets
  /// `ḡ` summed.
  /// - Parameters:
  ///   - input: `[N, C, H, W]` or `[C, H, W]`.
  ///   - weight: `[C, O/G, kh, kw]`.
  ///   - bias: `[O]`.
  ///   - stride: as for the convolution this is the adjoint of.
  ///   - padding: as for the convolution this is the adjoint of.
  ///   - dilation: as for the convolution this is the adjoint of.
  ///   - outputPadding: extra rows and columns on the bottom and right of the output (to pick
  ///     one of the sizes a strided convolution maps to the input's size); each smaller than
  ///     the stride or the dilation.
  ///   - groups: `G`, which divides `C` and `O`.
  /// - Returns: `[N, O, Hout, Wout]`, `Hout = (H − 1)·sh − 2ph + dh(kh − 1) + oph + 1`.
  /// - Precondition: floating tensors of one dtype with the shapes above; `outputPadding`
  ///   smaller than the stride or the dilation; a positive output size.
  public static func convTranspose2d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Sizes = 1, padding: Sizes = 0, outputPadding: Sizes = 0,
    groups: Int = 1, dilation: Sizes = 1
  ) -> Tensor {
    let op = "nn.functional.conv_transpose2d"
    check(
      (input.rank == 3 || input.rank == 4) && weight.rank == 4,
      "\(op): expected an input [N, C, H, W] or [C, H, W] and a weight [C, O/groups, kh, kw], got \(input.shape) and \(weight.shape)")
    let x = input.rank == 4 ? input : input.unsqueezed(dim: 0)
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let o = weight.shape[1] * groups
    checkConvolution(input, weight: weight, bias: bias, channels: c, outputs: o, groups: groups, op: op)
    check(weight.shape[0] == c, "\(op): weight \(weight.shape) expects \(weight.shape[0]) input channels, input \(input.shape) has \(c)")
    let (kh, kw) = (weight.shape[2], weight.shape[3])
    var g = geometry(kernelSize: [kh, kw], dilation: dilation, padding: padding, stride: stride, op: op)
    let extra = outputPadding.expanded(2, "outputPadding", op: op, minimum: 0)
    for d in 0..<2 {
      check(
        extra[d] < g.stride[d] || extra[d] < g.dilation[d],
        "\(op): outputPadding \(extra) must be smaller than the stride \(g.stride) or the dilation \(g.dilation)")
    }
    let size = (0..<2).map { d -> Int in
      let span: Int = g.dilation[d] * (g.kernel[d] - 1) + extra[d] + 1
      return ([h, w][d] - 1) * g.stride[d] - 2 * g.padBefore[d] + span
    }
    check(size[0] > 0 && size[1] > 0, "\(op): input \(input.shape) with kernel \(g.kernel) gives the output size \(size)")
    // The output padding extends the output past the windows' extent: less padding after.
    g.padAfter = (0..<2).map { g.padAfter[$0] - extra[$0] }
    let k = o / groups * kh * kw
    let cols = weight.reshaped([groups, c / groups, k]).mT.matmul(x.reshaped([n, groups, c / groups, h * w]))
    var y = Tensor.apply(FoldOp(geometry: g, size: size), cols.reshaped([n, o * kh * kw, h * w]))
    if let bias { y = y + bias.reshaped([o, 1, 1]) }
    return input.rank == 4 ? y : y.squeezed(dim: 0)
  }
}

extension NN {
  /// The 1-d transposed convolution, like `torch.nn.functional.conv_transpose1d`: the adjoint
  /// of ``conv1d(_:weight:bias:stride:padding:dilation:groups:)-(_,_,_,_,Int,_,_)``, computed as
  /// ``convTranspose2d(_:weight:bias:stride:padding:outputPadding:groups:dilation:)`` with a
  /// height of 1.
  ///
  /// Derivative: bilinear in input and weight; see `convTranspose2d`.
  /// - Parameters:
  ///   - input: `[N, C, W]` or `[C, W]`.
  ///   - weight: `[C, O/G, k]`.
  ///   - bias: `[O]`.
  ///   - stride: as for the convolution this is the adjoint of.
  ///   - padding: as for the convolution this is the adjoint of.
  ///   - dilation: as for the convolution this is the adjoint of.
  ///   - outputPadding: extra columns on the right, smaller than the stride or the dilation.
  ///   - groups: `G`, which divides `C` and `O`.
  /// - Returns: `[N, O, Wout]` (or `[O, Wout]`), `Wout = (W − 1)·s − 2p + d(k − 1) + op + 1`.
  /// - Precondition: floating tensors of one dtype with the shapes above; a positive output size.
  public static func convTranspose1d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, outputPadding: Int = 0,
    groups: Int = 1, dilation: Int = 1
  ) -> Tensor {
    check(
      (input.rank == 2 || input.rank == 3) && weight.rank == 3,
      "nn.functional.conv_transpose1d: expected an input [N, C, W] or [C, W] and a weight [C, O/groups, k], got \(input.shape) and \(weight.shape)")
    let y = convTranspose2d(
      input.unsqueezed(dim: -2), weight: weight.unsqueezed(dim: -2), bias: bias, stride: [1, stride], padding: [0, padding],
      outputPadding: [0, outputPadding], groups: groups, dilation: [1, dilation])
    return y.squeezed(dim: -2)
  }

  /// The 3-d convolution (cross-correlation) of a batch of volumes with a bank of filters, like
  /// `torch.nn.functional.conv3d`:
  /// ```
  /// y[n, o, a, b, e] = bias[o] + Σ_{c, i, j, l} weight[o, c, i, j, l]·x[n, g·C/G + c, a·sd + i·dd − pd, …]
  /// ```
  /// computed as a sum over the kernel's depth of
  /// ``conv2d(_:weight:bias:stride:padding:dilation:groups:)-(_,_,_,_,NN.Sizes,_,_)`` of the matching depth slices
  /// (the output depths folded into the batch).
  ///
  /// Derivative: bilinear in input and weight (the rules of conv2d, gather and sum); the bias
  /// gets `ḡ` summed.
  /// - Parameters:
  ///   - input: `[N, C, D, H, W]` or `[C, D, H, W]`.
  ///   - weight: `[O, C/G, kd, kh, kw]`.
  ///   - bias: `[O]`.
  ///   - stride: one value or three.
  ///   - padding: one value or three.
  ///   - dilation: one value or three.
  ///   - groups: `G`, which divides `C` and `O`.
  /// - Returns: `[N, O, od, oh, ow]` (or `[O, od, oh, ow]`), `od = ⌊(D + 2pd − dd(kd − 1) − 1)/sd⌋ + 1`.
  /// - Precondition: floating tensors of one dtype with the shapes above; the kernel fits.
  public static func conv3d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Sizes = 1, padding: Sizes = 0, dilation: Sizes = 1, groups: Int = 1
  ) -> Tensor {
    let op = "nn.functional.conv3d"
    check(
      (input.rank == 4 || input.rank == 5) && weight.rank == 5,
      "\(op): expected an input [N, C, D, H, W] or [C, D, H, W] and a weight [O, C/groups, kd, kh, kw], got \(input.shape) and \(weight.shape)")
    let x = input.rank == 5 ? input : input.unsqueezed(dim: 0)
    let (n, c, depth) = (x.shape[0], x.shape[1], x.shape[2])
    checkConvolution(input, weight: weight, bias: bias, channels: c, outputs: weight.shape[0], groups: groups, op: op)
    check(
      weight.shape[1] * groups == c,
      "\(op): weight \(weight.shape) expects \(weight.shape[1] * groups) input channels (\(weight.shape[1]) × \(groups) groups), input \(input.shape) has \(c)")
    let s = stride.expanded(3, "stride", op: op, minimum: 1), p = padding.expanded(3, "padding", op: op, minimum: 0)
    let d = dilation.expanded(3, "dilation", op: op, minimum: 1)
    let kd = weight.shape[2]
    let out = (depth + 2 * p[0] - d[0] * (kd - 1) - 1) / s[0] + 1
    check(
      kd > 0 && depth + 2 * p[0] - d[0] * (kd - 1) - 1 >= 0,
      "\(op): a window of kernel \(Array(weight.shape.suffix(3))), dilation \(d) does not fit in input \(input.shape) padded by \(p)")
    let padded = p[0] == 0 ? x : x.padded([0, 0, 0, 0, p[0], p[0]])
    var y: Tensor?
    for i in 0..<kd {
      let slices = padded.indexSelect(dim: 2, index: Tensor((0..<out).map { Int64(i * d[0] + $0 * s[0]) }))
      let batch = slices.movedim(2, to: 1).reshaped([n * out, c] + Array(x.shape.suffix(2)))
      let term = conv2d(
        batch, weight: weight.select(dim: 2, index: i), stride: [s[1], s[2]], padding: [p[1], p[2]], dilation: [d[1], d[2]], groups: groups)
      y = y.map { $0 + term } ?? term
    }
    var result = y!.reshaped([n, out] + Array(y!.shape.suffix(3))).movedim(1, to: 2)
    if let bias { result = result + bias.reshaped([weight.shape[0], 1, 1, 1]) }
    return input.rank == 5 ? result : result.squeezed(dim: 0)
  }
}

extension NN {
  /// The 3-d transposed convolution, like `torch.nn.functional.conv_transpose3d`: the adjoint
  /// of ``conv3d(_:weight:bias:stride:padding:dilation:groups:)-(_,_,_,_,NN.Sizes,_,_)``. Computed as a sum over the
  /// kernel's depth: ``convTranspose2d(_:weight:bias:stride:padding:outputPadding:groups:dilation:)``
  /// of every input depth slice (folded into the batch), placed at output depth
  /// `a·sd + i·dd − pd` by a 0/1 matrix along the depth.
  ///
  /// Derivative: bilinear in input and weight (the rules of convTranspose2d and matmul); the
  /// bias gets `ḡ` summed.
  /// - Parameters:
  ///   - input: `[N, C, D, H, W]` or `[C, D, H, W]`.
  ///   - weight: `[C, O/G, kd, kh, kw]`.
  ///   - bias: `[O]`.
  ///   - stride: as for the convolution this is the adjoint of (one value
  ///     or three).
  ///   - padding: as for the convolution this is the adjoint of (one value
  ///     or three).
  ///   - dilation: as for the convolution this is the adjoint of (one value
  ///     or three).
  ///   - outputPadding: extra planes on the far side of each dim, each smaller than the stride
  ///     or the dilation.
  ///   - groups: `G`, which divides `C` and `O`.
  /// - Returns: `[N, O, Dout, Hout, Wout]`, `Dout = (D − 1)·sd − 2pd + dd(kd − 1) + opd + 1`.
  /// - Precondition: floating tensors of one dtype with the shapes above; `outputPadding`
  ///   smaller than the stride or the dilation; a positive output size.
  public static func convTranspose3d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Sizes = 1, padding: Sizes = 0, outputPadding: Sizes = 0,
    groups: Int = 1, dilation: Sizes = 1
  ) -> Tensor {
    let op = "nn.functional.conv_transpose3d"
    check(
      (input.rank == 4 || input.rank == 5) && weight.rank == 5,
      "\(op): expected an input [N, C, D, H, W] or [C, D, H, W] and a weight [C, O/groups, kd, kh, kw], got \(input.shape) and \(weight.shape)")
    let x = input.rank == 5 ? input : input.unsqueezed(dim: 0)
    let (n, c, depth) = (x.shape[0], x.shape[1], x.shape[2])
    let o = weight.shape[1] * groups
    checkConvolution(input, weight: weight, bias: bias, channels: c, outputs: o, groups: groups, op: op)
    check(weight.shape[0] == c, "\(op): weight \(weight.shape) expects \(weight.shape[0]) input channels, input \(input.shape) has \(c)")
    let s = stride.expanded(3, "stride", op: op, minimum: 1), p = padding.expanded(3, "padding", op: op, minimum: 0)
    let d = dilation.expanded(3, "dilation", op: op, minimum: 1), extra = outputPadding.expanded(3, "outputPadding", op: op, minimum: 0)
    let kd = weight.shape[2]
    check(
      extra[0] < s[0] || extra[0] < d[0], "\(op): outputPadding \(extra) must be smaller than the stride \(s) or the dilation \(d)")
    let out = (depth - 1) * s[0] - 2 * p[0] + d[0] * (kd - 1) + extra[0] + 1
    check(kd > 0 && out > 0, "\(op): input \(input.shape) with kernel \(Array(weight.shape.suffix(3))) gives the output depth \(out)")
    let batch = x.movedim(2, to: 1).reshaped([n * depth, c] + Array(x.shape.suffix(2)))
    var y: Tensor?
    for i in 0..<kd {
      let planes = convTranspose2d(
        batch, weight: weight.select(dim: 2, index: i), stride: [s[1], s[2]], padding: [p[1], p[2]],
        outputPadding: [extra[1], extra[2]], groups: groups, dilation: [d[1], d[2]])
      let z = planes.reshaped([n, depth] + Array(planes.shape.suffix(3))).movedim(1, to: 2)
      var placement = [Double](repeating: 0, count: out * depth)
      for a in 0..<depth {
        let t = a * s[0] + i * d[0] - p[0]
        if t >= 0 && t < out { placement[t * depth + a] = 1 }
      }
      let term = along(z, dim: 2, Tensor(shape: [out, depth], scalars: placement).converted(to: x.dtype))
      y = y.map { $0 + term } ?? term
    }
    var result = y!
    if let bias { result = result + bias.reshaped([o, 1, 1, 1]) }
    return input.rank == 5 ? result : result.squeezed(dim: 0)
  }
}
