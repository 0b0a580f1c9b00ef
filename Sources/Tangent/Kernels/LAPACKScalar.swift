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

/// A computation generic over the four scalar types LAPACK factorises, run for a dtype known
/// only at run time: the kernels of ``LAPACK`` are such visitors, written once above the shim.
protocol LAPACKVisitor {
  associatedtype Result
  func visit<T: LAPACKScalar>(_ type: T.Type) -> Result
}

extension DType {
  /// Runs `visitor` with the LAPACK scalar type of this dtype (`float32`, `float64`,
  /// `complex64`, `complex128`); stops with a message naming `op` for other dtypes.
  func visitLAPACK<V: LAPACKVisitor>(_ visitor: V, op: String) -> V.Result {
    switch self {
    case .float32: return visitor.visit(Float.self)
    case .float64: return visitor.visit(Double.self)
    case .complex64: return visitor.visit(Complex<Float>.self)
    case .complex128: return visitor.visit(Complex<Double>.self)
    default: misuse("\(op): expected a floating dtype, got \(self)")
    }
  }
}
