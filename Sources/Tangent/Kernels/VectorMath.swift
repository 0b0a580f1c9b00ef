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

  // MARK: Exponentials

  /// e^r − 1 on |r| ≤ ln2/2 (with a little slack): r + r²·P(r), near-minimax in relative error.
  @inline(__always) static func expm1Poly<T: RealScalar>(_ v: T) -> T {
    if isDouble(T.self) {
      var p: T = 0x1.ae6bcb2f5f7d8p-26
      p = p * v + 0x1.28a5a074765cfp-22
      p = p * v + 0x1.71de8b269dfd4p-19
      p = p * v + 0x1.a019a3d1d5ef5p-16
      p = p * v + 0x1.a01a01727696cp-13
      p = p * v + 0x1.6c16c17fff202p-10
      p = p * v + 0x1.1111111119a09p-7
      p = p * v + 0x1.5555555551e97p-5
      p = p * v + 0x1.5555555555537p-3
      p = p * v + 0x1.0000000000005p-1
      return v + (v * v) * p
    } else {
      var p: T = 0x1.6beb2ap-10
      p = p * v + 0x1.122dp-7
      p = p * v + 0x1.55568p-5
      p = p * v + 0x1.5554aap-3
      p = p * v + 0x1.fffffep-2
      return v + (v * v) * p
    }
  }

  /// Splits `x = n·ln2 + r`, |r| ≲ ln2/2 (Cody–Waite, exact first product), giving r and
  /// `z = n + shifter`.
  @inline(__always) static func reduceLn2<T: RealScalar>(_ x: T) -> (r: T, z: T) {
    let s = shifter(T.self)
    let z = x * k(0x1.71547652b82fep+0, 0x1.715476p+0) + s
    let n = z - s
    let r = (x - n * k(0x1.62e42feep-1, 0x1.62e4p-1)) - n * k(0x1.a39ef35793c76p-33, 0x1.7f7d1cp-20)
    return (r, z)
  }

  /// e^x: at most 1 ulp or so in both precisions; 0 below the underflow threshold, ∞ above
  /// the overflow threshold, subnormal results rounded once. Branch-free.
  @inline(__always) public static func exp<T: RealScalar>(_ x: T) -> T {
    let xc = clamp(x, k(-746, -104), k(710, 89))
    let (r, z) = reduceLn2(xc)
    return scale(1 + expm1Poly(r), z)
  }

  /// e^x for inputs where ``expNeedsFixup(_:)`` is false (normal, finite results; NaN gives
  /// NaN): the cheapest path, for the elementwise driver, which sends the other lanes to
  /// ``exp(_:)``.
  @inline(__always) public static func expKernel<T: RealScalar>(_ x: T) -> T {
    let (r, z) = reduceLn2(x)
    return (1 + expm1Poly(r)) * pow2(z, plus: 0)
  }

  /// Whether ``expKernel(_:)`` cannot handle `x`: results that overflow or are subnormal, ±∞.
  @inline(__always) public static func expNeedsFixup<T: RealScalar>(_ x: T) -> Bool {
    abs(x) > k(708, 87)
  }

  /// 2^x.
  @inline(__always) public static func exp2<T: RealScalar>(_ x: T) -> T {
    let xc = clamp(x, k(-1076, -151), k(1025, 129))
    let s = shifter(T.self)
    let z = xc + s
    let r = xc - (z - s)
    return scale(1 + expm1Poly(r * k(0x1.62e42fefa39efp-1, 0x1.62e43p-1)), z)
  }

  /// e^x = 2^n·(1 + q) split as `s = 2^(n + delta)` and `q = e^r − 1`, for x clamped to
  /// `[lower, upper]` (`upper` must keep n + delta a normal exponent): exact scaling, so
  /// e^x − 1 = 2^−delta·(s·q + (s − 2^delta)) is accurate for tiny x and does not overflow early.
  @inline(__always) static func expm1Parts<T: RealScalar>(_ x: T, upper: T, delta: Int) -> (s: T, q: T) {
    let xc = clamp(x, k(-40, -18), upper)
    let (r, z) = reduceLn2(xc)
    return (pow2(z, plus: delta), expm1Poly(r))
  }

  /// e^x − 1, accurate near 0.
  @inline(__always) public static func expm1<T: RealScalar>(_ x: T) -> T {
    let (s, q) = expm1Parts(x, upper: k(710, 89), delta: -1)
    return withSign((s * q + (s - T(0.5))) * 2, of: x)  // expm1 has the sign of x (and −0 ↦ −0)
  }

  /// The hyperbolic sine.
  @inline(__always) public static func sinh<T: RealScalar>(_ x: T) -> T {
    let ax = abs(x)
    let (s, q) = expm1Parts(ax, upper: k(710.5, 89.5), delta: -2)
    let h = (s * q + (s - T(0.25))) * 2  // (e^|x| − 1) / 2
    let y = h + h / (4 * (s + s * q))  // (t + t / (t + 1)) / 2 with t = e^|x| − 1
    let big = ax > k(0x1.633ce8fb9f87dp+9, 0x1.65a9f8p+6)  // ln(2·max): overflow
    return withSign(big ? T.infinity : y, of: x)
  }

  /// The hyperbolic cosine.
  @inline(__always) public static func cosh<T: RealScalar>(_ x: T) -> T {
    let ax = abs(x)
    let (s, q) = expm1Parts(ax, upper: k(710.5, 89.5), delta: -2)
    let e = s + s * q  // e^|x| / 4
    let y = 2 * e + T(0.125) / e
    let big = ax > k(0x1.633ce8fb9f87dp+9, 0x1.65a9f8p+6)
    return big ? T.infinity : y
  }

  /// The hyperbolic tangent: (e^2|x| − 1) / (e^2|x| + 1) through `expm1`, with the sign of x.
  @inline(__always) public static func tanh<T: RealScalar>(_ x: T) -> T {
    let a = abs(x)
    let ax = a > k(20, 10) ? k(20, 10) : a  // tanh is 1 to working precision beyond; NaN stays
    // t = e^2|x| − 1 = 2h with h = s·q + (s − ½), s = 2^(n−1); tanh = t/(t + 2) = h/(h + 1).
    let (r, z) = reduceLn2(ax + ax)
    let s = pow2(z, plus: -1)
    let h = s * expm1Poly(r) + (s - T(0.5))
    return withSign(h / (h + 1), of: x)
  }

  /// The logistic sigmoid 1/(1+e^−x), accurate in both tails (e^x/(1+e^x) for x < 0).
  @inline(__always) public static func sigmoid<T: RealScalar>(_ x: T) -> T {
    let e = exp(-abs(x))
    let s = 1 / (1 + e)
    return x >= 0 ? s : e * s
  }

  // MARK: Logarithms

  /// Splits a positive finite `x` (subnormals included) as `2^e · (1 + f)` with
  /// `1 + f ∈ [√½, √2)`.
  @inline(__always) static func logReduce<T: RealScalar>(_ x: T) -> (e: T, f: T) {
    let tiny = x < T.leastNormalMagnitude
    let (e, f) = logReduceNormal(tiny ? x * k(0x1p54, 0x1p25) : x)
    return (tiny ? e - k(54, 25) : e, f)
  }

  /// ``logReduce(_:)`` for a positive normal finite `x`.
  @inline(__always) static func logReduceNormal<T: RealScalar>(_ xs: T) -> (e: T, f: T) {
    let ix = xs.signedBitPattern
    // Offset so the exponent field of `tmp` is e + 1024 (e + 128), read with a logical shift.
    let offset = bits(T.self, 0x4000_0000_0000_0000, 0x4000_0000)
    let tmp = ix &- bits(T.self, 0x3fe6_a09e_667f_3bcd, 0x3f35_04f3) &+ offset
    let high = bits(T.self, Int64(bitPattern: 0xfff0_0000_0000_0000), Int32(bitPattern: 0xff80_0000))
    let m = T(signedBitPattern: ix &- ((tmp & high) &- offset))
    let biased = T.Bits(truncatingIfNeeded: T.Bits.Magnitude(truncatingIfNeeded: tmp) &>> T.Bits.Magnitude(truncatingIfNeeded: T.significandBitCount))
    // biased < 2^12: OR it into the significand of 2^52 (2^23) to convert without cvt.
    let magic: T = k(0x1p52, 0x1p23)
    let e = T(signedBitPattern: magic.signedBitPattern | biased) - (magic + k(1024, 128))
    return (e, m - 1)
  }

  /// log(1 + f) = f − hfsq + tail, for 1 + f ∈ [√½, √2): returns hfsq = f²/2 and
  /// tail = s·(hfsq + R(s²)), s = f/(2 + f) (fdlibm's decomposition, refitted).
  @inline(__always) static func log1pKernel<T: RealScalar>(_ f: T) -> (hfsq: T, tail: T) {
    let s = f / (2 + f)
    let v = s * s
    let r: T
    if isDouble(T.self) {
      var p: T = 0x1.2fa9cd8771b4ap-3
      p = p * v + 0x1.3992090eb9ac9p-3
      p = p * v + 0x1.7466d3fc4c1d5p-3
      p = p * v + 0x1.c71c4f5585fcfp-3
      p = p * v + 0x1.24924945162bbp-2
      p = p * v + 0x1.999999997c86ap-2
      p = p * v + 0x1.555555555559cp-1
      r = v * p
    } else {
      var p: T = 0x1.e38be6p-3
      p = p * v + 0x1.24351ap-2
      p = p * v + 0x1.999a88p-2
      p = p * v + 0x1.555554p-1
      r = v * p
    }
    let hfsq = T(0.5) * f * f
    return (hfsq, s * (hfsq + r))
  }

  /// Replaces the result for x = +∞ (∞), x = 0 (−∞), x < 0 and NaN (NaN).
  @inline(__always) static func logSpecials<T: RealScalar>(_ y: T, _ x: T) -> T {
    var y = x == T.infinity ? x : y
    y = x == 0 ? -T.infinity : y
    return x >= 0 ? y : T.nan
  }

  /// The natural logarithm: below 1 ulp or so; log 0 = −∞, negative and NaN inputs give NaN.
  /// Branch-free.
  @inline(__always) public static func log<T: RealScalar>(_ x: T) -> T {
    let (e, f) = logReduce(x)
    return logSpecials(logCombine(e, f), x)
  }

  /// The natural logarithm for inputs where ``logNeedsFixup(_:)`` is false (positive, normal,
  /// finite): the cheapest path, for the elementwise driver, which sends the other lanes to
  /// ``log(_:)``.
  @inline(__always) public static func logKernel<T: RealScalar>(_ x: T) -> T {
    let (e, f) = logReduceNormal(x)
    return logCombine(e, f)
  }

  /// Whether ``logKernel(_:)`` cannot handle `x`: zero, subnormal, negative, ∞ or NaN.
  @inline(__always) public static func logNeedsFixup<T: RealScalar>(_ x: T) -> Bool {
    !(x >= T.leastNormalMagnitude && x <= T.greatestFiniteMagnitude)
  }

  /// e·ln2 + log(1 + f), compensated.
  @inline(__always) static func logCombine<T: RealScalar>(_ e: T, _ f: T) -> T {
    let (hfsq, tail) = log1pKernel(f)
    return e * k(0x1.62e42feep-1, 0x1.62e4p-1)
      - ((hfsq - (tail + e * k(0x1.a39ef35793c76p-33, 0x1.7f7d1cp-20))) - f)
  }

  /// log(1 + x), accurate near 0: log of u = 1 + x plus the rounding error of u, (1+x−u)/u.
  @inline(__always) public static func log1p<T: RealScalar>(_ x: T) -> T {
    let u = 1 + x
    let c = x >= 1 ? 1 - (u - x) : x - (u - 1)
    let (e, f) = logReduce(u)
    let (hfsq, tail) = log1pKernel(f)
    let y = e * k(0x1.62e42feep-1, 0x1.62e4p-1)
      - ((hfsq - (tail + (e * k(0x1.a39ef35793c76p-33, 0x1.7f7d1cp-20) + c / u))) - f)
    var out = x == T.infinity ? x : withSign(y, of: x)  // log1p has the sign of x (and −0 ↦ −0)
    out = x == -1 ? -T.infinity : out
    return x >= -1 ? out : T.nan
  }

  /// The high part of `x` with the low half of its significand cleared (products with a
  /// half-width constant are exact).
  @inline(__always) static func highHalf<T: RealScalar>(_ x: T) -> T {
    let mask = bits(T.self, Int64(bitPattern: 0xffff_ffff_0000_0000), Int32(bitPattern: 0xffff_f000))
    return T(signedBitPattern: x.signedBitPattern & mask)
  }

  /// The base-2 logarithm; exact for powers of two.
  @inline(__always) public static func log2<T: RealScalar>(_ x: T) -> T {
    let (e, f) = logReduce(x)
    let (hfsq, tail) = log1pKernel(f)
    let hi = highHalf(f - hfsq)
    let lo = ((f - hi) - hfsq) + tail
    let cHi: T = k(0x1.71547652p+0, 0x1.714p+0)
    let cLo: T = k(0x1.705fc2eefa2p-33, 0x1.47652cp-12)
    let valHi = hi * cHi
    var valLo = (lo + hi) * cLo + lo * cHi
    let w = e + valHi
    valLo = valLo + ((e - w) + valHi)
    return logSpecials(valLo + w, x)
  }

  /// The base-10 logarithm.
  @inline(__always) public static func log10<T: RealScalar>(_ x: T) -> T {
    let (e, f) = logReduce(x)
    let (hfsq, tail) = log1pKernel(f)
    let hi = highHalf(f - hfsq)
    let lo = ((f - hi) - hfsq) + tail
    let cHi: T = k(0x1.bcb7b152p-2, 0x1.bcap-2)
    let cLo: T = k(0x1.b9438ca9aadd5p-36, 0x1.7b1526p-14)
    let valHi = hi * cHi
    let y2 = e * k(0x1.34413509f6p-2, 0x1.344p-2)
    var valLo = e * k(0x1.9fef311f12b36p-42, 0x1.3509f8p-18) + (lo + hi) * cLo + lo * cHi
    let w = y2 + valHi
    valLo = valLo + ((y2 - w) + valHi)
    return logSpecials(valLo + w, x)
  }

  // MARK: Trigonometric functions

  /// The largest |x| the trigonometric kernels reduce exactly: 10⁶ for `Double`, 400 for
  /// `Float` (the quotient x·2/π must fit the 20 or 8 spare bits of the π/2 split).
  @inline(__always) public static func trigKernelLimit<T: RealScalar>(_: T.Type) -> T { k(1e6, 400) }

  /// Whether the trigonometric kernels cannot handle `x` (|x| beyond the limit, or ±∞):
  /// such lanes must be recomputed by the C library.
  @inline(__always) public static func trigNeedsFixup<T: RealScalar>(_ x: T) -> Bool {
    abs(x) > trigKernelLimit(T.self)
  }

  /// Splits `x = j·π/2 + r`, |r| ≲ π/4, with a four-part Cody–Waite split of π/2 (parts of 33
  /// bits for `Double`, 16 for `Float`, so `j·part` is exact): returns r and j in the low bits.
  @inline(__always) static func reducePiOver2<T: RealScalar>(_ x: T) -> (r: T, j: T.Bits) {
    let s = shifter(T.self)
    let z = x * k(0x1.45f306dc9c883p-1, 0x1.45f306p-1) + s
    let j = z - s
    let a = x - j * k(0x1.921fb544p+0, 0x1.921ep+0)  // exact
    // Two exact products subtracted with their rounding errors kept (Fast2Sum): when r is
    // tiny the subtractions are exact, otherwise r is rounded once.
    let p2 = j * k(0x1.0b4611a6p-34, 0x1.b544p-16)
    let b = a - p2
    let eb = (a - b) - p2
    let p3 = j * k(0x1.3198a2ep-69, 0x1.0b46p-34)
    let c = b - p3
    let ec = (b - c) - p3
    let r = c - (j * k(0x1.b839a252049c1p-104, 0x1.1a6264p-54) - (eb + ec))  // keeps −0
    return (r, z.signedBitPattern)
  }

  /// sin r on |r| ≲ π/4, given r² : r + r³·S(r²).
  @inline(__always) static func sinPoly<T: RealScalar>(_ r: T, _ v: T) -> T {
    if isDouble(T.self) {
      var p: T = 0x1.5d7d6ab8a80bdp-33
      p = p * v - 0x1.ae5e1c4fabac5p-26
      p = p * v + 0x1.71de351a0b283p-19
      p = p * v - 0x1.a01a019ba67acp-13
      p = p * v + 0x1.111111110f529p-7
      p = p * v - 0x1.5555555555547p-3
      return withSign(r + (r * v) * p, of: r)  // sin r has the sign of r (and −0 ↦ −0)
    } else {
      var p: T = 0x1.6cb802p-19
      p = p * v - 0x1.a00f12p-13
      p = p * v + 0x1.111108p-7
      p = p * v - 0x1.555556p-3
      return withSign(r + (r * v) * p, of: r)
    }
  }

  /// cos r on |r| ≲ π/4, given r²: 1 − r²/2 + r⁴·C(r²), with fdlibm's compensated 1 − r²/2.
  @inline(__always) static func cosPoly<T: RealScalar>(_ v: T) -> T {
    let c: T
    if isDouble(T.self) {
      var p: T = -0x1.8f9acae5e9d51p-37
      p = p * v + 0x1.1ee9c69af1297p-29
      p = p * v - 0x1.27e4f7d4a0a61p-22
      p = p * v + 0x1.a01a019c6a58ep-16
      p = p * v - 0x1.6c16c16c14ebep-10
      p = p * v + 0x1.555555555554ap-5
      c = p
    } else {
      var p: T = -0x1.2417dep-22
      p = p * v + 0x1.a010c4p-16
      p = p * v - 0x1.6c16b8p-10
      p = p * v + 0x1.555556p-5
      c = p
    }
    let hz = T(0.5) * v
    let w = 1 - hz
    return w + (((1 - w) - hz) + (v * v) * c)
  }

  /// Flips the sign of `y` when bit 1 of `q` is set (the lower half-turns).
  @inline(__always) static func flipSign<T: RealScalar>(_ y: T, quadrant q: T.Bits) -> T {
    let two = T.Bits(truncatingIfNeeded: 2)
    let bit = (q & two) &<< T.Bits(truncatingIfNeeded: T.Bits.bitWidth - 2)
    return T(signedBitPattern: y.signedBitPattern ^ bit)
  }

  /// Sine for |x| ≤ ``trigKernelLimit(_:)``, branch-free (NaN in, NaN out).
  @inline(__always) public static func sinKernel<T: RealScalar>(_ x: T) -> T {
    let (r, q) = reducePiOver2(x)
    let v = r * r
    let y = (q & 1) != 0 ? cosPoly(v) : sinPoly(r, v)
    return flipSign(y, quadrant: q)
  }

  /// Cosine for |x| ≤ ``trigKernelLimit(_:)``, branch-free (NaN in, NaN out).
  @inline(__always) public static func cosKernel<T: RealScalar>(_ x: T) -> T {
    let (r, j) = reducePiOver2(x)
    let q = j &+ 1
    let v = r * r
    let y = (q & 1) != 0 ? cosPoly(v) : sinPoly(r, v)
    return flipSign(y, quadrant: q)
  }

  /// Tangent for |x| ≤ ``trigKernelLimit(_:)``, branch-free: sin r / cos r, or −cos r / sin r
  /// in odd quadrants.
  @inline(__always) public static func tanKernel<T: RealScalar>(_ x: T) -> T {
    let (r, q) = reducePiOver2(x)
    let v = r * r
    let s = sinPoly(r, v)
    let c = cosPoly(v)
    let odd = (q & 1) != 0
    return (odd ? -c : s) / (odd ? s : c)
  }

  /// Sine, correct for every input (falls back to the C library beyond the kernel's range).
  @inline(__always) public static func sin<T: RealScalar>(_ x: T) -> T {
    trigNeedsFixup(x) ? T.sin(x) : sinKernel(x)
  }

  /// Cosine, correct for every input (falls back to the C library beyond the kernel's range).
  @inline(__always) public static func cos<T: RealScalar>(_ x: T) -> T {
    trigNeedsFixup(x) ? T.cos(x) : cosKernel(x)
  }

  /// Tangent, correct for every input (falls back to the C library beyond the kernel's range).
  @inline(__always) public static func tan<T: RealScalar>(_ x: T) -> T {
    trigNeedsFixup(x) ? T.tan(x) : tanKernel(x)
  }

  // MARK: Error function

  /// erf(x)/x − 1 = Q(x²) for |x| ≤ 1 (near-minimax in relative error): erf x = x + x·Q, and
  /// erfc x = (1 − x) − x·Q with little cancellation.
  @inline(__always) static func erfQ<T: RealScalar>(_ x: T) -> T {
    let v = x * x
    if isDouble(T.self) {
      var p: T = -0x1.abae43e9ee5b2p-31
      p = p * v + 0x1.d71b0d4f1e189p-27
      p = p * v - 0x1.5c0726ab97a89p-23
      p = p * v + 0x1.b97fd3cdf6773p-20
      p = p * v - 0x1.f4ca4d6e061b3p-17
      p = p * v + 0x1.f9a2baa8e9caap-14
      p = p * v - 0x1.c02db03dd6331p-11
      p = p * v + 0x1.565bccf92b293p-8
      p = p * v - 0x1.b82ce311fa93ap-6
      p = p * v + 0x1.ce2f21a040d16p-4
      p = p * v - 0x1.812746b0379bdp-2
      p = p * v + 0x1.06eba8214db68p-3  // 2/√π − 1
      return p
    } else {
      var p: T = 0x1.496a28p-14
      p = p * v - 0x1.a3f6fcp-11
      p = p * v + 0x1.5405b2p-8
      p = p * v - 0x1.b7f90cp-6
      p = p * v + 0x1.ce2cf8p-4
      p = p * v - 0x1.81273ep-2
      p = p * v + 0x1.06eba8p-3  // 2/√π − 1
      return p
    }
  }

  /// erfc(x) for 1 ≤ x ≤ 30: e^(−x²)·H(t)/x with t = (x − 2)/(x + 2), where e^(−x²) is
  /// computed from an exact split x² = hi + lo, so the result is accurate in relative terms
  /// down to the underflow threshold.
  @inline(__always) static func erfcLarge<T: RealScalar>(_ x: T) -> T {
    let v = (x - 2) / (x + 2)
    let h: T
    if isDouble(T.self) {
      var p: T = -0x1.d813772a415cep-22
      p = p * v + 0x1.69e6a2329d372p-19
      p = p * v - 0x1.8d51d206413b2p-18
      p = p * v + 0x1.3e26ff463339bp-18
      p = p * v - 0x1.6446a3bdaa206p-21
      p = p * v + 0x1.f8133d5ab32b2p-20
      p = p * v + 0x1.37e080bbc8a3ap-19
      p = p * v - 0x1.289c3e3061857p-17
      p = p * v - 0x1.3fa6e759abeaep-16
      p = p * v + 0x1.a6dfaefaf66fbp-18
      p = p * v + 0x1.769a87f0b8bb3p-14
      p = p * v + 0x1.77063329a824cp-14
      p = p * v - 0x1.499eb7b70fce9p-12
      p = p * v - 0x1.8950095a2e52fp-11
      p = p * v + 0x1.2758bb9a90c48p-10
      p = p * v + 0x1.399546ca7a26bp-8
      p = p * v - 0x1.ec8d2aaaef015p-8
      p = p * v - 0x1.dac006bb06318p-6
      p = p * v + 0x1.f1b9a3c942219p-4
      p = p * v - 0x1.a1791e43ecea1p-3
      p = p * v + 0x1.5672b9ea13decp-3
      p = p * v + 0x1.058671b52c776p-1
      h = p
    } else {
      var p: T = 0x1.14808cp-12
      p = p * v - 0x1.6e234ap-10
      p = p * v + 0x1.59081ep-10
      p = p * v + 0x1.3ff17ap-8
      p = p * v - 0x1.f0684ep-8
      p = p * v - 0x1.dac6a2p-6
      p = p * v + 0x1.f1be1cp-4
      p = p * v - 0x1.a1793p-3
      p = p * v + 0x1.5672bp-3
      p = p * v + 0x1.058672p-1
      h = p
    }
    // x = xh + xl with xh² exact; e^(−x²) = e^(−hi)·(1 + em), em = e^(−lo) − 1 by its series.
    let mask = bits(T.self, Int64(bitPattern: 0xffff_ffff_f800_0000), Int32(bitPattern: 0xffff_f000))
    let xh = T(signedBitPattern: x.signedBitPattern & mask)
    let hi = xh * xh
    let m = -((x - xh) * (x + xh))
    var em: T = 1 + m * T(0.2)
    em = 1 + m * T(0.25) * em
    em = 1 + m * k(0x1.5555555555555p-2, 0x1.555556p-2) * em
    em = 1 + m * T(0.5) * em
    em = m * em
    let e = exp(-hi)
    return (e + e * em) * h / x
  }

  /// The error function erf x = 2/√π ∫₀ˣ e^(−t²) dt.
  @inline(__always) public static func erf<T: RealScalar>(_ x: T) -> T {
    let ax = abs(x)
    let small = x + x * erfQ(x)
    let big = withSign(1 - erfcLarge(clamp(ax, 1, 6)), of: x)
    return ax < 1 ? small : big
  }

  /// The complementary error function erfc x = 1 − erf x, accurate in relative terms for
  /// large x.
  @inline(__always) public static func erfc<T: RealScalar>(_ x: T) -> T {
    let ax = abs(x)
    let small = (1 - x) - x * erfQ(x)
    let e = erfcLarge(clamp(ax, 1, 30))
    let big = x < 0 ? 2 - e : e
    return ax < 1 ? small : big
  }
}
