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
// - an op of one input over trailing dims addressed from the right (sparsity ``SparsityRule/reduction(dims:_:)``,
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

  /// This tensor's values for every member of every vmap level it is batched at (the batch
  /// dims in front, outermost first), detached: for checks that must see every member, such
  /// as the validation of user indices or a factorisation's failure codes. The tensor itself
  /// when it is not batched.
  var valuesOfEveryMember: Tensor {
    guard let b = autodiff?.batch else { return self }
    return b.value.detached.valuesOfEveryMember
  }

  /// Values that hold every member of this tensor's batches (the batch dims in front, as
  /// ``valuesOfEveryMember`` gives them), wrapped with the same vmap levels: for a function
  /// that computes indices from values on the host, member by member.
  func rebatching(_ values: Tensor) -> Tensor {
    var levels: [Int] = []
    var t = self
    while let b = t.autodiff?.batch {
      levels.append(b.level)
      t = b.value
    }
    var out = values
    for level in levels.reversed() { out = Tensor.batched(out, level: level, op: "vmap") }
    return out
  }

  /// Whether the tensor is batched by an open vmap level.
  public var isBatched: Bool { autodiff?.batch != nil }
}

extension DifferentiableOp {
  /// The default batching rule, from the op's sparsity declaration: ops over trailing dims
  /// take the batch as a leading dim, elementwise ops broadcast it; the others loop (`nil`).
  public func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    switch sparsity {
    // A matmul broadcasts its batch dims like an elementwise op: the lift stays in front of
    // the matrix dims.
    case .elementwise, .matmul: Batching.broadcasting(self, inputs, isBatched: isBatched)
    // One input only: with several, a leading dim can be ambiguous (a solve's vector
    // right-hand side would read as a batch of rows).
    case .reduction, .slices, .scan, .batchedMatrices:
      inputs.count == 1 ? Batching.leadingDim(self, inputs, isBatched: isBatched, batchSize: batchSize) : nil
    default: nil
    }
  }
}

extension DifferentiableOp {
  public var tensorParameters: [Tensor] { [] }
  public var hasBatchedParameters: Bool { tensorParameters.contains { $0.autodiff?.batch != nil } }
  public func replacingTensorParameters(_ parameters: [Tensor]) -> Self { self }
  public func batched(_ inputs: [Tensor], isBatched: [Bool], batchedParameters: [Tensor?], batchSize: Int) -> [Tensor]? { nil }
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
  /// up to the output's rank, so the batch broadcasts only against itself. The output's rank
  /// counts the op's unbatched tensor constants too (a `where` condition of higher rank than
  /// its operands).
  public static func broadcasting<Op: DifferentiableOp>(_ op: Op, _ inputs: [Tensor], isBatched: [Bool]) -> [Tensor] {
    Tensor.apply(op, elementwiseOperands(inputs, isBatched: isBatched, constantRanks: op.tensorParameters.map(\.rank)).operands)
  }

  /// The member rank of an elementwise op's output (the largest of its operands' member ranks
  /// and `constantRanks`, the ranks of its tensor constants), and its operands with the
  /// batched ones lifted to it: singleton dims after the batch dim, so that the batch
  /// broadcasts only against itself.
  static func elementwiseOperands(
    _ inputs: [Tensor], isBatched: [Bool], constantRanks: [Int]
  ) -> (rank: Int, operands: [Tensor]) {
    let rank = (zip(inputs, isBatched).map { $0.rank - ($1 ? 1 : 0) } + constantRanks).max() ?? 0
    let lifted = inputs.indices.map { i in
      isBatched[i] ? lift(inputs[i], primalRank: inputs[i].rank - 1, outputRank: rank) : inputs[i]
    }
    return (rank, lifted)
  }

  /// The rule of an op over the trailing `coreRanks[i]` dims of each input whose leading dims
  /// are batch dims that broadcast against each other (a solve and its right-hand sides, an LU
  /// solve's factors, pivots and right-hand sides): batched inputs get singleton dims after the
  /// vmap batch dim, up to the most batch dims any input has as a member, so the vmap batch
  /// broadcasts only against itself, in front. For ops whose outputs all take the broadcast
  /// batch dims.
  public static func broadcastingBatchDims<Op: DifferentiableOp>(
    _ op: Op, _ inputs: [Tensor], isBatched: [Bool], coreRanks: [Int]
  ) -> [Tensor] {
    let most = inputs.indices.map { inputs[$0].rank - (isBatched[$0] ? 1 : 0) - coreRanks[$0] }.max() ?? 0
    return Tensor.apply(
      op,
      inputs.indices.map { i in
        isBatched[i] ? lift(inputs[i], primalRank: inputs[i].rank - 1, outputRank: most + coreRanks[i]) : inputs[i]
      })
  }

  /// `x` with the batch in dim 0: itself when batched, otherwise expanded (a view) along a
  /// new leading dim of `size` members.
  static func withLeadingBatch(_ x: Tensor, isBatched: Bool, size: Int) -> Tensor {
    isBatched ? x : x.unsqueezed(dim: 0).expanded(to: [size] + x.shape)
  }

  /// The rule of an op that treats extra leading dims as batch dims (it addresses its dims
  /// from the right): unbatched inputs are expanded along a new leading dim (a view).
  public static func leadingDim<Op: DifferentiableOp>(
    _ op: Op, _ inputs: [Tensor], isBatched: [Bool], batchSize: Int
  ) -> [Tensor] {
    Tensor.apply(op, inputs.indices.map { withLeadingBatch(inputs[$0], isBatched: isBatched[$0], size: batchSize) })
  }

