import ComplexModule
import RealModule

// The modified Bessel functions of the first kind of orders 0 and 1, plain and scaled by
// e^(−|x|), from `torch.special`.

/// Iᵥ(x) for ν = 0 or 1, scaled by e^(−|x|) when `scaled`.
struct BesselIFunction: ParametricUnaryFunction {
  let order: Int
  let scaled: Bool
  var name: String { "i\(order)\(scaled ? "e" : "")" }
  func real<T: RealScalar>(_ x: T) -> T { SpecialFunctions.besselI(order: order, x, scaled: scaled) }
}

/// The modified Bessel function I₀ or I₁, optionally scaled by e^(−|x|).
///
/// Derivative (PyTorch's): I₀′ = I₁; (e^(−|x|)I₀)′ = i1e − sgn(x)·i0e; I₁′ = I₀ − I₁/x;
/// (e^(−|x|)I₁)′ = i0e − i1e·(sgn(x) + 1/x); the last two are ½ at x = 0.
struct BesselIOp: ElementwiseOp {
  let function: BesselIFunction
  var name: String { function.name }
  func primal(_ x: Tensor) -> Tensor { OpElementwiseKernels.apply(function, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    switch (function.order, function.scaled) {
    case (0, false): return x.i1()
    case (0, true): return x.i1e() - x.sign() * y
    case (_, false): return atZeroOneHalf(x, x.i0() - y / x)
    default: return atZeroOneHalf(x, x.i0e() - y * (x.sign() + 1 / x))
    }
  }

  /// `value` where x ≠ 0, and ½ (the limit) where x = 0.
  func atZeroOneHalf(_ x: Tensor, _ value: Tensor) -> Tensor {
    let zero = x.mask(.equal, 0)
    return value.keeping(zero.maskNot) + zero.maskValues(x.dtype) * 0.5
  }
}

extension Tensor {
  /// The modified Bessel function of the first kind of order 0, I₀(x), like `torch.i0` and
  /// `torch.special.i0`.
  ///
  /// Derivative: I₁(x).
  /// - Precondition: the tensor is not complex.
  public func i0() -> Tensor {
    requireReal("i0")
    return Tensor.apply(BesselIOp(function: BesselIFunction(order: 0, scaled: false)), self)
  }

  /// The exponentially scaled e^(−|x|)·I₀(x), finite for every x, like `torch.special.i0e`.
  ///
  /// Derivative: i1e(x) − sgn(x)·i0e(x).
  /// - Precondition: the tensor is not complex.
  public func i0e() -> Tensor {
    requireReal("i0e")
    return Tensor.apply(BesselIOp(function: BesselIFunction(order: 0, scaled: true)), self)
  }

  /// The modified Bessel function of the first kind of order 1, I₁(x), like `torch.special.i1`.
  ///
  /// Derivative: I₀(x) − I₁(x)/x, and ½ at x = 0.
  /// - Precondition: the tensor is not complex.
  public func i1() -> Tensor {
    requireReal("i1")
    return Tensor.apply(BesselIOp(function: BesselIFunction(order: 1, scaled: false)), self)
  }

  /// The exponentially scaled e^(−|x|)·I₁(x), like `torch.special.i1e`.
  ///
  /// Derivative: i0e(x) − i1e(x)·(sgn(x) + 1/x), and ½ at x = 0.
  /// - Precondition: the tensor is not complex.
  public func i1e() -> Tensor {
    requireReal("i1e")
    return Tensor.apply(BesselIOp(function: BesselIFunction(order: 1, scaled: true)), self)
  }
}
