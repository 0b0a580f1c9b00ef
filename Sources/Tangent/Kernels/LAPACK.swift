import CLapack
import ComplexModule
import RealModule

/// A scalar type that LAPACK factorises. With ``BLASScalar``, its four conformances are the only
/// place in Tangent where the s/d/c/z names of LAPACK appear; everything else is generic.
///
/// LAPACK routines are called in column-major order (`LAPACK_COL_MAJOR`, through the `_work`
/// entry points, which call Fortran directly: no NaN scan and no layout copies), and the
/// triangular solves of BLAS (`cblas_?trsm`) in row-major order.
protocol LAPACKScalar: BLASScalar, FloatingScalar {
  /// LU factorisation with partial pivoting (`?getrf`); returns LAPACK's info.
  static func getrf(_ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32
  /// The inverse from an LU factorisation (`?getri`); `lwork == -1` asks for the workspace size.
  static func getri(
    _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ ipiv: UnsafePointer<Int32>, _ work: UnsafeMutablePointer<Self>,
    _ lwork: Int32) -> Int32
  /// Cholesky factorisation (`?potrf`) of the `uplo` triangle.
  static func potrf(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32) -> Int32
  /// The inverse from a Cholesky factor (`?potri`), written to the `uplo` triangle.
  static func potri(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32) -> Int32
  /// `B ← op(A)⁻¹ B` (left) or `B ← B op(A)⁻¹` (right) for a triangular `A`, row-major (`cblas_?trsm`).
  static func trsm(
    _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32,
    _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32)
  /// `B ← op(A) B` (left) or `B ← B op(A)` (right) for a triangular `A`, row-major (`cblas_?trmm`).
  static func trmm(
    _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32,
    _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32)
  /// Eigenvalues (ascending) and, when `jobz` is `V`, orthonormal eigenvectors (in `a`) of a
  /// Hermitian matrix from its `uplo` triangle, by divide and conquer (`?syevd`/`?heevd`).
  /// `lwork == -1` asks for the workspace sizes (in `work[0]`, `rwork[0]`, `iwork[0]`); real
  /// types do not use `rwork`.
  static func heevd(
    _ jobz: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ w: UnsafeMutablePointer<RealPart>,
    _ work: UnsafeMutablePointer<Self>, _ lwork: Int32, _ rwork: UnsafeMutablePointer<RealPart>, _ lrwork: Int32,
    _ iwork: UnsafeMutablePointer<Int32>, _ liwork: Int32) -> Int32
  /// The singular value decomposition by divide and conquer (`?gesdd`): singular values
  /// (descending) in `s`, and for `jobz` `S`/`A` the left vectors in `u` and the adjoint of the
  /// right ones in `vt`. `lwork == -1` asks for the workspace size. `rwork` (complex types
  /// only) must hold LAPACK's documented size; `iwork` holds `8·min(m, n)`.
  static func gesdd(
    _ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ s: UnsafeMutablePointer<RealPart>,
    _ u: UnsafeMutablePointer<Self>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Self>, _ ldvt: Int32, _ work: UnsafeMutablePointer<Self>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<RealPart>, _ iwork: UnsafeMutablePointer<Int32>) -> Int32
  /// The QR factorisation as Householder reflectors (`?geqrf`); `lwork == -1` asks for the
  /// workspace size.
  static func geqrf(
    _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ tau: UnsafeMutablePointer<Self>,
    _ work: UnsafeMutablePointer<Self>, _ lwork: Int32) -> Int32
  /// The first `n` columns of the product of `k` Householder reflectors (`?orgqr`/`?ungqr`);
  /// `lwork == -1` asks for the workspace size.
  static func ungqr(
    _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ tau: UnsafePointer<Self>,
    _ work: UnsafeMutablePointer<Self>, _ lwork: Int32) -> Int32
  /// Eigenvalues (in `w`) and left (`jobvl`) or right (`jobvr`) eigenvectors of a general
  /// matrix (`?geev`), each of unit norm with its largest component real. Real types return
  /// the vectors of a complex conjugate pair packed as real and imaginary parts in two
  /// consecutive columns. `rwork` holds `2n` reals. `lwork == -1` asks for the workspace size.
  static func geev(
    _ jobvl: CChar, _ jobvr: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ w: UnsafeMutablePointer<Complex<RealPart>>,
    _ vl: UnsafeMutablePointer<Self>, _ ldvl: Int32, _ vr: UnsafeMutablePointer<Self>, _ ldvr: Int32, _ work: UnsafeMutablePointer<Self>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<RealPart>) -> Int32
  /// Least squares for a full-rank matrix by QR or LQ (`?gels`); `lwork == -1` asks for the
  /// workspace size.
  static func gels(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32,
    _ work: UnsafeMutablePointer<Self>, _ lwork: Int32) -> Int32
  /// Least squares by QR with column pivoting (`?gelsy`), giving the effective rank;
  /// `rwork` (complex types only) holds `2n` reals. `lwork == -1` asks for the workspace size.
  static func gelsy(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32,
    _ jpvt: UnsafeMutablePointer<Int32>, _ rcond: RealPart, _ rank: UnsafeMutablePointer<Int32>, _ work: UnsafeMutablePointer<Self>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<RealPart>) -> Int32
  /// Least squares by the SVD, divide and conquer (`?gelsd`), giving the singular values and
  /// the effective rank. `lwork == -1` asks for the workspace sizes (`work[0]`, `rwork[0]`
  /// for complex types, `iwork[0]`).
  static func gelsd(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32,
    _ s: UnsafeMutablePointer<RealPart>, _ rcond: RealPart, _ rank: UnsafeMutablePointer<Int32>, _ work: UnsafeMutablePointer<Self>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<RealPart>, _ iwork: UnsafeMutablePointer<Int32>) -> Int32
}

/// A typed view of a pointer to a same-layout scalar (`Complex<RealType>`'s reals as `Float`
/// or `Double`, for LAPACKE's real arguments).
@inline(__always) private func rebound<U, V>(_ p: UnsafeMutablePointer<U>, _: V.Type) -> UnsafeMutablePointer<V> {
  UnsafeMutableRawPointer(p).assumingMemoryBound(to: V.self)
}

extension Float: LAPACKScalar {
  static func getrf(_ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
    LAPACKE_sgetrf_work(LAPACK_COL_MAJOR, m, n, a, lda, ipiv)
  }
  static func getri(
    _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ ipiv: UnsafePointer<Int32>, _ work: UnsafeMutablePointer<Float>,
    _ lwork: Int32
  ) -> Int32 {
    LAPACKE_sgetri_work(LAPACK_COL_MAJOR, n, a, lda, ipiv, work, lwork)
  }
  static func potrf(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32) -> Int32 {
    LAPACKE_spotrf_work(LAPACK_COL_MAJOR, uplo, n, a, lda)
  }
  static func potri(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32) -> Int32 {
    LAPACKE_spotri_work(LAPACK_COL_MAJOR, uplo, n, a, lda)
  }
  static func trsm(
    _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32,
    _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32
  ) {
    cblas_strsm(CblasRowMajor, side, uplo, trans, diag, m, n, 1, a, lda, b, ldb)
  }
  static func trmm(
    _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32,
    _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32
  ) {
    cblas_strmm(CblasRowMajor, side, uplo, trans, diag, m, n, 1, a, lda, b, ldb)
  }
  static func heevd(
    _ jobz: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ w: UnsafeMutablePointer<Float>,
    _ work: UnsafeMutablePointer<Float>, _ lwork: Int32, _ rwork: UnsafeMutablePointer<Float>, _ lrwork: Int32,
    _ iwork: UnsafeMutablePointer<Int32>, _ liwork: Int32
  ) -> Int32 {
    if lwork == -1 { rwork[0] = 0 }
    return LAPACKE_ssyevd_work(LAPACK_COL_MAJOR, jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork)
  }
  static func gesdd(
    _ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ s: UnsafeMutablePointer<Float>,
    _ u: UnsafeMutablePointer<Float>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Float>, _ ldvt: Int32, _ work: UnsafeMutablePointer<Float>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<Float>, _ iwork: UnsafeMutablePointer<Int32>
  ) -> Int32 {
    LAPACKE_sgesdd_work(LAPACK_COL_MAJOR, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork)
  }
  static func geqrf(
    _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ tau: UnsafeMutablePointer<Float>,
    _ work: UnsafeMutablePointer<Float>, _ lwork: Int32
  ) -> Int32 {
    LAPACKE_sgeqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work, lwork)
  }
  static func ungqr(
    _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ tau: UnsafePointer<Float>,
    _ work: UnsafeMutablePointer<Float>, _ lwork: Int32
  ) -> Int32 {
    LAPACKE_sorgqr_work(LAPACK_COL_MAJOR, m, n, k, a, lda, tau, work, lwork)
  }
  static func geev(
    _ jobvl: CChar, _ jobvr: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ w: UnsafeMutablePointer<Complex<Float>>,
    _ vl: UnsafeMutablePointer<Float>, _ ldvl: Int32, _ vr: UnsafeMutablePointer<Float>, _ ldvr: Int32, _ work: UnsafeMutablePointer<Float>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<Float>
  ) -> Int32 {
    let info = LAPACKE_sgeev_work(LAPACK_COL_MAJOR, jobvl, jobvr, n, a, lda, rwork, rwork + Int(n), vl, ldvl, vr, ldvr, work, lwork)
    if lwork != -1 { for i in 0..<Int(n) { w[i] = Complex(rwork[i], rwork[Int(n) + i]) } }
    return info
  }
  static func gels(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32,
    _ work: UnsafeMutablePointer<Float>, _ lwork: Int32
  ) -> Int32 {
    LAPACKE_sgels_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), m, n, nrhs, a, lda, b, ldb, work, lwork)
  }
  static func gelsy(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32,
    _ jpvt: UnsafeMutablePointer<Int32>, _ rcond: Float, _ rank: UnsafeMutablePointer<Int32>, _ work: UnsafeMutablePointer<Float>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<Float>
  ) -> Int32 {
    LAPACKE_sgelsy_work(LAPACK_COL_MAJOR, m, n, nrhs, a, lda, b, ldb, jpvt, rcond, rank, work, lwork)
  }
  static func gelsd(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32,
    _ s: UnsafeMutablePointer<Float>, _ rcond: Float, _ rank: UnsafeMutablePointer<Int32>, _ work: UnsafeMutablePointer<Float>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<Float>, _ iwork: UnsafeMutablePointer<Int32>
  ) -> Int32 {
    if lwork == -1 { rwork[0] = 0 }
    return LAPACKE_sgelsd_work(LAPACK_COL_MAJOR, m, n, nrhs, a, lda, b, ldb, s, rcond, rank, work, lwork, iwork)
  }
}

