import ComplexModule
import RealModule

extension NN {
  /// How ``interpolate(_:size:scaleFactor:mode:alignCorners:recomputeScaleFactor:)`` samples
  /// the input, as PyTorch's `mode`.
  public enum InterpolationMode: String, Sendable, CaseIterable {
    /// The input element at `⌊dst·scale⌋`.
    case nearest
    /// The input element at `⌊(dst + ½)·scale⌋`, which centres the pixels.
    case nearestExact = "nearest-exact"
    /// Linear interpolation, for 3-d inputs `[N, C, W]`.
    case linear
    /// Linear interpolation in each of two spatial dims, for 4-d inputs.
    case bilinear
    /// Cubic convolution (Keys, a = −0.75) in each of two spatial dims, for 4-d inputs.
    case bicubic
    /// Linear interpolation in each of three spatial dims, for 5-d inputs.
    case trilinear
    /// The mean over each output cell's input region (adaptive average pooling).
    case area
  }

  /// Resamples the spatial dims of a batch, like `torch.nn.functional.interpolate`: the input
  /// `[N, C, d₁, …]` (1 to 3 spatial dims) becomes `[N, C, o₁, …]`.
  ///
  /// Each mode is separable: it maps every spatial dim by a fixed `[oₖ, dₖ]` matrix (or, for
  /// the nearest modes, picks input indices), so the result is linear in the input. The
  /// source coordinate of output index `dst` is `dst·scale` with `alignCorners`
  /// (`scale = (d − 1)/(o − 1)`, corners on corners), otherwise `(dst + ½)·scale − ½`
  /// (`scale = 1/scaleFactor` when a scale factor is given, else `d/o`), as in PyTorch.
  ///
  /// Derivative: linear in the input; the VJP applies the transposed matrices (or adds the
  /// cotangent back to the picked indices).
  /// - Parameters:
  ///   - input: `[N, C, *]` with 1, 2 or 3 spatial dims (`linear` 1, `bilinear` and `bicubic`
  ///     2, `trilinear` 3).
  ///   - size: the output's spatial size; or
  ///   - scaleFactor: multipliers of the spatial size (one, or one per spatial dim); the
  ///     output size is `⌊d·s⌋`.
  ///   - mode: how to sample.
  ///   - alignCorners: for the linear and cubic modes only; `false` by default.
  ///   - recomputeScaleFactor: compute the scale from the sizes (`d/o`) even when a scale
  ///     factor is given.
  /// - Returns: `[N, C, o₁, …]`.
  /// - Precondition: a real floating input whose rank fits the mode; exactly one of `size`
  ///   and `scaleFactor`, with one value or one per spatial dim; positive output sizes;
  ///   `alignCorners` only for the linear and cubic modes.
  public static func interpolate(
    _ input: Tensor, size: Sizes? = nil, scaleFactor: [Double]? = nil, mode: InterpolationMode = .nearest, alignCorners: Bool? = nil,
    recomputeScaleFactor: Bool = false
  ) -> Tensor {
    let op = "nn.functional.interpolate"
    check(
      input.dtype.isFloatingPoint && !input.dtype.isComplex && (3...5).contains(input.rank),
      "\(op): expected a real floating input [N, C, *] with 1 to 3 spatial dims, got \(input.dtype) \(input.shape)")
    let spatial = input.rank - 2
    let needed: [InterpolationMode: Int] = [.linear: 1, .bilinear: 2, .bicubic: 2, .trilinear: 3]
    if let n = needed[mode] {
      check(n == spatial, "\(op): mode \(mode.rawValue) needs \(n) spatial dims (a \(n + 2)-d input), got input \(input.shape)")
    }
    let interpolating = mode == .linear || mode == .bilinear || mode == .bicubic || mode == .trilinear
    check(
      alignCorners == nil || interpolating,
      "\(op): alignCorners only applies to the linear, bilinear, bicubic and trilinear modes, not \(mode.rawValue)")
    check((size == nil) != (scaleFactor == nil), "\(op): give exactly one of size and scaleFactor")
    let inSize = Array(input.shape.suffix(spatial))
    var outSize: [Int], scales: [Double?]
    if let size {
      outSize = size.expanded(spatial, "size", op: op, minimum: 1)
      scales = [Double?](repeating: nil, count: spatial)
    } else {
      let factors = scaleFactor!.count == 1 ? [Double](repeating: scaleFactor![0], count: spatial) : scaleFactor!
      check(factors.count == spatial, "\(op): scaleFactor \(scaleFactor!) must have 1 or \(spatial) values")
      check(
        zip(inSize, factors).allSatisfy { $1.isFinite && $1 > 0 && Double($0) * $1 < 0x1p48 },
        "\(op): scaleFactor \(factors) must be finite and positive, and give a size that fits, for input \(input.shape)")
      outSize = zip(inSize, factors).map { Int((Double($0) * $1).rounded(.down)) }
      check(outSize.allSatisfy { $0 > 0 }, "\(op): scaleFactor \(factors) gives the output size \(outSize) for input \(input.shape)")
      scales = recomputeScaleFactor ? [Double?](repeating: nil, count: spatial) : factors
    }
    var y = input
    for k in 0..<spatial {
      let (n, m, d) = (inSize[k], outSize[k], k + 2)
      switch mode {
      case .nearest, .nearestExact:
        // PyTorch computes the nearest index in single precision.
        let scale = scales[k].map { Float(1 / $0) } ?? Float(n) / Float(m)
        let offset: Float = mode == .nearest ? 0 : 0.5
        let picks = (0..<m).map { Int64(Swift.min(Int(((Float($0) + offset) * scale).rounded(.down)), n - 1)) }
        y = y.indexSelect(dim: d, index: Tensor(picks))
      case .area:
        y = along(y, dim: d, averagingMatrix(n, m, dtype: input.dtype))
      default:
        y = along(y, dim: d, interpolationMatrix(n, m, scale: scales[k], alignCorners: alignCorners ?? false, cubic: mode == .bicubic, dtype: input.dtype))
      }
    }
    return y
  }

