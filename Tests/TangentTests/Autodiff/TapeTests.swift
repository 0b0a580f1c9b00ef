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

  /// A node keeps only the values its VJP reads: the product's output, which tanh reads only
  /// through its own output, is freed once the forward pass drops it, and the gradients
  /// stay right.
  @Test func tapeKeepsOnlyWhatRulesRead() {
    let x = Tensor([[0.3, -0.2]]).requiringGrad()
    let w = Tensor([[1.0, 2.0], [-0.5, 0.25]])
    weak var product: Storage?
    let y: Tensor
    do {
      let h = x.matmul(w)
      product = h.storage
      y = h.tanh()
    }
    #expect(product == nil, "the matmul output is not kept by the tape")
    let g = gradients(of: y.sum(), wrt: [x])[0]
    let t = x.detached.matmul(w).tanh()
    let want = (1 - t * t).matmul(w.mT)
    #expect(g.allClose(want, rtol: 1e-12, atol: 1e-14))
  }

  @Test func retainGraphAllowsASecondPass() {
    let x = Tensor([1.5]).requiringGrad()
    let y = (x * x).exp().sum()
    let g1 = gradients(of: y, wrt: [x], retainGraph: true)[0]
    let g2 = gradients(of: y, wrt: [x])[0]
    #expect(g1.doubles == g2.doubles)
  }
}
