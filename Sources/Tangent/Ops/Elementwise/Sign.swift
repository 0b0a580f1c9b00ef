import ComplexModule
import RealModule

// MARK: Kernels

enum AbsFunction: UnaryFunction {
  static var name: String { "abs" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { Swift.abs(x) }
  static var supportsComplex: Bool { false }  // complex → real runs through its own loop
  @inline(__always) static func integer(_ x: Int64) -> Int64? { x < 0 ? 0 &- x : x }
}

enum SignFunction: UnaryFunction {
  static var name: String { "sign" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x > 0 ? 1 : (x < 0 ? -1 : 0) }
  static var supportsComplex: Bool { false }
  @inline(__always) static func integer(_ x: Int64) -> Int64? { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}

enum SgnFunction: UnaryFunction {
  static var name: String { "sgn" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { SignFunction.real(x) }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> {
    z.isZero ? .zero : z.divided(by: z.length)
  }
  @inline(__always) static func integer(_ x: Int64) -> Int64? { SignFunction.integer(x) }
}

enum RealAngleFunction: UnaryFunction {
  static var name: String { "angle" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x.isNaN ? x : (x < 0 ? T.pi : 0) }
  static var supportsComplex: Bool { false }
}

enum CopysignFunction: BinaryFunction {
  static var name: String { "copysign" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { T(signOf: b, magnitudeOf: a) }
  static var supportsComplex: Bool { false }
}

// MARK: Ops

/// The absolute value (the modulus |z| for complex inputs, giving a real tensor).
///
/// Derivative: sgn(x) (zero at zero). The JVP is Re(conj(sgn z)·dz) and the VJP is ḡ·sgn(z).
struct AbsOp: UnaryOp {
  var name: String { "abs" }
  var sparsity: SparsityRule { .elementwise(.nonlinear) }
  func primal(_ x: Tensor) -> Tensor {
    if x.dtype.isComplex {
      // hypot of the raw parts: swift-numerics' `length` is +∞ for every non-finite value,
      // where C's cabs gives NaN for NaN parts.
      return OpElementwiseKernels.complexToReal(
        x, { Float.hypot($0.rawStorage.x, $0.rawStorage.y) }, { Double.hypot($0.rawStorage.x, $0.rawStorage.y) })
    }
    return ElementwiseKernels.apply(AbsFunction.self, x)
  }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    x.dtype.isComplex ? (dx * x.sgn().conj()).real : dx * x.sign()
  }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { gy * x.sgn() }
}

/// z/|z| (0 at 0) for complex tensors, the sign for real ones.
///
/// Derivative for complex z ≠ 0: the real-linear map dz ↦ (dz − s·Re(conj(s)·dz))/|z| with
/// s = sgn z, which is self-adjoint, so the VJP has the same form; zero at z = 0 (PyTorch's
/// `sgn_backward`). Zero for real inputs.
struct SgnOp: UnaryOp {
  var name: String { "sgn" }
  var sparsity: SparsityRule { .elementwise(.nonlinear) }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(SgnFunction.self, x) }
  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let dx = tangents[0], inputs[0].dtype.isComplex else { return [nil] }
    return [jvp(x: inputs[0], y: outputs[0], dx: dx)]
  }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { project(dx, x: x, s: y) }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    x.dtype.isComplex ? project(gy, x: x, s: y) : Tensor.zeros(like: gy.detached, shape: x.shape)
  }
  /// (v − s·Re(conj(s)·v))/|x|, zero where x = 0.
  func project(_ v: Tensor, x: Tensor, s: Tensor) -> Tensor {
    let r = x.abs()
    return (v - s * (s.conj() * v).real).dividedWhereNonzero(by: r)
  }
}

/// The argument of a complex number in (−π, π], as a real tensor; for real inputs π where
/// negative and 0 elsewhere.
///
/// Derivative for complex z ≠ 0: dθ = Im(conj(z)·dz)/|z|², so the VJP is ḡ·i·z/|z|²; zero at
/// z = 0 and for real inputs (PyTorch's `angle_backward`).
struct AngleOp: UnaryOp {
  var name: String { "angle" }
  var sparsity: SparsityRule { .elementwise(.nonlinear) }
  func primal(_ x: Tensor) -> Tensor {
    if x.dtype.isComplex {
      // The raw parts, as C's carg: swift-numerics reports non-finite parts as NaN.
      return OpElementwiseKernels.complexToReal(x, { Float.atan2(y: $0.rawStorage.y, x: $0.rawStorage.x) }, {
        Double.atan2(y: $0.rawStorage.y, x: $0.rawStorage.x)
      })
    }
    return ElementwiseKernels.apply(RealAngleFunction.self, x)
  }
  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let dx = tangents[0], inputs[0].dtype.isComplex else { return [nil] }
    return [jvp(x: inputs[0], y: outputs[0], dx: dx)]
  }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    let r2 = (x * x.conj()).real
    return (x.conj() * dx).imag.dividedWhereNonzero(by: r2)
  }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    guard x.dtype.isComplex else { return Tensor.zeros(like: gy.detached, shape: x.shape) }
    let r2 = (x * x.conj()).real
    let i = Tensor.full([], complex: Complex(0, 1), dtype: x.dtype)
    return (gy * i * x).dividedWhereNonzero(by: r2)
  }
}

