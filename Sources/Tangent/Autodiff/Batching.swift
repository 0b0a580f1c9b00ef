import ComplexModule
import RealModule
import Synchronization

// Batching: how ops run under `vmap` (Functional/Vmap.swift).
//
// A batched tensor is a layer, like a dual level: at vmap level L it carries a ``BatchLayer``
// whose values hold the whole batch in dim 0 (the *physical* tensor, `[B] + shape`). What the
// function being mapped sees is the tensor itself, of the *logical* shape `shape`: its storage
// is a view of batch member 0, so shapes, dtypes and views behave, but its values are never
// computed on. Every op reaches ``Autodiff/apply(_:_:)`` (a batched tensor has autodiff
// state), which sends it to ``Autodiff/applyBatched(_:_:level:)`` when the batch is the
// innermost layer of its inputs: the op's batching rule, ``DifferentiableOp/batched(_:isBatched:batchSize:)``,
// then runs on the physical tensors and its outputs are wrapped again.
//
// Layers nest by level, as dual levels do: the physical tensor carries the layers of levels
// below L (an outer `jvp`'s tangents, an outer `gradient`'s tape links, an outer `vmap`'s
// batch); the batched tensor itself carries only those above L (a `gradient` or `jvp` inside
// the mapped function). A rule applies ops to physical tensors with ``Tensor/apply(_:_:)->[Tensor]``,
// so the lower layers are handled by the same engine, with no extra code.
//
// The rules an op gets without writing one (defaults, Autodiff/Batching.swift):
// - an elementwise op (``ElementwiseOp`` and the binary and n-ary kinds, or an op whose
//   ``DifferentiableOp/sparsity`` is ``SparsityRule/elementwise(_:)``) lifts its batched
//   operands (singleton dims after the batch dim) and broadcasts;
// - a ``LinearOp`` maps the batch as a chunk of tangents with ``LinearOp/applyLinear(_:inputShape:)``,
//   which every linear op already supports for chunked JVPs;
// - an op over trailing dims addressed from the right (sparsity ``SparsityRule/reduction(dims:_:)``,
//   ``SparsityRule/slices(dims:_:)``, ``SparsityRule/scan(dim:reverse:_:)`` or
//   ``SparsityRule/batchedMatrices(_:)``) takes the batch as one more leading dim, its
//   unbatched inputs expanded;
// - any other op loops over the batch members and stacks: always correct, slower.
//   ``Batching/loopedOps(during:)`` lists the ops that looped.

/// The batch layer of a tensor batched at a ``vmap(of:inDim:outDim:chunkSize:randomness:)``
/// level.
struct BatchLayer {
  /// The vmap level's id.
  let level: Int
  /// The physical values: `[B] + logical shape`, carrying the layers of lower levels.
  let value: Tensor
}

/// An open vmap level: its id, batch size and randomness mode.
struct BatchFrame: Sendable {
  let level: Int
  let size: Int
  let randomness: VmapRandomness
}

/// How random ops behave inside ``vmap(of:inDim:outDim:chunkSize:randomness:)``, as PyTorch's
/// `randomness` argument of `torch.func.vmap`.
public enum VmapRandomness: Sendable, Hashable {
  /// A random op inside the mapped function stops with a message (the default, as in PyTorch).
  case error
  /// Every batch member sees the same random values.
  case same
  /// Each batch member draws its own random values.
  case different
}

extension Tensor {
  /// Wraps physical values (the batch in dim 0) as a tensor batched at vmap level `level`.
  static func batched(_ physical: Tensor, level: Int, op: String) -> Tensor {
    check(physical.rank >= 1, "\(op): a batching rule gave a 0-d output; outputs keep the batch in dim 0")
    let logical = Array(physical.shape.dropFirst())
    var visible = physical.shape[0] > 0
      ? Tensor(
        storage: physical.storage, shape: logical, strides: Array(physical.strides.dropFirst()),
        offset: physical.offset, dtype: physical.dtype)
      : Tensor.zeros(logical, dtype: physical.dtype)
    visible.autodiff = AutodiffState(tangents: [], edge: nil, batch: BatchLayer(level: level, value: physical))
    return visible
  }

  /// The physical values of this tensor at vmap level `level` (the batch in dim 0), or `nil`
  /// when it is not batched there.
  func batchValues(at level: Int) -> Tensor? {
    guard let b = autodiff?.batch, b.level == level else { return nil }
    return b.value
  }

  /// Whether the tensor is batched by an open vmap level.
  public var isBatched: Bool { autodiff?.batch != nil }
}

extension DifferentiableOp {
  /// The default batching rule, from the op's sparsity declaration: ops over trailing dims
  /// take the batch as a leading dim, elementwise ops broadcast it; the others loop (`nil`).
  public func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    switch sparsity {
    case .elementwise: Batching.broadcasting(self, inputs, isBatched: isBatched)
    case .reduction, .slices, .scan, .batchedMatrices:
      Batching.leadingDim(self, inputs, isBatched: isBatched, batchSize: batchSize)
    default: nil
    }
  }
}

extension LinearOp {
  /// A linear op maps the batch as it maps a chunk of tangents.
  public func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    [applyLinear(inputs[0], inputShape: Array(inputs[0].shape.dropFirst()))]
  }
}

/// The batching toolkit: the shared rules, and the engine's batched path.
public enum Batching {
  /// The rule of an elementwise op: batched operands get singleton dims after the batch dim,
  /// up to the output's rank, so the batch broadcasts only against itself.
  public static func broadcasting<Op: DifferentiableOp>(_ op: Op, _ inputs: [Tensor], isBatched: [Bool]) -> [Tensor] {
    let rank = zip(inputs, isBatched).map { $0.rank - ($1 ? 1 : 0) }.max() ?? 0
    let lifted = inputs.indices.map { i in
      isBatched[i] ? lift(inputs[i], primalRank: inputs[i].rank - 1, outputRank: rank) : inputs[i]
    }
    return Tensor.apply(op, lifted)
  }

