import ComplexModule
import RealModule

/// Applies ops to tensors that may carry tangents or tape links, and runs backward passes.
///
/// Ops call ``Tensor/apply(_:_:)->[Tensor]``; its fast path, for inputs with no autodiff state, calls
/// the primal and nothing else. The rest lives here, with no switch over ops: the engine only
/// knows the ``DifferentiableOp`` protocol.
public enum Autodiff {
  /// The general path of ``Tensor/apply(_:_:)``.
  static func applyGeneral<Op: DifferentiableOp>(_ op: Op, _ inputs: [Tensor]) -> [Tensor] {
    let context = AutodiffContext.current
    let plain = inputs.map(\.detached)
    var outputs = op.primal(plain)

    // Reverse mode: record a node when some input needs a gradient below the ceiling.
    var node: GradNode?
    if context.isRecording {
      var edges: [GradEdge?] = []
      var level = Int.max
      edges.reserveCapacity(inputs.count)
      for x in inputs {
        if let e = x.autodiff?.edge, e.node.level < context.recordingCeiling {
          edges.append(e)
          level = Swift.min(level, e.node.level)
        } else {
          edges.append(nil)
        }
      }
      if level != Int.max {
        let n = GradNode(op: op, level: level, inputs: inputs, edges: edges)
        node = n
        for i in outputs.indices where outputs[i].dtype.isFloatingPoint {
          outputs[i].autodiff = AutodiffState(tangents: [], edge: GradEdge(node: n, index: i))
        }
      }
    }

    // Forward mode: one pass per open level, lowest first, so each level's rule sees
    // inputs and outputs that carry exactly the lower levels.
    var levels: [Int] = []
    for x in inputs {
      for t in x.levelTangents where !levels.contains(t.level) {
        if context.isOpen(t.level) {
          levels.append(t.level)
        } else {
          check(
            context.isReplaying,
            "\(op.name): an input carries a tangent of dual level \(t.level), which has closed: a dual tensor leaked out of its withDualLevel (or jvp) scope")
        }
      }
    }
    levels.sort()
    for level in levels {
      var primals: [Tensor] = []
      var tangents: [Tensor?] = []
      var chunk: Int? = nil
      for x in inputs {
        primals.append(x.keepingTangents(below: level))
        let t = x.storedTangent(at: level)
        if let t {
          let c = x.chunkDims(of: t, op: op.name) == 1 ? t.shape[0] : 0
          check(
            chunk == nil || chunk == c,
            "\(op.name): tangents of one dual level have different chunk sizes (\(chunk!) and \(c))")
          chunk = c
        }
        tangents.append(t)
      }
      // Lower the recording ceiling to this level while the rule runs, unless nothing the
      // rule sees is on a tape (then there is nothing to record and the switch is skipped).
      let taped = node != nil || inputs.contains { x in x.levelTangents.contains { $0.value.autodiff?.edge != nil } }
      let outTangents = taped
        ? AutodiffContext.$current.withValue(context.with(recordingCeiling: Swift.min(context.recordingCeiling, level))) {
          op.jvp(inputs: primals, outputs: outputs, tangents: tangents)
        }
        : op.jvp(inputs: primals, outputs: outputs, tangents: tangents)
      check(outTangents.count == outputs.count, "\(op.name): the JVP returned \(outTangents.count) tangents for \(outputs.count) outputs")
      let prefix = (chunk ?? 0) > 0 ? [chunk!] : []
      for i in outputs.indices {
        guard let t = outTangents[i], outputs[i].dtype.isFloatingPoint else { continue }
        let fitted = fitTangent(t, to: prefix + outputs[i].shape, dtype: outputs[i].dtype, op: op.name)
        let state = outputs[i].autodiff
        outputs[i].autodiff = AutodiffState(
          tangents: (state?.tangents ?? []) + [LevelTangent(level: level, value: fitted)], edge: state?.edge)
      }
    }
    node?.saveOutputs(outputs)
    return outputs
  }

