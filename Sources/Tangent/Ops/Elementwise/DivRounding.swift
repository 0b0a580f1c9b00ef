import ComplexModule
import RealModule

/// How ``Tensor/div(_:roundingMode:)`` rounds the quotient, like PyTorch's `rounding_mode`.
public enum DivisionRounding: String, Sendable {
  /// Toward zero (C's integer division).
  case trunc
  /// Toward −∞ (Python's `//`).
  case floor
}

enum TruncDivideFunction: BinaryFunction {
  static var name: String { "div(trunc)" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { (a / b).rounded(.towardZero) }
  static var supportsComplex: Bool { false }
  static func integer(_ a: Int64, _ b: Int64) -> Int64? {
    check(b != 0, "div: integer division by zero")
    return b == -1 ? 0 &- a : a / b
  }
  static var keepsIntegers: Bool { true }
}

enum FloorDivideFunction: BinaryFunction {
  static var name: String { "div(floor)" }
  /// PyTorch's `div_floor_floating`: the quotient from the exact remainder, so that
  /// a = q·b + fmod(a, b) holds even where a/b rounds across an integer.
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T {
    if b == 0 { return a / b }
    let mod = a.truncatingRemainder(dividingBy: b)
    var div = (a - mod) / b
    if mod != 0 && (b < 0) != (mod < 0) { div -= 1 }
    if div == 0 { return T(signOf: a / b, magnitudeOf: 0) }
    var q = div.rounded(.down)
    if div - q > 0.5 { q += 1 }
    return q
  }
  static var supportsComplex: Bool { false }
  static func integer(_ a: Int64, _ b: Int64) -> Int64? {
    check(b != 0, "div: integer division by zero")
    if b == -1 { return 0 &- a }
    let q = a / b
    return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q
  }
  static var keepsIntegers: Bool { true }
}

/// A quotient rounded to an integer: piecewise constant.
///
/// Derivative: zero for both inputs (PyTorch's convention, including at the jumps).
struct RoundedDivideOp: BinaryOp {
  let rounding: DivisionRounding
  var name: String { "div(\(rounding.rawValue))" }
  var sparsity: SparsityRule { .elementwise(.nonlinear) }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    switch rounding {
    case .trunc: return ElementwiseKernels.apply(TruncDivideFunction.self, a, b)
    case .floor: return ElementwiseKernels.apply(FloorDivideFunction.self, a, b)
    }
  }
  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? { nil }
  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    (needA ? Tensor.zeros(like: gy.detached, shape: a.shape) : nil, needB ? Tensor.zeros(like: gy.detached, shape: b.shape) : nil)
  }
}

extension Tensor {
  /// The quotient rounded toward zero or toward −∞, elementwise with broadcasting, like
  /// `torch.div(a, b, rounding_mode:)`. Integers stay integers.
  ///
  /// Derivative: zero for both inputs (the result is piecewise constant).
  /// - Precondition: the shapes broadcast; neither is complex; no integer division by zero.
  public func div(_ other: Tensor, roundingMode: DivisionRounding) -> Tensor {
    requireReal("div")
    other.requireReal("div")
    return Tensor.apply(RoundedDivideOp(rounding: roundingMode), self, other)
  }
}
