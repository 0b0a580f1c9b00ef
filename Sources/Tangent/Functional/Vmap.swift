import ComplexModule
import RealModule

/// The mapped dim of each leaf of a
/// ``vmap(of:inDims:outDims:chunkSize:randomness:)-(_,VmapDims,_,_,_)`` input or output: one
/// dim for every leaf (an integer literal), `nil` for none (an unbatched input, or an output
/// that does not depend on the batch), or one entry per leaf (an array literal, in the order
/// of ``TensorTree/leaves``), like the `in_dims`/`out_dims` of `torch.func.vmap` and
/// `jax.vmap`. Negative dims count from the end.
public struct VmapDims: Sendable, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral {
  enum Form: Sendable {
    case all(Int?)
    case perLeaf([Int?])
  }
  let form: Form

  /// The same dim for every leaf.
  public init(integerLiteral value: Int) { form = .all(value) }
  /// No dim: the leaves are not mapped.
  public init(nilLiteral: ()) { form = .all(nil) }
  /// One dim per leaf (`nil` for a leaf that is not mapped).
  public init(arrayLiteral elements: Int?...) { form = .perLeaf(elements) }
  /// One dim per leaf (`nil` for a leaf that is not mapped).
  public init(_ dims: [Int?]) { form = .perLeaf(dims) }
  /// The same dim (or none) for every leaf.
  public static func all(_ dim: Int?) -> VmapDims { VmapDims(form: .all(dim)) }
  init(form: Form) { self.form = form }

  /// The dims for `count` leaves.
  func resolved(count: Int, what: String) -> [Int?] {
    switch form {
    case let .all(d): return Array(repeating: d, count: count)
    case let .perLeaf(dims):
      check(dims.count == count, "vmap: \(what) lists \(dims.count) dims for \(count) leaves")
      return dims
    }
  }
}

/// Maps `f` over a batch dim of its input, like `torch.func.vmap` and `jax.vmap`.
///
/// `vmap(of: f)(x)` equals stacking `f(x[i])` for every `i` along dim 0 (or `inDim`), but runs
/// each op once for the whole batch through its batching rule (see
/// ``DifferentiableOp/batched(_:isBatched:batchSize:)``); ops with no rule loop over the batch,
/// which is correct and slower (``Batching/loopedOps(during:)`` lists them). Inside `f` the
/// input has the shape of one member.
///
/// vmap composes with every transform, both ways round: `vmap(of: { gradient(of: loss, at: $0) })`
/// gives per-sample gradients, `vmap` of a `jvp` is a Jacobian, `jvp` or `gradient` of a
/// vmapped function differentiate the whole batch, and vmaps nest.
///
/// ```swift
/// let norms = vmap(of: { x in (x * x).sum().sqrt() })(Tensor.randn([64, 10]))  // shape [64]
/// ```
///
/// - Parameters:
///   - f: the function of one batch member.
///   - inDim: the dim of the input that holds the batch, or `nil` to pass it unmapped.
///   - outDim: where the batch goes in the output.
///   - chunkSize: the most batch members mapped at once; a larger batch runs in chunks, which
///     bounds memory (as `chunk_size` in PyTorch). `nil` maps the whole batch at once.
///   - randomness: what random ops inside `f` do (``VmapRandomness``).
/// - Returns: the mapped function.
/// - Precondition: the input has the dim; `chunkSize` is positive.
public func vmap(
  of f: @escaping (Tensor) -> Tensor, inDim: Int? = 0, outDim: Int = 0, chunkSize: Int? = nil,
  randomness: VmapRandomness = .error
) -> (Tensor) -> Tensor {
  { x in
    Vmap.map(
      { [f($0[0])] }, [x], inDims: [inDim], outDims: .all(outDim), chunkSize: chunkSize, randomness: randomness)[0]
  }
}

/// Maps `f` over a batch dim of the leaves of its input tree, giving a tree: the structured
/// form of ``vmap(of:inDim:outDim:chunkSize:randomness:)``, like `jax.vmap` over pytrees.
///
/// - Parameters:
///   - f: the function of one example.
///   - inDims: one dim for every leaf of the input, `nil` for none, or one per leaf.
///   - outDims: the same for the output's leaves.
///   - chunkSize: the number of examples mapped at once, as for
///     ``vmap(of:inDim:outDim:chunkSize:randomness:)``; `nil` maps the whole batch at once.
///   - randomness: what random ops inside `f` do (``VmapRandomness``).
/// - Returns: the mapped function.
/// - Precondition: at least one leaf is mapped, and the mapped leaves have the same size
///   along their mapped dims.
public func vmap<In: TensorTree, Out: TensorTree>(
  of f: @escaping (In) -> Out, inDims: VmapDims = 0, outDims: VmapDims = 0, chunkSize: Int? = nil,
  randomness: VmapRandomness = .error
) -> (In) -> Out {
  { x in
    let leaves = x.leaves
    var shape: Out?
    let outs = Vmap.map(
      { inner in
        let y = f(x.rebuilt(from: inner))
        shape = y
        return y.leaves
      }, leaves, inDims: inDims.resolved(count: leaves.count, what: "inDims"), outDims: outDims,
      chunkSize: chunkSize, randomness: randomness)
    return shape!.rebuilt(from: outs)
  }
}

