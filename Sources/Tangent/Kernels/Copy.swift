import ComplexModule
import RealModule

/// Copies and conversions between layouts and dtypes.
enum CopyKernels {
  /// Copies `count` strided elements of type `T` row by row.
  static func copy<T>(_ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, _ plan: StridedRows) {
    if plan.isFlat {
      dst.update(from: src, count: plan.length)
      return
    }
    let n = plan.length
    let (s0, s1, _) = plan.step
    Parallel.forChunks(plan.rowCount, cost: n) { rows in
      plan.forEachRow(in: rows) { o0, o1, _ in
        let a = src + o0
        let b = dst + o1
        if s0 == 1 && s1 == 1 {
          b.update(from: a, count: n)
        } else {
          for i in 0..<n { b[i &* s1] = a[i &* s0] }
        }
      }
    }
  }

  /// Converts `T` to `U` elementwise along a plan.
  static func convert<T: TensorScalar, U: TensorScalar>(
    _ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<U>, _ plan: StridedRows
  ) {
    let n = plan.length
    let (s0, s1, _) = plan.step
    plan.forEachRow(in: 0..<plan.rowCount) { o0, o1, _ in
      let a = src + o0
      let b = dst + o1
      for i in 0..<n { b[i &* s1] = U(doublePair: a[i &* s0].doublePair) }
    }
  }
}

/// Copies raw elements of a given byte width.
struct CopyVisitor: ScalarVisitor {
  let src: Tensor
  let dst: Tensor
  init(src: Tensor, dst: Tensor) { self.src = src; self.dst = dst }
  func visit<T: TensorScalar>(_: T.Type) {
    let plan = StridedRows(shape: src.shape, src.strides, dst.strides)
    CopyKernels.copy(UnsafePointer(src.pointer(as: T.self)), dst.pointer(as: T.self), plan)
  }
}

/// Converts between two dtypes.
struct ConvertVisitor: ScalarVisitor {
  let src: Tensor
  let dst: Tensor
  init(src: Tensor, dst: Tensor) { self.src = src; self.dst = dst }

  struct Inner<T: TensorScalar>: ScalarVisitor {
    let src: Tensor
    let dst: Tensor
    init(src: Tensor, dst: Tensor) { self.src = src; self.dst = dst }
    func visit<U: TensorScalar>(_: U.Type) {
      let plan = StridedRows(shape: src.shape, src.strides, dst.strides)
      CopyKernels.convert(UnsafePointer(src.pointer(as: T.self)), dst.pointer(as: U.self), plan)
    }
  }

  func visit<T: TensorScalar>(_: T.Type) {
    dst.dtype.visit(Inner<T>(src: src, dst: dst))
  }
}

extension Tensor {
  /// A contiguous copy of the values (no autodiff state), in `dtype` if given.
  func contiguousValues(dtype target: DType? = nil) -> Tensor {
    if autodiff?.batch != nil { return Batching.overBatch([self], shape: shape) { xs, _ in xs[0].contiguousValues(dtype: target) } }
    let target = target ?? dtype
    let out = Tensor(uninitializedShape: shape, dtype: target)
    if count == 0 { return out }
    if target == dtype {
      dtype.visit(CopyVisitor(src: self, dst: out))
    } else {
      dtype.visit(ConvertVisitor(src: self, dst: out))
    }
    return out
  }

  /// Writes `source`'s values into this tensor's elements (same shape), in place, converting
  /// the dtype. Internal: callers ensure the storage is uniquely owned.
  func writeValues(from source: Tensor) {
    check(source.shape == shape, "copy: source shape \(source.shape) does not match destination \(shape)")
    if count == 0 { return }
    if source.dtype == dtype {
      dtype.visit(CopyVisitor(src: source, dst: self))
    } else {
      source.dtype.visit(ConvertVisitor(src: source, dst: self))
    }
  }
}
