import ComplexModule
import RealModule

// MARK: Kernels

enum MaximumFunction: BinaryFunction {
  static var name: String { "maximum" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { a != a ? a : (b != b ? b : (b > a ? b : a)) }  // NaN propagates
  static var supportsComplex: Bool { false }
  @inline(__always) static func integer(_ a: Int64, _ b: Int64) -> Int64? { Swift.max(a, b) }
  static var keepsIntegers: Bool { true }
}

enum MinimumFunction: BinaryFunction {
  static var name: String { "minimum" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { a != a ? a : (b != b ? b : (b < a ? b : a)) }  // NaN propagates
  static var supportsComplex: Bool { false }
  @inline(__always) static func integer(_ a: Int64, _ b: Int64) -> Int64? { Swift.min(a, b) }
  static var keepsIntegers: Bool { true }
}

/// NaN and infinities replaced by finite values (each part separately for complex numbers).
struct NanToNumFunction: ParametricUnaryFunction {
  let nan: Double
  let posinf: Double?
  let neginf: Double?
  var name: String { "nanToNum" }
  var supportsComplex: Bool { true }
  @inline(__always) func real<T: RealScalar>(_ x: T) -> T {
    if x.isNaN { return T(nan) }
    if x == .infinity { return posinf.map { T($0) } ?? .greatestFiniteMagnitude }
    if x == -.infinity { return neginf.map { T($0) } ?? -.greatestFiniteMagnitude }
    return x
  }
  @inline(__always) func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> {
    // The raw parts: swift-numerics reports both parts of a non-finite value as NaN.
    let (x, y) = z.rawStorage
    return Complex(real(x), real(y))
  }
}

// MARK: Ops

/// The larger (or smaller) of two tensors, elementwise, propagating NaN.
///
/// Derivative (PyTorch's): the gradient goes to the larger (smaller) input and is split in
/// half on ties; with a NaN both inputs get it. The weights are piecewise constant.
struct ExtremumOp: ElementwiseBinaryOp {
  let max: Bool
  var name: String { max ? "maximum" : "minimum" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    max ? ElementwiseKernels.apply(MaximumFunction.self, a, b) : ElementwiseKernels.apply(MinimumFunction.self, a, b)
  }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    let t = y.dtype
    let tie = a.mask(.equal, b).maskValues(t) * 0.5
    // Weight 1 minus the share lost to the winning side: 1 − [a loses] − ½[tie].
    let aLoses = a.mask(max ? .less : .greater, b).maskValues(t)
    let bLoses = a.mask(max ? .greater : .less, b).maskValues(t)
    return (wantA ? 1 - aLoses - tie : nil, wantB ? 1 - bLoses - tie : nil)
  }
}

/// Clamping to optional tensor bounds: min(max(x, low), high), with broadcasting.
///
/// Derivative (PyTorch's `clamp_backward_min_max`): x passes where low ≤ x ≤ high; `low`
/// where x < low (and low < high); `high` where x > high (or high < low, where the result is
/// `high`).
struct ClampOp: DifferentiableOp {
  let hasLow: Bool
  let hasHigh: Bool
  var name: String { "clamp" }
  var sparsity: SparsityRule { .elementwise(.linear) }

  func bounds(_ inputs: [Tensor]) -> (Tensor?, Tensor?) {
    (hasLow ? inputs[1] : nil, hasHigh ? inputs[hasLow ? 2 : 1] : nil)
  }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    var y = inputs[0]
    let (low, high) = bounds(inputs)
    if let low { y = ElementwiseKernels.apply(MaximumFunction.self, y, low) }
    if let high { y = ElementwiseKernels.apply(MinimumFunction.self, y, high) }
    return [y]
  }

  /// The masks that route the derivative to x, low and high.
  func masks(_ inputs: [Tensor]) -> (x: Tensor, low: Tensor?, high: Tensor?) {
    let x = inputs[0]
    let (low, high) = bounds(inputs)
    switch (low, high) {
    case let (l?, h?):
      return (
        x.mask(.greaterEqual, l).maskAnd(x.mask(.lessEqual, h)),
        x.mask(.less, l).maskAnd(l.mask(.less, h)),
        x.mask(.greater, h).maskOr(h.mask(.less, l))
      )
    case let (l?, nil): return (x.mask(.greaterEqual, l), x.mask(.less, l), nil)
    case let (nil, h?): return (x.mask(.lessEqual, h), nil, x.mask(.greater, h))
    default: misuse("clamp: at least one of min and max is needed")
    }
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    let y = outputs[0]
    let m = masks(inputs)
    let routes = [m.x] + (hasLow ? [m.low!] : []) + (hasHigh ? [m.high!] : [])
    var terms: [Tensor] = []
    for (i, t) in tangents.enumerated() {
      guard let t else { continue }
      terms.append(lift(t, primalRank: inputs[i].rank, outputRank: y.rank).keeping(routes[i]))
    }
    return [terms.isEmpty ? nil : terms.dropFirst().reduce(terms[0], +)]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gy = cotangents[0] else { return inputs.map { _ in nil } }
    let m = masks(inputs)
    let routes = [m.x] + (hasLow ? [m.low!] : []) + (hasHigh ? [m.high!] : [])
    return inputs.indices.map { i in
      needed[i] ? gy.keeping(routes[i]).summed(toShape: inputs[i].shape) : nil
    }
  }
}

