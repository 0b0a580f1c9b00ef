import ComplexModule
import RealModule

enum SinFunction: UnaryFunction {
  static var name: String { "sin" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.sinKernel(x) }
  @inline(__always) static func realNeedsFixup<T: RealScalar>(_ x: T) -> Bool { VectorMath.trigNeedsFixup(x) }
  static func realFixup<T: RealScalar>(_ x: T) -> T { VectorMath.sin(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .sin(z) }
  @inline(__always) static func realLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool {
    VectorMath.sinLoop(x, y, count)
  }
}

enum CosFunction: UnaryFunction {
  static var name: String { "cos" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.cosKernel(x) }
  @inline(__always) static func realNeedsFixup<T: RealScalar>(_ x: T) -> Bool { VectorMath.trigNeedsFixup(x) }
  static func realFixup<T: RealScalar>(_ x: T) -> T { VectorMath.cos(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .cos(z) }
  @inline(__always) static func realLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool {
    VectorMath.cosLoop(x, y, count)
  }
}

enum TanhFunction: UnaryFunction {
  static var name: String { "tanh" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { VectorMath.tanh(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .tanh(z) }
  @inline(__always) static func realLoop<T: RealScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count: Int) -> Bool {
    VectorMath.tanhLoop(x, y, count)
  }
}

/// Sine. Derivative: cos x.
struct SinOp: ElementwiseOp {
  var name: String { "sin" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(SinFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { x.cos() }
  var vjpReads: SavedValues { .inputs }
}

/// Cosine. Derivative: −sin x.
struct CosOp: ElementwiseOp {
  var name: String { "cos" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(CosFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { -x.sin() }
  var vjpReads: SavedValues { .inputs }
}

/// Hyperbolic tangent. Derivative: 1 − y², reusing the output.
///
/// Both rules run as one fused pass, ``TanhScaleOp`` (`t ⊙ (1 − y²)`), instead of three
/// elementwise ops and their temporaries; the VJP of complex inputs conjugates the
/// derivative, so it takes the unfused form.
struct TanhOp: ElementwiseOp {
  var name: String { "tanh" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(TanhFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 1 - y * y }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { Tensor.apply(TanhScaleOp(), dx, y) }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    y.dtype.isComplex ? gy * (1 - y * y).conj() : Tensor.apply(TanhScaleOp(), gy, y)
  }
  var vjpReads: SavedValues { .outputs }
}

/// `t ⊙ (1 − y²)` in one pass.
enum TanhScaleFunction: BinaryFunction {
  static var name: String { "tanhScale" }
  @inline(__always) static func real<T: RealScalar>(_ t: T, _ y: T) -> T { t * (1 - y * y) }
  @inline(__always) static func complex<T: RealScalar>(_ t: Complex<T>, _ y: Complex<T>) -> Complex<T> {
    t * (Complex(1) - y * y)
  }
}

/// `s = t ⊙ (1 − y²)`: the tangent (or, for real dtypes, the cotangent) `t` through tanh,
/// with `y = tanh x`, fused. Its own rules make tanh's derivatives differentiable again.
///
/// Derivative: `ds = dt ⊙ (1 − y²) − 2 t ⊙ y ⊙ dy`; the VJP is `ḡ ⊙ conj(1 − y²)` for `t` and
/// `−2 ḡ ⊙ conj(t ⊙ y)` for `y`, summed over broadcast dims.
struct TanhScaleOp: BinaryOp {
  var name: String { "tanhScale" }
  var sparsity: SparsityRule { .elementwise(.nonlinear) }
  func primal(_ t: Tensor, _ y: Tensor) -> Tensor { ElementwiseKernels.apply(TanhScaleFunction.self, t, y) }
  func jvp(a t: Tensor, b y: Tensor, y s: Tensor, da dt: Tensor?, db dy: Tensor?) -> Tensor? {
    let fromT = dt.map { Tensor.apply(self, lift($0, primalRank: t.rank, outputRank: s.rank), y) }
    let fromY = dy.map { -2 * (t * y) * lift($0, primalRank: y.rank, outputRank: s.rank) }
    return sumOfTerms(fromT, fromY)
  }
  func vjp(a t: Tensor, b y: Tensor, y s: Tensor, gy g: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    let complex = y.dtype.isComplex
    let gt = needA
      ? summed(complex ? g * (1 - y * y).conj() : Tensor.apply(self, g, y), toInputShape: t.shape, outputRank: s.rank) : nil
    let gY = needB ? summed(-2 * g * (t * y).conj(), toInputShape: y.shape, outputRank: s.rank) : nil
    return (gt, gY)
  }
  var acceptsChunkedCotangents: Bool { true }
  var vjpReads: SavedValues { .inputs }
  /// `gt` reads `y`; `gy` reads `t` and `y`.
  func vjpReadsInputs(needed: [Bool]) -> [Bool] { [needed[1], true] }
}

extension Tensor {
  /// Sine, elementwise. Derivative: cos x.
  public func sin() -> Tensor { Tensor.apply(SinOp(), self) }
  /// Cosine, elementwise. Derivative: −sin x.
  public func cos() -> Tensor { Tensor.apply(CosOp(), self) }
  /// Hyperbolic tangent, elementwise. Derivative: 1 − tanh²x.
  public func tanh() -> Tensor { Tensor.apply(TanhOp(), self) }
}

// MARK: Tangent and the inverse functions

enum TanFunction: UnaryFunction {
  static var name: String { "tan" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.tan(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .tan(z) }
}

enum AsinFunction: UnaryFunction {
  static var name: String { "asin" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.asin(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .asin(z) }
}

enum AcosFunction: UnaryFunction {
  static var name: String { "acos" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.acos(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .acos(z) }
}

enum AtanFunction: UnaryFunction {
  static var name: String { "atan" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { T.atan(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { .atan(z) }
}

enum Atan2Function: BinaryFunction {
  static var name: String { "atan2" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { T.atan2(y: a, x: b) }
  static var supportsComplex: Bool { false }
}

/// Tangent. Derivative: 1 + tan²x, reusing the output.
struct TanOp: ElementwiseOp {
  var name: String { "tan" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(TanFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 1 + y * y }
}

/// Arcsine. Derivative: 1/√(1 − x²).
struct AsinOp: ElementwiseOp {
  var name: String { "asin" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(AsinFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { (1 - x * x).rsqrt() }
}

/// Arccosine. Derivative: −1/√(1 − x²).
struct AcosOp: ElementwiseOp {
  var name: String { "acos" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(AcosFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { -(1 - x * x).rsqrt() }
}

/// Arctangent. Derivative: 1/(1 + x²).
struct AtanOp: ElementwiseOp {
  var name: String { "atan" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(AtanFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor { 1 / (1 + x * x) }
}

/// The angle of the point (b, a): atan2(a, b). Derivative: ∂/∂a = b/(a² + b²),
/// ∂/∂b = −a/(a² + b²).
struct Atan2Op: ElementwiseBinaryOp {
  var name: String { "atan2" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(Atan2Function.self, a, b) }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    let r2 = a * a + b * b
    return (wantA ? b / r2 : nil, wantB ? -a / r2 : nil)
  }
}

extension Tensor {
  /// Tangent, elementwise, like `torch.tan`.
  ///
  /// Derivative: 1 + tan²x.
  public func tan() -> Tensor { Tensor.apply(TanOp(), self) }

  /// Arcsine, elementwise, like `torch.asin` (principal branch for complex inputs).
  ///
  /// Derivative: 1/√(1 − x²).
  public func asin() -> Tensor { Tensor.apply(AsinOp(), self) }

  /// Arccosine, elementwise, like `torch.acos` (principal branch for complex inputs).
  ///
  /// Derivative: −1/√(1 − x²).
  public func acos() -> Tensor { Tensor.apply(AcosOp(), self) }

  /// Arctangent, elementwise, like `torch.atan` (principal branch for complex inputs).
  ///
  /// Derivative: 1/(1 + x²).
  public func atan() -> Tensor { Tensor.apply(AtanOp(), self) }

  /// The four-quadrant arctangent of `self / other`, elementwise with broadcasting, like
  /// `torch.atan2(self, other)`. Real only.
  ///
  /// Derivative: other/(self² + other²) for `self`, −self/(self² + other²) for `other`.
  /// - Precondition: the shapes broadcast; neither tensor is complex.
  public func atan2(_ other: Tensor) -> Tensor {
    requireReal("atan2")
    other.requireReal("atan2")
    return Tensor.apply(Atan2Op(), self, other)
  }

  /// Degrees to radians, elementwise, like `torch.deg2rad`: x·π/180. Real only.
  ///
  /// Derivative: linear, π/180.
  /// - Precondition: the tensor is not complex.
  public func deg2rad() -> Tensor {
    requireReal("deg2rad")
    return self * (Double.pi / 180)
  }

  /// Radians to degrees, elementwise, like `torch.rad2deg`: x·180/π. Real only.
  ///
  /// Derivative: linear, 180/π.
  /// - Precondition: the tensor is not complex.
  public func rad2deg() -> Tensor {
    requireReal("rad2deg")
    return self * (180 / Double.pi)
  }
}

// MARK: Taylor rules (normalized coefficients, see TaylorSeries; Griewank & Walther, ch. 13)

extension SinOp {
  /// s_k = (1/k)·Σ j·x_j·c_{k−j}, c_k = −(1/k)·Σ j·x_j·s_{k−j}, computed together.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.sineCosine([inputs[0]] + s.coefficients, sin: outputs[0], cos: inputs[0].cos()).0]
  }
}

extension CosOp {
  /// The sine–cosine recurrence (see ``SinOp``).
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.sineCosine([inputs[0]] + s.coefficients, sin: inputs[0].sin(), cos: outputs[0]).1]
  }
}

extension TanhOp {
  /// y′ = (1 − y²)·x′: with z = 1 − y², y_k = (1/k)·Σ j·x_j·z_{k−j} and z_k = −Σ_{j=0}^{k} y_j·y_{k−j}.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.polynomialODE([inputs[0]] + s.coefficients, value: outputs[0]) { y, k in
      k == 0 ? 1 - y[0] * y[0] : -TaylorRecurrence.cauchy(y, y, k)!
    }]
  }
}

extension TanOp {
  /// y′ = (1 + y²)·x′: with z = 1 + y², z_k = Σ_{j=0}^{k} y_j·y_{k−j}.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.polynomialODE([inputs[0]] + s.coefficients, value: outputs[0]) { y, k in
      k == 0 ? 1 + y[0] * y[0] : TaylorRecurrence.cauchy(y, y, k)!
    }]
  }
}

// The inverse functions have no recurrence in their own value; their derivatives do, so each
// rule builds the series d of f′(x(t)) and integrates it: from y′ = d·x′, comparing the
// coefficients of t^{k−1} gives y_k = (1/k)·Σ_{j=1}^{k} j·x_j·d_{k−j}
// (``TaylorRecurrence/integrated(_:_:_:)``). The K-th coefficient of y needs d₀ … d_{K−1}.

extension AtanOp {
  /// atan′ = 1/(1 + x²): see ``TaylorRecurrence/integratingReciprocal(_:value:square:)``.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.integratingReciprocal([inputs[0]] + s.coefficients, value: outputs[0], square: 1)]
  }
}

extension AsinOp {
  /// asin′ = (1 − x²)^(−½): see ``TaylorRecurrence/integratingInverseRoot(_:value:constant:square:scale:)``
  /// (u₀ = 1 − x₀² is nonzero inside the domain |x| < 1).
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.integratingInverseRoot([inputs[0]] + s.coefficients, value: outputs[0], constant: 1, square: -1, scale: 1)]
  }
}

extension AcosOp {
  /// acos′ = −(1 − x²)^(−½): the series of ``AsinOp`` with d negated.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorRecurrence.integratingInverseRoot([inputs[0]] + s.coefficients, value: outputs[0], constant: 1, square: -1, scale: -1)]
  }
}

extension TaylorRecurrence {
  /// The series of y with y′ = x′/(1 + σ·x²) (atan for σ = 1, atanh for σ = −1), given x's full
  /// list and y₀: u = 1 + σ·x² has u_k = σ·Σ_{j=0}^{k} x_j·x_{k−j}, its reciprocal d follows
  /// d_k = −(Σ_{j=1}^{k} u_j·d_{k−j})/u₀ (from u·d = 1), and y integrates d. The K-th
  /// coefficient of y needs d₀ … d_{K−1}.
  static func integratingReciprocal(_ x: [Tensor], value: Tensor, square sigma: Double) -> TaylorSeries {
    let order = x.count - 1
    let u0 = 1 + x[0] * x[0] * sigma
    var u = [u0], d = [1 / u0], y = [value]
    for k in 1...order {
      y.append(integrated(x, d, k))
      if k < order {
        u.append(cauchy(x, x, k)! * sigma)
        d.append(-cauchy(u, d, k, from: 1)! / u0)
      }
    }
    return series(y)
  }

  /// The series of y with y′ = s·x′·(c + σ·x²)^(−½) (asin: c = 1, σ = −1, s = 1; acos: s = −1;
  /// asinh: c = 1, σ = 1; acosh: c = −1, σ = 1), given x's full list and y₀: u = c + σ·x² has
  /// u_k = σ·Σ_{j=0}^{k} x_j·x_{k−j}, d = s·u^(−½) follows the power recurrence (it divides by
  /// u₀, nonzero inside each function's domain), and y integrates d.
  static func integratingInverseRoot(_ x: [Tensor], value: Tensor, constant c: Double, square sigma: Double, scale: Double) -> TaylorSeries {
    let order = x.count - 1
    var u = [x[0] * x[0] * sigma + c]
    for k in stride(from: 1, to: order, by: 1) { u.append(cauchy(x, x, k)! * sigma) }
    let r = Tensor.full([], -0.5, dtype: x[0].dtype.real)
    let root = u[0].rsqrt()
    let d = [root] + (order > 1 ? power(u, exponent: r, value: root).coefficients : [])
    var y = [value]
    for k in 1...order { y.append(integrated(x, d, k) * scale) }
    return series(y)
  }
}
