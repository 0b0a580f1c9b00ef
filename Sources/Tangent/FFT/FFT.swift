import ComplexModule
import RealModule

/// Discrete Fourier transforms, like `torch.fft`.
///
/// The transforms take a tensor of any floating dtype (integers and booleans are converted to
/// the default floating dtype; real inputs of the complex transforms are converted to complex)
/// and work along one dim (`fft`, `rfft`, …), two (`fft2`, …) or any number (`fftn`, …),
/// batched over the others. A signal length `n` (or sizes `s`) crops the input or pads it with
/// zeros first, as in PyTorch. The `norm` mode scales the forward or the backward transform
/// (see ``Norm``).
///
/// The kernel is an O(n log n) FFT for every length: radix-2 for powers of two, Bluestein's
/// chirp-z algorithm otherwise.
///
/// Every transform is linear: the JVP transforms the tangent and the VJP applies the adjoint
/// transform, with PyTorch's conventions (the Hermitian-symmetry factor of 2 for the
/// real-to-complex and complex-to-real transforms included), so derivatives of any order
/// follow.
///
/// ```swift
/// let x: Tensor = [1.0, 2, 3, 4]
/// FFT.fft(x)                 // [10, −2+2i, −2, −2−2i]
/// FFT.irfft(FFT.rfft(x))     // [1, 2, 3, 4]
/// ```
public enum FFT {
  /// Which direction of a transform pair is scaled, as PyTorch's `norm` argument.
  public enum Norm: String, Sendable, CaseIterable {
    /// No scaling forward, 1/n backward (the default).
    case backward
    /// 1/√n both ways, so the transforms are unitary.
    case ortho
    /// 1/n forward, no scaling backward.
    case forward

    /// The scale of a transform of `count` points in the forward (`fft`, `rfft`, `hfft`) or
    /// backward (`ifft`, `irfft`, `ihfft`) direction.
    func scale(_ count: Int, forward: Bool) -> Double {
      switch self {
      case .ortho: return 1 / Double(count).squareRoot()
      case .backward: return forward ? 1 : 1 / Double(count)
      case .forward: return forward ? 1 / Double(count) : 1
      }
    }
  }
}

// MARK: One dim

extension FFT {
  /// The discrete Fourier transform along `dim`, Xₖ = Σⱼ xⱼ·e^(−2πi·jk/n), like
  /// `torch.fft.fft`. The result is complex.
  ///
  /// - Parameters:
  ///   - x: the input, real or complex (a real input is treated as complex).
  ///   - n: the signal length: the input is cropped or zero-padded to `n` along `dim`
  ///     (default: its size there).
  ///   - dim: the dim (negative counts from the end).
  ///   - norm: the scaling (``Norm/backward``: none).
  /// - Precondition: the tensor has at least one dim; `n ≥ 1`.
  /// Derivative: linear; the VJP is the inverse-sign transform with the same scaling.
  public static func fft(_ x: Tensor, n: Int? = nil, dim: Int = -1, norm: Norm = .backward) -> Tensor {
    complexTransform(x, n: n, dim: dim, norm: norm, inverse: false, op: "fft")
  }

  /// The inverse discrete Fourier transform along `dim`, xⱼ = 1/n · Σₖ Xₖ·e^(2πi·jk/n), like
  /// `torch.fft.ifft`. See ``fft(_:n:dim:norm:)`` for the arguments.
  ///
  /// Derivative: linear; the VJP is the forward-sign transform with the same scaling.
  public static func ifft(_ x: Tensor, n: Int? = nil, dim: Int = -1, norm: Norm = .backward) -> Tensor {
    complexTransform(x, n: n, dim: dim, norm: norm, inverse: true, op: "ifft")
  }

  /// The transform of real data along `dim`, keeping the n/2 + 1 non-negative frequencies
  /// (the others are their conjugates), like `torch.fft.rfft`.
  ///
  /// - Parameters:
  ///   - x: the real input.
  ///   - n: the signal length: the input is cropped or zero-padded to `n` (default: its size).
  ///   - dim: the dim (negative counts from the end).
  ///   - norm: the scaling (``Norm/backward``: none).
  /// - Precondition: the tensor is real, with at least one dim; `n ≥ 1`.
  /// Derivative: real-linear; the VJP is PyTorch's `fft_r2c_backward` (the real part of the
  /// inverse-sign transform of the zero-extended cotangent).
  public static func rfft(_ x: Tensor, n: Int? = nil, dim: Int = -1, norm: Norm = .backward) -> Tensor {
    realToComplex(x, n: n, dim: dim, norm: norm, forward: true, op: "rfft")
  }

