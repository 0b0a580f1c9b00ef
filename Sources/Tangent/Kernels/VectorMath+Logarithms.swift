internal import CKernels
import ComplexModule
import RealModule

/// The logarithm kernels of ``VectorMath`` (implemented in
/// `Sources/CKernels/include/VectorMath.inc`): x = 2^e·(1 + f) with 1 + f ∈ [√½, √2) by bit
/// manipulation, then fdlibm's decomposition log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)),
/// s = f/(2 + f), with refitted coefficients.
extension VectorMath {
  /// The natural logarithm: below 1 ulp or so; log 0 = −∞, negative and NaN inputs give NaN.
  /// Branch-free.
  @inline(__always) public static func log<T: RealScalar>(_ x: T) -> T { call(x, tg_log_d, tg_log_f) }

  /// The natural logarithm for inputs where ``logNeedsFixup(_:)`` is false (positive, normal,
  /// finite): the cheapest path, for the elementwise loops, which send the other lanes to
  /// ``log(_:)``.
  @inline(__always) public static func logKernel<T: RealScalar>(_ x: T) -> T {
    call(x, tg_log_kernel_d, tg_log_kernel_f)
  }

  /// Whether ``logKernel(_:)`` cannot handle `x`: zero, subnormal, negative, ∞ or NaN.
  @inline(__always) public static func logNeedsFixup<T: RealScalar>(_ x: T) -> Bool {
    test(x, tg_log_needs_fixup_d, tg_log_needs_fixup_f)
  }

  /// log(1 + x), accurate near 0: log of u = 1 + x plus the rounding error of u, (1+x−u)/u.
  @inline(__always) public static func log1p<T: RealScalar>(_ x: T) -> T { call(x, tg_log1p_d, tg_log1p_f) }

  /// The log-sigmoid log σ(x) = min(x, 0) − log(1 + e^−|x|) (that is −softplus(−x)), accurate
  /// in both tails: x for x → −∞, −e^−x for x → +∞. Branch-free.
  @inline(__always) public static func logSigmoid<T: RealScalar>(_ x: T) -> T {
    call(x, tg_log_sigmoid_d, tg_log_sigmoid_f)
  }

  /// The base-2 logarithm; exact for powers of two.
  @inline(__always) public static func log2<T: RealScalar>(_ x: T) -> T { call(x, tg_log2_d, tg_log2_f) }

  /// The base-10 logarithm.
  @inline(__always) public static func log10<T: RealScalar>(_ x: T) -> T { call(x, tg_log10_d, tg_log10_f) }
}
