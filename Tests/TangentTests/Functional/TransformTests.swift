import Foundation
import Testing
import Tangent
import TangentTesting

/// Central differences of a tensor function, for checks.
func numericJVP(_ f: (Tensor) -> Tensor, _ x: Tensor, _ v: Tensor, eps: Double = 1e-6) -> Tensor {
  (f(x + v * eps) - f(x - v * eps)) / (2 * eps)
}

func expectClose(_ a: Tensor, _ b: Tensor, tol: Double = 1e-6, _ comment: Comment? = nil) {
  #expect(a.shape == b.shape, comment)
  for (p, q) in zip(a.complexDoubles, b.complexDoubles) {
    #expect((p - q).length <= tol * (1 + q.length), comment)
  }
}

struct Layer: KeyPathTensorTree {
  var weight: Tensor
  var bias: Tensor
  static var tensorKeyPaths: [WritableKeyPath<Layer, Tensor>] { [\.weight, \.bias] }
}

@Suite struct TransformTests {
  var rng = TestRandom(seed: 11)
  let f: @Sendable (Tensor) -> Tensor = { x in ((x * x).sin() + x.exp() / (x * x + 1)).tanh() * x }
  let scalarF: @Sendable (Tensor) -> Tensor = { x in ((x * x).sin() * x.cos() + x.exp()).sum() }

  @Test mutating func jvpMatchesFiniteDifferences() {
    let x = rng.tensor([5]), v = rng.tensor([5])
    let (y, t) = jvp(of: f, at: x, along: v)
    expectClose(y, f(x), tol: 1e-14)
    expectClose(t, numericJVP(f, x, v))
  }

  @Test mutating func vjpSatisfiesTheInnerProductIdentity() {
    let x = rng.tensor([5]), v = rng.tensor([5]), u = rng.tensor([5])
    let (_, pullback) = vjp(of: f, at: x)
    let lhs = (u * numericJVP(f, x, v)).sum().scalar
    let rhs = (pullback(u) * v).sum().scalar
    #expect(abs(lhs - rhs) < 1e-6)
    // The pullback can be called again.
    expectClose(pullback(u), pullback(u), tol: 0)
  }

  @Test mutating func gradientAndValue() {
    let x = rng.tensor([4])
    let (value, g) = valueWithGradient(of: scalarF, at: x)
    #expect(value.scalar == scalarF(x).scalar)
    for i in 0..<4 {
      let e = Tensor((0..<4).map { $0 == i ? 1.0 : 0.0 })
      #expect(abs(g.doubles[i] - numericJVP(scalarF, x, e).scalar) < 1e-6)
    }
  }

  @Test mutating func jacfwdEqualsJacrev() {
    let x = rng.tensor([3, 2])
    let g = { (x: Tensor) in (x.sin() * x.sum(dim: 0)).exp() }
    let jf = jacfwd(of: g, at: x)
    let jr = jacrev(of: g, at: x)
    #expect(jf.shape == [3, 2, 3, 2])
    expectClose(jf, jr, tol: 1e-12)
    for chunk in [1, 2, 4, 6] { expectClose(jacfwd(of: g, at: x, chunkSize: chunk), jf, tol: 1e-12) }
  }

  @Test mutating func jacrevPullsChunksOfCotangentsBack() {
    // Ops that take chunked cotangents (matmul, tanh, add) and ones that run per member
    // (sum over a dim, softmax) in one function.
    let w = rng.tensor([5, 7])
    let g = { (x: Tensor) in (x.matmul(w).tanh() + x.sum(dim: 1, keepdim: true)).softmax(dim: 1) }
    let x = rng.tensor([2, 5])
    let jf = jacfwd(of: g, at: x)
    #expect(jf.shape == [2, 7, 2, 5])
    for chunk in [nil, 1, 3, 14, 100] { expectClose(jacrev(of: g, at: x, chunkSize: chunk), jf, tol: 1e-12) }
    // Chunked seeds through `gradients(of:wrt:seeds:chunked:)` give the single pullbacks.
    let leaf = x.requiringGrad()
    let y = g(leaf)
    let seeds = rng.tensor([4, 2, 7])
    let all = gradients(of: [y], wrt: [leaf], seeds: [seeds], retainGraph: true, chunked: true)[0]
    #expect(all.shape == [4, 2, 5])
    for k in 0..<4 {
      let one = gradients(of: [y], wrt: [leaf], seeds: [seeds.select(dim: 0, index: k)], retainGraph: true)[0]
      expectClose(all.select(dim: 0, index: k), one, tol: 1e-12)
    }
  }

  @Test mutating func jacobiansNest() {
    // A Jacobian transform inside another: the inner result stays differentiable.
    let x = rng.tensor([3])
    let h = hessian(of: scalarF, at: x)
    expectClose(jacfwd(of: { jacrev(of: scalarF, at: $0) }, at: x), h, tol: 1e-10)
    expectClose(jacrev(of: { jacfwd(of: scalarF, at: $0) }, at: x), h, tol: 1e-10)
  }

