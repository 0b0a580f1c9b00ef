import CLapack
import ComplexModule
import RealModule

/// The spectral and orthogonal decompositions and least squares on LAPACK: eigh (`?syevd`,
/// `?heevd`), the SVD (`?gesdd`), QR (`?geqrf`, `?orgqr`/`?ungqr`), eig (`?geev`) and least
/// squares (`?gels`, `?gelsy`, `?gelsd`).
///
/// Layouts: a row-major matrix is its transpose in column-major order, and these kernels use
/// that where the transpose gives the wanted result (eigh of `Aᵀ = conj(A)`, the SVD of `Aᵀ`,
/// whose factors read row-major are those of `A`); QR, eig and least squares need `A` itself
/// column-major and make the one copy LAPACK overwrites anyway in that order. Failures to
/// converge fill the affected outputs with NaN and are reported in `info`; so are matrices with
/// NaN or infinite entries, which LAPACK's iterations cannot take (PyTorch rejects them too).
extension LAPACK {
  /// Whether the `count` values at `p` are all finite.
  static func allFinite<T: FloatingScalar>(_ p: UnsafePointer<T>, count: Int) -> Bool {
    for i in 0..<count where !(p[i].realPart.isFinite && p[i].imaginaryPart.isFinite) { return false }
    return true
  }

  /// A workspace size that LAPACK reported in a scalar.
  static func workspaceSize<T: FloatingScalar>(_ v: T, minimum: Int = 1) -> Int { Swift.max(Int(v.realPart.rounded(.up)), minimum) }

  // MARK: eigh

  /// The eigenvalues (ascending, real) and, when `vectors`, orthonormal eigenvectors (columns)
  /// of every Hermitian matrix, read from its lower (or `upper`) triangle, with LAPACK's info
  /// per matrix (`k > 0`: no convergence; the outputs are then NaN).
  ///
  /// The row-major copy is `Aᵀ = conj(A)` in column-major order, read from the opposite
  /// triangle; its eigenvectors are `conj(V)`, stored column by column, so the result is a
  /// column-major view of the buffer (conjugated in place for complex dtypes): no transposition.
  static func eigh(_ a: Tensor, upper: Bool, vectors: Bool) -> (values: Tensor, vectors: Tensor?, info: Tensor) {
    switch a.dtype {
    case .float32: return eigh(a, upper, vectors, Float.self)
    case .float64: return eigh(a, upper, vectors, Double.self)
    case .complex64: return eigh(a, upper, vectors, Complex<Float>.self)
    case .complex128: return eigh(a, upper, vectors, Complex<Double>.self)
    default: misuse("eigh: expected a floating dtype, got \(a.dtype)")
    }
  }

  static func eigh<T: LAPACKScalar>(_ a: Tensor, _ upper: Bool, _ vectors: Bool, _: T.Type) -> (values: Tensor, vectors: Tensor?, info: Tensor) {
    let buffer = a.contiguousValues()
    let n = a.shape[a.rank - 1]
    let batch = batchShape(a)
    let count = Shape.count(batch)
    let values = Tensor(uninitializedShape: batch + [n], dtype: a.dtype.real)
    let info = Tensor.zeros(batch, dtype: .int64)
    let v = vectors ? transposedView(buffer) : nil
    if count == 0 || n == 0 { return (values, v, info) }
    let p = buffer.pointer(as: T.self), pw = values.pointer(as: T.RealPart.self), pi = info.pointer(as: Int64.self)
    let n32 = lapackInt(n, "eigh")
    let jobz = CChar(UInt8(ascii: vectors ? "V" : "N")), uplo = CChar(UInt8(ascii: upper ? "L" : "U"))
    var qw = T.zeroValue, qr = T.RealPart.zero, qi: Int32 = 0
    var dummyW = T.RealPart.zero
    _ = T.heevd(jobz, uplo, n32, p, n32, &dummyW, &qw, -1, &qr, -1, &qi, -1)
    let lwork = workspaceSize(qw), lrwork = workspaceSize(qr), liwork = Swift.max(Int(qi), 1)
    let nan = T.RealPart.nan
    forBatch(count, work: n * n * n) { range in
      var work = [T](repeating: T.zeroValue, count: lwork)
      var rwork = [T.RealPart](repeating: 0, count: lrwork)
      var iwork = [Int32](repeating: 0, count: liwork)
      for b in range {
        let m = p + b * n * n, w = pw + b * n
        let status = !allFinite(m, count: n * n)
          ? 1 : T.heevd(jobz, uplo, n32, m, n32, w, &work, Int32(lwork), &rwork, Int32(lrwork), &iwork, Int32(liwork))
        pi[b] = Int64(status)
        if status != 0 {
          w.update(repeating: nan, count: n)
          m.update(repeating: T(real: nan, imaginary: 0), count: n * n)
        } else if vectors && T.dtype.isComplex {
          for e in 0..<(n * n) { m[e] = m[e].conjugated }
        }
      }
    }
    return (values, v, info)
  }