  /// The rule of an op that treats extra leading dims as batch dims (it addresses its dims
  /// from the right): unbatched inputs are expanded along a new leading dim (a view).
  public static func leadingDim<Op: DifferentiableOp>(
    _ op: Op, _ inputs: [Tensor], isBatched: [Bool], batchSize: Int
  ) -> [Tensor] {
    let all = inputs.indices.map { i in
      isBatched[i] ? inputs[i] : inputs[i].unsqueezed(dim: 0).expanded(to: [batchSize] + inputs[i].shape)
    }
    return Tensor.apply(op, all)
  }

  /// Runs the op once per batch member and stacks the outputs: the fallback for ops with no
  /// batching rule. Correct for every op whose outputs have one shape across the batch.
  static func looping<Op: DifferentiableOp>(
    _ op: Op, _ inputs: [Tensor], isBatched: [Bool], batchSize: Int
  ) -> [Tensor] {
    LoopLog.current?.note(op.name)
    if batchSize == 0 {
      let members = inputs.indices.map { i in
        isBatched[i] ? Tensor.zeros(Array(inputs[i].shape.dropFirst()), dtype: inputs[i].dtype) : inputs[i]
      }
      return Tensor.apply(op, members).map { Tensor.zeros([0] + $0.shape, dtype: $0.dtype) }
    }
    var columns: [[Tensor]] = []
    for b in 0..<batchSize {
      let members = inputs.indices.map { i in isBatched[i] ? inputs[i].select(dim: 0, index: b) : inputs[i] }
      let outs = Tensor.apply(op, members)
      if columns.isEmpty { columns = outs.map { _ in [] } }
      for (j, y) in outs.enumerated() {
        check(
          y.shape == columns[j].first?.shape ?? y.shape && y.dtype == columns[j].first?.dtype ?? y.dtype,
          "vmap: \(op.name) gives outputs of different shapes or dtypes across the batch (\(columns[j][0].shape) for member 0, \(y.shape) for member \(b)); it cannot be batched")
        columns[j].append(y)
      }
    }
    return columns.map { Tensor.stack($0, dim: 0) }
  }

  /// Records the names of the ops that looped over the batch while `body` runs (the ops with
  /// no batching rule that a function reaches), for coverage reports and the op database.
  public static func loopedOps<R>(during body: () throws -> R) rethrows -> (result: R, looped: [String]) {
    let log = LoopLog()
    let result = try LoopLog.$current.withValue(log, operation: body)
    return (result, log.names)
  }
}

extension Batching {
  /// The vmap levels a random constructor draws separately for (those with randomness
  /// ``VmapRandomness/different``), outermost first; empty outside vmap or for
  /// ``VmapRandomness/same``. Stops for ``VmapRandomness/error``. The frames are taken out of
  /// the context while the draw runs, so the draw itself is plain.
  static func randomFrames(op: String) -> [BatchFrame] {
    let frames = AutodiffContext.current.batchFrames
    if frames.isEmpty { return [] }
    for f in frames where f.randomness == .error {
      misuse("\(op): a random op inside vmap with randomness .error (the default, as in PyTorch); pass randomness: .same for one draw shared by the batch, or .different for one draw per member")
    }
    return frames.filter { $0.randomness == .different }
  }

  /// Runs `body` with no vmap level open (a random draw for the whole batch).
  static func withoutBatchFrames<R>(_ body: () throws -> R) rethrows -> R {
    try AutodiffContext.$current.withValue(AutodiffContext.current.with(batchFrames: []), operation: body)
  }

  /// Wraps a draw of shape `sizes + shape` as batched at each frame's level, outermost first.
  static func batchedDraw(_ frames: [BatchFrame], _ draw: Tensor) -> Tensor {
    var t = draw
    for f in frames { t = Tensor.batched(t, level: f.level, op: "vmap") }
    return t
  }
}

/// The names of the ops that looped over a batch (``Batching/loopedOps(during:)``).
final class LoopLog: Sendable {
  private let storage = Mutex<[String]>([])
  @TaskLocal static var current: LoopLog?
  func note(_ name: String) { storage.withLock { if !$0.contains(name) { $0.append(name) } } }
  var names: [String] { storage.withLock { $0 } }
}

extension Autodiff {
  /// The batched path of ``apply(_:_:)``: the inputs' innermost layer is the batch of vmap
  /// level `level`. Runs the op's batching rule on the physical tensors (or loops over the
  /// batch) and wraps the outputs.
  static func applyBatched<Op: DifferentiableOp>(_ op: Op, _ inputs: [Tensor], level: Int) -> [Tensor] {
    guard let frame = AutodiffContext.current.batchFrames.last(where: { $0.level == level }) else {
      misuse("\(op.name): an input is batched by a vmap that has returned: a batched tensor leaked out of its vmap")
    }
    var physical = inputs
    var isBatched = Array(repeating: false, count: inputs.count)
    for i in inputs.indices {
      guard let p = inputs[i].batchValues(at: level) else { continue }
      physical[i] = p
      isBatched[i] = true
    }
    let outputs = op.batched(physical, isBatched: isBatched, batchSize: frame.size)
      ?? Batching.looping(op, physical, isBatched: isBatched, batchSize: frame.size)
    return outputs.map { y in
      check(
        y.rank >= 1 && y.shape[0] == frame.size,
        "\(op.name): the batching rule gave an output of shape \(y.shape) for a batch of \(frame.size) (the batch must stay in dim 0)")
      return Tensor.batched(y, level: level, op: op.name)
    }
  }
}
