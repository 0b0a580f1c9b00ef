import Tangent

extension ConformanceRunner {
  /// What the golden outputs of a full SVD determine. With `full_matrices`, the columns of
  /// `U` (the rows of `Vᴴ`; the columns of `V` for `torch.svd`) past k = min(m, n) are any
  /// orthonormal basis of the complement of the first k: LAPACK drivers, and the layouts
  /// they are called on, pick different ones. So the first k columns are compared with the
  /// golden (through `abs`, for their sign/phase), and the full factor is checked to be
  /// unitary, which makes its extra columns span that complement, the one thing fixed.
  ///
  /// - Returns: `nil` when the case is not a full SVD with extra columns; otherwise the
  ///   outputs narrowed to the first k vectors, and a message when a factor is not unitary.
  static func fullSVDInvariants(op: String, got: [Tensor], want: [Tensor]) throws -> (got: [Tensor], want: [Tensor], problem: String?)? {
    guard op == "svd" || op == "linalg.svd", got.count == 3, want.count == 3, got[1].rank >= 1 else { return nil }
    let k = got[1].shape[got[1].rank - 1]
    var (narrowedGot, narrowedWant) = (got, want)
    var problem: String? = nil, extra = false
    for i in [0, 2] where got[i].rank >= 2 && got[i].shape == want[i].shape {
      let factor = got[i]
      // U and torch.svd's V hold the vectors as columns, linalg.svd's Vᴴ as rows.
      let dim = (i == 0 || op == "svd") ? factor.rank - 1 : factor.rank - 2
      let size = factor.shape[dim]
      guard size > k else { continue }
      extra = true
      let gram = dim == factor.rank - 1 ? factor.mH.matmul(factor) : factor.matmul(factor.mH)
      let identity = Tensor.eye(size, dtype: gram.dtype).expanded(to: gram.shape)
      if problem == nil, let p = try compare([gram], [identity], atol: 1e-10, rtol: 0) {
        problem = "[\(i)] the full factor is not unitary (\(p))"
      }
      narrowedGot[i] = factor.narrowed(dim: dim, start: 0, length: k)
      narrowedWant[i] = want[i].narrowed(dim: dim, start: 0, length: k)
    }
    return extra ? (narrowedGot, narrowedWant, problem) : nil
  }
}