/// NaN, +∞ and −∞ replaced by finite values.
///
/// Derivative: 1 where x is finite, 0 where it was replaced.
struct NanToNumOp: UnaryOp {
  let function: NanToNumFunction
  var name: String { "nanToNum" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ x: Tensor) -> Tensor { OpElementwiseKernels.apply(function, x) }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { dx.keeping(OpElementwiseKernels.isFinite(x)) }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { gy.keeping(OpElementwiseKernels.isFinite(x)) }
}

// MARK: Public API

extension Tensor {
  /// The larger of `self` and `other`, elementwise with broadcasting, like `torch.maximum`
  /// (NaN if either is NaN). Integers stay integers.
  ///
  /// Derivative: the gradient flows to the larger input, split evenly on ties.
  /// - Precondition: the shapes broadcast; neither tensor is complex.
  public func maximum(_ other: Tensor) -> Tensor {
    requireReal("maximum")
    other.requireReal("maximum")
    return Tensor.apply(ExtremumOp(max: true), self, other)
  }

  /// The smaller of `self` and `other`, elementwise with broadcasting, like `torch.minimum`
  /// (NaN if either is NaN). Integers stay integers.
  ///
  /// Derivative: the gradient flows to the smaller input, split evenly on ties.
  /// - Precondition: the shapes broadcast; neither tensor is complex.
  public func minimum(_ other: Tensor) -> Tensor {
    requireReal("minimum")
    other.requireReal("minimum")
    return Tensor.apply(ExtremumOp(max: false), self, other)
  }

  /// Each element clamped to [min, max] (either bound may be omitted), like
  /// `torch.clamp(x, min, max)`: min(max(x, min), max), so `max` wins when min > max. NaN
  /// stays NaN.
  ///
  /// Derivative: 1 where min ≤ x ≤ max, 0 elsewhere.
  /// - Precondition: at least one bound is given; the tensor is not complex.
  public func clamp(min: Double? = nil, max: Double? = nil) -> Tensor {
    check(min != nil || max != nil, "clamp: at least one of min and max is needed")
    return clamp(min: min.map { scalarLike($0) }, max: max.map { scalarLike($0) })
  }

  /// Each element clamped between integer bounds; an integer tensor stays integer.
  ///
  /// Derivative: as ``clamp(min:max:)-(Double?,Double?)``.
  public func clamp(min: Int? = nil, max: Int? = nil) -> Tensor {
    check(min != nil || max != nil, "clamp: at least one of min and max is needed")
    return clamp(min: min.map { scalarLike($0) }, max: max.map { scalarLike($0) })
  }

  /// Each element clamped between tensors of bounds, with broadcasting and type promotion, like
  /// `torch.clamp(x, min: Tensor, max: Tensor)`.
  ///
  /// Derivative: `self` where min ≤ x ≤ max; `min` where x < min < max; `max` where x > max
  /// or max < min (PyTorch's rules).
  /// - Precondition: at least one bound is given; the shapes broadcast; nothing is complex.
  public func clamp(min: Tensor? = nil, max: Tensor? = nil) -> Tensor {
    check(min != nil || max != nil, "clamp: at least one of min and max is needed")
    requireReal("clamp")
    min?.requireReal("clamp")
    max?.requireReal("clamp")
    let inputs = [self] + (min.map { [$0] } ?? []) + (max.map { [$0] } ?? [])
    var shape = self.shape
    for t in inputs { shape = Shape.broadcast(shape, t.shape, op: "clamp") }
    return Tensor.apply(ClampOp(hasLow: min != nil, hasHigh: max != nil), inputs)[0]
  }

  /// NaN, +∞ and −∞ replaced by `nan`, `posinf` and `neginf` (by default 0 and the largest
  /// and smallest finite values of the dtype), like `torch.nan_to_num`. Complex numbers are
  /// treated part by part; integer tensors are returned unchanged.
  ///
  /// Derivative: 1 where x is finite, 0 elsewhere.
  public func nanToNum(nan: Double = 0, posinf: Double? = nil, neginf: Double? = nil) -> Tensor {
    if !dtype.isFloatingPoint { return self }
    return Tensor.apply(NanToNumOp(function: NanToNumFunction(nan: nan, posinf: posinf, neginf: neginf)), self)
  }
}
