extension Tensor {
  /// A tensor of this tensor's shape and dtype filled with `value`, like `torch.fill`.
  ///
  /// Derivative: zero with respect to this tensor.
  public func filled(with value: Double) -> Tensor {
    Tensor.where(Tensor(shape: [], scalars: [true]), Tensor.full([], value, dtype: dtype), self)
  }

  /// A tensor of this tensor's shape and dtype filled with the value of a 0-d tensor, like
  /// `torch.fill` with a tensor value.
  ///
  /// - Precondition: `value` is 0-d (and not complex for a real tensor).
  /// Derivative: zero with respect to this tensor; the VJP gives `value` the sum of the
  /// cotangent.
  public func filled(with value: Tensor) -> Tensor {
    check(value.rank == 0, "filled: the value must be a 0-d tensor, got shape \(value.shape)")
    return maskedFill(Tensor(shape: [], scalars: [true]), value: value)
  }

  /// A tensor of zeros with this tensor's shape and dtype, like the functional form of
  /// `Tensor.zero_`.
  ///
  /// Derivative: zero.
  public func zeroed() -> Tensor { filled(with: 0) }
}