  // MARK: SVD

  /// The singular value decomposition `A = U diag(S) Vᴴ` of every `m × n` matrix: `S`
  /// descending (real), and when `vectors` `U` (`m × k`, or `m × m` when `full`) and `Vᴴ`
  /// (`k × n`, or `n × n`), `k = min(m, n)`, with LAPACK's info (`k > 0`: no convergence;
  /// outputs NaN).
  ///
  /// The row-major copy is `M = Aᵀ` in column-major order, `M = U′ S V′ᴴ` gives
  /// `A = (V′ᴴ)ᵀ S U′ᵀ`, and LAPACK's `U′` and `V′ᴴ` read row-major are `Vᴴ` and `U`: both are
  /// written straight into the outputs, with no transposition.
  static func svd(_ a: Tensor, full: Bool, vectors: Bool) -> (u: Tensor?, s: Tensor, vh: Tensor?, info: Tensor) {
    switch a.dtype {
    case .float32: return svd(a, full, vectors, Float.self)
    case .float64: return svd(a, full, vectors, Double.self)
    case .complex64: return svd(a, full, vectors, Complex<Float>.self)
    case .complex128: return svd(a, full, vectors, Complex<Double>.self)
    default: misuse("svd: expected a floating dtype, got \(a.dtype)")
    }
  }