/// The magnitude of `a` with the sign of `b`.
///
/// Derivative: ±1 for `a` (the ratio y/a, zero where a = 0); zero for `b` (PyTorch's
/// `copysign` backward).
struct CopysignOp: ElementwiseBinaryOp {
  var name: String { "copysign" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(CopysignFunction.self, a, b) }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    guard wantA else { return (nil, nil) }
    let ratio = (y.detached / a.detached).keeping(a.mask(.notEqual, 0))
    return (ratio, nil)
  }
}

// MARK: Public API

extension Tensor {
  /// The absolute value, elementwise, like `torch.abs`; for complex tensors the modulus, as a
  /// real tensor. Integers stay integers.
  ///
  /// Derivative: sgn(x), zero at zero (for complex z the VJP is ḡ·z/|z|).
  public func abs() -> Tensor { Tensor.apply(AbsOp(), self) }

  /// The sign −1, 0 or +1, elementwise, like `torch.sign` (0 for NaN). Integers stay integers.
  ///
  /// Derivative: zero.
  /// - Precondition: the tensor is not complex (use ``sgn()``).
  public func sign() -> Tensor {
    check(!dtype.isComplex, "sign: complex inputs (\(dtype)) are not supported; use sgn()")
    return Tensor.apply(PiecewiseConstantOp<SignFunction>(), self)
  }

  /// z/|z| (and 0 at 0), elementwise, like `torch.sgn`; the same as ``sign()`` for real tensors.
  ///
  /// Derivative: for complex z ≠ 0 the real-linear map dz ↦ (dz − s·Re(s̄·dz))/|z| with
  /// s = sgn z; zero at zero and for real tensors.
  public func sgn() -> Tensor { Tensor.apply(SgnOp(), self) }

  /// The argument (phase) of each element in (−π, π], like `torch.angle`: a real tensor. Real
  /// inputs give π where negative and 0 elsewhere (NaN stays NaN).
  ///
  /// Derivative: Im(z̄·dz)/|z|² for complex z ≠ 0 (the VJP is ḡ·i·z/|z|²); zero at zero and for
  /// real inputs.
  public func angle() -> Tensor { Tensor.apply(AngleOp(), self) }

  /// The magnitude of `self` with the sign of `other`, elementwise with broadcasting, like
  /// `torch.copysign`. Real only; integers give floats.
  ///
  /// Derivative: ±1 for `self` (zero where `self` is zero); zero for `other`.
  /// - Precondition: the shapes broadcast; neither tensor is complex.
  public func copysign(_ other: Tensor) -> Tensor {
    requireReal("copysign")
    other.requireReal("copysign")
    return Tensor.apply(CopysignOp(), self, other)
  }
}

// MARK: Taylor rule

extension AbsOp {
  /// For real inputs, piecewise linear: y_k = sign(x₀)·x_k (the JVP on each coefficient). For
  /// complex inputs with no zero element, y = √u with u = |x|² = x·x̄, whose coefficients are
  /// u_k = Σ_{j=0}^{k} Re(x̄_j·x_{k−j}) along the real t, and the square-root recurrence
  /// y_k = (u_k − Σ_{j=1}^{k−1} y_j·y_{k−j})/(2y₀). It divides by y₀: a complex input with a
  /// zero element (where |z| is not smooth) takes the generic rule.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard inputs[0].dtype.isComplex else { return taylorByLinearity(inputs: inputs, outputs: outputs, series: series) }
    guard let s = series[0] else { return [nil] }
    guard !outputs[0].detached.valuesOfEveryMember.doubles.contains(0) else { return nil }
    let x = [inputs[0]] + s.coefficients
    let u = [outputs[0] * outputs[0]] + (1...s.order).map { TaylorRecurrence.squaredModulus(x, $0) }
    return [TaylorRecurrence.squareRoot(u, value: outputs[0])]
  }
}
