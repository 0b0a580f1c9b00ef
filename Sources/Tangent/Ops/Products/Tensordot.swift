import ComplexModule
import RealModule

extension Tensor {
  /// The contraction of the last `dims` dims of this tensor with the first `dims` dims of
  /// `other`, like `torch.tensordot(a, b, dims=n)`. The same as `tensordot(other, dims: (Array(rank - n ..< rank), Array(0 ..< n)))`.
  ///
  /// Derivative: bilinear, `tensordot(da, b) + tensordot(a, db)` (the rule of ``matmul(_:)``
  /// through the permutes and reshapes).
  /// - Precondition: `0 ≤ dims ≤` both ranks, and the contracted sizes agree (or one is 1).
  public func tensordot(_ other: Tensor, dims: Int = 2) -> Tensor {
    check(
      dims >= 0 && dims <= rank && dims <= other.rank,
      "tensordot: dims = \(dims) must be between 0 and both ranks, got shapes \(shape) and \(other.shape)")
    return tensordot(other, dims: (Array((rank - dims)..<rank), Array(0..<dims)))
  }

  /// The contraction of dims `dims.0` of this tensor with dims `dims.1` of `other`, pairwise,
  /// like `torch.tensordot(a, b, dims=(dims_a, dims_b))`: the result has the remaining dims of
  /// this tensor, then the remaining dims of `other`. One matrix product after permuting and
  /// reshaping; a contracted dim of size 1 against a larger one is summed first, as in PyTorch.
  ///
  /// Derivative: bilinear, `tensordot(da, b) + tensordot(a, db)` (the rule of ``matmul(_:)``
  /// through the permutes and reshapes).
  /// - Precondition: the lists have the same length, name distinct dims of each operand
  ///   (negative counts from the end), the contracted sizes agree (or one is 1), and the
  ///   dtypes agree.
  public func tensordot(_ other: Tensor, dims: ([Int], [Int])) -> Tensor {
    check(
      dims.0.count == dims.1.count,
      "tensordot: both dim lists need the same length, got \(dims.0) and \(dims.1) (shapes \(shape) and \(other.shape))")
    check(dtype == other.dtype, "tensordot: dtypes differ: \(dtype) \(shape) and \(other.dtype) \(other.shape)")
    check(
      dims.0.count <= rank && dims.1.count <= other.rank,
      "tensordot: more contracted dims than dims, \(dims.0) and \(dims.1) for shapes \(shape) and \(other.shape)")
    let da = dims.0.map { Shape.normalize($0, rank: rank, op: "tensordot") }
    let db = dims.1.map { Shape.normalize($0, rank: other.rank, op: "tensordot") }
    check(Set(da).count == da.count && Set(db).count == db.count, "tensordot: repeated dims in \(dims.0) or \(dims.1)")
    var a = self, b = other
    var contracted = 1
    for (i, j) in zip(da, db) {
      let (sa, sb) = (shape[i], other.shape[j])
      if sb == 1 {
        a = a.sum(dim: i, keepdim: true)
      } else if sa == 1 {
        b = b.sum(dim: j, keepdim: true)
      } else {
        check(
          sa == sb,
          "tensordot: contracted dims differ: size \(sa) in dim \(i) of \(shape) and size \(sb) in dim \(j) of \(other.shape)")
        contracted *= sa
      }
    }
    let freeA = (0..<rank).filter { !da.contains($0) }, freeB = (0..<other.rank).filter { !db.contains($0) }
    let shapeA = freeA.map { shape[$0] }, shapeB = freeB.map { other.shape[$0] }
    let m = shapeA.reduce(1, *), n = shapeB.reduce(1, *)
    let lhs = a.permuted(freeA + da).reshaped([m, contracted])
    let rhs = b.permuted(db + freeB).reshaped([contracted, n])
    return lhs.matmul(rhs).reshaped(shapeA + shapeB)
  }
}
