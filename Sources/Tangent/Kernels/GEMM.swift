internal import CKernels
import CLapack
import ComplexModule
import RealModule

/// A scalar type that BLAS multiplies. Its four conformances are the only place in Tangent
/// where the s/d/c/z names of BLAS appear; everything else is generic.
protocol BLASScalar: NumericScalar {
  /// `C ← α·op(A)·op(B) + β·C` on row-major matrices (`cblas_?gemm` with `CblasRowMajor`).
  static func gemm(
    _ transA: CBLAS_TRANSPOSE, _ transB: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ k: Int32, alpha: Self,
    _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafePointer<Self>, _ ldb: Int32, beta: Self,
    _ c: UnsafeMutablePointer<Self>, _ ldc: Int32)
}

extension Float: BLASScalar {
  @inline(__always) static func gemm(
    _ transA: CBLAS_TRANSPOSE, _ transB: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ k: Int32, alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafePointer<Float>, _ ldb: Int32, beta: Float,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int32
  ) {
    cblas_sgemm(CblasRowMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }
}

extension Double: BLASScalar {
  @inline(__always) static func gemm(
    _ transA: CBLAS_TRANSPOSE, _ transB: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ k: Int32, alpha: Double,
    _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafePointer<Double>, _ ldb: Int32, beta: Double,
    _ c: UnsafeMutablePointer<Double>, _ ldc: Int32
  ) {
    cblas_dgemm(CblasRowMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }
}

extension Complex: BLASScalar where RealType: RealScalar {
  @inline(__always) static func gemm(
    _ transA: CBLAS_TRANSPOSE, _ transB: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ k: Int32, alpha: Complex,
    _ a: UnsafePointer<Complex>, _ lda: Int32, _ b: UnsafePointer<Complex>, _ ldb: Int32, beta: Complex,
    _ c: UnsafeMutablePointer<Complex>, _ ldc: Int32
  ) {
    // swift-numerics' Complex is two consecutive reals, the C99/BLAS layout.
    withUnsafePointer(to: alpha) { al in
      withUnsafePointer(to: beta) { be in
        if RealType.self == Float.self {
          cblas_cgemm(CblasRowMajor, transA, transB, m, n, k, al, a, lda, b, ldb, be, c, ldc)
        } else {
          cblas_zgemm(CblasRowMajor, transA, transB, m, n, k, al, a, lda, b, ldb, be, c, ldc)
        }
      }
    }
  }
}

/// Batched matrix multiplication: BLAS for floating dtypes, a plain loop for `int64`.
///
/// Operands keep their layout whenever BLAS can read it: a matrix whose last two dims are
/// row-contiguous is passed as is, one that is column-contiguous (a transposed view) with a
/// transpose flag, and a requested conjugation becomes a conjugate(-transpose) flag, so
/// `a @ b.mT` or `a.mH @ b` copy nothing. Leading (batch) dims broadcast, and batches may be
/// strided or zero-strided (expanded). Only operands BLAS cannot address (such as zero or
/// irregular strides inside a matrix) are copied.
enum GEMM {
  /// `op(a) @ op(b)` over the last two dims, with the leading dims broadcast, where `op`
  /// conjugates when the flag is set (complex dtypes only; ignored for real ones).
  ///
  /// - Parameters:
  ///   - a: `[..., m, k]`, at least 2-d.
  ///   - b: `[..., k, n]`, at least 2-d, of `a`'s dtype.
  ///   - alpha: a real factor applied to the product (BLAS's α, so it costs nothing).
  /// - Returns: a new contiguous `[batch..., m, n]` tensor, where `batch` is the broadcast of
  ///   the leading dims.
  /// - Precondition: the dtypes match and are floating or `int64`, the inner dimensions agree
  ///   and the batch dims broadcast.
  static func matmul(_ a: Tensor, _ b: Tensor, conjugateA: Bool = false, conjugateB: Bool = false, alpha: Double = 1) -> Tensor {
    check(a.rank >= 2 && b.rank >= 2, "matmul: GEMM needs matrices, got \(a.shape) @ \(b.shape)")
    check(a.dtype == b.dtype, "matmul: dtypes differ: \(a.dtype) \(a.shape) @ \(b.dtype) \(b.shape)")
    let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
    check(k == b.shape[b.rank - 2], "matmul: inner dimensions differ: \(a.shape) @ \(b.shape)")
    guard let batch = Shape.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2))) else {
      misuse("matmul: batch dimensions do not broadcast: \(a.shape) @ \(b.shape)")
    }
    switch a.dtype {
    case .float32: return blas(a, b, batch, m, k, n, conjugateA, conjugateB, Float.self, alpha: alpha)
    case .float64: return blas(a, b, batch, m, k, n, conjugateA, conjugateB, Double.self, alpha: alpha)
    case .complex64: return blas(a, b, batch, m, k, n, conjugateA, conjugateB, Complex<Float>.self, alpha: alpha)
    case .complex128: return blas(a, b, batch, m, k, n, conjugateA, conjugateB, Complex<Double>.self, alpha: alpha)
    case .int64:
      check(alpha == 1, "matmul: a scaled int64 product is not supported")
      return loop(a, b, batch, m, k, n)
    case .bool: misuse("matmul: bool tensors cannot be multiplied (\(a.shape) @ \(b.shape)); convert them first")
    }
  }

  /// How BLAS reads one operand's matrices.
  struct Layout {
    /// The transpose flag: `NoTrans` for row-contiguous matrices, `Trans` for column-contiguous
    /// ones, and the conjugating variants.
    var trans: CBLAS_TRANSPOSE
    /// The leading dimension.
    var ld: Int
    /// Whether the matrices are stored transposed (column-contiguous).
    var isTransposed: Bool
  }

  /// The BLAS layout of a rows × cols matrix with these strides, or `nil` when it is neither
  /// row- nor column-contiguous.
  static func layout(rows: Int, cols: Int, rowStride: Int, colStride: Int, conjugate: Bool) -> Layout? {
    if (cols == 1 || colStride == 1) && (rows == 1 || rowStride >= Swift.max(cols, 1)) {
      return Layout(
        trans: conjugate ? CblasConjNoTrans : CblasNoTrans, ld: rows == 1 ? Swift.max(cols, 1) : rowStride,
        isTransposed: false)
    }
    if (rows == 1 || rowStride == 1) && (cols == 1 || colStride >= Swift.max(rows, 1)) {
      return Layout(
        trans: conjugate ? CblasConjTrans : CblasTrans, ld: cols == 1 ? Swift.max(rows, 1) : colStride,
        isTransposed: true)
    }
    return nil
  }

  /// An operand BLAS can read: the tensor itself, or a contiguous copy.
  static func blasOperand(_ t: Tensor, conjugate: Bool) -> (Tensor, Layout) {
    let r = t.rank
    if let l = layout(rows: t.shape[r - 2], cols: t.shape[r - 1], rowStride: t.strides[r - 2], colStride: t.strides[r - 1], conjugate: conjugate) {
      return (t, l)
    }
    let c = t.contiguousValues()
    return (c, layout(rows: t.shape[r - 2], cols: t.shape[r - 1], rowStride: c.strides[r - 2], colStride: c.strides[r - 1], conjugate: conjugate)!)
  }

  /// Whether `t`'s leading dims and its row dim merge into one dim of stride `ld` (so a batch
  /// of row-major matrices is one tall matrix).
  static func batchMergesIntoRows(_ t: Tensor, ld: Int) -> Bool {
    var expected = ld
    var d = t.rank - 2
    while d > 0 {
      expected &*= t.shape[d]
      d -= 1
      if t.shape[d] != 1 && t.strides[d] != expected { return false }
    }
    return true
  }

  /// Checks that BLAS's 32-bit integers hold a size.
  @inline(__always) static func blasInt(_ v: Int, _ a: Tensor, _ b: Tensor) -> Int32 {
    guard let i = Int32(exactly: v) else {
      misuse("matmul: \(a.shape) @ \(b.shape) exceeds the 32-bit sizes of BLAS (\(v))")
    }
    return i
  }

  /// Products below this many multiply-adds per matrix run batches in parallel (BLAS itself
  /// runs them single-threaded); above, BLAS threads each product.
  static let smallProduct = 1 << 16

  static func blas<T: BLASScalar>(
    _ a: Tensor, _ b: Tensor, _ batch: [Int], _ m: Int, _ k: Int, _ n: Int, _ conjA: Bool, _ conjB: Bool, _: T.Type,
    alpha: Double = 1
  ) -> Tensor {
    let out = Tensor(uninitializedShape: batch + [m, n], dtype: a.dtype)
    if out.count == 0 { return out }
    let pc = out.pointer(as: T.self)
    if k == 0 {
      pc.initialize(repeating: T.zeroValue, count: out.count)
      return out
    }
    let complex = a.dtype.isComplex
    let (ta, la) = blasOperand(a, conjugate: complex && conjA)
    let (tb, lb) = blasOperand(b, conjugate: complex && conjB)
    let pa = UnsafePointer(ta.pointer(as: T.self)), pb = UnsafePointer(tb.pointer(as: T.self))
    let scale = T(fromDouble: alpha), zero = T.zeroValue
    if Shape.count(batch) == 1 && rowCombination(pa, la, pb, lb, pc, m, k, n, alpha: alpha) { return out }
    let bs = tb.broadcastBatchStrides(to: batch)
    // A batch of row-major `a` times one shared `b`: one tall product.
    if !la.isTransposed && bs.allSatisfy({ $0 == 0 }) && Array(ta.shape.dropLast(2)) == batch && batchMergesIntoRows(ta, ld: la.ld) {
      let rows = Shape.count(batch) * m
      T.gemm(
        la.trans, lb.trans, blasInt(rows, a, b), blasInt(n, a, b), blasInt(k, a, b), alpha: scale, pa, blasInt(la.ld, a, b),
        pb, blasInt(lb.ld, a, b), beta: zero, pc, blasInt(n, a, b))
      return out
    }
    // One shared `a` times a batch of `b` (a weight times chunked tangents, as in jacfwd and
    // hessian): one wide product [m, k] × [k, batch·n] instead of a batch of thin ones.
    let batchCount = Shape.count(batch)
    if batchCount > 1 && a.rank >= 2 && b.rank >= 2 && ta.broadcastBatchStrides(to: batch).allSatisfy({ $0 == 0 })
      && !bs.allSatisfy({ $0 == 0 }) && m &* k &* n < 1 << 22 {
      let a2 = a.view(shape: [m, k], strides: Array(a.strides.suffix(2)), offset: a.offset)
      // A batch of column vectors (a matrix times K chunked vector tangents): the transposed
      // product [batch, k] × aᵀ lands in the output's own layout, with no copies at all.
      if n == 1, Array(b.shape.dropLast(2)) == batch, let rows = b.reshapedView([batchCount, k]) {
        let aT = a2.view(shape: [k, m], strides: [a2.strides[1], a2.strides[0]], offset: a2.offset)
        let c = blas(rows, aT, [], batchCount, k, m, conjB, conjA, T.self, alpha: alpha)
        return c.reshapedView(batch + [m, 1])!
      }
      let full = b.expandedView(to: batch + [k, n], op: "matmul")
      let perm = [batch.count] + Array(0..<batch.count) + [batch.count + 1]
      let columns = full.view(shape: perm.map { full.shape[$0] }, strides: perm.map { full.strides[$0] }, offset: full.offset)
        .contiguousValues().reshapedView([k, batchCount * n])!
      let c = blas(a2, columns, [], m, k, batchCount * n, conjA, conjB, T.self, alpha: alpha).reshapedView([m] + batch + [n])!
      let back = Array(1...batch.count) + [0, batch.count + 1]
      return c.view(shape: back.map { c.shape[$0] }, strides: back.map { c.strides[$0] }, offset: 0).contiguousValues()
    }
    let lda = blasInt(la.ld, a, b), ldb = blasInt(lb.ld, a, b), ldc = blasInt(n, a, b)
    let mi = blasInt(m, a, b), ni = blasInt(n, a, b), ki = blasInt(k, a, b)
    let offsets = StridedRows.offsets(shape: batch, ta.broadcastBatchStrides(to: batch), bs, out.broadcastBatchStrides(to: batch))
    let count = offsets.count / 3
    let body = { (r: Range<Int>) in
      for i in r {
        T.gemm(
          la.trans, lb.trans, mi, ni, ki, alpha: scale, pa + offsets[3 &* i], lda, pb + offsets[3 &* i + 1], ldb, beta: zero,
          pc + offsets[3 &* i + 2], ldc)
      }
    }
    if m &* n &* k < smallProduct {
      Parallel.forChunks(count, cost: m &* n &* k / 8, body)
    } else {
      body(0..<count)
    }
    return out
  }

  /// The fewest columns for which ``rowCombination(_:_:_:_:_:_:_:_:alpha:)`` runs a product.
  static let rowCombinationMinColumns = 16

  /// One product `op(A) @ op(B)` that is a combination of a stored matrix's rows: a transposed
  /// matrix times a column vector (Aᵀx, as the gradient X^T r of a linear model) or a row
  /// vector times a row-major matrix (xᵀB), in float32 or float64, with at least
  /// `rowCombinationMinColumns` output elements. One pass over the rows (`tg_axpy_rows`,
  /// CKernels/MatrixVector.c), where OpenBLAS takes its single-threaded small-matrix GEMM
  /// kernel at about half the speed (float32, 10⁴ × 100: 49 µs against 88 µs).
  ///
  /// - Returns: whether it computed the product into `pc` (false: BLAS must).
  static func rowCombination<T: BLASScalar>(
    _ pa: UnsafePointer<T>, _ la: Layout, _ pb: UnsafePointer<T>, _ lb: Layout, _ pc: UnsafeMutablePointer<T>,
    _ m: Int, _ k: Int, _ n: Int, alpha: Double
  ) -> Bool {
    guard T.self == Float.self || T.self == Double.self else { return false }
    // The stored rows (k of them, `len` long, `ld` apart) and the coefficients (stride `inc`).
    let rows: UnsafePointer<T>, ld: Int, len: Int, x: UnsafePointer<T>, inc: Int
    if n == 1 && la.isTransposed && m >= rowCombinationMinColumns {
      // A(i, j) = pa[i + j·lda]: row j of the storage is column j of A.
      (rows, ld, len, x, inc) = (pa, la.ld, m, pb, lb.isTransposed ? 1 : lb.ld)
    } else if m == 1 && !lb.isTransposed && n >= rowCombinationMinColumns {
      (rows, ld, len, x, inc) = (pb, lb.ld, n, pa, la.isTransposed ? la.ld : 1)
    } else {
      return false
    }
    if T.self == Float.self {
      let f = { (p: UnsafePointer<T>) in UnsafeRawPointer(p).assumingMemoryBound(to: Float.self) }
      let y = UnsafeMutableRawPointer(pc).assumingMemoryBound(to: Float.self)
      tg_axpy_rows_f(f(rows), ld, f(x), inc, y, k, len)
      if alpha != 1 { for j in 0..<len { y[j] *= Float(alpha) } }
    } else {
      let d = { (p: UnsafePointer<T>) in UnsafeRawPointer(p).assumingMemoryBound(to: Double.self) }
      let y = UnsafeMutableRawPointer(pc).assumingMemoryBound(to: Double.self)
      tg_axpy_rows_d(d(rows), ld, d(x), inc, y, k, len)
      if alpha != 1 { for j in 0..<len { y[j] *= alpha } }
    }
    return true
  }

  /// The `int64` product (wrapping): an i-k-j loop over any strides (the inner loop
  /// vectorises when the output row and `b`'s rows are contiguous).
  static func loop(_ a: Tensor, _ b: Tensor, _ batch: [Int], _ m: Int, _ k: Int, _ n: Int) -> Tensor {
    let out = Tensor(uninitializedShape: batch + [m, n], dtype: a.dtype)
    if out.count == 0 { return out }
    let pc = out.pointer(as: Int64.self)
    pc.initialize(repeating: 0, count: out.count)
    let pa = UnsafePointer(a.pointer(as: Int64.self)), pb = UnsafePointer(b.pointer(as: Int64.self))
    let (ar, ac) = (a.strides[a.rank - 2], a.strides[a.rank - 1])
    let (br, bc) = (b.strides[b.rank - 2], b.strides[b.rank - 1])
    let offsets = StridedRows.offsets(
      shape: batch, a.broadcastBatchStrides(to: batch), b.broadcastBatchStrides(to: batch), out.broadcastBatchStrides(to: batch))
    for t in 0..<(offsets.count / 3) {
      let x = pa + offsets[3 * t], y = pb + offsets[3 * t + 1], z = pc + offsets[3 * t + 2]
      for i in 0..<m {
        let zi = z + i &* n
        for p in 0..<k {
          let s = x[i &* ar + p &* ac]
          let yp = y + p &* br
          for j in 0..<n { zi[j] = zi[j] &+ s &* yp[j &* bc] }
        }
      }
    }
    return out
  }
}

