import ComplexModule
import RealModule

// MARK: Reducers

/// How a reduction folds elements: an identity, a binary combine, and loops over rows.
///
/// The drivers take reducers as generic parameters, so the loops inline and vectorise. The
/// default loops use ``combine(_:_:)``; the real reducers override ``reduceContiguous(_:_:)``
/// with explicit SIMD accumulators (and pairwise summation for sums).
protocol Reducer {
  associatedtype Element: TensorScalar
  /// The value an empty reduction gives.
  var identity: Element { get }
  /// Folds `b` into the accumulator `a`.
  func combine(_ a: Element, _ b: Element) -> Element
  /// Reduces `n` contiguous elements.
  func reduceContiguous(_ p: UnsafePointer<Element>, _ n: Int) -> Element
}

extension Reducer {
  @inline(__always) func reduceContiguous(_ p: UnsafePointer<Element>, _ n: Int) -> Element {
    var acc = identity
    for i in 0..<n { acc = combine(acc, p[i]) }
    return acc
  }

  /// Reduces `n` elements `s` apart.
  @inline(__always) func reduceStrided(_ p: UnsafePointer<Element>, _ n: Int, _ s: Int) -> Element {
    if s == 1 { return reduceContiguous(p, n) }
    var acc = identity
    for i in 0..<n { acc = combine(acc, p[i &* s]) }
    return acc
  }
}

/// Loads 8 consecutive scalars.
@inline(__always) func load8<T: RealScalar>(_ p: UnsafePointer<T>) -> SIMD8<T> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
}

/// Sums `n` contiguous reals into 8 lane partials (element i lands in lane i mod 8, so the
/// lanes of interleaved complex numbers keep their parity): blocks of 16 with two vector
/// accumulators, combined pairwise above a block size, like NumPy's pairwise sum.
func pairwiseSumLanes<T: RealScalar>(_ p: UnsafePointer<T>, _ n: Int) -> SIMD8<T> {
  if n > 512 {
    let half = (n / 2) & ~15
    return pairwiseSumLanes(p, half) + pairwiseSumLanes(p + half, n - half)
  }
  var a0 = SIMD8<T>(), a1 = SIMD8<T>()
  var i = 0
  while i + 16 <= n {
    a0 += load8(p + i)
    a1 += load8(p + i + 8)
    i += 16
  }
  a0 += a1
  while i < n {
    a0[i & 7] += p[i]
    i += 1
  }
  return a0
}

/// Sum of reals: pairwise, vectorised.
struct SumReducer<T: RealScalar>: Reducer {
  var identity: T { 0 }
  @inline(__always) func combine(_ a: T, _ b: T) -> T { a + b }
  @inline(__always) func reduceContiguous(_ p: UnsafePointer<T>, _ n: Int) -> T { pairwiseSumLanes(p, n).sum() }
}

