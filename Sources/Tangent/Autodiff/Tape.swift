import ComplexModule
import RealModule
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value behind a pthread mutex.
///
/// The tape uses this rather than `Synchronization.Mutex`: on Linux `Mutex` waits on futexes
/// directly, which the thread sanitizer cannot see, so it reported races between accesses made
/// under the lock (`make test-tsan`). pthread mutexes are intercepted by the sanitizer, and
/// uncontended they cost about as much.
final class Locked<Value>: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private var value: Value

  init(_ value: Value) {
    self.value = value
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  /// Runs `body` on the value with the lock held.
  func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}

/// A link from a tensor to the tape: the node that produced it and which of its outputs it is.
struct GradEdge {
  /// The producing node (or the leaf accumulator).
  let node: GradNode
  /// The output index within the node.
  let index: Int
}

/// A node of the reverse-mode tape: one recorded op application, or a leaf that accumulates
/// a gradient.
///
/// A node keeps the op and the tensors its VJP needs: the inputs (with their tangents, so a
/// backward pass over dual tensors computes forward-over-reverse derivatives) and the
/// outputs without their own tape link (re-attached when the node runs, which avoids a
/// cycle). The outputs' tangents keep their tape links: a rule that reads an output (tanh's
/// reads y) under reverse-over-forward-over-reverse must see how y's tangent depends on the
/// outer transform's input (see ``saveOutputs(_:)`` for the cycle this makes and where it is
/// broken).
///
/// Thread safety: a graph may be shared between tasks, and several may run backward passes
/// through it at once (PyTorch allows the same). Everything a node changes after it is
/// built (its saved values, whether they were released, a leaf's gradient) sits behind a
/// lock; the rest is immutable. A backward pass takes a snapshot of the saved values under the
/// lock (releasing them at the same time when it does not retain the graph) and runs the rule
/// outside it. A pass that reaches a node another pass has already released stops with the
/// "already freed" message, as it would in one task. Plain tensors never touch a node, so the
/// no-autodiff path takes no lock.
final class GradNode: @unchecked Sendable {
  /// The op's name, for messages.
  let name: String
  /// The lowest gradient level the node's output depends on: 0 for tensors marked by hand,
  /// a fresh id per functional transform. An op records an edge to an input only when this is
  /// below the context's recording ceiling.
  let level: Int
  /// Every gradient level the node serves, ascending, when that is more than ``level``: a
  /// transform's leaf that wraps an outer transform's tape link serves both, and so do the
  /// nodes computed from it. `nil` for a node of one level (the common case). Under `vmap`
  /// the levels above and below the batch are separate layers, so the engine asks for the
  /// lowest level above the batch (``lowestLevel(above:)``).
  let servedLevels: [Int]?
  /// Per output, the tape link of the levels below a vmap, for a node recorded above it on an
  /// unbatched tensor: a transform's leaf that wraps an outer transform's link
  /// (``Tensor/leaf(atLevel:)``), or an op on such a leaf inside the vmap. The layers below
  /// the vmap keep these links (``Tensor/keepingLayers(atOrBelow:)``). `nil` otherwise.
  let wrappedEdges: [GradEdge?]?
  /// Per input, the edge to follow backwards, or `nil` when that input needs no gradient.
  let edges: [GradEdge?]
  /// The shapes and dtypes of the inputs, to check the rule's cotangents.
  let inputShapes: [[Int]]
  let inputDTypes: [DType]
  /// Whether the op's VJP takes chunked cotangents (see
  /// ``DifferentiableOp/acceptsChunkedCotangents``).
  let acceptsChunkedCotangents: Bool
  /// The modes the op declares unsupported (see ``DifferentiableOp/unsupportedModes``).
  let unsupportedModes: [DerivativeMode: String]
  /// Calls the op's VJP. `nil` for a leaf.
  private let rule: (([Tensor], [Tensor], [Tensor?], [Bool]) -> [Tensor?])?
  /// Calls the op's JVP (for `linearize`, which replays the tape forwards). `nil` for a leaf.
  private let tangentRule: (([Tensor], [Tensor], [Tensor?]) -> [Tensor?])?
  /// Whether the outputs are saved.
  private let savesOutputs: Bool