/// Maps `f` over batch dims of its two inputs (`nil` for an input passed unmapped), like
/// `vmap(f, in_dims=(0, None))`.
public func vmap<A: TensorTree, B: TensorTree, Out: TensorTree>(
  of f: @escaping (A, B) -> Out, inDims: (VmapDims, VmapDims) = (0, 0), outDims: VmapDims = 0,
  chunkSize: Int? = nil, randomness: VmapRandomness = .error
) -> (A, B) -> Out {
  { a, b in
    let la = a.leaves
    let lb = b.leaves
    var shape: Out?
    let dims = inDims.0.resolved(count: la.count, what: "inDims.0") + inDims.1.resolved(count: lb.count, what: "inDims.1")
    let outs = Vmap.map(
      { inner in
        let y = f(a.rebuilt(from: Array(inner.prefix(la.count))), b.rebuilt(from: Array(inner.dropFirst(la.count))))
        shape = y
        return y.leaves
      }, la + lb, inDims: dims, outDims: outDims, chunkSize: chunkSize, randomness: randomness)
    return shape!.rebuilt(from: outs)
  }
}

/// The implementation of `vmap` over lists of leaves.
enum Vmap {
  static func map(
    _ f: ([Tensor]) -> [Tensor], _ inputs: [Tensor], inDims: [Int?], outDims: VmapDims, chunkSize: Int?,
    randomness: VmapRandomness
  ) -> [Tensor] {
    // The mapped dims, normalised, and the batch size they agree on.
    var dims: [Int?] = []
    var size: Int?
    var first = 0
    for (i, (x, d)) in zip(inputs, inDims).enumerated() {
      guard let d else {
        dims.append(nil)
        continue
      }
      check(x.rank >= 1, "vmap: input leaf \(i) is 0-d (shape []), so it has no dim \(d) to map over; pass nil as its in dim")
      check(
        d >= -x.rank && d < x.rank,
        "vmap: in dim \(d) is out of range for input leaf \(i) of shape \(x.shape)")
      let nd = d < 0 ? d + x.rank : d
      dims.append(nd)
      if let size {
        check(
          x.shape[nd] == size,
          "vmap: the mapped inputs have different batch sizes: \(size) (leaf \(first), dim \(inDims[first]!)) and \(x.shape[nd]) (leaf \(i), dim \(d))")
      } else {
        size = x.shape[nd]
        first = i
      }
    }
    guard let size else { misuse("vmap: no input is mapped (every in dim is nil); map at least one") }
    if let chunkSize {
      check(chunkSize > 0, "vmap: chunkSize must be positive, got \(chunkSize)")
      if chunkSize < size {
        var parts: [[Tensor]] = []
        var start = 0
        var outDimsFound: [Int?] = []
        while start < size {
          let n = Swift.min(chunkSize, size - start)
          let chunk = inputs.indices.map { i in dims[i].map { inputs[i].narrowed(dim: $0, start: start, length: n) } ?? inputs[i] }
          let (outs, od) = mapChunk(f, chunk, dims: dims, size: n, outDims: outDims, randomness: randomness)
          parts.append(outs)
          outDimsFound = od
          start += n
        }
        return parts[0].indices.map { j in
          guard let d = outDimsFound[j] else { return parts[0][j] }
          return Tensor.cat(parts.map { $0[j] }, dim: d)
        }
      }
    }
    return mapChunk(f, inputs, dims: dims, size: size, outDims: outDims, randomness: randomness).outputs
  }

  /// Maps one chunk: opens a vmap level, wraps the mapped inputs, runs `f`, and moves the
  /// batch of each output to its out dim (`nil` for an unmapped output).
  static func mapChunk(
    _ f: ([Tensor]) -> [Tensor], _ inputs: [Tensor], dims: [Int?], size: Int, outDims: VmapDims,
    randomness: VmapRandomness
  ) -> (outputs: [Tensor], outDims: [Int?]) {
    let level = nextLevelID()
    let context = AutodiffContext.current
    let frame = BatchFrame(level: level, size: size, randomness: randomness)
    return AutodiffContext.$current.withValue(context.with(batchFrames: context.batchFrames + [frame])) {
      let wrapped = inputs.indices.map { i in
        dims[i].map { Tensor.batched($0 == 0 ? inputs[i] : inputs[i].movedim($0, to: 0), level: level, op: "vmap") } ?? inputs[i]
      }
      let outs = f(wrapped)
      let wanted = outDims.resolved(count: outs.count, what: "outDims")
      var placed: [Int?] = []
      let results = outs.enumerated().map { j, y -> Tensor in
        check(
          !y.carriesLayer(above: level),
          "vmap: output leaf \(j) carries a tangent or tape link of a transform opened inside the mapped function: it leaked out of that transform")
        guard let d = wanted[j] else {
          check(
            y.batchValues(at: level) == nil,
            "vmap: output leaf \(j) depends on the batch, but its out dim is nil")
          placed.append(nil)
          return y
        }
        let p = y.batchValues(at: level) ?? y.unsqueezed(dim: 0).expanded(to: [size] + y.shape)
        check(d >= -p.rank && d < p.rank, "vmap: out dim \(d) is out of range for output leaf \(j) of shape \(y.shape) with the batch (rank \(p.rank))")
        let nd = d < 0 ? d + p.rank : d
        placed.append(nd)
        return nd == 0 ? p : p.movedim(0, to: nd)
      }
      return (results, placed)
    }
  }
}
