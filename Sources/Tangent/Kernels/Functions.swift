import ComplexModule
import RealModule

/// A unary elementwise function, written once for every floating dtype.
///
/// Conformers are caseless enums. `real` must be branch-free where it can, so that the
/// contiguous loop that calls it vectorises; `complex` may call swift-numerics.
public protocol UnaryFunction {
  /// The op's name, used in error messages.
  static var name: String { get }
  /// The function on a real scalar.
  static func real<T: RealScalar>(_ x: T) -> T
  /// The function on a complex scalar. The default stops: the op is real-only.
  static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T>
  /// Whether ``complex(_:)`` is implemented.
  static var supportsComplex: Bool { get }
  /// The function on integers, for ops that keep integer dtypes (`neg`, `abs`, `sign`).
  /// `nil` means integer inputs are promoted to the default floating dtype first.
  static func integer(_ x: Int64) -> Int64?
  /// Whether the branch-free ``real(_:)`` is inexact for `x` (a rare input, such as a huge
  /// argument of `sin`), so that the contiguous driver recomputes it with ``realFixup(_:)`` in
  /// a second pass over the flagged lanes only. The default is `false`; keep it branch-free.
  ///
  /// This keeps the common path vectorised: `real` for sine is ``VectorMath/sinKernel(_:)``,
  /// `realNeedsFixup` is ``VectorMath/trigNeedsFixup(_:)`` and `realFixup` calls the C library.
  static func realNeedsFixup<T: RealScalar>(_ x: T) -> Bool
  /// The exact (slow) function for inputs flagged by ``realNeedsFixup(_:)``; defaults to ``real(_:)``.
  static func realFixup<T: RealScalar>(_ x: T) -> T
  /// Runs the whole contiguous loop `y[i] = real(x[i])` (fixups included) over `count`
  /// elements with a run-time dispatched C loop and returns `true`, or returns `false` (the
  /// default) when the function has none. `x` and `y` must not overlap.
  ///
  /// The functions of ``VectorMath`` that tensor ops use (exp, log, log1p, sin, cos, tanh,
  /// sigmoid, log-sigmoid, SiLU) implement it, so their contiguous loops run with AVX-512 or
  /// AVX2 on CPUs that have them even in a build for the baseline target (see
  /// ``VectorMath/dispatchLevel``).
  static func realLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool
}

extension UnaryFunction {
  /// No input needs the slow path by default.
  @inline(__always) public static func realNeedsFixup<T: RealScalar>(_ x: T) -> Bool { false }
  /// The slow path defaults to ``real(_:)`` itself.
  public static func realFixup<T: RealScalar>(_ x: T) -> T { real(x) }
  /// No dispatched loop by default: the driver runs its own (Swift) loop.
  @inline(__always) public static func realLoop<T: RealScalar>(
    _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int
  ) -> Bool { false }
  public static var supportsComplex: Bool { true }
  public static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> {
    misuse("\(name): complex inputs are not supported")
  }
  public static func integer(_ x: Int64) -> Int64? { nil }
}

/// A binary elementwise function, written once for every numeric dtype.
public protocol BinaryFunction {
  /// The op's name, used in error messages.
  static var name: String { get }
  /// The function on real scalars.
  static func real<T: RealScalar>(_ a: T, _ b: T) -> T
  /// The function on complex scalars. The default stops: the op is real-only.
  static func complex<T: RealScalar>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T>
  /// Whether ``complex(_:_:)`` is implemented.
  static var supportsComplex: Bool { get }
  /// The function on integers, or `nil` (the default) to promote integers to floating first.
  static func integer(_ a: Int64, _ b: Int64) -> Int64?
  /// Whether integer inputs keep their dtype (`add`, `mul`); `false` promotes them (`div`).
  static var keepsIntegers: Bool { get }
}

extension BinaryFunction {
  public static var supportsComplex: Bool { true }
  public static func complex<T: RealScalar>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> {
    misuse("\(name): complex inputs are not supported")
  }
  public static func integer(_ a: Int64, _ b: Int64) -> Int64? { nil }
  public static var keepsIntegers: Bool { false }
}

/// A comparison between two real or integer scalars, giving a boolean.
public protocol ComparisonFunction {
  /// The op's name, used in error messages.
  static var name: String { get }
  /// The comparison.
  static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool
  /// Whether complex inputs are allowed: only for `eq` and `ne`, which see complex operands
  /// through `compare(0, equal ? 0 : 1)`.
  static var allowsComplex: Bool { get }
}

extension ComparisonFunction {
  public static var allowsComplex: Bool { false }
}
