extension Linalg {
  /// A randomized approximation of the `q` leading singular triples of a matrix (or batch),
  /// like `torch.svd_lowrank`: `A ≈ U diag(S) Vᴴ` with `U` `[…, m, q]`, `S` `[…, q]` and `V`
  /// `[…, n, q]` (note: `V`, not `Vᴴ`). Exact when the rank is at most `q`.
  ///
  /// Halko, Martinsson and Tropp's range finder: an orthonormal basis `Q` of `A Ω` for a
  /// Gaussian `Ω` from `generator`, refined by `niter` power iterations, then the SVD of
  /// `Qᴴ A`.
  /// - Parameters:
  ///   - a: a matrix `[m, n]` or a batch `[…, m, n]`.
  ///   - q: the number of triples, at most `min(m, n)`; `nil` means `min(6, m, n)`.
  ///   - niter: the number of power iterations (more is more accurate when the singular values
  ///     decay slowly).
  ///   - generator: the source of the Gaussian test matrix.
  /// - Precondition: a matrix or batch, `q ≥ 0`, `niter ≥ 0`.
  /// - Throws: ``LinalgError`` when the small SVD does not converge.
  /// Derivative: composed of `matmul`, `qr` and `svd` (the random matrix is a constant), so it
  /// is that of the computed approximation; with `q` at the rank it is the SVD's.
  public static func svdLowRank(
    _ a: Tensor, q: Int? = nil, niter: Int = 2, using generator: inout some RandomNumberGenerator
  ) throws(LinalgError) -> (u: Tensor, s: Tensor, v: Tensor) {
    requireMatrix(a, "Linalg.svdLowRank")
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    let k = q ?? Swift.min(6, m, n)
    check(k >= 0 && k <= Swift.min(m, n), "Linalg.svdLowRank: q = \(k) is not in 0...\(Swift.min(m, n)) for shape \(a.shape)")
    check(niter >= 0, "Linalg.svdLowRank: niter must be non-negative, got \(niter)")
    let omega = Tensor.randn([n, k], dtype: a.dtype, using: &generator)
    var basis = qr(a.matmul(omega)).q
    for _ in 0..<niter {
      basis = qr(a.mH.matmul(basis)).q
      basis = qr(a.matmul(basis)).q
    }
    let (u, s, vh) = try svd(basis.mH.matmul(a), fullMatrices: false)
    return (basis.matmul(u), s, vh.mH)
  }

  /// ``svdLowRank(_:q:niter:using:)`` with the system's random number generator.
  public static func svdLowRank(_ a: Tensor, q: Int? = nil, niter: Int = 2) throws(LinalgError) -> (u: Tensor, s: Tensor, v: Tensor) {
    var g = SystemRandomNumberGenerator()
    return try svdLowRank(a, q: q, niter: niter, using: &g)
  }

  /// A randomized principal component analysis, like `torch.pca_lowrank`: the
  /// ``svdLowRank(_:q:niter:using:)`` of the matrix with each column's mean subtracted (when
  /// `center`). The columns of `V` are the principal directions and `S² / (m - 1)` the
  /// variances along them.
  ///
  /// - Precondition: as for `svdLowRank`.
  /// - Throws: ``LinalgError`` when the small SVD does not converge.
  /// Derivative: composed (the centring is linear).
  public static func pcaLowRank(
    _ a: Tensor, q: Int? = nil, center: Bool = true, niter: Int = 2, using generator: inout some RandomNumberGenerator
  ) throws(LinalgError) -> (u: Tensor, s: Tensor, v: Tensor) {
    requireMatrix(a, "Linalg.pcaLowRank")
    let centred = center ? a - a.mean(dims: [a.rank - 2], keepdim: true) : a
    return try svdLowRank(centred, q: q, niter: niter, using: &generator)
  }

  /// ``pcaLowRank(_:q:center:niter:using:)`` with the system's random number generator.
  public static func pcaLowRank(_ a: Tensor, q: Int? = nil, center: Bool = true, niter: Int = 2) throws(LinalgError) -> (u: Tensor, s: Tensor, v: Tensor) {
    var g = SystemRandomNumberGenerator()
    return try pcaLowRank(a, q: q, center: center, niter: niter, using: &g)
  }
}