  /// The inverse of ``rfft(_:n:dim:norm:)``: the n real values whose transform has the given
  /// non-negative frequencies, like `torch.fft.irfft`.
  ///
  /// - Parameters:
  ///   - x: the non-negative frequencies.
  ///   - n: the output length (default 2·(m − 1) for m input bins); the input is cropped or
  ///     zero-padded to n/2 + 1 bins. The imaginary parts of bin 0 and (n even) bin n/2 are
  ///     ignored.
  ///   - dim: the dim (negative counts from the end).
  ///   - norm: the scaling (``Norm/backward``: none).
  /// - Precondition: the tensor has at least one dim; `n ≥ 1`.
  /// Derivative: real-linear; the VJP is PyTorch's `fft_c2r_backward` (the onesided transform
  /// of the cotangent, with the bins that stand for two doubled).
  public static func irfft(_ x: Tensor, n: Int? = nil, dim: Int = -1, norm: Norm = .backward) -> Tensor {
    complexToReal(x, n: n, dim: dim, norm: norm, forward: false, op: "irfft")
  }

  /// The transform of a Hermitian-symmetric signal given by its first half, which is real,
  /// like `torch.fft.hfft` (`irfft` of the conjugate, with forward scaling). See
  /// ``irfft(_:n:dim:norm:)`` for the arguments.
  ///
  /// Derivative: real-linear, as for ``irfft(_:n:dim:norm:)``.
  public static func hfft(_ x: Tensor, n: Int? = nil, dim: Int = -1, norm: Norm = .backward) -> Tensor {
    complexToReal(x, n: n, dim: dim, norm: norm, forward: true, op: "hfft")
  }

  /// The inverse of ``hfft(_:n:dim:norm:)``: the n/2 + 1 first values of the inverse
  /// transform of real data, like `torch.fft.ihfft` (the conjugate of `rfft`, with backward
  /// scaling). See ``rfft(_:n:dim:norm:)`` for the arguments.
  ///
  /// Derivative: real-linear, as for ``rfft(_:n:dim:norm:)``.
  public static func ihfft(_ x: Tensor, n: Int? = nil, dim: Int = -1, norm: Norm = .backward) -> Tensor {
    realToComplex(x, n: n, dim: dim, norm: norm, forward: false, op: "ihfft")
  }
}

// MARK: Several dims

extension FFT {
  /// The 2-D transform over `dims`, like `torch.fft.fft2`. See ``fftn(_:s:dims:norm:)``.
  public static func fft2(_ x: Tensor, s: [Int]? = nil, dims: [Int] = [-2, -1], norm: Norm = .backward) -> Tensor {
    fftn(x, s: s, dims: dims, norm: norm, op: "fft2")
  }

  /// The 2-D inverse transform over `dims`, like `torch.fft.ifft2`. See ``ifftn(_:s:dims:norm:)``.
  public static func ifft2(_ x: Tensor, s: [Int]? = nil, dims: [Int] = [-2, -1], norm: Norm = .backward) -> Tensor {
    ifftn(x, s: s, dims: dims, norm: norm, op: "ifft2")
  }

  /// The 2-D transform of real data over `dims`, like `torch.fft.rfft2`. See
  /// ``rfftn(_:s:dims:norm:)``.
  public static func rfft2(_ x: Tensor, s: [Int]? = nil, dims: [Int] = [-2, -1], norm: Norm = .backward) -> Tensor {
    rfftn(x, s: s, dims: dims, norm: norm, op: "rfft2")
  }

  /// The inverse of ``rfft2(_:s:dims:norm:)``, like `torch.fft.irfft2`. See
  /// ``irfftn(_:s:dims:norm:)``.
  public static func irfft2(_ x: Tensor, s: [Int]? = nil, dims: [Int] = [-2, -1], norm: Norm = .backward) -> Tensor {
    irfftn(x, s: s, dims: dims, norm: norm, op: "irfft2")
  }

  /// The N-dimensional transform over `dims`, like `torch.fft.fftn`. The result is complex.
  ///
  /// - Parameters:
  ///   - x: the input, real or complex.
  ///   - s: the signal sizes, one per transformed dim (−1 keeps a dim's size): the input is
  ///     cropped or zero-padded to them. Without `dims`, they apply to the last `s.count` dims.
  ///   - dims: the dims (negative count from the end), distinct. Default: the last `s.count`
  ///     dims with `s`, every dim without.
  ///   - norm: the scaling, by the total number of points.
  /// - Precondition: `s` and `dims` have one length when both are given; the sizes are ≥ 1.
  /// Derivative: linear; the VJP is the inverse-sign transform with the same scaling.
  public static func fftn(_ x: Tensor, s: [Int]? = nil, dims: [Int]? = nil, norm: Norm = .backward) -> Tensor {
    fftn(x, s: s, dims: dims, norm: norm, op: "fftn")
  }

