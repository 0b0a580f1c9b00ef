import ComplexModule
import RealModule
import Synchronization

/// The autodiff state of the current task or thread: the open dual levels, whether reverse
/// mode records, and which gradient levels it records for.
///
/// It is task-local, as PyTorch's is thread-local: two tasks that differentiate at the same
/// time never see each other's levels or tapes.
final class AutodiffContext: Sendable {
  /// The ids of the open dual levels, ascending.
  let openLevels: [Int]
  /// Whether ops record tape nodes at all (`false` inside ``withoutDerivative(_:)``).
  let isRecording: Bool
  /// Ops record tape edges only to inputs whose gradient level is below this.
  ///
  /// While an op computes the tangent of dual level L, the ceiling drops to L: a gradient
  /// transform opened inside level L (forward-over-reverse) does not need, and does not pay
  /// for, the tape of level L's tangent arithmetic, while one opened outside it
  /// (reverse-over-forward) still records it. Likewise the backward pass of a gradient
  /// transform at level g runs with ceiling g: it records only what outer transforms need.
  let recordingCeiling: Int

  /// Whether saved tensors are being replayed (a backward pass, or `linearize`'s tape): their
  /// tangents of closed levels are then ignored. Anywhere else a tangent of a closed level
  /// means a dual tensor leaked out of its `withDualLevel`, which stops with an error.
  let isReplaying: Bool

  /// Whether tape nodes keep every input and output, not only what their VJP reads: on while
  /// `linearize` records, since replaying JVP rules needs the inputs.
  let savesAllValues: Bool

  /// The open ``vmap(of:inDim:outDim:chunkSize:randomness:)`` levels, outermost first.
  let batchFrames: [BatchFrame]

  init(
    openLevels: [Int], isRecording: Bool, recordingCeiling: Int, isReplaying: Bool = false, savesAllValues: Bool = false,
    batchFrames: [BatchFrame] = []
  ) {
    self.openLevels = openLevels
    self.isRecording = isRecording
    self.recordingCeiling = recordingCeiling
    self.isReplaying = isReplaying
    self.savesAllValues = savesAllValues
    self.batchFrames = batchFrames
  }

  static let root = AutodiffContext(openLevels: [], isRecording: true, recordingCeiling: Int.max)

  /// The context of the current task.
  @TaskLocal static var current: AutodiffContext = .root

  /// Whether dual level `id` is open in this task.
  func isOpen(_ id: Int) -> Bool { openLevels.contains(id) }

  func with(
    openLevels: [Int]? = nil, isRecording: Bool? = nil, recordingCeiling: Int? = nil, isReplaying: Bool? = nil,
    savesAllValues: Bool? = nil, batchFrames: [BatchFrame]? = nil
  ) -> AutodiffContext {
    AutodiffContext(
      openLevels: openLevels ?? self.openLevels, isRecording: isRecording ?? self.isRecording,
      recordingCeiling: recordingCeiling ?? self.recordingCeiling, isReplaying: isReplaying ?? self.isReplaying,
      savesAllValues: savesAllValues ?? self.savesAllValues, batchFrames: batchFrames ?? self.batchFrames)
  }
}

/// Hands out level ids. Dual levels and gradient levels share one increasing counter, so a
/// level is never reused and a leaked tangent can never be mistaken for a later level's.
let levelCounter = Atomic<Int>(1)

func nextLevelID() -> Int {
  levelCounter.wrappingAdd(1, ordering: .relaxed).oldValue
}

/// Runs `body` with reverse-mode recording off, like PyTorch's `torch.no_grad()`.
///
/// Forward-mode tangents still flow; only the tape is not recorded.
public func withoutDerivative<R>(_ body: () throws -> R) rethrows -> R {
  try AutodiffContext.$current.withValue(AutodiffContext.current.with(isRecording: false), operation: body)
}

/// Whether reverse-mode recording is on in the current task.
public var isRecordingGradients: Bool { AutodiffContext.current.isRecording }
