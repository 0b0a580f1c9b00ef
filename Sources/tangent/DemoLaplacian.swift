import Foundation
import Tangent

extension Demo {
  /// `tangent demo`'s Taylor-mode section: the residual of the Poisson equation −Δu = f for a
  /// small tanh network u: ℝ² → ℝ (a physics-informed network), with Δu by collapsed Taylor
  /// mode checked against central finite differences, a few gradient steps on the mean squared
  /// residual, and the time of `laplacian` against the trace of `hessian` under `vmap`.
  func laplacianSection() {
    section("Taylor mode: the Poisson residual of a PINN 2-32-32-1, Δu by collapsed Taylor mode (float64)")
    var rng = SeededGenerator(seed: 12)
    var params: [Tensor] = [
      Tensor.randn([2, 32], using: &rng) * 0.7, Tensor.randn([32], using: &rng) * 0.1,
      Tensor.randn([32, 32], using: &rng) * 0.18, Tensor.randn([32], using: &rng) * 0.1,
      Tensor.randn([32, 1], using: &rng) * 0.18,
    ]
    // u: points [B, 2] ↦ values [B].
    let network = { (p: [Tensor], x: Tensor) -> Tensor in
      let h = (x.matmul(p[0]) + p[1]).tanh()
      return (h.matmul(p[2]) + p[3]).tanh().matmul(p[4]).squeezed(dim: -1)
    }
    // −Δu = f on the unit square with f = 2π²·sin(πx)·sin(πy) (solution sin(πx)·sin(πy)).
    let points = Tensor.rand([256, 2], using: &rng)
    let source = { (x: Tensor) -> Tensor in
      let s = (x * Double.pi).sin()
      return s.select(dim: -1, index: 0) * s.select(dim: -1, index: 1) * (2 * Double.pi * Double.pi)
    }
    let f = source(points)
    let residual = { (p: [Tensor]) -> Tensor in laplacian(of: { network(p, $0) }, at: points).laplacian + f }
    print("−Δu = f on [0, 1]², f = 2π²·sin(πx)·sin(πy); residual r = Δu + f at 256 random points")

    // Δu against central second differences, h = 1e-4, at the first 8 points.
    let (_, _, lap) = laplacian(of: { network(params, $0) }, at: points)
    let h = 1e-4
    let some = points.narrowed(dim: 0, start: 0, length: 8)
    var fd = network(params, some) * -4
    for j in 0..<2 {
      let step = Tensor(j == 0 ? [h, 0] : [0, h])
      fd = fd + network(params, some + step) + network(params, some - step)
    }
    fd = fd / (h * h)
    print("Δu at 4 points:", lap.narrowed(dim: 0, start: 0, length: 4))
    print("max |Δu − finite differences| over 8 points =", maxDiff(lap.narrowed(dim: 0, start: 0, length: 8), fd), "(h = 1e-4: truncation and rounding ~1e-6)")

    // Gradient descent on mean(r²): reverse mode over the collapsed Taylor pass.
    var loss = residual(params).square().mean().scalar
    print(String(format: "mean r² before training: %.4f", loss))
    var adam = Adam(learningRate: 0.01)
    let (_, trainTime) = timed {
      for _ in 0..<30 { adam.step(&params) { p in residual(p).square().mean() } }
    }
    loss = residual(params).square().mean().scalar
    print(String(format: "after 30 Adam steps: %.4f", loss), "(\(ms(trainTime / 30)) per step: Δu at 256 points and its gradient)")

    // The time of `laplacian` against vmap(trace(hessian)), on the same 256 points.
    let traces = vmap(of: { (x: Tensor) -> Tensor in hessian(of: { network(params, $0.unsqueezed(dim: 0)).sum() }, at: x).trace() })
    let byHessian = traces(points)
    let byTaylor = laplacian(of: { network(params, $0) }, at: points).laplacian
    print("max |Δu (Taylor) − trace(hessian)| =", maxDiff(byTaylor, byHessian))
    let taylorTime = best(of: 5) { _ = laplacian(of: { network(params, $0) }, at: points) }
    let hessianTime = best(of: 5) { _ = traces(points) }
    print("laplacian \(ms(taylorTime)) against vmap(trace(hessian)) \(ms(hessianTime)) (best of 5)")
  }
}