/// Sum of complex numbers: pairwise over the interleaved reals.
struct ComplexSumReducer<T: RealScalar>: Reducer {
  var identity: Complex<T> { .zero }
  @inline(__always) func combine(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> { a + b }
  @inline(__always) func reduceContiguous(_ p: UnsafePointer<Complex<T>>, _ n: Int) -> Complex<T> {
    let lanes = UnsafeRawPointer(p).withMemoryRebound(to: T.self, capacity: 2 * n) { pairwiseSumLanes($0, 2 * n) }
    return Complex((lanes[0] + lanes[2]) + (lanes[4] + lanes[6]), (lanes[1] + lanes[3]) + (lanes[5] + lanes[7]))
  }
}

/// Wrapping sum of integers.
struct IntegerSumReducer: Reducer {
  var identity: Int64 { 0 }
  @inline(__always) func combine(_ a: Int64, _ b: Int64) -> Int64 { a &+ b }
}

/// Product of reals, with vector accumulators.
struct ProdReducer<T: RealScalar>: Reducer {
  var identity: T { 1 }
  @inline(__always) func combine(_ a: T, _ b: T) -> T { a * b }
  @inline(__always) func reduceContiguous(_ p: UnsafePointer<T>, _ n: Int) -> T {
    var a0 = SIMD8<T>(repeating: 1), a1 = SIMD8<T>(repeating: 1)
    var i = 0
    while i + 16 <= n {
      a0 *= load8(p + i)
      a1 *= load8(p + i + 8)
      i += 16
    }
    a0 *= a1
    var acc: T = 1
    for j in 0..<8 { acc *= a0[j] }
    while i < n {
      acc *= p[i]
      i += 1
    }
    return acc
  }
}

/// Product of complex numbers.
struct ComplexProdReducer<T: RealScalar>: Reducer {
  var identity: Complex<T> { Complex(1, 0) }
  @inline(__always) func combine(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> { a * b }
}

/// Wrapping product of integers.
struct IntegerProdReducer: Reducer {
  var identity: Int64 { 1 }
  @inline(__always) func combine(_ a: Int64, _ b: Int64) -> Int64 { a &* b }
}

/// The largest (`isMax`) or smallest real, propagating NaN like PyTorch's `amax`/`amin`.
struct ExtremumReducer<T: RealScalar>: Reducer {
  let isMax: Bool
  var identity: T { isMax ? -.infinity : .infinity }
  @inline(__always) func combine(_ a: T, _ b: T) -> T {
    // b replaces a when it is further out, or NaN (a NaN accumulator stays).
    (isMax ? b > a : b < a) || (b != b) ? b : a
  }
  @inline(__always) func reduceContiguous(_ p: UnsafePointer<T>, _ n: Int) -> T {
    var m0 = SIMD8<T>(repeating: identity), m1 = m0
    var nan = SIMDMask<SIMD8<T>.MaskStorage>(repeating: false)
    var i = 0
    while i + 16 <= n {
      let v0 = load8(p + i), v1 = load8(p + i + 8)
      if isMax {
        m0.replace(with: v0, where: v0 .> m0)
        m1.replace(with: v1, where: v1 .> m1)
      } else {
        m0.replace(with: v0, where: v0 .< m0)
        m1.replace(with: v1, where: v1 .< m1)
      }
      nan = nan .| (v0 .!= v0) .| (v1 .!= v1)
      i += 16
    }
    if any(nan) { return .nan }
    var acc = identity
    for j in 0..<8 { acc = combine(combine(acc, m0[j]), m1[j]) }
    while i < n {
      acc = combine(acc, p[i])
      i += 1
    }
    return acc
  }
}

/// The largest or smallest integer.
struct IntegerExtremumReducer: Reducer {
  let isMax: Bool
  var identity: Int64 { isMax ? .min : .max }
  @inline(__always) func combine(_ a: Int64, _ b: Int64) -> Int64 { (isMax ? b > a : b < a) ? b : a }
}

/// `any` (max) or `all` (min) of booleans.
struct BoolExtremumReducer: Reducer {
  let isMax: Bool
  var identity: Bool { !isMax }
  @inline(__always) func combine(_ a: Bool, _ b: Bool) -> Bool { isMax ? (a || b) : (a && b) }
}

// MARK: Drivers

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

  // MARK: Extrema

  /// The largest value over `dims` (negative allowed), like `torch.amax`: NaN propagates;
  /// booleans give `any`. Keeps the dtype.
  ///
  /// - Precondition: the dtype is real, integer or boolean, and no reduced dim is empty.
  static func amax(_ x: Tensor, dims: [Int], keepdim: Bool) -> Tensor {
    extremum(x, dims: dims, keepdim: keepdim, isMax: true, op: "amax")
  }

  /// The smallest value over `dims` (negative allowed), like `torch.amin`: NaN propagates;
  /// booleans give `all`. Keeps the dtype.
  ///
  /// - Precondition: the dtype is real, integer or boolean, and no reduced dim is empty.
  static func amin(_ x: Tensor, dims: [Int], keepdim: Bool) -> Tensor {
    extremum(x, dims: dims, keepdim: keepdim, isMax: false, op: "amin")
  }

