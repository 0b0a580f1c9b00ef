import Foundation
import Testing
import Tangent
import TangentTesting

// jacfwd, jacrev, hessian and linearize over TensorTree values: against the Tensor transforms
// of the raveled function, against finite differences, and against each other; has_aux and
// argument selection.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

extension DenseParams {
  /// A computed tensor: not a leaf, so no Jacobian block.
  var doubledWeight: Tensor { weight * 2 }
}

@Suite struct TreeTransformTests {
  var rng = TestRandom(seed: 1313)

  @Test mutating func jacobiansOfAnMLPMatchTheRaveledTensorJacobian() {
    let params = TwoLayerParams.random(&rng)
    let x = rng.tensor([5, 3])
    let (theta, unravel) = ravel(params)
    let flat = { (t: Tensor) in unravel(t)(x) }
    let reference = jacfwd(of: flat, at: theta).reshaped([10, theta.count])
    let numeric = numericJacobian(flat, at: theta).reshaped([10, theta.count])
    expectClose(reference, numeric, tol: 1e-7)
    for chunkSize in [nil, 3] {
      let forward = jacfwd(of: { (p: TwoLayerParams) in p(x) }, at: params, chunkSize: chunkSize)
      let reverse = jacrev(of: { (p: TwoLayerParams) in p(x) }, at: params, chunkSize: chunkSize)
      expectClose(forward.matrix(), reference, tol: 1e-12)
      expectClose(reverse.matrix(), reference, tol: 1e-12)
      // JAX's layout: output dims, then the leaf's dims.
      #expect(forward[output: \.self, input: \.hidden.weight].shape == [5, 2, 4, 3])
      #expect(reverse[output: 0, input: 3].shape == [5, 2, 2])
      let tree = reverse.inputTree
      #expect(tree.output.weight.shape == [5, 2, 2, 4] && tree.label == "mlp")
      expectClose(tree.output.weight, forward[output: \.self, input: \.output.weight], tol: 1e-12)
    }
  }

  @Test mutating func jacobiansOfADictionaryTree() {
    let point: [String: Tensor] = ["a": rng.tensor([3]), "b": rng.tensor([2, 2])]
    let f = { (p: [String: Tensor]) -> [String: Tensor] in
      ["u": p["a"]!.sin() * p["b"]!.sum(), "v": p["b"]!.exp() * p["a"]!.sum(), "w": (p["a"]! * p["a"]!).sum()]
    }
    let forward = jacfwd(of: f, at: point, chunkSize: 2)
    let reverse = jacrev(of: f, at: point, chunkSize: 4)
    let (theta, unravel) = ravel(point)
    let numeric = numericJacobian({ ravel(f(unravel($0))).vector }, at: theta)
    expectClose(forward.matrix(), numeric, tol: 1e-7)
    expectClose(reverse.matrix(), forward.matrix(), tol: 1e-12)
    // ∂u/∂b = sin(a) ⊗ ones: a block of shape [3, 2, 2], by key paths into both dictionaries.
    let dudb = forward[output: \[String: Tensor].["u"]!, input: \[String: Tensor].["b"]!]
    #expect(dudb.shape == [3, 2, 2])
    expectClose(dudb, point["a"]!.sin().reshaped([3, 1, 1]).expanded(to: [3, 2, 2]), tol: 1e-14)
    // The inner tree for one output (JAX's dict of dicts), and a scalar output's blocks.
    let dv = forward[output: \[String: Tensor].["v"]!]
    #expect(dv["a"]!.shape == [2, 2, 3] && dv["b"]!.shape == [2, 2, 2, 2])
    expectClose(reverse.outputTree(forInput: 0)["w"]!, 2 * point["a"]!, tol: 1e-14)
  }

