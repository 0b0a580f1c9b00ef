import ComplexModule
import RealModule

/// Scalar kernels for transcendental functions, written to vectorise when called in a loop.
///
/// Each function is branch-free in its main path, so the contiguous elementwise loop compiles
/// to SIMD code. (Placeholder bodies call the C library; see issue #2.)
public enum VectorMath {
  /// e^x.
  @inline(__always) public static func exp<T: RealScalar>(_ x: T) -> T { T.exp(x) }
  /// The natural logarithm.
  @inline(__always) public static func log<T: RealScalar>(_ x: T) -> T { T.log(x) }
  /// Sine.
  @inline(__always) public static func sin<T: RealScalar>(_ x: T) -> T { T.sin(x) }
  /// Cosine.
  @inline(__always) public static func cos<T: RealScalar>(_ x: T) -> T { T.cos(x) }
  /// Hyperbolic tangent.
  @inline(__always) public static func tanh<T: RealScalar>(_ x: T) -> T { T.tanh(x) }
  /// The logistic sigmoid 1/(1+e^−x).
  @inline(__always) public static func sigmoid<T: RealScalar>(_ x: T) -> T { 1 / (1 + exp(-x)) }
}