  static func extremum(_ x: Tensor, dims: [Int], keepdim: Bool, isMax: Bool, op: String) -> Tensor {
    let dims = normalizedDims(dims, rank: x.rank, op: op)
    for d in dims where x.shape[d] == 0 {
      misuse("\(op): cannot reduce over dim \(d) of size 0 (shape \(x.shape)); the reduction has no identity")
    }
    switch x.dtype {
    case .float32: return reduce(x, dims: dims, keepdim: keepdim, to: .float32, ExtremumReducer<Float>(isMax: isMax))
    case .float64: return reduce(x, dims: dims, keepdim: keepdim, to: .float64, ExtremumReducer<Double>(isMax: isMax))
    case .int64: return reduce(x, dims: dims, keepdim: keepdim, to: .int64, IntegerExtremumReducer(isMax: isMax))
    case .bool: return reduce(x, dims: dims, keepdim: keepdim, to: .bool, BoolExtremumReducer(isMax: isMax))
    case .complex64, .complex128: misuse("\(op): complex numbers have no ordering (got \(x.dtype))")
    }
  }

  /// The largest values along `dim` and their indices, like `torch.max(x, dim, keepdim)`.
  ///
  /// Ties give the first index, as in PyTorch; a NaN wins over any number (the first NaN's
  /// index is returned). Values keep the dtype; indices are `int64`.
  /// - Precondition: the dtype is real, integer or boolean and the dim is non-empty.
  static func max(_ x: Tensor, dim: Int, keepdim: Bool) -> (values: Tensor, indices: Tensor) {
    extremumWithIndex(x, dim: dim, keepdim: keepdim, isMax: true, op: "max")
  }

  /// The smallest values along `dim` and their indices, like `torch.min(x, dim, keepdim)`.
  /// See ``max(_:dim:keepdim:)``.
  static func min(_ x: Tensor, dim: Int, keepdim: Bool) -> (values: Tensor, indices: Tensor) {
    extremumWithIndex(x, dim: dim, keepdim: keepdim, isMax: false, op: "min")
  }

  /// The index of the largest value along `dim`, or of the flattened tensor when `dim` is
  /// `nil`, like `torch.argmax`: ties give the first index, NaN wins. With `dim == nil` and
  /// `keepdim` the result has shape `[1, …, 1]` (the input's rank).
  static func argmax(_ x: Tensor, dim: Int?, keepdim: Bool) -> Tensor {
    argExtremum(x, dim: dim, keepdim: keepdim, isMax: true, op: "argmax")
  }

  /// The index of the smallest value. See ``argmax(_:dim:keepdim:)``.
  static func argmin(_ x: Tensor, dim: Int?, keepdim: Bool) -> Tensor {
    argExtremum(x, dim: dim, keepdim: keepdim, isMax: false, op: "argmin")
  }

  static func argExtremum(_ x: Tensor, dim: Int?, keepdim: Bool, isMax: Bool, op: String) -> Tensor {
    if let dim { return extremumWithIndex(x, dim: dim, keepdim: keepdim, isMax: isMax, op: op).indices }
    check(x.count > 0, "\(op): cannot take the \(op) of an empty tensor (shape \(x.shape))")
    let flat = (x.isContiguous ? x : x.contiguousValues()).view(shape: [x.count], strides: [1], offset: x.isContiguous ? x.offset : 0)
    let i = extremumWithIndex(flat, dim: 0, keepdim: false, isMax: isMax, op: op).indices
    let shape = keepdim ? [Int](repeating: 1, count: x.rank) : []
    return i.view(shape: shape, strides: shape, offset: 0)
  }