  @Test mutating func treeFormsAgreeWithTheTensorForms() {
    let x = rng.tensor([3, 2])
    let g = { (x: Tensor) in (x.sin() * x.sum(dim: 0)).exp() }
    expectClose(jacfwd(of: { (p: [Tensor]) in g(p[0]) }, at: [x]).blocks[0][0], jacfwd(of: g, at: x), tol: 1e-14)
    expectClose(jacrev(of: { (p: [Tensor]) in g(p[0]) }, at: [x]).blocks[0][0], jacrev(of: g, at: x), tol: 1e-14)
    let s = { (x: Tensor) in (x.sin() * x.sum(dim: 0)).exp().sum() }
    expectClose(hessian(of: { (p: [Tensor]) in s(p[0]) }, at: [x]).blocks[0][0], hessian(of: s, at: x), tol: 1e-13)
  }

  @Test mutating func scalarAndEmptyLeaves() {
    let p: [Tensor] = [Tensor(2.0), Tensor.zeros([0]), rng.tensor([2])]
    let f = { (p: [Tensor]) in [p[0] * p[2].sin(), p[1].sum() + p[0] * p[0]] }
    let jf = jacfwd(of: f, at: p, chunkSize: 2), jr = jacrev(of: f, at: p)
    #expect(jf[output: 0, input: 0].shape == [2] && jf[output: 0, input: 1].shape == [2, 0] && jf[output: 1, input: 2].shape == [2])
    #expect(jr[output: 1, input: 0].shape == [] && jr[output: 1, input: 1].shape == [0])
    #expect(jf.matrix().shape == [3, 3])
    expectClose(jf.matrix(), jr.matrix(), tol: 1e-15)
    expectClose(jf[output: 0, input: 0], p[2].sin(), tol: 0)
    expectClose(jr[output: 1, input: 0], Tensor(4.0), tol: 1e-15)
  }

