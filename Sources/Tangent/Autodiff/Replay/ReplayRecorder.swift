import Synchronization

/// Records the computations the engine performs on plain tensors (no autodiff state) during one
/// traced evaluation, as a ``ReplayPlan`` that re-runs them at another point with no duals, no
/// tape and no contexts (the "fast path with no autodiff state" of prepared sparse evaluations).
///
/// A *step* is the outermost call that maps plain tensors to plain tensors: an op's primal on
/// plain inputs (``Tensor/apply(_:_:)->[Tensor]``'s fast path and the engine's paths that reach
/// the primal with plain values) or one dual level's pass through an op whose primals and
/// tangents are all plain (`Autodiff.forwardValues`). Calls nested inside a running step are
/// part of it (a depth counter). Each step keeps its op, so it can run again on new inputs.
///
/// An input of a step is identified by its storage's serial number: an earlier step's output
/// (a view of it made without an op is re-applied at replay), the traced point, or a constant
/// (storage created before the trace began, by a creation function such as `Tensor.full`
/// during it, or by a step on constants alone, which is folded). Anything else has unknown
/// provenance (a kernel called outside an op, random numbers, an in-place write), and so does
/// reading a traced tensor's values outside an op (Swift control flow on values, which a replay
/// cannot follow): the plan is then invalid and the caller keeps the engine. See
/// ``ReplayPlan`` for what a valid plan does not cover.
///
/// Unchecked `Sendable`: a recorder is reached only through the task-local ``current`` of the
/// task that records, which runs `f` synchronously (a function that spawns child tasks
/// running ops concurrently is not supported while recording).
final class ReplayRecorder: @unchecked Sendable {
  /// The recorder of the current task, if one is recording.
  @TaskLocal static var current: ReplayRecorder?

  /// How many recorders are active in any task: the fast path asks this (one relaxed load)
  /// before it looks up the task-local recorder.
  static let activeCount = Atomic<Int>(0)

  /// The recorder of the current task when one is recording (one relaxed load otherwise).
  @inline(__always) static var active: ReplayRecorder? {
    activeCount.load(ordering: .relaxed) == 0 ? nil : current
  }

  /// Storage created before this serial number existed before the trace began: a constant.
  let firstSerial: Int
  /// The storage serial of the traced point (a fresh copy, so nothing captured aliases it).
  let pointSerial: Int
  /// The traced point's geometry.
  let point: Tensor
  /// How deep the current call is inside a running step (0: outside every step).
  var depth = 0
  /// The steps recorded so far.
  private(set) var steps: [ReplayStep] = []
  /// For each storage produced by a step: the latest producing step and output index.
  private var producers: [Int: (step: Int, output: Int)] = [:]
  /// The recorded geometry of each step's outputs.
  private var outputGeometries: [[ReplayGeometry]] = []
  /// Storage created during the trace by a creation function (values fixed by Swift values).
  private var constants: Set<Int> = []
  /// Why the plan cannot be replayed, once something unreplayable happened.
  private(set) var failure: String?
  /// The elementwise kernels of the step being recorded (`nil` outside steps).
  var kernels: KernelTrace?

  /// A recorder whose point is a fresh, contiguous copy of `x` (plain).
  init(point x: Tensor) {
    let copy = x.detached.contiguousValues()
    point = copy
    pointSerial = copy.storage.serial
    firstSerial = Storage.nextSerial
  }

  /// Runs `body` with this recorder active in the current task.
  func recording<R>(_ body: () throws -> R) rethrows -> R {
    ReplayRecorder.activeCount.wrappingAdd(1, ordering: .relaxed)
    defer { ReplayRecorder.activeCount.wrappingSubtract(1, ordering: .relaxed) }
    return try ReplayRecorder.$current.withValue(self, operation: body)
  }

  /// Marks the plan unreplayable (the first reason is kept).
  func invalidate(_ reason: @autoclosure () -> String) {
    if failure == nil { failure = reason() }
  }

  /// Where `t` comes from, or `nil` (after invalidating the plan) when it has no known source.
  func source(of t: Tensor, for name: String) -> ReplayInput? {
    if t.autodiff != nil {
      invalidate("\(name): an input carries autodiff state where a plain value was recorded")
      return nil
    }
    let serial = t.storage.serial
    let geometry = ReplayGeometry(t)
    if let (k, j) = producers[serial] {
      return ReplayInput(source: .step(k, j), view: outputGeometries[k][j] == geometry ? nil : geometry)
    }
    if serial == pointSerial {
      return ReplayInput(source: .point, view: ReplayGeometry(point) == geometry ? nil : geometry)
    }
    if serial < firstSerial || constants.contains(serial) || t.storage === standInZeros {
      return ReplayInput(source: .constant(t), view: nil)
    }
    invalidate("\(name): an input was computed outside any op (a kernel called directly, random numbers or an in-place write)")
    return nil
  }

