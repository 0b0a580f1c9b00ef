import ComplexModule
import RealModule

// The chunk-dimension toolkit: everything a rule's author needs to handle K directions at once.
//
// A tangent may carry one leading *chunk* dimension: shape `[K] + primal shape` holds K
// tangents (`jvp(..., chunked: true)`, `jacfwd`). A cotangent may too (`vjp(..., chunked:
// true)`, `gradients(..., chunked: true)`, `jacrev`). The engine guarantees that all tangents
// of one dual level reaching a rule have the same K (or none), and it checks what a rule
// returns: an output tangent must have the output's rank plus the chunk dim, with the same K
// (``Autodiff/fitTangent(_:to:dtype:op:chunk:)`` stops otherwise).
//
// The conventions, in the order a rule's author meets them:
//
// 1. **Address dims from the right.** An op stores its dims negative (`dim − rank`, see
//    `Tensor.negativeDims(_:op:)` and `negativeDim(_:op:)`), so the same dim means the same
//    axis of the primal and of a chunked tangent. Elementwise arithmetic broadcasts from the
//    right already, so `dx * f′(x)` needs nothing more.
// 2. **Lift before broadcasting against another operand.** A tangent of an operand of lower
//    rank than the output needs singleton dims *after* its chunk dim: ``lift(_:primalRank:outputRank:)``.
// 3. **Sum back to an input's shape keeping the chunk dim:** ``summed(_:toInputShape:outputRank:)``
//    (the chunk-aware `summed(toShape:)`), for the VJP of a broadcasting op.
// 4. **Restore reduced dims keeping the chunk dim:** ``restoringReducedDims(_:inputShape:dims:keepdim:)``,
//    for the rules of reductions.
// 5. **Both tangents of a two-input rule** that needs them together (a scatter), the missing
//    one as zeros with the same chunk dim: ``bothTangents(a:b:da:db:)``.
// 6. **Declare chunked cotangents.** A VJP rule written with 1–5 takes `[K] + output shape`
//    cotangents as well; the op says so with ``DifferentiableOp/acceptsChunkedCotangents``
//    (elementwise ops, arithmetic, products, sum, softmax, relu, permute, reshape, and the
//    linear views, gathers, scans and FFTs whose adjoint keeps leading dims do) and
//    `jacrev` then pulls K rows back in one pass directly. Otherwise the engine maps the rule
//    over the chunk with `vmap` (its ops batch; an op with no batching rule loops there).
//    `gradcheck` (TangentTesting) compares both against single cotangents, so a wrong claim
//    fails the op database's checks.

extension Tensor {
  /// The number of leading chunk dimensions a tangent has relative to this primal (0 or 1).
  ///
  /// - Precondition: the tangent's shape is this tensor's shape, or `[K] + shape`.
  func chunkDims(of tangent: Tensor, op: String) -> Int {
    let extra = tangent.rank - rank
    check(
      (extra == 0 || extra == 1) && tangent.shape.dropFirst(extra).elementsEqual(shape),
      "\(op): a tangent of shape \(tangent.shape) does not fit a primal of shape \(shape) (expected \(shape) or [K] + \(shape))")
    return extra
  }
}

extension Tensor {
  /// Whether this tensor's shape is `shape`, or `[chunk] + shape` when `chunk` is given,
  /// compared without building the longer shape.
  func hasShape(_ shape: [Int], chunk: Int?) -> Bool {
    guard let chunk else { return self.shape == shape }
    return rank == shape.count + 1 && self.shape[0] == chunk && self.shape.dropFirst().elementsEqual(shape)
  }
}

/// Inserts singleton dims after a tangent's chunk dims so that it broadcasts against the
/// other operand like its primal does (`[K, 3]` for a primal `[3]` in a `[2, 3]` result →
/// `[K, 1, 3]`).
func lift(_ t: Tensor, primalRank: Int, outputRank: Int) -> Tensor {
  let extra = t.rank - primalRank
  if extra == 0 || primalRank == outputRank { return t }
  return t.reshaped(Array(t.shape.prefix(extra)) + Array(repeating: 1, count: outputRank - primalRank) + Array(t.shape.dropFirst(extra)))
}

/// A rule's cotangent `g` (for an output of rank `outputRank`, with any leading chunk dims in
/// front) summed over the dims that broadcasting added to an input of shape `shape`, keeping
/// the chunk dims: the chunk-aware form of ``Tensor/summed(toShape:)``.
func summed(_ g: Tensor, toInputShape shape: [Int], outputRank: Int) -> Tensor {
  let chunk = g.rank - outputRank
  guard chunk > 0 else { return g.summed(toShape: shape) }
  return Tensor.apply(SumToShapeOp(shape: shape, leading: chunk), g)
}

/// Reinserts the reduced dims, as size 1, into a reduction's output or cotangent (which may
/// carry leading chunk dims), so that it broadcasts against the input.
///
/// - Parameters:
///   - dims: the reduced dims, negative (counted from the right of the input).
func restoringReducedDims(_ g: Tensor, inputShape: [Int], dims: [Int], keepdim: Bool) -> Tensor {
  if keepdim { return g }
  let rank = inputShape.count
  let kept = Reductions.reducedShape(inputShape, dims: dims.map { $0 + rank }, keepdim: true)
  let lead = g.rank - (rank - dims.count)
  return g.reshaped(Array(g.shape.prefix(lead)) + kept)
}

/// Both tangents of a two-input rule that needs them together (a scatter or a region
/// assignment), the missing one as zeros with the same chunk dims, and the number of chunk
/// dims; `nil` when both are missing (zero output tangent).
func bothTangents(a: Tensor, b: Tensor, da: Tensor?, db: Tensor?) -> (Tensor, Tensor, chunkDims: Int)? {
  if da == nil && db == nil { return nil }
  let more = da.map { $0.rank - a.rank } ?? (db!.rank - b.rank)
  let like = (da ?? db)!
  let prefix = Array(like.shape.prefix(more))
  return (da ?? Tensor.zeros(prefix + a.shape, dtype: like.dtype), db ?? Tensor.zeros(prefix + b.shape, dtype: like.dtype), more)
}