  /// The common forward-mode case of a two-input op without the general machinery: plain
  /// tangents of one open level, no tape links. `nil` when the case does not apply.
  static func binaryForward<Op: BinaryOp>(_ op: Op, _ a: Tensor, _ b: Tensor) -> Tensor? {
    let ta = a.autodiff?.tangents ?? [], tb = b.autodiff?.tangents ?? []
    guard a.autodiff?.edge == nil, b.autodiff?.edge == nil, ta.count <= 1, tb.count <= 1 else { return nil }
    guard let level = ta.first?.level ?? tb.first?.level else { return nil }
    if let l = tb.first?.level, l != level { return nil }
    let da = ta.first?.value, db = tb.first?.value
    guard da?.autodiff == nil, db?.autodiff == nil, AutodiffContext.current.isOpen(level) else { return nil }
    let ca = da.map { $0.rank - a.rank }, cb = db.map { $0.rank - b.rank }
    if let ca, let cb, ca != cb || (ca == 1 && da!.shape[0] != db!.shape[0]) { return nil }
    let pa = a.detached, pb = b.detached
    var y: Tensor
    var dy: Tensor?
    if let r = op.primalAndTangent(a: pa, b: pb, da: da, db: db) {
      (y, dy) = r
    } else {
      y = op.primal(pa, pb)
      dy = op.jvp(inputs: [pa, pb], outputs: [y], tangents: [da, db])[0]
    }
    guard y.dtype.isFloatingPoint, var t = dy else { return y }
    let chunk = (ca ?? cb ?? 0) == 1 ? [(da ?? db)!.shape[0]] : []
    if t.shape != chunk + y.shape || t.dtype != y.dtype || t.autodiff != nil {
      t = fitTangent(t, to: chunk + y.shape, dtype: y.dtype, op: op.name)
    }
    y.autodiff = AutodiffState(tangents: [LevelTangent(level: level, value: t)], edge: nil)
    return y
  }

  /// Checks and adjusts a rule's tangent: broadcasts it to the expected shape and matches the
  /// precision of the output.
  static func fitTangent(_ t: Tensor, to shape: [Int], dtype: DType, op: String) -> Tensor {
    var t = t
    if t.dtype != dtype {
      check(
        t.dtype.isComplex == dtype.isComplex || !t.dtype.isComplex,
        "\(op): the JVP gave a \(t.dtype) tangent for a \(dtype) output")
      t = t.converted(to: dtype)
    }
    if t.shape != shape {
      check(
        Shape.broadcast(t.shape, shape) == shape,
        "\(op): the JVP gave a tangent of shape \(t.shape) for an output tangent of shape \(shape)")
      t = t.expanded(to: shape)
    }
    return t
  }

  /// Checks and adjusts a rule's cotangent for an input of the given shape and dtype.
  static func fitCotangent(_ g: Tensor, shape: [Int], dtype: DType, op: String) -> Tensor {
    var g = g
    if g.dtype.isComplex && !dtype.isComplex { g = g.real }
    if g.dtype != dtype && dtype.isFloatingPoint { g = g.converted(to: dtype) }
    if g.shape != shape {
      check(
        Shape.broadcast(g.shape, shape) == shape,
        "\(op): the VJP gave a cotangent of shape \(g.shape) for an input of shape \(shape)")
      g = g.expanded(to: shape)
    }
    return g
  }

