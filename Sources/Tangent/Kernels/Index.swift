import ComplexModule
import RealModule

/// Gather and scatter-add along one dim, for index selection and its adjoint.
enum IndexKernels {
  /// The slice of `x` at `index` along `dim` (no autodiff state, no checks).
  static func slice(_ x: Tensor, dim: Int, index: Int) -> Tensor {
    var shape = x.shape, strides = x.strides
    shape.remove(at: dim)
    strides.remove(at: dim)
    return x.view(shape: shape, strides: strides, offset: x.offset + index * x.strides[dim])
  }

  /// `x`'s slices at `indices` along `dim`, stacked there, as a new contiguous tensor.
  static func gather(_ x: Tensor, dim: Int, indices: [Int]) -> Tensor {
    var shape = x.shape
    shape[dim] = indices.count
    let out = Tensor(uninitializedShape: shape, dtype: x.dtype)
    if out.count == 0 { return out }
    for (k, i) in indices.enumerated() {
      slice(out, dim: dim, index: k).writeValues(from: slice(x, dim: dim, index: i))
    }
    return out
  }

  /// Adds `source`'s slice `k` to `target`'s slice `indices[k]` along `dim`, in place, in order
  /// (so repeated indices accumulate). `target` must be freshly allocated; both share a dtype.
  static func scatterAdd(into target: Tensor, dim: Int, indices: [Int], source: Tensor) {
    if source.count == 0 { return }
    for (k, i) in indices.enumerated() {
      let dst = slice(target, dim: dim, index: i), src = slice(source, dim: dim, index: k)
      switch target.dtype {
      case .bool: accumulate(dst, src, Bool.self) { $0 || $1 }
      case .int64: accumulate(dst, src, Int64.self, &+)
      case .float32: accumulate(dst, src, Float.self, +)
      case .float64: accumulate(dst, src, Double.self, +)
      case .complex64: accumulate(dst, src, Complex<Float>.self, +)
      case .complex128: accumulate(dst, src, Complex<Double>.self, +)
      }
    }
  }

  /// `dst[i] = combine(dst[i], src[i])` over two tensors of one shape.
  static func accumulate<T>(_ dst: Tensor, _ src: Tensor, _: T.Type, _ combine: (T, T) -> T) {
    let plan = StridedRows(shape: dst.shape, strides: [src.strides, dst.strides])
    let a = UnsafePointer(src.pointer(as: T.self)), b = dst.pointer(as: T.self)
    let n = plan.length
    let (s0, s1, _) = plan.step
    plan.forEachRow(in: 0..<plan.rowCount) { o0, o1, _ in
      for i in 0..<n { b[o1 &+ i &* s1] = combine(b[o1 &+ i &* s1], a[o0 &+ i &* s0]) }
    }
  }
}
