/// Elementwise tests and logical operations. Their results are `bool` tensors, which carry no
/// derivative (PyTorch marks them non-differentiable).
extension Tensor {
  /// Applies a test to each element's (real, imaginary) pair, giving a `bool` tensor.
  private func classified(_ test: @escaping (Double, Double) -> Bool) -> Tensor {
    let wide = detached.contiguousValues(dtype: dtype.isComplex ? .complex128 : (dtype.isFloatingPoint ? .float64 : dtype))
    switch wide.dtype {
    case .complex128:
      return ElementwiseKernels.map(wide, Complex<Double>.self, to: .bool, Bool.self) { test($0.rawStorage.x, $0.rawStorage.y) }
    case .float64:
      return ElementwiseKernels.map(wide, Double.self, to: .bool, Bool.self) { test($0, 0) }
    default:
      return ElementwiseKernels.map(wide.contiguousValues(dtype: .float64), Double.self, to: .bool, Bool.self) { test($0, 0) }
    }
  }

  /// Whether each element is NaN (either part, for complex), like `torch.isnan`.
  public func isNaN() -> Tensor { classified { $0.isNaN || $1.isNaN } }

  /// Whether each element is infinite (either part, for complex), like `torch.isinf`.
  public func isInf() -> Tensor { classified { $0.isInfinite || $1.isInfinite } }

  /// Whether each element is +∞, like `torch.isposinf` (real tensors).
  public func isPosInf() -> Tensor {
    check(!dtype.isComplex, "isPosInf: complex inputs are not supported, got \(dtype)")
    return classified { r, _ in r == .infinity }
  }

  /// Whether each element is −∞, like `torch.isneginf` (real tensors).
  public func isNegInf() -> Tensor {
    check(!dtype.isComplex, "isNegInf: complex inputs are not supported, got \(dtype)")
    return classified { r, _ in r == -.infinity }
  }

  /// Whether each element is finite (both parts, for complex), like `torch.isfinite`.
  public func isFinite() -> Tensor { classified { $0.isFinite && $1.isFinite } }

  /// Whether each element is zero (`false`), like `torch.logical_not`.
  public func logicalNot() -> Tensor { classified { $0 == 0 && $1 == 0 } }

  /// The truth of each element: non-zero is `true`.
  private var truth: Tensor { classified { $0 != 0 || $1 != 0 } }

  /// Elementwise "and" of the truth of two tensors, with broadcasting, like `torch.logical_and`.
  public func logicalAnd(_ other: Tensor) -> Tensor {
    (truth.converted(to: .int64) * other.truth.converted(to: .int64)).ne(Tensor(Int64(0)))
  }

  /// Elementwise "or", like `torch.logical_or`.
  public func logicalOr(_ other: Tensor) -> Tensor {
    (truth.converted(to: .int64) + other.truth.converted(to: .int64)).ne(Tensor(Int64(0)))
  }

  /// Elementwise "exclusive or", like `torch.logical_xor`.
  public func logicalXor(_ other: Tensor) -> Tensor { truth.ne(other.truth) }

  /// Whether any element is true (non-zero), as a 0-d `bool`, like `torch.any`.
  public func any() -> Tensor { count == 0 ? Tensor(false) : Reductions.amax(truth, dims: Array(0..<rank), keepdim: false) }

  /// Whether any element along `dims` is true, like `torch.any(x, dim, keepdim)`.
  public func any(dims: [Int], keepdim: Bool = false) -> Tensor {
    Reductions.amax(truth, dims: Shape.normalize(dims, rank: rank, op: "any"), keepdim: keepdim)
  }

  /// Whether every element is true (non-zero), as a 0-d `bool`, like `torch.all`.
  public func all() -> Tensor { count == 0 ? Tensor(true) : Reductions.amin(truth, dims: Array(0..<rank), keepdim: false) }

  /// Whether every element along `dims` is true, like `torch.all(x, dim, keepdim)`.
  public func all(dims: [Int], keepdim: Bool = false) -> Tensor {
    Reductions.amin(truth, dims: Shape.normalize(dims, rank: rank, op: "all"), keepdim: keepdim)
  }
}