  /// Runs a backward pass from `roots`, each seeded with a cotangent.
  ///
  /// - Parameters:
  ///   - roots: the outputs and their seeds (cotangents of the same shape).
  ///   - capture: edges whose total cotangent is returned, in order (`nil` when none arrived).
  ///   - accumulateIntoLeaves: whether leaves add their cotangent to their `grad`.
  ///   - retainGraph: whether nodes keep their saved tensors for another pass.
  ///   - stopAtCaptures: whether the pass ends at the captured nodes (a gradient transform's
  ///     inputs) instead of flowing on into the graph of outer transforms.
  ///   - chunk: K when every seed carries K cotangents at once (a leading chunk dimension of
  ///     size K); the captured cotangents then have it too. Not with `accumulateIntoLeaves`.
  static func backward(
    roots: [(Tensor, Tensor)], capture: [GradEdge?], accumulateIntoLeaves: Bool, retainGraph: Bool,
    stopAtCaptures: Bool, chunk: Int? = nil
  ) -> [Tensor?] {
    let context = AutodiffContext.current
    if !context.isReplaying {
      return AutodiffContext.$current.withValue(context.with(isReplaying: true)) {
        backward(
          roots: roots, capture: capture, accumulateIntoLeaves: accumulateIntoLeaves, retainGraph: retainGraph,
          stopAtCaptures: stopAtCaptures, chunk: chunk)
      }
    }
    check(chunk == nil || !accumulateIntoLeaves, "backward: chunked cotangents cannot accumulate into leaves")
    let prefix = chunk.map { [$0] } ?? []
    let captureIDs = Set(capture.compactMap { $0.map { ObjectIdentifier($0.node) } })
    // Dependency counts over the nodes reachable from the roots.
    var dependents: [ObjectIdentifier: Int] = [:]
    var stack: [GradNode] = []
    var seen: Set<ObjectIdentifier> = []
    for (y, _) in roots {
      if let e = y.autodiff?.edge, seen.insert(ObjectIdentifier(e.node)).inserted { stack.append(e.node) }
    }
    while let n = stack.popLast() {
      if stopAtCaptures && captureIDs.contains(ObjectIdentifier(n)) { continue }
      for e in n.edges {
        guard let e else { continue }
        let id = ObjectIdentifier(e.node)
        dependents[id, default: 0] += 1
        if seen.insert(id).inserted { stack.append(e.node) }
      }
    }

    var buffers: [ObjectIdentifier: [Tensor?]] = [:]
    func add(_ g: Tensor, to edge: GradEdge) {
      let id = ObjectIdentifier(edge.node)
      var b = buffers[id] ?? []
      if b.count <= edge.index { b += Array(repeating: nil, count: edge.index + 1 - b.count) }
      b[edge.index] = b[edge.index].map { $0 + g } ?? g
      buffers[id] = b
    }
    var ready: [GradNode] = []
    var queued: Set<ObjectIdentifier> = []
    for (y, seed) in roots {
      guard let e = y.autodiff?.edge else { continue }
      check(seed.shape == prefix + y.shape, "backward: the seed's shape \(seed.shape) differs from the output's \(prefix + y.shape)")
      add(seed, to: e)
      let id = ObjectIdentifier(e.node)
      if dependents[id, default: 0] == 0 && queued.insert(id).inserted { ready.append(e.node) }
    }

    var captured: [ObjectIdentifier: [Tensor?]] = [:]
    while let n = ready.popLast() {
      let id = ObjectIdentifier(n)
      let cots = buffers.removeValue(forKey: id) ?? []
      if captureIDs.contains(id) {
        captured[id] = cots
        if stopAtCaptures { continue }
      }
      if n.isLeaf {
        if accumulateIntoLeaves, let g = cots.first ?? nil { n.accumulate(g) }
        continue
      }
      var padded = cots
      if padded.count < n.outputCount { padded += Array(repeating: nil, count: n.outputCount - padded.count) }
      let grads = padded.contains { $0 != nil }
        ? n.backward(padded, retainGraph: retainGraph, chunk: chunk)
        : Array(repeating: nil, count: n.edges.count)
      for (i, e) in n.edges.enumerated() {
        guard let e else { continue }
        if let g = grads[i] {
          add(fitCotangent(g, shape: prefix + n.inputShapes[i], dtype: n.inputDTypes[i], op: n.name), to: e)
        }
        let cid = ObjectIdentifier(e.node)
        dependents[cid]! -= 1
        if dependents[cid]! == 0 { ready.append(e.node) }
      }
    }
    return capture.map { e in
      guard let e, let b = captured[ObjectIdentifier(e.node)], e.index < b.count else { return nil }
      return b[e.index]
    }
  }
}

extension Tensor {
  /// Applies a differentiable op to inputs, giving its outputs with their tangents and tape
  /// links. The fast path, when no input carries autodiff state, is a plain call of the primal.
  public static func apply<Op: DifferentiableOp>(_ op: Op, _ inputs: [Tensor]) -> [Tensor] {
    for x in inputs where x.autodiff != nil { return Autodiff.applyGeneral(op, inputs) }
    return op.primal(inputs)
  }

  /// Applies a one-input op.
  public static func apply<Op: UnaryOp>(_ op: Op, _ x: Tensor) -> Tensor {
    guard let state = x.autodiff else { return op.primal(x) }
    // The common forward-mode case, without the general machinery: one plain tangent at an
    // open level, no tape link.
    if state.edge == nil, state.tangents.count == 1, state.tangents[0].value.autodiff == nil {
      let t = state.tangents[0]
      if AutodiffContext.current.isOpen(t.level) {
        let plain = x.detached
        let y = op.primal(plain)
        guard y.dtype.isFloatingPoint else { return y }
        // The array form, so an op that refines it (to drop a zero tangent, say) is respected.
        guard var dy = op.jvp(inputs: [plain], outputs: [y], tangents: [t.value])[0] else { return y }
        let expected = t.value.rank > x.rank ? [t.value.shape[0]] + y.shape : y.shape
        if dy.shape != expected || dy.dtype != y.dtype || dy.autodiff != nil {
          dy = Autodiff.fitTangent(dy, to: expected, dtype: y.dtype, op: op.name)
        }
        var out = y
        out.autodiff = AutodiffState(tangents: [LevelTangent(level: t.level, value: dy)], edge: nil)
        return out
      }
    }
    return Autodiff.applyGeneral(op, [x])[0]
  }

  /// Applies a two-input op.
  public static func apply<Op: BinaryOp>(_ op: Op, _ a: Tensor, _ b: Tensor) -> Tensor {
    if a.autodiff == nil && b.autodiff == nil { return op.primal(a, b) }
    if let y = Autodiff.binaryForward(op, a, b) { return y }
    return Autodiff.applyGeneral(op, [a, b])[0]
  }
}
