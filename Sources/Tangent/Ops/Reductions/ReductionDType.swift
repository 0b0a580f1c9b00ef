/// Reductions and scans with a `dtype:` argument, like PyTorch's `dtype=`: the tensor is
/// converted to `dtype` first, so the accumulation runs in that precision (an `int64` sum
/// computed in `float64`, a `float32` sum accumulated in `float64`).
///
/// Derivative: the conversion's (the identity between floating dtypes; the cotangent comes back
/// in the input's dtype), then the reduction's. Converting to an integer or boolean dtype has no
/// derivative.
extension Tensor {
  /// ``sum()`` in `dtype`, like `torch.sum(x, dtype=)`.
  public func sum(dtype: DType) -> Tensor { converted(to: dtype).sum() }

  /// ``sum(dims:keepdim:)`` in `dtype`.
  public func sum(dims: [Int], keepdim: Bool = false, dtype: DType) -> Tensor {
    converted(to: dtype).sum(dims: dims, keepdim: keepdim)
  }

  /// ``sum(dim:keepdim:)`` in `dtype`.
  public func sum(dim: Int, keepdim: Bool = false, dtype: DType) -> Tensor {
    converted(to: dtype).sum(dim: dim, keepdim: keepdim)
  }

  /// ``mean()`` in `dtype`, like `torch.mean(x, dtype=)`.
  /// - Precondition: `dtype` is floating (as in PyTorch).
  public func mean(dtype: DType) -> Tensor { converted(toFloating: dtype, op: "mean").mean() }

  /// ``mean(dims:keepdim:)`` in `dtype`.
  /// - Precondition: `dtype` is floating.
  public func mean(dims: [Int], keepdim: Bool = false, dtype: DType) -> Tensor {
    converted(toFloating: dtype, op: "mean").mean(dims: dims, keepdim: keepdim)
  }

  /// ``prod()`` in `dtype`, like `torch.prod(x, dtype=)`.
  public func prod(dtype: DType) -> Tensor { converted(to: dtype).prod() }

  /// ``prod(dim:keepdim:)`` in `dtype`.
  public func prod(dim: Int, keepdim: Bool = false, dtype: DType) -> Tensor {
    converted(to: dtype).prod(dim: dim, keepdim: keepdim)
  }

  /// ``cumsum(dim:)`` in `dtype`, like `torch.cumsum(x, dim, dtype=)`.
  public func cumsum(dim: Int, dtype: DType) -> Tensor { converted(to: dtype).cumsum(dim: dim) }

  /// ``cumprod(dim:)`` in `dtype`, like `torch.cumprod(x, dim, dtype=)`.
  public func cumprod(dim: Int, dtype: DType) -> Tensor { converted(to: dtype).cumprod(dim: dim) }

  /// The tensor in a floating `dtype`, stopping with a message naming `op` otherwise.
  func converted(toFloating dtype: DType, op: String) -> Tensor {
    check(dtype.isFloatingPoint, "\(op): dtype must be floating or complex, got \(dtype) for a \(self.dtype) tensor of shape \(shape)")
    return converted(to: dtype)
  }
}