  static func svd<T: LAPACKScalar>(_ a: Tensor, _ full: Bool, _ vectors: Bool, _: T.Type) -> (u: Tensor?, s: Tensor, vh: Tensor?, info: Tensor) {
    let r = a.rank, m = a.shape[r - 2], n = a.shape[r - 1], k = Swift.min(m, n)
    let batch = batchShape(a)
    let count = Shape.count(batch)
    let uCols = full ? m : k, vhRows = full ? n : k
    let s = Tensor(uninitializedShape: batch + [k], dtype: a.dtype.real)
    let info = Tensor.zeros(batch, dtype: .int64)
    var u = vectors ? Tensor.zeros(batch + [m, uCols], dtype: a.dtype) : nil
    var vh = vectors ? Tensor.zeros(batch + [vhRows, n], dtype: a.dtype) : nil
    if count == 0 { return (u, s, vh, info) }
    if k == 0 {
      // An empty matrix: the full factors are identities.
      if full {
        u = Tensor.eye(m, dtype: a.dtype).expanded(to: batch + [m, m]).contiguousValues()
        vh = Tensor.eye(n, dtype: a.dtype).expanded(to: batch + [n, n]).contiguousValues()
      }
      return (u, s, vh, info)
    }
    let buffer = a.contiguousValues()
    let p = buffer.pointer(as: T.self), ps = s.pointer(as: T.RealPart.self), pi = info.pointer(as: Int64.self)
    // LAPACK factorises M = Aᵀ: n rows, m columns.
    let rows32 = lapackInt(n, "svd"), cols32 = lapackInt(m, "svd")
    let jobz = CChar(UInt8(ascii: !vectors ? "N" : full ? "A" : "S"))
    // LAPACK's U′ (n × vhRows, ld n) is our Vᴴ; its V′ᴴ (uCols × m, ld uCols) is our U.
    let ldu = lapackInt(n, "svd"), ldvt = lapackInt(Swift.max(uCols, 1), "svd")
    let pu = vh?.pointer(as: T.self), pvt = u?.pointer(as: T.self)
    let mx = Swift.max(m, n)
    let lrwork = T.dtype.isComplex ? (vectors ? Swift.max(5 * k * k + 5 * k, 2 * mx * k + 2 * k * k + k) : 7 * k) : 1
    // A one-element stand-in for the vectors LAPACK does not write (jobz = N).
    let scratch = UnsafeMutablePointer<T>.allocate(capacity: 1)
    defer { scratch.deallocate() }
    var query = T.zeroValue
    var dummyS = [T.RealPart](repeating: 0, count: k)
    var dummyRwork = [T.RealPart](repeating: 0, count: lrwork)
    var dummyIwork = [Int32](repeating: 0, count: 8 * k)
    _ = T.gesdd(jobz, rows32, cols32, p, rows32, &dummyS, pu ?? scratch, ldu, pvt ?? scratch, ldvt, &query, -1, &dummyRwork, &dummyIwork)
    let lwork = workspaceSize(query)
    let nan = T(real: .nan, imaginary: 0)
    forBatch(count, work: m * n * k) { range in
      var work = [T](repeating: T.zeroValue, count: lwork)
      var rwork = [T.RealPart](repeating: 0, count: lrwork)
      var iwork = [Int32](repeating: 0, count: 8 * k)
      let local = UnsafeMutablePointer<T>.allocate(capacity: 1)
      defer { local.deallocate() }
      for b in range {
        let pm = p + b * m * n
        let bu = pu.map { $0 + b * vhRows * n }, bvt = pvt.map { $0 + b * m * uCols }
        let status = !allFinite(pm, count: m * n)
          ? 1 : T.gesdd(jobz, rows32, cols32, pm, rows32, ps + b * k, bu ?? local, ldu, bvt ?? local, ldvt, &work, Int32(lwork), &rwork, &iwork)
        pi[b] = Int64(status)
        if status != 0 {
          (ps + b * k).update(repeating: .nan, count: k)
          bu?.update(repeating: nan, count: vhRows * n)
          bvt?.update(repeating: nan, count: m * uCols)
        }
      }
    }
    return (u, s, vh, info)
  }

  // MARK: QR

  /// The QR factorisation of every `m × n` matrix by Householder reflections: `Q` with
  /// orthonormal columns (`m × k`, or `m × m` when `complete`; `nil` when not `wantQ`) and upper
  /// triangular (trapezoidal) `R` (`k × n`, or `m × n`), `k = min(m, n)`. `R`'s diagonal is real.
  static func qr(_ a: Tensor, complete: Bool, wantQ: Bool) -> (q: Tensor?, r: Tensor) {
    switch a.dtype {
    case .float32: return qr(a, complete, wantQ, Float.self)
    case .float64: return qr(a, complete, wantQ, Double.self)
    case .complex64: return qr(a, complete, wantQ, Complex<Float>.self)
    case .complex128: return qr(a, complete, wantQ, Complex<Double>.self)
    default: misuse("qr: expected a floating dtype, got \(a.dtype)")
    }
  }

