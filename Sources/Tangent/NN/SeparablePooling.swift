import ComplexModule
import RealModule

// Pooling of 1 and 3 spatial dims, and adaptive max pooling, computed one spatial dim at a
// time: the maximum over a box is the maximum over each dim in turn, and the sum over a box
// is the sum over each dim in turn, so every pool is a chain of 1-d window ops, each a gather
// and a max (or a matrix product) of differentiable tensor ops.

extension NN {
  /// The windows of one spatial dim of size `n`: the valid input positions of each window,
  /// in order (positions in the padding are left out).
  struct Windows {
    var positions: [[Int]]
  }

  /// The windows of a pooling op along one dim (PyTorch's `pooling_output_shape`): kernel
  /// `k`, stride `s`, padding `p`, dilation `d`; with `ceilMode` the last partial window
  /// counts unless it starts in the padding after the input.
  static func windows(
    _ n: Int, kernel k: Int, stride s: Int, padding p: Int, dilation d: Int, ceilMode: Bool, shape: [Int], op: String
  ) -> Windows {
    let span = n + 2 * p - d * (k - 1) - 1
    var out = span < 0 ? 0 : (ceilMode ? span + s - 1 : span) / s + 1
    if ceilMode && out > 0 && (out - 1) * s >= n + p { out -= 1 }
    check(out > 0, "\(op): a window of kernel \(k), dilation \(d) does not fit in input \(shape) padded by \(p)")
    let positions = (0..<out).map { a in (0..<k).map { a * s + $0 * d - p }.filter { $0 >= 0 && $0 < n } }
    check(positions.allSatisfy { !$0.isEmpty }, "\(op): a window of kernel \(k), dilation \(d) lies in the padding \(p) of input \(shape)")
    return Windows(positions: positions)
  }

  /// The windows of adaptive pooling from `n` to `m`: `⌊a·n/m⌋ ..< ⌈(a + 1)·n/m⌉`.
  static func adaptiveWindows(_ n: Int, _ m: Int) -> Windows {
    Windows(positions: (0..<m).map { a in Array(a * n / m..<((a + 1) * n + m - 1) / m) })
  }

  /// The maximum of `x` over each window along dim `d`: one gather of the windows (a short
  /// window repeats its first position, which leaves its maximum alone) and a max.
  static func windowMax(_ x: Tensor, dim d: Int, _ w: Windows) -> Tensor {
    let length = w.positions.map(\.count).max() ?? 1
    let index = w.positions.flatMap { p in p + [Int](repeating: p[0], count: length - p.count) }.map(Int64.init)
    var shape = x.shape
    shape.replaceSubrange(d...d, with: [w.positions.count, length])
    return x.indexSelect(dim: d, index: Tensor(index)).reshaped(shape).max(dim: d + 1).values
  }

  /// ``windowMax(_:dim:_:)`` that also carries, for every element, the flat spatial index of
  /// the input element its value came from: `source` (int64, the shape of `x`) is gathered
  /// like `x` and then picked at each window's argmax.
  static func windowMaxTracking(_ x: Tensor, source: Tensor, dim d: Int, _ w: Windows) -> (values: Tensor, source: Tensor) {
    let length = w.positions.map(\.count).max() ?? 1
    let index = Tensor(w.positions.flatMap { p in p + [Int](repeating: p[0], count: length - p.count) }.map(Int64.init))
    var shape = x.shape
    shape.replaceSubrange(d...d, with: [w.positions.count, length])
    let (values, argmax) = x.indexSelect(dim: d, index: index).reshaped(shape).max(dim: d + 1)
    let candidates = source.indexSelect(dim: d, index: index).reshaped(shape)
    return (values, candidates.gather(dim: d + 1, index: argmax.unsqueezed(dim: d + 1)).squeezed(dim: d + 1))
  }

  /// The flat index of every element among the last `spatial` dims of `input`, broadcast to
  /// its shape (int64): `d·H·W + h·W + w` for 3 spatial dims, as PyTorch's pooling indices.
  static func flatSpatialIndex(_ input: Tensor, spatial: Int) -> Tensor {
    let size = Array(input.shape.suffix(spatial))
    let count = size.reduce(1, *)
    return Tensor((0..<Int64(count)).map { $0 }).reshaped(size).expanded(to: input.shape).contiguousCopy()
  }