  /// Whether `t`'s values are fixed during the trace (a constant, not the point or a step's output).
  func isConstant(_ t: Tensor) -> Bool {
    let serial = t.storage.serial
    return serial != pointSerial && producers[serial] == nil
      && (serial < firstSerial || constants.contains(serial) || t.storage === standInZeros)
  }

  /// Records a step that ran `name` on `inputs` (plain) and gave `outputs` (plain); `run`
  /// re-runs it on new inputs (`nil` when its outputs would not match the recorded ones).
  /// `hidden` are tensors the op holds but does not take as inputs; they must be constants.
  /// `trace` holds the elementwise kernels the step ran, from which its
  /// ``ElementwiseProgram`` is built when it has one.
  func record(
    _ name: String, inputs: [Tensor], hidden: [Tensor], outputs: [Tensor], trace: KernelTrace? = nil,
    run: @escaping ([Tensor]) -> [Tensor]?
  ) {
    guard failure == nil else { return }
    for h in hidden where !isConstant(h) {
      invalidate("\(name): the op holds a tensor computed from the point that it does not take as an input or tensor parameter")
      return
    }
    var sources: [ReplayInput] = []
    sources.reserveCapacity(inputs.count)
    for x in inputs {
      guard let s = source(of: x, for: name) else { return }
      sources.append(s)
    }
    // A step on constants alone gives constants: folded, its outputs kept as they are.
    if sources.allSatisfy({ if case .constant = $0.source { true } else { false } }) {
      for y in outputs where y.autodiff == nil { constants.insert(y.storage.serial) }
      if outputs.allSatisfy({ $0.autodiff == nil }) { return }
    }
    let k = steps.count
    let program = trace.flatMap { ElementwiseProgram(trace: $0, inputs: inputs, outputs: outputs, isConstant: isConstant) }
    steps.append(ReplayStep(name: name, inputs: sources, run: run, program: program))
    outputGeometries.append(outputs.map(ReplayGeometry.init))
    for (j, y) in outputs.enumerated() {
      guard y.autodiff == nil else { return invalidate("\(name): a step gave an output with autodiff state") }
      producers[y.storage.serial] = (k, j)
    }
  }

  /// Notes a tensor made by a creation function during the trace: its values come from Swift
  /// values (read values of traced tensors are caught by ``noteRead(_:op:)``).
  func noteConstant(_ t: Tensor) {
    if depth == 0 && producers[t.storage.serial] == nil { constants.insert(t.storage.serial) }
    if depth > 0 { kernels?.constants.insert(t.storage.serial) }
  }

  /// Notes a read of `t`'s values outside an op: a traced value then steers Swift code, which
  /// a replay would not follow, so the plan is invalid.
  func noteRead(_ t: Tensor, op: String) {
    if depth == 0 && !isConstant(t) {
      invalidate("\(op): f reads the values of a traced tensor outside an op (Swift control flow on values is not replayed)")
    }
  }

  /// The plan that replays the recorded steps and gives `results` (tensors computed during the
  /// trace), or the reason there is none.
  func plan(results: [Tensor]) -> Result<ReplayPlan, ReplayFailure> {
    if let failure { return .failure(ReplayFailure(reason: failure)) }
    var sources: [ReplayInput] = []
    for r in results {
      guard let s = source(of: r, for: "result") else { return .failure(ReplayFailure(reason: failure!)) }
      sources.append(s)
    }
    return .success(ReplayPlan(steps: steps, outputGeometries: outputGeometries, results: sources, point: ReplayGeometry(point)))
  }
}

/// Why a function's evaluation cannot be replayed.
public struct ReplayFailure: Error, CustomStringConvertible, Sendable {
  /// The reason, naming the op or read that broke the trace.
  public let reason: String
  /// The reason.
  public var description: String { reason }
}

extension ReplayRecorder {
  /// Runs `primal` as a step of `op` on plain `inputs` when a recorder is active in this task
  /// and no step is running; otherwise just runs it.
  @inline(__always)
  static func primal<Op: DifferentiableOp>(_ op: Op, _ inputs: [Tensor]) -> [Tensor] {
    guard let r = active, r.depth == 0 else { return op.primal(inputs) }
    return r.recordPrimal(op, inputs)
  }

  @inline(never)
  func recordPrimal<Op: DifferentiableOp>(_ op: Op, _ inputs: [Tensor]) -> [Tensor] {
    depth += 1
    let trace = KernelTrace()
    kernels = trace
    let outputs = op.primal(inputs)
    kernels = nil
    depth -= 1
    let parameters = op.tensorParameters
    let n = inputs.count
    record(
      op.name, inputs: inputs + parameters, hidden: ReplayRecorder.hiddenTensors(of: op, declared: parameters), outputs: outputs,
      trace: trace
    ) { ins in
      let o = parameters.isEmpty ? op : op.replacingTensorParameters(Array(ins[n...]))
      return o.primal(Array(ins[..<n]))
    }
    return outputs
  }

