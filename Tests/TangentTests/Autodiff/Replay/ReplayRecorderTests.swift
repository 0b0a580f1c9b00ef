import Testing
import TangentTesting
@testable import Tangent

// The replay recorder on its own: a recorded computation replays at new points to the same bits
// as running it; views made without an op are re-applied; values computed outside any op,
// tensors an op hides, and reads of traced values invalidate the plan.

@Suite struct ReplayRecorderTests {
  /// Records `f` at `x` and returns the plan, or the failure.
  func record(_ f: (Tensor) -> Tensor, at x: Tensor) -> Result<ReplayPlan, ReplayFailure> {
    let recorder = ReplayRecorder(point: x)
    let y = recorder.recording { f(recorder.point) }
    return recorder.plan(results: [y])
  }

  @Test func plainOpsReplayToTheSameBits() throws {
    var g = TestRandom(seed: 1)
    let f = { (u: Tensor) -> Tensor in
      let n = u.shape[0]
      // A slice, a transpose-free reshape and a reduction, with literal constants.
      return ((u[1..<n] - 2 * u[0..<(n - 1)]).exp() * 0.5).reshaped([3, 3]).sum(dim: 1) + Tensor([1.0, 2.0, 3.0])
    }
    let plan = try record(f, at: g.tensor([10])).get()
    #expect(plan.steps.count >= 6, "\(plan.steps.map(\.name))")
    for _ in 0..<3 {
      let x = g.tensor([10])
      let r = try #require(plan.replay(at: x))
      #expect(r[0].scalars(as: Double.self) == f(x).scalars(as: Double.self))
    }
  }

  @Test func dualEvaluationsReplay() throws {
    // A JVP: the engine's one-level steps replay the tangent as well.
    var g = TestRandom(seed: 2)
    let v = g.tensor([2, 6])
    let f = { (u: Tensor) -> Tensor in jvp(of: { ($0 * $0).sin() + $0[2...].sum() }, at: u, along: v, chunked: true).tangent }
    let plan = try record(f, at: g.tensor([6])).get()
    let x = g.tensor([6])
    let r = try #require(plan.replay(at: x))
    #expect(r[0].scalars(as: Double.self) == f(x).scalars(as: Double.self))
  }

  @Test func aViewIsReappliedOnlyInsideItsStorage() {
    // A replayed value laid out like the recorded one may sit in a smaller buffer: a recorded
    // view that reaches past it is refused, not read.
    let small = Tensor([1.0, 2.0, 3.0, 4.0])
    let inside = ReplayGeometry(shape: [2], strides: [2], offset: 1, dtype: .float64)
    #expect(inside.apply(to: small)?.scalars(as: Double.self) == [2.0, 4.0])
    #expect(ReplayGeometry(shape: [3], strides: [2], offset: 0, dtype: .float64).apply(to: small) == nil)
    #expect(ReplayGeometry(shape: [2], strides: [-1], offset: 0, dtype: .float64).apply(to: small) == nil)
    #expect(ReplayGeometry(shape: [4], strides: [-1], offset: 3, dtype: .float64).apply(to: small)?.scalars(as: Double.self) == [4, 3, 2, 1])
    #expect(ReplayGeometry(shape: [2], strides: [1], offset: 0, dtype: .complex128).apply(to: small)?.count == 2)
    #expect(ReplayGeometry(shape: [3], strides: [1], offset: 0, dtype: .complex128).apply(to: small) == nil)
  }

  @Test func aPointOfAnotherShapeOrDTypeIsRefused() throws {
    var g = TestRandom(seed: 9)
    let plan = try record({ $0.sin() * 2 }, at: g.tensor([6])).get()
    #expect(plan.replay(at: g.tensor([7])) == nil)
    #expect(plan.replay(at: g.tensor([6], dtype: .float32)) == nil)
    #expect(plan.replay(at: g.tensor([6])) != nil)
  }

  @Test func stepsNoResultNeedsAreDropped() throws {
    var g = TestRandom(seed: 8)
    let f = { (u: Tensor) -> Tensor in
      _ = u.cos()  // recorded, but no result depends on it
      return u.sin()
    }
    let recorder = ReplayRecorder(point: g.tensor([5]))
    let y = recorder.recording { f(recorder.point) }
    #expect(recorder.steps.map(\.name).contains("cos"), "\(recorder.steps.map(\.name))")
    let plan = try recorder.plan(results: [y]).get()
    #expect(plan.steps.map(\.name) == ["sin"], "\(plan.steps.map(\.name))")
    let x = g.tensor([5])
    #expect(try #require(plan.replay(at: x))[0].scalars(as: Double.self) == x.sin().scalars(as: Double.self))
  }

  @Test func aViewMadeWithoutAnOpIsReapplied() throws {
    var g = TestRandom(seed: 3)
    // `view(shape:strides:offset:)` shares storage without an op: the replay re-applies it.
    let f = { (u: Tensor) -> Tensor in
      let w = u * 3
      return w.view(shape: [2], strides: [2], offset: 1) + 1
    }
    let plan = try record(f, at: g.tensor([4])).get()
    let x = g.tensor([4])
    let r = try #require(plan.replay(at: x))
    #expect(r[0].scalars(as: Double.self) == f(x).scalars(as: Double.self))
  }

  @Test func aKernelOutsideAnyOpInvalidates() {
    var g = TestRandom(seed: 4)
    // contiguousValues() runs a copy kernel with no op around it.
    let f = { (u: Tensor) -> Tensor in u * u.transposed(0, 1).contiguousValues().transposed(0, 1) }
    guard case .failure(let e) = record(f, at: g.tensor([3, 3])) else {
      Issue.record("a kernel outside any op was not caught")
      return
    }
    #expect(e.reason.contains("outside any op"), "\(e.reason)")
  }

  @Test func readingATracedValueInvalidates() {
    var g = TestRandom(seed: 5)
    let f = { (u: Tensor) -> Tensor in u.sum().item(as: Double.self) > 0 ? u : -u }
    guard case .failure(let e) = record(f, at: g.tensor([3])) else {
      Issue.record("a value read was not caught")
      return
    }
    #expect(e.reason.contains("item"), "\(e.reason)")
  }

  @Test func readingAConstantIsAllowed() throws {
    var g = TestRandom(seed: 6)
    let c = g.tensor([3])
    let f = { (u: Tensor) -> Tensor in c.sum().item(as: Double.self) > 100 ? u : u * c }
    _ = try record(f, at: g.tensor([3])).get()
  }

  @Test func anInPlaceWriteOfATracedTensorInvalidates() {
    var g = TestRandom(seed: 7)
    let f = { (u: Tensor) -> Tensor in
      var w = u * 2
      w[0] = Tensor(5.0)
      return w
    }
    guard case .failure(let e) = record(f, at: g.tensor([3])) else {
      Issue.record("an in-place write was not caught")
      return
    }
    #expect(e.reason.contains("in-place"), "\(e.reason)")
  }

  @Test func hiddenTensorsOfAnOpAreFound() {
    struct Holder { let inner: [Tensor]; let other: Int }
    let a = Tensor([1.0, 2.0]), b = Tensor([3.0])
    let found = ReplayRecorder.hiddenTensors(of: Holder(inner: [a, b], other: 3), declared: [b])
    #expect(found.count == 1 && found[0].scalars(as: Double.self) == [1, 2])
  }
}
