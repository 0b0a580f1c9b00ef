import Testing
@testable import Tangent

/// The engine drops tape links no op can record under the current recording ceiling (dead
/// links), so the ops of forward-over-reverse take the plain and one-level paths; and tape
/// nodes save stand-ins that share one zeroed buffer.
@Suite struct DeadLinkTests {
  /// Only links whose node serves levels at or above the ceiling go; live links and the
  /// tangents stay.
  @Test func droppingDeadLinksKeepsLiveLinksAndTangents() {
    let low = Tensor([1.0, 2.0]).leaf(atLevel: 2)
    let high = Tensor([3.0, 4.0]).leaf(atLevel: 7)
    #expect(Autodiff.droppingDeadLinks([low, Tensor([1.0])], ceiling: 5) == nil, "no dead link: nothing to rebuild")
    let kept = Autodiff.droppingDeadLinks([low, high], ceiling: 5)
    #expect(kept?[0].autodiff?.edge?.node === low.autodiff?.edge?.node)
    #expect(kept?[1].autodiff == nil, "a dead link on a tensor with no tangents leaves a plain tensor")
    withDualLevel { l in
      let dual = high.dual(tangent: Tensor([1.0, -1.0]), at: l)
      let dropped = Autodiff.droppingDeadLinks([dual], ceiling: 7)
      #expect(dropped?[0].autodiff?.edge == nil)
      #expect(dropped?[0].tangent(at: l)?.scalars(as: Double.self) == [1, -1])
    }
  }

  /// Forward-over-reverse (where the links are dropped) agrees with reverse-over-reverse
  /// (where they stay live, since the outer gradient records the inner backward pass), through
  /// rules that read their inputs and outputs, a slice and a broadcast.
  @Test func hvpAgreesWithReverseOverReverse() {
    let f = { (x: Tensor) -> Tensor in ((x.exp() * x).sin() + x.square() * x[0..<1] + x.tanh()).sum() }
    let x = Tensor([0.3, -0.7, 1.1, 0.4])
    let h = jacrev(of: { gradient(of: f, at: $0) }, at: x)
    let v = Tensor(shape: [2, 4], scalars: [1, 0, 0.5, -1, 2, 0, -0.25, 3])
    let hv = hvp(of: f, at: x, along: v, chunked: true).hvp
    // H is symmetric, so the rows of v·H are the products H·vₖ.
    #expect(hv.allClose(v.matmul(h), rtol: 1e-12, atol: 1e-12))
    #expect(hv.autodiff == nil)
  }

  /// Stand-ins read as zeros of their shape and dtype in every floating dtype (they share a
  /// buffer sized for the widest), and an op on one gives a fresh result.
  @Test func standInsReadZeroInEveryFloatingDtype() {
    for dtype in [DType.float32, .float64, .complex64, .complex128] {
      let s = Tensor.ones([2, 3], dtype: dtype).standIn
      #expect(s.shape == [2, 3] && s.dtype == dtype)
      let ones = Tensor.ones([2, 3], dtype: dtype)
      #expect((s + ones).allClose(ones))
      #expect(Tensor.zeros([4], dtype: dtype).standIn.storage === s.storage)
    }
  }

  /// An op's node has no gradient of its own (no leaf lock is allocated for it).
  @Test func opNodesHaveNoGradient() {
    let x = Tensor([1.0, 2.0]).requiringGrad()
    let y = x * x
    #expect(y.autodiff?.edge?.node.isLeaf == false)
    #expect(y.autodiff?.edge?.node.grad == nil)
  }
}
