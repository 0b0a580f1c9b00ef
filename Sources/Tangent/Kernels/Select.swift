import ComplexModule
import RealModule

/// The ternary elementwise driver: `f(c, a, b)` over three broadcast operands, such as
/// `where(condition, a, b)`.
enum TernaryKernels {
  /// Applies `f` to triples of elements of `c` (type `C`) and `a`, `b` (type `T`), broadcast to
  /// `shape`, giving a new contiguous tensor of `outDType`.
  ///
  /// The three inputs share one ``StridedRows`` plan; the output is written in row-major
  /// order, which is the order the plan visits, so it needs no stride of its own.
  static func map3<C: TensorScalar, T: TensorScalar, U: TensorScalar>(
    _ c: Tensor, _ a: Tensor, _ b: Tensor, shape: [Int], _: C.Type, _: T.Type, to outDType: DType, _: U.Type,
    _ f: (C, T, T) -> U
  ) -> Tensor {
    if c.autodiff?.batch != nil || a.autodiff?.batch != nil || b.autodiff?.batch != nil {
      return withoutActuallyEscaping(f) { f in
        Batching.overBatch([c, a, b], shape: shape) { map3($0[0], $0[1], $0[2], shape: $1, C.self, T.self, to: outDType, U.self, f) }
      }
    }
    let out = Tensor(uninitializedShape: shape, dtype: outDType)
    let n = out.count
    if n == 0 { return out }
    let pc = UnsafePointer(c.pointer(as: C.self))
    let pa = UnsafePointer(a.pointer(as: T.self))
    let pb = UnsafePointer(b.pointer(as: T.self))
    let dst = out.pointer(as: U.self)
    if c.shape == shape && a.shape == shape && b.shape == shape && c.isContiguous && a.isContiguous && b.isContiguous {
      Parallel.forChunks(n) { r in for i in r { dst[i] = f(pc[i], pa[i], pb[i]) } }
      return out
    }
    let plan = StridedRows(
      shape: shape,
      strides: [c.broadcastStrides(to: shape), a.broadcastStrides(to: shape), b.broadcastStrides(to: shape)])
    let len = plan.length
    let (s0, s1, s2) = plan.step
    Parallel.forChunks(plan.rowCount, cost: len) { rows in
      var row = rows.lowerBound
      plan.forEachRow(in: rows) { o0, o1, o2 in
        let z = dst + row &* len
        let x = pc + o0, y = pa + o1, w = pb + o2
        for i in 0..<len { z[i] = f(x[i &* s0], y[i &* s1], w[i &* s2]) }
        row &+= 1
      }
    }
    return out
  }

  /// `condition ? a : b` elementwise, with broadcasting; `a` and `b` already share a dtype.
  static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor, shape: [Int]) -> Tensor {
    a.dtype.visit(SelectVisitor(condition: condition, a: a, b: b, shape: shape))
  }
}

/// Runs ``TernaryKernels/select(_:_:_:shape:)`` for the operands' dtype.
struct SelectVisitor: ScalarVisitor {
  let condition: Tensor
  let a: Tensor
  let b: Tensor
  let shape: [Int]
  func visit<T: TensorScalar>(_: T.Type) -> Tensor {
    TernaryKernels.map3(condition, a, b, shape: shape, Bool.self, T.self, to: T.dtype, T.self) { $0 ? $1 : $2 }
  }
}
