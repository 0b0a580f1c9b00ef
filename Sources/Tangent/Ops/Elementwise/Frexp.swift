import ComplexModule
import RealModule

/// The mantissa m ∈ [0.5, 1) (with the sign of x) and the exponent e of x = m·2ᵉ; zero,
/// infinities and NaN give (x, 0).
@inline(__always) func frexpParts<T: RealScalar>(_ x: T) -> (T, Int64) {
  if x == 0 || !x.isFinite { return (x, 0) }
  let e = Int64(x.exponent) + 1
  let m = x.significand / 2
  return (x < 0 ? -m : m, e)
}

/// Splits each element into a mantissa in [0.5, 1) and an integer exponent, x = m·2ᵉ.
///
/// Derivative (PyTorch's): the mantissa's is 2^(−e) (piecewise constant); the exponent, an
/// integer, has none.
struct FrexpOp: DifferentiableOp {
  var name: String { "frexp" }
  var sparsity: SparsityRule { .elementwise(.nonlinear) }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    inputs[0].dtype.visitReal(FrexpKernel(x: inputs[0]), op: name)
  }

  /// The mantissas and exponents, for the input's real dtype.
  private struct FrexpKernel: RealVisitor {
    let x: Tensor
    func visit<T: RealScalar>(_: T.Type) -> [Tensor] {
      [ElementwiseKernels.map(x, T.self, to: x.dtype, T.self) { frexpParts($0).0 },
       ElementwiseKernels.map(x, T.self, to: .int64, Int64.self) { frexpParts($0).1 }]
    }
  }

  /// 2^(−e) in the mantissa's dtype (a constant).
  func scale(_ outputs: [Tensor]) -> Tensor { (-outputs[1].converted(to: outputs[0].dtype)).exp2() }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    [tangents[0].map { $0 * scale(outputs) }, nil]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0], let g = cotangents[0] else { return [nil] }
    return [g * scale(outputs)]
  }
}

extension Tensor {
  /// Each element as mantissa·2^exponent with the mantissa in [0.5, 1) (signed) and an
  /// `int64` exponent, like `torch.frexp` (which gives `int32` exponents); zero, infinities
  /// and NaN have exponent 0 and are their own mantissa.
  ///
  /// Derivative: 2^(−exponent) for the mantissa; none for the exponent.
  /// - Precondition: the tensor is real floating.
  public func frexp() -> (mantissa: Tensor, exponent: Tensor) {
    check(dtype == .float32 || dtype == .float64, "frexp: expected a real floating tensor, got \(dtype)")
    let out = Tensor.apply(FrexpOp(), [self])
    return (out[0], out[1])
  }
}
