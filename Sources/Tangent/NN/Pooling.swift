import ComplexModule
import RealModule

extension NN {
  /// The windows of a pooling op, PyTorch's `pooling_output_shape`: with `ceilMode` the last
  /// partial window counts, unless it would start in the padding after the input. The padding
  /// after is set so that the windows' extent is exactly covered.
  static func poolGeometry(
    _ input: Tensor, kernelSize: Sizes, stride: Sizes?, padding: Sizes, dilation: Sizes, ceilMode: Bool, maxPadding: (Int, Int) -> Int,
    op: String
  ) -> PatchGeometry {
    check(
      (input.rank == 3 || input.rank == 4) && input.dtype.isFloatingPoint && !input.dtype.isComplex,
      "\(op): expected a real floating input [N, C, H, W] or [C, H, W], got \(input.dtype) \(input.shape)")
    var g = geometry(kernelSize: kernelSize, dilation: dilation, padding: padding, stride: stride ?? kernelSize, op: op)
    let size = Array(input.shape.suffix(2))
    for d in 0..<2 {
      let (k, s, p, dil) = (g.kernel[d], g.stride[d], g.padBefore[d], g.dilation[d])
      check(
        p <= maxPadding(k, dil), "\(op): padding \(g.padBefore) must be at most half of the kernel \(g.kernel) (dilation \(g.dilation))")
      let span = size[d] + 2 * p - dil * (k - 1) - 1
      var out = (ceilMode ? span + s - 1 : span) / s + 1
      if span < 0 { out = 0 }
      if ceilMode && out > 0 && (out - 1) * s >= size[d] + p { out -= 1 }
      check(out > 0, "\(op): a window of kernel \(g.kernel), dilation \(g.dilation) does not fit in input \(input.shape) padded by \(g.padBefore)")
      g.padAfter[d] = (out - 1) * s + dil * (k - 1) + 1 - size[d] - p
    }
    return g
  }

  /// The windows of `x` under `g` as `[…, C, kh·kw, oh, ow]`, the input padded with `value`.
  static func poolWindows(_ x: Tensor, _ g: PatchGeometry, padValue: Double) -> Tensor {
    var geometry = g, source = x
    if padValue != 0 {
      // Pad explicitly with the value; the windows then need no padding of their own.
      source = x.padded([g.padBefore[1], g.padAfter[1], g.padBefore[0], g.padAfter[0]], value: padValue)
      geometry.padBefore = [0, 0]
      geometry.padAfter = [0, 0]
    }
    let blocks = g.blocks(Array(x.shape.suffix(2)))
    let lead = Array(x.shape.dropLast(2))
    return Tensor.apply(UnfoldOp(geometry: geometry), source).reshaped(lead + [g.kernelCount] + blocks)
  }

  /// The 2-d max pooling of a batch of images, like `torch.nn.functional.max_pool2d`:
  /// ```
  /// y[n, c, a, b] = max_{i, j} x[n, c, a·sh + i·dh − ph, b·sw + j·dw − pw]
  /// ```
  /// over each window, the padding counting as −∞.
  ///
  /// Derivative: the gradient of each output goes to the first element that attains the
  /// window's maximum (PyTorch's choice on ties); the JVP picks the tangent there.
  /// - Parameters:
  ///   - input: `[N, C, H, W]` or `[C, H, W]`.
  ///   - kernelSize: the window size.
  ///   - stride: the step between windows; the kernel size by default.
  ///   - padding: −∞ added on both sides, at most half the (dilated) kernel.
  ///   - dilation: the spacing of window elements.
  ///   - ceilMode: round the number of windows up rather than down.
  /// - Returns: `[N, C, oh, ow]` (or `[C, oh, ow]`).
  /// - Precondition: a real floating input of 3 or 4 dims; sizes positive, padding at most
  ///   half the kernel; at least one window fits.
  public static func maxPool2d(
    _ input: Tensor, kernelSize: Sizes, stride: Sizes? = nil, padding: Sizes = 0, dilation: Sizes = 1, ceilMode: Bool = false
  ) -> Tensor {
    maxPooled(input, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode).values
  }

