import ComplexModule
import RealModule

/// Scan kernels used by the reduction ops: extrema with indices for the derivative masks, scans along a dim (cumulative sums, products, log-sum-exps and
/// first-order linear recurrences), and the shifts and one-hot masks their derivative rules use.
///
/// Every kernel is one generic function. Products and extrema live in ``Reductions``.
enum OpReductionKernels {
  // MARK: Lines along a dim

  /// Calls `body` with the offsets of the first element of every line along `dim` of `shape`,
  /// for up to three operands with the given strides.
  static func forEachLine(shape: [Int], dim: Int, strides: [[Int]], _ body: (Int, Int, Int) -> Void) {
    var outer = shape
    outer[dim] = 1
    let plan = StridedRows(shape: outer, strides: strides)
    let len = plan.length
    let (a, b, c) = plan.step
    Parallel.forChunks(plan.rowCount, cost: len &* Swift.max(shape[dim], 1)) { rows in
      plan.forEachRow(in: rows) { o0, o1, o2 in
        for i in 0..<len { body(o0 &+ i &* a, o1 &+ i &* b, o2 &+ i &* c) }
      }
    }
  }

  /// The values and first indices of the maximum (or minimum) along `dim`, NaN counting as
  /// the extreme value.
  ///
  /// - Precondition: the tensor is real or integer and the dim is not empty.
  static func extremumWithIndex(_ x: Tensor, dim: Int, keepdim: Bool, max: Bool, op: String) -> (Tensor, Tensor) {
    check(x.shape[dim] > 0, "\(op): cannot reduce over dim \(dim) of size 0 (shape \(x.shape))")
    switch x.dtype {
    case .float32: return extremumWithIndex(x, dim: dim, keepdim: keepdim, max: max, Float.self)
    case .float64: return extremumWithIndex(x, dim: dim, keepdim: keepdim, max: max, Double.self)
    case .int64: return extremumWithIndex(x, dim: dim, keepdim: keepdim, max: max, Int64.self)
    case .bool:
      let (v, i) = extremumWithIndex(x.contiguousValues(dtype: .int64), dim: dim, keepdim: keepdim, max: max, op: op)
      return (v.contiguousValues(dtype: .bool), i)
    case .complex64, .complex128:
      misuse("\(op): complex numbers have no ordering (got \(x.dtype))")
    }
  }

  static func extremumWithIndex<T: TensorScalar & Comparable>(
    _ x: Tensor, dim: Int, keepdim: Bool, max: Bool, _: T.Type
  ) -> (Tensor, Tensor) {
    var kept = x.shape
    kept[dim] = 1
    let values = Tensor(uninitializedShape: kept, dtype: x.dtype)
    let indices = Tensor(uninitializedShape: kept, dtype: .int64)
    let n = x.shape[dim], step = x.strides[dim]
    let src = UnsafePointer(x.pointer(as: T.self))
    let pv = values.pointer(as: T.self)
    let pi = indices.pointer(as: Int64.self)
    forEachLine(shape: x.shape, dim: dim, strides: [x.strides, values.strides]) { ox, oo, _ in
      var best = src[ox]
      var at = 0
      if best == best {
        for k in 1..<Swift.max(n, 1) {
          let v = src[ox &+ k &* step]
          if v != v { best = v; at = k; break }
          if max ? v > best : v < best { best = v; at = k }
        }
      }
      pv[oo] = best
      pi[oo] = Int64(at)
    }
    if keepdim { return (values, indices) }
    var squeezed = x.shape
    squeezed.remove(at: dim)
    return (values.reshapedView(squeezed)!, indices.reshapedView(squeezed)!)
  }

  /// A `bool` tensor of `shape` that is true where the index along `dim` equals `indices`
  /// (an `int64` tensor of `shape` with `dim` of size 1).
  static func oneHot(_ indices: Tensor, shape: [Int], dim: Int) -> Tensor {
    if indices.isBatched {
      return Batching.overBatch([indices], shape: shape) { p, batchShape in oneHot(p[0], shape: batchShape, dim: dim + 1) }
    }
    let out = Tensor(uninitializedShape: shape, dtype: .bool)
    if out.count == 0 { return out }
    let n = shape[dim], step = out.strides[dim]
    let pi = UnsafePointer(indices.pointer(as: Int64.self))
    let po = out.pointer(as: Bool.self)
    forEachLine(shape: shape, dim: dim, strides: [out.strides, indices.broadcastStrides(to: shape)]) { oo, oi, _ in
      let target = Int(pi[oi])
      for k in 0..<n { po[oo &+ k &* step] = k == target }
    }
    return out
  }

  // MARK: Scans

  /// What a scan accumulates.
  enum ScanKind {
    case sum, product, logSumExp
  }

  /// A cumulative sum, product or log-sum-exp along `dim`, from the end when `reverse`.
  static func scan(_ x: Tensor, dim: Int, reverse: Bool, kind: ScanKind, op: String) -> Tensor {
    switch x.dtype {
    case .float32: return scan(x, dim: dim, reverse: reverse, Float.self, combine(kind, Float.self))
    case .float64: return scan(x, dim: dim, reverse: reverse, Double.self, combine(kind, Double.self))
    case .complex64, .complex128:
      check(kind != .logSumExp, "\(op): complex inputs (\(x.dtype)) are not supported")
      if x.dtype == .complex64 {
        return scan(x, dim: dim, reverse: reverse, Complex<Float>.self, kind == .sum ? { $0 + $1 } : { $0 * $1 })
      }
      return scan(x, dim: dim, reverse: reverse, Complex<Double>.self, kind == .sum ? { $0 + $1 } : { $0 * $1 })
    case .int64:
      check(kind != .logSumExp, "\(op): integer inputs must be converted to a floating dtype first")
      return scan(x, dim: dim, reverse: reverse, Int64.self, kind == .sum ? { $0 &+ $1 } : { $0 &* $1 })
    case .bool:
      return scan(x.contiguousValues(dtype: .int64), dim: dim, reverse: reverse, kind: kind, op: op)
    }
  }