  @Test mutating func hessianIsForwardOverReverse() {
    let x = rng.tensor([4])
    let h = hessian(of: scalarF, at: x)
    #expect(h.shape == [4, 4])
    expectClose(h, h.transposed(), tol: 1e-12, "symmetric")
    // Columns against finite differences of the gradient.
    let grad = { (x: Tensor) in gradient(of: scalarF, at: x) }
    for i in 0..<4 {
      let e = Tensor((0..<4).map { $0 == i ? 1.0 : 0.0 })
      let col = numericJVP(grad, x, e).doubles
      for r in 0..<4 { #expect(abs(h.doubles[r * 4 + i] - col[r]) < 1e-5) }
    }
    // Reverse-over-reverse gives the same matrix.
    expectClose(jacrev(of: grad, at: x), h, tol: 1e-10)
    // And reverse-over-forward.
    let rof = jacrev(of: { x in
      Tensor.stack1D((0..<4).map { i in jvp(of: scalarF, at: x, along: Tensor((0..<4).map { $0 == i ? 1.0 : 0.0 })).tangent })
    }, at: x)
    expectClose(rof, h, tol: 1e-10)
  }

  @Test mutating func hvpMatchesHessianTimesVector() {
    let x = rng.tensor([4]), v = rng.tensor([4])
    let (g, hv) = hvp(of: scalarF, at: x, along: v)
    expectClose(g, gradient(of: scalarF, at: x), tol: 1e-14)
    let h = hessian(of: scalarF, at: x)
    let want = (h * v).sum(dim: 1)
    expectClose(hv, want, tol: 1e-12)
  }

  @Test mutating func linearizeReusesThePoint() {
    let x = rng.tensor([3])
    let (y, lin) = linearize(of: f, at: x)
    expectClose(y, f(x), tol: 0)
    for _ in 0..<2 {
      let v = rng.tensor([3])
      expectClose(lin(v), jvp(of: f, at: x, along: v).tangent, tol: 1e-14)
    }
  }

  @Test mutating func linearizeReplaysTheTapeWithoutThePrimal() {
    // A function that counts its evaluations: the linear map must not call it again.
    let x = rng.tensor([2, 3]), w = rng.tensor([3, 4])
    nonisolated(unsafe) var calls = 0
    let g = { (x: Tensor) -> Tensor in
      calls += 1
      return (x.matmul(w).tanh() * x.sum(dim: 1, keepdim: true)).logSumExp(dims: [1])
    }
    let (y, lin) = linearize(of: g, at: x)
    #expect(calls == 1)
    for _ in 0..<3 {
      let v = rng.tensor([2, 3])
      expectClose(lin(v), jvp(of: g, at: x, along: v).tangent, tol: 1e-13)
    }
    #expect(calls == 4, "three jvp references, and no evaluation by the linear map")
    expectClose(y, g(x), tol: 0)
    // Chunked directions, asked for explicitly.
    let stacked = rng.tensor([5, 2, 3])
    let chunkedLin = linearize(of: g, at: x, chunked: true).jvp
    #expect(chunkedLin(stacked).shape == [5, 2])
    expectClose(chunkedLin(stacked), jvp(of: g, at: x, along: stacked, chunked: true).tangent, tol: 1e-13)
    // Second order through the linear map: d/dx of lin_x(v) along u equals forward-over-forward.
    let v = rng.tensor([2, 3]), u = rng.tensor([2, 3])
    let outer = jvp(of: { x in linearize(of: g, at: x).jvp(v) }, at: x, along: u).tangent
    let want = jvp(of: { x in jvp(of: g, at: x, along: v).tangent }, at: x, along: u).tangent
    expectClose(outer, want, tol: 1e-12)
  }

  @Test mutating func structuredParameters() {
    let layer = Layer(weight: rng.tensor([3]), bias: rng.tensor([3]))
    let x = rng.tensor([3])
    let loss = { (p: Layer) in ((p.weight * x + p.bias).tanh()).sum() }
    let g = gradient(of: loss, at: layer)
    let w = layer.weight.doubles, b = layer.bias.doubles, xs = x.doubles
    for i in 0..<3 {
      let s = 1 - pow(tanh(w[i] * xs[i] + b[i]), 2)
      #expect(abs(g.weight.doubles[i] - s * xs[i]) < 1e-12)
      #expect(abs(g.bias.doubles[i] - s) < 1e-12)
    }
    // Dictionaries and arrays are trees too.
    let params: [String: Tensor] = ["w": layer.weight, "b": layer.bias]
    let gd = gradient(of: { (p: [String: Tensor]) in ((p["w"]! * x + p["b"]!).tanh()).sum() }, at: params)
    expectClose(gd["w"]!, g.weight, tol: 1e-14)
    let t = jvp(of: { (p: [Tensor]) in p[0] * p[1] }, at: [layer.weight, layer.bias], along: [x, x]).tangent
    expectClose(t, x * layer.bias + layer.weight * x, tol: 1e-14)
  }

  @Test mutating func auxiliaryOutputs() {
    let x = rng.tensor([3])
    let (value, g, aux) = valueWithGradient(of: { (x: Tensor) in ((x * x).sum(), x.count) }, at: x)
    #expect(aux == 3)
    #expect(value.scalar == (x * x).sum().scalar)
    expectClose(g, x * 2, tol: 1e-14)
    let (_, t, label) = jvp(of: { (x: Tensor) in (x.sin(), "sin") }, at: x, along: x)
    #expect(label == "sin")
    expectClose(t, x.cos() * x, tol: 1e-14)
  }

  @Test func nestedGradientsDoNotConfuseLevels() {
    // d/dx [x · d/dy (x·y)]|_{y=2} = d/dx x² = 2x.
    let x0 = Tensor(1.5)
    let outer = gradient(of: { (x: Tensor) in
      let inner = gradient(of: { (y: Tensor) in (x * y).sum() }, at: Tensor(2.0))
      return (x * inner).sum()
    }, at: x0)
    #expect(abs(outer.scalar - 3.0) < 1e-12)
  }
}

extension Tensor {
  /// Stacks 0-d or 1-element tensors into a 1-d tensor, differentiably (test helper).
  static func stack1D(_ xs: [Tensor]) -> Tensor {
    var out = Tensor.zeros([xs.count])
    for (i, x) in xs.enumerated() {
      let e = Tensor((0..<xs.count).map { $0 == i ? 1.0 : 0.0 })
      out = out + e * x.reshaped([])
    }
    return out
  }
}