  /// Max pooling over the last `spatial` dims, one dim at a time, with the flat spatial index
  /// of each maximum in the input (PyTorch's `return_indices`). Where a window's maximum is
  /// unique the index is PyTorch's; on exact ties the first along each dim in turn is taken.
  static func trackedMaxPool(_ input: Tensor, spatial: Int, windows: [Windows]) -> (values: Tensor, indices: Tensor) {
    var y = input, source = flatSpatialIndex(input, spatial: spatial)
    for i in 0..<spatial {
      (y, source) = windowMaxTracking(y, source: source, dim: input.rank - spatial + i, windows[i])
    }
    return (y, source)
  }

  /// The sum of `x` over each window along dim `d`, as a product with a 0/1 matrix.
  static func windowSum(_ x: Tensor, dim d: Int, _ w: Windows) -> Tensor {
    let n = x.shape[d]
    var a = [Double](repeating: 0, count: w.positions.count * n)
    for (i, p) in w.positions.enumerated() { for j in p { a[i * n + j] = 1 } }
    return along(x, dim: d, Tensor(shape: [w.positions.count, n], scalars: a).converted(to: x.dtype))
  }

  /// Checks a real floating input with `spatial` spatial dims, batched or not.
  static func checkPoolInput(_ input: Tensor, spatial: Int, op: String) {
    let names = ["[N, C, W] or [C, W]", "[N, C, H, W] or [C, H, W]", "[N, C, D, H, W] or [C, D, H, W]"][spatial - 1]
    check(
      (input.rank == spatial + 1 || input.rank == spatial + 2) && input.dtype.isFloatingPoint && !input.dtype.isComplex,
      "\(op): expected a real floating input \(names), got \(input.dtype) \(input.shape)")
  }

  /// Max pooling over the last `spatial` dims, one dim at a time.
  static func separableMaxPool(
    _ input: Tensor, spatial: Int, kernelSize: Sizes, stride: Sizes?, padding: Sizes, dilation: Sizes, ceilMode: Bool, op: String
  ) -> Tensor {
    let w = maxPoolWindows(input, spatial: spatial, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode, op: op)
    var y = input
    for i in 0..<spatial { y = windowMax(y, dim: input.rank - spatial + i, w[i]) }
    return y
  }

  /// The windows of each spatial dim of a max pool, after checking the arguments.
  static func maxPoolWindows(
    _ input: Tensor, spatial: Int, kernelSize: Sizes, stride: Sizes?, padding: Sizes, dilation: Sizes, ceilMode: Bool, op: String
  ) -> [Windows] {
    checkPoolInput(input, spatial: spatial, op: op)
    let k = kernelSize.expanded(spatial, "kernelSize", op: op, minimum: 1)
    let s = (stride ?? kernelSize).expanded(spatial, "stride", op: op, minimum: 1)
    let p = padding.expanded(spatial, "padding", op: op, minimum: 0)
    let dil = dilation.expanded(spatial, "dilation", op: op, minimum: 1)
    return (0..<spatial).map { i in
      check(
        p[i] <= ((k[i] - 1) * dil[i] + 1) / 2, "\(op): padding \(p) must be at most half of the kernel \(k) (dilation \(dil))")
      let d = input.rank - spatial + i
      return windows(
        input.shape[d], kernel: k[i], stride: s[i], padding: p[i], dilation: dil[i], ceilMode: ceilMode, shape: input.shape, op: op)
    }
  }

  /// Average pooling over the last `spatial` dims: the window sums one dim at a time, divided
  /// by the product of the per-dim divisors.
  static func separableAvgPool(
    _ input: Tensor, spatial: Int, kernelSize: Sizes, stride: Sizes?, padding: Sizes, ceilMode: Bool, countIncludePad: Bool,
    divisorOverride: Int?, op: String
  ) -> Tensor {
    checkPoolInput(input, spatial: spatial, op: op)
    check(divisorOverride != 0, "\(op): divisorOverride must not be zero")
    let k = kernelSize.expanded(spatial, "kernelSize", op: op, minimum: 1)
    let s = (stride ?? kernelSize).expanded(spatial, "stride", op: op, minimum: 1)
    let p = padding.expanded(spatial, "padding", op: op, minimum: 0)
    var y = input
    var divisor = Tensor(1.0)
    for i in 0..<spatial {
      check(p[i] <= k[i] / 2, "\(op): padding \(p) must be at most half of the kernel \(k)")
      let d = input.rank - spatial + i, n = input.shape[d]
      let w = windows(n, kernel: k[i], stride: s[i], padding: p[i], dilation: 1, ceilMode: ceilMode, shape: input.shape, op: op)
      y = windowSum(y, dim: d, w)
      // The divisor along this dim: the window clipped to the padded input, or to the input.
      let counts = (0..<w.positions.count).map { a -> Double in
        let start = a * s[i] - p[i], end = Swift.min(start + k[i], n + p[i])
        return Double(countIncludePad ? end - start : Swift.min(end, n) - Swift.max(start, 0))
      }
      divisor = divisor.unsqueezed(dim: -1) * Tensor(counts)
    }
    if let divisorOverride { return y / Double(divisorOverride) }
    return y / divisor.converted(to: input.dtype)
  }

