import ComplexModule
import RealModule

extension Tensor {
  /// A diagonal matrix from a vector, or the diagonal of a matrix, like `torch.diag`.
  ///
  /// - A 1-d tensor of `n` elements gives the square matrix of size `n + |diagonal|` with
  ///   the elements on the `diagonal`-th diagonal and zeros elsewhere (a copy).
  /// - A 2-d tensor gives its `diagonal`-th diagonal as a 1-d tensor (a view).
  ///
  /// `diagonal > 0` is above the main diagonal, `diagonal < 0` below.
  /// - Precondition: the rank is 1 or 2.
  /// Derivative: linear; the VJP of the 1-d form reads the diagonal of the cotangent, that of
  /// the 2-d form writes the cotangent on the diagonal of zeros.
  public func diag(diagonal: Int = 0) -> Tensor {
    check(rank == 1 || rank == 2, "diag: expected a 1-d or 2-d tensor, got shape \(shape)")
    if rank == 2 { return self.diagonal(offset: diagonal) }
    let m = shape[0] + Swift.abs(diagonal)
    let region = DiagonalRegion(offset: diagonal, dim1: 0, dim2: 1)
    return Tensor.apply(RegionEmbedOp(region: region, extra: 0, shape: [m, m]), self)
  }

  /// The last dim placed on the diagonals of new `dim1`, `dim2` planes, like
  /// `torch.diag_embed`: the result has one more dim, and `y[…, i, i + offset, …] = x[…, i]`
  /// in those planes (zeros elsewhere). A copy.
  ///
  /// The new planes have size `n + |offset|`, for the size `n` of the last dim.
  /// - Parameters:
  ///   - offset: the diagonal; `> 0` above the main one (towards larger `dim2` indices).
  ///   - dim1: the first dim of the planes, in the result (negative counts from its end).
  ///   - dim2: the second dim of the planes, in the result.
  /// - Precondition: the rank is at least 1 and `dim1`, `dim2` are distinct dims of the result.
  /// Derivative: linear; the VJP reads the diagonals of the cotangent.
  public func diagEmbed(offset: Int = 0, dim1: Int = -2, dim2: Int = -1) -> Tensor {
    check(rank >= 1, "diagEmbed: needs at least 1 dimension, got shape \(shape)")
    let a = Shape.normalize(dim1, rank: rank + 1, op: "diagEmbed")
    let b = Shape.normalize(dim2, rank: rank + 1, op: "diagEmbed")
    check(a != b, "diagEmbed: dim1 and dim2 are both dimension \(a) of the result (rank \(rank + 1))")
    let m = shape[rank - 1] + Swift.abs(offset)
    var rest = shape.dropLast().makeIterator()
    let outShape = (0...rank).map { $0 == a || $0 == b ? m : rest.next()! }
    return Tensor.apply(RegionEmbedOp(region: DiagonalRegion(offset: offset, dim1: a, dim2: b), extra: 0, shape: outShape), self)
  }

  /// The sum of the main diagonal of a matrix, like `torch.trace`; a 0-d tensor.
  ///
  /// - Precondition: the tensor is 2-d.
  /// Derivative: linear; the VJP puts the cotangent on the diagonal of zeros.
  public func trace() -> Tensor {
    check(rank == 2, "trace: expected a 2-d tensor, got shape \(shape)")
    return diagonal().sum()
  }
}
