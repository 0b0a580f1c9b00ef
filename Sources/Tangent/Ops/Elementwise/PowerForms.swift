import ComplexModule
import RealModule

// Powers in double precision and scaling by powers of two, built on `pow`.

extension Tensor {
  /// `self` raised to `exponent` in double precision, like `torch.float_power`: both are
  /// converted to `float64` (`complex128` if either is complex) before ``pow(_:)-(Tensor)``.
  ///
  /// Derivative: that of `pow` through the conversions: exponent·self^(exponent − 1) for
  /// `self` and result·log(self) for `exponent`, with `pow`'s conventions at zero.
  /// - Precondition: the shapes broadcast.
  public func floatPower(_ exponent: Tensor) -> Tensor {
    let t: DType = dtype.isComplex || exponent.dtype.isComplex ? .complex128 : .float64
    return converted(to: t).pow(exponent.converted(to: t))
  }

  /// `self` raised to a scalar exponent in double precision, like `torch.float_power(x, 2.5)`.
  ///
  /// Derivative: exponent·self^(exponent − 1); zero for exponent 0.
  public func floatPower(_ exponent: Double) -> Tensor {
    let x = converted(to: dtype.isComplex ? .complex128 : .float64)
    return x.pow(Tensor.full([], exponent, dtype: x.dtype))
  }

  /// `self`·2^`other`, elementwise with broadcasting, like `torch.ldexp`; integer exponents
  /// give a floating result.
  ///
  /// Derivative: 2^other for `self`; self·2^other·log 2 for a floating `other`.
  /// - Precondition: the shapes broadcast.
  public func ldexp(_ other: Tensor) -> Tensor {
    let base: DType = dtype.isFloatingPoint ? dtype.real : .defaultFloating
    return self * Tensor.full([], 2, dtype: base).pow(other)
  }
}