  /// What a node changes after it is built, guarded by ``state``.
  struct State {
    /// The saved inputs and outputs; released after a backward pass that does not retain the
    /// graph. Values the VJP does not read are stand-ins (see ``DifferentiableOp/vjpReads``).
    var savedInputs: [Tensor] = []
    var savedOutputs: [Tensor] = []
    /// The number of outputs of the op.
    var outputCount = 1
    /// Whether a backward pass released the saved values.
    var released = false
  }
  private let state: Locked<State>
  /// A leaf's accumulated gradient; `nil` for an op's node, which never has one (one lock
  /// fewer to allocate per recorded op).
  private let leafGrad: Locked<Tensor?>?

  /// A leaf accumulator.
  init(leafLevel level: Int, shape: [Int], dtype: DType) {
    name = "leaf"
    self.level = level
    servedLevels = nil
    wrappedEdges = nil
    edges = []
    inputShapes = [shape]
    inputDTypes = [dtype]
    rule = nil
    tangentRule = nil
    acceptsChunkedCotangents = true
    unsupportedModes = [:]
    savesOutputs = false
    state = Locked(State())
    leafGrad = Locked(nil)
  }

  /// A node for one application of `op`.
  init<Op: DifferentiableOp>(
    op: Op, level: Int, inputs: [Tensor], edges: [GradEdge?], servedLevels: [Int]? = nil,
    wrappedEdges: [GradEdge?]? = nil
  ) {
    name = op.name
    self.level = level
    self.servedLevels = servedLevels
    self.wrappedEdges = wrappedEdges
    self.edges = edges
    inputShapes = inputs.map(\.shape)
    inputDTypes = inputs.map(\.dtype)
    let all = AutodiffContext.current.savesAllValues
    let reads = all ? Array(repeating: true, count: inputs.count) : op.vjpReadsInputs(needed: edges.map { $0 != nil })
    state = Locked(State(savedInputs: zip(inputs, reads).map { x, read in read ? x : x.standIn }))
    savesOutputs = all || op.vjpReads.contains(.outputs)
    acceptsChunkedCotangents = op.acceptsChunkedCotangents
    unsupportedModes = op.unsupportedModes
    rule = { op.vjp(inputs: $0, outputs: $1, cotangents: $2, needed: $3) }
    tangentRule = { op.jvp(inputs: $0, outputs: $1, tangents: $2) }
    leafGrad = nil
  }

  /// Whether this node is a leaf accumulator.
  var isLeaf: Bool { rule == nil }

  /// The number of outputs of the op.
  var outputCount: Int { state.withLock { $0.outputCount } }

  /// Stores the outputs once the op has finished: without their own tape link, but with
  /// their tangents' links.
  ///
  /// Derivation: when a backward pass runs inside an open dual level D and the rule reads an
  /// output y (tanh's VJP is g·(1 − y²)), the D-tangent of its result contains −2·g·y·ẏ,
  /// where ẏ is y's D-tangent. A transform outside D (the outer gradient of
  /// reverse-over-forward-over-reverse, or of `hessian` of `hessian`) differentiates that
  /// term, and needs ∂ẏ/∂x: the tape link of ẏ. Dropping it lost the term −2·g·y·∂ẏ/∂x (for
  /// tanh, d³/dx³ came out as −2s² instead of 4t²s − 2s², with t = tanh x, s = 1 − t²).
  ///
  /// Keeping the link makes a cycle when ẏ was computed from y itself (ẏ = ẋ·(1 − y²) links
  /// back to this node). The cycle lives only while D is open: a tangent of a closed level is
  /// never read again (backward passes ignore it), so when D closes, ``withDualLevel(_:)``
  /// drops D's tangents from the saved outputs of the nodes registered for it here, which
  /// frees the graph. Only nodes whose outputs carry linked tangents register (nested
  /// reverse-over-forward); plain, `jvp` and `vjp` applications take none of this.
  func saveOutputs(_ outputs: [Tensor]) {
    guard savesOutputs else {
      let standIns = outputs.map(\.standIn)
      state.withLock { s in
        s.savedOutputs = standIns
        s.outputCount = outputs.count
      }
      return
    }
    var linkedLevels: [Int] = []
    let saved = outputs.map { y -> Tensor in
      guard let ad = y.autodiff else { return y }
      guard ad.tangents.contains(where: { $0.value.hasTapeLinks }) else { return y.withoutTapeLinks }
      // Keep the links of open levels' tangents (dropped when the level closes); a closed
      // level's tangent (a replayed value) is never read, and keeps none.
      let context = AutodiffContext.current
      let tangents = ad.tangents.map { t -> LevelTangent in
        guard context.isOpen(t.level) else { return LevelTangent(level: t.level, value: t.value.withoutTapeLinks) }
        if t.value.hasTapeLinks && !linkedLevels.contains(t.level) { linkedLevels.append(t.level) }
        return t
      }
      return y.replacingTangents(tangents).replacingEdge(nil)
    }
    state.withLock { s in
      s.savedOutputs = saved
      s.outputCount = outputs.count
    }
    for level in linkedLevels { SavedTangentLinks.register(self, level: level) }
  }

