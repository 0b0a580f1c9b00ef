import ComplexModule
import RealModule

/// The p-norm (Σ|x|ᵖ)^(1/p) over dims for a finite p other than 0 and 1, real for complex
/// inputs.
///
/// Derivative (PyTorch's `norm_backward`): w·s with w = sgn(x)·|x|^(p−1) (x itself for p = 2)
/// and s = 1/y^(p−1), taken as 0 where y = 0; for p < 1, w is 0 where x = 0 and s = y^(1−p).
/// The JVP is Σ Re(conj(w)·dx)·s and the VJP is ḡ·w·s.
struct VectorNormOp: UnaryOp {
  let ord: Double
  /// The dims, negative.
  let dims: [Int]
  let keepdim: Bool
  var name: String { "vectorNorm" }
  var sparsity: SparsityRule { .reduction(dims: dims, .nonlinear) }

  func primal(_ x: Tensor) -> Tensor {
    let a = x.abs()
    if ord == 2 { return (a * a).sum(dims: dims, keepdim: keepdim).sqrt() }
    return a.pow(ord).sum(dims: dims, keepdim: keepdim).pow(1 / ord)
  }

  /// The direction w and the scale s of the derivative (s with the reduced dims kept).
  func parts(_ x: Tensor, y: Tensor) -> (w: Tensor, s: Tensor) {
    let yk = restoringReducedDims(y, inputShape: x.shape, dims: dims, keepdim: keepdim)
    if ord == 2 { return (x, yk.realScalar(1).dividedWhereNonzero(by: yk)) }
    let w = x.sgn() * x.abs().pow(ord - 1)
    if ord < 1 { return (w.keeping(x.mask(.notEqual, 0)), yk.pow(1 - ord)) }
    return (w, yk.realScalar(1).dividedWhereNonzero(by: yk.pow(ord - 1)))
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    let (w, s) = parts(x, y: y)
    return ((w.conj() * dx).real * s).sum(dims: dims, keepdim: keepdim)
  }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    let (w, s) = parts(x, y: y)
    return restoringReducedDims(gy, inputShape: x.shape, dims: dims, keepdim: keepdim) * s * w
  }
}

extension Tensor {
  /// The vector p-norm over `dims` (every dim when `nil`), like
  /// `torch.linalg.vector_norm(x, ord, dims, keepdim)`: (Σ|x|ᵖ)^(1/p), with ord ∞ the largest
  /// |x|, −∞ the smallest, and 0 the number of non-zero elements. Complex inputs give a real
  /// result.
  ///
  /// Derivative: for finite p, sgn(x)·|x|^(p−1)/‖x‖^(p−1) (x/‖x‖ for p = 2), zero where the
  /// norm is zero; for ±∞, shared evenly by the elements that attain it; for 0, zero.
  /// - Precondition: the dims are in range; the tensor is floating.
  public func vectorNorm(ord: Double = 2, dims: [Int]? = nil, keepdim: Bool = false) -> Tensor {
    check(dtype.isFloatingPoint, "vectorNorm: expected a floating or complex tensor, got \(dtype)")
    check(!ord.isNaN, "vectorNorm: ord must not be NaN")
    let d = negativeDims(dims, op: "vectorNorm")
    if rank == 0 { return reshaped([1]).vectorNorm(ord: ord, dims: [0]) }
    let positive = d.map { $0 + rank }
    switch ord {
    case .infinity: return abs().amax(dims: positive, keepdim: keepdim)
    case -.infinity: return abs().amin(dims: positive, keepdim: keepdim)
    case 0: return mask(.notEqual, 0).maskValues(dtype.real).sum(dims: positive, keepdim: keepdim)
    case 1: return abs().sum(dims: positive, keepdim: keepdim)
    default: return Tensor.apply(VectorNormOp(ord: ord, dims: d, keepdim: keepdim), self)
    }
  }

  /// The p-norm over `dims` (every dim when `nil`), like `torch.norm(x, p, dims, keepdim)`;
  /// the default p = 2 is the Frobenius norm of the flattened tensor. See
  /// ``vectorNorm(ord:dims:keepdim:)``.
  ///
  /// Derivative: x/‖x‖ for p = 2 (zero where the norm is zero); see `vectorNorm` for other p.
  public func norm(p: Double = 2, dims: [Int]? = nil, keepdim: Bool = false) -> Tensor {
    vectorNorm(ord: p, dims: dims, keepdim: keepdim)
  }
}

// MARK: Taylor rule (normalized coefficients, see TaylorSeries)

extension VectorNormOp {
  /// y = u^(1/p) with u = Σ|x|ᵖ over the dims. For p = 2, u = Σ x·x̄ and its coefficients are
  /// the real Cauchy products u_k = Σ Re(Σ_{j=0}^{k} x̄_j·x_{k−j}) (real and complex inputs);
  /// for another p and real inputs with no zero element, |x(t)| = sign(x₀)·x(t) near t = 0, so
  /// |x|ᵖ follows the power recurrence. Then y = √u (p = 2) or u^(1/p) by the power recurrence.
  /// Both divide by y₀ (and the second by x₀): a zero norm, a zero element for p ≠ 2, or a
  /// complex input with p ≠ 2 takes the generic rule, where the derivative is not smooth.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    let (x0, y0) = (inputs[0], outputs[0])
    guard !y0.detached.valuesOfEveryMember.doubles.contains(0) else { return nil }
    let x = [x0] + s.coefficients
    var u = [y0 * y0]
    if ord == 2 {
      for k in 1...s.order { u.append(TaylorRecurrence.squaredModulus(x, k).sum(dims: dims, keepdim: keepdim)) }
      return [TaylorRecurrence.squareRoot(u, value: y0)]
    }
    guard !x0.dtype.isComplex, !x0.detached.valuesOfEveryMember.doubles.contains(0) else { return nil }
    let sign = x0.detached.sign()
    let a = x.map { $0 * sign }
    let p = Tensor.full([], ord, dtype: x0.dtype)
    let powers = TaylorRecurrence.power(a, exponent: p, value: x0.abs().pow(ord))
    u = [y0.pow(ord)] + powers.coefficients.map { $0.sum(dims: dims, keepdim: keepdim) }
    return [TaylorRecurrence.power(u, exponent: Tensor.full([], 1 / ord, dtype: x0.dtype), value: y0)]
  }
}
