/// Pairs each leaf of `x` with its tangent at `level`, checking the shapes: each tangent has
/// its leaf's shape, or with `chunked` one leading chunk dimension of the same size K on
/// every leaf. Returns the duals and K.
func makeDuals<T: TensorTree>(_ x: T, _ v: T, at level: DualLevel, chunked: Bool, op: String) -> (T, chunk: Int?) {
  let xs = x.leaves, vs = v.leaves
  check(xs.count == vs.count, "\(op): the tangent has \(vs.count) tensors, the point has \(xs.count)")
  let chunk = checkedChunk(points: xs.map(\.shape), directions: vs.map(\.shape), chunked: chunked, op: op, what: "tangent")
  return (x.rebuilt(from: zip(xs, vs).map { $0.dual(tangent: $1, at: level) }), chunk)
}

/// Checks the shapes of directions (tangents or cotangents) against the shapes of their
/// points: equal, or with `chunked` a leading chunk dimension of one size K on all of them.
/// Returns K (`nil` when not chunked).
func checkedChunk(points: [[Int]], directions: [[Int]], chunked: Bool, op: String, what: String) -> Int? {
  var chunk: Int? = nil
  for (p, d) in zip(points, directions) {
    if chunked {
      check(
        d.count == p.count + 1 && Array(d.dropFirst()) == p,
        "\(op): a chunked \(what) of shape \(d) does not fit a primal of shape \(p) (expected [K] + \(p))")
      check(
        chunk == nil || chunk == d[0],
        "\(op): chunked \(what)s have different chunk sizes (\(chunk ?? 0) and \(d[0]))")
      chunk = d[0]
    } else {
      check(
        d == p,
        "\(op): a \(what) of shape \(d) does not fit a primal of shape \(p); to push K directions at once, pass chunked: true with \(what)s of shape [K] + \(p)")
    }
  }
  return chunk
}

/// Splits each leaf of `y` into its primal and tangent at `level` (zero tangents made explicit,
/// with `chunk` leading directions when given).
func splitDuals<T: TensorTree>(_ y: T, at level: DualLevel, chunk: Int? = nil) -> (T, T) {
  var primals: [Tensor] = [], tangents: [Tensor] = []
  for leaf in y.leaves {
    let (p, t) = leaf.unpacked(at: level)
    primals.append(p)
    tangents.append(t ?? Tensor.zeros(like: p.detached, shape: (chunk.map { [$0] } ?? []) + p.shape))
  }
  return (y.rebuilt(from: primals), y.rebuilt(from: tangents))
}

/// The value of `f` at `x` and its Jacobian-vector product along `v`, by forward mode:
/// one evaluation of `f` on dual tensors.
///
/// Like `torch.func.jvp` and `jax.jvp`. Transforms nest: `jvp` inside `jvp` gives
/// forward-over-forward derivatives with no perturbation confusion. A function that throws
/// (a `Linalg` call) is differentiated with `try`.
/// - Parameters:
///   - f: the function; its input and output are tensors or ``TensorTree`` values.
///   - x: the point.
///   - v: the direction, of the same structure and shapes as `x`; with `chunked`, every leaf
///     has one leading chunk dimension of the same size K (K directions pushed at once).
///   - chunked: whether `v` carries K directions; the tangent then has shape `[K] + shape`
///     on every output leaf.
/// - Returns: `f(x)` and `J_f(x) · v`.
/// - Precondition: each leaf of `v` has the shape of its leaf of `x` (`[K] + shape` when
///   `chunked`).
public func jvp<In: TensorTree, Out: TensorTree>(
  of f: (In) throws -> Out, at x: In, along v: In, chunked: Bool = false
) rethrows -> (value: Out, tangent: Out) {
  try forwardJVP(of: f, at: x, along: v, chunked: chunked)
}

/// ``jvp(of:at:along:chunked:)`` for a function of one tensor: a concrete entry point, so a
/// caller in another module runs code specialised for `Tensor` instead of generic code that
/// looks up ``TensorTree`` conformances at run time (a few microseconds per call).
public func jvp(
  of f: (Tensor) throws -> Tensor, at x: Tensor, along v: Tensor, chunked: Bool = false
) rethrows -> (value: Tensor, tangent: Tensor) {
  try forwardJVP(of: f, at: x, along: v, chunked: chunked)
}

