import Testing
@testable import Tangent

/// `vmap` against stacking the function over the batch members, and its compositions.
@Suite struct VmapTests {
  /// Stacks `f` over the members of `x` along dim 0: what vmap must equal.
  func stacked(_ x: Tensor, _ f: (Tensor) -> Tensor) -> Tensor {
    Tensor.stack((0..<x.shape[0]).map { f(x.select(dim: 0, index: $0)) })
  }

  @Test func elementwiseReductionAndProducts() {
    var g = SeededGenerator(seed: 1)
    let x = Tensor.randn([5, 3, 4], using: &g)
    let w = Tensor.randn([4, 2], using: &g)
    let f = { (v: Tensor) in ((v.tanh() * 2 + 1).matmul(w)).softmax(dim: -1).sum(dims: [0]) + v.exp().mean() }
    let (y, looped) = Batching.loopedOps { vmap(of: f)(x) }
    #expect(y.allClose(stacked(x, f)))
    #expect(!y.isBatched)
    #expect(looped.isEmpty, "looped: \(looped)")
  }

  @Test func inAndOutDims() {
    var g = SeededGenerator(seed: 2)
    let x = Tensor.randn([3, 6], using: &g)
    let f = { (v: Tensor) in v.sin() * v.sum() }
    let y = vmap(of: f, inDim: 1, outDim: -1)(x)
    let expected = stacked(x.transposed(0, 1), f).transposed(0, 1)
    #expect(y.shape == [3, 6])
    #expect(y.allClose(expected))
  }

  @Test func perSampleGradients() {
    var g = SeededGenerator(seed: 3)
    let w = Tensor.randn([4, 3], using: &g)
    let xs = Tensor.randn([7, 4], using: &g)
    let loss = { (w: Tensor, x: Tensor) in x.matmul(w).tanh().square().sum() }
    let grads = vmap(of: { x in gradient(of: { w in loss(w, x) }, at: w) })(xs)
    let expected = Tensor.stack((0..<7).map { i in gradient(of: { w in loss(w, xs.select(dim: 0, index: i)) }, at: w) })
    #expect(grads.shape == [7, 4, 3])
    #expect(grads.allClose(expected))
  }

  @Test func jvpInsideAndOutside() {
    var g = SeededGenerator(seed: 4)
    let xs = Tensor.randn([5, 3], using: &g)
    let v = Tensor.randn([3], using: &g)
    let f = { (x: Tensor) in (x.sin() * x.sum()).exp() }
    // vmap(jvp): per-member directional derivatives.
    let inside = vmap(of: { x in jvp(of: f, at: x, along: v).tangent })(xs)
    let expectedInside = stacked(xs) { jvp(of: f, at: $0, along: v).tangent }
    #expect(inside.allClose(expectedInside))
    // jvp(vmap): the tangent of the whole batch.
    let vs = Tensor.randn([5, 3], using: &g)
    let outside = jvp(of: vmap(of: f), at: xs, along: vs).tangent
    let expectedOutside = Tensor.stack((0..<5).map { jvp(of: f, at: xs.select(dim: 0, index: $0), along: vs.select(dim: 0, index: $0)).tangent })
    #expect(outside.allClose(expectedOutside))
  }

  @Test func gradientOfVmapAndNested() {
    var g = SeededGenerator(seed: 5)
    let xs = Tensor.randn([4, 3], using: &g)
    let f = { (x: Tensor) in x.tanh().square().sum() }
    let gv = gradient(of: { vmap(of: f)($0).sum() }, at: xs)
    #expect(gv.allClose(gradient(of: { stacked($0, f).sum() }, at: xs)))
    let ys = Tensor.randn([2, 4, 3], using: &g)
    let nested = vmap(of: vmap(of: f))(ys)
    #expect(nested.shape == [2, 4])
    #expect(nested.allClose(Tensor.stack((0..<2).map { stacked(ys.select(dim: 0, index: $0), f) })))
  }

  @Test func hessianInsideVmap() {
    var g = SeededGenerator(seed: 6)
    let xs = Tensor.randn([3, 4], using: &g)
    let f = { (x: Tensor) in x.sin().prod() + x.square().sum().sqrt() }
    let hs = vmap(of: { hessian(of: f, at: $0) })(xs)
    #expect(hs.allClose(stacked(xs) { hessian(of: f, at: $0) }))
  }
}
