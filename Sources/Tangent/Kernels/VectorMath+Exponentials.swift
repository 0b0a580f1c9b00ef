import ComplexModule
import RealModule

/// The exponential kernels of ``VectorMath``, and the hyperbolic functions and the sigmoid
/// built on them.
extension VectorMath {
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
}