extension Double: LAPACKScalar {
  static func getrf(_ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
    LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, m, n, a, lda, ipiv)
  }
  static func getri(
    _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ ipiv: UnsafePointer<Int32>, _ work: UnsafeMutablePointer<Double>,
    _ lwork: Int32
  ) -> Int32 {
    LAPACKE_dgetri_work(LAPACK_COL_MAJOR, n, a, lda, ipiv, work, lwork)
  }
  static func potrf(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32) -> Int32 {
    LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, uplo, n, a, lda)
  }
  static func potri(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32) -> Int32 {
    LAPACKE_dpotri_work(LAPACK_COL_MAJOR, uplo, n, a, lda)
  }
  static func trsm(
    _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32,
    _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32
  ) {
    cblas_dtrsm(CblasRowMajor, side, uplo, trans, diag, m, n, 1, a, lda, b, ldb)
  }
  static func trmm(
    _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32,
    _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32
  ) {
    cblas_dtrmm(CblasRowMajor, side, uplo, trans, diag, m, n, 1, a, lda, b, ldb)
  }
  static func heevd(
    _ jobz: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ w: UnsafeMutablePointer<Double>,
    _ work: UnsafeMutablePointer<Double>, _ lwork: Int32, _ rwork: UnsafeMutablePointer<Double>, _ lrwork: Int32,
    _ iwork: UnsafeMutablePointer<Int32>, _ liwork: Int32
  ) -> Int32 {
    if lwork == -1 { rwork[0] = 0 }
    return LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork)
  }
  static func gesdd(
    _ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ s: UnsafeMutablePointer<Double>,
    _ u: UnsafeMutablePointer<Double>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Double>, _ ldvt: Int32, _ work: UnsafeMutablePointer<Double>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<Double>, _ iwork: UnsafeMutablePointer<Int32>
  ) -> Int32 {
    LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork)
  }
  static func geqrf(
    _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ tau: UnsafeMutablePointer<Double>,
    _ work: UnsafeMutablePointer<Double>, _ lwork: Int32
  ) -> Int32 {
    LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, m, n, a, lda, tau, work, lwork)
  }
  static func ungqr(
    _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ tau: UnsafePointer<Double>,
    _ work: UnsafeMutablePointer<Double>, _ lwork: Int32
  ) -> Int32 {
    LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, m, n, k, a, lda, tau, work, lwork)
  }
  static func geev(
    _ jobvl: CChar, _ jobvr: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ w: UnsafeMutablePointer<Complex<Double>>,
    _ vl: UnsafeMutablePointer<Double>, _ ldvl: Int32, _ vr: UnsafeMutablePointer<Double>, _ ldvr: Int32, _ work: UnsafeMutablePointer<Double>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<Double>
  ) -> Int32 {
    let info = LAPACKE_dgeev_work(LAPACK_COL_MAJOR, jobvl, jobvr, n, a, lda, rwork, rwork + Int(n), vl, ldvl, vr, ldvr, work, lwork)
    if lwork != -1 { for i in 0..<Int(n) { w[i] = Complex(rwork[i], rwork[Int(n) + i]) } }
    return info
  }
  static func gels(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32,
    _ work: UnsafeMutablePointer<Double>, _ lwork: Int32
  ) -> Int32 {
    LAPACKE_dgels_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), m, n, nrhs, a, lda, b, ldb, work, lwork)
  }
  static func gelsy(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32,
    _ jpvt: UnsafeMutablePointer<Int32>, _ rcond: Double, _ rank: UnsafeMutablePointer<Int32>, _ work: UnsafeMutablePointer<Double>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<Double>
  ) -> Int32 {
    LAPACKE_dgelsy_work(LAPACK_COL_MAJOR, m, n, nrhs, a, lda, b, ldb, jpvt, rcond, rank, work, lwork)
  }
  static func gelsd(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32,
    _ s: UnsafeMutablePointer<Double>, _ rcond: Double, _ rank: UnsafeMutablePointer<Int32>, _ work: UnsafeMutablePointer<Double>,
    _ lwork: Int32, _ rwork: UnsafeMutablePointer<Double>, _ iwork: UnsafeMutablePointer<Int32>
  ) -> Int32 {
    if lwork == -1 { rwork[0] = 0 }
    return LAPACKE_dgelsd_work(LAPACK_COL_MAJOR, m, n, nrhs, a, lda, b, ldb, s, rcond, rank, work, lwork, iwork)
  }
}