  static func qr<T: LAPACKScalar>(_ a: Tensor, _ complete: Bool, _ wantQ: Bool, _: T.Type) -> (q: Tensor?, r: Tensor) {
    let rk = a.rank, m = a.shape[rk - 2], n = a.shape[rk - 1], k = Swift.min(m, n)
    let batch = batchShape(a)
    let count = Shape.count(batch)
    let rRows = complete ? m : k, qCols = complete ? m : k
    let r = Tensor.zeros(batch + [rRows, n], dtype: a.dtype)
    // Q is written column by column (column-major), so it is a transposed view of its buffer.
    let qBuffer = wantQ ? Tensor.zeros(batch + [qCols, m], dtype: a.dtype) : nil
    let q = qBuffer.map { transposedView($0) }
    if count == 0 { return (q, r) }
    if k == 0 {
      if let qBuffer { for b in 0..<count { for i in 0..<qCols { qBuffer.pointer(as: T.self)[b * qCols * m + i * m + i] = T(fromDouble: 1) } } }
      return (q, r)
    }
    // A column-major copy (lda = m): LAPACK overwrites it with the reflectors.
    let buffer = transposedView(a).contiguousValues()
    let p = buffer.pointer(as: T.self), pr = r.pointer(as: T.self)
    let pq = qBuffer?.pointer(as: T.self)
    let m32 = lapackInt(m, "qr"), n32 = lapackInt(n, "qr"), k32 = lapackInt(k, "qr"), q32 = lapackInt(qCols, "qr")
    var query = T.zeroValue
    var tauQuery = T.zeroValue
    _ = T.geqrf(m32, n32, p, m32, &tauQuery, &query, -1)
    var lwork = workspaceSize(query)
    if wantQ {
      _ = T.ungqr(m32, q32, k32, pq!, m32, &tauQuery, &query, -1)
      lwork = Swift.max(lwork, workspaceSize(query))
    }
    forBatch(count, work: m * n * k) { range in
      var work = [T](repeating: T.zeroValue, count: lwork)
      var tau = [T](repeating: T.zeroValue, count: k)
      for b in range {
        let pa = p + b * m * n
        _ = T.geqrf(m32, n32, pa, m32, &tau, &work, Int32(lwork))
        // R: the upper triangle, row-major.
        let rb = pr + b * rRows * n
        for j in 0..<n {
          for i in 0...Swift.min(j, rRows - 1) { rb[i * n + j] = pa[j * m + i] }
        }
        guard let pq else { continue }
        // The reflectors (the first k columns) go to Q's buffer, which ?orgqr overwrites.
        let qb = pq + b * qCols * m
        qb.update(from: pa, count: m * k)
        _ = T.ungqr(m32, q32, k32, qb, m32, tau, &work, Int32(lwork))
      }
    }
    return (q, r)
  }

  /// The first `n` columns of the products `H₁ ⋯ H_k` of Householder reflectors
  /// `Hᵢ = I − τᵢ vᵢ vᵢᴴ`, where `vᵢ` has a unit `i`-th entry, zeros above, and column `i` of
  /// `a` below (`?orgqr`/`?ungqr`). `a` is `[..., m, n]`, `tau` `[..., k]`, `k ≤ n ≤ m`.
  static func householderProduct(_ a: Tensor, tau: Tensor) -> Tensor {
    switch a.dtype {
    case .float32: return householderProduct(a, tau, Float.self)
    case .float64: return householderProduct(a, tau, Double.self)
    case .complex64: return householderProduct(a, tau, Complex<Float>.self)
    case .complex128: return householderProduct(a, tau, Complex<Double>.self)
    default: misuse("householder_product: expected a floating dtype, got \(a.dtype)")
    }
  }

  static func householderProduct<T: LAPACKScalar>(_ a: Tensor, _ tau: Tensor, _: T.Type) -> Tensor {
    let rk = a.rank, m = a.shape[rk - 2], n = a.shape[rk - 1], k = tau.shape[tau.rank - 1]
    let batch = batchShape(a)
    let count = Shape.count(batch)
    let buffer = transposedView(a).contiguousValues()
    if count == 0 || n == 0 { return transposedView(buffer) }
    let taus = tau.expandedView(to: batch + [k], op: "householder_product").contiguousValues()
    let p = buffer.pointer(as: T.self), pt = UnsafePointer(taus.pointer(as: T.self))
    let m32 = lapackInt(m, "householder_product"), n32 = lapackInt(n, "householder_product"), k32 = lapackInt(k, "householder_product")
    var query = T.zeroValue
    _ = T.ungqr(m32, n32, k32, p, m32, pt, &query, -1)
    let lwork = workspaceSize(query)
    forBatch(count, work: m * n * k) { range in
      var work = [T](repeating: T.zeroValue, count: lwork)
      for b in range { _ = T.ungqr(m32, n32, k32, p + b * m * n, m32, pt + b * k, &work, Int32(lwork)) }
    }
    return transposedView(buffer)
  }