  /// The N-dimensional inverse transform over `dims`, like `torch.fft.ifftn`. See
  /// ``fftn(_:s:dims:norm:)`` for the arguments.
  public static func ifftn(_ x: Tensor, s: [Int]? = nil, dims: [Int]? = nil, norm: Norm = .backward) -> Tensor {
    ifftn(x, s: s, dims: dims, norm: norm, op: "ifftn")
  }

  /// The N-dimensional transform of real data, like `torch.fft.rfftn`: the onesided transform
  /// along the last of `dims` (n/2 + 1 bins), then full transforms along the others. See
  /// ``fftn(_:s:dims:norm:)`` for the arguments.
  ///
  /// - Precondition: the tensor is real; at least one dim is transformed.
  /// Derivative: real-linear, as for ``rfft(_:n:dim:norm:)``.
  public static func rfftn(_ x: Tensor, s: [Int]? = nil, dims: [Int]? = nil, norm: Norm = .backward) -> Tensor {
    rfftn(x, s: s, dims: dims, norm: norm, op: "rfftn")
  }

  /// The inverse of ``rfftn(_:s:dims:norm:)``, like `torch.fft.irfftn`: inverse transforms
  /// along all but the last of `dims`, then the Hermitian complex-to-real transform along the
  /// last, whose output size is `s.last` (default 2·(m − 1) for m input bins).
  ///
  /// - Precondition: at least one dim is transformed; the sizes are ≥ 1.
  /// Derivative: real-linear, as for ``irfft(_:n:dim:norm:)``.
  public static func irfftn(_ x: Tensor, s: [Int]? = nil, dims: [Int]? = nil, norm: Norm = .backward) -> Tensor {
    irfftn(x, s: s, dims: dims, norm: norm, op: "irfftn")
  }

  /// The 2-D transform of a Hermitian-symmetric signal given by its half along the last of
  /// `dims`, like `torch.fft.hfft2`. See ``hfftn(_:s:dims:norm:)``.
  public static func hfft2(_ x: Tensor, s: [Int]? = nil, dims: [Int] = [-2, -1], norm: Norm = .backward) -> Tensor {
    hfftn(x, s: s, dims: dims, norm: norm, op: "hfft2")
  }

  /// The inverse of ``hfft2(_:s:dims:norm:)``, like `torch.fft.ihfft2`. See
  /// ``ihfftn(_:s:dims:norm:)``.
  public static func ihfft2(_ x: Tensor, s: [Int]? = nil, dims: [Int] = [-2, -1], norm: Norm = .backward) -> Tensor {
    ihfftn(x, s: s, dims: dims, norm: norm, op: "ihfft2")
  }

  /// The N-dimensional transform of a Hermitian-symmetric signal given by its half along the
  /// last of `dims`, like `torch.fft.hfftn`: forward transforms along the other dims, then
  /// ``hfft(_:n:dim:norm:)`` along the last, whose output size is `s.last` (default 2·(m − 1)
  /// for m input bins). The result is real. See ``fftn(_:s:dims:norm:)`` for the arguments.
  ///
  /// - Precondition: at least one dim is transformed; the sizes are ≥ 1.
  /// Derivative: real-linear, as for ``hfft(_:n:dim:norm:)``.
  public static func hfftn(_ x: Tensor, s: [Int]? = nil, dims: [Int]? = nil, norm: Norm = .backward) -> Tensor {
    hfftn(x, s: s, dims: dims, norm: norm, op: "hfftn")
  }

  /// The inverse of ``hfftn(_:s:dims:norm:)``, like `torch.fft.ihfftn`: ``ihfft(_:n:dim:norm:)``
  /// along the last of `dims` (n/2 + 1 bins), then inverse transforms along the others. See
  /// ``fftn(_:s:dims:norm:)`` for the arguments.
  ///
  /// - Precondition: the tensor is real; at least one dim is transformed.
  /// Derivative: real-linear, as for ``ihfft(_:n:dim:norm:)``.
  public static func ihfftn(_ x: Tensor, s: [Int]? = nil, dims: [Int]? = nil, norm: Norm = .backward) -> Tensor {
    ihfftn(x, s: s, dims: dims, norm: norm, op: "ihfftn")
  }
}

