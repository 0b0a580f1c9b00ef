import ComplexModule
import RealModule

// MARK: Kernels

enum ErfFunction: UnaryFunction {
  static var name: String { "erf" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.erf(x) }
  static var supportsComplex: Bool { false }
}

enum ErfcFunction: UnaryFunction {
  static var name: String { "erfc" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.erfc(x) }
  static var supportsComplex: Bool { false }
}

enum ErfinvFunction: UnaryFunction {
  static var name: String { "erfinv" }
  static func real<T: RealScalar>(_ x: T) -> T { SpecialFunctions.erfinv(x) }
  static var supportsComplex: Bool { false }
}

enum LgammaFunction: UnaryFunction {
  static var name: String { "lgamma" }
  static func real<T: RealScalar>(_ x: T) -> T { T.logGamma(x) }
  static var supportsComplex: Bool { false }
}

enum DigammaFunction: UnaryFunction {
  static var name: String { "digamma" }
  static func real<T: RealScalar>(_ x: T) -> T { SpecialFunctions.digamma(x) }
  static var supportsComplex: Bool { false }
}

struct PolygammaFunction: ParametricUnaryFunction {
  let n: Int
  var name: String { "polygamma" }
  func real<T: RealScalar>(_ x: T) -> T { SpecialFunctions.polygamma(n, x) }
}

