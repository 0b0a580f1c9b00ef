internal import CKernels
import ComplexModule
import RealModule

/// Scalar kernels for transcendental functions, written to vectorise when called in a loop.
///
/// Every kernel has one implementation, in C: a `static inline` function of the `CKernels`
/// target (`Sources/CKernels/include/VectorMath.inc`), written once for a scalar type and
/// instantiated for `double` and `float`. The Swift functions here are generic over
/// ``RealScalar`` and call the instantiation for `T` (one branch on the type, a constant once
/// specialised); the Swift compiler imports and inlines C static inline functions, so a Swift
/// loop that calls a kernel still vectorises. The contiguous elementwise loops of the tensor
/// ops do not go through Swift at all: they call the run-time dispatched C loops of
/// `VectorLoops.c`, compiled for AVX-512, AVX2+FMA and the baseline, which call the same
/// kernels (see ``UnaryFunction/realLoop(_:_:count:)`` and the README's "Runtime CPU
/// dispatch").
///
/// Each kernel is branch-free in its main path: range reduction by bit tricks (no trapping
/// float-to-integer conversion), near-minimax polynomials whose degree depends on the
/// precision, and special values (±∞, NaN, overflow, underflow, subnormals) handled with
/// selects. No multiply-add is contracted into an FMA, so results are the same on every CPU.
///
/// Accuracy, measured against the C library on millions of points (see `VectorMathTests`):
/// at most 1–3 ulp for every function in both precisions. The coefficients are fitted by
/// `bench/fit_vectormath.py`.
///
/// The trigonometric kernels (``sinKernel(_:)``, ``cosKernel(_:)``, ``tanKernel(_:)``) reduce
/// the argument with a four-part Cody–Waite split of π/2, exact for |x| up to
/// ``trigKernelLimit(_:)``; larger arguments (and ±∞) are flagged by
/// ``trigNeedsFixup(_:)``, and the elementwise loops recompute those rare lanes with the C
/// library in a second pass (see ``UnaryFunction/realNeedsFixup(_:)``). The plain ``sin(_:)``,
/// ``cos(_:)`` and ``tan(_:)`` are correct for every input, but branch.
public enum VectorMath {
  /// The square root, correctly rounded (the same bits as `x.squareRoot()`), NaN below zero.
  /// Unlike `squareRoot()`, which on Linux calls the C library's `sqrt` (a branch into libm
  /// to set `errno` for a negative argument), it is the bare instruction, so loops over it
  /// vectorise.
  @inline(__always) public static func squareRoot<T: RealScalar>(_ x: T) -> T { call(x, tg_sqrt_d, tg_sqrt_f) }

  /// ``squareRoot(_:)`` of each lane (vector square roots once specialised).
  @inline(__always) public static func squareRoot<T: RealScalar>(_ x: SIMD8<T>) -> SIMD8<T> {
    var r = SIMD8<T>()
    for k in 0..<8 { r[k] = squareRoot(x[k]) }
    return r
  }

  /// `double(x)` or `float(x)`, whichever matches `T` (a constant choice once specialised).
  @inline(__always) static func call<T: RealScalar>(
    _ x: T, _ double: (Double) -> Double, _ float: (Float) -> Float
  ) -> T {
    if T.self == Double.self { return unsafeBitCast(double(unsafeBitCast(x, to: Double.self)), to: T.self) }
    return unsafeBitCast(float(unsafeBitCast(x, to: Float.self)), to: T.self)
  }

  /// `double(x)` or `float(x)` for a predicate, whichever matches `T`.
  @inline(__always) static func test<T: RealScalar>(
    _ x: T, _ double: (Double) -> Bool, _ float: (Float) -> Bool
  ) -> Bool {
    if T.self == Double.self { return double(unsafeBitCast(x, to: Double.self)) }
    return float(unsafeBitCast(x, to: Float.self))
  }
}