  // MARK: eig

  /// The eigenvalues and, when `vectors`, the right eigenvectors of every square matrix, both
  /// complex (of the matching precision), each vector of unit norm with its largest component
  /// real (LAPACK's and PyTorch's normalisation), with LAPACK's info (`k > 0`: no
  /// convergence; outputs NaN).
  ///
  /// LAPACK gets `A` itself in column-major order (the copy it overwrites), so the eigenvalues
  /// come in the order PyTorch's do. The vectors are written column by column: the result is a
  /// column-major view.
  static func eig(_ a: Tensor, vectors: Bool) -> (values: Tensor, vectors: Tensor?, info: Tensor) {
    switch a.dtype {
    case .float32: return eig(a, vectors, Float.self)
    case .float64: return eig(a, vectors, Double.self)
    case .complex64: return eig(a, vectors, Complex<Float>.self)
    case .complex128: return eig(a, vectors, Complex<Double>.self)
    default: misuse("eig: expected a floating dtype, got \(a.dtype)")
    }
  }

  static func eig<T: LAPACKScalar>(_ a: Tensor, _ vectors: Bool, _: T.Type) -> (values: Tensor, vectors: Tensor?, info: Tensor) {
    typealias C = Complex<T.RealPart>
    let n = a.shape[a.rank - 1]
    let batch = batchShape(a)
    let count = Shape.count(batch)
    let complexDType = T.RealPart.complexDType
    let values = Tensor(uninitializedShape: batch + [n], dtype: complexDType)
    let info = Tensor.zeros(batch, dtype: .int64)
    let vBuffer = vectors ? Tensor(uninitializedShape: batch + [n, n], dtype: complexDType) : nil
    let v = vBuffer.map { transposedView($0) }
    if count == 0 || n == 0 { return (values, v, info) }
    let buffer = transposedView(a).contiguousValues()
    let p = buffer.pointer(as: T.self), pw = values.pointer(as: C.self), pi = info.pointer(as: Int64.self)
    let pv = vBuffer?.pointer(as: C.self)
    let n32 = lapackInt(n, "eig")
    let jobvr = CChar(UInt8(ascii: vectors ? "V" : "N")), jobvl = CChar(UInt8(ascii: "N"))
    var query = T.zeroValue, dummyL = T.zeroValue, dummyR = T.zeroValue
    var dummyW = C.zero
    var dummyRwork = [T.RealPart](repeating: 0, count: 2 * n)
    _ = T.geev(jobvl, jobvr, n32, p, n32, &dummyW, &dummyL, 1, &dummyR, n32, &query, -1, &dummyRwork)
    let lwork = workspaceSize(query, minimum: 4 * n)
    let isComplex = T.dtype.isComplex
    forBatch(count, work: 10 * n * n * n) { range in
      var work = [T](repeating: T.zeroValue, count: lwork)
      var rwork = [T.RealPart](repeating: 0, count: 2 * n)
      var vr = [T](repeating: T.zeroValue, count: vectors ? n * n : 1)
      var unusedL = T.zeroValue
      for b in range {
        let w = pw + b * n
        let status = !allFinite(p + b * n * n, count: n * n)
          ? 1 : T.geev(jobvl, jobvr, n32, p + b * n * n, n32, w, &unusedL, 1, &vr, n32, &work, Int32(lwork), &rwork)
        pi[b] = Int64(status)
        if status != 0 {
          w.update(repeating: C(.nan, 0), count: n)
          pv?.advanced(by: b * n * n).update(repeating: C(.nan, 0), count: n * n)
          continue
        }
        guard let pv else { continue }
        let out = pv + b * n * n
        if isComplex {
          for e in 0..<(n * n) { out[e] = C(vr[e].realPart, vr[e].imaginaryPart) }
          continue
        }
        // Real: a complex pair λ, conj(λ) has vectors VR[:, j] ± i VR[:, j + 1].
        var j = 0
        while j < n {
          if w[j].imaginary == 0 || j == n - 1 {
            for i in 0..<n { out[j * n + i] = C(vr[j * n + i].realPart, 0) }
            j += 1
          } else {
            for i in 0..<n {
              let re = vr[j * n + i].realPart, im = vr[(j + 1) * n + i].realPart
              out[j * n + i] = C(re, im)
              out[(j + 1) * n + i] = C(re, -im)
            }
            j += 2
          }
        }
      }
    }
    return (values, v, info)
  }