  /// Drops the tangents of dual level `level` (which is closing) from the saved outputs,
  /// breaking the cycle ``saveOutputs(_:)`` made through them.
  func dropSavedTangents(ofLevel level: Int) {
    state.withLock { s in s.savedOutputs = s.savedOutputs.map { $0.removingLevel(level) } }
  }

  /// The saved inputs and outputs, taken under the lock, or `nil` once released; with
  /// `release` they are dropped in the same step, so two passes never both release, and no
  /// pass reads values half released.
  func savedValues(release: Bool) -> (inputs: [Tensor], outputs: [Tensor])? {
    state.withLock { s in
      if s.released { return nil }
      let r = (s.savedInputs, s.savedOutputs)
      if release {
        s.savedInputs = []
        s.savedOutputs = []
        s.released = true
      }
      return r
    }
  }

  /// ``savedValues(release:)``, stopping with a message once released.
  private func takeSaved(release: Bool, op: String) -> (inputs: [Tensor], outputs: [Tensor]) {
    let taken = savedValues(release: release)
    guard let taken else {
      misuse(
        op == "backward"
          ? "backward: the graph through '\(name)' was already freed by an earlier backward pass; pass retainGraph: true to the first one"
          : "\(op): the graph through '\(name)' was freed")
    }
    return taken
  }

  /// Runs the VJP for this node's cotangents.
  ///
  /// With `chunk` K, the cotangents carry a leading chunk dimension of size K, and so do the
  /// results; a rule that does not take chunked cotangents runs mapped over the chunk (see
  /// `backwardMapped`).
  func backward(_ cotangents: [Tensor?], retainGraph: Bool, chunk: Int? = nil) -> [Tensor?] {
    var (savedInputs, savedOutputs) = takeSaved(release: !retainGraph, op: "backward")
    checkSupported(savedInputs: savedInputs, savedOutputs: savedOutputs, cotangents: cotangents)
    let needed = edges.map { $0 != nil }
    let result: [Tensor?]
    // The rule runs with the recording ceiling of this pass. When it is at or below this
    // node's level (a gradient's own backward pass, as in an HVP), no op of the rule can
    // record an edge to this node or to an input's link at or above the ceiling: the outputs
    // are not re-linked and such input links are dropped once here, instead of by every op
    // of the rule (`Autodiff.droppingDeadLinks`).
    let ceiling = AutodiffContext.current.recordingCeiling
    if chunk == nil && level >= ceiling {
      if let live = Autodiff.droppingDeadLinks(savedInputs, ceiling: ceiling) { savedInputs = live }
      if let live = Autodiff.droppingDeadLinks(savedOutputs, ceiling: ceiling) { savedOutputs = live }
      result = rule!(savedInputs, savedOutputs, cotangents, needed)
    } else {
      let outputs = savedOutputs.enumerated().map { i, y in y.replacingEdge(GradEdge(node: self, index: i)) }
      if let chunk, !acceptsChunkedCotangents, Self.mapsRulesOverChunks.load(ordering: .relaxed) {
        result = backwardMapped(rule!, savedInputs: savedInputs, outputs: outputs, cotangents: cotangents, needed: needed, chunk: chunk)
      } else if let chunk, !acceptsChunkedCotangents {
        result = backwardPerMember(rule!, savedInputs: savedInputs, outputs: outputs, cotangents: cotangents, needed: needed, chunk: chunk)
      } else {
        result = rule!(savedInputs, outputs, cotangents, needed)
      }
    }
    check(result.count == edges.count, "\(name): the VJP returned \(result.count) cotangents for \(edges.count) inputs")
    return result
  }

