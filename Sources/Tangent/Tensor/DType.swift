import ComplexModule
import RealModule

/// The element type of a ``Tensor``.
///
/// Promotion between dtypes follows PyTorch: the categories are ordered
/// `bool < integer < floating < complex`, and inside a category the wider type wins.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
  /// Booleans (masks).
  case bool
  /// 64-bit signed integers (indices, counts).
  case int64
  /// IEEE single precision.
  case float32
  /// IEEE double precision.
  case float64
  /// A complex number made of two `float32`s.
  case complex64
  /// A complex number made of two `float64`s.
  case complex128

  /// The name PyTorch uses, such as `float64`.
  public var description: String { rawValue }

  /// The size of one element in bytes.
  public var byteCount: Int {
    switch self {
    case .bool: 1
    case .int64, .float64, .complex64: 8
    case .float32: 4
    case .complex128: 16
    }
  }

  /// Whether this is a real or complex floating-point type, the dtypes that can be differentiated.
  public var isFloatingPoint: Bool { self == .float32 || self == .float64 || isComplex }

  /// Whether this is `complex64` or `complex128`.
  public var isComplex: Bool { self == .complex64 || self == .complex128 }

  /// The real type of the same precision: `complex64` → `float32`; real types map to themselves.
  public var real: DType {
    switch self {
    case .complex64: .float32
    case .complex128: .float64
    default: self
    }
  }

  /// The complex type of the same precision: `float32` → `complex64`, `float64` → `complex128`.
  ///
  /// Integer and boolean types map to `complex128`, matching the default floating type.
  public var complex: DType {
    switch self {
    case .float32, .complex64: .complex64
    default: .complex128
    }
  }

  /// The category rank used by promotion (`bool` 0, integer 1, floating 2, complex 3).
  var category: Int {
    switch self {
    case .bool: 0
    case .int64: 1
    case .float32, .float64: 2
    case .complex64, .complex128: 3
    }
  }

  /// The dtype that holds the values of both dtypes, by PyTorch's rules.
  ///
  /// `float32` with `complex128` gives `complex128`; `float64` with `complex64` also gives
  /// `complex128`, because the real precision is kept.
  public static func promoted(_ a: DType, _ b: DType) -> DType {
    if a == b { return a }
    if a.isComplex || b.isComplex {
      let wide = a == .float64 || b == .float64 || a == .complex128 || b == .complex128
      return wide ? .complex128 : .complex64
    }
    return a.category == b.category
      ? (a.byteCount >= b.byteCount ? a : b)
      : (a.category > b.category ? a : b)
  }

  /// The floating dtype an integer or boolean input is promoted to by ops such as `exp`.
  public static let defaultFloating: DType = .float64
}
