import CLapack
import ComplexModule
import RealModule

/// The LU kernels: the factorisation (`?getrf`), solves from the factors, the permutation, the
/// determinant, its sign and log, the adjugate, and the inverse (`?getri`).
extension LAPACK {
  // MARK: LU

  /// The LU factorisation with partial pivoting `M = P L U` of every matrix `M` of `a`
  /// (`ofTranspose: false`) or of its transpose (`true`).
  ///
  /// - Returns: the packed factors (`L` below the diagonal with its unit diagonal implied, `U` on
  ///   and above), as column-major matrices of `M`'s shape; the pivots (`int64`, 1-based, row
  ///   `i` was interchanged with row `pivots[i]`, like LAPACK and PyTorch); and LAPACK's info
  ///   per matrix (`k > 0`: `U[k-1, k-1]` is exactly zero).
  static func luFactor(_ a: Tensor, ofTranspose: Bool) -> (lu: Tensor, pivots: Tensor, info: Tensor) {
    a.dtype.visitLAPACK(LUFactorKernel(a: a, ofTranspose: ofTranspose), op: "LU")
  }

  private struct LUFactorKernel: LAPACKVisitor {
    let a: Tensor
    let ofTranspose: Bool

    func visit<T: LAPACKScalar>(_: T.Type) -> (lu: Tensor, pivots: Tensor, info: Tensor) {
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
  }

  /// Solves `op(M) X = B` (`left`) or `X op(M) = B` with `M = P L U` given by packed factors
  /// (any layout) and 1-based pivots, as `?getrs` does: row (or column) interchanges and two
  /// triangular solves. The batch dims of the factors and of `b` broadcast.
  ///
  /// - Parameters:
  ///   - b: `[..., n, k]` (`left`) or `[..., k, n]`.
  /// - Returns: a new contiguous `X` of `b`'s matrix shape and the broadcast batch.
  static func luSolve(lu: Tensor, pivots: Tensor, b: Tensor, left: Bool, op: MatrixOp) -> Tensor {
    if lu.isBatched || pivots.isBatched || b.isBatched {
      return Batching.overLeadingBatch([lu, pivots, b]) { p in [luSolve(lu: p[0], pivots: p[1], b: p[2], left: left, op: op)] }![0]
    }
    return b.dtype.visitLAPACK(LUSolveKernel(lu: lu, pivots: pivots, b: b, left: left, op: op), op: "LU solve")
  }

  private struct LUSolveKernel: LAPACKVisitor {
    let lu: Tensor, pivots: Tensor, b: Tensor
    let left: Bool
    let op: MatrixOp

    func visit<T: LAPACKScalar>(_: T.Type) -> Tensor {
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
  }

  /// The permutation matrices `P` of `M = P L U` for `m`-row matrices, from 1-based pivots.
  static func permutation(pivots: Tensor, rows m: Int, dtype: DType) -> Tensor {
    // Pivots batched by vmap: every member's permutation, the batch as a leading dim.
    if pivots.autodiff?.batch != nil {
      return Batching.overBatch([pivots], shape: pivots.shape) { xs, _ in permutation(pivots: xs[0], rows: m, dtype: dtype) }
    }
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
    lu.dtype.visitLAPACK(DeterminantKernel(lu: lu, pivots: pivots), op: "det")
  }

  private struct DeterminantKernel: LAPACKVisitor {
    let lu: Tensor, pivots: Tensor

    func visit<T: LAPACKScalar>(_: T.Type) -> Tensor {
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
  }

  /// The sign (phase, for complex dtypes) and log absolute value of the determinant of
  /// `M = P L U`; a singular matrix gives sign 0 and −∞.
  static func signAndLogAbsDet(lu: Tensor, pivots: Tensor) -> (sign: Tensor, logAbsDet: Tensor) {
    lu.dtype.visitLAPACK(SignAndLogAbsDetKernel(lu: lu, pivots: pivots), op: "slogdet")
  }

  private struct SignAndLogAbsDetKernel: LAPACKVisitor {
    let lu: Tensor, pivots: Tensor

    func visit<T: LAPACKScalar>(_: T.Type) -> (sign: Tensor, logAbsDet: Tensor) {
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
  }

  /// The adjugate `adj(M) = det(M) M⁻¹` of `M = P L U`, exact for singular matrices too:
  /// `adj(M) = adj(U) L⁻¹ det(P) Pᵀ`, where `adj(U)` comes from a division-free recurrence
  /// (the cofactors of a triangular matrix), so a zero pivot gives the true adjugate rather
  /// than 0 · ∞.
  static func adjugate(lu: Tensor, pivots: Tensor) -> Tensor {
    if lu.isBatched || pivots.isBatched {
      return Batching.overLeadingBatch([lu, pivots]) { p in [adjugate(lu: p[0], pivots: p[1])] }![0]
    }
    return lu.dtype.visitLAPACK(AdjugateKernel(lu: lu, pivots: pivots), op: "adjugate")
  }

  private struct AdjugateKernel: LAPACKVisitor {
    let lu: Tensor, pivots: Tensor

    func visit<T: LAPACKScalar>(_: T.Type) -> Tensor {
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
  }

  // MARK: Inverse

  /// The inverse of every matrix, with LAPACK's info (`k > 0`: singular; the matrix is then
  /// filled with NaN).
  ///
  /// A row-major `a` is `aᵀ` in column-major order, and `(aᵀ)⁻¹ = (a⁻¹)ᵀ`: LAPACK inverts
  /// the transpose in place and the buffer read row-major is `a⁻¹`, with no transposition.
  static func inverse(_ a: Tensor) -> (inverse: Tensor, info: Tensor) {
    a.dtype.visitLAPACK(InverseKernel(a: a), op: "inv")
  }

  private struct InverseKernel: LAPACKVisitor {
    let a: Tensor

    func visit<T: LAPACKScalar>(_: T.Type) -> (inverse: Tensor, info: Tensor) {
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
  }
}
