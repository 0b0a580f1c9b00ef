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

  /// Index adds, scatters and region assignments (and so the reverse rules of gathers, index
  /// selects and views) and the linear scans of cumprod batch without looping, with the batch
  /// on either operand.
  @Test func scattersBatchWithoutLooping() {
    var g = SeededGenerator(seed: 3)
    let xs = Tensor.randn([4, 3, 5], using: &g), sources = Tensor.randn([4, 2, 5], using: &g)
    let base = Tensor.randn([3, 5], using: &g), source = Tensor.randn([2, 5], using: &g)
    let rows = Tensor(shape: [2], scalars: [2, 0] as [Int64])
    let positions = Tensor(shape: [2, 5], scalars: [0, 1, 2, 0, 1, 2, 2, 1, 0, 0] as [Int64])
    let cases: [(String, Tensor, (Tensor) -> Tensor)] = [
      ("indexAdd into a batch", xs, { $0.indexAdd(dim: 0, index: rows, source: source) }),
      ("indexAdd of a batch", sources, { base.indexAdd(dim: 0, index: rows, source: $0) }),
      ("scatterAdd of a batch", sources, { base.scatterAdd(dim: 0, index: positions, source: $0) }),
      ("scatter into a batch", xs, { $0.scatter(dim: 0, index: positions, source: source) }),
      ("gradient of indexSelect", xs, { gradient(of: { x in (x.indexSelect(dim: 0, index: rows).sin()).sum() }, at: $0) }),
      ("sliceScatter of a batch", sources, { base.sliceScatter($0, dim: 0, start: 1, end: 3) }),
      ("selectScatter into a batch", xs, { $0.selectScatter(source[0], dim: 0, index: 1) }),
      ("diagonalScatter of a batch", sources, { base.diagonalScatter($0[0].narrowed(dim: 0, start: 0, length: 3)) }),
      ("cumprod and its gradient", xs, { x in x.cumprod(dim: 1) + gradient(of: { $0.cumprod(dim: 1).sum() }, at: x) }),
    ]
    for (name, batch, f) in cases {
      let (y, looped) = Batching.loopedOps { vmap(of: f)(batch) }
      #expect(y.allClose(stacked(batch, f)), "\(name)")
      #expect(looped.isEmpty, "\(name) looped: \(looped)")
    }
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

  /// Masks computed from batched values (a `where` on a comparison, and the masks inside the
  /// rules of relu, abs and clamp) batch with the values: no op loops over the members.
  @Test func masksFromBatchedValuesBatch() {
    var g = SeededGenerator(seed: 8)
    let xs = Tensor.randn([6, 5], using: &g)
    let f = { (x: Tensor) in
      Tensor.where(x.gt(0), x.square(), x.sin()).sum() + x.relu().sum() + x.abs().mean() + x.clamp(min: -0.5, max: 0.5).square().sum()
    }
    let (grads, looped) = Batching.loopedOps { vmap(of: { x in gradient(of: f, at: x) })(xs) }
    #expect(looped.isEmpty, "looped: \(looped)")
    #expect(grads.allClose(stacked(xs) { gradient(of: f, at: $0) }))
    // A batched condition against an unbatched operand of lower rank, and both outputs' dims.
    let w = Tensor.randn([5], using: &g)
    let h = { (x: Tensor) in Tensor.where(x.unsqueezed(dim: 0).expanded(to: [2, 5]).gt(0), w, -w) }
    let (ys, loopedWhere) = Batching.loopedOps { vmap(of: h)(xs) }
    #expect(loopedWhere.isEmpty, "looped: \(loopedWhere)")
    #expect(ys.allClose(stacked(xs, h)))
  }

  /// Meta-learning's composition: an outer gradient of per-sample inner gradients of shared
  /// parameters (`gradient(vmap(gradient))`), the parameters unbatched and tracked by both.
  @Test func gradientOfPerSampleGradientsOfSharedParameters() {
    var g = SeededGenerator(seed: 7)
    let w0 = Tensor.randn([3], using: &g)
    let xs = Tensor.randn([4, 3], using: &g)
    // The parameters pass through ops of their own inside the vmap (`square`, `sum`) before
    // they meet the batch, and the loss reads them twice.
    let inner = { (w: Tensor, x: Tensor) in gradient(of: { w in (w * x).sin().sum() * w.square().sum() }, at: w) }
    let outer = { (perSample: (Tensor) -> Tensor) in
      gradient(of: { w in perSample(w).square().sum() }, at: w0)
    }
    let viaVmap = outer { w in vmap(of: { x in inner(w, x) })(xs) }
    let viaLoop = outer { w in Tensor.stack((0..<4).map { inner(w, xs.select(dim: 0, index: $0)) }) }
    #expect(viaVmap.allClose(viaLoop), "\(viaVmap.doubles) vs \(viaLoop.doubles)")
    #expect(viaLoop.doubles.map(\.magnitude).max()! > 0.1)
    // An inner step of gradient descent per sample (MAML), then the outer loss's gradient.
    let maml = { (step: (Tensor) -> Tensor) in gradient(of: { w in step(w).square().sum() }, at: w0) }
    let adapted = { (w: Tensor, x: Tensor) in (w - 0.1 * inner(w, x)).tanh().sum() * x.sum() }
    let mamlVmap = maml { w in vmap(of: { x in adapted(w, x) })(xs) }
    let mamlLoop = maml { w in Tensor.stack((0..<4).map { adapted(w, xs.select(dim: 0, index: $0)) }) }
    #expect(mamlVmap.allClose(mamlLoop), "\(mamlVmap.doubles) vs \(mamlLoop.doubles)")
    // The same under jvp (forward over the per-sample gradients) and under nested vmaps.
    let v = Tensor.randn([3], using: &g)
    let jv = jvp(of: { w in vmap(of: { x in inner(w, x) })(xs) }, at: w0, along: v).tangent
    let jl = jvp(of: { w in Tensor.stack((0..<4).map { inner(w, xs.select(dim: 0, index: $0)) }) }, at: w0, along: v).tangent
    #expect(jv.allClose(jl))
    let xss = Tensor.randn([2, 4, 3], using: &g)
    let nv = outer { w in vmap(of: { xs in vmap(of: { x in inner(w, x) })(xs) })(xss) }
    let nl = outer { w in
      Tensor.stack((0..<2).map { i in Tensor.stack((0..<4).map { j in inner(w, xss.select(dim: 0, index: i).select(dim: 0, index: j)) }) })
    }
    #expect(nv.allClose(nl), "\(nv.doubles) vs \(nl.doubles)")
  }
}

