import ComplexModule
import RealModule

extension FFT {
  /// The sample frequencies of an `n`-point transform with sample spacing `d`, like
  /// `torch.fft.fftfreq`: `[0, 1, …, ⌈n/2⌉ − 1, −⌊n/2⌋, …, −1] / (d·n)`.
  ///
  /// - Precondition: `n ≥ 0`; `dtype` is a real floating dtype.
  /// Derivative: none (a constant).
  public static func fftfreq(_ n: Int, d: Double = 1, dtype: DType = .defaultFloating) -> Tensor {
    check(n >= 0, "fftfreq: n must be non-negative, got \(n)")
    let positive = (n + 1) / 2
    return frequencies((0..<n).map { $0 < positive ? $0 : $0 - n }, n: n, d: d, dtype: dtype, op: "fftfreq")
  }

  /// The sample frequencies of ``rfft(_:n:dim:norm:)`` for `n` points with sample spacing `d`,
  /// like `torch.fft.rfftfreq`: `[0, 1, …, ⌊n/2⌋] / (d·n)`.
  ///
  /// - Precondition: `n ≥ 0`; `dtype` is a real floating dtype.
  /// Derivative: none (a constant).
  public static func rfftfreq(_ n: Int, d: Double = 1, dtype: DType = .defaultFloating) -> Tensor {
    check(n >= 0, "rfftfreq: n must be non-negative, got \(n)")
    return frequencies(Array(0..<(n / 2 + 1)), n: n, d: d, dtype: dtype, op: "rfftfreq")
  }

  /// `indices · 1/(d·n)`, computed as PyTorch does (a multiplication by the reciprocal).
  static func frequencies(_ indices: [Int], n: Int, d: Double, dtype: DType, op: String) -> Tensor {
    check(
      dtype.isFloatingPoint && !dtype.isComplex, "\(op): expected a real floating dtype, got \(dtype)")
    let step = 1 / (Double(n) * d)
    return Tensor(shape: [indices.count], scalars: indices.map { Double($0) * step }).converted(to: dtype)
  }

  /// The tensor rolled so that the zero frequency is in the middle of each of `dims` (every
  /// dim by default), like `torch.fft.fftshift`: each dim of size n rolls by ⌊n/2⌋.
  ///
  /// - Precondition: the dims are in range.
  /// Derivative: linear (a roll); the VJP rolls back.
  public static func fftshift(_ x: Tensor, dims: [Int]? = nil) -> Tensor {
    shift(x, dims: dims, inverse: false)
  }

  /// The inverse of ``fftshift(_:dims:)``, like `torch.fft.ifftshift`: each dim of size n rolls
  /// by −⌊n/2⌋ (the same as `fftshift` for even sizes).
  ///
  /// Derivative: linear (a roll); the VJP rolls back.
  public static func ifftshift(_ x: Tensor, dims: [Int]? = nil) -> Tensor {
    shift(x, dims: dims, inverse: true)
  }

  static func shift(_ x: Tensor, dims: [Int]?, inverse: Bool) -> Tensor {
    if x.rank == 0 { return x }
    let op = inverse ? "ifftshift" : "fftshift"
    let d = Shape.normalize(dims ?? Array(0..<x.rank), rank: x.rank, op: op)
    if d.isEmpty { return x }
    let shifts = d.map { inverse ? (x.shape[$0] + 1) / 2 : x.shape[$0] / 2 }
    return x.roll(shifts, dims: d)
  }
}
