internal import CKernels
import ComplexModule
import RealModule

/// The exponential kernels of ``VectorMath``, and the hyperbolic functions and the sigmoid
/// built on them (implemented in `Sources/CKernels/include/VectorMath.inc`).
extension VectorMath {
  /// e^x: at most 1 ulp or so in both precisions; 0 below the underflow threshold, ∞ above
  /// the overflow threshold, subnormal results rounded once. Branch-free.
  ///
  /// Method: x = n·ln2 + r (Cody–Waite), e^r − 1 by a near-minimax polynomial, and the
  /// scaling by 2^n split in two factors.
  @inline(__always) public static func exp<T: RealScalar>(_ x: T) -> T { call(x, tg_exp_d, tg_exp_f) }

  /// e^x for inputs where ``expNeedsFixup(_:)`` is false (normal, finite results; NaN gives
  /// NaN): the cheapest path, for the elementwise loops, which send the other lanes to
  /// ``exp(_:)``.
  @inline(__always) public static func expKernel<T: RealScalar>(_ x: T) -> T {
    call(x, tg_exp_kernel_d, tg_exp_kernel_f)
  }

  /// Whether ``expKernel(_:)`` cannot handle `x`: results that overflow or are subnormal, ±∞.
  @inline(__always) public static func expNeedsFixup<T: RealScalar>(_ x: T) -> Bool {
    test(x, tg_exp_needs_fixup_d, tg_exp_needs_fixup_f)
  }

  /// 2^x.
  @inline(__always) public static func exp2<T: RealScalar>(_ x: T) -> T { call(x, tg_exp2_d, tg_exp2_f) }

  /// e^x − 1, accurate near 0 (the scaling by 2^n is exact, so tiny x loses nothing).
  @inline(__always) public static func expm1<T: RealScalar>(_ x: T) -> T { call(x, tg_expm1_d, tg_expm1_f) }

  /// The hyperbolic sine, (t + t/(t + 1))/2 with t = e^|x| − 1, with the sign of x.
  @inline(__always) public static func sinh<T: RealScalar>(_ x: T) -> T { call(x, tg_sinh_d, tg_sinh_f) }

  /// The hyperbolic cosine, (e^|x| + e^−|x|)/2.
  @inline(__always) public static func cosh<T: RealScalar>(_ x: T) -> T { call(x, tg_cosh_d, tg_cosh_f) }

  /// The hyperbolic tangent: (e^2|x| − 1) / (e^2|x| + 1) through `expm1`, with the sign of x.
  @inline(__always) public static func tanh<T: RealScalar>(_ x: T) -> T { call(x, tg_tanh_d, tg_tanh_f) }

  /// The logistic sigmoid 1/(1+e^−x), accurate in both tails (e^x/(1+e^x) for x < 0).
  @inline(__always) public static func sigmoid<T: RealScalar>(_ x: T) -> T {
    call(x, tg_sigmoid_d, tg_sigmoid_f)
  }
}
