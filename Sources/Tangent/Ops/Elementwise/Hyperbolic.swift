import ComplexModule
import RealModule

// The hyperbolic tangent lives with the circular functions in Trigonometric.swift.

enum SinhFunction: UnaryFunction {
  static var name: String { "sinh" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.sinh(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .sinh(z) }
}

enum CoshFunction: UnaryFunction {
  static var name: String { "cosh" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.cosh(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .cosh(z) }
}

enum AsinhFunction: UnaryFunction {
  static var name: String { "asinh" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.asinh(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .asinh(z) }
}

enum AcoshFunction: UnaryFunction {
  static var name: String { "acosh" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.acosh(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .acosh(z) }
}

enum AtanhFunction: UnaryFunction {
  static var name: String { "atanh" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.atanh(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .atanh(z) }
}

/// Hyperbolic sine. Derivative: cosh x.
struct SinhOp: ElementwiseOp {
  var name: String { "sinh" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(SinhFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { x.cosh() }
}

/// Hyperbolic cosine. Derivative: sinh x.
struct CoshOp: ElementwiseOp {
  var name: String { "cosh" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(CoshFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { x.sinh() }
}

/// Inverse hyperbolic sine. Derivative: 1/√(x² + 1).
struct AsinhOp: ElementwiseOp {
  var name: String { "asinh" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(AsinhFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { (x * x + 1).rsqrt() }
}

/// Inverse hyperbolic cosine. Derivative: 1/(√(x + 1)·√(x − 1)), which is 1/√(x² − 1) for
/// real x > 1 and the correct branch for complex x (PyTorch's form).
struct AcoshOp: ElementwiseOp {
  var name: String { "acosh" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(AcoshFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { (x + 1).rsqrt() * (x - 1).rsqrt() }
}

/// Inverse hyperbolic tangent. Derivative: 1/(1 − x²).
struct AtanhOp: ElementwiseOp {
  var name: String { "atanh" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(AtanhFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 1 / (1 - x * x) }
}

extension Tensor {
  /// Hyperbolic sine, elementwise, like `torch.sinh`.
  ///
  /// Derivative: cosh x.
  public func sinh() -> Tensor { Tensor.apply(SinhOp(), self) }

  /// Hyperbolic cosine, elementwise, like `torch.cosh`.
  ///
  /// Derivative: sinh x.
  public func cosh() -> Tensor { Tensor.apply(CoshOp(), self) }

  /// Inverse hyperbolic sine, elementwise, like `torch.asinh`.
  ///
  /// Derivative: 1/√(x² + 1).
  public func asinh() -> Tensor { Tensor.apply(AsinhOp(), self) }

  /// Inverse hyperbolic cosine, elementwise, like `torch.acosh` (NaN below 1 for reals).
  ///
  /// Derivative: 1/√(x² − 1) (as 1/(√(x + 1)√(x − 1)) for complex inputs).
  public func acosh() -> Tensor { Tensor.apply(AcoshOp(), self) }

  /// Inverse hyperbolic tangent, elementwise, like `torch.atanh`.
  ///
  /// Derivative: 1/(1 − x²).
  public func atanh() -> Tensor { Tensor.apply(AtanhOp(), self) }
}

// MARK: Taylor rules (normalized coefficients, see TaylorSeries; Griewank & Walther, ch. 13)

extension SinhOp {
  /// sh_k = (1/k)·Σ j·x_j·ch_{k−j}, ch_k = (1/k)·Σ j·x_j·sh_{k−j}, computed together.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.sineCosine([inputs[0]] + s.coefficients, sin: outputs[0], cos: inputs[0].cosh(), hyperbolic: true).0]
  }
}

extension CoshOp {
  /// The sinh–cosh recurrence (see ``SinhOp``).
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.sineCosine([inputs[0]] + s.coefficients, sin: inputs[0].sinh(), cos: outputs[0], hyperbolic: true).1]
  }
}

// The inverse hyperbolic functions integrate the series of their derivatives, as the inverse
// trigonometric ones do (Trigonometric.swift).

extension AsinhOp {
  /// asinh′ = (1 + x²)^(−½): see ``TaylorRecurrence/integratingInverseRoot(_:value:constant:square:scale:)``.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.integratingInverseRoot([inputs[0]] + s.coefficients, value: outputs[0], constant: 1, square: 1, scale: 1)]
  }
}

extension AcoshOp {
  /// acosh′ = (x² − 1)^(−½) for real x > 1: see ``TaylorRecurrence/integratingInverseRoot(_:value:constant:square:scale:)``.
  /// A complex input takes the generic rule: there the derivative is (x + 1)^(−½)·(x − 1)^(−½),
  /// whose branch differs from (x² − 1)^(−½) off the real axis.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    guard !inputs[0].dtype.isComplex else { return nil }
    return [TaylorRecurrence.integratingInverseRoot([inputs[0]] + s.coefficients, value: outputs[0], constant: -1, square: 1, scale: 1)]
  }
}

extension AtanhOp {
  /// atanh′ = 1/(1 − x²): see ``TaylorRecurrence/integratingReciprocal(_:value:square:)``.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.integratingReciprocal([inputs[0]] + s.coefficients, value: outputs[0], square: -1)]
  }
}
