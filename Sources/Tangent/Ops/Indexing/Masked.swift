import ComplexModule
import RealModule

extension Tensor {
  /// This tensor with `value` wherever `mask` is true, like `torch.masked_fill` (out of
  /// place). The mask and this tensor broadcast together; the dtype is this tensor's.
  ///
  /// - Parameters:
  ///   - mask: a `bool` tensor.
  ///   - value: the fill value, converted to this tensor's dtype.
  /// - Precondition: `mask` is `bool` and the shapes broadcast.
  /// Derivative: linear; the VJP zeroes the cotangent where the mask holds.
  public func maskedFill(_ mask: Tensor, value: Double) -> Tensor {
    check(mask.dtype == .bool, "maskedFill: the mask must be a bool tensor, got \(mask.dtype)")
    return Tensor.where(mask, Tensor.full([], value, dtype: dtype), self)
  }

  /// This tensor with the value of a 0-d tensor wherever `mask` is true, like
  /// `torch.masked_fill` with a tensor value. The mask and this tensor broadcast together;
  /// the dtype is this tensor's.
  ///
  /// - Parameters:
  ///   - mask: a `bool` tensor.
  ///   - value: a 0-d tensor, converted to this tensor's dtype.
  /// - Precondition: `mask` is `bool`, `value` is 0-d (and not complex for a real tensor),
  ///   and the shapes broadcast.
  /// Derivative: linear in both; the VJP zeroes the cotangent where the mask holds, and gives
  /// `value` the sum of the cotangent where it holds.
  public func maskedFill(_ mask: Tensor, value: Tensor) -> Tensor {
    check(mask.dtype == .bool, "maskedFill: the mask must be a bool tensor, got \(mask.dtype)")
    check(value.rank == 0, "maskedFill: the value must be a 0-d tensor, got shape \(value.shape)")
    check(
      !value.dtype.isComplex || dtype.isComplex,
      "maskedFill: a \(value.dtype) value cannot fill a \(dtype) tensor")
    return Tensor.where(mask, value.converted(to: dtype), self)
  }

  /// The elements where `mask` is true, in row-major order, as a 1-d tensor, like
  /// `torch.masked_select`. The mask and this tensor broadcast together. A copy.
  ///
  /// - Parameter mask: a `bool` tensor.
  /// - Precondition: `mask` is `bool` and the shapes broadcast.
  /// Derivative: linear; the VJP scatters the cotangent back to the selected positions (and
  /// sums it over broadcast dims).
  public func maskedSelect(_ mask: Tensor) -> Tensor {
    check(mask.dtype == .bool, "maskedSelect: the mask must be a bool tensor, got \(mask.dtype)")
    let common = Shape.broadcast(shape, mask.shape, op: "maskedSelect")
    let flags = mask.detached.expanded(to: common).scalars(as: Bool.self)
    var positions: [Int] = []
    for (i, f) in flags.enumerated() where f { positions.append(i) }
    let flat = expanded(to: common).reshaped([Shape.count(common)])
    return Tensor.apply(IndexSelectOp(dim: 0, indices: positions), flat)
  }
}
