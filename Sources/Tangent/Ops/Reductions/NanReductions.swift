import ComplexModule
import RealModule

// Reductions that skip NaN, and the minimum and maximum together.

extension Tensor {
  /// The sum over `dims` (every dim when `nil`) treating NaN as zero, like
  /// `torch.nansum(x, dims, keepdim)`.
  ///
  /// Derivative: linear where the input is not NaN, zero at the NaNs.
  /// - Precondition: the dims are in range.
  public func nansum(dims: [Int]? = nil, keepdim: Bool = false) -> Tensor {
    let d = dims ?? Array(0..<rank)
    if !dtype.isFloatingPoint { return sum(dims: d, keepdim: keepdim) }
    return keeping(mask(.equal, self)).sum(dims: d, keepdim: keepdim)
  }

  /// The mean over `dims` of the elements that are not NaN, like `torch.nanmean` (NaN where
  /// every element is NaN).
  ///
  /// Derivative: 1/count for each non-NaN element, zero at the NaNs.
  /// - Precondition: the dims are in range; the tensor is floating.
  public func nanmean(dims: [Int]? = nil, keepdim: Bool = false) -> Tensor {
    check(dtype.isFloatingPoint, "nanmean: expected a floating or complex tensor, got \(dtype)")
    let d = dims ?? Array(0..<rank)
    let present = mask(.equal, self)
    let count = present.maskValues(dtype.real).sum(dims: d, keepdim: keepdim)
    return keeping(present).sum(dims: d, keepdim: keepdim) / count
  }

  /// The minimum and the maximum over `dim` (every dim when `nil`), like
  /// `torch.aminmax(x, dim:, keepdim:)`.
  ///
  /// Derivative: those of ``amin(dims:keepdim:)`` and ``amax(dims:keepdim:)``, shared evenly
  /// by the elements that attain the extreme.
  /// - Precondition: `dim` is in range and the reduced dims are not empty; the tensor is not
  ///   complex.
  public func aminmax(dim: Int? = nil, keepdim: Bool = false) -> (min: Tensor, max: Tensor) {
    let d = dim.map { [$0] } ?? Array(0..<rank)
    return (amin(dims: d, keepdim: keepdim), amax(dims: d, keepdim: keepdim))
  }
}
