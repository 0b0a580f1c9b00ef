import ComplexModule
import RealModule

/// Kernels of the selection reductions (sort, top-k, k-th value, median, running extrema):
/// per-line orderings as `int64` indices, and gathering and scatter-adding along a dim by an
/// index tensor.
enum SelectionKernels {
  // MARK: Gather and scatter

  /// yᵢ = x at index `indices`ᵢ along `dim` (non-negative), other coordinates unchanged:
  /// PyTorch's `gather`. `indices` has the output's shape, which is `x`'s except along `dim`.
  static func gather(_ x: Tensor, dim: Int, indices: Tensor) -> Tensor {
    x.dtype.visit(GatherVisitor(x: x, dim: dim, indices: indices))
  }

  struct GatherVisitor: ScalarVisitor {
    let x: Tensor
    let dim: Int
    let indices: Tensor
    func visit<T: TensorScalar>(_: T.Type) -> Tensor {
      let out = Tensor(uninitializedShape: indices.shape, dtype: x.dtype)
      if out.count == 0 { return out }
      let k = out.shape[dim], sx = x.strides[dim], si = indices.strides[dim], so = out.strides[dim]
      let px = UnsafePointer(x.pointer(as: T.self)), pi = UnsafePointer(indices.pointer(as: Int64.self))
      let po = out.pointer(as: T.self)
      OpReductionKernels.forEachLine(shape: out.shape, dim: dim, strides: [x.strides, indices.strides, out.strides]) { ox, oi, oo in
        for j in 0..<k { po[oo &+ j &* so] = px[ox &+ Int(pi[oi &+ j &* si]) &* sx] }
      }
      return out
    }
  }

  /// The adjoint of ``gather(_:dim:indices:)``: zeros of `g`'s shape with `size` along `dim`,
  /// with each `g`ᵢ added at index `indices`ᵢ along the dim (repeats accumulate).
  static func scatterAdd(_ g: Tensor, dim: Int, indices: Tensor, size: Int) -> Tensor {
    g.dtype.visitFloating(ScatterAddVisitor(g: g, dim: dim, indices: indices, size: size), op: "scatterAdd")
  }

  struct ScatterAddVisitor: FloatingVisitor {
    let g: Tensor
    let dim: Int
    let indices: Tensor
    let size: Int
    func visit<T: FloatingScalar>(_: T.Type) -> Tensor {
      var shape = g.shape
      shape[dim] = size
      let out = Tensor.zeros(shape, dtype: g.dtype)
      if g.count == 0 { return out }
      let k = g.shape[dim], sg = g.strides[dim], si = indices.strides[dim], so = out.strides[dim]
      let pg = UnsafePointer(g.pointer(as: T.self)), pi = UnsafePointer(indices.pointer(as: Int64.self))
      let po = out.pointer(as: T.self)
      OpReductionKernels.forEachLine(shape: g.shape, dim: dim, strides: [g.strides, indices.strides, out.strides]) { og, oi, oo in
        for j in 0..<k { po[oo &+ Int(pi[oi &+ j &* si]) &* so] += pg[og &+ j &* sg] }
      }
      return out
    }
  }

  // MARK: Orderings

  /// What ``indices(_:dim:kind:)`` computes along each line.
  enum Ordering {
    /// The permutation that sorts the line (stable; NaN counts as the largest value).
    case sorted(descending: Bool)
    /// The index of the lower median (0-d per line), the first NaN's when `ignoringNaN` is
    /// false and the line has one, or the lower median of the other values when it is true.
    case median(ignoringNaN: Bool)
    /// For each position, the index of the running maximum (minimum) so far: the latest on
    /// ties, and the first NaN's once one is seen (PyTorch's `cummax`/`cummin`).
    case running(max: Bool)
  }

  /// `int64` indices along `dim` (non-negative) of `x` (real or integer): `x`'s shape, or size 1
  /// along the dim for a median.
  static func indices(_ x: Tensor, dim: Int, kind: Ordering) -> Tensor {
    if x.autodiff?.batch != nil {
      return Batching.overBatch([x], shape: x.shape) { xs, _ in indices(xs[0], dim: dim + 1, kind: kind) }
    }
    switch x.dtype {
    case .float32: return indices(x, dim: dim, kind: kind, Float.self)
    case .float64: return indices(x, dim: dim, kind: kind, Double.self)
    case .int64: return indices(x, dim: dim, kind: kind, Int64.self)
    case .bool: return indices(x.contiguousValues(dtype: .int64), dim: dim, kind: kind)
    case .complex64, .complex128: misuse("complex numbers have no ordering (got \(x.dtype))")
    }
  }

  static func indices<T: TensorScalar & Comparable>(_ x: Tensor, dim: Int, kind: Ordering, _: T.Type) -> Tensor {
    var shape = x.shape
    if case .median = kind { shape[dim] = 1 }
    let out = Tensor(uninitializedShape: shape, dtype: .int64)
    if out.count == 0 || x.shape[dim] == 0 { return out }
    let n = x.shape[dim], sx = x.strides[dim], so = out.strides[dim]
    let px = UnsafePointer(x.pointer(as: T.self))
    let po = out.pointer(as: Int64.self)
    OpReductionKernels.forEachLine(shape: x.shape, dim: dim, strides: [x.strides, out.strides]) { ox, oo, _ in
      @inline(__always) func value(_ j: Int) -> T { px[ox &+ j &* sx] }
      switch kind {
      case .sorted(let descending):
        // NaN is the largest value; ties keep their order.
        let order = (0..<n).sorted { i, j in
          let a = value(i), b = value(j)
          let aNaN = a != a, bNaN = b != b
          if aNaN || bNaN {
            if aNaN && bNaN { return i < j }
            return descending ? aNaN : bNaN
          }
          if a == b { return i < j }
          return descending ? a > b : a < b
        }
        for j in 0..<n { po[oo &+ j &* so] = Int64(order[j]) }
      case .median(let ignoringNaN):
        var candidates: [Int] = []
        candidates.reserveCapacity(n)
        var firstNaN: Int?
        for j in 0..<n {
          let v = value(j)
          if v != v {
            if firstNaN == nil { firstNaN = j }
          } else {
            candidates.append(j)
          }
        }
        if let firstNaN, !ignoringNaN || candidates.isEmpty {
          po[oo] = Int64(firstNaN)
          return
        }
        candidates.sort { i, j in value(i) == value(j) ? i < j : value(i) < value(j) }
        po[oo] = Int64(candidates[(candidates.count - 1) / 2])
      case .running(let max):
        var best = value(0), at = 0
        po[oo] = 0
        for j in 1..<Swift.max(n, 1) {
          let v = value(j)
          if best == best && (v != v || (max ? v >= best : v <= best)) {
            best = v
            at = j
          }
          po[oo &+ j &* so] = Int64(at)
        }
      }
    }
    return out
  }
}
