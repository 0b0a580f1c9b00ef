import ComplexModule
import RealModule

/// A part of a tensor that is a strided view of it: a slice (``SliceRegion``) or a diagonal
/// (``DiagonalRegion``).
///
/// Three linear ops are built on a region, each the adjoint of another, so that every view op
/// gets both derivative rules, to any order, from one `view(of:extra:)`:
/// - ``RegionReadOp`` reads the region (a view, no copy);
/// - ``RegionEmbedOp`` writes a tensor into the region of zeros (the adjoint of reading);
/// - ``RegionAssignOp`` replaces the region of one tensor by another (out-of-place
///   `index_put`/`copy_`; its adjoint reads the region and zeroes it).
protocol ViewRegion {
  /// The op name used in messages and on the tape.
  var name: String { get }
  /// The output rank minus the input rank.
  var rankChange: Int { get }
  /// The region as a view of `x`'s storage. The first `extra` dims of `x` are leading (chunk)
  /// dims that are kept whole, in front of the result's dims.
  func view(of x: Tensor, extra: Int) -> Tensor
}

/// Reads a region: a view. Derivative: linear; the VJP embeds the cotangent in zeros.
struct RegionReadOp<R: ViewRegion>: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  let region: R
  /// Leading dims that the region leaves whole.
  let extra: Int
  var name: String { region.name }
  var sparsity: SparsityRule { .indexMap }

  func primal(_ x: Tensor) -> Tensor { region.view(of: x, extra: extra) }

  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor {
    let more = dx.rank - inputShape.count
    return Tensor.apply(RegionReadOp(region: region, extra: extra + more), dx)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    let more = gy.rank - (inputShape.count + region.rankChange)
    let shape = Array(gy.shape.prefix(more)) + inputShape
    return Tensor.apply(RegionEmbedOp(region: region, extra: extra + more, shape: shape), gy)
  }
}

/// Writes a tensor into the region of a zero tensor of `shape`. Derivative: linear; the VJP
/// reads the region of the cotangent.
struct RegionEmbedOp<R: ViewRegion>: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  let region: R
  let extra: Int
  /// The shape of the result (the input's shape is the region's).
  let shape: [Int]
  var name: String { region.name + "Backward" }
  var sparsity: SparsityRule { .indexMap }

  /// Only the elements outside the region are zeroed when the region is a box of unit steps
  /// (a slice's gradient: all of it but a row or an edge); other regions write into zeros.
  func primal(_ y: Tensor) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: y.dtype, op: name)
    let view = region.view(of: out, extra: extra)
    if let box = unitBox(view, in: out) {
      zeroOutside(box, of: out)
      ReplayRecorder.noteWindow(ReplayWindow(embeddingIn: shape, at: box, dtype: y.dtype), y, out)
    } else {
      UnsafeMutableRawPointer(out.pointer(as: UInt8.self))
        .initializeMemory(as: UInt8.self, repeating: 0, count: out.count * out.dtype.byteCount)
    }
    view.writeValues(from: y)
    return out
  }

  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor {
    let more = dx.rank - inputShape.count
    return Tensor.apply(RegionEmbedOp(region: region, extra: extra + more, shape: Array(dx.shape.prefix(more)) + shape), dx)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    let more = gy.rank - shape.count
    return Tensor.apply(RegionReadOp(region: region, extra: extra + more), gy)
  }
}

/// `a` with its region replaced by `b` (of exactly the region's shape and `a`'s dtype), as a
/// new tensor: the out-of-place form of `a[region] = b`.
///
/// Derivative: linear in both. The JVP assigns the tangents the same way; the VJP gives `a`
/// the cotangent with the region zeroed, and `b` the region of the cotangent.
struct RegionAssignOp<R: ViewRegion>: BinaryOp {
  let region: R
  let extra: Int
  var name: String { region.name + "Assign" }
  var sparsity: SparsityRule { .indexMap }

  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = a.contiguousValues()
    region.view(of: out, extra: extra).writeValues(from: b)
    return out
  }

  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    guard let (ta, tb, more) = bothTangents(a: a, b: b, da: da, db: db) else { return nil }
    return Tensor.apply(RegionAssignOp(region: region, extra: extra + more), ta, tb)
  }

  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    let ga = needA ? Tensor.apply(self, gy, Tensor.zeros(b.shape, dtype: gy.dtype)) : nil
    let gb = needB ? Tensor.apply(RegionReadOp(region: region, extra: extra), gy) : nil
    return (ga, gb)
  }

  /// The batch is one more leading dim that the region leaves whole (the unbatched operand
  /// expanded along it).
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.leadingDim(RegionAssignOp(region: region, extra: extra + 1), inputs, isBatched: isBatched, batchSize: batchSize)
  }
}

extension Tensor {
  /// Reads a region (the public view ops call this).
  func reading<R: ViewRegion>(_ region: R) -> Tensor {
    Tensor.apply(RegionReadOp(region: region, extra: 0), self)
  }

  /// Replaces a region by `value`, broadcasting `value` to the region's shape and converting it
  /// to this tensor's dtype, like PyTorch's `x[...] = value`.
  ///
  /// Writes in place when nothing is differentiated and the storage is uniquely referenced and
  /// laid out without overlaps; otherwise builds a new tensor (copy-on-write).
  mutating func assign<R: ViewRegion>(_ value: Tensor, to region: R, op: String) {
    let target = region.view(of: detached, extra: 0).shape
    var v = value
    // Like PyTorch, leading size-1 dims of the value may be dropped to fit the region.
    while v.rank > target.count && v.shape[0] == 1 { v = v.reshaped(Array(v.shape.dropFirst())) }
    check(
      v.rank <= target.count && Shape.broadcast(v.shape, target) == target,
      "\(op): a value of shape \(value.shape) does not broadcast to the indexed region of shape \(target) (tensor shape \(shape))")
    v = v.converted(to: dtype).expanded(to: target)
    if autodiff == nil && v.autodiff == nil && isContiguous && isKnownUniquelyReferenced(&storage) {
      // An in-place write outside an op is no replay step: a traced value written or
      // overwritten that way makes the replay plan invalid.
      if let r = ReplayRecorder.active, r.depth == 0, !r.isConstant(self) || !r.isConstant(v) {
        r.invalidate("\(op): an in-place write of a traced tensor outside an op")
      }
      region.view(of: self, extra: 0).writeValues(from: v)
      return
    }
    self = Tensor.apply(RegionAssignOp(region: region, extra: 0), self, v)
  }
}
