import Testing
import TangentTesting
@testable import Tangent

// Fused replay plans read zero pads, slices' gradients and rolls through windows: each gives the
// bits of the plain plan and of running the function, in long rows (tiles inside a segment,
// across a segment's edge, all zeros) and short packed rows, with chunked tangents, float32 and
// complex128.

extension FusedReplayPlanTests {
  @Test func padsAndSlicesOfPadsAreReadThroughWindows() throws {
    // The Bratu stencil: a zero pad read through four unit-step slices.
    for (shape, dtype) in [([40, 40], DType.float64), ([7, 2100], .float64), ([40, 40], .float32), ([12, 30], .complex128)] {
      let fused = try check(
        { x in
          let (m, n) = (x.shape[0], x.shape[1])
          let g = x.padded([1, 1, 1, 1])
          return [g[0..<m, 1..<(n + 1)] + g[2..<(m + 2), 1..<(n + 1)] + g[1..<(m + 1), 0..<n] * g[1..<(m + 1), 2..<(n + 2)] - x]
        }, shape: shape, dtype: dtype, seed: 20)
      #expect(fused.windowedLeafCount == 4, "\(shape) \(dtype): \(fused)")
      #expect(fused.wholeStepCount == 0, "\(shape) \(dtype): \(fused)")
    }
  }

  @Test func slicesGradientsAreReadThroughWindows() throws {
    // The chained Rosenbrock gradient: two slices' gradients (zeros around a region) added.
    var g = TestRandom(seed: 21)
    let v = g.tensor([3, 3000])
    let fused = try check(
      { u in
        [jvp(of: { x in gradient(of: ChainedRosenbrock.value, at: x) }, at: u, along: v, chunked: true).tangent]
      }, shape: [3000], seed: 22)
    #expect(fused.windowedLeafCount >= 2, "\(fused)")
  }

  @Test func rollsAreReadThroughWindows() throws {
    // A periodic Laplacian by rolls, in long rows and packed short rows, with rolls of rolls.
    for shape in [[3, 2500], [40, 24]] {
      let fused = try check(
        { x in
          let lap = x.roll(1, dim: 0) + x.roll(-1, dim: 0) + x.roll(1, dim: 1) + x.roll(-1, dim: 1) - x * 4
          return [lap * x, x.roll([2, 3], dims: [1, 1]).roll(1, dim: 0) - x]
        }, shape: shape, seed: 23)
      #expect(fused.windowedLeafCount >= 5, "\(shape): \(fused)")
      #expect(fused.wholeStepCount == 0, "\(shape): \(fused)")
    }
  }

  @Test func windowsOverValuesOfTheirOwnGroupSplitIt() throws {
    // A roll of a value computed in the group of its shape reads all of it: written first.
    let fused = try check({ x in [((x * x).roll(1, dim: 1) + x).exp()] }, shape: [30, 40], seed: 24)
    #expect(fused.groupCount == 2, "\(fused)")
  }

  @Test func windowedValuesReadOtherwiseAreWrittenOut() throws {
    // A pad broadcast into another shape and a pad read through a transpose are written by a
    // step, then read as values.
    let fused = try check(
      { x in
        let p = x.padded([2, 1])
        return [p.unsqueezed(dim: 0) * x.sum().reshaped([1, 1]) + 1, p.transposed() * 2, p.sum()]
      }, shape: [5, 9], seed: 25)
    #expect(fused.wholeStepCount >= 1, "\(fused)")
  }

  @Test func dualsReadRollsAndPadsThroughWindows() throws {
    // The Brusselator and Bratu right-hand sides under chunked JVPs.
    var g = TestRandom(seed: 26)
    let bruss = Brusselator2D(n: 8)
    let forcing = bruss.forcing(t: 1.1)
    let v = g.tensor([5, bruss.unknowns])
    try check(
      { u in [jvp(of: { bruss.rhs($0, forcing: forcing) }, at: u, along: v, chunked: true).tangent] },
      shape: [bruss.unknowns], seed: 27)
    let bratu = Bratu2D(n: 12)
    let w = g.tensor([4, bratu.unknowns])
    try check(
      { u in [jvp(of: { bratu.residual($0) }, at: u, along: w, chunked: true).tangent] },
      shape: [bratu.unknowns], seed: 28)
  }
}
