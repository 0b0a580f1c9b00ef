import CLapack
import ComplexModule
import RealModule

/// The singular value decomposition on LAPACK (`?gesdd`, of `Aᵀ`, whose factors read
/// row-major are those of `A`).
///
/// Layouts: a row-major matrix is its transpose in column-major order, and these kernels use
/// that where the transpose gives the wanted result; otherwise they make the one copy LAPACK
/// overwrites anyway in column-major order. Failures to converge fill the affected outputs with
/// NaN and are reported in `info`; so are matrices with NaN or infinite entries, which LAPACK's
/// iterations cannot take (PyTorch rejects them too).
extension LAPACK {
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
    a.dtype.visitLAPACK(SVDKernel(a: a, full: full, vectors: vectors), op: "svd")
  }

  private struct SVDKernel: LAPACKVisitor {
    let a: Tensor
    let full: Bool, vectors: Bool

    func visit<T: LAPACKScalar>(_: T.Type) -> (u: Tensor?, s: Tensor, vh: Tensor?, info: Tensor) {
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
  }
}
