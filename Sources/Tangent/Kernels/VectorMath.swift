import ComplexModule
import RealModule

/// Scalar kernels for transcendental functions, written to vectorise when called in a loop.
///
/// Every kernel is one generic implementation over ``RealScalar`` (`Float` and `Double`),
/// branch-free in its main path: range reduction by bit tricks (no trapping float-to-integer
/// conversion), near-minimax polynomials whose degree depends on the precision (a constant
/// once the function is specialised), and special values (±∞, NaN, overflow, underflow,
/// subnormals) handled with selects, so the contiguous elementwise loop compiles to SIMD code.
///
/// Accuracy, measured against the C library on millions of points (see `VectorMathTests`):
/// at most 1–3 ulp for every function in both precisions. The coefficients are fitted by
/// `bench/fit_vectormath.py`.
///
/// The trigonometric kernels (``sinKernel(_:)``, ``cosKernel(_:)``, ``tanKernel(_:)``) reduce
/// the argument with a four-part Cody–Waite split of π/2, exact for |x| up to
/// ``trigKernelLimit(_:)``; larger arguments (and ±∞) are flagged by
/// ``trigNeedsFixup(_:)``, and the elementwise driver recomputes those rare lanes with the C
/// library in a second pass (see ``UnaryFunction/realNeedsFixup(_:)``). The plain ``sin(_:)``,
/// ``cos(_:)`` and ``tan(_:)`` are correct for every input, but branch.
public enum VectorMath {
  // MARK: Helpers

  /// Whether `T` is `Double` (otherwise `Float`): a constant once specialised.
  @inline(__always) static func isDouble<T: RealScalar>(_: T.Type) -> Bool { T.significandBitCount > 23 }

  /// A constant given for each precision.
  @inline(__always) static func k<T: RealScalar>(_ d: Double, _ f: Float) -> T {
    isDouble(T.self) ? T(d) : T(f)
  }

  /// An integer bit-pattern constant given for each precision.
  @inline(__always) static func bits<T: RealScalar>(_: T.Type, _ d: Int64, _ f: Int32) -> T.Bits {
    isDouble(T.self) ? T.Bits(truncatingIfNeeded: d) : T.Bits(truncatingIfNeeded: f)
  }

  /// 1.5 · 2^p (p = significand bits): adding it rounds to an integer held in the low bits.
  @inline(__always) static func shifter<T: RealScalar>(_: T.Type) -> T { k(0x1.8p52, 0x1.8p23) }

  /// The exponent bias (1023, 127).
  @inline(__always) static func exponentBias<T: RealScalar>(_: T.Type) -> Int { (1 << (T.exponentBitCount - 1)) - 1 }

  /// The number of significand bits, as `T.Bits`, for shifting into the exponent field.
  @inline(__always) static func mantissaShift<T: RealScalar>(_: T.Type) -> T.Bits {
    T.Bits(truncatingIfNeeded: T.significandBitCount)
  }

  /// `x` clamped to `[lo, hi]`; NaN stays NaN.
  @inline(__always) static func clamp<T: RealScalar>(_ x: T, _ lo: T, _ hi: T) -> T {
    let a = x < lo ? lo : x
    return a > hi ? hi : a
  }

  /// `x` with the sign bit of `sign` or-ed in: |x| with the sign of `sign` for a non-negative
  /// (or NaN) `x`, and, for a result that already has the sign of `sign`, a fix for the one
  /// case where it may not, a zero (so that f(−0) = −0).
  @inline(__always) static func withSign<T: RealScalar>(_ x: T, of sign: T) -> T {
    let signBit = T.Bits(truncatingIfNeeded: 1) &<< T.Bits(truncatingIfNeeded: T.Bits.bitWidth - 1)
    return T(signedBitPattern: x.signedBitPattern | (sign.signedBitPattern & signBit))
  }

  /// `2^n · 2^delta` where `z = n + shifter` (`n + delta` must be a normal exponent).
  @inline(__always) static func pow2<T: RealScalar>(_ z: T, plus delta: Int) -> T {
    let offset = T.Bits(truncatingIfNeeded: exponentBias(T.self) + delta) &- shifter(T.self).signedBitPattern
    return T(signedBitPattern: (z.signedBitPattern &+ offset) &<< mantissaShift(T.self))
  }

  /// `m · 2^n` where `z = n + shifter`, for any n with the result in range (the scale is split
  /// in two factors, so subnormal results round once and overflow gives ∞).
  @inline(__always) static func scale<T: RealScalar>(_ m: T, _ z: T) -> T {
    let s = shifter(T.self)
    let half = (z - s) * T(0.5) + s  // n₁ = round(n / 2)
    let bias = T.Bits(truncatingIfNeeded: exponentBias(T.self))
    let s2 = T(signedBitPattern: (z.signedBitPattern &- half.signedBitPattern &+ bias) &<< mantissaShift(T.self))
    return m * pow2(half, plus: 0) * s2
  }
}
