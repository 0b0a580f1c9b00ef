import Foundation
import Tangent

extension Demo {
  /// `tangent demo`'s vmap section: per-sample gradient norms of an MLP's loss and an
  /// empirical neural tangent kernel, each from `vmap` of a transform, checked against a loop
  /// over the samples and timed against it.
  func vmapSection() {
    section("vmap: per-sample gradients and an empirical NTK of an MLP 16-64-64-1 (float64)")
    var rng = SeededGenerator(seed: 7)
    // Parameters as a tree (an array of tensors): W₁, b₁, W₂, b₂, W₃.
    let params: [Tensor] = [
      Tensor.randn([16, 64], using: &rng) * 0.25, Tensor.zeros([64]),
      Tensor.randn([64, 64], using: &rng) * 0.125, Tensor.zeros([64]),
      Tensor.randn([64, 1], using: &rng) * 0.125,
    ]
    let model = { (p: [Tensor], x: Tensor) -> Tensor in
      let h = (x.matmul(p[0]) + p[1]).tanh()
      return ((h.matmul(p[2]) + p[3]).tanh().matmul(p[4])).sum()
    }
    let xs = Tensor.randn([32, 16], using: &rng)
    let targets = Tensor.randn([32], using: &rng)

    // Per-sample gradients: vmap over (x, target) of the gradient with respect to the parameters.
    let perSample = vmap(of: { (x: Tensor, t: Tensor) -> [Tensor] in
      gradient(of: { p in (model(p, x) - t).square() }, at: params)
    })
    let (grads, vmapTime) = timed { perSample(xs, targets) }
    let norms = grads.map { $0.square().sum(dims: Array(1..<$0.rank)) }.reduce(Tensor.zeros([32]), +).sqrt()
    let (loop, loopTime) = timed {
      (0..<32).map { i in
        gradient(of: { p in (model(p, xs.select(dim: 0, index: i)) - targets.select(dim: 0, index: i)).square() }, at: params)
      }
    }
    let loopNorms = Tensor(loop.map { g in g.map { $0.square().sum().scalar }.reduce(0, +).squareRoot() })
    print("per-sample gradient norms (first 6):", norms.narrowed(dim: 0, start: 0, length: 6))
    print("max |vmap − loop| over all 32 × 5 gradients =", zip(0..<5, grads).map { j, g in maxDiff(g, Tensor.stack(loop.map { $0[j] })) }.max()!)
    print("max |norms − loop norms| =", maxDiff(norms, loopNorms))
    print("vmap(gradient) \(ms(vmapTime)) against a loop of 32 gradients \(ms(loopTime))")

    // The empirical NTK Θ(x, x′) = ⟨∂f(x)/∂θ, ∂f(x′)/∂θ⟩, by Jacobian contraction: per-sample
    // gradients of the output for two batches, raveled, then one product.
    let other = Tensor.randn([8, 16], using: &rng)
    let jacobianRows = { (batch: Tensor) -> Tensor in
      let g = vmap(of: { (x: Tensor) -> [Tensor] in gradient(of: { p in model(p, x) }, at: params) })(batch)
      return Tensor.cat(g.map { $0.reshaped([batch.shape[0], -1]) }, dim: 1)
    }
    let ntk = jacobianRows(xs.narrowed(dim: 0, start: 0, length: 8)).matmul(jacobianRows(other).mT)
    let direct = Tensor.stack((0..<8).map { i in
      let gi = ravel(gradient(of: { p in model(p, xs.select(dim: 0, index: i)) }, at: params)).vector
      return Tensor.stack((0..<8).map { j in
        let gj = ravel(gradient(of: { p in model(p, other.select(dim: 0, index: j)) }, at: params)).vector
        return (gi * gj).sum()
      })
    })
    print("NTK between two batches of 8: shape \(ntk.shape), trace \(String(format: "%.4f", ntk.trace().scalar))")
    print("max |NTK − loop of gradient inner products| =", maxDiff(ntk, direct))
  }
}
