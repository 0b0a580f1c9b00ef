extension Tensor {
  /// Applies a bitwise operation elementwise, with broadcasting, to `bool` or `int64` tensors
  /// (a `bool` operand is promoted to `int64` next to an `int64` one).
  private func bitwise(_ other: Tensor, op: String, _ f: (Int64, Int64) -> Int64) -> Tensor {
    let kinds: Set<DType> = [.bool, .int64]
    check(kinds.contains(dtype) && kinds.contains(other.dtype), "\(op): expected bool or int64 tensors, got \(dtype) and \(other.dtype)")
    let shape = Shape.broadcast(self.shape, other.shape, op: op)
    let a = dtype == .int64 ? self : converted(to: .int64)
    let b = other.dtype == .int64 ? other : other.converted(to: .int64)
    let out = ElementwiseKernels.zip(a.detached, b.detached, shape: shape, Int64.self, to: .int64, Int64.self, f)
    return dtype == .bool && other.dtype == .bool ? out.ne(Tensor(Int64(0))) : out
  }

  /// Elementwise bitwise "and" of `bool` or `int64` tensors, with broadcasting, like
  /// `torch.bitwise_and` (and `&`, `__rand__`).
  ///
  /// - Precondition: both tensors are `bool` or `int64` and the shapes broadcast.
  /// Derivative: none (integer outputs).
  public func bitwiseAnd(_ other: Tensor) -> Tensor { bitwise(other, op: "bitwiseAnd", &) }

  /// Elementwise bitwise "or", like `torch.bitwise_or` (and `|`, `__ror__`).
  ///
  /// - Precondition: both tensors are `bool` or `int64` and the shapes broadcast.
  /// Derivative: none (integer outputs).
  public func bitwiseOr(_ other: Tensor) -> Tensor { bitwise(other, op: "bitwiseOr", |) }

  /// Elementwise bitwise "exclusive or", like `torch.bitwise_xor` (and `^`, `__rxor__`).
  ///
  /// - Precondition: both tensors are `bool` or `int64` and the shapes broadcast.
  /// Derivative: none (integer outputs).
  public func bitwiseXor(_ other: Tensor) -> Tensor { bitwise(other, op: "bitwiseXor", ^) }
}
