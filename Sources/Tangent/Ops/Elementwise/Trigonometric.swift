import ComplexModule
import RealModule

enum SinFunction: UnaryFunction {
  static var name: String { "sin" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.sinKernel(x) }
  @inline(__always) static func realNeedsFixup<T: RealScalar>(_ x: T) -> Bool { VectorMath.trigNeedsFixup(x) }
  static func realFixup<T: RealScalar>(_ x: T) -> T { VectorMath.sin(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .sin(z) }
}

enum CosFunction: UnaryFunction {
  static var name: String { "cos" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.cosKernel(x) }
  @inline(__always) static func realNeedsFixup<T: RealScalar>(_ x: T) -> Bool { VectorMath.trigNeedsFixup(x) }
  static func realFixup<T: RealScalar>(_ x: T) -> T { VectorMath.cos(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .cos(z) }
}

enum TanhFunction: UnaryFunction {
  static var name: String { "tanh" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.tanh(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .tanh(z) }
}

/// Sine. Derivative: cos x.
struct SinOp: ElementwiseOp {
  var name: String { "sin" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(SinFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { x.cos() }
}

/// Cosine. Derivative: −sin x.
struct CosOp: ElementwiseOp {
  var name: String { "cos" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(CosFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { -x.sin() }
}

/// Hyperbolic tangent. Derivative: 1 − y², reusing the output.
struct TanhOp: ElementwiseOp {
  var name: String { "tanh" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(TanhFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 1 - y * y }
}

extension Tensor {
  /// Sine, elementwise. Derivative: cos x.
  public func sin() -> Tensor { Tensor.apply(SinOp(), self) }
  /// Cosine, elementwise. Derivative: −sin x.
  public func cos() -> Tensor { Tensor.apply(CosOp(), self) }
  /// Hyperbolic tangent, elementwise. Derivative: 1 − tanh²x.
  public func tanh() -> Tensor { Tensor.apply(TanhOp(), self) }
}