  /// The 1-d average pooling of a batch of signals, like `torch.nn.functional.avg_pool1d`: the
  /// mean of each window `x[n, c, a·s + i − p]`, the padding counting as 0.
  ///
  /// The divisor of each window is `k` with `countIncludePad` (the default) — less for a window
  /// that runs past the padding in ceil mode — or the number of input elements it covers.
  ///
  /// Derivative: linear; the VJP spreads each output's cotangent evenly over its window.
  /// - Parameters:
  ///   - input: `[N, C, W]` or `[C, W]`.
  ///   - kernelSize: the window size.
  ///   - stride: the step between windows; the kernel size by default.
  ///   - padding: zeros added on both sides, at most half the kernel.
  ///   - ceilMode: round the number of windows up rather than down.
  ///   - countIncludePad: whether the padding counts in the divisor.
  /// - Returns: `[N, C, ow]` (or `[C, ow]`).
  /// - Precondition: a real floating input of 2 or 3 dims; sizes positive, padding at most
  ///   half the kernel; at least one window fits.
  public static func avgPool1d(
    _ input: Tensor, kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false, countIncludePad: Bool = true
  ) -> Tensor {
    separableAvgPool(
      input, spatial: 1, kernelSize: Sizes(kernelSize), stride: stride.map { Sizes($0) }, padding: Sizes(padding), ceilMode: ceilMode,
      countIncludePad: countIncludePad, divisorOverride: nil, op: "nn.functional.avg_pool1d")
  }

  /// The 3-d average pooling of a batch of volumes, like `torch.nn.functional.avg_pool3d`: the
  /// mean of each window, the padding counting as 0, with the divisors of
  /// ``avgPool2d(_:kernelSize:stride:padding:ceilMode:countIncludePad:divisorOverride:)``.
  ///
  /// Derivative: linear; the VJP spreads each output's cotangent evenly over its window.
  /// - Parameters:
  ///   - input: `[N, C, D, H, W]` or `[C, D, H, W]`.
  ///   - kernelSize: the window size (one value or three).
  ///   - stride: the step between windows; the kernel size by default.
  ///   - padding: zeros added on both sides, at most half the kernel.
  ///   - ceilMode: round the number of windows up rather than down.
  ///   - countIncludePad: whether the padding counts in the divisor.
  ///   - divisorOverride: a divisor for every window.
  /// - Returns: `[N, C, od, oh, ow]` (or `[C, od, oh, ow]`).
  /// - Precondition: a real floating input of 4 or 5 dims; sizes positive, padding at most
  ///   half the kernel; at least one window fits; a non-zero `divisorOverride`.
  public static func avgPool3d(
    _ input: Tensor, kernelSize: Sizes, stride: Sizes? = nil, padding: Sizes = 0, ceilMode: Bool = false,
    countIncludePad: Bool = true, divisorOverride: Int? = nil
  ) -> Tensor {
    separableAvgPool(
      input, spatial: 3, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
      countIncludePad: countIncludePad, divisorOverride: divisorOverride, op: "nn.functional.avg_pool3d")
  }