  /// The tensors `op` holds in its stored properties (searched a few levels deep) other than
  /// its `declared` ``DifferentiableOp/tensorParameters`` (which a replay replaces): these
  /// must be constants.
  static func hiddenTensors(of op: Any, declared: [Tensor]) -> [Tensor] {
    var found: [Tensor] = []
    func visit(_ value: Any, depth: Int) {
      if let t = value as? Tensor { found.append(t); return }
      if let t = value as? Tensor? { if let t { found.append(t) }; return }
      if let ts = value as? [Tensor] { found += ts; return }
      guard depth < 4 else { return }
      let m = Mirror(reflecting: value)
      switch m.displayStyle {
      case .struct?, .class?, .enum?, .tuple?, .optional?: for c in m.children { visit(c.value, depth: depth + 1) }
      default: return
      }
    }
    visit(op, depth: 0)
    let declaredStorage = Set(declared.map { ObjectIdentifier($0.storage) })
    return found.filter { !declaredStorage.contains(ObjectIdentifier($0.storage)) }
  }
}

extension ReplayRecorder {
  /// `Autodiff.forwardValues`, as a step when a recorder is active, no step is running, and
  /// the values are plain: the primals and tangents carry no autodiff state, and the given
  /// outputs (if any) at most a tape link that is dead under the recording ceiling (one the
  /// engine drops at every op the rule applies, as in forward-over-reverse). Otherwise the ops
  /// inside are the steps, or nothing is recorded.
  @inline(__always)
  static func forwardValues<Op: DifferentiableOp>(
    _ op: Op, primals: [Tensor], tangents: [Tensor?], outputs: [Tensor]?, chunk: Int?
  ) -> (outputs: [Tensor], tangents: [Tensor?]) {
    guard let r = active, r.depth == 0,
      !primals.contains(where: { $0.autodiff != nil }), !tangents.contains(where: { $0?.autodiff != nil }),
      outputs.map(ReplayRecorder.onlyDeadLinks) ?? true
    else { return Autodiff.forwardValues(op, primals: primals, tangents: tangents, outputs: outputs, chunk: chunk) }
    return r.recordForward(op, primals: primals, tangents: tangents, outputs: outputs, chunk: chunk)
  }

  /// Whether each of `outputs` carries nothing but a tape link that is dead under the current
  /// recording ceiling.
  static func onlyDeadLinks(_ outputs: [Tensor]) -> Bool {
    let ceiling = AutodiffContext.current.recordingCeiling
    return outputs.allSatisfy { y in
      guard let ad = y.autodiff else { return true }
      return ad.tangents.isEmpty && ad.trace == nil && ad.batch == nil && y.hasDeadLink(under: ceiling)
    }
  }

  /// Records `Autodiff.forwardValues` as one step. Its inputs are the primals, the non-zero
  /// tangents, the given outputs' values (without their dead links) and the op's tensor
  /// parameters; its outputs are the computed outputs (unless given) and the non-zero tangents.
  @inline(never)
  func recordForward<Op: DifferentiableOp>(
    _ op: Op, primals: [Tensor], tangents: [Tensor?], outputs: [Tensor]?, chunk: Int?
  ) -> (outputs: [Tensor], tangents: [Tensor?]) {
    depth += 1
    let trace = KernelTrace()
    kernels = trace
    let (ys, dys) = Autodiff.forwardValues(op, primals: primals, tangents: tangents, outputs: outputs, chunk: chunk)
    kernels = nil
    depth -= 1
    let parameters = op.tensorParameters
    let n = primals.count
    let given = tangents.map { $0 != nil }
    let nonzero = dys.map { $0 != nil }
    let plainOutputs = outputs?.map(\.detached)
    let inputs = primals + tangents.compactMap { $0 } + (plainOutputs ?? []) + parameters
    let t = n + given.filter { $0 }.count
    let m = t + (plainOutputs?.count ?? 0)
    record(
      op.name, inputs: inputs, hidden: ReplayRecorder.hiddenTensors(of: op, declared: parameters),
      outputs: (outputs == nil ? ys : []) + dys.compactMap { $0 }, trace: trace
    ) { ins in
      var next = n
      let tangents = given.map { g -> Tensor? in
        guard g else { return nil }
        defer { next += 1 }
        return ins[next]
      }
      let o = parameters.isEmpty ? op : op.replacingTensorParameters(Array(ins[m...]))
      let outputs = plainOutputs == nil ? nil : Array(ins[t..<m])
      let (ys, dys) = Autodiff.forwardValues(o, primals: Array(ins[..<n]), tangents: tangents, outputs: outputs, chunk: chunk)
      // The zero tangents must be where they were recorded, for the outputs to line up.
      guard dys.map({ $0 != nil }) == nonzero else { return nil }
      return (outputs == nil ? ys : []) + dys.compactMap { $0 }
    }
    return (ys, dys)
  }
}
