import ComplexModule
import RealModule

// MARK: Kernels

enum EqualFunction: ComparisonFunction {
  static var name: String { "eq" }
  @inline(__always) static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a == b }
  static var allowsComplex: Bool { true }
}

enum NotEqualFunction: ComparisonFunction {
  static var name: String { "ne" }
  @inline(__always) static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a != b }
  static var allowsComplex: Bool { true }
}

enum LessFunction: ComparisonFunction {
  static var name: String { "lt" }
  @inline(__always) static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a < b }
}

enum LessEqualFunction: ComparisonFunction {
  static var name: String { "le" }
  @inline(__always) static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a <= b }
}

enum GreaterFunction: ComparisonFunction {
  static var name: String { "gt" }
  @inline(__always) static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a > b }
}

enum GreaterEqualFunction: ComparisonFunction {
  static var name: String { "ge" }
  @inline(__always) static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a >= b }
}

/// Runs a comparison; complex equality is componentwise, so that NaN ≠ NaN and ∞ ≠ NaN as in
/// PyTorch (swift-numerics' `==` treats every non-finite value as equal).
func compareTensors<F: ComparisonFunction>(_: F.Type, _ a: Tensor, _ b: Tensor) -> Tensor {
  let t = DType.promoted(a.dtype, b.dtype)
  guard t.isComplex, F.allowsComplex else { return ElementwiseKernels.compare(F.self, a.detached, b.detached) }
  let shape = Shape.broadcast(a.shape, b.shape, op: F.name)
  let a = a.dtype == t ? a.detached : a.contiguousValues(dtype: t)
  let b = b.dtype == t ? b.detached : b.contiguousValues(dtype: t)
  let equal = F.compare(0, 0)
  if t == .complex64 {
    return ElementwiseKernels.zip(a, b, shape: shape, Complex<Float>.self, to: .bool, Bool.self) {
      ($0.rawStorage.x == $1.rawStorage.x && $0.rawStorage.y == $1.rawStorage.y) == equal
    }
  }
  return ElementwiseKernels.zip(a, b, shape: shape, Complex<Double>.self, to: .bool, Bool.self) {
    ($0.rawStorage.x == $1.rawStorage.x && $0.rawStorage.y == $1.rawStorage.y) == equal
  }
}

// MARK: Public API

extension Tensor {
  /// Elementwise `self == other`, like `torch.eq`, with broadcasting and type promotion.
  ///
  /// Complex values are equal when both parts are; NaN equals nothing.
  /// - Returns: a `bool` tensor of the broadcast shape.
  /// - Precondition: the shapes broadcast.
  /// Derivative: none (the result is `bool`).
  public func eq(_ other: Tensor) -> Tensor { compareTensors(EqualFunction.self, self, other) }

  /// Elementwise `self != other`, like `torch.ne`. See ``eq(_:)-(Tensor)``.
  ///
  /// - Precondition: the shapes broadcast.
  /// Derivative: none (the result is `bool`).
  public func ne(_ other: Tensor) -> Tensor { compareTensors(NotEqualFunction.self, self, other) }

  /// Elementwise `self < other`, like `torch.lt`, with broadcasting and type promotion.
  ///
  /// - Precondition: the shapes broadcast and neither input is complex (complex numbers have
  ///   no ordering).
  /// Derivative: none (the result is `bool`).
  public func lt(_ other: Tensor) -> Tensor { compareTensors(LessFunction.self, self, other) }

  /// Elementwise `self <= other`, like `torch.le`. See ``lt(_:)-(Tensor)``.
  ///
  /// - Precondition: the shapes broadcast and neither input is complex.
  /// Derivative: none (the result is `bool`).
  public func le(_ other: Tensor) -> Tensor { compareTensors(LessEqualFunction.self, self, other) }

  /// Elementwise `self > other`, like `torch.gt`. See ``lt(_:)-(Tensor)``.
  ///
  /// - Precondition: the shapes broadcast and neither input is complex.
  /// Derivative: none (the result is `bool`).
  public func gt(_ other: Tensor) -> Tensor { compareTensors(GreaterFunction.self, self, other) }