  // MARK: Least squares

  /// A LAPACK least-squares driver.
  enum LeastSquaresDriver: Sendable {
    case gels, gelsy, gelsd
  }

  /// The least-squares solutions `X` (`n × k`) of `A X ≈ B` for every `m × n` `A` and `m × k`
  /// `B` (batch dims broadcast), with the effective rank (`gelsy`, `gelsd`), the singular values
  /// (`gelsd`), the squared residual norms of each column (for `m > n`, not `gelsy`, from
  /// LAPACK's rows `n..<m`) and LAPACK's info (`k > 0`: a rank-deficient `A` for `gels`, no
  /// convergence for `gelsd`).
  static func leastSquares(_ a: Tensor, _ b: Tensor, rcond: Double, driver: LeastSquaresDriver) -> (
    solution: Tensor, residuals: Tensor, rank: Tensor?, singularValues: Tensor?, info: Tensor
  ) {
    switch a.dtype {
    case .float32: return leastSquares(a, b, rcond, driver, Float.self)
    case .float64: return leastSquares(a, b, rcond, driver, Double.self)
    case .complex64: return leastSquares(a, b, rcond, driver, Complex<Float>.self)
    case .complex128: return leastSquares(a, b, rcond, driver, Complex<Double>.self)
    default: misuse("lstsq: expected a floating dtype, got \(a.dtype)")
    }
  }

