import Tangent
import Testing

/// The code of Sources/Tangent/Tangent.docc/Vmap.md, line for line, with the shapes and values
/// the article states checked against loops over the members.
@Suite struct VmapArticleTests {
  @Test func overviewAndTransforms() {
    let xs = Tensor.randn([64, 10])
    let norms = vmap(of: { x in (x * x).sum().sqrt() })(xs)   // [64]
    #expect(norms.shape == [64])
    #expect(norms.allClose(xs.square().sum(dim: 1).sqrt()))

    let w = Tensor.randn([10, 3])
    let loss = { (w: Tensor, x: Tensor) in x.matmul(w).tanh().square().sum() }
    let perSample = vmap(of: { x in gradient(of: { w in loss(w, x) }, at: w) })(xs)   // [64, 10, 3]
    let jacobians = vmap(of: { x in jacfwd(of: { $0.sin() * $0.sum() }, at: x) })(xs) // [64, 10, 10]
    let batchGradient = gradient(of: { xs in vmap(of: { x in loss(w, x) })(xs).sum() }, at: xs)
    #expect(perSample.shape == [64, 10, 3] && jacobians.shape == [64, 10, 10])
    let member = xs.select(dim: 0, index: 5)
    #expect(perSample.select(dim: 0, index: 5).allClose(gradient(of: { w in loss(w, member) }, at: w)))
    #expect(jacobians.select(dim: 0, index: 5).allClose(jacfwd(of: { $0.sin() * $0.sum() }, at: member)))
    #expect(batchGradient.select(dim: 0, index: 5).allClose(gradient(of: { x in loss(w, x) }, at: member)))
  }

  @Test func dimsAndChunks() {
    let xs = Tensor.randn([64, 10])
    let ys = Tensor.randn([10, 64])
    let columns = vmap(of: { y in y.softmax(dim: 0) }, inDim: 1, outDim: 1)(ys)        // [10, 64]
    let scaled = vmap(of: { (x: Tensor, s: Tensor) in x * s }, inDims: (0, nil))(xs, Tensor(2.0))
    #expect(columns.shape == [10, 64] && columns.allClose(ys.softmax(dim: 0)))
    #expect(scaled.allClose(xs * 2))
    let chunked = vmap(of: { x in x.tanh().sum() }, chunkSize: 7)(xs)
    #expect(chunked.allClose(xs.tanh().sum(dim: 1)))
  }

  @Test func randomness() {
    let xs = Tensor.zeros([4, 3])
    let same = vmap(of: { x in x + Tensor.rand([3]) }, randomness: .same)(xs)
    let different = vmap(of: { x in x + Tensor.rand([3]) }, randomness: .different)(xs)
    #expect(same.select(dim: 0, index: 0).allClose(same.select(dim: 0, index: 3)))
    #expect(!different.select(dim: 0, index: 0).allClose(different.select(dim: 0, index: 3)))
  }

  @Test func loopedOpsAreListed() {
    let xs = Tensor.randn([4, 3])
    let (_, looped) = Batching.loopedOps { vmap(of: { x in x.exp().sum() })(xs) }
    #expect(looped.isEmpty)
  }
}
