import ArgumentParser
import Foundation
import Tangent
import TangentTesting

/// `tangent demo`: a short tour of what Tangent does, each derivative next to a check.
struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "A short tour of Tangent, each derivative checked against finite differences.")

  func run() {
    var rng = SeededGenerator(seed: 42)
    section("Tensors")
    let a: Tensor = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    print("a =", a)
    print("a.mT.shape =", a.mT.shape, "(a view: no copy)")
    print("a + [10, 20, 30] =", a + Tensor([10.0, 20.0, 30.0]))
    print("a.sum(dim: 1) =", a.sum(dim: 1))

    section("A small MLP: f(x) = tanh(W₂ tanh(W₁ x + b₁) + b₂), R⁴ → R³")
    let w1 = Tensor.randn([8, 4], using: &rng) * 0.5, b1 = Tensor.randn([8], using: &rng) * 0.1
    let w2 = Tensor.randn([3, 8], using: &rng) * 0.5, b2 = Tensor.randn([3], using: &rng) * 0.1
    let mlp = { (x: Tensor) -> Tensor in (w2.matmul((w1.matmul(x) + b1).tanh()) + b2).tanh() }
    let x = Tensor.randn([4], using: &rng)
    let v = Tensor.randn([4], using: &rng)
    let (y, jv) = jvp(of: mlp, at: x, along: v)
    let eps = 1e-6
    let fd = (mlp(x + v * eps) - mlp(x - v * eps)) / (2 * eps)
    print("f(x)            =", y)
    print("jvp (forward)   =", jv)
    print("finite diff.    =", fd, " max |Δ| =", maxDiff(jv, fd))

    section("Jacobians: jacfwd (chunked tangents, one pass) against jacrev (one backward per output)")
    let jf = jacfwd(of: mlp, at: x)
    let jr = jacrev(of: mlp, at: x)
    print("jacfwd shape \(jf.shape); max |jacfwd − jacrev| =", maxDiff(jf, jr))

    section("Second order on a scalar loss L(x) = ‖f(x)‖² + Σ sin(x)")
    let loss = { (x: Tensor) -> Tensor in (mlp(x) * mlp(x)).sum() + x.sin().sum() }
    let h = hessian(of: loss, at: x)
    let (g, hv) = hvp(of: loss, at: x, along: v)
    let grad = { (x: Tensor) in gradient(of: loss, at: x) }
    let hvFD = (grad(x + v * eps) - grad(x - v * eps)) / (2 * eps)
    print("gradient        =", g)
    print("hessian (forward-over-reverse) is \(h.shape), symmetric to", maxDiff(h, h.mT))
    print("hvp             =", hv)
    print("finite diff.    =", hvFD, " max |Δ| =", maxDiff(hv, hvFD))

    section("Nested dual levels: the third derivative of sin(x)·x at x = 0.5, no perturbation confusion")
    let third = jvp(of: { x in jvp(of: { x in jvp(of: { ($0.sin() * $0) }, at: x, along: Tensor(1.0)).tangent }, at: x, along: Tensor(1.0)).tangent }, at: Tensor(0.5), along: Tensor(1.0)).tangent
    let exact = -3 * sin(0.5) - 0.5 * cos(0.5)
    print("d³/dx³ =", third.scalar, " exact:", exact)
    let confusion: Double = withDualLevel { lx in
      let x = Tensor(1.0).dual(tangent: Tensor(1.0), at: lx)
      let inner: Tensor = withDualLevel { ly in (x + Tensor(1.0).dual(tangent: Tensor(1.0), at: ly)).tangent(at: ly)! }
      return (x * inner).tangent(at: lx)!.scalar
    }
    print("d/dx [x · d/dy (x + y)] =", confusion, "(1 is right; perturbation confusion would give 2)")

    section("Linear algebra: eigenvalue sensitivity of A(t) = S + t·E, by forward mode")
    let m = Tensor.randn([4, 4], using: &rng)
    let s = (m + m.mT) / 2, e = Tensor.eye(4) + (m - m.mT).abs() * 0.1
    let eigenvalues = { (t: Tensor) -> Tensor in try! Linalg.eigvalsh(s + e * t) }
    let (w, dw) = jvp(of: eigenvalues, at: Tensor(0.0), along: Tensor(1.0))
    let dwFD = (eigenvalues(Tensor(eps)) - eigenvalues(Tensor(-eps))) / (2 * eps)
    print("eigenvalues     =", w)
    print("dλ/dt (jvp)     =", dw)
    print("finite diff.    =", dwFD, " max |Δ| =", maxDiff(dw, dwFD))
    print("vᵢᵀ E vᵢ        =", (try! Linalg.eigh(s)).eigenvectors.mT.matmul(e).matmul((try! Linalg.eigh(s)).eigenvectors).diagonal(), "(the textbook formula)")

    section("Newton's method with a forward-over-reverse Hessian: f(x) = Σ exp(xᵢ) + ½ xᵀAx − bᵀx")
    let aMatrix: Tensor = [[2.0, 0.5, 0.0], [0.5, 1.5, 0.2], [0.0, 0.2, 1.0]]
    let bVector = Tensor([1.0, -2.0, 0.5])
    let objective = { (x: Tensor) -> Tensor in
      x.exp().sum() + (x * aMatrix.matmul(x)).sum() / 2 - (bVector * x).sum()
    }
    var xn = Tensor([0.0, 0.0, 0.0])
    for step in 1...5 {
      let g = gradient(of: objective, at: xn)
      let hess = hessian(of: objective, at: xn)
      xn = xn - (try! Linalg.solve(hess, g.unsqueezed(dim: 1))).squeezed(dim: 1)
      let gNorm = gradient(of: objective, at: xn).abs().amax().scalar
      print("step \(step): f = \(String(format: "%.15f", objective(xn).scalar)), max |∇f| = \(String(format: "%.1e", gNorm))")
    }

    section("gradcheck on a custom op")
    let cube = CustomOp(
      name: "cube", primal: { [$0[0] * $0[0] * $0[0]] },
      jvp: { x, _, t in [t[0].map { 3 * x[0] * x[0] * $0 }] },
      vjp: { x, _, g, _ in [g[0].map { (3 * x[0] * x[0]).conj() * $0 }] })
    print(gradcheck({ cube($0)[0].sin() }, at: Tensor([0.3, -0.8, 1.2])))

    brusselatorSection()
    vmapSection()
    laplacianSection()
    modelsSection()
  }

  func section(_ title: String) { print("\n== \(title)") }

  func maxDiff(_ a: Tensor, _ b: Tensor) -> String {
    let d = zip(a.doubles, b.doubles).map { abs($0 - $1) }.max() ?? 0
    return String(format: "%.1e", d)
  }
}