private func vmapStderr(_ result: ExitTest.Result?) -> String {
  String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
}

/// The rest of vmap's surface: trees, per-leaf dims, chunks, randomness, dual levels open
/// outside it, and misuse.
@Suite struct VmapSurfaceTests {
  @Test func readmeSection() {
    let xs = Tensor.randn([64, 10])
    let norms = vmap(of: { x in (x * x).sum().sqrt() })(xs)
    let w = Tensor.randn([10, 3])
    let perSample = vmap(of: { x in gradient(of: { w in x.matmul(w).tanh().sum() }, at: w) })(xs)
    let jacobians = vmap(of: { x in jacfwd(of: { $0.sin() * $0.sum() }, at: x) })(xs)
    let hessians = vmap(of: { x in hessian(of: { $0.square().sum().sqrt() }, at: x) })(xs)
    #expect(norms.shape == [64] && perSample.shape == [64, 10, 3] && jacobians.shape == [64, 10, 10] && hessians.shape == [64, 10, 10])
    let x7 = xs.select(dim: 0, index: 7)
    #expect(jacobians.select(dim: 0, index: 7).allClose(jacfwd(of: { $0.sin() * $0.sum() }, at: x7)))
    #expect(norms.select(dim: 0, index: 7).allClose((x7 * x7).sum().sqrt()))
  }