  static func leastSquares<T: LAPACKScalar>(_ a: Tensor, _ b: Tensor, _ rcond: Double, _ driver: LeastSquaresDriver, _: T.Type) -> (
    solution: Tensor, residuals: Tensor, rank: Tensor?, singularValues: Tensor?, info: Tensor
  ) {
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1], nrhs = b.shape[b.rank - 1], k = Swift.min(m, n), ld = Swift.max(m, n, 1)
    guard let batch = Shape.broadcast(batchShape(a), batchShape(b)) else {
      misuse("lstsq: batch dims of \(a.shape) and \(b.shape) do not broadcast")
    }
    let count = Shape.count(batch)
    // Column-major copies: A (lda = m) and B padded to max(m, n) rows (ldb).
    let buffer = transposedView(a.expandedView(to: batch + [m, n], op: "lstsq")).contiguousValues()
    let bBuffer = Tensor.zeros(batch + [nrhs, ld], dtype: a.dtype)
    let bt = transposedView(b.expandedView(to: batch + [m, nrhs], op: "lstsq")).contiguousValues()
    let info = Tensor.zeros(batch, dtype: .int64)
    let rank = driver == .gels ? nil : Tensor.zeros(batch, dtype: .int64)
    let sv = driver == .gelsd ? Tensor.zeros(batch + [k], dtype: a.dtype.real) : nil
    let pa = buffer.pointer(as: T.self), pb = bBuffer.pointer(as: T.self), pbt = bt.pointer(as: T.self)
    let pi = info.pointer(as: Int64.self), prank = rank?.pointer(as: Int64.self), ps = sv?.pointer(as: T.RealPart.self)
    for t in 0..<(count * nrhs) { (pb + t * ld).update(from: pbt + t * m, count: m) }
    if count > 0 && k > 0 && nrhs > 0 {
      let m32 = lapackInt(m, "lstsq"), n32 = lapackInt(n, "lstsq"), r32 = lapackInt(nrhs, "lstsq"), ld32 = lapackInt(ld, "lstsq")
      let rc = T.RealPart(rcond)
      var query = T.zeroValue, rq = T.RealPart.zero
      var iq: Int32 = 0, rankQuery: Int32 = 0
      var dummyJ = [Int32](repeating: 0, count: n)
      var dummyS = [T.RealPart](repeating: 0, count: k)
      var dummyR = [T.RealPart](repeating: 0, count: 2 * n)
      switch driver {
      case .gels: _ = T.gels(m32, n32, r32, pa, m32, pb, ld32, &query, -1)
      case .gelsy: _ = T.gelsy(m32, n32, r32, pa, m32, pb, ld32, &dummyJ, rc, &rankQuery, &query, -1, &dummyR)
      case .gelsd: _ = T.gelsd(m32, n32, r32, pa, m32, pb, ld32, &dummyS, rc, &rankQuery, &query, -1, &rq, &iq)
      }
      let lwork = workspaceSize(query)
      let lrwork = Swift.max(workspaceSize(rq), 2 * n)
      let liwork = Swift.max(Int(iq), 1)
      forBatch(count, work: m * n * k) { range in
        var work = [T](repeating: T.zeroValue, count: lwork)
        var rwork = [T.RealPart](repeating: 0, count: lrwork)
        var iwork = [Int32](repeating: 0, count: liwork)
        var jpvt = [Int32](repeating: 0, count: n)
        var s = [T.RealPart](repeating: 0, count: k)
        for t in range {
          let am = pa + t * m * n, bm = pb + t * nrhs * ld
          var r: Int32 = 0
          let status: Int32
          switch driver {
          case .gels: status = T.gels(m32, n32, r32, am, m32, bm, ld32, &work, Int32(lwork))
          case .gelsy:
            for i in 0..<n { jpvt[i] = 0 }
            status = T.gelsy(m32, n32, r32, am, m32, bm, ld32, &jpvt, rc, &r, &work, Int32(lwork), &rwork)
          case .gelsd:
            status = T.gelsd(m32, n32, r32, am, m32, bm, ld32, &s, rc, &r, &work, Int32(lwork), &rwork, &iwork)
            for i in 0..<k { ps![t * k + i] = s[i] }
          }
          pi[t] = Int64(status)
          prank?[t] = Int64(r)
          if status != 0 { bm.update(repeating: T(real: .nan, imaginary: 0), count: nrhs * ld) }
        }
      }
    }
    let solution = transposedView(bBuffer.narrowedView(dim: -1, start: 0, length: n)).contiguousValues()
    // Residuals: for m > n the rows n..<m of LAPACK's result hold Qᴴ B's part outside the range.
    var residuals = Tensor.zeros([0], dtype: a.dtype.real)
    let fullRank = driver == .gels || (driver == .gelsd && (rank.map { r in r.scalars(as: Int64.self).allSatisfy { $0 == Int64(n) } } ?? true))
    if m > n && driver != .gelsy && fullRank {
      residuals = Tensor.zeros(batch + [nrhs], dtype: a.dtype.real)
      let pres = residuals.pointer(as: T.RealPart.self)
      for t in 0..<(count * nrhs) {
        var acc = T.RealPart.zero
        for i in n..<m {
          let z = pb[t * ld + i]
          acc += z.realPart * z.realPart + z.imaginaryPart * z.imaginaryPart
        }
        pres[t] = acc
      }
    }
    return (solution, residuals, rank, sv, info)
  }
}

extension Tensor {
  /// A narrowed view without autodiff state (for kernels).
  func narrowedView(dim: Int, start: Int, length: Int) -> Tensor {
    let d = dim < 0 ? dim + rank : dim
    var s = shape
    s[d] = length
    return view(shape: s, strides: strides, offset: offset + start * strides[d])
  }
}