extension Complex: LAPACKScalar where RealType: RealScalar {
  // swift-numerics' Complex is two consecutive reals, LAPACK's complex layout; LAPACKE's
  // complex pointers come into Swift as opaque pointers.
  static func getrf(_ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cgetrf_work(LAPACK_COL_MAJOR, m, n, OpaquePointer(a), lda, ipiv)
      : LAPACKE_zgetrf_work(LAPACK_COL_MAJOR, m, n, OpaquePointer(a), lda, ipiv)
  }
  static func getri(
    _ n: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32, _ ipiv: UnsafePointer<Int32>, _ work: UnsafeMutablePointer<Complex>,
    _ lwork: Int32
  ) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cgetri_work(LAPACK_COL_MAJOR, n, OpaquePointer(a), lda, ipiv, OpaquePointer(work), lwork)
      : LAPACKE_zgetri_work(LAPACK_COL_MAJOR, n, OpaquePointer(a), lda, ipiv, OpaquePointer(work), lwork)
  }
  static func potrf(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cpotrf_work(LAPACK_COL_MAJOR, uplo, n, OpaquePointer(a), lda)
      : LAPACKE_zpotrf_work(LAPACK_COL_MAJOR, uplo, n, OpaquePointer(a), lda)
  }
  static func potri(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cpotri_work(LAPACK_COL_MAJOR, uplo, n, OpaquePointer(a), lda)
      : LAPACKE_zpotri_work(LAPACK_COL_MAJOR, uplo, n, OpaquePointer(a), lda)
  }
  static func trsm(
    _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32,
    _ a: UnsafePointer<Complex>, _ lda: Int32, _ b: UnsafeMutablePointer<Complex>, _ ldb: Int32
  ) {
    withUnsafePointer(to: Complex(1, 0)) { one in
      if RealType.self == Float.self {
        cblas_ctrsm(CblasRowMajor, side, uplo, trans, diag, m, n, one, a, lda, b, ldb)
      } else {
        cblas_ztrsm(CblasRowMajor, side, uplo, trans, diag, m, n, one, a, lda, b, ldb)
      }
    }
  }
  static func trmm(
    _ side: CBLAS_SIDE, _ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ diag: CBLAS_DIAG, _ m: Int32, _ n: Int32,
    _ a: UnsafePointer<Complex>, _ lda: Int32, _ b: UnsafeMutablePointer<Complex>, _ ldb: Int32
  ) {
    withUnsafePointer(to: Complex(1, 0)) { one in
      if RealType.self == Float.self {
        cblas_ctrmm(CblasRowMajor, side, uplo, trans, diag, m, n, one, a, lda, b, ldb)
      } else {
        cblas_ztrmm(CblasRowMajor, side, uplo, trans, diag, m, n, one, a, lda, b, ldb)
      }
    }
  }
  static func heevd(
    _ jobz: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32, _ w: UnsafeMutablePointer<RealType>,
    _ work: UnsafeMutablePointer<Complex>, _ lwork: Int32, _ rwork: UnsafeMutablePointer<RealType>, _ lrwork: Int32,
    _ iwork: UnsafeMutablePointer<Int32>, _ liwork: Int32
  ) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cheevd_work(
        LAPACK_COL_MAJOR, jobz, uplo, n, OpaquePointer(a), lda, rebound(w, Float.self), OpaquePointer(work), lwork, rebound(rwork, Float.self),
        lrwork, iwork, liwork)
      : LAPACKE_zheevd_work(
        LAPACK_COL_MAJOR, jobz, uplo, n, OpaquePointer(a), lda, rebound(w, Double.self), OpaquePointer(work), lwork,
        rebound(rwork, Double.self), lrwork, iwork, liwork)
  }
  static func gesdd(
    _ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32, _ s: UnsafeMutablePointer<RealType>,
    _ u: UnsafeMutablePointer<Complex>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Complex>, _ ldvt: Int32,
    _ work: UnsafeMutablePointer<Complex>, _ lwork: Int32, _ rwork: UnsafeMutablePointer<RealType>, _ iwork: UnsafeMutablePointer<Int32>
  ) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cgesdd_work(
        LAPACK_COL_MAJOR, jobz, m, n, OpaquePointer(a), lda, rebound(s, Float.self), OpaquePointer(u), ldu, OpaquePointer(vt), ldvt,
        OpaquePointer(work), lwork, rebound(rwork, Float.self), iwork)
      : LAPACKE_zgesdd_work(
        LAPACK_COL_MAJOR, jobz, m, n, OpaquePointer(a), lda, rebound(s, Double.self), OpaquePointer(u), ldu, OpaquePointer(vt), ldvt,
        OpaquePointer(work), lwork, rebound(rwork, Double.self), iwork)
  }
  static func geqrf(
    _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32, _ tau: UnsafeMutablePointer<Complex>,
    _ work: UnsafeMutablePointer<Complex>, _ lwork: Int32
  ) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cgeqrf_work(LAPACK_COL_MAJOR, m, n, OpaquePointer(a), lda, OpaquePointer(tau), OpaquePointer(work), lwork)
      : LAPACKE_zgeqrf_work(LAPACK_COL_MAJOR, m, n, OpaquePointer(a), lda, OpaquePointer(tau), OpaquePointer(work), lwork)
  }
  static func ungqr(
    _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32, _ tau: UnsafePointer<Complex>,
    _ work: UnsafeMutablePointer<Complex>, _ lwork: Int32
  ) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cungqr_work(LAPACK_COL_MAJOR, m, n, k, OpaquePointer(a), lda, OpaquePointer(tau), OpaquePointer(work), lwork)
      : LAPACKE_zungqr_work(LAPACK_COL_MAJOR, m, n, k, OpaquePointer(a), lda, OpaquePointer(tau), OpaquePointer(work), lwork)
  }
  static func geev(
    _ jobvl: CChar, _ jobvr: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32, _ w: UnsafeMutablePointer<Complex>,
    _ vl: UnsafeMutablePointer<Complex>, _ ldvl: Int32, _ vr: UnsafeMutablePointer<Complex>, _ ldvr: Int32,
    _ work: UnsafeMutablePointer<Complex>, _ lwork: Int32, _ rwork: UnsafeMutablePointer<RealType>
  ) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cgeev_work(
        LAPACK_COL_MAJOR, jobvl, jobvr, n, OpaquePointer(a), lda, OpaquePointer(w), OpaquePointer(vl), ldvl, OpaquePointer(vr), ldvr,
        OpaquePointer(work), lwork, rebound(rwork, Float.self))
      : LAPACKE_zgeev_work(
        LAPACK_COL_MAJOR, jobvl, jobvr, n, OpaquePointer(a), lda, OpaquePointer(w), OpaquePointer(vl), ldvl, OpaquePointer(vr), ldvr,
        OpaquePointer(work), lwork, rebound(rwork, Double.self))
  }
  static func gels(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32, _ b: UnsafeMutablePointer<Complex>,
    _ ldb: Int32, _ work: UnsafeMutablePointer<Complex>, _ lwork: Int32
  ) -> Int32 {
    let trans = CChar(UInt8(ascii: "N"))
    return RealType.self == Float.self
      ? LAPACKE_cgels_work(LAPACK_COL_MAJOR, trans, m, n, nrhs, OpaquePointer(a), lda, OpaquePointer(b), ldb, OpaquePointer(work), lwork)
      : LAPACKE_zgels_work(LAPACK_COL_MAJOR, trans, m, n, nrhs, OpaquePointer(a), lda, OpaquePointer(b), ldb, OpaquePointer(work), lwork)
  }
  static func gelsy(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32, _ b: UnsafeMutablePointer<Complex>,
    _ ldb: Int32, _ jpvt: UnsafeMutablePointer<Int32>, _ rcond: RealType, _ rank: UnsafeMutablePointer<Int32>,
    _ work: UnsafeMutablePointer<Complex>, _ lwork: Int32, _ rwork: UnsafeMutablePointer<RealType>
  ) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cgelsy_work(
        LAPACK_COL_MAJOR, m, n, nrhs, OpaquePointer(a), lda, OpaquePointer(b), ldb, jpvt, Float(rcond), rank, OpaquePointer(work), lwork,
        rebound(rwork, Float.self))
      : LAPACKE_zgelsy_work(
        LAPACK_COL_MAJOR, m, n, nrhs, OpaquePointer(a), lda, OpaquePointer(b), ldb, jpvt, Double(rcond), rank, OpaquePointer(work), lwork,
        rebound(rwork, Double.self))
  }
  static func gelsd(
    _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Complex>, _ lda: Int32, _ b: UnsafeMutablePointer<Complex>,
    _ ldb: Int32, _ s: UnsafeMutablePointer<RealType>, _ rcond: RealType, _ rank: UnsafeMutablePointer<Int32>,
    _ work: UnsafeMutablePointer<Complex>, _ lwork: Int32, _ rwork: UnsafeMutablePointer<RealType>, _ iwork: UnsafeMutablePointer<Int32>
  ) -> Int32 {
    RealType.self == Float.self
      ? LAPACKE_cgelsd_work(
        LAPACK_COL_MAJOR, m, n, nrhs, OpaquePointer(a), lda, OpaquePointer(b), ldb, rebound(s, Float.self), Float(rcond), rank,
        OpaquePointer(work), lwork, rebound(rwork, Float.self), iwork)
      : LAPACKE_zgelsd_work(
        LAPACK_COL_MAJOR, m, n, nrhs, OpaquePointer(a), lda, OpaquePointer(b), ldb, rebound(s, Double.self), Double(rcond), rank,
        OpaquePointer(work), lwork, rebound(rwork, Double.self), iwork)
  }
}

