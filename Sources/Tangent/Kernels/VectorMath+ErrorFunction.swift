internal import CKernels
import ComplexModule
import RealModule

/// The error function kernels of ``VectorMath`` (implemented in
/// `Sources/CKernels/include/VectorMath.inc`): erf x = x + x·Q(x²) for |x| < 1, and for
/// larger |x| erfc x = e^(−x²)·H((x − 2)/(x + 2))/x with e^(−x²) from an exact split of x².
extension VectorMath {
  /// The error function erf x = 2/√π ∫₀ˣ e^(−t²) dt.
  @inline(__always) public static func erf<T: RealScalar>(_ x: T) -> T { call(x, tg_erf_d, tg_erf_f) }

  /// The complementary error function erfc x = 1 − erf x, accurate in relative terms for
  /// large x.
  @inline(__always) public static func erfc<T: RealScalar>(_ x: T) -> T { call(x, tg_erfc_d, tg_erfc_f) }
}