/// ``jvp(of:at:along:chunked:)`` for a function of a list of tensors, specialised like the
/// one-tensor form.
public func jvp(
  of f: ([Tensor]) throws -> [Tensor], at x: [Tensor], along v: [Tensor], chunked: Bool = false
) rethrows -> (value: [Tensor], tangent: [Tensor]) {
  try forwardJVP(of: f, at: x, along: v, chunked: chunked)
}

/// The body of ``jvp(of:at:along:chunked:)``, specialised by the compiler for each concrete
/// entry point.
func forwardJVP<In: TensorTree, Out: TensorTree>(
  of f: (In) throws -> Out, at x: In, along v: In, chunked: Bool
) rethrows -> (value: Out, tangent: Out) {
  try withDualLevel { level in
    let (duals, chunk) = makeDuals(x, v, at: level, chunked: chunked, op: "jvp")
    return splitDuals(try f(duals), at: level, chunk: chunk)
  }
}

/// ``jvp(of:at:along:chunked:)`` for a function that also returns an auxiliary value, which
/// is passed through undifferentiated (JAX's `has_aux`).
public func jvp<In: TensorTree, Out: TensorTree, Aux>(
  of f: (In) throws -> (Out, Aux), at x: In, along v: In, chunked: Bool = false
) rethrows -> (value: Out, tangent: Out, aux: Aux) {
  try withDualLevel { level in
    let (duals, chunk) = makeDuals(x, v, at: level, chunked: chunked, op: "jvp")
    let (y, aux) = try f(duals)
    let (p, t) = splitDuals(y, at: level, chunk: chunk)
    return (p, t, aux)
  }
}

/// The Jacobian of `f` at `x` by forward mode, like `torch.func.jacfwd`.
///
/// The result has shape `f(x).shape + x.shape`. Each pass pushes `chunkSize` tangent
/// directions at once (chunked tangents), so f: Rⁿ → Rᵐ costs ⌈n / chunkSize⌉ passes.
/// - Parameters:
///   - f: the function.
///   - x: the point.
///   - chunkSize: directions per pass; by default all of them, up to 64.
/// - Complexity: ⌈n / chunkSize⌉ evaluations of f on dual tensors.
public func jacfwd(of f: (Tensor) throws -> Tensor, at x: Tensor, chunkSize: Int? = nil) rethrows -> Tensor {
  let n = x.count
  let k = Swift.max(1, Swift.min(chunkSize ?? 64, Swift.max(n, 1)))
  check(chunkSize == nil || chunkSize! > 0, "jacfwd: chunkSize must be positive, got \(chunkSize!)")
  var columns: [Tensor] = []
  var outShape: [Int] = []
  var start = 0
  repeat {
    let width = Swift.min(k, n - start)
    let basis = Tensor.basis(rows: width, offset: start, shape: x.shape, dtype: x.dtype)
    let (y, t) = try jvp(of: f, at: x, along: basis, chunked: true)
    outShape = y.shape
    columns.append(t)
    start += width
  } while start < n
  // Columns are [width] + outShape; the Jacobian is outShape + x.shape.
  let stacked = Tensor.concatenatingLeading(columns, total: n, rest: outShape)
  let moved = stacked.permuted(Array(1..<(outShape.count + 1)) + [0])
  return moved.reshaped(outShape + x.shape)
}

/// The value of `f` at `x` and a function that computes Jacobian-vector products at `x`,
/// like `jax.linearize`.
///
/// `f` runs once, recorded on a tape; each call of the returned function replays that tape
/// forwards, applying every op's JVP rule at the saved point, so the primal is never
/// recomputed. The returned function can be called many times, with directions of `x`'s
/// structure and shapes (with `chunked`, one leading chunk dimension of the same size K on
/// every leaf, and then the results have it too). It keeps the tape's saved tensors alive,
/// like a pullback does.
/// - Precondition (of the returned function): each direction has its input's shape
///   (`[K] + shape` when `chunked`).
public func linearize<In: TensorTree, Out: TensorTree>(
  of f: (In) throws -> Out, at x: In, chunked: Bool = false
) rethrows -> (value: Out, jvp: (In) -> Out) {
  try withGradientLeaves(x, savingAllValues: true) { xs, leaves, level in
    let y = try f(xs)
    let tape = LinearizedTape(inputs: leaves, outputs: y.leaves, level: level)
    let value = y.rebuilt(from: y.leaves.map(\.detached))
    let shapes = x.leaves.map(\.shape)
    return (value, { v in
      let chunk = checkedChunk(points: shapes, directions: v.leaves.map(\.shape), chunked: chunked, op: "linearize", what: "tangent")
      return y.rebuilt(from: tape.tangents(along: v.leaves, chunk: chunk))
    })
  }
}

