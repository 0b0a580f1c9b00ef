import CLapack
import ComplexModule
import RealModule

/// Kernels for the derivative rules of ``Linalg``: products and inverses of saved factors that
/// a first-order rule (nothing to record) runs on LAPACK and BLAS directly, in place in one new
/// buffer, instead of composing differentiable ops.
extension LAPACK {
  // MARK: Inverse from LU factors

  /// The inverse `M⁻¹` of every `M = P L U` from its packed factors and 1-based pivots (as
  /// ``luFactor(_:ofTranspose:)`` returns them), by `?getri`, as a column-major view of a new
  /// buffer; `nil` when some `U` has an exactly zero pivot (a singular `M`), for callers that
  /// then take a division-free path.
  static func luInverse(lu: Tensor, pivots: Tensor) -> Tensor? {
    if lu.isBatched || pivots.isBatched {
      return Batching.overLeadingBatch([lu, pivots]) { p in luInverse(lu: p[0], pivots: p[1]).map { [$0] } }?[0]
    }
    return lu.dtype.visitLAPACK(LUInverseKernel(lu: lu, pivots: pivots), op: "LU inverse")
  }

  private struct LUInverseKernel: LAPACKVisitor {
    let lu: Tensor, pivots: Tensor

    func visit<T: LAPACKScalar>(_: T.Type) -> Tensor? {
      let n = lu.shape[lu.rank - 1]
      let batch = batchShape(lu)
      let count = Shape.count(batch)
      // ?getri overwrites column-major factors: the column-major copy is a transposed view of
      // a row-major copy of the transposed view.
      let buffer = transposedView(lu).contiguousValues()
      if buffer.count == 0 { return transposedView(buffer) }
      let p = buffer.pointer(as: T.self)
      for b in 0..<count {
        for i in 0..<n where p[b * n * n + i * (n + 1)] == T.zeroValue { return nil }
      }
      let vo = batchOffsets(pivots, inner: 1, batch: batch)
      let pv = UnsafePointer(pivots.pointer(as: Int64.self)), ps = pivots.strides[pivots.rank - 1]
      let n32 = lapackInt(n, "LU inverse")
      var query = T.zeroValue
      var dummy: Int32 = 0
      _ = T.getri(n32, p, n32, &dummy, &query, -1)
      let lwork = Swift.max(Int(query.realPart), n, 1)
      forBatch(count, work: n * n * n) { range in
        var ipiv = [Int32](repeating: 0, count: n)
        var work = [T](repeating: T.zeroValue, count: lwork)
        for b in range {
          for i in 0..<n { ipiv[i] = Int32(truncatingIfNeeded: pv[vo[b] + i * ps]) }
          // The pivots are all non-zero, so ?getri succeeds.
          _ = T.getri(n32, p + b * n * n, n32, ipiv, &work, Int32(lwork))
        }
      }
      return transposedView(buffer)
    }
  }

  // MARK: Trace of a product

  /// `tr(X Y) = Σᵢⱼ Xⱼᵢ Yᵢⱼ` for every pair of square matrices (any layouts; the batch dims
  /// broadcast), as a tensor of the batch shape: one pass, no product formed.
  static func traceOfProduct(_ x: Tensor, _ y: Tensor) -> Tensor {
    x.dtype.visitLAPACK(TraceOfProductKernel(x: x, y: y), op: "trace of a product")
  }

  private struct TraceOfProductKernel: LAPACKVisitor {
    let x: Tensor, y: Tensor

    func visit<T: LAPACKScalar>(_: T.Type) -> Tensor {
      check(x.dtype == y.dtype, "trace of a product: dtypes differ, \(x.dtype) and \(y.dtype)")
      let n = x.shape[x.rank - 1]
      guard let batch = Shape.broadcast(batchShape(x), batchShape(y)) else {
        misuse("trace of a product: batch dims of \(x.shape) and \(y.shape) do not broadcast")
      }
      let out = Tensor(uninitializedShape: batch, dtype: x.dtype)
      let po = out.pointer(as: T.self)
      let xo = batchOffsets(x, inner: 2, batch: batch), yo = batchOffsets(y, inner: 2, batch: batch)
      let px = UnsafePointer(x.pointer(as: T.self)), py = UnsafePointer(y.pointer(as: T.self))
      // Row i of Y against column i of X, into four partial sums (one running sum would wait on
      // the latency of every addition).
      let (xr, xc) = (x.strides[x.rank - 2], x.strides[x.rank - 1]), (yr, yc) = (y.strides[y.rank - 2], y.strides[y.rank - 1])
      for b in 0..<Shape.count(batch) {
        var s0 = T.zeroValue, s1 = T.zeroValue, s2 = T.zeroValue, s3 = T.zeroValue
        for i in 0..<n {
          let row = py + yo[b] + i * yr, column = px + xo[b] + i * xc
          var j = 0
          while j + 4 <= n {
            s0 = s0 + column[j * xr] * row[j * yc]
            s1 = s1 + column[(j + 1) * xr] * row[(j + 1) * yc]
            s2 = s2 + column[(j + 2) * xr] * row[(j + 2) * yc]
            s3 = s3 + column[(j + 3) * xr] * row[(j + 3) * yc]
            j += 4
          }
          while j < n {
            s0 = s0 + column[j * xr] * row[j * yc]
            j += 1
          }
        }
        po[b] = (s0 + s1) + (s2 + s3)
      }
      return out
    }
  }

