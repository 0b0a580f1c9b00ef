internal import CKernels
import ComplexModule
import RealModule

/// The trigonometric kernels of ``VectorMath`` (implemented in
/// `Sources/CKernels/include/VectorMath.inc`): Cody–Waite reduction by π/2 and the fix-up
/// flags for arguments beyond ``VectorMath/trigKernelLimit(_:)``.
extension VectorMath {
  /// The largest |x| the trigonometric kernels reduce exactly: 10⁶ for `Double`, 400 for
  /// `Float` (the quotient x·2/π must fit the 20 or 8 spare bits of the π/2 split).
  @inline(__always) public static func trigKernelLimit<T: RealScalar>(_: T.Type) -> T {
    T.self == Double.self ? unsafeBitCast(tg_trig_kernel_limit_d(), to: T.self)
      : unsafeBitCast(tg_trig_kernel_limit_f(), to: T.self)
  }

  /// Whether the trigonometric kernels cannot handle `x` (|x| beyond the limit, or ±∞):
  /// such lanes must be recomputed by the C library.
  @inline(__always) public static func trigNeedsFixup<T: RealScalar>(_ x: T) -> Bool {
    test(x, tg_trig_needs_fixup_d, tg_trig_needs_fixup_f)
  }

  /// Sine for |x| ≤ ``trigKernelLimit(_:)``, branch-free (NaN in, NaN out).
  @inline(__always) public static func sinKernel<T: RealScalar>(_ x: T) -> T {
    call(x, tg_sin_kernel_d, tg_sin_kernel_f)
  }

  /// Cosine for |x| ≤ ``trigKernelLimit(_:)``, branch-free (NaN in, NaN out).
  @inline(__always) public static func cosKernel<T: RealScalar>(_ x: T) -> T {
    call(x, tg_cos_kernel_d, tg_cos_kernel_f)
  }

  /// Tangent for |x| ≤ ``trigKernelLimit(_:)``, branch-free: sin r / cos r, or −cos r / sin r
  /// in odd quadrants.
  @inline(__always) public static func tanKernel<T: RealScalar>(_ x: T) -> T {
    call(x, tg_tan_kernel_d, tg_tan_kernel_f)
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
