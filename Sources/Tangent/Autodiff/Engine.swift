import ComplexModule
import RealModule

/// Applies ops to tensors that may carry tangents or tape links, and runs backward passes.
///
/// Ops call ``Tensor/apply(_:_:)->[Tensor]``; its fast path, for inputs with no autodiff state, calls
/// the primal and nothing else. The rest lives here, with no switch over ops: the engine only
/// knows the ``DifferentiableOp`` protocol.
public enum Autodiff {
  /// The one forward path of ``Tensor/apply(_:_:)`` for inputs with autodiff state.
  ///
  /// It records a tape node when an input needs a gradient below the recording ceiling, then
  /// pushes the tangents of each open dual level through the op's JVP rule, lowest level
  /// first. The common `jvp` case (one open level, plain tangents, nothing to record) is a
  /// specialisation of the same path: it skips the tape and may compute the output and its
  /// tangent together (``DifferentiableOp/primalAndTangents(_:tangents:)``). Both go through
  /// ``forwardLevel(_:primals:tangents:outputs:level:)``, which holds every forward check.
  static func apply<Op: DifferentiableOp>(_ op: Op, _ inputs: [Tensor]) -> [Tensor] {
    // The batch layer of the innermost vmap level among the inputs, if any: when it is the
    // innermost layer of every input, the op takes its batching rule (Autodiff/Batching.swift).
    var batchLevel = -1
    var mixedLinks = false
    for x in inputs {
      guard let ad = x.autodiff else { continue }
      if ad.trace != nil { return traceSparsity(op, inputs) }
      if let b = ad.batch, b.level > batchLevel { batchLevel = b.level }
      if ad.edge?.node.servedLevels != nil { mixedLinks = true }
    }
    // A constant of the op (a mask) batched by vmap batches the op too.
    for p in op.tensorParameters { if let b = p.autodiff?.batch, b.level > batchLevel { batchLevel = b.level } }
    // A tape link serving gradient levels on both sides of an open vmap level (a gradient
    // taken inside the vmap of a value an outer gradient tracks) splits there like a batch.
    if mixedLinks { batchLevel = Swift.max(batchLevel, Batching.splitLevel(of: inputs)) }
    if batchLevel >= 0 && !inputs.contains(where: { $0.carriesLayer(above: batchLevel) }) {
      return applyBatched(op, inputs, level: batchLevel)
    }
    let context = AutodiffContext.current
    // Tape links this op cannot record (see `droppingDeadLinks`) are dropped first, so the
    // op takes the plain or the one-level path when nothing else rides along.
    var inputs = inputs
    if batchLevel < 0, let live = droppingDeadLinks(inputs, ceiling: context.recordingCeiling) {
      if !live.contains(where: { $0.autodiff != nil }) { return ReplayRecorder.primal(op, live) }
      inputs = live
    }
    // With batched inputs, this path handles only the layers above the batch (transforms
    // opened inside the vmap); those below it are the batched primal's (`floor`).
    let floor = batchLevel

    // The open levels of the inputs' tangents; a closed one is a leaked dual tensor, except
    // while saved tensors are replayed. The first level is kept apart, so the common case of
    // one level allocates no list.
    var firstLevel: Int? = nil
    var moreLevels: [Int] = []
    var plainTangents = floor < 0
    for x in inputs {
      guard let ad = x.autodiff else { continue }
      if ad.edge != nil || ad.tangents.count > 1 { plainTangents = false }
      for t in ad.tangents where t.level > floor && t.level != firstLevel && !moreLevels.contains(t.level) {
        if t.value.autodiff != nil { plainTangents = false }
        if context.isOpen(t.level) {
          if firstLevel == nil { firstLevel = t.level } else { moreLevels.append(t.level) }
        } else {
          plainTangents = false
          check(
            context.isReplaying,
            "\(op.name): an input carries a tangent of dual level \(t.level), which has closed: a dual tensor leaked out of its withDualLevel (or jvp) scope")
        }
      }
    }

    // The specialisation: one level, plain tangents, no tape link, so nothing to record and
    // nothing else to carry.
    if plainTangents, moreLevels.isEmpty, let level = firstLevel {
      let primals = inputs.map(\.detached)
      let tangents = inputs.map { $0.autodiff?.tangents.first?.value }
      return forwardLevel(op, primals: primals, tangents: tangents, outputs: nil, level: level).outputs
    }

    // Batched inputs keep their batch layer and the layers below it: the primal then runs
    // through the batching rule (and the engine, for those lower layers).
    var outputs = floor >= 0
      ? Tensor.apply(op, inputs.map { $0.keepingLayers(atOrBelow: floor) })
      : ReplayRecorder.primal(op, inputs.map(\.detached))

    // Reverse mode: record a node when some input needs a gradient below the ceiling.
    var node: GradNode?
    if context.isRecording {
      var edges: [GradEdge?] = []
      var level = Int.max
      edges.reserveCapacity(inputs.count)
      for x in inputs {
        // Above a batch, a tape link counts for the lowest level it serves there (a leaf that
        // wraps an outer transform's link serves both; the outer part stays below the batch).
        if let e = x.autodiff?.edge, let l = e.node.lowestLevel(above: floor),
          l < context.recordingCeiling
        {
          edges.append(e)
          level = Swift.min(level, l)
        } else {
          edges.append(nil)
        }
      }
      if level != Int.max {
        var served = GradNode.servedLevels(of: edges, floor: floor, ceiling: context.recordingCeiling)
        // Unbatched outputs above a vmap keep the link of the levels below it, wrapped.
        let wrapped = floor >= 0 && outputs.contains(where: { $0.autodiff?.edge != nil }) ? outputs.map { $0.autodiff?.edge } : nil
        if let wrapped {
          served = Set((served ?? [level]) + wrapped.flatMap { $0?.node.levels ?? [] }).sorted()
          level = served![0]
        }
        let n = GradNode(op: op, level: level, inputs: inputs, edges: edges, servedLevels: served, wrappedEdges: wrapped)
        node = n
        for i in outputs.indices where outputs[i].dtype.isFloatingPoint {
          outputs[i].autodiff = AutodiffState(
            tangents: outputs[i].autodiff?.tangents ?? [], edge: GradEdge(node: n, index: i), batch: outputs[i].autodiff?.batch)
        }
      }
    }

    // Forward mode: one pass per open level, lowest first, so each level's rule sees inputs
    // and outputs that carry exactly the lower levels.
    let levels = moreLevels.isEmpty ? (firstLevel.map { [$0] } ?? []) : ([firstLevel!] + moreLevels).sorted()
    for level in levels {
      // Lower the recording ceiling to this level while the rule runs, unless nothing the
      // rule sees is on a tape (then there is nothing to record and the switch is skipped).
      let taped = node != nil || inputs.contains { x in x.levelTangents.contains { $0.value.autodiff?.edge != nil } }
      let ruleCeiling = Swift.min(context.recordingCeiling, level)
      // Under the lowered ceiling, tape links at or above it are dead: dropped here once
      // rather than by each op of the rule.
      let primals = inputs.map { $0.keepingTangents(below: level, droppingLinksAtOrAbove: taped && floor < 0 ? ruleCeiling : nil) }
      let tangents = inputs.map { $0.storedTangent(at: level) }
      let current = outputs
      outputs = taped
        ? AutodiffContext.$current.withValue(context.with(recordingCeiling: ruleCeiling)) {
          forwardLevel(op, primals: primals, tangents: tangents, outputs: current, level: level).outputs
        }
        : forwardLevel(op, primals: primals, tangents: tangents, outputs: current, level: level).outputs
    }
    node?.saveOutputs(outputs)
    return outputs
  }