  /// Runs the op once per batch member and stacks the outputs: the fallback for ops with no
  /// batching rule. Correct for every op whose outputs have one shape across the batch.
  static func looping<Op: DifferentiableOp>(
    _ op: Op, _ inputs: [Tensor], isBatched: [Bool], batchSize: Int, member: ((Int) -> Op)? = nil
  ) -> [Tensor] {
    LoopLog.current?.note(op.name)
    if batchSize == 0 {
      let members = inputs.indices.map { i in
        isBatched[i] ? Tensor.zeros(Array(inputs[i].shape.dropFirst()), dtype: inputs[i].dtype) : inputs[i]
      }
      return Tensor.apply(op, members).map { Tensor.zeros([0] + $0.shape, dtype: $0.dtype) }  // parameters of member 0 are the visible ones
    }
    var columns: [[Tensor]] = []
    for b in 0..<batchSize {
      let members = inputs.indices.map { i in isBatched[i] ? inputs[i].select(dim: 0, index: b) : inputs[i] }
      let outs = Tensor.apply(member?(b) ?? op, members)
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

  /// Runs a kernel with no derivative (a comparison, a mask, a dtype conversion) on inputs of
  /// which some are batched by vmap: `body` gets the physical values of the innermost level
  /// (detached; batched operands lifted to `shape`'s rank after the batch dim) and the output
  /// shape with the batch in front, and its result is wrapped as batched. The kernel drivers
  /// call this, so a kernel never computes on a batched tensor's member-0 view by mistake.
  static func overBatch(_ inputs: [Tensor], shape: [Int], _ body: ([Tensor], [Int]) -> Tensor) -> Tensor {
    let level = inputs.compactMap { $0.autodiff?.batch?.level }.max()!
    var size = 0
    let physical = inputs.map { x -> Tensor in
      guard let p = x.batchValues(at: level) else { return x.detached }
      size = p.shape[0]
      return lift(p.detached, primalRank: x.rank, outputRank: shape.count)
    }
    return Tensor.batched(body(physical, [size] + shape), level: level, op: "vmap")
  }

  /// Runs a kernel over trailing dims (a factorisation's solve or inverse, called by a rule on
  /// saved factors) on inputs of which some are batched by vmap: `body` gets the physical
  /// values of the innermost level, detached, with the batch in dim 0 as one more leading dim
  /// (unbatched inputs expanded along it), and its outputs are wrapped as batched. `nil`
  /// passes through (a kernel that reports failure).
  static func overLeadingBatch(_ inputs: [Tensor], _ body: ([Tensor]) -> [Tensor]?) -> [Tensor]? {
    let level = inputs.compactMap { $0.autodiff?.batch?.level }.max()!
    let size = inputs.lazy.compactMap { $0.batchValues(at: level)?.shape[0] }.first!
    let physical = inputs.map { x in
      x.batchValues(at: level)?.detached ?? withLeadingBatch(x.detached, isBatched: false, size: size)
    }
    return body(physical)?.map { Tensor.batched($0, level: level, op: "vmap") }
  }

  /// The highest open vmap level that a tape link of `inputs` serves gradient levels on both
  /// sides of (a gradient taken inside the vmap of a value an outer gradient tracks), or -1.
  /// The engine splits the op's layers there, as it does at a batch.
  static func splitLevel(of inputs: [Tensor]) -> Int {
    let frames = AutodiffContext.current.batchFrames
    var split = -1
    for x in inputs {
      guard let n = x.autodiff?.edge?.node, n.servedLevels != nil else { continue }
      for f in frames where f.level > split && n.level < f.level && n.highestLevel > f.level { split = f.level }
    }
    return split
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

extension Batching {
  /// The reads of batched values (``Tensor/scalars(as:)`` and the like) that a function made
  /// inside vmap, recorded instead of stopping: for the op database's vmap check, which
  /// reports them as failures and goes on. Outside that check a read stops with a message.
  public final class ValueReadLog: Sendable {
    private let storage = Mutex<[String]>([])
    @TaskLocal public static var current: ValueReadLog?
    public init() {}
    func note(_ name: String) { storage.withLock { if !$0.contains(name) { $0.append(name) } } }
    /// The accessors that read batched values.
    public var names: [String] { storage.withLock { $0 } }
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
    // Constants of the op batched at this level (a mask computed from batched values) differ
    // per member: the op's rule for them, or once per member with the member's constants.
    let parameters = op.tensorParameters
    let batchedParameters = parameters.map { $0.batchValues(at: level)?.detached }
    let outputs = batchedParameters.contains(where: { $0 != nil })
      ? op.batched(physical, isBatched: isBatched, batchedParameters: batchedParameters, batchSize: frame.size)
        ?? Batching.looping(op, physical, isBatched: isBatched, batchSize: frame.size) { b in
          op.replacingTensorParameters(zip(parameters, batchedParameters).map { p, v in v?.select(dim: 0, index: b) ?? p })
        }
      : op.batched(physical, isBatched: isBatched, batchSize: frame.size)
        ?? Batching.looping(op, physical, isBatched: isBatched, batchSize: frame.size)
    return outputs.map { y in
      check(
        y.rank >= 1 && y.shape[0] == frame.size,
        "\(op.name): the batching rule gave an output of shape \(y.shape) for a batch of \(frame.size) (the batch must stay in dim 0)")
      return Tensor.batched(y, level: level, op: op.name)
    }
  }
}
