import ComplexModule
import RealModule

enum FmaxFunction: BinaryFunction {
  static var name: String { "fmax" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { T.maximum(a, b) }
  static var supportsComplex: Bool { false }
  @inline(__always) static func integer(_ a: Int64, _ b: Int64) -> Int64? { Swift.max(a, b) }
  static var keepsIntegers: Bool { true }
}

enum FminFunction: BinaryFunction {
  static var name: String { "fmin" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { T.minimum(a, b) }
  static var supportsComplex: Bool { false }
  @inline(__always) static func integer(_ a: Int64, _ b: Int64) -> Int64? { Swift.min(a, b) }
  static var keepsIntegers: Bool { true }
}

/// The larger (or smaller) of two tensors, elementwise, ignoring NaN (C's `fmax`/`fmin`).
///
/// Derivative (PyTorch's): the gradient goes to `a` where a ≥ b (a ≤ b for fmin) or b is NaN,
/// and to `b` elsewhere, ties included; the weights are piecewise constant.
struct NanIgnoringExtremumOp: ElementwiseBinaryOp {
  let max: Bool
  var name: String { max ? "fmax" : "fmin" }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    max ? ElementwiseKernels.apply(FmaxFunction.self, a, b) : ElementwiseKernels.apply(FminFunction.self, a, b)
  }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    let toA = a.mask(max ? .greaterEqual : .lessEqual, b).maskOr(b.mask(.notEqual, b))
    let wa = toA.maskValues(y.dtype)
    return (wantA ? wa : nil, wantB ? 1 - wa : nil)
  }
}

extension Tensor {
  /// The larger of `self` and `other`, elementwise with broadcasting, ignoring NaN (NaN only
  /// where both are NaN), like `torch.fmax`. Integers stay integers.
  ///
  /// Derivative: the gradient flows to `self` where self ≥ other or other is NaN, and to
  /// `other` elsewhere.
  /// - Precondition: the shapes broadcast; neither tensor is complex.
  public func fmax(_ other: Tensor) -> Tensor {
    requireReal("fmax")
    other.requireReal("fmax")
    return Tensor.apply(NanIgnoringExtremumOp(max: true), self, other)
  }

  /// The smaller of `self` and `other`, elementwise with broadcasting, ignoring NaN, like
  /// `torch.fmin`. Integers stay integers.
  ///
  /// Derivative: the gradient flows to `self` where self ≤ other or other is NaN, and to
  /// `other` elsewhere.
  /// - Precondition: the shapes broadcast; neither tensor is complex.
  public func fmin(_ other: Tensor) -> Tensor {
    requireReal("fmin")
    other.requireReal("fmin")
    return Tensor.apply(NanIgnoringExtremumOp(max: false), self, other)
  }
}
