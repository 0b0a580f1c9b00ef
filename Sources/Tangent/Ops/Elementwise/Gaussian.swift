import ComplexModule
import RealModule

// The normal distribution's functions from `torch.special`: Φ, log Φ, Φ⁻¹, and the scaled
// complementary error function they rest on.

// MARK: Kernels

enum NdtrFunction: UnaryFunction {
  static var name: String { "ndtr" }
  static func real<T: RealScalar>(_ x: T) -> T { SpecialFunctions.ndtr(x) }
  static var supportsComplex: Bool { false }
}

enum LogNdtrFunction: UnaryFunction {
  static var name: String { "logNdtr" }
  static func real<T: RealScalar>(_ x: T) -> T { SpecialFunctions.logNdtr(x) }
  static var supportsComplex: Bool { false }
}

enum NdtriFunction: UnaryFunction {
  static var name: String { "ndtri" }
  static func real<T: RealScalar>(_ x: T) -> T { SpecialFunctions.ndtri(x) }
  static var supportsComplex: Bool { false }
}

enum ErfcxFunction: UnaryFunction {
  static var name: String { "erfcx" }
  static func real<T: RealScalar>(_ x: T) -> T { SpecialFunctions.erfcx(x) }
  static var supportsComplex: Bool { false }
}

// MARK: Ops

/// The standard normal density φ(x) = e^(−x²/2)/√(2π), differentiable.
func normalDensity(_ x: Tensor) -> Tensor { (-0.5 * x * x).exp() * MathConstants.invSqrtTwoPi }

/// The standard normal CDF Φ(x). Derivative: φ(x) = e^(−x²/2)/√(2π).
struct NdtrOp: ElementwiseOp {
  var name: String { "ndtr" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(NdtrFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { normalDensity(x) }
}

/// log Φ(x). Derivative: φ(x)/Φ(x) = e^(−x²/2 − y)/√(2π), reusing the output (PyTorch's form).
struct LogNdtrOp: ElementwiseOp {
  var name: String { "logNdtr" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(LogNdtrFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { (-0.5 * x * x - y).exp() * MathConstants.invSqrtTwoPi }
}

/// Φ⁻¹(p). Derivative: 1/φ(y) = √(2π)·e^(y²/2), reusing the output.
struct NdtriOp: ElementwiseOp {
  var name: String { "ndtri" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(NdtriFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { (0.5 * y * y).exp() / MathConstants.invSqrtTwoPi }
}

/// e^(x²)·erfc(x). Derivative: 2x·erfcx(x) − 2/√π, reusing the output.
struct ErfcxOp: ElementwiseOp {
  var name: String { "erfcx" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(ErfcxFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 2 * x * y - MathConstants.twoOverSqrtPi }
}

// MARK: Public API

extension Tensor {
  /// The standard normal CDF Φ(x) = (1 + erf(x/√2))/2, elementwise, like `torch.special.ndtr`.
  ///
  /// Derivative: the normal density e^(−x²/2)/√(2π).
  /// - Precondition: the tensor is not complex.
  public func ndtr() -> Tensor {
    requireReal("ndtr")
    return Tensor.apply(NdtrOp(), self)
  }

  /// log Φ(x), accurate far into both tails, like `torch.special.log_ndtr`.
  ///
  /// Derivative: φ(x)/Φ(x) = e^(−x²/2 − log Φ(x))/√(2π).
  /// - Precondition: the tensor is not complex.
  public func logNdtr() -> Tensor {
    requireReal("logNdtr")
    return Tensor.apply(LogNdtrOp(), self)
  }

  /// The inverse of the standard normal CDF, like `torch.special.ndtri`: −∞ at 0, +∞ at 1, NaN
  /// outside [0, 1].
  ///
  /// Derivative: √(2π)·e^(ndtri(p)²/2).
  /// - Precondition: the tensor is not complex.
  public func ndtri() -> Tensor {
    requireReal("ndtri")
    return Tensor.apply(NdtriOp(), self)
  }

  /// The scaled complementary error function e^(x²)·erfc(x), like `torch.special.erfcx`: finite
  /// (≈ 1/(x√π)) where erfc underflows.
  ///
  /// Derivative: 2x·erfcx(x) − 2/√π.
  /// - Precondition: the tensor is not complex.
  public func erfcx() -> Tensor {
    requireReal("erfcx")
    return Tensor.apply(ErfcxOp(), self)
  }
}
