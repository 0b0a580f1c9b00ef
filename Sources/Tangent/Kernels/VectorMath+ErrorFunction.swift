import ComplexModule
import RealModule

/// The error function kernels of ``VectorMath``.
extension VectorMath {
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