/// Batched dense linear algebra on LAPACK and BLAS: the primal kernels of ``Linalg``.
///
/// Every routine takes tensors of any layout with leading batch dims, and avoids transposing
/// copies: a row-major matrix is its transpose in column-major order, so LAPACK factorises the
/// transpose when that is as good (the determinant, the inverse), and the triangular solves take
/// either layout through their transpose flags. Outputs are new tensors; inputs are never
/// written.
enum LAPACK {
  /// The operation applied to a matrix in a solve: `op(M) X = B`.
  enum MatrixOp: Sendable {
    /// `M`.
    case none
    /// `Mᵀ`.
    case transpose
    /// `Mᴴ`.
    case adjoint
    /// `conj(M)`.
    case conjugate

    /// The op whose result is the adjoint of this one's: `(op(M))ᴴ = op.adjointed(M)`.
    var adjointed: MatrixOp {
      switch self {
      case .none: .adjoint
      case .transpose: .conjugate
      case .adjoint: .none
      case .conjugate: .transpose
      }
    }

    /// The op whose result is the transpose of this one's; also `op(Mᵀ) = op.transposed(M)`.
    var transposed: MatrixOp {
      switch self {
      case .none: .transpose
      case .transpose: .none
      case .adjoint: .conjugate
      case .conjugate: .adjoint
      }
    }

    /// Whether the op transposes.
    var transposes: Bool { self == .transpose || self == .adjoint }

    /// The BLAS flag (conjugations dropped for real dtypes).
    func cblas(complex: Bool) -> CBLAS_TRANSPOSE {
      switch self {
      case .none: CblasNoTrans
      case .transpose: CblasTrans
      case .adjoint: complex ? CblasConjTrans : CblasTrans
      case .conjugate: complex ? CblasConjNoTrans : CblasNoTrans
      }
    }
  }

  // MARK: Helpers

  /// Checks that LAPACK's 32-bit integers hold a size.
  static func lapackInt(_ v: Int, _ op: String) -> Int32 {
    guard let i = Int32(exactly: v) else { misuse("\(op): size \(v) exceeds the 32-bit sizes of LAPACK") }
    return i
  }

  /// The element offsets of `t`'s items (its last `inner` dims) for every index of the broadcast
  /// batch shape `batch`, in row-major order of the batch.
  static func batchOffsets(_ t: Tensor, inner: Int, batch: [Int]) -> [Int] {
    let own = t.rank - inner
    let lead = batch.count - own
    var strides = [Int](repeating: 0, count: batch.count)
    for i in 0..<own where t.shape[i] != 1 { strides[lead + i] = t.strides[i] }
    let count = Shape.count(batch)
    var out: [Int] = []
    out.reserveCapacity(count)
    var index = [Int](repeating: 0, count: batch.count)
    var offset = 0
    for _ in 0..<count {
      out.append(offset)
      var d = batch.count - 1
      while d >= 0 {
        index[d] += 1
        offset += strides[d]
        if index[d] < batch[d] { break }
        offset -= strides[d] * batch[d]
        index[d] = 0
        d -= 1
      }
    }
    return out
  }

  /// A square matrix operand that BLAS reads in row-major order: the tensor itself when its
  /// matrices are row- or column-contiguous (then `flipped`: the row-major matrix is the
  /// transpose), or a contiguous copy.
  struct Operand {
    let tensor: Tensor
    let ld: Int
    let flipped: Bool