  /// The 3-d max pooling of a batch of volumes, like `torch.nn.functional.max_pool3d`: the
  /// maximum of each window `x[n, c, a·sd + i·dd − pd, b·sh + j·dh − ph, e·sw + l·dw − pw]`, the
  /// padding counting as −∞.
  ///
  /// Derivative: the gradient of each output goes to the element that attains its window's
  /// maximum (the first along each dim on ties); the JVP picks the tangent there.
  /// - Parameters:
  ///   - input: `[N, C, D, H, W]` or `[C, D, H, W]`.
  ///   - kernelSize: the window size (one value or three).
  ///   - stride: the step between windows; the kernel size by default.
  ///   - padding: at most half the (dilated) kernel.
  ///   - dilation: the spacing of window elements.
  ///   - ceilMode: round the number of windows up rather than down.
  /// - Returns: `[N, C, od, oh, ow]` (or `[C, od, oh, ow]`).
  /// - Precondition: a real floating input of 4 or 5 dims; sizes positive, padding at most
  ///   half the kernel; at least one window fits.
  public static func maxPool3d(
    _ input: Tensor, kernelSize: Sizes, stride: Sizes? = nil, padding: Sizes = 0, dilation: Sizes = 1, ceilMode: Bool = false
  ) -> Tensor {
    separableMaxPool(
      input, spatial: 3, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode,
      op: "nn.functional.max_pool3d")
  }

  /// The output sizes of an adaptive pool: `nil` keeps the input's size.
  static func adaptiveSizes(_ input: Tensor, _ outputSize: [Int?], spatial: Int, op: String) -> [Int] {
    checkPoolInput(input, spatial: spatial, op: op)
    check(outputSize.count == spatial, "\(op): outputSize \(outputSize) must have \(spatial) values")
    let size = Array(input.shape.suffix(spatial))
    let out = (0..<spatial).map { outputSize[$0] ?? size[$0] }
    check(out.allSatisfy { $0 > 0 }, "\(op): outputSize \(outputSize) must be positive")
    return out
  }

  /// Adaptive max pooling over the last `spatial` dims.
  static func adaptiveMaxPool(_ input: Tensor, outputSize: [Int?], spatial: Int, op: String) -> Tensor {
    let out = adaptiveSizes(input, outputSize, spatial: spatial, op: op)
    var y = input
    for i in 0..<spatial {
      let d = input.rank - spatial + i
      y = windowMax(y, dim: d, adaptiveWindows(input.shape[d], out[i]))
    }
    return y
  }

  /// Adaptive max pooling over the last `spatial` dims, with the flat spatial index of each
  /// maximum.
  static func adaptiveMaxPoolWithIndices(_ input: Tensor, outputSize: [Int?], spatial: Int, op: String) -> (values: Tensor, indices: Tensor) {
    let out = adaptiveSizes(input, outputSize, spatial: spatial, op: op)
    let w = (0..<spatial).map { i in adaptiveWindows(input.shape[input.rank - spatial + i], out[i]) }
    return trackedMaxPool(input, spatial: spatial, windows: w)
  }

  /// The 1-d adaptive average pooling, like `torch.nn.functional.adaptive_avg_pool1d`: output
  /// cell `a` of `outputSize` is the mean of the inputs `⌊a·W/o⌋ ..< ⌈(a + 1)·W/o⌉`.
  ///
  /// Derivative: linear; the rules of matmul with the averaging matrix.
  /// - Parameters:
  ///   - input: `[N, C, W]` or `[C, W]`.
  ///   - outputSize: the number of output cells.
  /// - Returns: `[N, C, outputSize]` (or `[C, outputSize]`).
  /// - Precondition: a real floating input of 2 or 3 dims; a positive output size.
  public static func adaptiveAvgPool1d(_ input: Tensor, outputSize: Int) -> Tensor {
    let out = adaptiveSizes(input, [outputSize], spatial: 1, op: "nn.functional.adaptive_avg_pool1d")
    return along(input, dim: input.rank - 1, averagingMatrix(input.shape[input.rank - 1], out[0], dtype: input.dtype))
  }

  /// The 3-d adaptive average pooling, like `torch.nn.functional.adaptive_avg_pool3d`: each
  /// output cell is the mean of the input cells `⌊a·D/od⌋ ..< ⌈(a + 1)·D/od⌉` in each dim.
  ///
  /// Derivative: linear; the rules of matmul with the averaging matrices.
  /// - Parameters:
  ///   - input: `[N, C, D, H, W]` or `[C, D, H, W]`.
  ///   - outputSize: `[od, oh, ow]`; `nil` keeps the input's size in that dim.
  /// - Returns: `[N, C, od, oh, ow]` (or `[C, od, oh, ow]`).
  /// - Precondition: a real floating input of 4 or 5 dims; positive output sizes.
  public static func adaptiveAvgPool3d(_ input: Tensor, outputSize: [Int?]) -> Tensor {
    let out = adaptiveSizes(input, outputSize, spatial: 3, op: "nn.functional.adaptive_avg_pool3d")
    var y = input
    for i in 0..<3 {
      let d = input.rank - 3 + i
      y = along(y, dim: d, averagingMatrix(input.shape[d], out[i], dtype: input.dtype))
    }
    return y
  }

