import ComplexModule
import RealModule

/// Conversion between dtypes.
///
/// Derivative: the identity between floating dtypes (converted back in the VJP); a complex
/// to real conversion keeps the real part, whose adjoint embeds a real cotangent as complex.
struct ConvertOp: UnaryOp {
  let dtype: DType
  var name: String { "to(\(dtype))" }
  var sparsity: SparsityRule { .elementwise(.linear) }

  func primal(_ x: Tensor) -> Tensor { x.contiguousValues(dtype: dtype) }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { dx.converted(to: dtype) }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { gy.converted(to: x.dtype) }
}

extension Tensor {
  /// This tensor's values in another dtype (the same tensor when the dtype already matches).
  ///
  /// Integer conversions truncate toward zero; complex to real keeps the real part; a value
  /// converts to `bool` as `value != 0`.
  ///
  /// - Precondition: converting to `int64`, every value is finite and inside `-2⁶³..<2⁶³`.
  ///   NaN, ±∞ and values out of range stop with a message naming `converted(to:)` and the
  ///   value. (PyTorch leaves these conversions undefined; the result depends on the platform.)
  /// Derivative: the identity (flows only between floating dtypes).
  public func converted(to dtype: DType) -> Tensor {
    if dtype == self.dtype { return self }
    if !dtype.isFloatingPoint || !self.dtype.isFloatingPoint { return detached.contiguousValues(dtype: dtype) }
    return Tensor.apply(ConvertOp(dtype: dtype), self)
  }
}