  /// Elementwise `self >= other`, like `torch.ge`. See ``lt(_:)-(Tensor)``.
  ///
  /// - Precondition: the shapes broadcast and neither input is complex.
  /// Derivative: none (the result is `bool`).
  public func ge(_ other: Tensor) -> Tensor { compareTensors(GreaterEqualFunction.self, self, other) }

  /// Compares with a scalar (a weakly typed scalar: an integral value keeps an `int64`
  /// comparison integral). See ``eq(_:)``.
  public func eq(_ other: Double) -> Tensor { eq(scalarLike(other)) }
  /// Compares with a scalar. See ``ne(_:)``.
  public func ne(_ other: Double) -> Tensor { ne(scalarLike(other)) }
  /// Compares with a scalar. See ``lt(_:)-(Tensor)``.
  public func lt(_ other: Double) -> Tensor { lt(scalarLike(other)) }
  /// Compares with a scalar. See ``le(_:)``.
  public func le(_ other: Double) -> Tensor { le(scalarLike(other)) }
  /// Compares with a scalar. See ``gt(_:)``.
  public func gt(_ other: Double) -> Tensor { gt(scalarLike(other)) }
  /// Compares with a scalar. See ``ge(_:)``.
  public func ge(_ other: Double) -> Tensor { ge(scalarLike(other)) }

  /// Elementwise equality, a `bool` tensor (`torch.eq`). Derivative: none.
  public static func .== (a: Tensor, b: Tensor) -> Tensor { a.eq(b) }
  /// Elementwise inequality, a `bool` tensor (`torch.ne`). Derivative: none.
  public static func .!= (a: Tensor, b: Tensor) -> Tensor { a.ne(b) }
  /// Elementwise `<`, a `bool` tensor (`torch.lt`). Derivative: none.
  public static func .< (a: Tensor, b: Tensor) -> Tensor { a.lt(b) }
  /// Elementwise `<=`, a `bool` tensor (`torch.le`). Derivative: none.
  public static func .<= (a: Tensor, b: Tensor) -> Tensor { a.le(b) }
  /// Elementwise `>`, a `bool` tensor (`torch.gt`). Derivative: none.
  public static func .> (a: Tensor, b: Tensor) -> Tensor { a.gt(b) }
  /// Elementwise `>=`, a `bool` tensor (`torch.ge`). Derivative: none.
  public static func .>= (a: Tensor, b: Tensor) -> Tensor { a.ge(b) }

  /// Elementwise equality with a scalar. Derivative: none.
  public static func .== (a: Tensor, b: Double) -> Tensor { a.eq(b) }
  /// Elementwise inequality with a scalar. Derivative: none.
  public static func .!= (a: Tensor, b: Double) -> Tensor { a.ne(b) }
  /// Elementwise `<` with a scalar. Derivative: none.
  public static func .< (a: Tensor, b: Double) -> Tensor { a.lt(b) }
  /// Elementwise `<=` with a scalar. Derivative: none.
  public static func .<= (a: Tensor, b: Double) -> Tensor { a.le(b) }
  /// Elementwise `>` with a scalar. Derivative: none.
  public static func .> (a: Tensor, b: Double) -> Tensor { a.gt(b) }
  /// Elementwise `>=` with a scalar. Derivative: none.
  public static func .>= (a: Tensor, b: Double) -> Tensor { a.ge(b) }

  /// Elementwise equality of a scalar and a tensor. Derivative: none.
  public static func .== (a: Double, b: Tensor) -> Tensor { b.eq(a) }
  /// Elementwise inequality of a scalar and a tensor. Derivative: none.
  public static func .!= (a: Double, b: Tensor) -> Tensor { b.ne(a) }
  /// Elementwise `a < b` of a scalar and a tensor. Derivative: none.
  public static func .< (a: Double, b: Tensor) -> Tensor { b.gt(a) }
  /// Elementwise `a <= b` of a scalar and a tensor. Derivative: none.
  public static func .<= (a: Double, b: Tensor) -> Tensor { b.ge(a) }
  /// Elementwise `a > b` of a scalar and a tensor. Derivative: none.
  public static func .> (a: Double, b: Tensor) -> Tensor { b.lt(a) }
  /// Elementwise `a >= b` of a scalar and a tensor. Derivative: none.
  public static func .>= (a: Double, b: Tensor) -> Tensor { b.le(a) }
}