  /// Bilinear upsampling with aligned corners, like `torch.nn.functional.upsample_bilinear`:
  /// ``interpolate(_:size:scaleFactor:mode:alignCorners:recomputeScaleFactor:)`` with
  /// `mode: .bilinear, alignCorners: true`. Output pixel `i` of a dim of size `o` samples the
  /// input at `i·(d − 1)/(o − 1)`, so the corner pixels of input and output coincide.
  ///
  /// Derivative: linear in the input (the transposed interpolation matrices).
  /// - Parameters:
  ///   - input: `[N, C, H, W]`.
  ///   - size: the output's spatial size; or
  ///   - scaleFactor: multipliers of the spatial size (one, or one per spatial dim).
  /// - Returns: `[N, C, H′, W′]`.
  /// - Precondition: as for `interpolate`, with a 4-d input.
  public static func upsampleBilinear(_ input: Tensor, size: Sizes? = nil, scaleFactor: [Double]? = nil) -> Tensor {
    interpolate(input, size: size, scaleFactor: scaleFactor, mode: .bilinear, alignCorners: true)
  }

  /// `x` with dim `d` mapped by the matrix `a` (`[m, n]`): `y[…, i, …] = Σⱼ a[i, j]·x[…, j, …]`.
  static func along(_ x: Tensor, dim d: Int, _ a: Tensor) -> Tensor {
    if d == x.rank - 1 { return x.matmul(a.mT) }
    if d == x.rank - 2 { return a.matmul(x) }
    return x.movedim(d, to: -1).matmul(a.mT).movedim(-1, to: d)
  }

  /// The `[m, n]` matrix averaging input cells `⌊i·n/m⌋ ..< ⌈(i + 1)·n/m⌉` into output cell `i`
  /// (adaptive average pooling).
  static func averagingMatrix(_ n: Int, _ m: Int, dtype: DType) -> Tensor {
    var a = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      let start = i * n / m, end = ((i + 1) * n + m - 1) / m
      for j in start..<end { a[i * n + j] = 1 / Double(end - start) }
    }
    return Tensor(shape: [m, n], scalars: a).converted(to: dtype)
  }

  /// The `[m, n]` matrix of linear (or cubic) interpolation from `n` samples to `m`, with
  /// PyTorch's source coordinates (`area_pixel_compute_source_index`) and, for cubic, Keys'
  /// kernel with a = −0.75 and indices clamped to the edge.
  static func interpolationMatrix(_ n: Int, _ m: Int, scale given: Double?, alignCorners: Bool, cubic: Bool, dtype: DType) -> Tensor {
    let scale: Double
    if alignCorners {
      scale = m > 1 ? Double(n - 1) / Double(m - 1) : 0
    } else {
      scale = given.map { $0 > 0 ? 1 / $0 : Double(n) / Double(m) } ?? Double(n) / Double(m)
    }
    var a = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      var source = alignCorners ? scale * Double(i) : scale * (Double(i) + 0.5) - 0.5
      if cubic {
        let base = source.rounded(.down), t = source - base
        let w = cubicWeights(t)
        for k in 0..<4 {
          let j = Swift.min(Swift.max(Int(base) - 1 + k, 0), n - 1)
          a[i * n + j] += w[k]
        }
      } else {
        if source < 0 { source = 0 }
        let j0 = Int(source), j1 = j0 < n - 1 ? j0 + 1 : j0
        let l1 = source - Double(j0)
        a[i * n + j0] += 1 - l1
        a[i * n + j1] += l1
      }
    }
    return Tensor(shape: [m, n], scalars: a).converted(to: dtype)
  }

  /// The cubic convolution weights of the samples at offsets −1, 0, 1, 2 for a fractional
  /// position `t` (Keys 1981, a = −0.75, as PyTorch's `get_cubic_upsample_coefficients`).
  static func cubicWeights(_ t: Double) -> [Double] {
    let a = -0.75
    func near(_ x: Double) -> Double { ((a + 2) * x - (a + 3)) * x * x + 1 }
    func far(_ x: Double) -> Double { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
    return [far(t + 1), near(t), near(1 - t), far(2 - t)]
  }
}
