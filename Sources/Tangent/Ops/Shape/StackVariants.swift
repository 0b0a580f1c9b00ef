import ComplexModule
import RealModule

extension Tensor {
  /// This tensor with at least `k` dims (1, 2 or 3), as `torch.atleast_1d`/`_2d`/`_3d` make
  /// them: a 0-d tensor becomes `[1]`, `[1, 1]` or `[1, 1, 1]`; a vector `[n]` becomes
  /// `[1, n]` or `[1, n, 1]`; a matrix `[m, n]` becomes `[m, n, 1]`. A view.
  func atLeast(_ k: Int) -> Tensor {
    switch (k, rank) {
    case (1, 0): reshaped([1])
    case (2, 0): reshaped([1, 1])
    case (2, 1): reshaped([1] + shape)
    case (3, 0): reshaped([1, 1, 1])
    case (3, 1): reshaped([1] + shape + [1])
    case (3, 2): reshaped(shape + [1])
    default: self
    }
  }

  /// The tensors joined column-wise, like `torch.hstack`: 1-d tensors (and 0-d ones, as
  /// 1-element vectors) are concatenated along dim 0, others along dim 1. Dtypes are promoted.
  ///
  /// - Precondition: the list is not empty and the tensors fit `cat`.
  /// Derivative: linear; the VJP slices the cotangent back into the parts.
  public static func hstack(_ tensors: [Tensor]) -> Tensor {
    check(!tensors.isEmpty, "hstack: expected a non-empty list of tensors")
    let parts = tensors.map { $0.atLeast(1) }
    return cat(parts, dim: parts[0].rank == 1 ? 0 : 1)
  }

  /// The tensors joined row-wise, like `torch.vstack` (`torch.row_stack`): each is made at
  /// least 2-d (a vector `[n]` becomes a row `[1, n]`) and they are concatenated along dim 0.
  /// Dtypes are promoted.
  ///
  /// - Precondition: the list is not empty and the tensors fit `cat`.
  /// Derivative: linear; the VJP slices the cotangent back into the parts.
  public static func vstack(_ tensors: [Tensor]) -> Tensor {
    check(!tensors.isEmpty, "vstack: expected a non-empty list of tensors")
    return cat(tensors.map { $0.atLeast(2) }, dim: 0)
  }

  /// The tensors joined depth-wise, like `torch.dstack`: each is made at least 3-d (`[n]`
  /// becomes `[1, n, 1]`, `[m, n]` becomes `[m, n, 1]`) and they are concatenated along
  /// dim 2. Dtypes are promoted.
  ///
  /// - Precondition: the list is not empty and the tensors fit `cat`.
  /// Derivative: linear; the VJP slices the cotangent back into the parts.
  public static func dstack(_ tensors: [Tensor]) -> Tensor {
    check(!tensors.isEmpty, "dstack: expected a non-empty list of tensors")
    return cat(tensors.map { $0.atLeast(3) }, dim: 2)
  }

  /// The tensors joined as columns, like `torch.column_stack`: 0-d and 1-d tensors become
  /// columns `[n, 1]`, others are kept, and they are concatenated along dim 1. Dtypes are
  /// promoted.
  ///
  /// - Precondition: the list is not empty and the tensors fit `cat`.
  /// Derivative: linear; the VJP slices the cotangent back into the parts.
  public static func columnStack(_ tensors: [Tensor]) -> Tensor {
    check(!tensors.isEmpty, "columnStack: expected a non-empty list of tensors")
    return cat(tensors.map { $0.rank <= 1 ? $0.reshaped([$0.count, 1]) : $0 }, dim: 1)
  }
}
