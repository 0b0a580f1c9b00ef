import Testing
@testable import Tangent

@Suite struct TapeTests {
  /// Reverse-over-forward makes tangents that depend on a node's outputs; the saved outputs
  /// must not keep those tangents' tape links, or the graph would never be freed.
  @Test func reverseOverForwardGraphsAreFreed() {
    weak var node: GradNode?
    weak var producer: GradNode?
    do {
      let x = Tensor([0.4]).requiringGrad()
      let y: Tensor = withDualLevel { l in
        let e = x.dual(tangent: Tensor([1.0]), at: l).exp()
        producer = e.autodiff?.edge?.node
        return (e * 2).tangent(at: l)!
      }
      node = y.autodiff?.edge?.node
      #expect(node != nil && producer != nil)
    }
    #expect(node == nil, "the tangent's graph is freed with its last tensor")
    #expect(producer == nil, "the primal's node is freed too (no cycle through its saved output)")
  }

  @Test func retainGraphAllowsASecondPass() {
    let x = Tensor([1.5]).requiringGrad()
    let y = (x * x).exp().sum()
    let g1 = gradients(of: y, wrt: [x], retainGraph: true)[0]
    let g2 = gradients(of: y, wrt: [x])[0]
    #expect(g1.doubles == g2.doubles)
  }
}