    init(_ t: Tensor) {
      let r = t.rank, n = t.shape[r - 1]
      if let l = GEMM.layout(rows: t.shape[r - 2], cols: n, rowStride: t.strides[r - 2], colStride: t.strides[r - 1], conjugate: false) {
        tensor = t
        ld = Swift.max(l.ld, 1)
        flipped = l.isTransposed
      } else {
        tensor = t.contiguousValues()
        ld = Swift.max(n, 1)
        flipped = false
      }
    }

    /// The triangle and op BLAS sees for `op(A)` with `A`'s `upper` triangle.
    func flags(upper: Bool, op: MatrixOp, complex: Bool) -> (CBLAS_UPLO, CBLAS_TRANSPOSE) {
      let u = flipped ? !upper : upper
      let o = flipped ? op.transposed : op
      return (u ? CblasUpper : CblasLower, o.cblas(complex: complex))
    }
  }

  /// Runs `body` over the batch, in parallel for small matrices.
  static func forBatch(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
    if work < GEMM.smallProduct {
      Parallel.forChunks(count, cost: Swift.max(work / 8, 1), body)
    } else {
      body(0..<count)
    }
  }

  /// A view with the last two dims swapped (no autodiff state).
  static func transposedView(_ t: Tensor) -> Tensor {
    var s = t.shape, st = t.strides
    s.swapAt(t.rank - 1, t.rank - 2)
    st.swapAt(t.rank - 1, t.rank - 2)
    return t.view(shape: s, strides: st, offset: t.offset)
  }

  /// The batch dims of a tensor whose last `inner` dims form one item.
  static func batchShape(_ t: Tensor, inner: Int = 2) -> [Int] { Array(t.shape.dropLast(inner)) }

  // MARK: LU

  /// The LU factorisation with partial pivoting `M = P L U` of every matrix `M` of `a`
  /// (`ofTranspose: false`) or of its transpose (`true`).
  ///
  /// - Returns: the packed factors (`L` below the diagonal with its unit diagonal implied, `U` on
  ///   and above), as column-major matrices of `M`'s shape; the pivots (`int64`, 1-based, row
  ///   `i` was interchanged with row `pivots[i]`, like LAPACK and PyTorch); and LAPACK's info
  ///   per matrix (`k > 0`: `U[k-1, k-1]` is exactly zero).
  static func luFactor(_ a: Tensor, ofTranspose: Bool) -> (lu: Tensor, pivots: Tensor, info: Tensor) {
    switch a.dtype {
    case .float32: return luFactor(a, ofTranspose, Float.self)
    case .float64: return luFactor(a, ofTranspose, Double.self)
    case .complex64: return luFactor(a, ofTranspose, Complex<Float>.self)
    case .complex128: return luFactor(a, ofTranspose, Complex<Double>.self)
    default: misuse("LU: expected a floating dtype, got \(a.dtype)")
    }
  }

  static func luFactor<T: LAPACKScalar>(_ a: Tensor, _ ofTranspose: Bool, _: T.Type) -> (lu: Tensor, pivots: Tensor, info: Tensor) {
    // M in column-major order is Mᵀ in row-major order: for M = aᵀ that is a's own layout.
    let buffer = (ofTranspose ? a : transposedView(a)).contiguousValues()
    let r = buffer.rank
    let rows = buffer.shape[r - 1], cols = buffer.shape[r - 2], k = Swift.min(rows, cols)
    let batch = batchShape(buffer)
    let count = Shape.count(batch)
    let pivots = Tensor(uninitializedShape: batch + [k], dtype: .int64)
    let info = Tensor.zeros(batch, dtype: .int64)
    let lu = transposedView(buffer)
    if count == 0 || k == 0 { return (lu, pivots, info) }
    let p = buffer.pointer(as: T.self), pp = pivots.pointer(as: Int64.self), pi = info.pointer(as: Int64.self)
    let m32 = lapackInt(rows, "LU"), n32 = lapackInt(cols, "LU")
    forBatch(count, work: rows * cols * k) { range in
      var ipiv = [Int32](repeating: 0, count: k)
      for b in range {
        let status = T.getrf(m32, n32, p + b * rows * cols, m32, &ipiv)
        pi[b] = Int64(status)
        for i in 0..<k { pp[b * k + i] = Int64(ipiv[i]) }
      }
    }
    return (lu, pivots, info)
  }

  /// Solves `op(M) X = B` (`left`) or `X op(M) = B` with `M = P L U` given by packed factors
  /// (any layout) and 1-based pivots, as `?getrs` does: row (or column) interchanges and two
  /// triangular solves. The batch dims of the factors and of `b` broadcast.
  ///
  /// - Parameters:
  ///   - b: `[..., n, k]` (`left`) or `[..., k, n]`.
  /// - Returns: a new contiguous `X` of `b`'s matrix shape and the broadcast batch.
  static func luSolve(lu: Tensor, pivots: Tensor, b: Tensor, left: Bool, op: MatrixOp) -> Tensor {
    switch b.dtype {
    case .float32: return luSolve(lu, pivots, b, left, op, Float.self)
    case .float64: return luSolve(lu, pivots, b, left, op, Double.self)
    case .complex64: return luSolve(lu, pivots, b, left, op, Complex<Float>.self)
    case .complex128: return luSolve(lu, pivots, b, left, op, Complex<Double>.self)
    default: misuse("LU solve: expected a floating dtype, got \(b.dtype)")
    }
  }