  @Test func treesAndPerLeafDims() {
    var g = SeededGenerator(seed: 11)
    let a = Tensor.randn([4, 5], using: &g), b = Tensor.randn([4], using: &g)
    // The first leaf mapped along dim 1, the second unmapped; two outputs, the second's batch
    // placed last.
    let f = vmap(of: { (xs: [Tensor]) -> [Tensor] in [xs[0] * xs[1], (xs[0] + xs[1]).sum()] }, inDims: [1, nil], outDims: [0, -1])
    let out = f([a, b])
    #expect(out[0].shape == [5, 4] && out[1].shape == [5])
    #expect(out[0].allClose(a.mT * b))
    #expect(out[1].allClose((a + b.unsqueezed(dim: 1)).sum(dims: [0])))
    // Two arguments, the second unmapped.
    let two = vmap(of: { (x: Tensor, y: Tensor) in x.matmul(y) }, inDims: (0, nil))
    let m = Tensor.randn([4, 3], using: &g)
    #expect(two(a.mT, m).allClose(a.mT.matmul(m)))
  }

  @Test func chunksGiveTheSameResult() {
    var g = SeededGenerator(seed: 12)
    let xs = Tensor.randn([10, 4], using: &g)
    let f = { (x: Tensor) in hessian(of: { $0.tanh().sum() * $0.square().sum() }, at: x) }
    #expect(vmap(of: f, chunkSize: 3)(xs).allClose(vmap(of: f)(xs)))
    #expect(vmap(of: f, outDim: 2, chunkSize: 4)(xs).allClose(vmap(of: f)(xs).movedim(0, to: 2)))
  }

  @Test func randomness() {
    let xs = Tensor.zeros([6, 3])
    let same = vmap(of: { x in x + Tensor.randn([3]) }, randomness: .same)(xs)
    #expect(same.select(dim: 0, index: 0).allClose(same.select(dim: 0, index: 5)))
    let different = vmap(of: { x in x + Tensor.randn([3]) }, randomness: .different)(xs)
    #expect(!different.select(dim: 0, index: 0).allClose(different.select(dim: 0, index: 5)))
    #expect(different.shape == [6, 3])
  }

  @Test func underAnOpenDualLevel() {
    var g = SeededGenerator(seed: 13)
    let xs = Tensor.randn([5, 3], using: &g), vs = Tensor.randn([5, 3], using: &g)
    let f = { (x: Tensor) in x.sin().prod() }
    let tangent: Tensor = withDualLevel { level in
      let y = vmap(of: f)(xs.dual(tangent: vs, at: level))
      return y.tangent(at: level)!
    }
    let expected = Tensor.stack((0..<5).map { jvp(of: f, at: xs.select(dim: 0, index: $0), along: vs.select(dim: 0, index: $0)).tangent })
    #expect(tangent.allClose(expected))
  }

  @Test func misuseStopsWithAMessage() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = vmap(of: { (xs: [Tensor]) in [xs[0] + xs[1]] })([Tensor.zeros([3, 2]), Tensor.zeros([4, 2])])
    }
    #expect(vmapStderr(r0).contains("vmap: the mapped inputs have different batch sizes: 3 (leaf 0, dim 0) and 4 (leaf 1, dim 0)"), "\(vmapStderr(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = vmap(of: { $0 }, inDim: 2)(Tensor.zeros([3, 2]))
    }
    #expect(vmapStderr(r1).contains("vmap: in dim 2 is out of range for input leaf 0 of shape [3, 2]"), "\(vmapStderr(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = vmap(of: { x in Tensor(x.sum().scalar) })(Tensor.zeros([3, 2]))
    }
    #expect(vmapStderr(r2).contains("doubles: cannot read the values of a tensor batched by vmap"), "\(vmapStderr(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = vmap(of: { x in x + Tensor.rand([2]) })(Tensor.zeros([3, 2]))
    }
    #expect(vmapStderr(r3).contains("rand: a random op inside vmap with randomness .error"), "\(vmapStderr(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      nonisolated(unsafe) var leaked = Tensor.zeros([])
      _ = vmap(of: { x in leaked = x; return x })(Tensor.zeros([3, 2]))
      _ = leaked + 1
    }
    #expect(vmapStderr(r4).contains("a batched tensor leaked out of its vmap"), "\(vmapStderr(r4))")
  }
}
