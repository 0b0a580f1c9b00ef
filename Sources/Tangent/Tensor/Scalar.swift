import ComplexModule
import RealModule

/// A Swift type that can be stored in a ``Tensor``.
public protocol TensorScalar: Sendable {
  /// The dtype that stores this Swift type.
  static var dtype: DType { get }
  /// The additive identity, or `false`.
  static var zeroValue: Self { get }
  /// Converts from a (real, imaginary) pair of `Double`s: the imaginary part is dropped by real
  /// types, integers truncate, and booleans test for non-zero.
  init(doublePair: (Double, Double))
  /// The value as a (real, imaginary) pair of `Double`s.
  var doublePair: (Double, Double) { get }
}

/// A tensor scalar with arithmetic: integers, reals and complex numbers.
public protocol NumericScalar: TensorScalar, Numeric {
  /// Converts from a `Double` (the real part, for complex types; truncating for integers).
  init(fromDouble value: Double)
}

/// A floating scalar, real or complex: the dtypes that can be differentiated.
public protocol FloatingScalar: NumericScalar, AlgebraicField, ElementaryFunctions {
  /// The real type of the same precision (`Self` for real types).
  associatedtype RealPart: RealScalar
  /// Builds a value from a real and an imaginary part (the imaginary part is dropped for reals).
  init(real: RealPart, imaginary: RealPart)
  /// The real part.
  var realPart: RealPart { get }
  /// The imaginary part (zero for reals).
  var imaginaryPart: RealPart { get }
  /// The complex conjugate (the identity for reals).
  var conjugated: Self { get }
}

/// A real floating scalar, `Float` or `Double`.
///
/// Besides arithmetic it exposes the IEEE bit pattern as a signed integer of the same width,
/// which the branch-free kernels of ``VectorMath`` use for exponent tricks, and `SIMDScalar`,
/// which the reduction kernels use for wide accumulators.
public protocol RealScalar: FloatingScalar, Real, BinaryFloatingPoint, SIMDScalar, Codable where RealPart == Self {
  /// The complex dtype with this precision.
  static var complexDType: DType { get }
  /// The integer type of the same width, used by the vectorised math kernels.
  associatedtype Bits: FixedWidthInteger & SignedInteger
  /// `2^k` for an integral `k` in the normal range, built from bits (branch-free, vectorises).
  static func exp2Integral(_ k: Self) -> Self
  /// The IEEE 754 bit pattern, as a signed integer of the same width.
  var signedBitPattern: Bits { get }
  /// The value whose IEEE 754 bit pattern is `bits`.
  init(signedBitPattern bits: Bits)
}

extension Bool: TensorScalar {
  public static var dtype: DType { .bool }
  public static var zeroValue: Bool { false }
  public init(doublePair p: (Double, Double)) { self = p.0 != 0 || p.1 != 0 }
  public var doublePair: (Double, Double) { (self ? 1 : 0, 0) }
}

extension Int64: NumericScalar {
  public static var dtype: DType { .int64 }
  public static var zeroValue: Int64 { 0 }
  public init(fromDouble value: Double) { self.init(convertingChecked: value) }
  public init(doublePair p: (Double, Double)) { self.init(convertingChecked: p.0) }

  /// `value` truncated toward zero, like a C cast, for every value that fits in `Int64`.
  ///
  /// NaN, ±∞ and values outside `-2⁶³..<2⁶³` have no `Int64`. PyTorch leaves their conversion
  /// undefined (the result depends on the platform); Tangent stops with a message naming
  /// `converted(to:)` and the value, in every build.
  @inline(__always) init(convertingChecked value: Double) {
    if _slowPath(!(value >= -0x1p63 && value < 0x1p63)) {
      misuse(
        "converted(to: int64): \(value) has no int64 value (NaN, ±infinity and values outside -2^63..<2^63 cannot be converted)")
    }
    self = Int64(value)
  }
  public var doublePair: (Double, Double) { (Double(self), 0) }
}

extension Float: RealScalar {
  public static var dtype: DType { .float32 }
  public static var complexDType: DType { .complex64 }
  public static var zeroValue: Float { 0 }
  public typealias Bits = Int32
  public init(fromDouble value: Double) { self = Float(value) }
  public init(doublePair p: (Double, Double)) { self = Float(p.0) }
  public var doublePair: (Double, Double) { (Double(self), 0) }
  public init(real: Float, imaginary: Float) { self = real }
  public var realPart: Float { self }
  public var imaginaryPart: Float { 0 }
  public var conjugated: Float { self }
  @inline(__always) public static func exp2Integral(_ k: Float) -> Float {
    // k + 1.5·2^23 holds k in its low bits: no trapping float-to-integer conversion.
    let z = k + 0x1.8p23
    return Float(signedBitPattern: (z.signedBitPattern &- (0x1.8p23 as Float).signedBitPattern &+ 127) &<< 23)
  }
  /// The IEEE 754 bit pattern as an `Int32`.
  @inline(__always) public var signedBitPattern: Int32 { Int32(bitPattern: bitPattern) }
  /// The value with the IEEE 754 bit pattern `bits`.
  @inline(__always) public init(signedBitPattern bits: Int32) { self.init(bitPattern: UInt32(bitPattern: bits)) }
}

extension Double: RealScalar {
  public static var dtype: DType { .float64 }
  public static var complexDType: DType { .complex128 }
  public static var zeroValue: Double { 0 }
  public typealias Bits = Int64
  public init(fromDouble value: Double) { self = value }
  public init(doublePair p: (Double, Double)) { self = p.0 }
  public var doublePair: (Double, Double) { (self, 0) }
  public init(real: Double, imaginary: Double) { self = real }
  public var realPart: Double { self }
  public var imaginaryPart: Double { 0 }
  public var conjugated: Double { self }
  @inline(__always) public static func exp2Integral(_ k: Double) -> Double {
    // k + 1.5·2^52 holds k in its low bits: no trapping float-to-integer conversion.
    let z = k + 0x1.8p52
    return Double(signedBitPattern: (z.signedBitPattern &- (0x1.8p52 as Double).signedBitPattern &+ 1023) &<< 52)
  }
  /// The IEEE 754 bit pattern as an `Int64`.
  @inline(__always) public var signedBitPattern: Int64 { Int64(bitPattern: bitPattern) }
  /// The value with the IEEE 754 bit pattern `bits`.
  @inline(__always) public init(signedBitPattern bits: Int64) { self.init(bitPattern: UInt64(bitPattern: bits)) }
}

extension Complex: TensorScalar where RealType: RealScalar {
  public static var dtype: DType { RealType.complexDType }
  public static var zeroValue: Complex<RealType> { .zero }
}

extension Complex: NumericScalar where RealType: RealScalar {
  public init(fromDouble value: Double) { self.init(RealType(value), 0) }
  public init(doublePair p: (Double, Double)) { self.init(RealType(p.0), RealType(p.1)) }
  /// The raw parts: swift-numerics reports both parts of a non-finite value as NaN, which
  /// would turn `inf + 1i` into `nan + nan·i` on conversion.
  public var doublePair: (Double, Double) { (Double(rawStorage.x), Double(rawStorage.y)) }
}

extension Complex: FloatingScalar where RealType: RealScalar {
  public typealias RealPart = RealType
  public init(real: RealType, imaginary: RealType) { self.init(real, imaginary) }
  public var realPart: RealType { real }
  public var imaginaryPart: RealType { imaginary }
  public var conjugated: Complex<RealType> { conjugate }
}