  static func extremumWithIndex(_ x: Tensor, dim: Int, keepdim: Bool, isMax: Bool, op: String) -> (values: Tensor, indices: Tensor) {
    if x.rank == 0 {
      _ = Shape.normalize(dim, rank: 0, op: op)
      return (x.contiguousValues(), Tensor.zeros([], dtype: .int64))
    }
    let d = Shape.normalize(dim, rank: x.rank, op: op)
    check(x.shape[d] > 0, "\(op): cannot reduce over dim \(d) of size 0 (shape \(x.shape))")
    switch x.dtype {
    case .float32: return indexedExtremum(x, dim: d, keepdim: keepdim, isMax: isMax, ExtremumReducer<Float>(isMax: isMax))
    case .float64: return indexedExtremum(x, dim: d, keepdim: keepdim, isMax: isMax, ExtremumReducer<Double>(isMax: isMax))
    case .int64: return indexedExtremum(x, dim: d, keepdim: keepdim, isMax: isMax, IntegerExtremumReducer(isMax: isMax))
    case .bool:
      let (v, i) = indexedExtremum(
        x.contiguousValues(dtype: .int64), dim: d, keepdim: keepdim, isMax: isMax, IntegerExtremumReducer(isMax: isMax))
      return (v.contiguousValues(dtype: .bool), i)
    case .complex64, .complex128: misuse("\(op): complex numbers have no ordering (got \(x.dtype))")
    }
  }

  /// The extremum along `dim` with its first index.
  ///
  /// When the dim is contiguous, each output takes two fast passes over its row: the
  /// vectorised extremum, then a scan for its first occurrence. Otherwise the dim is scanned
  /// in the outer loop and the output row in the inner loop, so contiguous rows vectorise.
  static func indexedExtremum<R: Reducer>(
    _ x: Tensor, dim: Int, keepdim: Bool, isMax: Bool, _ reducer: R
  ) -> (values: Tensor, indices: Tensor) where R.Element: Comparable {
    typealias T = R.Element
    var kept = x.shape
    kept[dim] = 1
    let values = Tensor(uninitializedShape: kept, dtype: x.dtype)
    let indices = Tensor(uninitializedShape: kept, dtype: .int64)
    let n = x.shape[dim], sd = x.strides[dim]
    let src = UnsafePointer(x.pointer(as: T.self))
    let pv = values.pointer(as: T.self), pi = indices.pointer(as: Int64.self)
    if values.count > 0 {
      var xStrides = x.strides
      xStrides[dim] = 0
      let plan = StridedRows(shape: kept, xStrides, values.strides)
      let len = plan.length
      let (sx, so, _) = plan.step
      Parallel.forChunks(plan.rowCount, cost: len &* n) { rows in
        plan.forEachRow(in: rows) { ox, oo, _ in
          let a = src + ox
          let v = pv + oo, ix = pi + oo
          if sd == 1 {
            for i in 0..<len {
              let row = a + i &* sx
              let m = reducer.reduceContiguous(row, n)
              var k = 0
              if m == m {
                while k < n && row[k] != m { k += 1 }
              } else {
                while k < n && row[k] == row[k] { k += 1 }
              }
              v[i &* so] = m
              ix[i &* so] = Int64(k)
            }
            return
          }
          for i in 0..<len {
            v[i &* so] = a[i &* sx]
            ix[i &* so] = 0
          }
          for k in 1..<Swift.max(n, 1) {
            let row = a + k &* sd
            let kk = Int64(k)
            for i in 0..<len {
              let c = row[i &* sx], b = v[i &* so]
              // Further out, or the first NaN (a NaN never leaves).
              let take = (isMax ? c > b : c < b) || (c != c && b == b)
              v[i &* so] = take ? c : b
              ix[i &* so] = take ? kk : ix[i &* so]
            }
          }
        }
      }
    }
    if keepdim { return (values, indices) }
    var shape = x.shape
    shape.remove(at: dim)
    let strides = Shape.contiguousStrides(shape)
    return (values.view(shape: shape, strides: strides, offset: 0), indices.view(shape: shape, strides: strides, offset: 0))
  }

  // MARK: Variance