// MARK: Implementation

extension FFT {
  /// `x` in a floating dtype (integers and booleans converted to the default one), complex
  /// when asked.
  static func promoted(_ x: Tensor, complex: Bool) -> Tensor {
    let floating = x.dtype.isFloatingPoint ? x : x.converted(to: .defaultFloating)
    return complex ? floating.converted(to: floating.dtype.complex) : floating
  }

  /// Checks that `x` is not complex.
  static func requireReal(_ x: Tensor, _ op: String) {
    check(!x.dtype.isComplex, "\(op): expected a real input tensor, got \(x.dtype)")
  }

  /// One normalised dim of `x`, which must have at least one dim.
  static func oneDim(_ x: Tensor, _ dim: Int, _ op: String) -> Int {
    check(x.rank > 0, "\(op): expected a tensor with at least one dim, got a 0-d tensor")
    return Shape.normalize(dim, rank: x.rank, op: op)
  }

  /// Checks a signal length.
  static func requireLength(_ n: Int, _ op: String) {
    check(n >= 1, "\(op): invalid number of data points (\(n)) specified")
  }

  /// `x` cropped or zero-padded to `n` along the non-negative `dim`.
  static func resized(_ x: Tensor, dim: Int, to n: Int) -> Tensor {
    let current = x.shape[dim]
    if n == current { return x }
    if n < current { return x.narrowed(dim: dim, start: 0, length: n) }
    var pad = [Int](repeating: 0, count: 2 * (x.rank - dim))
    pad[2 * (x.rank - 1 - dim) + 1] = n - current
    return x.padded(pad)
  }

  /// `x` cropped or zero-padded to `sizes` along `dims`.
  static func resized(_ x: Tensor, dims: [Int], to sizes: [Int]) -> Tensor {
    zip(dims, sizes).reduce(x) { resized($0, dim: $1.0, to: $1.1) }
  }

  static func complexTransform(_ x: Tensor, n: Int?, dim: Int, norm: Norm, inverse: Bool, op: String) -> Tensor {
    let d = oneDim(x, dim, op)
    let n = n ?? x.shape[d]
    requireLength(n, op)
    let y = resized(promoted(x, complex: true), dim: d, to: n)
    return Tensor.apply(FFTComplexOp(dims: [d - x.rank], inverse: inverse, scale: norm.scale(n, forward: !inverse)), y)
  }

  static func realToComplex(_ x: Tensor, n: Int?, dim: Int, norm: Norm, forward: Bool, op: String) -> Tensor {
    requireReal(x, op)
    let d = oneDim(x, dim, op)
    let n = n ?? x.shape[d]
    requireLength(n, op)
    let y = resized(promoted(x, complex: false), dim: d, to: n)
    return Tensor.apply(FFTRealToComplexOp(dim: d - x.rank, inverse: !forward, scale: norm.scale(n, forward: forward)), y)
  }

  static func complexToReal(_ x: Tensor, n: Int?, dim: Int, norm: Norm, forward: Bool, op: String) -> Tensor {
    let d = oneDim(x, dim, op)
    let n = n ?? 2 * (x.shape[d] - 1)
    requireLength(n, op)
    let y = resized(promoted(x, complex: true), dim: d, to: n / 2 + 1)
    // hfft is irfft of the conjugate: the transform of the other sign.
    return Tensor.apply(
      FFTComplexToRealOp(dim: d - x.rank, length: n, inverse: !forward, scale: norm.scale(n, forward: forward)), y)
  }

  /// PyTorch's `canonicalize_fft_shape_and_dim_args`: the distinct non-negative dims and the
  /// signal size along each.
  static func shapeAndDims(_ x: Tensor, s: [Int]?, dims: [Int]?, op: String) -> (dims: [Int], sizes: [Int]) {
    var out: [Int]
    if let dims {
      check(x.rank > 0 || dims.isEmpty, "\(op): cannot transform dims \(dims) of a 0-d tensor")
      out = dims.map { Shape.normalize($0, rank: x.rank, op: op) }
      check(Set(out).count == out.count, "\(op): FFT dims must be unique, got \(dims)")
    } else if let s {
      check(s.count <= x.rank, "\(op): got \(s.count) sizes \(s) but the input only has \(x.rank) dims")
      out = Array((x.rank - s.count)..<x.rank)
    } else {
      out = Array(0..<x.rank)
    }
    var sizes = out.map { x.shape[$0] }
    if let s {
      check(
        s.count == out.count, "\(op): when given, dims and sizes must have the same length, got dims \(dims ?? []) and sizes \(s)")
      sizes = zip(s, sizes).map { $0 == -1 ? $1 : $0 }
    }
    for n in sizes { check(n > 0, "\(op): invalid number of data points (\(n)) specified") }
    return (out, sizes)
  }

