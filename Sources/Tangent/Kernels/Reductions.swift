import ComplexModule
import RealModule

/// Reduction kernels: one generic driver that walks the input in memory order and folds each
/// element into its output slot, with flat fast paths for whole-row reductions.
enum Reductions {
  /// The output shape of reducing `dims` (non-negative, sorted) of `shape`.
  static func reducedShape(_ shape: [Int], dims: [Int], keepdim: Bool) -> [Int] {
    var out: [Int] = []
    for (i, d) in shape.enumerated() {
      if dims.contains(i) { if keepdim { out.append(1) } } else { out.append(d) }
    }
    return out
  }

  /// Folds `x` over `dims` with `combine`, starting from `initial`. Output is contiguous with
  /// the reduced dims kept as size 1 when `keepdim`.
  static func fold<T: TensorScalar>(
    _ x: Tensor, dims: [Int], keepdim: Bool, _: T.Type, initial: T, rowFold: (UnsafePointer<T>, Int, Int, T) -> T,
    combine: (T, T) -> T
  ) -> Tensor {
    let kept = reducedShape(x.shape, dims: dims, keepdim: true)
    let out = Tensor(uninitializedShape: kept, dtype: x.dtype)
    let dst = out.pointer(as: T.self)
    dst.initialize(repeating: initial, count: out.count)
    if x.count > 0 {
      // Output strides seen from the input: 0 along reduced dims.
      var ostrides = out.strides
      for d in dims { ostrides[d] = 0 }
      let src = UnsafePointer(x.pointer(as: T.self))
      let plan = StridedRows(shape: x.shape, strides: [x.strides, ostrides])
      let n = plan.length
      let (sx, so, _) = plan.step
      if plan.outer.isEmpty && so == 0 {
        // A single reduction over everything, split across cores.
        let chunks = Swift.max(1, Swift.min(Parallel.workers, n / Parallel.grain))
        if chunks > 1 {
          var partial = [T](repeating: initial, count: chunks)
          partial.withUnsafeMutableBufferPointer { p in
            Parallel.forChunks(chunks, cost: Parallel.grain) { r in
              for c in r {
                let lo = n * c / chunks, hi = n * (c + 1) / chunks
                p[c] = rowFold(src + lo &* sx, hi - lo, sx, initial)
              }
            }
          }
          dst[0] = partial.reduce(initial, combine)
        } else {
          dst[0] = rowFold(src, n, sx, initial)
        }
      } else {
        plan.forEachRow(in: 0..<plan.rowCount) { ox, oo, _ in
          let a = src + ox
          let b = dst + oo
          if so == 0 {
            b[0] = rowFold(a, n, sx, b[0])
          } else {
            for i in 0..<n { b[i &* so] = combine(b[i &* so], a[i &* sx]) }
          }
        }
      }
    }
    if keepdim { return out }
    return out.view(shape: reducedShape(x.shape, dims: dims, keepdim: false),
                    strides: Shape.contiguousStrides(reducedShape(x.shape, dims: dims, keepdim: false)), offset: 0)
  }

  /// Sums a strided row of reals with four independent accumulators (vectorises, and is more
  /// accurate than one running sum).
  static func sumRow<T: RealScalar>(_ p: UnsafePointer<T>, _ n: Int, _ s: Int, _ initial: T) -> T {
    var a0: T = 0, a1: T = 0, a2: T = 0, a3: T = 0
    var i = 0
    if s == 1 {
      while i + 4 <= n {
        a0 += p[i]; a1 += p[i + 1]; a2 += p[i + 2]; a3 += p[i + 3]
        i += 4
      }
      while i < n { a0 += p[i]; i += 1 }
    } else {
      while i < n { a0 += p[i &* s]; i += 1 }
    }
    return initial + ((a0 + a1) + (a2 + a3))
  }

  /// Sums `x` over `dims` (non-negative, sorted).
  static func sum(_ x: Tensor, dims: [Int], keepdim: Bool) -> Tensor {
    switch x.dtype {
    case .float32: return fold(x, dims: dims, keepdim: keepdim, Float.self, initial: 0, rowFold: sumRow, combine: +)
    case .float64: return fold(x, dims: dims, keepdim: keepdim, Double.self, initial: 0, rowFold: sumRow, combine: +)
    case .complex64:
      return fold(x, dims: dims, keepdim: keepdim, Complex<Float>.self, initial: .zero, rowFold: { p, n, s, i in
        var acc = i
        for k in 0..<n { acc += p[k &* s] }
        return acc
      }, combine: +)
    case .complex128:
      return fold(x, dims: dims, keepdim: keepdim, Complex<Double>.self, initial: .zero, rowFold: { p, n, s, i in
        var acc = i
        for k in 0..<n { acc += p[k &* s] }
        return acc
      }, combine: +)
    case .int64:
      return fold(x, dims: dims, keepdim: keepdim, Int64.self, initial: 0, rowFold: { p, n, s, i in
        var acc = i
        for k in 0..<n { acc &+= p[k &* s] }
        return acc
      }, combine: &+)
    case .bool:
      return sum(x.contiguousValues(dtype: .int64), dims: dims, keepdim: keepdim)
    }
  }

  /// Sums `x` down to `shape` (which broadcasts to `x.shape` after `leading` kept dims).
  static func sumToShape(_ x: Tensor, _ shape: [Int], keepingLeading leading: Int) -> Tensor {
    let body = x.rank - leading
    precondition(
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
