import ComplexModule
import RealModule

enum ExpFunction: UnaryFunction {
  static var name: String { "exp" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.expKernel(x) }
  @inline(__always) static func realNeedsFixup<T: RealScalar>(_ x: T) -> Bool { VectorMath.expNeedsFixup(x) }
  static func realFixup<T: RealScalar>(_ x: T) -> T { VectorMath.exp(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .exp(z) }
  @inline(__always) static func realLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool {
    VectorMath.expLoop(x, y, count)
  }
}

enum LogFunction: UnaryFunction {
  static var name: String { "log" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.logKernel(x) }
  @inline(__always) static func realNeedsFixup<T: RealScalar>(_ x: T) -> Bool { VectorMath.logNeedsFixup(x) }
  static func realFixup<T: RealScalar>(_ x: T) -> T { VectorMath.log(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .log(z) }
  @inline(__always) static func realLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool {
    VectorMath.logLoop(x, y, count)
  }
}

/// e^x. Derivative: e^x, reusing the output.
struct ExpOp: ElementwiseOp {
  var name: String { "exp" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(ExpFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { y }
  var vjpReads: SavedValues { .outputs }
}

/// The natural logarithm. Derivative: 1/x.
struct LogOp: ElementwiseOp {
  var name: String { "log" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(LogFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 1 / x }
  var vjpReads: SavedValues { .inputs }
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

// MARK: Base-2 and base-10 exponentials and logarithms, and the accurate forms near zero

enum Exp2Function: UnaryFunction {
  static var name: String { "exp2" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.exp2(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> {
    .exp(z.multiplied(by: T.log(2)))
  }
}

enum Expm1Function: UnaryFunction {
  static var name: String { "expm1" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.expMinusOne(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .expMinusOne(z) }
}

enum Log2Function: UnaryFunction {
  static var name: String { "log2" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.log2(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> {
    Complex.log(z).divided(by: T.log(2))
  }
}

enum Log10Function: UnaryFunction {
  static var name: String { "log10" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.log10(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> {
    Complex.log(z).divided(by: T.log(10))
  }
}

enum Log1pFunction: UnaryFunction {
  static var name: String { "log1p" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.log1p(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .log(onePlus: z) }
  @inline(__always) static func realLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool {
    VectorMath.log1pLoop(x, y, count)
  }
}

/// 2^x. Derivative: 2^x · ln 2, reusing the output.
struct Exp2Op: ElementwiseOp {
  var name: String { "exp2" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(Exp2Function.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { y * MathConstants.ln2 }
}

/// eˣ − 1. Derivative: eˣ = y + 1.
struct Expm1Op: ElementwiseOp {
  var name: String { "expm1" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(Expm1Function.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { y + 1 }
}

/// log₂ x. Derivative: 1/(x ln 2).
struct Log2Op: ElementwiseOp {
  var name: String { "log2" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(Log2Function.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 1 / (x * MathConstants.ln2) }
}

/// log₁₀ x. Derivative: 1/(x ln 10).
struct Log10Op: ElementwiseOp {
  var name: String { "log10" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(Log10Function.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 1 / (x * MathConstants.ln10) }
}

/// log(1 + x). Derivative: 1/(1 + x).
struct Log1pOp: ElementwiseOp {
  var name: String { "log1p" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(Log1pFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 1 / (x + 1) }
}

// MARK: logaddexp

enum LogAddExpFunction: BinaryFunction {
  static var name: String { "logaddexp" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { OpReductionKernels.logAddExp(a, b) }
  static var supportsComplex: Bool { false }
}

/// log(eᵃ + eᵇ), computed without overflow.
///
/// Derivative: ∂/∂a = e^(a − y), ∂/∂b = e^(b − y).
struct LogAddExpOp: ElementwiseBinaryOp {
  var name: String { "logaddexp" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(LogAddExpFunction.self, a, b) }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    (wantA ? (a - y).exp() : nil, wantB ? (b - y).exp() : nil)
  }
}

extension Tensor {
  /// 2^x, elementwise, like `torch.exp2`.
  ///
  /// Derivative: 2^x · ln 2.
  public func exp2() -> Tensor { Tensor.apply(Exp2Op(), self) }

  /// eˣ − 1, elementwise, accurate for small x, like `torch.expm1`.
  ///
  /// Derivative: eˣ.
  public func expm1() -> Tensor { Tensor.apply(Expm1Op(), self) }

  /// The base-2 logarithm, elementwise, like `torch.log2`.
  ///
  /// Derivative: 1/(x ln 2).
  public func log2() -> Tensor { Tensor.apply(Log2Op(), self) }

  /// The base-10 logarithm, elementwise, like `torch.log10`.
  ///
  /// Derivative: 1/(x ln 10).
  public func log10() -> Tensor { Tensor.apply(Log10Op(), self) }

  /// log(1 + x), elementwise, accurate for small x, like `torch.log1p`.
  ///
  /// Derivative: 1/(1 + x).
  public func log1p() -> Tensor { Tensor.apply(Log1pOp(), self) }

  /// log(eˣ + eʸ) with `other`, elementwise with broadcasting, like `torch.logaddexp`
  /// (complex inputs too, as in PyTorch: the principal logarithm).
  ///
  /// For complex inputs it is computed as `h + log(1 + e^(l − h))`, where `h` is the operand
  /// with the larger real part and `l` the other, so `e^(l − h)` cannot overflow.
  ///
  /// Derivative: e^(x − result) for `self` and e^(y − result) for `other` (for complex
  /// inputs, through the composition).
  /// - Precondition: the shapes broadcast.
  public func logAddExp(_ other: Tensor) -> Tensor {
    if dtype.isComplex || other.dtype.isComplex {
      let t = dtype.isComplex ? dtype : other.dtype
      let a = converted(to: t), b = other.converted(to: t)
      let selfIsHigher = a.real.detached.ge(b.real.detached)
      let high = Tensor.where(selfIsHigher, a, b), low = Tensor.where(selfIsHigher, b, a)
      return high + (1 + (low - high).exp()).log()
    }
    return Tensor.apply(LogAddExpOp(), self, other)
  }
}

// MARK: Taylor rules (normalized coefficients, see TaylorSeries; Griewank & Walther, ch. 13)

extension ExpOp {
  /// y_k = (1/k)·Σ_{j=1}^{k} j·x_j·y_{k−j}, from y′ = y·x′.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.series(TaylorRecurrence.exp([inputs[0]] + s.coefficients, value: outputs[0], order: s.order))]
  }
}

extension LogOp {
  /// y_k = (x_k − (1/k)·Σ_{j=1}^{k−1} j·y_j·x_{k−j}) / x₀, from x·y′ = x′.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.log([inputs[0]] + s.coefficients, value: outputs[0])]
  }
}

extension Exp2Op {
  /// 2^x = e^{x·ln 2}: the exp recurrence on u = x·ln 2.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let u = ([inputs[0]] + s.coefficients).map { $0 * MathConstants.ln2 }
    return [TaylorRecurrence.series(TaylorRecurrence.exp(u, value: outputs[0], order: s.order))]
  }
}

extension Expm1Op {
  /// y′ = (y + 1)·x′: the exp recurrence with d₀ = y₀ + 1 and d_k = y_k.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let x = [inputs[0]] + s.coefficients
    return [TaylorRecurrence.polynomialODE(x, value: outputs[0]) { y, k in k == 0 ? y[0] + 1 : y[k] }]
  }
}

extension Log1pOp {
  /// The log recurrence on u = 1 + x.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.log([inputs[0] + 1] + s.coefficients, value: outputs[0])]
  }
}

extension Log2Op {
  /// log₂ x = ln x / ln 2: the log recurrence, scaled.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let ln = TaylorRecurrence.log([inputs[0]] + s.coefficients, value: outputs[0] * MathConstants.ln2)
    return [TaylorSeries(ln.coefficients.map { $0 / MathConstants.ln2 })]
  }
}

extension Log10Op {
  /// log₁₀ x = ln x / ln 10: the log recurrence, scaled.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let ln = TaylorRecurrence.log([inputs[0]] + s.coefficients, value: outputs[0] * MathConstants.ln10)
    return [TaylorSeries(ln.coefficients.map { $0 / MathConstants.ln10 })]
  }
}
