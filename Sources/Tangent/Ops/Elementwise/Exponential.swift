import ComplexModule
import RealModule

enum ExpFunction: UnaryFunction {
  static var name: String { "exp" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.expKernel(x) }
  @inline(__always) static func realNeedsFixup<T: RealScalar>(_ x: T) -> Bool { VectorMath.expNeedsFixup(x) }
  static func realFixup<T: RealScalar>(_ x: T) -> T { VectorMath.exp(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .exp(z) }
}

enum LogFunction: UnaryFunction {
  static var name: String { "log" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.logKernel(x) }
  @inline(__always) static func realNeedsFixup<T: RealScalar>(_ x: T) -> Bool { VectorMath.logNeedsFixup(x) }
  static func realFixup<T: RealScalar>(_ x: T) -> T { VectorMath.log(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .log(z) }
}

/// e^x. Derivative: e^x, reusing the output.
struct ExpOp: ElementwiseOp {
  var name: String { "exp" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(ExpFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { y }
}

/// The natural logarithm. Derivative: 1/x.
struct LogOp: ElementwiseOp {
  var name: String { "log" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(LogFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 1 / x }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { dx / x }
}

extension Tensor {
  /// e^x, elementwise.
  ///
  /// Derivative: e^x (reuses the output).
  public func exp() -> Tensor { Tensor.apply(ExpOp(), self) }

  /// The natural logarithm, elementwise.
  ///
  /// Derivative: 1/x.
  public func log() -> Tensor { Tensor.apply(LogOp(), self) }
}
