import ComplexModule
import RealModule

/// Reduction kernels: generic drivers that fold a tensor over some of its dims, with fast
/// paths for whole-tensor reductions and for trailing or leading dims of contiguous tensors,
/// plus the indexed reductions (`max`/`min` along a dim, `argmax`/`argmin`) and the variance.
///
/// Every entry point takes dims that may be negative and in any order, and stops with a
/// message naming the op for dims out of range or repeated. These are kernels only: they know
/// nothing of autodiff (ops with derivative rules are built on top of them).
enum Reductions {
  /// The output shape of reducing `dims` (non-negative, sorted) of `shape`.
  static func reducedShape(_ shape: [Int], dims: [Int], keepdim: Bool) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(keepdim ? shape.count : shape.count - dims.count)
    var j = 0
    for (i, d) in shape.enumerated() {
      if j < dims.count && dims[j] == i {
        j += 1
        if keepdim { out.append(1) }
      } else {
        out.append(d)
      }
    }
    return out
  }

  /// Normalises dims for a reduction: non-negative, sorted, unique (a 0-d tensor accepts 0
  /// and −1, and reduces nothing).
  static func normalizedDims(_ dims: [Int], rank: Int, op: String) -> [Int] {
    if rank == 0 {
      _ = Shape.normalize(dims, rank: 0, op: op)
      return []
    }
    var sorted = true
    for i in dims.indices {
      if dims[i] < 0 || dims[i] >= rank || (i > 0 && dims[i] <= dims[i - 1]) { sorted = false; break }
    }
    return sorted ? dims : Shape.normalize(dims, rank: rank, op: op)
  }

  /// Folds `x` (already of `R.Element`'s dtype) over `dims` (non-negative, sorted, unique)
  /// with `reducer`, into a new contiguous tensor of `outDType`.
  static func reduce<R: Reducer>(_ x: Tensor, dims: [Int], keepdim: Bool, to outDType: DType, _ reducer: R) -> Tensor {
    let rank = x.rank
    let src = UnsafePointer(x.pointer(as: R.Element.self))
    // Everything: one value.
    if dims.count == rank {
      let shape = keepdim ? [Int](repeating: 1, count: rank) : []
      let out = Tensor(storage: Storage(byteCount: outDType.byteCount), shape: shape, strides: shape, offset: 0, dtype: outDType)
      out.pointer(as: R.Element.self).initialize(to: reduceAll(x, src, reducer))
      return out
    }
    let kept = reducedShape(x.shape, dims: dims, keepdim: true)
    let out = Tensor(uninitializedShape: kept, dtype: outDType)
    let dst = out.pointer(as: R.Element.self)
    let count = out.count
    let result = keepdim ? out : out.view(shape: reducedShape(x.shape, dims: dims, keepdim: false), strides: Shape.contiguousStrides(reducedShape(x.shape, dims: dims, keepdim: false)), offset: 0)
    if count == 0 { return result }
    let n = x.count / count  // elements per output (x.count > 0 here)
    if x.count == 0 {
      dst.initialize(repeating: reducer.identity, count: count)
      return result
    }
    if x.isContiguous && dims.last == rank - 1 && dims.first == rank - dims.count {
      // Trailing dims of a contiguous tensor: each output is a contiguous row.
      Parallel.forChunks(count, cost: n) { r in
        for j in r { dst[j] = reducer.reduceContiguous(src + j &* n, n) }
      }
      return result
    }
    if x.isContiguous && dims.first == 0 && dims.last == dims.count - 1 {
      // Leading dims of a contiguous tensor: accumulate whole rows (vectorises), split across
      // cores by output column.
      Parallel.forChunks(count, cost: n) { r in
        let lo = r.lowerBound, hi = r.upperBound
        for i in lo..<hi { dst[i] = src[i] }
        for j in 1..<n {
          let row = src + j &* count
          for i in lo..<hi { dst[i] = reducer.combine(dst[i], row[i]) }
        }
      }
      return result
    }
    // General layout: walk the input in memory order with zero output strides along the
    // reduced dims; rows that are reduced fold with the row loop, others accumulate.
    dst.initialize(repeating: reducer.identity, count: count)
    var ostrides = out.strides
    for d in dims { ostrides[d] = 0 }
    let plan = StridedRows(shape: x.shape, x.strides, ostrides)
    let len = plan.length
    let (sx, so, _) = plan.step
    plan.forEachRow(in: 0..<plan.rowCount) { ox, oo, _ in
      let a = src + ox
      let b = dst + oo
      if so == 0 {
        b[0] = reducer.combine(b[0], reducer.reduceStrided(a, len, sx))
      } else {
        for i in 0..<len { b[i &* so] = reducer.combine(b[i &* so], a[i &* sx]) }
      }
    }
    return result
  }

  /// Reduces every element of `x`; contiguous tensors are split across cores.
  static func reduceAll<R: Reducer>(_ x: Tensor, _ src: UnsafePointer<R.Element>, _ reducer: R) -> R.Element {
    let n = x.count
    if n == 0 { return reducer.identity }
    if x.isContiguous {
      let chunks = Parallel.workers == 1 ? 1 : Swift.max(1, Swift.min(Parallel.workers * 4, n / Parallel.grain))
      if chunks == 1 { return reducer.reduceContiguous(src, n) }
      var partial = [R.Element](repeating: reducer.identity, count: chunks)
      partial.withUnsafeMutableBufferPointer { p in
        Parallel.forChunks(chunks, cost: Parallel.grain) { r in
          for c in r { p[c] = reducer.reduceContiguous(src + n * c / chunks, n * (c + 1) / chunks - n * c / chunks) }
        }
      }
      var acc = partial[0]
      for c in 1..<chunks { acc = reducer.combine(acc, partial[c]) }
      return acc
    }
    let plan = StridedRows(shape: x.shape, x.strides)
    var acc = reducer.identity
    let len = plan.length, step = plan.step.0
    plan.forEachRow(in: 0..<plan.rowCount) { o, _, _ in
      acc = reducer.combine(acc, reducer.reduceStrided(src + o, len, step))
    }
    return acc
  }

  // MARK: Sum and product

  /// Sums `x` over `dims` (negative allowed), like `torch.sum`. Booleans and integers sum to
  /// `int64` (wrapping); floating dtypes keep their dtype. Real sums are pairwise and
  /// vectorised.
  static func sum(_ x: Tensor, dims: [Int], keepdim: Bool) -> Tensor {
    let dims = normalizedDims(dims, rank: x.rank, op: "sum")
    switch x.dtype {
    case .float32: return reduce(x, dims: dims, keepdim: keepdim, to: .float32, SumReducer<Float>())
    case .float64: return reduce(x, dims: dims, keepdim: keepdim, to: .float64, SumReducer<Double>())
    case .complex64: return reduce(x, dims: dims, keepdim: keepdim, to: .complex64, ComplexSumReducer<Float>())
    case .complex128: return reduce(x, dims: dims, keepdim: keepdim, to: .complex128, ComplexSumReducer<Double>())
    case .int64: return reduce(x, dims: dims, keepdim: keepdim, to: .int64, IntegerSumReducer())
    case .bool: return reduce(x.contiguousValues(dtype: .int64), dims: dims, keepdim: keepdim, to: .int64, IntegerSumReducer())
    }
  }

  /// The product of `x` over `dims` (negative allowed), like `torch.prod`. Booleans and
  /// integers give `int64` (wrapping); an empty product is 1.
  static func prod(_ x: Tensor, dims: [Int], keepdim: Bool) -> Tensor {
    let dims = normalizedDims(dims, rank: x.rank, op: "prod")
    switch x.dtype {
    case .float32: return reduce(x, dims: dims, keepdim: keepdim, to: .float32, ProdReducer<Float>())
    case .float64: return reduce(x, dims: dims, keepdim: keepdim, to: .float64, ProdReducer<Double>())
    case .complex64: return reduce(x, dims: dims, keepdim: keepdim, to: .complex64, ComplexProdReducer<Float>())
    case .complex128: return reduce(x, dims: dims, keepdim: keepdim, to: .complex128, ComplexProdReducer<Double>())
    case .int64: return reduce(x, dims: dims, keepdim: keepdim, to: .int64, IntegerProdReducer())
    case .bool: return reduce(x.contiguousValues(dtype: .int64), dims: dims, keepdim: keepdim, to: .int64, IntegerProdReducer())
    }
  }

  /// Sums `x` down to `shape` (which broadcasts to `x.shape` after `leading` kept dims).
  static func sumToShape(_ x: Tensor, _ shape: [Int], keepingLeading leading: Int) -> Tensor {
    let body = x.rank - leading
    check(
      body >= shape.count && Shape.broadcast(Array(x.shape.suffix(body)), shape) == Array(x.shape.suffix(body)),
      "sumToShape: \(x.shape) cannot be summed to \(shape)")
    let extra = body - shape.count
    var dims: [Int] = Array(leading..<(leading + extra))
    for (i, d) in shape.enumerated() where d == 1 && x.shape[leading + extra + i] != 1 {
      dims.append(leading + extra + i)
    }
    let target = Array(x.shape.prefix(leading)) + shape
    if dims.isEmpty { return x.rank == target.count ? x : x.contiguousValues().view(shape: target, strides: Shape.contiguousStrides(target), offset: 0) }
    let s = sum(x, dims: dims, keepdim: true)
    return s.view(shape: target, strides: Shape.contiguousStrides(target), offset: 0)
  }
}
