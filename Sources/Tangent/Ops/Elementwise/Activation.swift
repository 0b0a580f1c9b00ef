import ComplexModule
import RealModule

// MARK: Kernels

enum SigmoidFunction: UnaryFunction {
  static var name: String { "sigmoid" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.sigmoid(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { 1 / (1 + .exp(-z)) }
  @inline(__always) static func realLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool {
    VectorMath.sigmoidLoop(x, y, count)
  }
}

enum LogSigmoidFunction: UnaryFunction {
  static var name: String { "logSigmoid" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.logSigmoid(x) }
  static var supportsComplex: Bool { false }
  @inline(__always) static func realLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool {
    VectorMath.logSigmoidLoop(x, y, count)
  }
}

enum ReluFunction: UnaryFunction {
  static var name: String { "relu" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x < 0 ? 0 : x }
  static var supportsComplex: Bool { false }
  @inline(__always) static func integer(_ x: Int64) -> Int64? { x < 0 ? 0 : x }
}

enum SiluFunction: UnaryFunction {
  static var name: String { "silu" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x * VectorMath.sigmoid(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { z / (1 + .exp(-z)) }
  @inline(__always) static func realLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool {
    VectorMath.siluLoop(x, y, count)
  }
}

enum GeluFunction: UnaryFunction {
  static var name: String { "gelu" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T {
    T(0.5) * x * (1 + T.erf(x * T(MathConstants.invSqrt2)))
  }
  static var supportsComplex: Bool { false }
}

enum GeluTanhFunction: UnaryFunction {
  static var name: String { "gelu" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T {
    let inner = T(MathConstants.sqrtTwoOverPi) * (x + T(0.044715) * x * x * x)
    return T(0.5) * x * (1 + VectorMath.tanh(inner))
  }
  static var supportsComplex: Bool { false }
}

enum HardsigmoidFunction: UnaryFunction {
  static var name: String { "hardsigmoid" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T {
    x <= -3 ? 0 : (x >= 3 ? 1 : x / 6 + T(0.5))
  }
  static var supportsComplex: Bool { false }
}

enum HardswishFunction: UnaryFunction {
  static var name: String { "hardswish" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T {
    x <= -3 ? 0 : (x >= 3 ? x : x * (x + 3) / 6)
  }
  static var supportsComplex: Bool { false }
}

enum MishFunction: UnaryFunction {
  static var name: String { "mish" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T {
    x * VectorMath.tanh(SoftplusFunction(beta: 1, threshold: 20).real(x))
  }
  static var supportsComplex: Bool { false }
}

/// log(1 + e^(βx))/β, linear above the threshold.
struct SoftplusFunction: ParametricUnaryFunction {
  let beta: Double
  let threshold: Double
  var name: String { "softplus" }
  @inline(__always) func real<T: RealScalar>(_ x: T) -> T {
    let bx = T(beta) * x
    return bx > T(threshold) ? x : VectorMath.log1p(VectorMath.exp(bx)) / T(beta)
  }
}

/// PyTorch's general ELU: scale·x above zero, scale·α·(e^(x·inputScale) − 1) below.
struct EluFunction: ParametricUnaryFunction {
  let alpha: Double
  let scale: Double
  let inputScale: Double
  let name: String
  @inline(__always) func real<T: RealScalar>(_ x: T) -> T {
    x > 0 ? T(scale) * x : T(scale * alpha) * T.expMinusOne(x * T(inputScale))
  }
}

struct LeakyReluFunction: ParametricUnaryFunction {
  let slope: Double
  var name: String { "leakyRelu" }
  @inline(__always) func real<T: RealScalar>(_ x: T) -> T { x > 0 ? x : x * T(slope) }
}

/// The slope of leaky ReLU: 1 above zero, the negative slope elsewhere.
struct LeakyReluSlopeFunction: ParametricUnaryFunction {
  let slope: Double
  var name: String { "leakyRelu" }
  @inline(__always) func real<T: RealScalar>(_ x: T) -> T { x > 0 ? 1 : T(slope) }
}

struct HardtanhFunction: ParametricUnaryFunction {
  let low: Double
  let high: Double
  var name: String { "hardtanh" }
  @inline(__always) func real<T: RealScalar>(_ x: T) -> T { x < T(low) ? T(low) : (x > T(high) ? T(high) : x) }
}

// MARK: Ops

/// The logistic sigmoid 1/(1 + e^−x). Derivative: y(1 − y), reusing the output.
struct SigmoidOp: ElementwiseOp {
  var name: String { "sigmoid" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(SigmoidFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { y * (1 - y) }
  var vjpReads: SavedValues { .outputs }
}

/// log σ(x) = −softplus(−x), computed stably. Derivative: σ(−x).
struct LogSigmoidOp: ElementwiseOp {
  var name: String { "logSigmoid" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(LogSigmoidFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { (-x).sigmoid() }
}

/// max(x, 0). Derivative: 1 where the output is positive, 0 elsewhere (0 at x = 0).
struct ReluOp: UnaryOp {
  var name: String { "relu" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  /// The VJP masks the cotangent with a broadcast mask, so chunked cotangents fit.
  var acceptsChunkedCotangents: Bool { true }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(ReluFunction.self, x) }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { dx.keeping(y.mask(.greater, 0)) }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { gy.keeping(y.mask(.greater, 0)) }
}

/// log(1 + e^(βx))/β, or x where βx exceeds the threshold.
///
/// Derivative: σ(βx), or 1 above the threshold.
struct SoftplusOp: ElementwiseOp {
  let beta: Double
  let threshold: Double
  var name: String { "softplus" }
  func primal(_ x: Tensor) -> Tensor {
    OpElementwiseKernels.apply(SoftplusFunction(beta: beta, threshold: threshold), x)
  }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    let linear = (x * beta).mask(.greater, threshold)
    return (x * beta).sigmoid().keeping(linear.maskNot) + linear.maskValues(x.dtype)
  }
}

/// x·σ(x). Derivative: σ(x)(1 + x(1 − σ(x))).
struct SiluOp: ElementwiseOp {
  var name: String { "silu" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(SiluFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    let s = x.sigmoid()
    return s * (1 + x * (1 - s))
  }
}

/// x·Φ(x), exactly or with the tanh approximation.
///
/// Derivative: Φ(x) + x·φ(x) exactly; for the approximation with u = √(2/π)(x + 0.044715x³)
/// and t = tanh u, ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
struct GeluOp: ElementwiseOp {
  let approximate: GeluApproximation
  var name: String { "gelu" }
  func primal(_ x: Tensor) -> Tensor {
    switch approximate {
    case .none: return ElementwiseKernels.apply(GeluFunction.self, x)
    case .tanh: return ElementwiseKernels.apply(GeluTanhFunction.self, x)
    }
  }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    switch approximate {
    case .none:
      let cdf = 0.5 * (1 + (x * MathConstants.invSqrt2).erf())
      let pdf = (-0.5 * x * x).exp() * MathConstants.invSqrtTwoPi
      return cdf + x * pdf
    case .tanh:
      let k = 0.044715
      let t = (MathConstants.sqrtTwoOverPi * (x + k * x * x * x)).tanh()
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * (MathConstants.sqrtTwoOverPi * (1 + 3 * k * x * x))
    }
  }
}

/// PyTorch's general ELU (`elu`, `selu` and `celu` are instances).
///
/// Derivative: scale above zero; inputScale·(y + scale·α) = scale·α·inputScale·e^(x·inputScale)
/// at and below zero.
struct EluOp: ElementwiseOp {
  let function: EluFunction
  var name: String { function.name }
  func primal(_ x: Tensor) -> Tensor { OpElementwiseKernels.apply(function, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    let positive = x.mask(.greater, 0)
    let below = ((y + function.scale * function.alpha) * function.inputScale).keeping(positive.maskNot)
    return below + positive.maskValues(x.dtype) * function.scale
  }
}

/// x above zero, slope·x elsewhere. Derivative: 1 above zero, the slope elsewhere.
struct LeakyReluOp: ElementwiseOp {
  let slope: Double
  var name: String { "leakyRelu" }
  func primal(_ x: Tensor) -> Tensor { OpElementwiseKernels.apply(LeakyReluFunction(slope: slope), x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    OpElementwiseKernels.apply(LeakyReluSlopeFunction(slope: slope), x.detached)
  }
}

/// x clamped to [low, high]. Derivative: 1 strictly inside, 0 at and beyond the bounds.
struct HardtanhOp: UnaryOp {
  let low: Double
  let high: Double
  var name: String { "hardtanh" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ x: Tensor) -> Tensor { OpElementwiseKernels.apply(HardtanhFunction(low: low, high: high), x) }
  func inside(_ x: Tensor) -> Tensor { x.mask(.greater, low).maskAnd(x.mask(.less, high)) }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { dx.keeping(inside(x)) }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { gy.keeping(inside(x)) }
}

/// relu6(x + 3)/6. Derivative: 1/6 strictly inside (−3, 3), 0 elsewhere.
struct HardsigmoidOp: ElementwiseOp {
  var name: String { "hardsigmoid" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(HardsigmoidFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    x.mask(.greater, -3).maskAnd(x.mask(.less, 3)).maskValues(x.dtype) / 6
  }
}

/// x·relu6(x + 3)/6. Derivative: 0 below −3, x/3 + ½ on [−3, 3], 1 above 3.
struct HardswishOp: ElementwiseOp {
  var name: String { "hardswish" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(HardswishFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    let middle = x.mask(.greaterEqual, -3).maskAnd(x.mask(.lessEqual, 3))
    return (x / 3 + 0.5).keeping(middle) + x.mask(.greater, 3).maskValues(x.dtype)
  }
}

/// x·tanh(softplus(x)). Derivative: t + x·σ(x)(1 − t²) with t = tanh(softplus(x)).
struct MishOp: ElementwiseOp {
  var name: String { "mish" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(MishFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    let t = x.softplus().tanh()
    return t + x * x.sigmoid() * (1 - t * t)
  }
}

// MARK: Public API

/// How ``Tensor/gelu(approximate:)`` computes the Gaussian CDF, like PyTorch's `approximate`.
public enum GeluApproximation: String, Sendable {
  /// The exact form x·Φ(x), with the error function.
  case none
  /// The tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
  case tanh
}

extension Tensor {
  /// The logistic sigmoid 1/(1 + e^−x), elementwise, like `torch.sigmoid`.
  ///
  /// Derivative: σ(x)(1 − σ(x)).
  public func sigmoid() -> Tensor { Tensor.apply(SigmoidOp(), self) }

  /// log σ(x), elementwise and stable for large |x|, like `torch.nn.functional.logsigmoid`.
  ///
  /// Derivative: σ(−x).
  /// - Precondition: the tensor is not complex.
  public func logSigmoid() -> Tensor {
    requireReal("logSigmoid")
    return Tensor.apply(LogSigmoidOp(), self)
  }

  /// max(x, 0), elementwise, like `torch.relu`. Integers stay integers.
  ///
  /// Derivative: 1 where x > 0, 0 elsewhere (including x = 0).
  /// - Precondition: the tensor is not complex.
  public func relu() -> Tensor {
    requireReal("relu")
    return Tensor.apply(ReluOp(), self)
  }

  /// log(1 + e^(βx))/β, elementwise, reverting to x where βx > threshold, like
  /// `torch.nn.functional.softplus`.
  ///
  /// Derivative: σ(βx), or 1 where βx > threshold.
  /// - Precondition: the tensor is not complex.
  public func softplus(beta: Double = 1, threshold: Double = 20) -> Tensor {
    requireReal("softplus")
    return Tensor.apply(SoftplusOp(beta: beta, threshold: threshold), self)
  }

  /// x·σ(x) (swish), elementwise, like `torch.nn.functional.silu`.
  ///
  /// Derivative: σ(x)(1 + x(1 − σ(x))).
  public func silu() -> Tensor { Tensor.apply(SiluOp(), self) }

  /// The Gaussian error linear unit x·Φ(x), elementwise, like `torch.nn.functional.gelu`.
  ///
  /// Derivative: Φ(x) + x·φ(x) (or the derivative of the tanh approximation).
  /// - Precondition: the tensor is not complex.
  public func gelu(approximate: GeluApproximation = .none) -> Tensor {
    requireReal("gelu")
    return Tensor.apply(GeluOp(approximate: approximate), self)
  }

  /// x above zero, α(eˣ − 1) elsewhere, like `torch.nn.functional.elu`.
  ///
  /// Derivative: 1 above zero, α·eˣ at and below zero.
  /// - Precondition: the tensor is not complex.
  public func elu(alpha: Double = 1) -> Tensor {
    requireReal("elu")
    return Tensor.apply(EluOp(function: EluFunction(alpha: alpha, scale: 1, inputScale: 1, name: "elu")), self)
  }

  /// The scaled ELU λ·elu(x, α) with λ ≈ 1.0507 and α ≈ 1.6733, like `torch.nn.functional.selu`.
  ///
  /// Derivative: λ above zero, λα·eˣ at and below zero.
  /// - Precondition: the tensor is not complex.
  public func selu() -> Tensor {
    requireReal("selu")
    let f = EluFunction(
      alpha: 1.673_263_242_354_377_284_817_042_991_671_7, scale: 1.050_700_987_355_480_493_419_334_985_294_6,
      inputScale: 1, name: "selu")
    return Tensor.apply(EluOp(function: f), self)
  }

  /// max(0, x) + min(0, α(e^(x/α) − 1)), like `torch.nn.functional.celu`.
  ///
  /// Derivative: 1 above zero, e^(x/α) at and below zero.
  /// - Precondition: the tensor is not complex and α ≠ 0.
  public func celu(alpha: Double = 1) -> Tensor {
    requireReal("celu")
    check(alpha != 0, "celu: alpha must not be zero")
    return Tensor.apply(EluOp(function: EluFunction(alpha: alpha, scale: 1, inputScale: 1 / alpha, name: "celu")), self)
  }

  /// x above zero, slope·x elsewhere, like `torch.nn.functional.leaky_relu`.
  ///
  /// Derivative: 1 above zero, the slope at and below zero.
  /// - Precondition: the tensor is not complex.
  public func leakyRelu(negativeSlope: Double = 0.01) -> Tensor {
    requireReal("leakyRelu")
    return Tensor.apply(LeakyReluOp(slope: negativeSlope), self)
  }

  /// x clamped to [min, max], like `torch.nn.functional.hardtanh`.
  ///
  /// Derivative: 1 strictly between the bounds, 0 elsewhere.
  /// - Precondition: the tensor is not complex and min ≤ max.
  public func hardtanh(min: Double = -1, max: Double = 1) -> Tensor {
    requireReal("hardtanh")
    check(min <= max, "hardtanh: min (\(min)) must not exceed max (\(max))")
    return Tensor.apply(HardtanhOp(low: min, high: max), self)
  }

  /// relu6(x + 3)/6, like `torch.nn.functional.hardsigmoid`.
  ///
  /// Derivative: 1/6 strictly between −3 and 3, 0 elsewhere.
  /// - Precondition: the tensor is not complex.
  public func hardsigmoid() -> Tensor {
    requireReal("hardsigmoid")
    return Tensor.apply(HardsigmoidOp(), self)
  }

  /// x·relu6(x + 3)/6, like `torch.nn.functional.hardswish`.
  ///
  /// Derivative: 0 below −3, x/3 + ½ on [−3, 3], 1 above 3.
  /// - Precondition: the tensor is not complex.
  public func hardswish() -> Tensor {
    requireReal("hardswish")
    return Tensor.apply(HardswishOp(), self)
  }

  /// x·tanh(softplus(x)), like `torch.nn.functional.mish`.
  ///
  /// Derivative: t + x·σ(x)(1 − t²) with t = tanh(softplus(x)).
  /// - Precondition: the tensor is not complex.
  public func mish() -> Tensor {
    requireReal("mish")
    return Tensor.apply(MishOp(), self)
  }
}

// MARK: Taylor rules (normalized coefficients, see TaylorSeries; Griewank & Walther, ch. 13)

extension SigmoidOp {
  /// y′ = (y − y²)·x′: with z = y − y², y_k = (1/k)·Σ j·x_j·z_{k−j} and z_k = y_k − Σ_{j=0}^{k} y_j·y_{k−j}.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.series(TaylorRecurrence.sigmoid([inputs[0]] + s.coefficients, value: outputs[0], order: s.order))]
  }
}

extension LogSigmoidOp {
  /// y′ = σ(−x)·x′: the σ recurrence on u = −x gives the series of y′'s factor.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let x = [inputs[0]] + s.coefficients
    let d = TaylorRecurrence.sigmoid(x.map { -$0 }, value: (-inputs[0]).sigmoid(), order: s.order - 1)
    return [TaylorSeries((1...s.order).map { TaylorRecurrence.integrated(x, d, $0) })]
  }
}

extension SoftplusOp {
  /// y′ = σ(βx)·x′ below the threshold (the σ recurrence on u = βx), and y_k = x_k above it,
  /// where the op is the identity.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let x = [inputs[0]] + s.coefficients
    let d = TaylorRecurrence.sigmoid(x.map { $0 * beta }, value: (inputs[0] * beta).sigmoid(), order: s.order - 1)
    let linear = (inputs[0] * beta).mask(.greater, threshold).maskValues(inputs[0].dtype)
    return [TaylorSeries((1...s.order).map { k in
      let smooth = TaylorRecurrence.integrated(x, d, k)
      return smooth + linear * (x[k] - smooth)
    })]
  }
}

extension SiluOp {
  /// y = x·σ(x): the Cauchy product of x and the σ series.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let x = [inputs[0]] + s.coefficients
    let sigma = TaylorRecurrence.sigmoid(x, value: inputs[0].sigmoid(), order: s.order)
    return [TaylorSeries((1...s.order).map { TaylorRecurrence.cauchy(x, sigma, $0)! })]
  }
}

extension ReluOp {
  /// Piecewise linear: y_k = x_k where the output is positive, 0 elsewhere (the JVP's
  /// convention at 0).
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let mask = outputs[0].mask(.greater, 0)
    return [TaylorSeries(s.coefficients.map { $0.keeping(mask) })]
  }
}

// MARK: Taylor rule

extension LeakyReluOp {
  /// Piecewise linear: the JVP on each coefficient (the slope depends on the primal only).
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByLinearity(inputs: inputs, outputs: outputs, series: series)
  }
}

// MARK: Taylor rule

extension HardtanhOp {
  /// Piecewise linear: the JVP on each coefficient (the mask depends on the primal only).
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByLinearity(inputs: inputs, outputs: outputs, series: series)
  }
}

extension GeluOp {
  /// A product y = x·g with a Cauchy product y_k = Σ_{j=0}^{k} x_j·g_{k−j}. Exact GELU:
  /// g = Φ(x) = ½(1 + erf(x/√2)), whose coefficients are those of ½·erf on the scaled series
  /// x/√2 (the erf rule, ``ErfOp``). The tanh approximation: g = ½(1 + tanh w) with
  /// w = √(2/π)·(x + 0.044715·x³), x³ by two Cauchy products and tanh by its recurrence
  /// (``TanhOp``).
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let x = [inputs[0]] + s.coefficients
    let g: [Tensor]
    switch approximate {
    case .none:
      let half = ErfOp.erfSeries(x.map { $0 * MathConstants.invSqrt2 }, scale: 0.5 * MathConstants.twoOverSqrtPi)
      g = [0.5 * (1 + (inputs[0] * MathConstants.invSqrt2).erf())] + half.coefficients
    case .tanh:
      let k = 0.044715, c = MathConstants.sqrtTwoOverPi
      let square = (0...s.order).map { TaylorRecurrence.cauchy(x, x, $0)! }
      let w = (0...s.order).map { (x[$0] + TaylorRecurrence.cauchy(square, x, $0)! * k) * c }
      let t = TaylorRecurrence.polynomialODE(w, value: w[0].tanh()) { y, j in
        j == 0 ? 1 - y[0] * y[0] : -TaylorRecurrence.cauchy(y, y, j)!
      }
      g = [0.5 * (1 + w[0].tanh())] + t.coefficients.map { $0 * 0.5 }
    }
    return [TaylorSeries((1...s.order).map { TaylorRecurrence.cauchy(x, g, $0)! })]
  }
}