  /// The variance over `dims` (negative allowed), like `torch.var(x, dims, correction:,
  /// keepdim:)`: Σ|x − mean|² / (N − correction), computed in two passes (mean, then squared
  /// deviations). Complex inputs give the real variance of the same precision. With
  /// N − correction ≤ 0 the result is ∞ or NaN, as in PyTorch.
  ///
  /// - Precondition: the dtype is floating.
  static func variance(_ x: Tensor, dims: [Int], correction: Double = 1, keepdim: Bool) -> Tensor {
    check(x.dtype.isFloatingPoint, "var: expected a floating or complex tensor, got \(x.dtype)")
    let dims = normalizedDims(dims, rank: x.rank, op: "var")
    var n = 1
    for d in dims { n *= x.shape[d] }
    let total = sum(x, dims: dims, keepdim: true)
    let divisor = Swift.max(0, Double(n) - correction)
    switch x.dtype {
    case .float32: return varianceFinish(x, total, dims, n, divisor, keepdim, Float.self)
    case .float64: return varianceFinish(x, total, dims, n, divisor, keepdim, Double.self)
    case .complex64: return complexVarianceFinish(x, total, dims, n, divisor, keepdim, Float.self)
    default: return complexVarianceFinish(x, total, dims, n, divisor, keepdim, Double.self)
    }
  }

  static func varianceFinish<T: RealScalar>(
    _ x: Tensor, _ total: Tensor, _ dims: [Int], _ n: Int, _ divisor: Double, _ keepdim: Bool, _: T.Type
  ) -> Tensor {
    let inverseN = T(1) / T(Swift.max(n, 1))
    let mean = ElementwiseKernels.map(total, to: x.dtype, ScaleKernel(factor: inverseN))
    let shape = x.shape
    let squares = ElementwiseKernels.zip(x, mean, shape: shape, to: x.dtype, SquaredDifferenceKernel<T>())
    let s = sum(squares, dims: dims, keepdim: keepdim)
    return ElementwiseKernels.map(s, to: x.dtype, DivideByKernel(divisor: T(divisor)))
  }

  static func complexVarianceFinish<T: RealScalar>(
    _ x: Tensor, _ total: Tensor, _ dims: [Int], _ n: Int, _ divisor: Double, _ keepdim: Bool, _: T.Type
  ) -> Tensor {
    let inverseN = T(1) / T(Swift.max(n, 1))
    let mean = ElementwiseKernels.map(total, to: x.dtype, ComplexScaleKernel(factor: inverseN))
    let shape = x.shape
    let squares = ElementwiseKernels.zip(x, mean, shape: shape, to: x.dtype.real, ComplexSquaredDifferenceKernel<T>())
    let s = sum(squares, dims: dims, keepdim: keepdim)
    return ElementwiseKernels.map(s, to: x.dtype.real, DivideByKernel(divisor: T(divisor)))
  }
}

/// x·factor.
struct ScaleKernel<T: RealScalar>: UnaryElementKernel {
  let factor: T
  @inline(__always) func callAsFunction(_ x: T) -> T { x * factor }
}

/// z·factor for a complex z and a real factor.
struct ComplexScaleKernel<T: RealScalar>: UnaryElementKernel {
  let factor: T
  @inline(__always) func callAsFunction(_ z: Complex<T>) -> Complex<T> { Complex(z.real * factor, z.imaginary * factor) }
}

/// x / divisor.
struct DivideByKernel<T: RealScalar>: UnaryElementKernel {
  let divisor: T
  @inline(__always) func callAsFunction(_ x: T) -> T { x / divisor }
}

/// (a − b)².
struct SquaredDifferenceKernel<T: RealScalar>: BinaryElementKernel {
  @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T {
    let d = a - b
    return d * d
  }
}

/// |a − b|² for complex a, b, as a real.
struct ComplexSquaredDifferenceKernel<T: RealScalar>: BinaryElementKernel {
  @inline(__always) func callAsFunction(_ a: Complex<T>, _ b: Complex<T>) -> T {
    let re = a.real - b.real, im = a.imaginary - b.imaginary
    return re * re + im * im
  }
}