  /// Runs a VJP rule that takes one cotangent per output on chunked cotangents (a leading
  /// chunk dim of size `chunk`) by mapping it over the chunk with `vmap`: the rule runs once,
  /// and each op inside it goes through its batching rule (JAX's `vmap(vjp)`; an op without a
  /// batching rule loops over the chunk there, as this path did before). The saved values are
  /// shared by every chunk member; each member's cotangents are fitted to the input shapes.
  private func backwardMapped(
    _ rule: ([Tensor], [Tensor], [Tensor?], [Bool]) -> [Tensor?], savedInputs: [Tensor], outputs: [Tensor],
    cotangents: [Tensor?], needed: [Bool], chunk: Int
  ) -> [Tensor?] {
    var present: [Bool] = []
    let given = cotangents.compactMap { $0 }
    let mapped = Vmap.mapChunk(
      { members in
        var next = members.makeIterator()
        let r = rule(savedInputs, outputs, cotangents.map { $0 == nil ? nil : next.next()! }, needed)
        check(r.count == edges.count, "\(name): the VJP returned \(r.count) cotangents for \(edges.count) inputs")
        present = r.map { $0 != nil }
        return r.indices.compactMap { i in
          r[i].map { Autodiff.fitCotangent($0, shape: inputShapes[i], dtype: inputDTypes[i], op: name) }
        }
      }, given, dims: given.map { _ in 0 }, size: chunk, outDims: .all(0),
      randomness: .different
    ).outputs
    var next = mapped.makeIterator()
    return present.map { $0 ? next.next()! : nil }
  }

  /// Whether ``backward(_:retainGraph:chunk:)`` maps rules over the chunk (``backwardMapped``)
  /// or runs them once per chunk member (``backwardPerMember``), which only a benchmark turns on
  /// (``BenchmarkSettings/mapsRulesOverChunks``) to compare the two in one binary.
  static let mapsRulesOverChunks = Atomic<Bool>(true)

  /// Runs a VJP rule once per member of chunked cotangents and stacks the results: the form
  /// ``backwardMapped`` replaced, kept for ``BenchmarkSettings/mapsRulesOverChunks``.
  private func backwardPerMember(
    _ rule: ([Tensor], [Tensor], [Tensor?], [Bool]) -> [Tensor?], savedInputs: [Tensor], outputs: [Tensor],
    cotangents: [Tensor?], needed: [Bool], chunk: Int
  ) -> [Tensor?] {
    let members = (0..<chunk).map { k in
      let r = rule(savedInputs, outputs, cotangents.map { $0?.select(dim: 0, index: k) }, needed)
      check(r.count == edges.count, "\(name): the VJP returned \(r.count) cotangents for \(edges.count) inputs")
      return r
    }
    return edges.indices.map { i in
      guard members.contains(where: { $0[i] != nil }) else { return nil }
      return Tensor.stack(
        members.map { r in
          r[i].map { Autodiff.fitCotangent($0, shape: inputShapes[i], dtype: inputDTypes[i], op: name) }
            ?? Tensor.zeros(inputShapes[i], dtype: inputDTypes[i])
        }, dim: 0)
    }
  }

  /// Stops when the op declares the mode of this backward pass unsupported: reverse mode
  /// always, forward-over-reverse when a saved value or a cotangent carries a tangent of an
  /// open dual level (the rule would run on dual tensors).
  private func checkSupported(savedInputs: [Tensor], savedOutputs: [Tensor], cotangents: [Tensor?]) {
    guard !unsupportedModes.isEmpty else { return }
    if let reason = unsupportedModes[.reverse] { unsupportedDerivative(name, .reverse, reason: reason) }
    if let reason = unsupportedModes[.forwardOverReverse] {
      let context = AutodiffContext.current
      let isDual = { (t: Tensor) in t.levelTangents.contains { context.isOpen($0.level) } }
      if savedInputs.contains(where: isDual) || savedOutputs.contains(where: isDual)
        || cotangents.contains(where: { $0.map(isDual) ?? false })
      {
        unsupportedDerivative(name, .forwardOverReverse, reason: reason)
      }
    }
  }

  /// The tangents of this node's outputs given its inputs' tangents, by the op's JVP at the
  /// saved point (no primal is recomputed). The saved tensors keep their own tangents, so
  /// outer forward levels see through the replay.
  func forwardTangents(_ tangents: [Tensor?]) -> [Tensor?] {
    let (savedInputs, savedOutputs) = takeSaved(release: false, op: "linearize")
    guard let tangentRule, tangents.contains(where: { $0 != nil }) else {
      return Array(repeating: nil, count: outputCount)
    }
    if let reason = unsupportedModes[.forward] { unsupportedDerivative(name, .forward, reason: reason) }
    return tangentRule(savedInputs, savedOutputs, tangents)
  }

