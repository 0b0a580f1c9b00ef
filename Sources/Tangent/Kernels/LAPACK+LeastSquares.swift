import CLapack
import ComplexModule
import RealModule

/// Least squares on LAPACK (`?gels`, `?gelsy`, `?gelsd`).
///
/// Layouts: a row-major matrix is its transpose in column-major order, and these kernels use
/// that where the transpose gives the wanted result; otherwise they make the one copy LAPACK
/// overwrites anyway in column-major order. Failures to converge fill the affected outputs with
/// NaN and are reported in `info`; so are matrices with NaN or infinite entries, which LAPACK's
/// iterations cannot take (PyTorch rejects them too).
extension LAPACK {
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
    a.dtype.visitLAPACK(LeastSquaresKernel(a: a, b: b, rcond: rcond, driver: driver), op: "lstsq")
  }

  private struct LeastSquaresKernel: LAPACKVisitor {
    let a: Tensor, b: Tensor
    let rcond: Double
    let driver: LeastSquaresDriver

    func visit<T: LAPACKScalar>(_: T.Type) -> (
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
      let fullRank = driver == .gels || (driver == .gelsd && (rank.map { r in r.valuesOfEveryMember.scalars(as: Int64.self).allSatisfy { $0 == Int64(n) } } ?? true))
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
}