  // MARK: Cholesky tangent

  /// The tangent `dL = L Φ(L⁻¹ dA L⁻ᴴ)` of Cholesky factors `L` (`upper: false`; for `upper`
  /// the factors are `U = Lᴴ` and the result is `dU = dLᴴ`), where `Φ` keeps the lower
  /// triangle and halves the diagonal: two triangular solves, one pass for `Φ` and a
  /// triangular product, in place in one copy of `dA`. The batch dims broadcast (a chunk dim
  /// of the tangent included).
  static func choleskyTangent(factor: Tensor, tangent: Tensor, upper: Bool) -> Tensor {
    factor.dtype.visitLAPACK(CholeskyTangentKernel(factor: factor, tangent: tangent, upper: upper), op: "cholesky")
  }

  private struct CholeskyTangentKernel: LAPACKVisitor {
    let factor: Tensor, tangent: Tensor
    let upper: Bool

    func visit<T: LAPACKScalar>(_: T.Type) -> Tensor {
      let n = factor.shape[factor.rank - 1]
      guard let batch = Shape.broadcast(batchShape(factor), batchShape(tangent)) else {
        misuse("cholesky: batch dims of the factor \(factor.shape) and the tangent \(tangent.shape) do not broadcast")
      }
      let w = tangent.expandedView(to: batch + [n, n], op: "cholesky").contiguousValues()
      if w.count == 0 { return w }
      let f = Operand(factor)
      let offsets = batchOffsets(f.tensor, inner: 2, batch: batch)
      let pf = UnsafePointer(f.tensor.pointer(as: T.self)), pw = w.pointer(as: T.self)
      let complex = T.dtype.isComplex
      // With L = F (lower) or L = Fᴴ (upper), each step uses F's own triangle.
      let (tri, plain) = f.flags(upper: upper, op: .none, complex: complex)
      let (_, adjoint) = f.flags(upper: upper, op: .adjoint, complex: complex)
      let n32 = lapackInt(n, "cholesky"), ld = lapackInt(f.ld, "cholesky")
      let half = T(fromDouble: 0.5)
      forBatch(Shape.count(batch), work: 3 * n * n * n) { range in
        for t in range {
          let a = pf + offsets[t], m = pw + t * n * n
          // Y = L⁻¹ dA L⁻ᴴ.
          T.trsm(CblasLeft, tri, upper ? adjoint : plain, CblasNonUnit, n32, n32, a, ld, m, n32)
          T.trsm(CblasRight, tri, upper ? plain : adjoint, CblasNonUnit, n32, n32, a, ld, m, n32)
          if upper {
            // Φ(Y)ᴴ (upper triangular) in place, then dU = Φ(Y)ᴴ U.
            for i in 0..<n {
              m[i * n + i] = m[i * n + i].conjugated * half
              for j in (i + 1)..<Swift.max(n, i + 1) {
                m[i * n + j] = m[j * n + i].conjugated
                m[j * n + i] = T.zeroValue
              }
            }
            T.trmm(CblasRight, tri, plain, CblasNonUnit, n32, n32, a, ld, m, n32)
          } else {
            // Φ(Y) in place, then dL = L Φ(Y).
            for i in 0..<n {
              m[i * n + i] = m[i * n + i] * half
              (m + i * n + i + 1).update(repeating: T.zeroValue, count: n - i - 1)
            }
            T.trmm(CblasLeft, tri, plain, CblasNonUnit, n32, n32, a, ld, m, n32)
          }
        }
      }
      return w
    }
  }
}
