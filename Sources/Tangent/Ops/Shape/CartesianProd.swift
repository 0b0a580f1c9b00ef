import ComplexModule
import RealModule

extension Tensor {
  /// The Cartesian product of 1-d tensors, like `torch.cartesian_prod`: a `[N, k]` tensor
  /// whose rows are every combination of one element of each of the `k` tensors, the last
  /// varying fastest (`N` is the product of their lengths). A single tensor is returned as it
  /// is. Dtypes are promoted.
  ///
  /// - Precondition: the list is not empty and every tensor is 1-d.
  /// Derivative: linear; the VJP sums the cotangent's column of each tensor over the other
  /// tensors' elements.
  public static func cartesianProd(_ tensors: [Tensor]) -> Tensor {
    check(!tensors.isEmpty, "cartesianProd: expected a non-empty list of tensors")
    for (i, t) in tensors.enumerated() {
      check(t.rank == 1, "cartesianProd: expected 1-d tensors, tensor \(i) has shape \(t.shape)")
    }
    if tensors.count == 1 { return tensors[0] }
    let sizes = tensors.map { $0.shape[0] }
    let n = Shape.count(sizes)
    let columns = tensors.enumerated().map { i, t in
      var s = [Int](repeating: 1, count: sizes.count)
      s[i] = sizes[i]
      return t.reshaped(s).expanded(to: sizes).reshaped([n])
    }
    return stack(columns, dim: 1)
  }
}
