import ComplexModule
import RealModule

// Logarithmic functions: logit, entropy, x·log1p(y), log2(2ᵃ + 2ᵇ), and the multivariate
// log-gamma function.

// MARK: Kernels

/// log(z/(1 − z)) with z = x, or x clamped to [eps, 1 − eps].
struct LogitFunction: ParametricUnaryFunction {
  let eps: Double?
  var name: String { "logit" }
  @inline(__always) func real<T: RealScalar>(_ x: T) -> T {
    var z = x
    if let eps { z = z < T(eps) ? T(eps) : (z > 1 - T(eps) ? 1 - T(eps) : z) }
    return VectorMath.log(z / (1 - z))
  }
}

enum EntrFunction: UnaryFunction {
  static var name: String { "entr" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T {
    if x.isNaN { return x }
    if x > 0 { return -x * VectorMath.log(x) }
    return x == 0 ? 0 : -.infinity
  }
  static var supportsComplex: Bool { false }
}

enum Xlog1pyFunction: BinaryFunction {
  static var name: String { "xlog1py" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T {
    b.isNaN ? b : (a == 0 ? 0 : a * T.log(onePlus: b))
  }
  static var supportsComplex: Bool { false }
}

enum LogAddExp2Function: BinaryFunction {
  static var name: String { "logaddexp2" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T {
    if a == b { return a + 1 }
    let m = a > b ? a : b
    return m + T.log(onePlus: T.exp2(-Swift.abs(a - b))) / T(MathConstants.ln2)
  }
  static var supportsComplex: Bool { false }
}

// MARK: Ops

/// log(x/(1 − x)), with x first clamped to [eps, 1 − eps] when `eps` is given.
///
/// Derivative (PyTorch's `logit_backward`): 1/(x(1 − x)) on [eps, 1 − eps] (on [0, 1] without
/// eps); outside it 0 with eps (the clamp) and NaN without.
struct LogitOp: ElementwiseOp {
  let eps: Double?
  var name: String { "logit" }
  func primal(_ x: Tensor) -> Tensor { OpElementwiseKernels.apply(LogitFunction(eps: eps), x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    let low = eps ?? 0, high = 1 - (eps ?? 0)
    let inside = x.mask(.greaterEqual, low).maskAnd(x.mask(.lessEqual, high))
    let slope = (1 / (x * (1 - x))).keeping(inside)
    if eps != nil { return slope }
    let nan = Tensor.full([], .nan, dtype: x.dtype), zero = Tensor.zeros([], dtype: x.dtype)
    return slope + Tensor.where(inside.maskNot, nan, zero)
  }
}

/// −x·log x, 0 at 0 and −∞ below. Derivative: −(1 + log x) (PyTorch's formula).
struct EntrOp: ElementwiseOp {
  var name: String { "entr" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(EntrFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { -(1 + x.log()) }
}

/// a·log(1 + b), with 0 where a = 0 (unless b is NaN).
///
/// Derivative: ∂/∂a = log(1 + b), taken as 0 where a = 0 and b ≤ −1; ∂/∂b = a/(1 + b)
/// (PyTorch's rules).
struct Xlog1pyOp: ElementwiseBinaryOp {
  var name: String { "xlog1py" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(Xlog1pyFunction.self, a, b) }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    var pa: Tensor?
    if wantA {
      let zeroed = a.mask(.equal, 0).maskAnd(b.mask(.lessEqual, -1))
      pa = b.log1p().keeping(zeroed.maskNot)
    }
    return (pa, wantB ? a / (1 + b) : nil)
  }
}

/// log₂(2ᵃ + 2ᵇ), computed without overflow.
///
/// Derivative: ∂/∂a = 2^(a − y), ∂/∂b = 2^(b − y).
struct LogAddExp2Op: ElementwiseBinaryOp {
  var name: String { "logaddexp2" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(LogAddExp2Function.self, a, b) }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    (wantA ? (a - y).exp2() : nil, wantB ? (b - y).exp2() : nil)
  }
}

// MARK: Public API

extension Tensor {
  /// The log-odds log(x/(1 − x)), elementwise, like `torch.logit(x, eps)`; with `eps`, x is
  /// first clamped to [eps, 1 − eps].
  ///
  /// Derivative: 1/(x(1 − x)); outside [eps, 1 − eps] it is 0 with `eps` and NaN without it
  /// outside [0, 1] (PyTorch's conventions).
  /// - Precondition: the tensor is not complex.
  public func logit(eps: Double? = nil) -> Tensor {
    requireReal("logit")
    return Tensor.apply(LogitOp(eps: eps), self)
  }

  /// The elementwise entropy term −x·log x (0 at 0, −∞ for negative x), like
  /// `torch.special.entr`.
  ///
  /// Derivative: −(1 + log x).
  /// - Precondition: the tensor is not complex.
  public func entr() -> Tensor {
    requireReal("entr")
    return Tensor.apply(EntrOp(), self)
  }

  /// self·log(1 + other), elementwise with broadcasting, with 0 where `self` is 0 (unless
  /// `other` is NaN), like `torch.special.xlog1py`.
  ///
  /// Derivative: log(1 + other) for `self` (zero where self = 0 and other ≤ −1);
  /// self/(1 + other) for `other`.
  /// - Precondition: the shapes broadcast; neither tensor is complex.
  public func xlog1py(_ other: Tensor) -> Tensor {
    requireReal("xlog1py")
    other.requireReal("xlog1py")
    return Tensor.apply(Xlog1pyOp(), self, other)
  }

  /// log₂(2ˣ + 2ʸ) with `other`, elementwise with broadcasting, like `torch.logaddexp2`. Real
  /// only.
  ///
  /// Derivative: 2^(x − result) for `self` and 2^(y − result) for `other`.
  /// - Precondition: the shapes broadcast; neither tensor is complex.
  public func logAddExp2(_ other: Tensor) -> Tensor {
    requireReal("logaddexp2")
    other.requireReal("logaddexp2")
    return Tensor.apply(LogAddExp2Op(), self, other)
  }

  /// The multivariate log-gamma function of dimension p,
  /// p(p − 1)/4·log π + Σⱼ<ₚ lgamma(x − j/2), like `torch.mvlgamma(x, p)`.
  ///
  /// Derivative: Σⱼ<ₚ ψ(x − j/2).
  /// - Precondition: p ≥ 1; every element exceeds (p − 1)/2 (as PyTorch requires); the tensor
  ///   is not complex.
  public func mvlgamma(p: Int) -> Tensor {
    check(p >= 1, "mvlgamma: p must be at least 1, got \(p)")
    requireReal("mvlgamma")
    let x = floatingForReduction
    check(
      !x.mask(.lessEqual, Double(p - 1) / 2).valuesOfEveryMember.scalars(as: Bool.self).contains(true),
      "mvlgamma: all elements must be greater than (p - 1)/2 = \(Double(p - 1) / 2)")
    var total = x.lgamma()
    for j in stride(from: 1, to: p, by: 1) { total = total + (x - Double(j) / 2).lgamma() }
    return total + Double(p * (p - 1)) / 4 * Double.log(.pi)
  }
}