  static func luSolve<T: LAPACKScalar>(
    _ lu: Tensor, _ pivots: Tensor, _ b: Tensor, _ left: Bool, _ op: MatrixOp, _: T.Type
  ) -> Tensor {
    let n = lu.shape[lu.rank - 1]
    guard let batch = Shape.broadcast(batchShape(lu), batchShape(b)) else {
      misuse("LU solve: batch dims of the factors \(lu.shape) and the right-hand side \(b.shape) do not broadcast")
    }
    let rows = b.shape[b.rank - 2], cols = b.shape[b.rank - 1]
    let x = b.expandedView(to: batch + [rows, cols], op: "LU solve").contiguousValues()
    let count = Shape.count(batch)
    if x.count == 0 || n == 0 { return x }
    let f = Operand(lu)
    let luOffsets = batchOffsets(f.tensor, inner: 2, batch: batch)
    let pivOffsets = batchOffsets(pivots, inner: 1, batch: batch)
    let pf = UnsafePointer(f.tensor.pointer(as: T.self)), pp = UnsafePointer(pivots.pointer(as: Int64.self))
    let ps = pivots.strides[pivots.rank - 1]
    let px = x.pointer(as: T.self)
    let complex = T.dtype.isComplex
    let (lower, trans) = f.flags(upper: false, op: op, complex: complex)
    let (upper, _) = f.flags(upper: true, op: op, complex: complex)
    let m32 = lapackInt(rows, "LU solve"), n32 = lapackInt(cols, "LU solve"), ld = lapackInt(f.ld, "LU solve")
    // The pivots as a product of interchanges: P = S₀ S₁ ⋯ S₍ₙ₋₁₎ (Sᵢ swaps i and pivots[i] − 1).
    forBatch(count, work: n * n * (left ? cols : rows)) { range in
      for t in range {
        let a = pf + luOffsets[t], piv = pp + pivOffsets[t], xb = px + t * rows * cols
        func swapRows(_ forward: Bool) {
          for s in 0..<n {
            let i = forward ? s : n - 1 - s
            let j = Int(piv[i * ps]) - 1
            if j != i { for c in 0..<cols { swap(&xb[i * cols + c], &xb[j * cols + c]) } }
          }
        }
        func swapColumns(_ forward: Bool) {
          for s in 0..<n {
            let i = forward ? s : n - 1 - s
            let j = Int(piv[i * ps]) - 1
            if j != i { for r in 0..<rows { swap(&xb[r * cols + i], &xb[r * cols + j]) } }
          }
        }
        if left {
          if op.transposes {
            // Uᵀ Lᵀ Pᵀ X = B: solve with Uᵀ, then Lᵀ, then X = P Z.
            T.trsm(CblasLeft, upper, trans, CblasNonUnit, m32, n32, a, ld, xb, n32)
            T.trsm(CblasLeft, lower, trans, CblasUnit, m32, n32, a, ld, xb, n32)
            swapRows(false)
          } else {
            // P L U X = B: L U X = Pᵀ B.
            swapRows(true)
            T.trsm(CblasLeft, lower, trans, CblasUnit, m32, n32, a, ld, xb, n32)
            T.trsm(CblasLeft, upper, trans, CblasNonUnit, m32, n32, a, ld, xb, n32)
          }
        } else {
          if op.transposes {
            // X Uᵀ Lᵀ Pᵀ = B: X Uᵀ Lᵀ = B P.
            swapColumns(true)
            T.trsm(CblasRight, lower, trans, CblasUnit, m32, n32, a, ld, xb, n32)
            T.trsm(CblasRight, upper, trans, CblasNonUnit, m32, n32, a, ld, xb, n32)
          } else {
            // X P L U = B: X P = B U⁻¹ L⁻¹.
            T.trsm(CblasRight, upper, trans, CblasNonUnit, m32, n32, a, ld, xb, n32)
            T.trsm(CblasRight, lower, trans, CblasUnit, m32, n32, a, ld, xb, n32)
            swapColumns(false)
          }
        }
      }
    }
    return x
  }

  /// The permutation matrices `P` of `M = P L U` for `m`-row matrices, from 1-based pivots.
  static func permutation(pivots: Tensor, rows m: Int, dtype: DType) -> Tensor {
    let batch = batchShape(pivots, inner: 1)
    let k = pivots.shape[pivots.rank - 1]
    let count = Shape.count(batch)
    let piv = pivots.contiguousValues()
    let pp = piv.pointer(as: Int64.self)
    var out = [Int64](repeating: 0, count: count * m * m)
    var perm = [Int](repeating: 0, count: m)
    for b in 0..<count {
      for i in 0..<m { perm[i] = i }
      for i in 0..<k {
        let j = Int(pp[b * k + i]) - 1
        check(j >= 0 && j < m, "lu: pivot \(j + 1) at position \(i + 1) is out of range 1...\(m)")
        perm.swapAt(i, j)
      }
      // Pᵀ M = L U takes row perm[i] of M to row i, so P[perm[i], i] = 1.
      for i in 0..<m { out[b * m * m + perm[i] * m + i] = 1 }
    }
    return Tensor(shape: batch + [m, m], scalars: out).converted(to: dtype)
  }

  /// The determinant of `M = P L U`: the sign of `P` times the product of `U`'s diagonal.
  static func determinant(lu: Tensor, pivots: Tensor) -> Tensor {
    switch lu.dtype {
    case .float32: return determinant(lu, pivots, Float.self)
    case .float64: return determinant(lu, pivots, Double.self)
    case .complex64: return determinant(lu, pivots, Complex<Float>.self)
    case .complex128: return determinant(lu, pivots, Complex<Double>.self)
    default: misuse("det: expected a floating dtype, got \(lu.dtype)")
    }
  }

  static func determinant<T: LAPACKScalar>(_ lu: Tensor, _ pivots: Tensor, _: T.Type) -> Tensor {
    let batch = batchShape(lu), n = lu.shape[lu.rank - 1]
    let out = Tensor(uninitializedShape: batch, dtype: lu.dtype)
    let po = out.pointer(as: T.self)
    let lo = batchOffsets(lu, inner: 2, batch: batch), vo = batchOffsets(pivots, inner: 1, batch: batch)
    let pl = lu.pointer(as: T.self), pv = pivots.pointer(as: Int64.self)
    let (rs, cs, ps) = (lu.strides[lu.rank - 2], lu.strides[lu.rank - 1], pivots.strides[pivots.rank - 1])
    for b in 0..<Shape.count(batch) {
      var d = T(fromDouble: 1)
      for i in 0..<n {
        d = d * pl[lo[b] + i * (rs + cs)]
        if Int(pv[vo[b] + i * ps]) != i + 1 { d = -d }
      }
      po[b] = d
    }
    return out
  }

  /// The sign (phase, for complex dtypes) and log absolute value of the determinant of
  /// `M = P L U`; a singular matrix gives sign 0 and −∞.
  static func signAndLogAbsDet(lu: Tensor, pivots: Tensor) -> (sign: Tensor, logAbsDet: Tensor) {
    switch lu.dtype {
    case .float32: return signAndLogAbsDet(lu, pivots, Float.self)
    case .float64: return signAndLogAbsDet(lu, pivots, Double.self)
    case .complex64: return signAndLogAbsDet(lu, pivots, Complex<Float>.self)
    case .complex128: return signAndLogAbsDet(lu, pivots, Complex<Double>.self)
    default: misuse("slogdet: expected a floating dtype, got \(lu.dtype)")
    }
  }

  static func signAndLogAbsDet<T: LAPACKScalar>(_ lu: Tensor, _ pivots: Tensor, _: T.Type) -> (sign: Tensor, logAbsDet: Tensor) {
    let batch = batchShape(lu), n = lu.shape[lu.rank - 1]
    let sign = Tensor(uninitializedShape: batch, dtype: lu.dtype)
    let logAbs = Tensor(uninitializedShape: batch, dtype: lu.dtype.real)
    let psign = sign.pointer(as: T.self), plog = logAbs.pointer(as: T.RealPart.self)
    let lo = batchOffsets(lu, inner: 2, batch: batch), vo = batchOffsets(pivots, inner: 1, batch: batch)
    let pl = lu.pointer(as: T.self), pv = pivots.pointer(as: Int64.self)
    let (rs, cs, ps) = (lu.strides[lu.rank - 2], lu.strides[lu.rank - 1], pivots.strides[pivots.rank - 1])
    for b in 0..<Shape.count(batch) {
      var s = T(fromDouble: 1)
      var l = T.RealPart.zero
      for i in 0..<n {
        let u = pl[lo[b] + i * (rs + cs)]
        let magnitude = T.RealPart.hypot(u.realPart, u.imaginaryPart)
        if magnitude == 0 {
          s = T.zeroValue
          l = -T.RealPart.infinity
          break
        }
        s = s * T(real: u.realPart / magnitude, imaginary: u.imaginaryPart / magnitude)
        l += T.RealPart.log(magnitude)
        if Int(pv[vo[b] + i * ps]) != i + 1 { s = -s }
      }
      psign[b] = s
      plog[b] = l
    }
    return (sign, logAbs)
  }

