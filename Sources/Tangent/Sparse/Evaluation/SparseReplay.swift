import RealModule
import Synchronization

/// Whether a prepared sparse Jacobian or Hessian evaluates by replaying a recorded plan (the
/// computations on plain tensors of one evaluation, with no autodiff state), and why not.
public enum SparseReplayStatus: Equatable, Sendable {
  /// Replay was turned off when the form was prepared (`replay: false`).
  case off
  /// Not evaluated yet: the first evaluation records the plan and checks it.
  case pending
  /// Evaluations replay the recorded plan.
  case replaying
  /// The engine evaluates: recording or checking the plan failed, for this reason.
  case unavailable(String)
}

/// How a replaying prepared form runs its plan: with its elementwise steps fused into loops
/// over tiles (see ``SparseReplayStatus``), or plainly, one step at a time, and why.
public enum SparseReplayFusion: Equatable, Sendable {
  /// The plan runs `functions` element functions in `groups` fused loops, and `wholeSteps`
  /// steps (products, reductions, gathers, copies) whole.
  case fused(groups: Int, functions: Int, wholeSteps: Int)
  /// The plan runs one step at a time, for this reason.
  case unfused(String)
}

/// The replay plan of a prepared sparse form, built lazily at its first evaluation.
///
/// The first evaluation runs the engine with a ``ReplayRecorder`` active and builds the plan;
/// then it checks the plan twice against the engine: replayed at the traced point, and at a
/// second point (the evaluation's own point perturbed by `2⁻⁷ (1 + |xᵢ|) sin(2.4 i)` per
/// element). Both must agree *bit for bit*: a replay runs the same kernels on the same values
/// in the same order, so any difference means the plan missed something (a Swift branch on a
/// value it could not see, captured mutable state). Later evaluations replay. A failure at any
/// point leaves the engine in charge for good, with the reason in ``status``.
///
/// Once the plan passes, its fused form (``FusedReplayPlan``) is built and checked the same
/// way; evaluations replay it when it passes, the plain plan otherwise.
///
/// The checks cost the first evaluation about two engine evaluations and four replays more;
/// preparation itself is unchanged.
final class SparseReplayCache: @unchecked Sendable {
  private enum State {
    case off, pending, ready(ReplayPlan, Result<FusedReplayPlan, ReplayFailure>), failed(String)
  }
  private let state: Mutex<State>

  init(enabled: Bool) { state = Mutex(enabled ? .pending : .off) }

  /// The status, for ``SparseReplayStatus``.
  var status: SparseReplayStatus {
    state.withLock { s in
      switch s {
      case .off: return .off
      case .pending: return .pending
      case .ready: return .replaying
      case .failed(let reason): return .unavailable(reason)
      }
    }
  }

  /// How the plan runs, once one replays.
  var fusion: SparseReplayFusion? {
    state.withLock { s in
      guard case .ready(_, let fused) = s else { return nil }
      switch fused {
      case .success(let f): return .fused(groups: f.groupCount, functions: f.fusedFunctionCount, wholeSteps: f.wholeStepCount)
      case .failure(let why): return .unfused(why.reason)
      }
    }
  }

  /// The fused plan evaluations replay, once there is one.
  var fusedPlan: FusedReplayPlan? {
    state.withLock { s in
      guard case .ready(_, .success(let f)) = s else { return nil }
      return f
    }
  }

  private func fail(_ reason: String) { state.withLock { $0 = .failed(reason) } }

  /// The products at `x`: replayed when a checked plan exists, otherwise from `engine`
  /// (recording and checking the plan on the first call). `expected` are the products'
  /// shapes; `engine` checks its own results.
  func products(at x: Tensor, expected: [[Int]], engine: (Tensor) -> [Tensor]) -> [Tensor] {
    let current = state.withLock { s -> State in s }
    switch current {
    case .ready(let plan, let fused):
      let r: [Tensor]?
      switch fused {
      case .success(let f): r = f.replay(at: x)
      case .failure: r = plan.replay(at: x)
      }
      if let r, matches(r, expected, x.dtype) { return r }
      fail("a replayed step gave outputs laid out unlike the recorded ones")
      return engine(x)
    case .pending: break
    case .off, .failed: return engine(x)
    }
    let recorder = ReplayRecorder(point: x)
    let traced = recorder.recording { engine(recorder.point) }
    switch recorder.plan(results: traced) {
    case .failure(let f):
      fail(f.reason)
    case .success(let p):
      let second = SparseReplayCache.secondPoint(near: x)
      /// Whether `replay` gives the engine's bits at the traced point and the second point.
      func agrees(_ replay: (Tensor) -> [Tensor]?, atSecond expectedSecond: [Tensor]) -> Bool? {
        guard let r = replay(x), matches(r, expected, x.dtype), zip(r, traced).allSatisfy(identical) else { return nil }
        guard let r2 = replay(second), matches(r2, expected, x.dtype), zip(r2, expectedSecond).allSatisfy(identical)
        else { return false }
        return true
      }
      let atSecond = engine(second)
      switch agrees(p.replay(at:), atSecond: atSecond) {
      case nil: fail("the replay differs from the engine at the traced point")
      case false?:
        fail("the replay differs from the engine at a second point (a Swift branch on a value, or state the trace cannot see)")
      case true?:
        let fused: Result<FusedReplayPlan, ReplayFailure>
        if let f = FusedReplayPlan(p) {
          fused = agrees(f.replay(at:), atSecond: atSecond) == true
            ? .success(f) : .failure(ReplayFailure(reason: "the fused plan differs from the engine"))
        } else {
          fused = .failure(ReplayFailure(reason: "no step of the plan is elementwise"))
        }
        state.withLock { $0 = .ready(p, fused) }
      }
    }
    return traced
  }

  private func matches(_ r: [Tensor], _ shapes: [[Int]], _ dtype: DType) -> Bool {
    r.count == shapes.count && zip(r, shapes).allSatisfy { $0.shape == $1 && $0.dtype == dtype && $0.autodiff == nil }
  }

  /// Whether `a` and `b` hold the same bits.
  private func identical(_ a: Tensor, _ b: Tensor) -> Bool {
    guard a.shape == b.shape, a.dtype == b.dtype else { return false }
    let ca = a.detached.contiguousValues(), cb = b.detached.contiguousValues()
    let bytes = a.count * a.dtype.byteCount
    return UnsafeRawBufferPointer(start: ca.pointer(as: UInt8.self), count: bytes)
      .elementsEqual(UnsafeRawBufferPointer(start: cb.pointer(as: UInt8.self), count: bytes))
  }

  /// A point near `x` that differs from it in every element (see the type's note).
  static func secondPoint(near x: Tensor) -> Tensor {
    let values = x.doubles
    let step = values.enumerated().map { i, v in 0x1p-7 * (1 + Swift.abs(v)) * Double.sin(2.4 * Double(i)) }
    return x.detached + Tensor(shape: x.shape, scalars: step).converted(to: x.dtype)
  }
}

extension PreparedSparseJacobian {
  /// How evaluations run the replay plan (fused loops or one step at a time), once
  /// ``replayStatus`` is ``SparseReplayStatus/replaying``; `nil` before or without replay.
  public var replayFusion: SparseReplayFusion? { replayCache.fusion }
}

extension PreparedSparseHessian {
  /// How evaluations run the replay plan (fused loops or one step at a time), once
  /// ``replayStatus`` is ``SparseReplayStatus/replaying``; `nil` before or without replay.
  public var replayFusion: SparseReplayFusion? { replayCache.fusion }
}