  static func combine<T: RealScalar>(_ kind: ScanKind, _: T.Type) -> (T, T) -> T {
    switch kind {
    case .sum: return { $0 + $1 }
    case .product: return { $0 * $1 }
    case .logSumExp: return logAddExp
    }
  }

  /// log(eᵃ + eᵇ), exact for infinities of one sign and NaN-propagating.
  @inline(__always) static func logAddExp<T: RealScalar>(_ a: T, _ b: T) -> T {
    if a == b { return a + T.log(2) }
    let m = a > b ? a : b
    return m + T.log(onePlus: VectorMath.exp(-Swift.abs(a - b)))
  }

  static func scan<T: TensorScalar>(_ x: Tensor, dim: Int, reverse: Bool, _: T.Type, _ f: (T, T) -> T) -> Tensor {
    let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype)
    if out.count == 0 { return out }
    let n = x.shape[dim], sx = x.strides[dim], so = out.strides[dim]
    let src = UnsafePointer(x.pointer(as: T.self))
    let dst = out.pointer(as: T.self)
    forEachLine(shape: x.shape, dim: dim, strides: [x.strides, out.strides]) { ox, oo, _ in
      if reverse {
        var acc = src[ox &+ (n - 1) &* sx]
        dst[oo &+ (n - 1) &* so] = acc
        var k = n - 2
        while k >= 0 {
          acc = f(acc, src[ox &+ k &* sx])
          dst[oo &+ k &* so] = acc
          k -= 1
        }
      } else {
        var acc = src[ox]
        dst[oo] = acc
        for k in 1..<Swift.max(n, 1) {
          acc = f(acc, src[ox &+ k &* sx])
          dst[oo &+ k &* so] = acc
        }
      }
    }
    return out
  }

  /// The first-order linear recurrence zₖ = aₖ zₖ₋₁ + bₖ along `dim` with z₋₁ = 0 (so a₀ is
  /// never read), or zₖ = aₖ zₖ₊₁ + bₖ from the end when `reverse`. `a` and `b` have one
  /// floating dtype and broadcast to `shape`.
  static func linearScan(_ a: Tensor, _ b: Tensor, shape: [Int], dim: Int, reverse: Bool) -> Tensor {
    switch a.dtype {
    case .float32: return linearScan(a, b, shape: shape, dim: dim, reverse: reverse, Float.self)
    case .float64: return linearScan(a, b, shape: shape, dim: dim, reverse: reverse, Double.self)
    case .complex64: return linearScan(a, b, shape: shape, dim: dim, reverse: reverse, Complex<Float>.self)
    case .complex128: return linearScan(a, b, shape: shape, dim: dim, reverse: reverse, Complex<Double>.self)
    default: misuse("linearScan: expected a floating dtype, got \(a.dtype)")
    }
  }

  static func linearScan<T: FloatingScalar>(
    _ a: Tensor, _ b: Tensor, shape: [Int], dim: Int, reverse: Bool, _: T.Type
  ) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: a.dtype)
    if out.count == 0 { return out }
    let astr = a.broadcastStrides(to: shape), bstr = b.broadcastStrides(to: shape)
    let n = shape[dim], sa = astr[dim], sb = bstr[dim], so = out.strides[dim]
    let pa = UnsafePointer(a.pointer(as: T.self)), pb = UnsafePointer(b.pointer(as: T.self))
    let dst = out.pointer(as: T.self)
    forEachLine(shape: shape, dim: dim, strides: [astr, bstr, out.strides]) { oa, ob, oo in
      var z: T = 0
      for j in 0..<n {
        let k = reverse ? n - 1 - j : j
        z = j == 0 ? pb[ob &+ k &* sb] : pa[oa &+ k &* sa] * z + pb[ob &+ k &* sb]
        dst[oo &+ k &* so] = z
      }
    }
    return out
  }

  /// Shifts along `dim` by one place: yₖ = xₖ₋₁ with y₀ = 0, or yₖ = xₖ₊₁ with the last
  /// element 0 when `reverse`.
  static func shift(_ x: Tensor, dim: Int, reverse: Bool) -> Tensor {
    x.dtype.visit(ShiftVisitor(x: x, dim: dim, reverse: reverse))
  }

  struct ShiftVisitor: ScalarVisitor {
    let x: Tensor
    let dim: Int
    let reverse: Bool
    func visit<T: TensorScalar>(_: T.Type) -> Tensor {
      let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype)
      if out.count == 0 { return out }
      let n = x.shape[dim], sx = x.strides[dim], so = out.strides[dim]
      let src = UnsafePointer(x.pointer(as: T.self))
      let dst = out.pointer(as: T.self)
      let reverse = reverse
      forEachLine(shape: x.shape, dim: dim, strides: [x.strides, out.strides]) { ox, oo, _ in
        if reverse {
          for k in 0..<(n - 1) { dst[oo &+ k &* so] = src[ox &+ (k + 1) &* sx] }
          dst[oo &+ (n - 1) &* so] = T.zeroValue
        } else {
          dst[oo] = T.zeroValue
          for k in 1..<Swift.max(n, 1) { dst[oo &+ k &* so] = src[ox &+ (k - 1) &* sx] }
        }
      }
      return out
    }
  }
}
