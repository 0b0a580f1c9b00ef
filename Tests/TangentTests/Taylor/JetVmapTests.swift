import Testing
import TangentTesting

@testable import Tangent

/// `jet` composes with `vmap` both ways round: mapped over points, mapped over directions (a
/// direction-batched jet), and a jet of a vmapped function, each against a loop of plain jets.
@Suite struct JetVmapTests {
  /// A function with several elementwise recurrences, a product and a reduction.
  static func u(_ x: Tensor) -> Tensor { ((x.sin() * x.exp()).tanh() + x.softplus() * x).sum(dim: -1) }

  /// The stacked coefficients of plain jets, one per member.
  static func loop(_ count: Int, _ jetOf: (Int) -> (value: Tensor, series: [Tensor])) -> [Tensor] {
    let jets = (0..<count).map(jetOf)
    return [Tensor.stack(jets.map(\.value))] + (0..<jets[0].series.count).map { k in Tensor.stack(jets.map { $0.series[k] }) }
  }

  @Test func vmapOverPointsAndDirections() {
    var rng = TestRandom(seed: 41)
    let xs = rng.tensor([5, 3]), vs = rng.tensor([5, 3]), ws = rng.tensor([5, 3])
    let series = { (x: Tensor, v: Tensor, w: Tensor) in jet(of: Self.u, at: x, series: [v, w, v, w]) }
    // Points and directions mapped together.
    let mapped = vmap(of: { (x: Tensor, d: [Tensor]) -> [Tensor] in
      let j = series(x, d[0], d[1])
      return [j.value] + j.series
    }, inDims: (0, 0))(xs, [vs, ws])
    let expected = Self.loop(5) { series(xs[$0], vs[$0], ws[$0]) }
    #expect(relativeError(mapped, expected) <= 1e-12)
    // One point, a batch of directions: a direction-batched jet.
    let x0 = xs[0]
    let (directions, looped) = Batching.loopedOps {
      vmap(of: { (d: [Tensor]) -> [Tensor] in
        let j = series(x0, d[0], d[1])
        return [j.value] + j.series
      })([vs, ws])
    }
    #expect(looped.isEmpty, "ops that looped over the directions: \(looped)")
    let expectedDirections = Self.loop(5) { series(x0, vs[$0], ws[$0]) }
    #expect(relativeError(directions, expectedDirections) <= 1e-12)
  }

  @Test func jetOfAVmappedFunction() {
    var rng = TestRandom(seed: 43)
    let xs = rng.tensor([4, 3]), vs = rng.tensor([4, 3])
    let batched = jet(of: vmap(of: Self.u), at: xs, series: [vs, vs, vs])
    let expected = Self.loop(4) { jet(of: Self.u, at: xs[$0], series: [vs[$0], vs[$0], vs[$0]]) }
    #expect(relativeError([batched.value] + batched.series, expected) <= 1e-12)
  }
}
