import ComplexModule
import RealModule

extension Tensor {
  /// A constant `[m, n]` mask of the positions with `j − i ≤ diagonal` (lower) or
  /// `j − i ≥ diagonal` (upper), for the last two dims of this tensor.
  func triangleMask(diagonal: Int, lower: Bool, op: String) -> Tensor {
    check(rank >= 2, "\(op): needs at least 2 dimensions, got shape \(shape)")
    let m = shape[rank - 2], n = shape[rank - 1]
    var flags = [Bool](repeating: false, count: m * n)
    for i in 0..<m {
      for j in 0..<n { flags[i * n + j] = lower ? j - i <= diagonal : j - i >= diagonal }
    }
    return Tensor(shape: [m, n], scalars: flags)
  }

  /// The lower triangle of the matrices in the last two dims, like `torch.tril`: the
  /// elements with `j − i ≤ diagonal` are kept, the others zeroed. A copy.
  ///
  /// `diagonal > 0` keeps that many diagonals above the main one; `diagonal < 0` drops that
  /// many on and below it.
  /// - Precondition: the rank is at least 2.
  /// Derivative: linear and self-adjoint; the VJP takes the lower triangle of the cotangent.
  public func tril(diagonal: Int = 0) -> Tensor {
    keeping(triangleMask(diagonal: diagonal, lower: true, op: "tril"))
  }

  /// The upper triangle of the matrices in the last two dims, like `torch.triu`: the
  /// elements with `j − i ≥ diagonal` are kept, the others zeroed. A copy.
  ///
  /// `diagonal > 0` drops that many diagonals on and above the main one; `diagonal < 0`
  /// keeps that many below it.
  /// - Precondition: the rank is at least 2.
  /// Derivative: linear and self-adjoint; the VJP takes the upper triangle of the cotangent.
  public func triu(diagonal: Int = 0) -> Tensor {
    keeping(triangleMask(diagonal: diagonal, lower: false, op: "triu"))
  }
}
