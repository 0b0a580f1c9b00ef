import ComplexModule
import RealModule

/// Gather and scatter along one dim by an index tensor of the operand's rank, for
/// `gather`, `scatter` and `scatter_add`.
///
/// The index addresses the trailing dims of the operands; their first `extra` dims are
/// leading (chunk) dims, visited whole. Index entry `p`, at multi-index `i` of the index
/// shape, stands for the element at `i` with `i[dim]` replaced by the entry's value.
enum GatherKernels {
  /// The element offset, in a tensor with `strides`, of each index entry (row-major over
  /// `shape`), with the coordinate along `dim` replaced by the entry's value; `dim == nil`
  /// keeps the coordinates (the plain offsets of the index's positions).
  static func offsets(_ index: [Int], shape: [Int], dim: Int?, strides: [Int]) -> [Int] {
    let n = Shape.count(shape)
    var out = [Int](repeating: 0, count: n)
    if n == 0 { return out }
    var coord = [Int](repeating: 0, count: shape.count)
    for p in 0..<n {
      var o = 0
      for d in shape.indices { o &+= (d == dim ? index[p] : coord[d]) &* strides[d] }
      out[p] = o
      var d = shape.count - 1
      while d >= 0 {
        coord[d] += 1
        if coord[d] < shape[d] { break }
        coord[d] = 0
        d -= 1
      }
    }
    return out
  }

  /// The offsets of `x`'s first `extra` dims (row-major), from its storage offset.
  static func leadingBases(_ x: Tensor, extra: Int) -> [Int] {
    let lead = Array(x.shape.prefix(extra))
    return StridedRows.offsets(shape: lead, Array(x.strides.prefix(extra))).map { $0 &+ x.offset }
  }

  /// `out[l, i] = x[l, i with i[dim] = index[i]]`, a new contiguous tensor of shape
  /// `x.shape.prefix(extra) + indexShape`.
  static func gather(_ x: Tensor, dim: Int, index: [Int], indexShape: [Int], extra: Int) -> Tensor {
    let out = Tensor(uninitializedShape: Array(x.shape.prefix(extra)) + indexShape, dtype: x.dtype)
    if out.count == 0 { return out }
    let source = offsets(index, shape: indexShape, dim: dim, strides: Array(x.strides.dropFirst(extra)))
    x.dtype.visit(GatherVisitor(x: x, out: out, source: source, bases: leadingBases(x, extra: extra)))
    return out
  }

  /// Writes (or, with `add`, adds) `source[l, i]` into `target[l, i with i[dim] = index[i]]`,
  /// in row-major order of the index, so the last of repeated positions wins a write and
  /// repeated positions accumulate an add. `target` must be freshly allocated; both share a
  /// dtype, and `source` has the shape `target.shape.prefix(extra) + indexShape`.
  static func scatter(
    into target: Tensor, dim: Int, index: [Int], indexShape: [Int], source: Tensor, extra: Int, add: Bool
  ) {
    if source.count == 0 { return }
    let dst = offsets(index, shape: indexShape, dim: dim, strides: Array(target.strides.dropFirst(extra)))
    let src = offsets(index, shape: indexShape, dim: nil, strides: Array(source.strides.dropFirst(extra)))
    let plan = ScatterPlan(
      dst: dst, src: src, dstBases: leadingBases(target, extra: extra), srcBases: leadingBases(source, extra: extra))
    guard add else {
      target.dtype.visit(ScatterVisitor(target: target, source: source, plan: plan))
      return
    }
    switch target.dtype {
    case .bool: plan.run(target, source, Bool.self) { $0 || $1 }
    case .int64: plan.run(target, source, Int64.self, &+)
    case .float32: plan.run(target, source, Float.self, +)
    case .float64: plan.run(target, source, Double.self, +)
    case .complex64: plan.run(target, source, Complex<Float>.self, +)
    case .complex128: plan.run(target, source, Complex<Double>.self, +)
    }
  }
}

/// The element offsets of a scatter: per index entry and per leading multi-index.
struct ScatterPlan {
  let dst: [Int]
  let src: [Int]
  let dstBases: [Int]
  let srcBases: [Int]

  /// `target[d] = combine(target[d], source[s])` over every pair of offsets. The storages'
  /// base addresses are used, since the bases include the tensors' offsets.
  func run<T>(_ target: Tensor, _ source: Tensor, _: T.Type, _ combine: (T, T) -> T) {
    let t = target.storage.pointer(as: T.self)
    let s = UnsafePointer(source.storage.pointer(as: T.self))
    for (db, sb) in zip(dstBases, srcBases) {
      for p in dst.indices { t[db &+ dst[p]] = combine(t[db &+ dst[p]], s[sb &+ src[p]]) }
    }
  }
}

/// Runs ``GatherKernels/gather(_:dim:index:indexShape:extra:)`` for the operand's dtype.
struct GatherVisitor: ScalarVisitor {
  let x: Tensor
  let out: Tensor
  let source: [Int]
  let bases: [Int]
  func visit<T: TensorScalar>(_: T.Type) {
    let s = UnsafePointer(x.storage.pointer(as: T.self))
    let d = out.pointer(as: T.self)
    let n = source.count
    for (k, b) in bases.enumerated() {
      let row = d + k &* n
      for p in 0..<n { row[p] = s[b &+ source[p]] }
    }
  }
}

/// Runs a scatter that writes (the last write wins) for the operands' dtype.
struct ScatterVisitor: ScalarVisitor {
  let target: Tensor
  let source: Tensor
  let plan: ScatterPlan
  func visit<T: TensorScalar>(_: T.Type) { plan.run(target, source, T.self) { $1 } }
}
