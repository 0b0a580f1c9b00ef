import ComplexModule
import RealModule

// MARK: Kernels

enum SqrtFunction: UnaryFunction {
  static var name: String { "sqrt" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.squareRoot(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .sqrt(z) }
}

enum RsqrtFunction: UnaryFunction {
  static var name: String { "rsqrt" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { 1 / VectorMath.squareRoot(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { 1 / Complex.sqrt(z) }
}

enum SquareFunction: UnaryFunction {
  static var name: String { "square" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x * x }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { z * z }
  @inline(__always) static func integer(_ x: Int64) -> Int64? { x &* x }
}

enum ReciprocalFunction: UnaryFunction {
  static var name: String { "reciprocal" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { 1 / x }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { 1 / z }
}

enum PowFunction: BinaryFunction {
  static var name: String { "pow" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { powReal(a, b) }
  @inline(__always) static func complex<T: RealScalar>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> {
    powComplex(a, b)
  }
  static func integer(_ a: Int64, _ b: Int64) -> Int64? {
    check(b >= 0 || a == 1 || a == -1, "pow: integers to negative integer powers are not allowed (\(a)^\(b))")
    if b < 0 { return a == 1 || b % 2 == 0 ? 1 : -1 }
    var result: Int64 = 1, base = a, e = b
    while e > 0 {
      if e & 1 == 1 { result &*= base }
      base &*= base
      e >>= 1
    }
    return result
  }
  static var keepsIntegers: Bool { true }
}

/// xʸ for reals with C's conventions, which PyTorch follows: a negative base with an integral
/// exponent has a sign, with a non-integral one gives NaN, and x⁰ = 1 for every x.
@inline(__always) func powReal<T: RealScalar>(_ x: T, _ y: T) -> T {
  if y == 0 { return 1 }
  if !(x < 0) { return x.isNaN ? x : T.pow(x, y) }
  if y.rounded(.towardZero) != y { return .nan }
  if Swift.abs(y) < T(1 << 52) { return T.pow(x, Int(y)) }
  return T.pow(-x, y)  // every float this large is even
}

/// zʷ for complex numbers: exact repeated multiplication for small integral real exponents,
/// e^(w log z) otherwise.
@inline(__always) func powComplex<T: RealScalar>(_ z: Complex<T>, _ w: Complex<T>) -> Complex<T> {
  if w.imaginary == 0 && w.real.rounded(.towardZero) == w.real && Swift.abs(w.real) <= 64 {
    var n = Int(w.real)
    let invert = n < 0
    n = Swift.abs(n)
    var result = Complex<T>.one, base = z
    while n > 0 {
      if n & 1 == 1 { result = result * base }
      base = base * base
      n >>= 1
    }
    return invert ? 1 / result : result
  }
  if z.isZero { return w.real > 0 ? .zero : Complex(T.infinity, T.nan) }
  return .exp(w * .log(z))
}

enum HypotFunction: BinaryFunction {
  static var name: String { "hypot" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { T.hypot(a, b) }
  static var supportsComplex: Bool { false }
}

// MARK: Ops

/// √x. Derivative: 1/(2√x), reusing the output.
struct SqrtOp: ElementwiseOp {
  var name: String { "sqrt" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(SqrtFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 0.5 / y }
  var vjpReads: SavedValues { .outputs }
}

/// 1/√x. Derivative: −y³/2, reusing the output.
struct RsqrtOp: ElementwiseOp {
  var name: String { "rsqrt" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(RsqrtFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { -0.5 * y * y * y }
}

/// x². Derivative: 2x.
struct SquareOp: ElementwiseOp {
  var name: String { "square" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(SquareFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 2 * x }
}

/// 1/x. Derivative: −y², reusing the output.
struct ReciprocalOp: ElementwiseOp {
  var name: String { "reciprocal" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(ReciprocalFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { -(y * y) }
}

/// aᵇ with broadcasting.
///
/// Derivative, with PyTorch's conventions at the edges: ∂/∂a = b·aᵇ⁻¹, taken as 0 where
/// b = 0 (so 0⁰ has a zero slope); ∂/∂b = aᵇ·log a, taken as 0 where a = 0 and b ≥ 0 (real b,
/// or complex b with zero imaginary part).
struct PowOp: ElementwiseBinaryOp {
  var name: String { "pow" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(PowFunction.self, a, b) }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    var pa: Tensor?, pb: Tensor?
    if wantA {
      pa = (b * a.pow(b - 1)).keeping(b.mask(.notEqual, 0))
    }
    if wantB {
      let base = a.dtype == y.dtype ? a : a.converted(to: y.dtype)
      var atZero = a.mask(.equal, 0)
      if b.dtype.isComplex {
        atZero = atZero.maskAnd(b.imag.mask(.equal, 0)).maskAnd(b.real.mask(.greaterEqual, 0))
      } else {
        atZero = atZero.maskAnd(b.mask(.greaterEqual, 0))
      }
      pb = (y * base.log()).keeping(atZero.maskNot)
    }
    return (pa, pb)
  }
}

/// √(a² + b²) without overflow. Derivative: a/y and b/y.
struct HypotOp: ElementwiseBinaryOp {
  var name: String { "hypot" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(HypotFunction.self, a, b) }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    (wantA ? a / y : nil, wantB ? b / y : nil)
  }
}

// MARK: Public API

extension Tensor {
  /// The square root, elementwise, like `torch.sqrt` (the principal root for complex inputs).
  ///
  /// Derivative: 1/(2√x).
  public func sqrt() -> Tensor { Tensor.apply(SqrtOp(), self) }

  /// The reciprocal square root 1/√x, elementwise, like `torch.rsqrt`.
  ///
  /// Derivative: −1/(2x√x).
  public func rsqrt() -> Tensor { Tensor.apply(RsqrtOp(), self) }

  /// x², elementwise, like `torch.square` (integers stay integers).
  ///
  /// Derivative: 2x.
  public func square() -> Tensor { Tensor.apply(SquareOp(), self) }

  /// 1/x, elementwise, like `torch.reciprocal` (integers give floats).
  ///
  /// Derivative: −1/x².
  public func reciprocal() -> Tensor { Tensor.apply(ReciprocalOp(), self) }

  /// `self` raised to `exponent`, elementwise with broadcasting and type promotion, like
  /// `torch.pow`.
  ///
  /// Reals follow C's `pow`: a negative base needs an integral exponent (otherwise NaN), and
  /// x⁰ = 1 for every x. Integers stay integers.
  ///
  /// Derivative: ∂/∂self = exponent·self^(exponent − 1), zero where exponent = 0;
  /// ∂/∂exponent = result·log(self), zero where self = 0 and exponent ≥ 0 (PyTorch's
  /// conventions).
  /// - Precondition: the shapes broadcast; integers are not raised to negative powers.
  public func pow(_ exponent: Tensor) -> Tensor { Tensor.apply(PowOp(), self, exponent) }

  /// `self` raised to a scalar exponent, like `torch.pow(x, 2.5)`. An integral exponent keeps
  /// integer tensors integer.
  ///
  /// Derivative: exponent·self^(exponent − 1); zero for exponent 0.
  public func pow(_ exponent: Double) -> Tensor { pow(scalarLike(exponent)) }

  /// ``pow(_:)-(Double)`` with an integer scalar: an integer tensor stays integer.
  public func pow(_ exponent: Int) -> Tensor { pow(scalarLike(exponent)) }

  /// A scalar base raised to a tensor of exponents, like `torch.pow(2.0, x)`.
  ///
  /// Derivative: result·log(base); zero for base 0 where the exponent is ≥ 0.
  public static func pow(_ base: Double, _ exponent: Tensor) -> Tensor { exponent.scalarLike(base).pow(exponent) }

  /// √(x² + y²) with `other`, elementwise with broadcasting and without overflow, like
  /// `torch.hypot`. Real only.
  ///
  /// Derivative: x/result for `self` and y/result for `other`.
  /// - Precondition: the shapes broadcast; neither tensor is complex.
  public func hypot(_ other: Tensor) -> Tensor {
    requireReal("hypot")
    other.requireReal("hypot")
    return Tensor.apply(HypotOp(), self, other)
  }
}

// MARK: Taylor rules (normalized coefficients, see TaylorSeries; Griewank & Walther, ch. 13)

extension SqrtOp {
  /// y_k = (x_k − Σ_{j=1}^{k−1} y_j·y_{k−j}) / (2y₀), from y² = x.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.squareRoot([inputs[0]] + s.coefficients, value: outputs[0])]
  }
}

extension RsqrtOp {
  /// The power recurrence with r = −½ (x₀ > 0 on the op's domain).
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let r = Tensor.full([], -0.5, dtype: inputs[0].dtype.real)
    return [TaylorRecurrence.power([inputs[0]] + s.coefficients, exponent: r, value: outputs[0])]
  }
}

extension SquareOp {
  /// The Cauchy square y_k = Σ_{j=0}^{k} x_j·x_{k−j}.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let x = [inputs[0]] + s.coefficients
    return [TaylorSeries((1...s.order).map { TaylorRecurrence.cauchy(x, x, $0)! })]
  }
}

extension ReciprocalOp {
  /// y_k = −(Σ_{j=1}^{k} x_j·y_{k−j}) / x₀, from y·x = 1.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let x = [inputs[0]] + s.coefficients
    var y = [outputs[0]]
    for k in 1...s.order { y.append(-TaylorRecurrence.cauchy(x, y, k, from: 1)! / inputs[0]) }
    return [TaylorRecurrence.series(y)]
  }
}

extension PowOp {
  /// With a constant exponent r, the power recurrence
  /// y_k = (1/(k·a₀))·Σ_{j=1}^{k} (r·j − (k − j))·a_j·y_{k−j}. It divides by a₀, so a base with
  /// a zero element, a complex base, or an exponent with its own series takes the generic rule.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    let (a, b, y) = (inputs[0], inputs[1], outputs[0])
    guard series[1] == nil else { return nil }
    guard let s = series[0] else { return [nil] }
    guard !a.dtype.isComplex, !b.dtype.isComplex, !a.detached.valuesOfEveryMember.doubles.contains(0) else { return nil }
    let lifted = s.lifted(primalRank: a.rank, outputRank: y.rank)
    let base = a.dtype == y.dtype ? a : a.converted(to: y.dtype)
    return [TaylorRecurrence.power([base] + lifted.coefficients, exponent: b, value: y)]
  }
}