  /// A leaf's gradient (always `nil` for an op's node).
  var grad: Tensor? {
    get { leafGrad?.withLock { $0 } ?? nil }
    set {
      check(leafGrad != nil, "grad: only a leaf accumulates a gradient, not the node of '\(name)'")
      leafGrad?.withLock { $0 = newValue }
    }
  }

  /// Adds to a leaf's gradient.
  func accumulate(_ g: Tensor) {
    check(leafGrad != nil, "backward: only a leaf accumulates a gradient, not the node of '\(name)'")
    leafGrad?.withLock { old in old = old.map { $0 + g } ?? g }
  }
}

/// The tape nodes whose saved outputs keep tape-linked tangents, by dual level (see
/// ``GradNode/saveOutputs(_:)``): when a level closes, its tangents are dropped from those
/// outputs, which breaks the reference cycles they make.
///
/// Entries are weak: a node that dies first needs nothing. A level with no entries costs
/// one atomic load when it closes.
enum SavedTangentLinks {
  private struct WeakNode {
    weak var node: GradNode?
  }
  private static let nodes = Locked<[Int: [WeakNode]]>([:])
  private static let entryCount = Atomic<Int>(0)

  /// Records that `node`'s saved outputs keep linked tangents of `level`.
  static func register(_ node: GradNode, level: Int) {
    nodes.withLock { $0[level, default: []].append(WeakNode(node: node)) }
    entryCount.add(1, ordering: .relaxed)
  }

  /// Drops `level`'s tangents from the saved outputs of the nodes registered for it; called
  /// when the level closes.
  static func releaseLevel(_ level: Int) {
    guard entryCount.load(ordering: .relaxed) > 0 else { return }
    guard let entries = nodes.withLock({ $0.removeValue(forKey: level) }) else { return }
    entryCount.subtract(entries.count, ordering: .relaxed)
    for entry in entries { entry.node?.dropSavedTangents(ofLevel: level) }
  }
}

extension Tensor {
  /// Whether this tensor, or a tangent of it at any depth, has a tape link.
  var hasTapeLinks: Bool {
    guard let ad = autodiff else { return false }
    return ad.edge != nil || ad.tangents.contains { $0.value.hasTapeLinks }
  }

  /// A value of this shape and dtype that holds no memory (a broadcast zero), for the
  /// values a tape node does not keep. Every stand-in shares one zeroed buffer, which is never
  /// written: it is always shared, so copy-on-write copies it before any write.
  var standIn: Tensor {
    Tensor(storage: standInZeros, shape: shape, strides: Array(repeating: 0, count: shape.count), offset: 0, dtype: dtype)
  }
}

/// The zeroed buffer every ``Tensor/standIn`` views: one element of the widest dtype
/// (complex128, 16 bytes), read as zero in every dtype. A constant for replay plans, whenever
/// it was first made.
let standInZeros = Storage(zeroedByteCount: 16)

extension GradNode {
  /// The gradient levels the node serves, ascending.
  var levels: [Int] { servedLevels ?? [level] }

  /// The highest gradient level the node serves.
  var highestLevel: Int { servedLevels?.last ?? level }

  /// The lowest gradient level the node serves above `floor` (a vmap level), or `nil`.
  func lowestLevel(above floor: Int) -> Int? {
    if level > floor { return level }
    return servedLevels?.first { $0 > floor }
  }

  /// The levels a node recorded from `edges` serves: those of the edges' nodes between `floor`
  /// and `ceiling` (exclusive), or `nil` when that is one level (nothing to store).
  static func servedLevels(of edges: [GradEdge?], floor: Int, ceiling: Int) -> [Int]? {
    var first: Int? = nil
    var mixed = false
    for e in edges {
      guard let n = e?.node else { continue }
      if n.servedLevels != nil || (first != nil && first != n.level) { mixed = true; break }
      first = n.level
    }
    guard mixed else { return nil }
    let all = Set(edges.flatMap { $0?.node.levels ?? [] }.filter { $0 > floor && $0 < ceiling }).sorted()
    return all.count > 1 ? all : nil
  }
}

