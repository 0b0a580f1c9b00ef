import ComplexModule
import RealModule

/// The trigonometric kernels of ``VectorMath``: Cody–Waite reduction by π/2 and the
/// fix-up flags for arguments beyond ``VectorMath/trigKernelLimit(_:)``.
extension VectorMath {
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
}
