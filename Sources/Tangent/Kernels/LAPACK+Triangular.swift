import CLapack
import ComplexModule
import RealModule

/// Triangular solves (`cblas_?trsm`).
extension LAPACK {
  // MARK: Triangular solves

  /// Solves `op(A) X = B` (`left`) or `X op(A) = B` for triangular `A` (its `upper` or lower
  /// triangle; a unit diagonal is assumed when `unitriangular`), with broadcast batch dims.
  /// Like `torch.linalg.solve_triangular`, a zero on the diagonal gives infinities, not an error.
  static func triangularSolve(_ a: Tensor, _ b: Tensor, upper: Bool, left: Bool, op: MatrixOp, unitriangular: Bool) -> Tensor {
    b.dtype.visitLAPACK(TriangularSolveKernel(a: a, b: b, upper: upper, left: left, op: op, unit: unitriangular), op: "solve_triangular")
  }

  private struct TriangularSolveKernel: LAPACKVisitor {
    let a: Tensor, b: Tensor
    let upper: Bool, left: Bool
    let op: MatrixOp
    let unit: Bool

    func visit<T: LAPACKScalar>(_: T.Type) -> Tensor {
      let n = a.shape[a.rank - 1]
      guard let batch = Shape.broadcast(batchShape(a), batchShape(b)) else {
        misuse("solve_triangular: batch dims of \(a.shape) and \(b.shape) do not broadcast")
      }
      let rows = b.shape[b.rank - 2], cols = b.shape[b.rank - 1]
      let x = b.expandedView(to: batch + [rows, cols], op: "solve_triangular").contiguousValues()
      if x.count == 0 || n == 0 { return x }
      let f = Operand(a)
      let offsets = batchOffsets(f.tensor, inner: 2, batch: batch)
      let pa = UnsafePointer(f.tensor.pointer(as: T.self)), px = x.pointer(as: T.self)
      let (uplo, trans) = f.flags(upper: upper, op: op, complex: T.dtype.isComplex)
      let m32 = lapackInt(rows, "solve_triangular"), n32 = lapackInt(cols, "solve_triangular"), ld = lapackInt(f.ld, "solve_triangular")
      let side = left ? CblasLeft : CblasRight, diag = unit ? CblasUnit : CblasNonUnit
      forBatch(Shape.count(batch), work: n * n * (left ? cols : rows) / 2) { range in
        for t in range { T.trsm(side, uplo, trans, diag, m32, n32, pa + offsets[t], ld, px + t * rows * cols, n32) }
      }
      return x
    }
  }
}