extension Tensor {
  /// The strides of the leading (batch) dims, before the last `inner` (item) dims, as seen
  /// from a broadcast batch shape: 0 along dims this tensor lacks or has as 1.
  func broadcastBatchStrides(to batch: [Int], inner: Int = 2) -> [Int] {
    let own = rank - inner
    let lead = batch.count - own
    var out = [Int](repeating: 0, count: batch.count)
    for i in 0..<own where shape[i] != 1 { out[lead + i] = strides[i] }
    return out
  }
}

/// The BLAS library behind ``Tensor/matmul(_:)``, for diagnostics and benchmarks.
public enum BLASInfo {
  /// OpenBLAS's build configuration and the kernel set it chose for this CPU, such as
  /// `OpenBLAS 0.3.21 … (core: Haswell)`. Set `OPENBLAS_CORETYPE` to override the choice.
  public static var description: String {
    let config = openblas_get_config().map { String(cString: $0) } ?? "unknown BLAS"
    return "\(config) (core: \(coreName))"
  }

  /// The number of threads OpenBLAS runs (`OPENBLAS_NUM_THREADS`, default: the core count).
  public static var threads: Int { Int(openblas_get_num_threads()) }

  /// The kernel set OpenBLAS chose for this CPU, such as `Haswell` or `SkylakeX`
  /// (`OPENBLAS_CORETYPE` pins it when the library loads).
  public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }
}
