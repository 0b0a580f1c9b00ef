import ComplexModule
import RealModule

/// The logarithm kernels of ``VectorMath``.
extension VectorMath {
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
}
