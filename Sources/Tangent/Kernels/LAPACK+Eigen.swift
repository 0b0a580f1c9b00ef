import CLapack
import ComplexModule
import RealModule

/// Eigendecompositions on LAPACK: eigh (`?syevd`, `?heevd`; of `Aᵀ = conj(A)`) and eig
/// (`?geev`; of `A` itself).
///
/// Layouts: a row-major matrix is its transpose in column-major order, and these kernels use
/// that where the transpose gives the wanted result; otherwise they make the one copy LAPACK
/// overwrites anyway in column-major order. Failures to converge fill the affected outputs with
/// NaN and are reported in `info`; so are matrices with NaN or infinite entries, which LAPACK's
/// iterations cannot take (PyTorch rejects them too).
extension LAPACK {
  // MARK: eigh

  /// The eigenvalues (ascending, real) and, when `vectors`, orthonormal eigenvectors (columns)
  /// of every Hermitian matrix, read from its lower (or `upper`) triangle, with LAPACK's info
  /// per matrix (`k > 0`: no convergence; the outputs are then NaN).
  ///
  /// The row-major copy is `Aᵀ = conj(A)` in column-major order, read from the opposite
  /// triangle; its eigenvectors are `conj(V)`, stored column by column, so the result is a
  /// column-major view of the buffer (conjugated in place for complex dtypes): no transposition.
  static func eigh(_ a: Tensor, upper: Bool, vectors: Bool) -> (values: Tensor, vectors: Tensor?, info: Tensor) {
    a.dtype.visitLAPACK(EighKernel(a: a, upper: upper, vectors: vectors), op: "eigh")
  }

  private struct EighKernel: LAPACKVisitor {
    let a: Tensor
    let upper: Bool, vectors: Bool

    func visit<T: LAPACKScalar>(_: T.Type) -> (values: Tensor, vectors: Tensor?, info: Tensor) {
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
    a.dtype.visitLAPACK(EigKernel(a: a, vectors: vectors), op: "eig")
  }

  private struct EigKernel: LAPACKVisitor {
    let a: Tensor
    let vectors: Bool

    func visit<T: LAPACKScalar>(_: T.Type) -> (values: Tensor, vectors: Tensor?, info: Tensor) {
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
  }
}
