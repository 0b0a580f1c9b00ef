/// The geometry of a tensor over its storage: what a step's input re-applies when it is a view
/// of a recorded value made without an op.
struct ReplayGeometry: Equatable {
  let shape: [Int]
  let strides: [Int]
  let offset: Int
  let dtype: DType

  init(shape: [Int], strides: [Int], offset: Int, dtype: DType) {
    self.shape = shape
    self.strides = strides
    self.offset = offset
    self.dtype = dtype
  }

  /// The contiguous geometry of a fresh tensor of `shape`.
  init(contiguous shape: [Int], dtype: DType) {
    self.init(shape: shape, strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
  }

  init(_ t: Tensor) {
    shape = t.shape
    strides = t.strides
    offset = t.offset
    dtype = t.dtype
  }

  /// `t`'s storage with this geometry, or `nil` when the geometry reaches outside the storage
  /// (a replayed value laid out like the recorded one may sit in a smaller buffer).
  func apply(to t: Tensor) -> Tensor? {
    if !shape.contains(0) {
      var low = offset, high = offset
      for (n, s) in zip(shape, strides) {
        if s >= 0 { high &+= (n &- 1) &* s } else { low &+= (n &- 1) &* s }
      }
      guard low >= 0, (high &+ 1) &* dtype.byteCount <= t.storage.byteCount else { return nil }
    }
    return Tensor(storage: t.storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
  }

  /// `t`'s storage with this geometry, when `t` is laid out as `recorded` (the geometry the
  /// view was recorded over) and the geometry fits its storage; `nil` otherwise.
  func apply(to t: Tensor, recordedAs recorded: ReplayGeometry) -> Tensor? {
    ReplayGeometry(t) == recorded ? apply(to: t) : nil
  }
}

/// The tensors `refs` resolve to, in order, or `nil` when one does not resolve: the inputs of
/// a replayed step or group, or a plan's results.
func resolvedAll<Ref>(_ refs: [Ref], _ resolve: (Ref) -> Tensor?) -> [Tensor]? {
  var out: [Tensor] = []
  out.reserveCapacity(refs.count)
  for r in refs {
    guard let t = resolve(r) else { return nil }
    out.append(t)
  }
  return out
}

/// Where a step's input comes from.
enum ReplaySource {
  /// The point the plan is replayed at.
  case point
  /// A tensor whose values do not depend on the point.
  case constant(Tensor)
  /// Output `output` of step `step`.
  case step(Int, Int)
}

/// A step's input: its source, and the geometry to view the source's storage with when it
/// differs from the source's own.
struct ReplayInput {
  let source: ReplaySource
  let view: ReplayGeometry?
}

/// One recorded computation on plain tensors (see ``ReplayRecorder``).
struct ReplayStep {
  /// The op's name, for profiles and messages.
  let name: String
  let inputs: [ReplayInput]
  /// Re-runs the computation on new inputs; `nil` when the outputs would not match the
  /// recorded ones (then the replay gives up).
  let run: ([Tensor]) -> [Tensor]?
  /// The step as a graph of element functions, when it is one (what ``FusedReplayPlan`` fuses).
  var program: ElementwiseProgram? = nil
}

/// A recorded sequence of computations on plain tensors that maps a point to results, replayed
/// with no autodiff state (no duals, no tape, no contexts): see ``ReplayRecorder``.
///
/// Like a `jax.jit` trace, a plan follows the ops of one evaluation. What the recorder cannot
/// see is not replayed: Swift control flow on values it cannot observe (a value read through a
/// path other than the public reads, captured mutable Swift state) and tensors an op hides in a
/// closure. Prepared sparse forms therefore check a plan against the engine at two points
/// before they use it (`SparseReplayCache`).
///
/// Unchecked `Sendable`: a plan is immutable, and its steps hold ops (values) and constant
/// tensors (storage never mutated through a shared reference), so replays on several threads
/// at once share nothing mutable.
struct ReplayPlan: @unchecked Sendable {
  let steps: [ReplayStep]
  /// The recorded geometry of each step's outputs.
  let outputGeometries: [[ReplayGeometry]]
  /// The tensors the plan gives.
  let results: [ReplayInput]
  /// The geometry of the traced point (contiguous, offset 0).
  let point: ReplayGeometry
  /// For each step, the steps whose outputs are last read by it (released after it runs).
  let releases: [[Int]]

  /// A plan of the recorded `steps` that gives `results`. Steps no result depends on (the
  /// primal value of `f` in a JVP, say) are dropped.
  init(steps recorded: [ReplayStep], outputGeometries: [[ReplayGeometry]], results recordedResults: [ReplayInput], point: ReplayGeometry) {
    // Keep the steps some result depends on, renumbered in order.
    var live = Array(repeating: false, count: recorded.count)
    for r in recordedResults { if case .step(let k, _) = r.source { live[k] = true } }
    for k in recorded.indices.reversed() where live[k] {
      for i in recorded[k].inputs { if case .step(let j, _) = i.source { live[j] = true } }
    }
    var index = Array(repeating: -1, count: recorded.count)
    var steps: [ReplayStep] = []
    var geometries: [[ReplayGeometry]] = []
    func renumbered(_ i: ReplayInput) -> ReplayInput {
      guard case .step(let k, let j) = i.source else { return i }
      return ReplayInput(source: .step(index[k], j), view: i.view)
    }
    for k in recorded.indices where live[k] {
      index[k] = steps.count
      let s = recorded[k]
      steps.append(ReplayStep(name: s.name, inputs: s.inputs.map(renumbered), run: s.run, program: s.program))
      geometries.append(outputGeometries[k])
    }
    let results = recordedResults.map(renumbered)
    self.steps = steps
    self.outputGeometries = geometries
    self.results = results
    self.point = point
    var lastUse = Array(repeating: -1, count: steps.count)
    for (k, s) in steps.enumerated() {
      for i in s.inputs { if case .step(let j, _) = i.source { lastUse[j] = k } }
    }
    for r in results { if case .step(let j, _) = r.source { lastUse[j] = Int.max } }
    var releases = Array(repeating: [Int](), count: steps.count)
    for (j, k) in lastUse.enumerated() where k >= 0 && k < Int.max { releases[k].append(j) }
    self.releases = releases
  }

  /// The results at `x` (of the traced shape and dtype), or `nil` when a step's outputs do not
  /// match the recorded ones.
  func replay(at x: Tensor) -> [Tensor]? {
    guard x.shape == point.shape, x.dtype == point.dtype else { return nil }
    var x = x.detached
    if x.offset != 0 || !x.isContiguous { x = x.contiguousValues() }
    var values = [[Tensor]?](repeating: nil, count: steps.count)
    func resolve(_ i: ReplayInput) -> Tensor? {
      let t: Tensor
      switch i.source {
      case .point: t = x
      case .constant(let c): return c
      case .step(let k, let j):
        guard let outs = values[k] else { return nil }
        t = outs[j]
        // A view re-applies the recorded geometry only over an output laid out as recorded.
        if let v = i.view { return v.apply(to: t, recordedAs: outputGeometries[k][j]) }
        return t
      }
      guard let v = i.view else { return t }
      return v.apply(to: t)
    }
    for (k, s) in steps.enumerated() {
      guard let inputs = resolvedAll(s.inputs, resolve), let outputs = s.run(inputs),
        outputs.count == outputGeometries[k].count
      else { return nil }
      values[k] = outputs
      for j in releases[k] { values[j] = nil }
    }
    return resolvedAll(results, resolve)
  }
}