  @Test mutating func complexJacobiansMatchTheTensorForms() {
    let a = rng.tensor([3], dtype: .complex128), b = rng.tensor([2], dtype: .complex128)
    let f = { (p: [Tensor]) in [(p[0] * p[1].sum()).exp(), p[1] * p[1] * p[0][0]] }
    let forward = jacfwd(of: f, at: [a, b], chunkSize: 2)
    let reverse = jacrev(of: f, at: [a, b], chunkSize: 3)
    for (i, j) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
      let fixed = { (t: Tensor) in f(j == 0 ? [t, b] : [a, t])[i] }
      let at = j == 0 ? a : b
      expectClose(forward[output: i, input: j], jacfwd(of: fixed, at: at), tol: 1e-13)
      expectClose(reverse[output: i, input: j], jacrev(of: fixed, at: at), tol: 1e-13)
      // A holomorphic f: the forward block's columns are derivatives along real directions.
      expectClose(forward[output: i, input: j], numericJacobian(fixed, at: at), tol: 1e-7)
    }
  }

  @Test mutating func hessianOfAnMLPLossMatchesTheRaveledHessian() {
    let params = TwoLayerParams.random(&rng)
    let x = rng.tensor([4, 3])
    let loss = { (p: TwoLayerParams) in (p(x) * p(x)).sum() }
    let (theta, unravel) = ravel(params)
    let reference = hessian(of: { loss(unravel($0)) }, at: theta)
    let h = hessian(of: loss, at: params, chunkSize: 7)
    expectClose(h.matrix(), reference, tol: 1e-11)
    let hw = h[output: \.hidden.weight, input: \.output.bias]
    #expect(hw.shape == [4, 3, 2])
    expectClose(h[output: \.output.bias, input: \.hidden.weight], hw.permuted([2, 0, 1]), tol: 1e-11)
    // The rows of the Hessian in the parameters' structure: the gradient's Jacobian.
    let g = gradient(of: loss, at: params)
    let numeric = numericJacobian({ ravel(gradient(of: loss, at: unravel($0))).vector }, at: theta)
    expectClose(h.matrix(), numeric, tol: 1e-6)
    #expect(h.inputTree(forOutput: 0).output.weight.shape == [4, 3, 2, 4] && g.hidden.weight.shape == [4, 3])
    // A TreeJacobian is a tree itself: jacfwd of the tree jacrev is the Hessian too.
    let nested = jacfwd(of: { (p: TwoLayerParams) in jacrev(of: loss, at: p) }, at: params)
    expectClose(nested.matrix(), reference, tol: 1e-11)
  }

  @Test mutating func hasAuxReturnsTheAuxWithoutDerivatives() {
    let params = TwoLayerParams.random(&rng)
    let x = rng.tensor([3, 3])
    let f = { (p: TwoLayerParams) -> (Tensor, [String: Tensor]) in
      let y = p(x)
      return (y, ["mean": y.mean(), "norm": p.hidden.weight.square().sum()])
    }
    let plain = jacfwd(of: { f($0).0 }, at: params)
    // Several passes (chunkSize 5 over 26 parameters); the aux is usable after the levels close.
    let (jf, auxF) = jacfwd(of: f, at: params, chunkSize: 5)
    expectClose(jf.matrix(), plain.matrix(), tol: 1e-14)
    expectClose(auxF["mean"]! * 2, params(x).mean() * 2, tol: 1e-14)
    #expect(!auxF["mean"]!.isDual)
    let (jr, auxR) = jacrev(of: f, at: params, chunkSize: 4)
    expectClose(jr.matrix(), plain.matrix(), tol: 1e-12)
    expectClose(auxR["norm"]!, params.hidden.weight.square().sum(), tol: 1e-14)
    let loss = { (p: TwoLayerParams) -> (Tensor, Tensor) in (p(x).square().sum(), p(x)) }
    let (h, auxH) = hessian(of: loss, at: params)
    expectClose(h.matrix(), hessian(of: { loss($0).0 }, at: params).matrix(), tol: 1e-13)
    expectClose(auxH + 1, params(x) + 1, tol: 1e-14)
    // The one-tensor forms return a tensor and the aux; the aux may be any type.
    let v = rng.tensor([4])
    let (j1, count) = jacfwd(of: { (t: Tensor) in (t.sin(), t.count) }, at: v)
    expectClose(j1, jacfwd(of: { $0.sin() }, at: v), tol: 1e-15)
    let (j2, label) = jacrev(of: { (t: Tensor) in (t.sin(), "sin") }, at: v)
    expectClose(j2, j1, tol: 1e-15)
    let (h1, sum) = hessian(of: { (t: Tensor) in (t.sin().sum(), t.sum()) }, at: v)
    expectClose(h1, hessian(of: { $0.sin().sum() }, at: v), tol: 1e-15)
    #expect(count == 4 && label == "sin" && abs(sum.scalar - v.sum().scalar) < 1e-15)
    let (value, lin, aux) = linearize(of: { (p: TwoLayerParams) in (p(x), p.output.bias) }, at: params)
    let direction = Tree.map(params) { Tensor.ones(like: $0) }
    expectClose(lin(direction), jvp(of: { (p: TwoLayerParams) in p(x) }, at: params, along: direction).tangent, tol: 1e-13)
    expectClose(value, params(x), tol: 1e-14)
    expectClose(aux, params.output.bias, tol: 0)
  }

  @Test mutating func argumentSelectionMatchesClosures() {
    let params = TwoLayerParams.random(&rng)
    let x = rng.tensor([2, 3])
    let f = { (p: TwoLayerParams, x: Tensor) in p(x).tanh() }
    // One argument: the same as closing over the other.
    let jp = jacfwd(of: f, at: (params, x), wrt: .first)
    expectClose(jp.matrix(), jacfwd(of: { f($0, x) }, at: params).matrix(), tol: 1e-14)
    let jx = jacrev(of: f, at: (params, x), wrt: .second)
    expectClose(jx.outputTree, jacfwd(of: { f(params, $0) }, at: x), tol: 1e-12)
    // Both: one Jacobian over a TreePair, split per argument (JAX's tuple for argnums=(0, 1)).
    let (bp, bx) = jacfwd(of: f, at: (params, x), wrt: .both, chunkSize: 8).perArgument()
    expectClose(bp.matrix(), jp.matrix(), tol: 1e-13)
    expectClose(bx.matrix(), jx.matrix(), tol: 1e-12)
    let both = jacrev(of: f, at: (params, x), wrt: .both)
    #expect(both[output: \.self, input: \.second].shape == [2, 2, 2, 3])
    #expect(both[output: \.self, input: \.first.output.bias].shape == [2, 2, 2])
    // Three arguments, one of them not a tree (a scale), the first and third selected.
    let g = { (p: TwoLayerParams, scale: Double, x: Tensor) in (p(x) * scale).square().sum() }
    let grads = gradient(of: g, at: (params, 3.0, x), wrt: .firstAndThird)
    expectClose(ravel(grads.first).vector, ravel(gradient(of: { g($0, 3.0, x) }, at: params)).vector, tol: 1e-13)
    expectClose(grads.second, gradient(of: { g(params, 3.0, $0) }, at: x), tol: 1e-13)
    let h = hessian(of: g, at: (params, 3.0, x), wrt: .third)
    expectClose(h.blocks[0][0], hessian(of: { g(params, 3.0, $0) }, at: x), tol: 1e-13)
    let (j3, scale) = jacrev(
      of: { (p: TwoLayerParams, s: Double, x: Tensor) in (f(p, x) * s, s) }, at: (params, 2.0, x), wrt: .firstAndThird)
    let (_, last) = j3.perArgument()
    expectClose(last.outputTree, jacfwd(of: { f(params, $0) * 2 }, at: x), tol: 1e-12)
    // All three arguments, split per argument.
    let (a3, b3, c3) = (rng.tensor([2]), rng.tensor([2]), rng.tensor([2]))
    let g3 = gradient(of: { (a: Tensor, b: Tensor, c: Tensor) in (a * b * c).sum() }, at: (a3, b3, c3), wrt: .all)
    expectClose(g3.second, a3 * c3, tol: 1e-15)
    let (ja, _, jc) = jacrev(of: { (a: Tensor, b: Tensor, c: Tensor) in a * b * c.sin() }, at: (a3, b3, c3), wrt: .all).perArgument()
    expectClose(ja.outputTree, jacrev(of: { $0 * b3 * c3.sin() }, at: a3), tol: 1e-15)
    expectClose(jc.outputTree, jacrev(of: { a3 * b3 * $0.sin() }, at: c3), tol: 1e-15)
    let (value, lin) = linearize(of: f, at: (params, x), wrt: .second)
    let dx = rng.tensor([2, 3])
    expectClose(lin(dx), jvp(of: { f(params, $0) }, at: x, along: dx).tangent, tol: 1e-13)
    expectClose(value, f(params, x), tol: 1e-14)
    let (gAux, aux) = jacfwd(of: { (p: TwoLayerParams, x: Tensor) in (f(p, x), x.shape) }, at: (params, x), wrt: .second)
    expectClose(gAux.matrix(), jx.matrix(), tol: 1e-12)
    #expect(aux == [2, 3] && scale == 2)
  }

  @Test func misuseStopsWithMessages() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = jacfwd(of: { (p: [Tensor]) in p[0] * 2 }, at: [Tensor([1, 2])])
    }
    #expect(stderrText(r0).contains("jacfwd: input leaf 0 has dtype int64; only floating (real or complex) tensors can be differentiated"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let j = jacrev(of: { (p: DenseParams) in p.weight.sum() }, at: DenseParams(weight: Tensor.ones([2]), bias: Tensor.ones([1])))
      _ = j[output: \.self, input: \.doubledWeight]
    }
    #expect(stderrText(r1).contains("TreeJacobian: the key path"), "\(stderrText(r1))")
    #expect(stderrText(r1).contains("does not lead to a leaf of DenseParams"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = hessian(of: { (p: DenseParams) in p.weight * 2 }, at: DenseParams(weight: Tensor.ones([2]), bias: Tensor.ones([1])))
    }
    #expect(stderrText(r2).contains("hessian: the function must return a single element, got shape [2]"), "\(stderrText(r2))")
  }
}