  /// ``maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)`` with the position of each
  /// maximum, like `max_pool2d(…, return_indices=True)`: the flat index `h·W + w` into the
  /// input's spatial dims.
  ///
  /// Derivative: that of `maxPool2d` for the values; the indices have none.
  /// - Returns: the values and `int64` indices, both `[N, C, oh, ow]` (or `[C, oh, ow]`).
  public static func maxPool2dWithIndices(
    _ input: Tensor, kernelSize: Sizes, stride: Sizes? = nil, padding: Sizes = 0, dilation: Sizes = 1, ceilMode: Bool = false
  ) -> (values: Tensor, indices: Tensor) {
    let (values, kernelIndex, g) = maxPooled(
      input, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    // Window element k = i·kw + j of block (a, b) is input position (a·sh + i·dh − ph, b·sw + j·dw − pw).
    let w = input.shape[input.rank - 1]
    let blocks = Array(values.shape.suffix(2))
    let flat = kernelIndex.scalars(as: Int64.self).enumerated().map { position, k -> Int64 in
      let b = position % blocks[1], a = position / blocks[1] % blocks[0]
      let (i, j) = (Int(k) / g.kernel[1], Int(k) % g.kernel[1])
      let row = a * g.stride[0] + i * g.dilation[0] - g.padBefore[0]
      let column = b * g.stride[1] + j * g.dilation[1] - g.padBefore[1]
      return Int64(row * w + column)
    }
    return (values, Tensor(shape: values.shape, scalars: flat))
  }

  /// The maxima of the windows, the index of each within its window, and the geometry.
  static func maxPooled(
    _ input: Tensor, kernelSize: Sizes, stride: Sizes?, padding: Sizes, dilation: Sizes, ceilMode: Bool,
    op: String = "nn.functional.max_pool2d"
  ) -> (values: Tensor, kernelIndex: Tensor, geometry: PatchGeometry) {
    let g = poolGeometry(
      input, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode,
      maxPadding: { k, d in ((k - 1) * d + 1) / 2 }, op: op)
    let (values, kernelIndex) = poolWindows(input, g, padValue: -.infinity).max(dim: -3)
    return (values, kernelIndex, g)
  }

  /// The 1-d max pooling of a batch of signals, like `torch.nn.functional.max_pool1d`: the
  /// maximum of each window `x[n, c, a·s + i·d − p]`, the padding counting as −∞. Computed as
  /// ``maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)`` with a height of 1.
  ///
  /// Derivative: the gradient goes to the first maximum of each window.
  /// - Parameters:
  ///   - input: `[N, C, W]` or `[C, W]`.
  ///   - kernelSize: the window size.
  ///   - stride: the step between windows; the kernel size by default.
  ///   - padding: at most half the (dilated) kernel.
  ///   - dilation: the spacing of window elements.
  ///   - ceilMode: round the number of windows up rather than down.
  /// - Returns: `[N, C, ow]` (or `[C, ow]`).
  /// - Precondition: a real floating input of 2 or 3 dims; at least one window fits.
  public static func maxPool1d(
    _ input: Tensor, kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1, ceilMode: Bool = false
  ) -> Tensor {
    check(input.rank == 2 || input.rank == 3, "nn.functional.max_pool1d: expected an input [N, C, W] or [C, W], got \(input.shape)")
    let y = maxPooled(
      input.unsqueezed(dim: -2), kernelSize: [1, kernelSize], stride: [1, stride ?? kernelSize], padding: [0, padding],
      dilation: [1, dilation], ceilMode: ceilMode, op: "nn.functional.max_pool1d")
    return y.values.squeezed(dim: -2)
  }

  /// The 2-d average pooling of a batch of images, like `torch.nn.functional.avg_pool2d`: the
  /// mean of each window `x[n, c, a·sh + i − ph, b·sw + j − pw]`, the padding counting as 0.
  ///
  /// The divisor of each window is `kh·kw` with `countIncludePad` (the default) — less for a
  /// window that runs past the padding in ceil mode — or the number of input elements it
  /// covers without; `divisorOverride` replaces it.
  ///
  /// Derivative: linear; the VJP spreads each output's cotangent evenly (divided by its
  /// divisor) over its window.
  /// - Parameters:
  ///   - input: `[N, C, H, W]` or `[C, H, W]`.
  ///   - kernelSize: the window size.
  ///   - stride: the step between windows; the kernel size by default.
  ///   - padding: zeros added on both sides, at most half the kernel.
  ///   - ceilMode: round the number of windows up rather than down.
  ///   - countIncludePad: whether the padding counts in the divisor.
  ///   - divisorOverride: a divisor for every window.
  /// - Returns: `[N, C, oh, ow]` (or `[C, oh, ow]`).
  /// - Precondition: a real floating input of 3 or 4 dims; sizes positive, padding at most
  ///   half the kernel; at least one window fits; a non-zero `divisorOverride`.
  public static func avgPool2d(
    _ input: Tensor, kernelSize: Sizes, stride: Sizes? = nil, padding: Sizes = 0, ceilMode: Bool = false,
    countIncludePad: Bool = true, divisorOverride: Int? = nil
  ) -> Tensor {
    let op = "nn.functional.avg_pool2d"
    check(divisorOverride != 0, "\(op): divisorOverride must not be zero")
    let g = poolGeometry(
      input, kernelSize: kernelSize, stride: stride, padding: padding, dilation: 1, ceilMode: ceilMode, maxPadding: { k, _ in k / 2 }, op: op)
    let sums = poolWindows(input, g, padValue: 0).sum(dim: -3)
    if let divisorOverride { return sums / Double(divisorOverride) }
    // The divisor of each window, per dim: its extent clipped to the padded input, or to the
    // input without countIncludePad.
    let size = Array(input.shape.suffix(2)), blocks = Array(sums.shape.suffix(2))
    let counts = (0..<2).map { d in
      (0..<blocks[d]).map { a -> Int in
        let start = a * g.stride[d] - g.padBefore[d]
        let end = Swift.min(start + g.kernel[d], size[d] + g.padBefore[d])
        return countIncludePad ? end - start : Swift.min(end, size[d]) - Swift.max(start, 0)
      }
    }
    let divisor = counts[0].flatMap { r in counts[1].map { Double(r * $0) } }
    if Set(divisor).count == 1 { return sums / divisor[0] }
    return sums / Tensor(shape: blocks, scalars: divisor).converted(to: input.dtype)
  }

  /// The 2-d adaptive average pooling, like `torch.nn.functional.adaptive_avg_pool2d`: output
  /// cell `(a, b)` of an `[oh, ow]` grid is the mean of the input rows
  /// `⌊a·H/oh⌋ ..< ⌈(a + 1)·H/oh⌉` and the columns likewise.
  ///
  /// Computed as `Aₕ · x · A_wᵀ` with the averaging matrices `Aₕ` (`[oh, H]`) and `A_w`.
  ///
  /// Derivative: linear; the rules of matmul.
  /// - Parameters:
  ///   - input: `[N, C, H, W]` or `[C, H, W]`.
  ///   - outputSize: `[oh, ow]`; `nil` keeps the input's size in that dim.
  /// - Returns: `[N, C, oh, ow]` (or `[C, oh, ow]`).
  /// - Precondition: a real floating input of 3 or 4 dims; positive output sizes.
  public static func adaptiveAvgPool2d(_ input: Tensor, outputSize: [Int?]) -> Tensor {
    let op = "nn.functional.adaptive_avg_pool2d"
    check(
      (input.rank == 3 || input.rank == 4) && input.dtype.isFloatingPoint && !input.dtype.isComplex,
      "\(op): expected a real floating input [N, C, H, W] or [C, H, W], got \(input.dtype) \(input.shape)")
    check(outputSize.count == 2, "\(op): outputSize \(outputSize) must have 2 values")
    let size = Array(input.shape.suffix(2))
    let out = (0..<2).map { outputSize[$0] ?? size[$0] }
    check(out.allSatisfy { $0 > 0 }, "\(op): outputSize \(outputSize) must be positive")
    return averagingMatrix(size[0], out[0], dtype: input.dtype).matmul(input).matmul(averagingMatrix(size[1], out[1], dtype: input.dtype).mT)
  }

  /// ``adaptiveAvgPool2d(_:outputSize:)`` with a square output `[outputSize, outputSize]`.
  public static func adaptiveAvgPool2d(_ input: Tensor, outputSize: Int) -> Tensor {
    adaptiveAvgPool2d(input, outputSize: [outputSize, outputSize])
  }
}