enum XlogyFunction: BinaryFunction {
  static var name: String { "xlogy" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T {
    b.isNaN ? b : (a == 0 ? 0 : a * VectorMath.log(b))
  }
  static var supportsComplex: Bool { false }
}

// MARK: Ops

/// The error function. Derivative: (2/√π)·e^(−x²).
struct ErfOp: ElementwiseOp {
  var name: String { "erf" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(ErfFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { (-(x * x)).exp() * MathConstants.twoOverSqrtPi }
}

/// The complementary error function 1 − erf x. Derivative: −(2/√π)·e^(−x²).
struct ErfcOp: ElementwiseOp {
  var name: String { "erfc" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(ErfcFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { (-(x * x)).exp() * -MathConstants.twoOverSqrtPi }
}

/// The inverse error function. Derivative: (√π/2)·e^(y²), reusing the output.
struct ErfinvOp: ElementwiseOp {
  var name: String { "erfinv" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(ErfinvFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { (y * y).exp() * MathConstants.sqrtPiOverTwo }
}

/// log|Γ(x)|. Derivative: ψ(x) (digamma).
struct LgammaOp: ElementwiseOp {
  var name: String { "lgamma" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(LgammaFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { x.digamma() }
}

/// The digamma function ψ = Γ′/Γ. Derivative: ψ⁽¹⁾(x) (trigamma).
struct DigammaOp: ElementwiseOp {
  var name: String { "digamma" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(DigammaFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { x.polygamma(1) }
}

/// The polygamma function ψ⁽ⁿ⁾. Derivative: ψ⁽ⁿ⁺¹⁾(x).
struct PolygammaOp: ElementwiseOp {
  let n: Int
  var name: String { "polygamma" }
  func primal(_ x: Tensor) -> Tensor { OpElementwiseKernels.apply(PolygammaFunction(n: n), x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { x.polygamma(n + 1) }
}

/// a·log b, with 0 where a = 0 (unless b is NaN).
///
/// Derivative: ∂/∂a = log b, taken as 0 where a = 0 and b ≤ 0; ∂/∂b = a/b (PyTorch's rules).
struct XlogyOp: ElementwiseBinaryOp {
  var name: String { "xlogy" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(XlogyFunction.self, a, b) }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    var pa: Tensor?
    if wantA {
      let zeroed = a.mask(.equal, 0).maskAnd(b.mask(.lessEqual, 0))
      pa = b.log().keeping(zeroed.maskNot)
    }
    return (pa, wantB ? a / b : nil)
  }
}

// MARK: Public API

extension Tensor {
  /// The error function (2/√π)∫₀ˣ e^(−t²) dt, elementwise, like `torch.erf`.
  ///
  /// Derivative: (2/√π)·e^(−x²).
  /// - Precondition: the tensor is not complex.
  public func erf() -> Tensor {
    requireReal("erf")
    return Tensor.apply(ErfOp(), self)
  }

  /// The complementary error function 1 − erf(x), accurate in the right tail, like `torch.erfc`.
  ///
  /// Derivative: −(2/√π)·e^(−x²).
  /// - Precondition: the tensor is not complex.
  public func erfc() -> Tensor {
    requireReal("erfc")
    return Tensor.apply(ErfcOp(), self)
  }

  /// The inverse error function on [−1, 1] (±∞ at ±1, NaN outside), like `torch.erfinv`.
  ///
  /// Derivative: (√π/2)·e^(erfinv(x)²).
  /// - Precondition: the tensor is not complex.
  public func erfinv() -> Tensor {
    requireReal("erfinv")
    return Tensor.apply(ErfinvOp(), self)
  }

  /// The log of the absolute value of the gamma function, like `torch.lgamma`.
  ///
  /// Derivative: ψ(x) (``digamma()``).
  /// - Precondition: the tensor is not complex.
  public func lgamma() -> Tensor {
    requireReal("lgamma")
    return Tensor.apply(LgammaOp(), self)
  }

  /// The digamma function ψ(x) = Γ′(x)/Γ(x), like `torch.digamma` (−∞ at +0, NaN at the
  /// negative integers).
  ///
  /// Derivative: ψ⁽¹⁾(x) (``polygamma(_:)`` with n = 1).
  /// - Precondition: the tensor is not complex.
  public func digamma() -> Tensor {
    requireReal("digamma")
    return Tensor.apply(DigammaOp(), self)
  }

  /// The n-th derivative of digamma, ψ⁽ⁿ⁾(x), like `torch.polygamma(n, x)`.
  ///
  /// Derivative: ψ⁽ⁿ⁺¹⁾(x).
  /// - Precondition: n ≥ 0 and the tensor is not complex.
  public func polygamma(_ n: Int) -> Tensor {
    check(n >= 0, "polygamma: n must be non-negative, got \(n)")
    requireReal("polygamma")
    if n == 0 { return digamma() }
    return Tensor.apply(PolygammaOp(n: n), self)
  }

  /// self·log(other), elementwise with broadcasting, with 0 where `self` is 0 (unless `other`
  /// is NaN), like `torch.xlogy`.
  ///
  /// Derivative: log(other) for `self` (zero where self = 0 and other ≤ 0); self/other for
  /// `other`.
  /// - Precondition: the shapes broadcast; neither tensor is complex.
  public func xlogy(_ other: Tensor) -> Tensor {
    requireReal("xlogy")
    other.requireReal("xlogy")
    return Tensor.apply(XlogyOp(), self, other)
  }
}

// MARK: Taylor rules (normalized coefficients, see TaylorSeries; Griewank & Walther, ch. 13)

extension ErfOp {
  /// y′ = (2/√π)·e^{−x²}·x′: the exp recurrence on u = −x² (a Cauchy square) gives the
  /// series of e^{−x²}.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [Self.erfSeries([inputs[0]] + s.coefficients, scale: MathConstants.twoOverSqrtPi)]
  }

  /// The coefficients 1…K of `scale`·erf(x(t)) for x's full list.
  static func erfSeries(_ x: [Tensor], scale: Double) -> TaylorSeries {
    let order = x.count - 1
    let u = (0..<order).map { k in -TaylorRecurrence.cauchy(x, x, k)! }
    let g = TaylorRecurrence.exp(u, value: u[0].exp(), order: order - 1)
    return TaylorSeries((1...order).map { TaylorRecurrence.integrated(x, g, $0) * scale })
  }
}

extension ErfcOp {
  /// erfc = 1 − erf: the erf recurrence, negated.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [ErfOp.erfSeries([inputs[0]] + s.coefficients, scale: -MathConstants.twoOverSqrtPi)]
  }
}
