import CLapack
import ComplexModule
import RealModule

/// The Cholesky factorisation (`?potrf`) and the inverse from its factor (`?potri`).
extension LAPACK {
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
    a.dtype.visitLAPACK(CholeskyKernel(a: a, upper: upper), op: "cholesky")
  }

  private struct CholeskyKernel: LAPACKVisitor {
    let a: Tensor
    let upper: Bool

    func visit<T: LAPACKScalar>(_: T.Type) -> (factor: Tensor, info: Tensor) {
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
  }

  /// `(F Fᴴ)⁻¹` for lower-triangular factors (`upper: false`) or `(Fᴴ F)⁻¹` for upper ones,
  /// reading only that triangle of `f`, like `torch.cholesky_inverse` (`?potri`, then the
  /// Hermitian completion).
  static func choleskyInverse(_ f: Tensor, upper: Bool) -> Tensor {
    f.dtype.visitLAPACK(CholeskyInverseKernel(f: f, upper: upper), op: "cholesky_inverse")
  }

  private struct CholeskyInverseKernel: LAPACKVisitor {
    let f: Tensor
    let upper: Bool

    func visit<T: LAPACKScalar>(_: T.Type) -> Tensor {
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
  }
}
