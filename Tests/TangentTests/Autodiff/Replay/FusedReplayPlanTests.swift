import ComplexModule
import Testing
import TangentTesting
@testable import Tangent

// Fused replay plans: the elementwise steps of a recorded plan run together in loops over
// tiles, grouped by shape, and give the bits of the plain plan and of running the function:
// long chains, several shapes with broadcasting, views (slices, transposes) as leaves, a view of
// a value of the group's own shape (which splits the group), duals with chunked tangents,
// float32 and complex128, transcendental functions with dispatched loops, and sizes that take
// many tiles, rows and threads.

@Suite struct FusedReplayPlanTests {
  /// Records `f` at `x`: the plain plan and its fused form.
  func record(_ f: (Tensor) -> [Tensor], at x: Tensor) throws -> (ReplayPlan, FusedReplayPlan) {
    let recorder = ReplayRecorder(point: x)
    let ys = recorder.recording { f(recorder.point) }
    let plan = try recorder.plan(results: ys).get()
    let fused = try #require(FusedReplayPlan(plan), "no step of \(plan.steps.map(\.name)) has a program")
    return (plan, fused)
  }

  /// Records `f` at a random point of `shape`, then replays the fused plan at `points` random
  /// points: the results hold the bits of `f` itself and of the plain plan. Returns the fused plan.
  @discardableResult
  func check(
    _ f: (Tensor) -> [Tensor], shape: [Int], dtype: DType = .float64, seed: UInt64, points: Int = 3,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> FusedReplayPlan {
    var g = TestRandom(seed: seed)
    let (plan, fused) = try record(f, at: g.tensor(shape, dtype: dtype))
    for p in 0..<points {
      let x = g.tensor(shape, dtype: dtype)
      let expected = f(x)
      let r = try #require(fused.replay(at: x), sourceLocation: sourceLocation)
      let plain = try #require(plan.replay(at: x), sourceLocation: sourceLocation)
      #expect(r.count == expected.count, sourceLocation: sourceLocation)
      for (i, (a, b)) in zip(r, expected).enumerated() {
        #expect(sameBits(a, b), "point \(p), result \(i): fused \(a.shape) differs from f", sourceLocation: sourceLocation)
        #expect(sameBits(a, plain[i]), "point \(p), result \(i): fused differs from the plain plan", sourceLocation: sourceLocation)
      }
    }
    return fused
  }

  @Test func aChainOfElementwiseOpsIsOneGroup() throws {
    // 5000 elements: five tiles, split across threads.
    let fused = try check({ x in [((x * x).sin() + x.exp() * 0.5 - x / 3).tanh()] }, shape: [5000], seed: 1)
    #expect(fused.groupCount == 1)
    #expect(fused.wholeStepCount == 0)
    #expect(fused.fusedFunctionCount >= 8, "\(fused.fusedFunctionCount)")
  }

  @Test func shapesGroupSeparatelyAndBroadcast() throws {
    // A reduction runs whole between groups of shape [4, 1500] and [1500]; the row broadcasts
    // into the first group.
    let fused = try check(
      { x in
        let row = x.sum(dim: 0)
        let y = x * row + x.cos()
        let z = (row.exp() - row).square()
        return [y, z, (y * 2).sum()]
      }, shape: [4, 1500], seed: 2)
    #expect(fused.groupCount >= 2)
    #expect(fused.wholeStepCount >= 2)
  }

  @Test func slicesAndTransposesAreReadInPlace() throws {
    try check(
      { x in
        let n = x.shape[1]
        let shifted = x[0..., 1..<n] * x[0..., 0..<(n - 1)] + 1
        let t = x.transposed() * x.transposed().sin()
        return [shifted, t]
      }, shape: [3, 2100], seed: 3)
  }

  @Test func shortRowsArePackedSeveralToATile() throws {
    // Rows of 11 and 12 elements, strided (slices of rows) and stepped (a transpose): packed
    // into tiles of several rows, with the stepped and strided leaves copied first.
    for dtype in [DType.float64, .float32, .complex128] {
      try check(
        { x in
          let n = x.shape[1]
          let inner = x[0..., 1..<n] * x[0..., 0..<(n - 1)] - x[0..., 1..<n]
          let t = x.transposed()
          return [inner * 3 + 1, (t * t + t) * 2, x * x[0..., 0..<1]]
        }, shape: [300, 12], dtype: dtype, seed: 11)
    }
  }

  @Test func aViewOfTheGroupsOwnShapeSplitsTheGroup() throws {
    // `y.transposed()` reads all of `y` in another order: `y` is written first.
    let fused = try check(
      { x in
        let y = x.sin() * 2
        return [(y.transposed() * y + x).exp()]
      }, shape: [40, 40], seed: 4)
    #expect(fused.groupCount == 2, "\(fused.groupCount)")
  }

  @Test func dualsWithChunkedTangentsFuse() throws {
    var g = TestRandom(seed: 5)
    let v = g.tensor([3, 3000])
    try check(
      { u in [jvp(of: { ($0 * $0).sin() * $0 + $0.exp() }, at: u, along: v, chunked: true).tangent] }, shape: [3000], seed: 6)
  }

  @Test func float32AndComplex128() throws {
    try check({ x in [(x * x).exp() - x * 3 + x.tanh()] }, shape: [2500], dtype: .float32, seed: 7)
    try check({ x in [x * x + x.exp() * x - 2 * x] }, shape: [1800], dtype: .complex128, seed: 8)
  }

  @Test func aPointOfAnotherShapeOrDTypeIsRefused() throws {
    var g = TestRandom(seed: 12)
    let (_, fused) = try record({ x in [(x * x).sin() + x] }, at: g.tensor([50]))
    #expect(fused.replay(at: g.tensor([50], dtype: .float32)) == nil)
    #expect(fused.replay(at: g.tensor([51])) == nil)
    #expect(fused.replay(at: g.tensor([50])) != nil)
  }

  @Test func smallAndScalarShapes() throws {
    try check({ x in [(x * x + 1).sqrt()] }, shape: [], seed: 9)
    try check({ x in [(x * x + 1).sqrt(), x.sum() * x] }, shape: [1, 3, 1], seed: 10)
  }
}