  /// The adjugate `adj(M) = det(M) M⁻¹` of `M = P L U`, exact for singular matrices too:
  /// `adj(M) = adj(U) L⁻¹ det(P) Pᵀ`, where `adj(U)` comes from a division-free recurrence
  /// (the cofactors of a triangular matrix), so a zero pivot gives the true adjugate rather
  /// than 0 · ∞.
  static func adjugate(lu: Tensor, pivots: Tensor) -> Tensor {
    switch lu.dtype {
    case .float32: return adjugate(lu, pivots, Float.self)
    case .float64: return adjugate(lu, pivots, Double.self)
    case .complex64: return adjugate(lu, pivots, Complex<Float>.self)
    case .complex128: return adjugate(lu, pivots, Complex<Double>.self)
    default: misuse("adjugate: expected a floating dtype, got \(lu.dtype)")
    }
  }

  static func adjugate<T: LAPACKScalar>(_ lu: Tensor, _ pivots: Tensor, _: T.Type) -> Tensor {
    let batch = batchShape(lu), n = lu.shape[lu.rank - 1]
    let out = Tensor(uninitializedShape: batch + [n, n], dtype: lu.dtype)
    let count = Shape.count(batch)
    if out.count == 0 { return out }
    let f = Operand(lu)
    let lo = batchOffsets(f.tensor, inner: 2, batch: batch), vo = batchOffsets(pivots, inner: 1, batch: batch)
    let pl = UnsafePointer(f.tensor.pointer(as: T.self)), pv = UnsafePointer(pivots.pointer(as: Int64.self))
    let (rs, cs) = (f.tensor.strides[f.tensor.rank - 2], f.tensor.strides[f.tensor.rank - 1])
    let ps = pivots.strides[pivots.rank - 1]
    let po = out.pointer(as: T.self)
    let (lower, trans) = f.flags(upper: false, op: .none, complex: T.dtype.isComplex)
    let n32 = lapackInt(n, "adjugate"), ld = lapackInt(f.ld, "adjugate")
    let one = T(fromDouble: 1)
    forBatch(count, work: n * n * n) { range in
      var prefix = [T](repeating: one, count: n + 1), suffix = [T](repeating: one, count: n + 1)
      var t = [T](repeating: T.zeroValue, count: n)
      for b in range {
        let a = pl + lo[b], w = po + b * n * n
        func u(_ i: Int, _ j: Int) -> T { a[i * rs + j * cs] }
        for i in 0..<n { prefix[i + 1] = prefix[i] * u(i, i) }
        suffix[n] = one
        for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] * u(i, i) }
        w.initialize(repeating: T.zeroValue, count: n * n)
        // Column j of adj(U) is c with U c = det(U) eⱼ. Writing cᵢ = qᵢ ∏_{m<i} u_mm gives
        // q_j = ∏_{m>j} u_mm and qᵢ = −Σ_{k=i+1…j} u_ik q_k ∏_{m=i+1…k−1} u_mm: no division.
        // tₖ carries q_k times the running product.
        for j in 0..<n {
          t[j] = suffix[j + 1]
          w[j * n + j] = t[j] * prefix[j]
          var i = j - 1
          while i >= 0 {
            var s = T.zeroValue
            for k in (i + 1)...j { s = s + u(i, k) * t[k] }
            let q = T.zeroValue - s
            w[i * n + j] = q * prefix[i]
            let d = u(i, i)
            for k in (i + 1)...j { t[k] = t[k] * d }
            t[i] = q
            i -= 1
          }
        }
        // adj(U) L⁻¹, then the columns permuted by Pᵀ = S₍ₙ₋₁₎ ⋯ S₀ and the sign det(P).
        T.trsm(CblasRight, lower, trans, CblasUnit, n32, n32, a, ld, w, n32)
        var negate = false
        for i in stride(from: n - 1, through: 0, by: -1) {
          let j = Int(pv[vo[b] + i * ps]) - 1
          if j != i {
            negate.toggle()
            for r in 0..<n { swap(&w[r * n + i], &w[r * n + j]) }
          }
        }
        if negate { for e in 0..<(n * n) { w[e] = T.zeroValue - w[e] } }
      }
    }
    return out
  }

  // MARK: Inverse

  /// The inverse of every matrix, with LAPACK's info (`k > 0`: singular; the matrix is then
  /// filled with NaN).
  ///
  /// A row-major `a` is `aᵀ` in column-major order, and `(aᵀ)⁻¹ = (a⁻¹)ᵀ`: LAPACK inverts
  /// the transpose in place and the buffer read row-major is `a⁻¹`, with no transposition.
  static func inverse(_ a: Tensor) -> (inverse: Tensor, info: Tensor) {
    switch a.dtype {
    case .float32: return inverse(a, Float.self)
    case .float64: return inverse(a, Double.self)
    case .complex64: return inverse(a, Complex<Float>.self)
    case .complex128: return inverse(a, Complex<Double>.self)
    default: misuse("inv: expected a floating dtype, got \(a.dtype)")
    }
  }

  static func inverse<T: LAPACKScalar>(_ a: Tensor, _: T.Type) -> (inverse: Tensor, info: Tensor) {
    let buffer = a.contiguousValues()
    let n = a.shape[a.rank - 1]
    let batch = batchShape(a)
    let count = Shape.count(batch)
    let info = Tensor.zeros(batch, dtype: .int64)
    if buffer.count == 0 { return (buffer, info) }
    let p = buffer.pointer(as: T.self), pi = info.pointer(as: Int64.self)
    let n32 = lapackInt(n, "inv")
    var query = T.zeroValue
    var dummy: Int32 = 0
    _ = T.getri(n32, p, n32, &dummy, &query, -1)
    let lwork = Swift.max(Int(query.realPart), n, 1)
    let nan = T(real: .nan, imaginary: 0)
    forBatch(count, work: n * n * n) { range in
      var ipiv = [Int32](repeating: 0, count: n)
      var work = [T](repeating: T.zeroValue, count: lwork)
      for b in range {
        let m = p + b * n * n
        var status = T.getrf(n32, n32, m, n32, &ipiv)
        if status == 0 { status = T.getri(n32, m, n32, ipiv, &work, Int32(lwork)) }
        if status != 0 { m.update(repeating: nan, count: n * n) }
        pi[b] = Int64(status)
      }
    }
    return (buffer, info)
  }

  // MARK: Cholesky

  /// The Cholesky factor of every Hermitian positive-definite matrix, reading only its lower
  /// (`upper: false`, giving `L` with `A = L Lᴴ`) or upper triangle (giving `U` with
  /// `A = Uᴴ U`), with LAPACK's info (`k > 0`: the leading minor of order `k` is not positive
  /// definite). The other triangle of the result is zero.
  ///
  /// LAPACK factors the lower triangle of a column-major copy `C` (`?potrf` with `L`, faster
  /// in OpenBLAS than with `U`); the copy reads only the wanted triangle and zeroes the other,
  /// so nothing is cleared afterwards. For `L`, `C = A` and the result is a column-major view
  /// of `C`'s factor. For `U`, `C = Aᵀ = conj(A)`, whose factor `conj(L) = Uᵀ` read row-major
  /// is `U`: a row-major result. Neither needs a transposition after the factorisation.
  static func cholesky(_ a: Tensor, upper: Bool) -> (factor: Tensor, info: Tensor) {
    switch a.dtype {
    case .float32: return cholesky(a, upper, Float.self)
    case .float64: return cholesky(a, upper, Double.self)
    case .complex64: return cholesky(a, upper, Complex<Float>.self)
    case .complex128: return cholesky(a, upper, Complex<Double>.self)
    default: misuse("cholesky: expected a floating dtype, got \(a.dtype)")
    }
  }

  static func cholesky<T: LAPACKScalar>(_ a: Tensor, _ upper: Bool, _: T.Type) -> (factor: Tensor, info: Tensor) {
    let n = a.shape[a.rank - 1]
    let batch = batchShape(a)
    let count = Shape.count(batch)
    let info = Tensor.zeros(batch, dtype: .int64)
    let buffer = Tensor(uninitializedShape: batch + [n, n], dtype: a.dtype)
    let factor = upper ? buffer : transposedView(buffer)
    if buffer.count == 0 { return (factor, info) }
    let offsets = batchOffsets(a, inner: 2, batch: batch)
    let pa = UnsafePointer(a.pointer(as: T.self)), p = buffer.pointer(as: T.self), pi = info.pointer(as: Int64.self)
    // C[i, j] (column-major, i ≥ j) is A[i, j] for L and A[j, i] for U.
    let (rs, cs) = (a.strides[a.rank - 2], a.strides[a.rank - 1])
    let (down, across) = upper ? (cs, rs) : (rs, cs)
    let n32 = lapackInt(n, "cholesky")
    let lower = CChar(UInt8(ascii: "L"))
    forBatch(count, work: n * n * n / 3) { range in
      for b in range {
        let m = p + b * n * n, src = pa + offsets[b]
        for j in 0..<n {
          let column = m + j * n, from = src + j * (down + across)
          column.update(repeating: T.zeroValue, count: j)
          for i in 0..<(n - j) { column[j + i] = from[i * down] }
        }
        pi[b] = Int64(T.potrf(lower, n32, m, n32))
      }
    }
    return (factor, info)
  }

  /// `(F Fᴴ)⁻¹` for lower-triangular factors (`upper: false`) or `(Fᴴ F)⁻¹` for upper ones,
  /// reading only that triangle of `f`, like `torch.cholesky_inverse` (`?potri`, then the
  /// Hermitian completion).
  static func choleskyInverse(_ f: Tensor, upper: Bool) -> Tensor {
    switch f.dtype {
    case .float32: return choleskyInverse(f, upper, Float.self)
    case .float64: return choleskyInverse(f, upper, Double.self)
    case .complex64: return choleskyInverse(f, upper, Complex<Float>.self)
    case .complex128: return choleskyInverse(f, upper, Complex<Double>.self)
    default: misuse("cholesky_inverse: expected a floating dtype, got \(f.dtype)")
    }
  }

  static func choleskyInverse<T: LAPACKScalar>(_ f: Tensor, _ upper: Bool, _: T.Type) -> Tensor {
    let buffer = f.contiguousValues()
    let n = f.shape[f.rank - 1]
    let count = Shape.count(batchShape(f))
    if buffer.count == 0 { return buffer }
    let p = buffer.pointer(as: T.self)
    let n32 = lapackInt(n, "cholesky_inverse")
    // Row-major L is Lᵀ = conj(Lᴴ) in column-major order: ?potri of its upper triangle gives
    // conj(A⁻¹) there, which read row-major is the lower triangle of A⁻¹ (and symmetrically).
    let uplo = CChar(UInt8(ascii: upper ? "L" : "U"))
    forBatch(count, work: n * n * n / 3) { range in
      for b in range {
        let m = p + b * n * n
        if T.potri(uplo, n32, m, n32) != 0 { m.update(repeating: T(real: .nan, imaginary: 0), count: n * n) }
        for i in 0..<n {
          for j in (i + 1)..<Swift.max(n, i + 1) {
            if upper { m[j * n + i] = m[i * n + j].conjugated } else { m[i * n + j] = m[j * n + i].conjugated }
          }
        }
      }
    }
    return buffer
  }

  // MARK: Triangular solves

  /// Solves `op(A) X = B` (`left`) or `X op(A) = B` for triangular `A` (its `upper` or lower
  /// triangle; a unit diagonal is assumed when `unitriangular`), with broadcast batch dims.
  /// Like `torch.linalg.solve_triangular`, a zero on the diagonal gives infinities, not an error.
  static func triangularSolve(_ a: Tensor, _ b: Tensor, upper: Bool, left: Bool, op: MatrixOp, unitriangular: Bool) -> Tensor {
    switch b.dtype {
    case .float32: return triangularSolve(a, b, upper, left, op, unitriangular, Float.self)
    case .float64: return triangularSolve(a, b, upper, left, op, unitriangular, Double.self)
    case .complex64: return triangularSolve(a, b, upper, left, op, unitriangular, Complex<Float>.self)
    case .complex128: return triangularSolve(a, b, upper, left, op, unitriangular, Complex<Double>.self)
    default: misuse("solve_triangular: expected a floating dtype, got \(b.dtype)")
    }
  }

  static func triangularSolve<T: LAPACKScalar>(
    _ a: Tensor, _ b: Tensor, _ upper: Bool, _ left: Bool, _ op: MatrixOp, _ unit: Bool, _: T.Type
  ) -> Tensor {
    let n = a.shape[a.rank - 1]
    guard let batch = Shape.broadcast(batchShape(a), batchShape(b)) else {
      misuse("solve_triangular: batch dims of \(a.shape) and \(b.shape) do not broadcast")
    }
    let rows = b.shape[b.rank - 2], cols = b.shape[b.rank - 1]
    let x = b.expandedView(to: batch + [rows, cols], op: "solve_triangular").contiguousValues()
    if x.count == 0 || n == 0 { return x }
    let f = Operand(a)
    let offsets = batchOffsets(f.tensor, inner: 2, batch: batch)
    let pa = UnsafePointer(f.tensor.pointer(as: T.self)), px = x.pointer(as: T.self)
    let (uplo, trans) = f.flags(upper: upper, op: op, complex: T.dtype.isComplex)
    let m32 = lapackInt(rows, "solve_triangular"), n32 = lapackInt(cols, "solve_triangular"), ld = lapackInt(f.ld, "solve_triangular")
    let side = left ? CblasLeft : CblasRight, diag = unit ? CblasUnit : CblasNonUnit
    forBatch(Shape.count(batch), work: n * n * (left ? cols : rows) / 2) { range in
      for t in range { T.trsm(side, uplo, trans, diag, m32, n32, pa + offsets[t], ld, px + t * rows * cols, n32) }
    }
    return x
  }
}
