import ComplexModule
import RealModule

// MARK: Kernels

enum FloorFunction: UnaryFunction {
  static var name: String { "floor" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x.rounded(.down) }
  static var supportsComplex: Bool { false }
  @inline(__always) static func integer(_ x: Int64) -> Int64? { x }
}

enum CeilFunction: UnaryFunction {
  static var name: String { "ceil" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x.rounded(.up) }
  static var supportsComplex: Bool { false }
  @inline(__always) static func integer(_ x: Int64) -> Int64? { x }
}

enum RoundFunction: UnaryFunction {
  static var name: String { "round" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x.rounded(.toNearestOrEven) }
  static var supportsComplex: Bool { false }
  @inline(__always) static func integer(_ x: Int64) -> Int64? { x }
}

enum TruncFunction: UnaryFunction {
  static var name: String { "trunc" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x.rounded(.towardZero) }
  static var supportsComplex: Bool { false }
  @inline(__always) static func integer(_ x: Int64) -> Int64? { x }
}

enum FracFunction: UnaryFunction {
  static var name: String { "frac" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x - x.rounded(.towardZero) }
  static var supportsComplex: Bool { false }
}

/// Rounding to a number of decimal places, half to even, as PyTorch computes it.
struct RoundDecimalsFunction: ParametricUnaryFunction {
  let decimals: Int
  var name: String { "round" }
  func real<T: RealScalar>(_ x: T) -> T {
    if decimals >= 0 {
      let scale = T.pow(10, decimals)
      return (x * scale).rounded(.toNearestOrEven) / scale
    }
    let scale = T.pow(10, -decimals)
    return (x / scale).rounded(.toNearestOrEven) * scale
  }
}

enum FmodFunction: BinaryFunction {
  static var name: String { "fmod" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { a.truncatingRemainder(dividingBy: b) }
  static var supportsComplex: Bool { false }
  static func integer(_ a: Int64, _ b: Int64) -> Int64? {
    check(b != 0, "fmod: integer division by zero")
    return b == -1 ? 0 : a % b
  }
  static var keepsIntegers: Bool { true }
}

enum RemainderFunction: BinaryFunction {
  static var name: String { "remainder" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T {
    let m = a.truncatingRemainder(dividingBy: b)
    return m != 0 && (b < 0) != (m < 0) ? m + b : m
  }
  static var supportsComplex: Bool { false }
  static func integer(_ a: Int64, _ b: Int64) -> Int64? {
    check(b != 0, "remainder: integer division by zero")
    let m = b == -1 ? 0 : a % b
    return m != 0 && (b < 0) != (m < 0) ? m &+ b : m
  }
  static var keepsIntegers: Bool { true }
}

// MARK: Ops

/// A piecewise-constant elementwise function (`floor`, `ceil`, `round`, `trunc`, `sign`).
///
/// Derivative: zero (PyTorch's convention, including at the jumps). The JVP gives no tangent
/// and the VJP gives zeros.
struct PiecewiseConstantOp<F: UnaryFunction>: UnaryOp {
  var name: String { F.name }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(F.self, x) }
  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] { [nil] }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { Tensor.zeros(like: dx.detached) }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { Tensor.zeros(like: gy.detached, shape: x.shape) }
}

/// ``PiecewiseConstantOp`` for rounding to decimal places.
struct RoundDecimalsOp: UnaryOp {
  let decimals: Int
  var name: String { "round" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ x: Tensor) -> Tensor {
    if !x.dtype.isFloatingPoint { return x }
    return OpElementwiseKernels.apply(RoundDecimalsFunction(decimals: decimals), x)
  }
  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] { [nil] }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { Tensor.zeros(like: dx.detached) }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { Tensor.zeros(like: gy.detached, shape: x.shape) }
}

/// The fractional part x − trunc(x). Derivative: 1 (PyTorch's convention, including at the
/// jumps).
struct FracOp: UnaryOp {
  var name: String { "frac" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(FracFunction.self, x) }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { dx }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { gy }
}

/// The C remainder a − trunc(a/b)·b, with the sign of `a`.
///
/// Derivative: 1 for `a`; −trunc(a/b) for `b` (piecewise constant).
struct FmodOp: ElementwiseBinaryOp {
  var name: String { "fmod" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(FmodFunction.self, a, b) }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    (wantA ? y.realScalar(1) : nil, wantB ? -(a.detached / b.detached).trunc() : nil)
  }
}

