import ComplexModule
import RealModule

// Fused elementwise kernels for derivative rules: a chain of elementwise products and sums on
// tangents in one pass over memory instead of one pass (and one temporary) per operation.
// Each gives the same bits as the unfused chain: the same operations in the same order, and
// Swift does not contract `x * y + z` into a fused multiply-add.

extension ElementwiseKernels {
  /// The product rule's tangent `da·b + a·db` in one pass, or `nil` when the operands do not
  /// fit the fused path (the caller then takes the unfused chain).
  ///
  /// It fits plain real tensors of one floating dtype (float32 or float64), all contiguous,
  /// with `a` and `b` of one shape and `da` and `db` of that shape or of `[K] + shape` (chunked
  /// tangents, against which the primals repeat). That is the shape of the product rule met in
  /// forward-over-reverse, where a VJP rule multiplies two dual tensors.
  ///
  /// - Returns: a new contiguous tensor of `da`'s shape, equal bit for bit to `da * b + a * db`.
  static func productTangent(a: Tensor, b: Tensor, da: Tensor, db: Tensor) -> Tensor? {
    guard a.autodiff == nil, b.autodiff == nil, da.autodiff == nil, db.autodiff == nil else { return nil }
    let t = a.dtype
    guard t == .float64 || t == .float32, b.dtype == t, da.dtype == t, db.dtype == t else { return nil }
    guard a.shape == b.shape, da.shape == db.shape, da.rank == a.rank || da.rank == a.rank + 1,
      Array(da.shape.suffix(a.rank)) == a.shape
    else { return nil }
    guard a.isContiguous, b.isContiguous, da.isContiguous, db.isContiguous else { return nil }
    return t.visitReal(ProductTangent(a: a, b: b, da: da, db: db), op: "productTangent")
  }

  /// The loop of ``productTangent(a:b:da:db:)`` at the operands' precision: contiguous pieces
  /// within one period of the primals, split across cores by element.
  private struct ProductTangent: RealVisitor {
    let a, b, da, db: Tensor
    func visit<T: RealScalar>(_: T.Type) -> Tensor {
      let out = Tensor(uninitializedLike: da, dtype: da.dtype)
      let n = out.count, period = a.count
      if n == 0 { return out }
      let pa = UnsafePointer(a.pointer(as: T.self)), pb = UnsafePointer(b.pointer(as: T.self))
      let pda = UnsafePointer(da.pointer(as: T.self)), pdb = UnsafePointer(db.pointer(as: T.self))
      let dst = out.pointer(as: T.self)
      ElementwiseKernels.forFlatChunks(n) { r in
        ElementwiseKernels.forEachPeriodPiece(r, period: period) { i, j, len in
          let x = pda + i, y = pdb + i, z = dst + i, u = pa + j, v = pb + j
          for k in 0..<len {
            let p = x[k] * v[k]
            let q = u[k] * y[k]
            z[k] = p + q
          }
        }
      }
      ReplayRecorder.noteProductTangent(T.self, a: a, b: b, da: da, db: db, y: out)
      return out
    }
  }
}