/// A recorded forward pass, replayed forwards to push tangents.
final class LinearizedTape: @unchecked Sendable {
  let inputEdges: [GradEdge?]
  let outputs: [Tensor]
  /// The gradient level of the recording: replays record only for outer transforms.
  let level: Int
  /// The nodes between the inputs and the outputs, inputs first.
  let order: [GradNode]

  init(inputs: [Tensor], outputs: [Tensor], level: Int) {
    self.level = level
    inputEdges = inputs.map { $0.autodiff?.edge }
    self.outputs = outputs
    let stops = Set(inputEdges.compactMap { $0.map { ObjectIdentifier($0.node) } })
    var seen: Set<ObjectIdentifier> = []
    var order: [GradNode] = []
    // Iterative post-order depth-first search from the outputs.
    var stack: [(GradNode, Bool)] = outputs.compactMap { $0.autodiff?.edge.map { ($0.node, false) } }
    while let (node, expanded) = stack.popLast() {
      let id = ObjectIdentifier(node)
      if expanded { order.append(node); continue }
      if !seen.insert(id).inserted { continue }
      stack.append((node, true))
      if stops.contains(id) { continue }
      for e in node.edges { if let e, !seen.contains(ObjectIdentifier(e.node)) { stack.append((e.node, false)) } }
    }
    self.order = order
  }

  /// The outputs' tangents for the inputs' tangents `v`.
  /// With `chunk` K, every tangent carries K directions in a leading dimension.
  func tangents(along v: [Tensor], chunk: Int?) -> [Tensor] {
    check(v.count == inputEdges.count, "linearize: \(v.count) tangents for \(inputEdges.count) inputs")
    var values: [ObjectIdentifier: [Tensor?]] = [:]
    for (e, t) in zip(inputEdges, v) {
      guard let e else { continue }
      values[ObjectIdentifier(e.node), default: []] = [t]
    }
    let context = AutodiffContext.current
    AutodiffContext.$current.withValue(
      context.with(recordingCeiling: Swift.min(context.recordingCeiling, level), isReplaying: true)
    ) {
      for node in order where values[ObjectIdentifier(node)] == nil {
        let inputs = node.edges.map { e -> Tensor? in
          guard let e, let out = values[ObjectIdentifier(e.node)], e.index < out.count else { return nil }
          return out[e.index]
        }
        values[ObjectIdentifier(node)] = node.forwardTangents(inputs)
      }
    }
    return outputs.map { y in
      if let e = y.autodiff?.edge, let out = values[ObjectIdentifier(e.node)], e.index < out.count, let t = out[e.index] {
        return Autodiff.fitTangent(t, to: (chunk.map { [$0] } ?? []) + y.shape, dtype: y.dtype, op: "linearize", chunk: chunk)
      }
      return Tensor.zeros(like: y.detached, shape: (chunk.map { [$0] } ?? []) + y.shape)
    }
  }
}

extension Tensor {
  /// `rows` one-hot directions e_offset … e_(offset+rows−1) over a tensor of `shape`, as a
  /// tensor of shape `[rows] + shape`.
  static func basis(rows: Int, offset: Int, shape: [Int], dtype: DType) -> Tensor {
    let n = Shape.count(shape)
    var values = [Double](repeating: 0, count: rows * n)
    for r in 0..<rows { values[r * n + offset + r] = 1 }
    return Tensor(shape: [rows] + shape, scalars: values).converted(to: dtype)
  }

  /// Concatenates tensors of shape `[w_i] + rest` along their first dim: a plain copy, or a
  /// differentiable concatenation when a part carries derivatives of outer transforms.
  static func concatenatingLeading(_ parts: [Tensor], total: Int, rest: [Int]) -> Tensor {
    if parts.contains(where: { $0.autodiff != nil }) {
      return parts.count == 1 ? parts[0] : Tensor.cat(parts, dim: 0)
    }
    let dtype = parts.first?.dtype ?? .float64
    let out = Tensor(uninitializedShape: [total] + rest, dtype: dtype)
    var at = 0
    for p in parts {
      let c = p.detached.contiguousValues(dtype: dtype)
      let bytes = c.count * dtype.byteCount
      (out.storage.base + at).copyMemory(from: c.storage.base, byteCount: bytes)
      at += bytes
    }
    return out
  }
}
