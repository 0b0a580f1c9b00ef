import Synchronization
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

  /// Saved outputs keep their tangents' tape links (reverse-over-forward-over-reverse needs
  /// them, see MixedOrderDerivativeTests); the cycle this makes through a tangent computed
  /// from the output itself is broken when the tangent's dual level closes, so nested
  /// transforms free their graphs.
  @Test func linkedSavedTangentsAreFreedWhenTheirLevelCloses() {
    weak var node: GradNode?
    var captured = false
    do {
      let x = Tensor([0.4, -0.3])
      let h = hessian(of: { x in
        hessian(of: { y in
          let t = y.tanh()
          if !captured, let n = t.autodiff?.edge?.node {
            node = n
            captured = true
          }
          return t.sum()
        }, at: x).sum()
      }, at: x)
      #expect(h.shape == [2, 2])
    }
    #expect(captured)
    #expect(node == nil, "the tanh node of the innermost gradient is freed")
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

  /// A product keeps an operand only when the other one wants a gradient: with a constant
  /// weight, the activation it multiplies is not kept, and every one-sided gradient is right.
  @Test func productsKeepOnlyTheOperandsTheirGradientsNeed() {
    let x = Tensor([[0.3, -0.2], [0.1, 0.7]]).requiringGrad()
    let w = Tensor([[1.0, 2.0], [-0.5, 0.25]])
    weak var activation: Storage?
    let y: Tensor
    do {
      let h = x.sin()  // sin keeps its input, not its output
      activation = h.storage
      y = h.matmul(w) * w  // w is a constant of both products
    }
    #expect(activation == nil, "the activation is not kept for a constant weight's sake")
    let g = gradients(of: y.sum(), wrt: [x])[0]
    let want = x.detached.cos() * (w).matmul(w.mT)
    #expect(g.allClose(want, rtol: 1e-12, atol: 1e-14))
    // One-sided gradients of both products, each operand in turn, against the two-sided ones.
    let a = Tensor([[0.5, 1.5], [-1.0, 2.0]]), b = Tensor([[0.25, -0.75], [1.25, 0.5]])
    for f in [{ (p: Tensor, q: Tensor) in p.matmul(q) }, { (p: Tensor, q: Tensor) in p * q }] {
      let (la, lb) = (a.requiringGrad(), b.requiringGrad())
      let both = gradients(of: f(la, lb).sin().sum(), wrt: [la, lb])
      let onlyA = a.requiringGrad(), onlyB = b.requiringGrad()
      #expect(gradients(of: f(onlyA, b).sin().sum(), wrt: [onlyA])[0].allClose(both[0], rtol: 1e-14, atol: 0))
      #expect(gradients(of: f(a, onlyB).sin().sum(), wrt: [onlyB])[0].allClose(both[1], rtol: 1e-14, atol: 0))
    }
  }

  @Test func retainGraphAllowsASecondPass() {
    let x = Tensor([1.5]).requiringGrad()
    let y = (x * x).exp().sum()
    let g1 = gradients(of: y, wrt: [x], retainGraph: true)[0]
    let g2 = gradients(of: y, wrt: [x])[0]
    #expect(g1.doubles == g2.doubles)
  }

  /// A rule that does not take chunked cotangents runs once per backward pass, mapped over the
  /// chunk (it sees one member's cotangent shape), and gives the rows a pass per row gives.
  @Test func rulesWithoutChunkedCotangentsRunOncePerPass() {
    let calls = ShapeLog()
    let scaled = CustomOp(
      name: "scaledCumsum",
      primal: { x in [x[0].cumsum(dim: 0) * 2] },
      jvp: { _, _, dx in [dx[0].map { $0.cumsum(dim: -1) * 2 }] },
      vjp: { _, _, gy, _ in
        calls.shapes.withLock { $0.append(gy[0]!.shape) }
        return [gy[0].map { $0.flipped(dims: [-1]).cumsum(dim: -1).flipped(dims: [-1]) * 2 }]
      })
    let x = Tensor([0.5, -1.0, 2.0, 0.25, 1.5, -0.75])
    let f = { (x: Tensor) in (scaled(x)[0] * x).sin() }
    let chunked = jacrev(of: f, at: x, chunkSize: 3)
    #expect(calls.shapes.withLock { $0 } == [[6], [6]], "two passes of three rows, each calling the rule once on a member's shape")
    let rows = jacrev(of: f, at: x, chunkSize: 1)
    #expect(calls.shapes.withLock { $0.count } == 8)
    for (a, b) in zip(chunked.doubles, rows.doubles) { #expect(abs(a - b) <= 1e-14 * (1 + abs(b))) }
    for (a, b) in zip(chunked.doubles, jacfwd(of: f, at: x).doubles) { #expect(abs(a - b) <= 1e-13 * (1 + abs(b))) }
  }
}

/// The cotangent shapes a custom rule was called with.
private final class ShapeLog: Sendable {
  let shapes = Mutex<[[Int]]>([])
}