/// The Python remainder a − floor(a/b)·b, with the sign of `b`.
///
/// Derivative: 1 for `a`; −floor(a/b) for `b` (piecewise constant).
struct RemainderOp: ElementwiseBinaryOp {
  var name: String { "remainder" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(RemainderFunction.self, a, b) }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    (wantA ? y.realScalar(1) : nil, wantB ? -(a.detached / b.detached).floor() : nil)
  }
}

// MARK: Public API

extension Tensor {
  /// The largest integer not above x, elementwise, like `torch.floor`. Integers are returned
  /// unchanged.
  ///
  /// Derivative: zero.
  /// - Precondition: the tensor is not complex.
  public func floor() -> Tensor {
    requireReal("floor")
    return Tensor.apply(PiecewiseConstantOp<FloorFunction>(), self)
  }

  /// The smallest integer not below x, elementwise, like `torch.ceil`. Integers are returned
  /// unchanged.
  ///
  /// Derivative: zero.
  /// - Precondition: the tensor is not complex.
  public func ceil() -> Tensor {
    requireReal("ceil")
    return Tensor.apply(PiecewiseConstantOp<CeilFunction>(), self)
  }

  /// The nearest integer, halves to even, elementwise, like `torch.round`; with `decimals`,
  /// rounds to that many decimal places (negative: to tens, hundreds…), like
  /// `torch.round(x, decimals:)`. Integers are returned unchanged.
  ///
  /// Derivative: zero.
  /// - Precondition: the tensor is not complex.
  public func round(decimals: Int = 0) -> Tensor {
    requireReal("round")
    if decimals == 0 { return Tensor.apply(PiecewiseConstantOp<RoundFunction>(), self) }
    return Tensor.apply(RoundDecimalsOp(decimals: decimals), self)
  }

  /// The integer part (rounding toward zero), elementwise, like `torch.trunc`. Integers are
  /// returned unchanged.
  ///
  /// Derivative: zero.
  /// - Precondition: the tensor is not complex.
  public func trunc() -> Tensor {
    requireReal("trunc")
    return Tensor.apply(PiecewiseConstantOp<TruncFunction>(), self)
  }

  /// The fractional part x − trunc(x), with the sign of x, like `torch.frac`.
  ///
  /// Derivative: 1.
  /// - Precondition: the tensor is not complex.
  public func frac() -> Tensor {
    requireReal("frac")
    return Tensor.apply(FracOp(), self)
  }

  /// The remainder of `self / other` with the sign of `self` (C's `fmod`), elementwise with
  /// broadcasting, like `torch.fmod`. Integers stay integers.
  ///
  /// Derivative: 1 for `self`; −trunc(self/other) for `other`.
  /// - Precondition: the shapes broadcast; neither is complex; no integer division by zero.
  public func fmod(_ other: Tensor) -> Tensor {
    requireReal("fmod")
    other.requireReal("fmod")
    return Tensor.apply(FmodOp(), self, other)
  }

  /// The remainder of dividing by a scalar, with the sign of `self`, like `torch.fmod(x, 2.5)`.
  ///
  /// Derivative: 1.
  public func fmod(_ other: Double) -> Tensor { fmod(scalarLike(other)) }

  /// ``fmod(_:)-(Double)`` with an integer scalar: an integer tensor stays integer.
  public func fmod(_ other: Int) -> Tensor { fmod(scalarLike(other)) }

  /// The remainder of `self / other` with the sign of `other` (Python's `%`), elementwise with
  /// broadcasting, like `torch.remainder`. Integers stay integers.
  ///
  /// Derivative: 1 for `self`; −floor(self/other) for `other`.
  /// - Precondition: the shapes broadcast; neither is complex; no integer division by zero.
  public func remainder(_ other: Tensor) -> Tensor {
    requireReal("remainder")
    other.requireReal("remainder")
    return Tensor.apply(RemainderOp(), self, other)
  }

  /// The remainder of dividing by a scalar, with the sign of the scalar, like
  /// `torch.remainder(x, 2.5)`.
  ///
  /// Derivative: 1.
  public func remainder(_ other: Double) -> Tensor { remainder(scalarLike(other)) }

  /// ``remainder(_:)-(Double)`` with an integer scalar: an integer tensor stays integer.
  public func remainder(_ other: Int) -> Tensor { remainder(scalarLike(other)) }
}

// MARK: Taylor rules

extension PiecewiseConstantOp {
  /// Constant output: the derivatives of every order are zero (the convention of the JVP),
  /// so no coefficient reaches the output.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? { [nil] }
}

extension RoundDecimalsOp {
  /// Constant output, as ``PiecewiseConstantOp``.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? { [nil] }
}

extension FracOp {
  /// x − trunc(x) with trunc's derivatives zero: y_k = x_k.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    [series[0]]
  }
}