  static func fftn(_ x: Tensor, s: [Int]?, dims: [Int]?, norm: Norm, op: String) -> Tensor {
    complexTransformN(x, s: s, dims: dims, norm: norm, inverse: false, op: op)
  }

  static func ifftn(_ x: Tensor, s: [Int]?, dims: [Int]?, norm: Norm, op: String) -> Tensor {
    complexTransformN(x, s: s, dims: dims, norm: norm, inverse: true, op: op)
  }

  static func complexTransformN(_ x: Tensor, s: [Int]?, dims: [Int]?, norm: Norm, inverse: Bool, op: String) -> Tensor {
    let (d, sizes) = shapeAndDims(x, s: s, dims: dims, op: op)
    let y = resized(promoted(x, complex: true), dims: d, to: sizes)
    if d.isEmpty { return y }
    let total = sizes.reduce(1, *)
    return Tensor.apply(
      FFTComplexOp(dims: d.map { $0 - x.rank }, inverse: inverse, scale: norm.scale(total, forward: !inverse)), y)
  }

  static func rfftn(_ x: Tensor, s: [Int]?, dims: [Int]?, norm: Norm, op: String) -> Tensor {
    realToComplexN(x, s: s, dims: dims, norm: norm, forward: true, op: op)
  }

  static func ihfftn(_ x: Tensor, s: [Int]?, dims: [Int]?, norm: Norm, op: String) -> Tensor {
    realToComplexN(x, s: s, dims: dims, norm: norm, forward: false, op: op)
  }

  static func irfftn(_ x: Tensor, s: [Int]?, dims: [Int]?, norm: Norm, op: String) -> Tensor {
    complexToRealN(x, s: s, dims: dims, norm: norm, forward: false, op: op)
  }

  static func hfftn(_ x: Tensor, s: [Int]?, dims: [Int]?, norm: Norm, op: String) -> Tensor {
    complexToRealN(x, s: s, dims: dims, norm: norm, forward: true, op: op)
  }

  /// `rfftn` (`forward`) or `ihfftn`: the onesided transform of real data along the last dim,
  /// then full transforms of the same sign along the others.
  static func realToComplexN(_ x: Tensor, s: [Int]?, dims: [Int]?, norm: Norm, forward: Bool, op: String) -> Tensor {
    requireReal(x, op)
    let (d, sizes) = shapeAndDims(x, s: s, dims: dims, op: op)
    check(!d.isEmpty, "\(op): must transform at least one dim")
    let y = resized(promoted(x, complex: false), dims: d, to: sizes)
    let total = sizes.reduce(1, *)
    var z = Tensor.apply(
      FFTRealToComplexOp(dim: d.last! - x.rank, inverse: !forward, scale: norm.scale(total, forward: forward)), y)
    if d.count > 1 {
      z = Tensor.apply(FFTComplexOp(dims: d.dropLast().map { $0 - x.rank }, inverse: !forward, scale: 1), z)
    }
    return z
  }

  /// `irfftn` or `hfftn` (`forward`): full transforms along all but the last dim, then the
  /// Hermitian complex-to-real transform, all of one sign (`hfftn` is PyTorch's forward
  /// transform of the other dims, conjugated, then `irfft`'s transform: the minus sign).
  static func complexToRealN(_ x: Tensor, s: [Int]?, dims: [Int]?, norm: Norm, forward: Bool, op: String) -> Tensor {
    var (d, sizes) = shapeAndDims(x, s: s, dims: dims, op: op)
    check(!d.isEmpty, "\(op): must transform at least one dim")
    // The output size of the Hermitian dim, and the number of bins that it reads.
    let last = s == nil || s!.last == -1 ? 2 * (x.shape[d.last!] - 1) : sizes.last!
    requireLength(last, op)
    sizes[sizes.count - 1] = last / 2 + 1
    var y = resized(promoted(x, complex: true), dims: d, to: sizes)
    if d.count > 1 {
      y = Tensor.apply(FFTComplexOp(dims: d.dropLast().map { $0 - x.rank }, inverse: !forward, scale: 1), y)
    }
    let total = sizes.dropLast().reduce(1, *) * last
    return Tensor.apply(
      FFTComplexToRealOp(dim: d.last! - x.rank, length: last, inverse: !forward, scale: norm.scale(total, forward: forward)),
      y)
  }
}