  /// The inputs without their dead tape links, or `nil` when none has one.
  ///
  /// A link is dead when every gradient level its node serves is at or above the recording
  /// `ceiling`: this op records no edge to it, and neither does any op its rules apply, since
  /// a nested context only ever lowers the ceiling. Such links are common in
  /// forward-over-reverse (an HVP): the JVP rules of the recorded forward pass run with the
  /// ceiling at their dual level, below the gradient's, and the backward pass runs with the
  /// ceiling at the gradient's level, on saved values that still carry its links. Dropping
  /// them lets those ops take the plain path (no tangents) or the one-level path (plain
  /// tangents) instead of the general one, which records nothing for them anyway. The
  /// tangents the inputs carry are kept as they are.
  static func droppingDeadLinks(_ inputs: [Tensor], ceiling: Int) -> [Tensor]? {
    guard inputs.contains(where: { $0.hasDeadLink(under: ceiling) }) else { return nil }
    return inputs.map { $0.hasDeadLink(under: ceiling) ? $0.replacingEdge(nil) : $0 }
  }

  /// One dual level's pass through an op: the checks (matching chunk sizes, a mode the op
  /// supports), the JVP rule, and the output tangents checked by ``fitTangent(_:to:dtype:op:chunk:)``
  /// and attached at `level`.
  ///
  /// - Parameters:
  ///   - primals: the inputs, carrying only lower levels.
  ///   - tangents: the inputs' tangents at `level` (`nil` is zero).
  ///   - outputs: the outputs computed so far, or `nil` to compute them here (then the op
  ///     may compute outputs and tangents together).
  static func forwardLevel<Op: DifferentiableOp>(
    _ op: Op, primals: [Tensor], tangents: [Tensor?], outputs: [Tensor]?, level: Int
  ) -> (outputs: [Tensor], chunk: Int?) {
    // A Taylor level (a jet) takes the op's Taylor rule instead (Taylor/TaylorEngine.swift).
    if let kind = TaylorMode.kind(ofLevel: level) {
      return forwardTaylor(op, primals: primals, payloads: tangents, outputs: outputs, level: level, kind: kind)
    }
    // The chunk size K of the tangents (possibly 0: no directions), or -1 for unchunked ones.
    var chunk: Int? = nil
    for (x, t) in zip(primals, tangents) {
      guard let t else { continue }
      let c = x.chunkDims(of: t, op: op.name) == 1 ? t.shape[0] : -1
      check(
        chunk == nil || chunk == c,
        "\(op.name): tangents of one dual level have different chunk sizes (\(chunk! < 0 ? "unchunked" : "\(chunk!)") and \(c < 0 ? "unchunked" : "\(c)"))")
      chunk = c
    }
    let modes = op.unsupportedModes
    if !modes.isEmpty {
      if let reason = modes[.forward] { unsupportedDerivative(op.name, .forward, reason: reason) }
      if let reason = modes[.forwardOverForward] {
        let context = AutodiffContext.current
        let isDual = { (t: Tensor) in t.levelTangents.contains { $0.level != level && context.isOpen($0.level) } }
        if primals.contains(where: isDual) || tangents.contains(where: { $0.map(isDual) ?? false }) {
          unsupportedDerivative(op.name, .forwardOverForward, reason: reason)
        }
      }
    }
    let k = (chunk ?? -1) >= 0 ? chunk : nil
    var (ys, dys) = ReplayRecorder.forwardValues(op, primals: primals, tangents: tangents, outputs: outputs, chunk: k)
    for i in ys.indices {
      guard let t = dys[i] else { continue }
      ys[i] = ys[i].addingTangent(LevelTangent(level: level, value: t))
    }
    return (ys, chunk)
  }

