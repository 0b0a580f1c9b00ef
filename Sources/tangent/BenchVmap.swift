import ArgumentParser
import Tangent

/// `tangent bench vmap`: `vmap` of transforms on small MLPs, float64, the same case names as
/// `workload_vmap` in `bench/peers.py` (`torch.func` and jitted JAX):
/// - `per_sample_grads`: `vmap(gradient)` of the cross-entropy loss of an MLP 784-256-256-10
///   (tanh) with respect to its parameters, one gradient per sample of a batch of 64;
/// - `ntk`: the empirical NTK of an MLP 100-256-256-1 (tanh) between two batches of 32, by
///   Jacobian contraction: `vmap(gradient)` per batch, raveled to rows, one product;
/// - `laplacian_vmap`: `vmap` over 128 points of the trace of `hessian` of a scalar MLP
///   u: ℝ³² → ℝ, 32-256-256-1 (tanh).
///
/// Each case is checked once, outside the timing, against a loop over the batch; the record
/// carries the largest difference as `max_diff_vs_loop`.
struct BenchVmap: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "vmap",
    abstract: "vmap of transforms, float64: per-sample gradients (MLP 784-256-256-10, batch 64), an empirical NTK (MLP 100-256-256-1, 32 × 32), the Laplacian by vmap(trace(hessian)) (32-256-256-1, 128 points).")
  @OptionGroup var options: WorkloadOptions
  var parameters: [String: Any] {
    ["dtype": "float64", "per_sample_grads": "784-256-256-10 tanh, batch 64", "ntk": "100-256-256-1 tanh, 32x32",
     "laplacian_vmap": "32-256-256-1 tanh, batch 128"]
  }

  /// The parameters of a tanh MLP with the given layer widths, as a tree `[W₁, b₁, W₂, b₂, …]`
  /// (weights scaled by 1/√fan-in, biases 0.1·N(0, 1)).
  static func mlpParameters(_ widths: [Int], seed: UInt64) -> [Tensor] {
    var rng = SeededGenerator(seed: seed)
    return zip(widths, widths.dropFirst()).flatMap { fanIn, fanOut in
      [Tensor.randn([fanIn, fanOut], using: &rng) * (1 / Double(fanIn).squareRoot()), Tensor.randn([fanOut], using: &rng) * 0.1]
    }
  }

  /// The MLP of `mlpParameters` at one input `x` (`[d]`): tanh between layers, none after the last.
  static func mlp(_ p: [Tensor], _ x: Tensor) -> Tensor {
    var h = x
    for layer in stride(from: 0, to: p.count, by: 2) {
      h = h.matmul(p[layer]) + p[layer + 1]
      if layer + 2 < p.count { h = h.tanh() }
    }
    return h
  }

  /// The largest absolute difference between two tensors of the same shape.
  static func maxDifference(_ a: Tensor, _ b: Tensor) -> Double {
    zip(a.doubles, b.doubles).map { Swift.abs($0 - $1) }.max() ?? 0
  }

  func cases() -> [BenchCase] {
    let wanted = { (name: String) in options.only.map { name.contains($0) } ?? true }
    var list: [BenchCase] = []

    if wanted("per_sample_grads") {
      let params = Self.mlpParameters([784, 256, 256, 10], seed: 21)
      var rng = SeededGenerator(seed: 22)
      let xs = Tensor.randn([64, 784], using: &rng)
      let labels = (0..<64).map { _ in Int.random(in: 0..<10, using: &rng) }
      let ys = Tensor.stack(labels.map { c in Tensor((0..<10).map { $0 == c ? 1.0 : 0.0 }) })
      // Cross-entropy of one sample with a one-hot target: −Σ y · log softmax(f(x)).
      let loss = { (p: [Tensor], x: Tensor, y: Tensor) -> Tensor in -(y * Self.mlp(p, x).logSoftmax(dim: 0)).sum() }
      let perSample = vmap(of: { (x: Tensor, y: Tensor) -> [Tensor] in gradient(of: { p in loss(p, x, y) }, at: params) })
      let batched = perSample(xs, ys)
      let loop = (0..<64).map { i in
        gradient(of: { p in loss(p, xs.select(dim: 0, index: i), ys.select(dim: 0, index: i)) }, at: params)
      }
      let diff = (0..<params.count).map { j in Self.maxDifference(batched[j], Tensor.stack(loop.map { $0[j] })) }.max()!
      list.append(BenchCase(name: "per_sample_grads", info: ["max_diff_vs_loop": diff]) { blackHole(perSample(xs, ys)) })
    }

    if wanted("ntk") {
      let params = Self.mlpParameters([100, 256, 256, 1], seed: 31)
      var rng = SeededGenerator(seed: 32)
      let x1 = Tensor.randn([32, 100], using: &rng)
      let x2 = Tensor.randn([32, 100], using: &rng)
      let output = { (p: [Tensor], x: Tensor) -> Tensor in Self.mlp(p, x).sum() }
      let perSample = vmap(of: { (x: Tensor) -> [Tensor] in gradient(of: { p in output(p, x) }, at: params) })
      // Θ = J₁ J₂ᵀ, J the per-sample parameter gradients raveled to rows.
      let rows = { (batch: Tensor) -> Tensor in
        Tensor.cat(perSample(batch).map { $0.reshaped([batch.shape[0], -1]) }, dim: 1)
      }
      let ntk = { rows(x1).matmul(rows(x2).mT) }
      let loopRows = { (batch: Tensor) -> [Tensor] in
        (0..<batch.shape[0]).map { i in ravel(gradient(of: { p in output(p, batch.select(dim: 0, index: i)) }, at: params)).vector }
      }
      let r1 = loopRows(x1), r2 = loopRows(x2)
      let direct = Tensor.stack(r1.map { a in Tensor.stack(r2.map { b in (a * b).sum() }) })
      let diff = Self.maxDifference(ntk(), direct)
      list.append(BenchCase(name: "ntk", info: ["max_diff_vs_loop": diff]) { blackHole(ntk()) })
    }

    if wanted("laplacian_vmap") {
      let params = Self.mlpParameters([32, 256, 256, 1], seed: 41)
      var rng = SeededGenerator(seed: 42)
      let xs = Tensor.randn([128, 32], using: &rng)
      let u = { (x: Tensor) -> Tensor in Self.mlp(params, x).sum() }
      let laplacian = vmap(of: { (x: Tensor) -> Tensor in hessian(of: u, at: x).trace() })
      let loop = Tensor.stack((0..<128).map { i in hessian(of: u, at: xs.select(dim: 0, index: i)).trace() })
      let diff = Self.maxDifference(laplacian(xs), loop)
      list.append(BenchCase(name: "laplacian_vmap", info: ["max_diff_vs_loop": diff]) { blackHole(laplacian(xs)) })
    }
    return list
  }
}
