import ComplexModule
import RealModule

/// The extrema: `amax`/`amin` over dims, `max`/`min` with indices along a dim, and
/// `argmax`/`argmin`.
extension Reductions {
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
}