  /// The computation of one dual level's pass through an op, with no autodiff bookkeeping:
  /// the outputs (`outputs`, or computed here, possibly together with the tangents) and the
  /// JVP rule's output tangents, checked and fitted by ``fitTangent(_:to:dtype:op:chunk:)``
  /// (`nil` for a zero tangent or a non-floating output). With plain primals and tangents this
  /// is a replay step (``ReplayRecorder``).
  ///
  /// - Parameter chunk: K for chunked tangents, `nil` for unchunked ones.
  static func forwardValues<Op: DifferentiableOp>(
    _ op: Op, primals: [Tensor], tangents: [Tensor?], outputs: [Tensor]?, chunk k: Int?
  ) -> (outputs: [Tensor], tangents: [Tensor?]) {
    var ys: [Tensor]
    var dys: [Tensor?]
    if let outputs {
      ys = outputs
      dys = op.jvp(inputs: primals, outputs: ys, tangents: tangents)
    } else if let both = op.primalAndTangents(primals, tangents: tangents) {
      (ys, dys) = both
    } else {
      ys = op.primal(primals)
      dys = op.jvp(inputs: primals, outputs: ys, tangents: tangents)
    }
    check(dys.count == ys.count, "\(op.name): the JVP returned \(dys.count) tangents for \(ys.count) outputs")
    for i in ys.indices {
      guard let t = dys[i], ys[i].dtype.isFloatingPoint else {
        dys[i] = nil
        continue
      }
      // A tangent of the right dtype and shape (the common case) needs no fitting.
      dys[i] = t.dtype == ys[i].dtype && t.hasShape(ys[i].shape, chunk: k)
        ? t : fitTangent(t, to: (k.map { [$0] } ?? []) + ys[i].shape, dtype: ys[i].dtype, op: op.name, chunk: k)
    }
    return (ys, dys)
  }

