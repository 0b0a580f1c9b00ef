import CLapack
import ComplexModule
import RealModule

/// QR on LAPACK: Householder reflectors (`?geqrf`) and their products (`?orgqr`/`?ungqr`).
extension LAPACK {
  // MARK: QR

  /// The QR factorisation of every `m × n` matrix by Householder reflections: `Q` with
  /// orthonormal columns (`m × k`, or `m × m` when `complete`; `nil` when not `wantQ`) and upper
  /// triangular (trapezoidal) `R` (`k × n`, or `m × n`), `k = min(m, n)`. `R`'s diagonal is real.
  static func qr(_ a: Tensor, complete: Bool, wantQ: Bool) -> (q: Tensor?, r: Tensor) {
    a.dtype.visitLAPACK(QRKernel(a: a, complete: complete, wantQ: wantQ), op: "qr")
  }

  private struct QRKernel: LAPACKVisitor {
    let a: Tensor
    let complete: Bool, wantQ: Bool

    func visit<T: LAPACKScalar>(_: T.Type) -> (q: Tensor?, r: Tensor) {
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
  }

  /// The first `n` columns of the products `H₁ ⋯ H_k` of Householder reflectors
  /// `Hᵢ = I − τᵢ vᵢ vᵢᴴ`, where `vᵢ` has a unit `i`-th entry, zeros above, and column `i` of
  /// `a` below (`?orgqr`/`?ungqr`). `a` is `[..., m, n]`, `tau` `[..., k]`, `k ≤ n ≤ m`.
  static func householderProduct(_ a: Tensor, tau: Tensor) -> Tensor {
    a.dtype.visitLAPACK(HouseholderProductKernel(a: a, tau: tau), op: "householder_product")
  }

  private struct HouseholderProductKernel: LAPACKVisitor {
    let a: Tensor, tau: Tensor

    func visit<T: LAPACKScalar>(_: T.Type) -> Tensor {
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
  }
}
