import Tangent
import Testing

/// The README's tour, line for line: it must compile and give the values it claims.
@Test func readmeTourRuns() throws {
  let x: Tensor = Tensor([0.5, -1.0, 2.0])
  let f = { (x: Tensor) in (x * x).sin().exp().sum() }
  let (y, dy) = jvp(of: f, at: x, along: Tensor([1.0, 0.0, 0.0]))
  let g = gradient(of: f, at: x)
  let (value, pullback) = vjp(of: { $0.tanh() }, at: x)
  let J1 = jacfwd(of: { $0.tanh() * 2 }, at: x)
  let J2 = jacrev(of: { $0.tanh() * 2 }, at: x)
  let H = hessian(of: f, at: x)
  let (grad, Hv) = hvp(of: f, at: x, along: Tensor([1.0, 1.0, 1.0]))
  let d2: Double = withDualLevel { outer in
    withDualLevel { inner in
      let xd = Tensor(2.0).dual(tangent: Tensor(1.0), at: outer).dual(tangent: Tensor(1.0), at: inner)
      return (xd * xd * xd).tangent(at: inner)!.tangent(at: outer)!.scalar   // 12
    }
  }
  let A = Tensor.randn([4, 4]) + Tensor.eye(4) * 4
  let (w, V) = try Linalg.eigh(A + A.mT)
  let dDet = gradient(of: { Linalg.det($0) }, at: A)
  let spectrum = FFT.rfft(Tensor.randn([16])).abs()
  let stencil = { (u: Tensor) in u.roll(1, dim: 0) + u.roll(-1, dim: 0) - 2 * u + u.exp() }
  let pattern = jacobianSparsity(of: stencil, at: Tensor.ones([99]))
  let prepared = PreparedSparseJacobian(of: stencil, at: Tensor.ones([99]))
  let J = prepared.jacobian(at: Tensor.ones([99]) * 0.5, as: Double.self)
  let lu = try SuperLUFactorization(J)
  let step = lu.solve(Tensor.ones([99]))
  #expect(pattern.nonzeroCount == 297 && prepared.colorCount == 3)
  #expect(step.shape == [99])
  let (sinValue, sinSeries) = jet(of: { $0.sin() }, at: x, series: [Tensor.ones([3]), Tensor.zeros([3])])
  let (u, du, lap) = laplacian(of: { $0.square().sum(dims: [-1]) }, at: Tensor.randn([8, 3]))
  #expect(lap.doubles.allSatisfy { abs($0 - 6) < 1e-12 })
  #expect(sinSeries.count == 2 && sinValue.shape == [3] && u.shape == [8] && du.shape == [8, 3])
  let xs = Tensor.randn([64, 3])
  let perSample = vmap(of: { x in gradient(of: f, at: x) })(xs)
  let hessians = vmap(of: { x in hessian(of: f, at: x) })(xs)
  #expect(perSample.shape == [64, 3] && hessians.shape == [64, 3, 3])
  #expect(perSample.select(dim: 0, index: 5).allClose(gradient(of: f, at: xs.select(dim: 0, index: 5))))
  let p = Tensor([1.0, 2.0]).requiringGrad()
  (p * p).sum().backward()
  #expect(p.grad!.doubles == [2, 4])
  #expect(d2 == 12)
  let i = Tensor([0, 1, 2])
  let r = Tensor([0, 1, 2.5])
  #expect(i.dtype == .int64 && r.dtype == .float64)
  #expect(String(describing: (i, r)) == "(Tensor([0, 1, 2], dtype: int64), Tensor([0.0000, 1.0000, 2.5000]))")
  #expect(r.layoutDescription == "shape: [3], strides: [1], offset: 0, contiguous: true, storage: 24 bytes")
  _ = (y, dy, g, value, pullback, J1, J2, H, grad, Hv, w, V, dDet, spectrum)
}