  /// Checks a rule's tangent against the output tangent's `shape` and matches the output's
  /// precision.
  ///
  /// A tangent may leave dims for the output to broadcast (a term of a broadcasting op such as
  /// `a + b` with one constant operand, possibly of lower rank), which are expanded. With
  /// `chunk` K (chunked tangents), the tangent must have the output tangent's rank and the
  /// leading chunk dimension of size K: a rule that dropped it would otherwise be broadcast
  /// over the K directions. A tangent that does not broadcast stops with a message.
  static func fitTangent(_ t: Tensor, to shape: [Int], dtype: DType, op: String, chunk: Int? = nil) -> Tensor {
    var t = t
    if t.dtype != dtype {
      check(
        t.dtype.isComplex == dtype.isComplex || !t.dtype.isComplex,
        "\(op): the JVP gave a \(t.dtype) tangent for a \(dtype) output")
      t = t.converted(to: dtype)
    }
    if t.shape != shape {
      let fits = chunk == nil
        ? t.rank <= shape.count && zip(t.shape.reversed(), shape.reversed()).allSatisfy { $0 == $1 || $0 == 1 }
        : t.rank == shape.count && t.shape[0] == chunk && zip(t.shape, shape).allSatisfy { $0 == $1 || $0 == 1 }
      check(
        fits,
        "\(op): the JVP rule gave a tangent of shape \(t.shape) for an output tangent of shape \(shape)\(chunk == nil ? "" : " (a rule given chunked tangents must keep the leading chunk dimension)")")
      t = t.expanded(to: shape)
    }
    return t
  }

  /// Checks and adjusts a rule's cotangent for an input of the given shape and dtype.
  ///
  /// With `chunk` K (chunked cotangents), the cotangent must keep its leading chunk dimension
  /// of size K: a rule that dropped it would otherwise be broadcast over the K members and
  /// give every member the same cotangent. Without it, a cotangent that broadcasts to the
  /// input's shape is expanded (a rule may return a constant term un-broadcast).
  static func fitCotangent(_ g: Tensor, shape: [Int], dtype: DType, op: String, chunk: Int? = nil) -> Tensor {
    var g = g
    if g.dtype.isComplex && !dtype.isComplex { g = g.real }
    if g.dtype != dtype && dtype.isFloatingPoint { g = g.converted(to: dtype) }
    if g.shape != shape {
      check(
        Shape.broadcast(g.shape, shape) == shape && (chunk == nil || (g.rank == shape.count && g.shape[0] == chunk)),
        "\(op): the VJP rule gave a cotangent of shape \(g.shape) for an input cotangent of shape \(shape)\(chunk == nil ? "" : " (a rule that takes chunked cotangents must keep the leading chunk dimension)")")
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
      // Mutated in place through the dictionary (a copy taken out and stored back would copy
      // the array, which the dictionary still references).
      buffers[ObjectIdentifier(edge.node), default: []].accumulate(g, at: edge.index)
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
          add(fitCotangent(g, shape: prefix + n.inputShapes[i], dtype: n.inputDTypes[i], op: n.name, chunk: chunk), to: e)
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
  /// links. When no input carries autodiff state this calls the primal and nothing else;
  /// otherwise it takes the engine's one forward path (see ``Autodiff``).
  public static func apply<Op: DifferentiableOp>(_ op: Op, _ inputs: [Tensor]) -> [Tensor] {
    for x in inputs where x.autodiff != nil { return Autodiff.apply(op, inputs) }
    return op.hasBatchedParameters ? Autodiff.apply(op, inputs) : ReplayRecorder.primal(op, inputs)
  }

  /// Applies a one-input op (the primal alone for a plain input).
  public static func apply<Op: UnaryOp>(_ op: Op, _ x: Tensor) -> Tensor {
    guard x.autodiff != nil || op.hasBatchedParameters else {
      return ReplayRecorder.activeCount.load(ordering: .relaxed) == 0 ? op.primal(x) : ReplayRecorder.primal(op, [x])[0]
    }
    return Autodiff.apply(op, [x])[0]
  }

  /// Applies a two-input op (the primal alone for plain inputs).
  public static func apply<Op: BinaryOp>(_ op: Op, _ a: Tensor, _ b: Tensor) -> Tensor {
    if a.autodiff == nil && b.autodiff == nil && !op.hasBatchedParameters {
      return ReplayRecorder.activeCount.load(ordering: .relaxed) == 0 ? op.primal(a, b) : ReplayRecorder.primal(op, [a, b])[0]
    }
    return Autodiff.apply(op, [a, b])[0]
  }
}

extension Array where Element == Tensor? {
  /// Adds `g` to the cotangent at `index` (or stores it there when there is none yet),
  /// growing the list with `nil`s to reach `index`.
  mutating func accumulate(_ g: Tensor, at index: Int) {
    if count <= index { append(contentsOf: repeatElement(nil, count: index + 1 - count)) }
    self[index] = self[index].map { $0 + g } ?? g
  }
}