  /// ``adaptiveAvgPool3d(_:outputSize:)`` with a cubic output.
  public static func adaptiveAvgPool3d(_ input: Tensor, outputSize: Int) -> Tensor {
    adaptiveAvgPool3d(input, outputSize: [outputSize, outputSize, outputSize])
  }

  /// The 1-d adaptive max pooling, like `torch.nn.functional.adaptive_max_pool1d`: output cell
  /// `a` is the maximum of the inputs `⌊a·W/o⌋ ..< ⌈(a + 1)·W/o⌉`.
  ///
  /// Derivative: the gradient of each output goes to its window's maximum.
  /// - Parameters:
  ///   - input: `[N, C, W]` or `[C, W]`.
  ///   - outputSize: the number of output cells.
  /// - Returns: `[N, C, outputSize]` (or `[C, outputSize]`).
  /// - Precondition: a real floating input of 2 or 3 dims; a positive output size.
  public static func adaptiveMaxPool1d(_ input: Tensor, outputSize: Int) -> Tensor {
    adaptiveMaxPool(input, outputSize: [outputSize], spatial: 1, op: "nn.functional.adaptive_max_pool1d")
  }

  /// The 2-d adaptive max pooling, like `torch.nn.functional.adaptive_max_pool2d`: output cell
  /// `(a, b)` is the maximum of the rows `⌊a·H/oh⌋ ..< ⌈(a + 1)·H/oh⌉` and the columns likewise.
  ///
  /// Derivative: the gradient of each output goes to its window's maximum (the first along
  /// each dim on ties).
  /// - Parameters:
  ///   - input: `[N, C, H, W]` or `[C, H, W]`.
  ///   - outputSize: `[oh, ow]`; `nil` keeps the input's size in that dim.
  /// - Returns: `[N, C, oh, ow]` (or `[C, oh, ow]`).
  /// - Precondition: a real floating input of 3 or 4 dims; positive output sizes.
  public static func adaptiveMaxPool2d(_ input: Tensor, outputSize: [Int?]) -> Tensor {
    adaptiveMaxPool(input, outputSize: outputSize, spatial: 2, op: "nn.functional.adaptive_max_pool2d")
  }

  /// ``adaptiveMaxPool2d(_:outputSize:)`` with a square output.
  public static func adaptiveMaxPool2d(_ input: Tensor, outputSize: Int) -> Tensor {
    adaptiveMaxPool2d(input, outputSize: [outputSize, outputSize])
  }

  /// The 3-d adaptive max pooling, like `torch.nn.functional.adaptive_max_pool3d`: each output
  /// cell is the maximum of the input cells `⌊a·D/od⌋ ..< ⌈(a + 1)·D/od⌉` in each dim.
  ///
  /// Derivative: the gradient of each output goes to its window's maximum (the first along
  /// each dim on ties).
  /// - Parameters:
  ///   - input: `[N, C, D, H, W]` or `[C, D, H, W]`.
  ///   - outputSize: `[od, oh, ow]`; `nil` keeps the input's size in that dim.
  /// - Returns: `[N, C, od, oh, ow]` (or `[C, od, oh, ow]`).
  /// - Precondition: a real floating input of 4 or 5 dims; positive output sizes.
  public static func adaptiveMaxPool3d(_ input: Tensor, outputSize: [Int?]) -> Tensor {
    adaptiveMaxPool(input, outputSize: outputSize, spatial: 3, op: "nn.functional.adaptive_max_pool3d")
  }

  /// ``adaptiveMaxPool3d(_:outputSize:)`` with a cubic output.
  public static func adaptiveMaxPool3d(_ input: Tensor, outputSize: Int) -> Tensor {
    adaptiveMaxPool3d(input, outputSize: [outputSize, outputSize, outputSize])
  }
}
