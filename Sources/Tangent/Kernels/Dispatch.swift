import ComplexModule
import RealModule

/// A computation that is generic over the scalar type, run for a dtype known only at run time.
///
/// This is the single place where a run-time dtype turns into a Swift type; each kernel is one
/// generic function, specialised for every dtype by the compiler.
protocol ScalarVisitor {
  associatedtype Result
  func visit<T: TensorScalar>(_ type: T.Type) -> Result
}

/// A computation generic over real scalar types (`Float`, `Double`).
protocol RealVisitor {
  associatedtype Result
  func visit<T: RealScalar>(_ type: T.Type) -> Result
}

/// A computation generic over floating scalar types, real and complex.
protocol FloatingVisitor {
  associatedtype Result
  func visit<T: FloatingScalar>(_ type: T.Type) -> Result
}

extension DType {
  /// Runs `visitor` with the Swift type that stores this dtype.
  func visit<V: ScalarVisitor>(_ visitor: V) -> V.Result {
    switch self {
    case .bool: visitor.visit(Bool.self)
    case .int64: visitor.visit(Int64.self)
    case .float32: visitor.visit(Float.self)
    case .float64: visitor.visit(Double.self)
    case .complex64: visitor.visit(Complex<Float>.self)
    case .complex128: visitor.visit(Complex<Double>.self)
    }
  }

  /// Runs `visitor` with the real Swift type of this dtype; stops for other dtypes.
  func visitReal<V: RealVisitor>(_ visitor: V, op: String) -> V.Result {
    switch self {
    case .float32: return visitor.visit(Float.self)
    case .float64: return visitor.visit(Double.self)
    default: misuse("\(op): expected a real floating dtype (float32 or float64), got \(self)")
    }
  }

  /// Runs `visitor` with the floating Swift type of this dtype; stops for other dtypes.
  func visitFloating<V: FloatingVisitor>(_ visitor: V, op: String) -> V.Result {
    switch self {
    case .float32: return visitor.visit(Float.self)
    case .float64: return visitor.visit(Double.self)
    case .complex64: return visitor.visit(Complex<Float>.self)
    case .complex128: return visitor.visit(Complex<Double>.self)
    default: misuse("\(op): expected a floating dtype, got \(self)")
    }
  }
}
