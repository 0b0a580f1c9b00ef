import ArgumentParser
@_spi(Benchmarks) import Tangent

/// `tangent bench laplacian`: Taylor-mode differential operators of tanh MLPs, float64, the
/// same case names as `bench/peers_laplacian.py` (folx, `jax.experimental.jet` and Hessian
/// traces in JAX; `torch.func` Hessian traces):
/// - `mlp32.primal`: u, an MLP 32-256-256-1, at 128 points (the reference cost);
/// - `mlp32.laplacian`: Δu at the 128 points by collapsed Taylor mode (`laplacian(of:at:)`);
/// - `mlp32.pinn_step`: the gradient of mean(Δu(xᵢ)²) with respect to all parameters (reverse
///   mode over the collapsed Taylor pass);
/// - `mlp5.biharmonic`: Δ²u of an MLP 5-128-128-1 at 256 points (`biharmonic(of:at:method:)`, collapsed),
///   and `mlp5.biharmonic.directions` the same by d² full fourth-order jets (Tangent only);
/// - `mlp1000.hutchinson`: Hutchinson's estimate of Δu of an MLP 1000-256-256-1 at 16 points
///   with 16 Rademacher directions each (`randomizedLaplacian`).
///
/// `--unfused` runs the collapsed pass through elementwise ops as separate tensor ops instead of
/// the fused kernel (``BenchmarkSettings/taylorFusesElementwise``), to measure what fusing gives.
///
/// The exact operators are checked once, outside the timing, against Hessian traces at a few
/// points; the record carries the largest relative difference as `max_rel_diff_vs_hessian`.
struct BenchLaplacian: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "laplacian",
    abstract: "Taylor-mode operators, float64: Δu of an MLP 32-256-256-1 at 128 points, a PINN step (its gradient), Δ²u of an MLP 5-128-128-1 at 256 points, Hutchinson at d = 1000 (16 points × 16 directions).")
  @OptionGroup var options: WorkloadOptions
  @Flag(help: "Run the collapsed pass through elementwise ops as separate tensor ops (not fused), for comparison.")
  var unfused = false
  var parameters: [String: Any] {
    ["dtype": "float64", "fused_elementwise": !unfused, "mlp32": "32-256-256-1 tanh, batch 128", "mlp5": "5-128-128-1 tanh, batch 256",
     "mlp1000": "1000-256-256-1 tanh, batch 16, 16 Rademacher directions"]
  }

  /// The largest difference between `a` and `b`, relative to b's largest magnitude.
  static func relativeDifference(_ a: Tensor, _ b: Tensor) -> Double {
    let scale = Swift.max(b.doubles.map { Swift.abs($0) }.max() ?? 0, 1e-300)
    return BenchVmap.maxDifference(a, b) / scale
  }

  func cases() -> [BenchCase] {
    BenchmarkSettings.taylorFusesElementwise = !unfused
    // A group is built when `--only` names it or one of its cases (the run filters the cases).
    let wanted = { (name: String) in options.only.map { name.contains($0) || $0.contains(name) } ?? true }
    var list: [BenchCase] = []
    // A batch of points [B, d] ↦ values [B] (each value depends on its own point).
    let network = { (p: [Tensor], x: Tensor) -> Tensor in BenchVmap.mlp(p, x).squeezed(dim: -1) }

    if wanted("mlp32") {
      let params = BenchVmap.mlpParameters([32, 256, 256, 1], seed: 121)
      var rng = SeededGenerator(seed: 122)
      let xs = Tensor.randn([128, 32], using: &rng)
      let u = { (x: Tensor) in network(params, x) }
      list.append(BenchCase(name: "mlp32.primal") { blackHole(u(xs)) })
      if wanted("mlp32.laplacian") {
        let lap = laplacian(of: u, at: xs).laplacian
        let some = xs.narrowed(dim: 0, start: 0, length: 4)
        let traces = Tensor.stack((0..<4).map { i in hessian(of: { network(params, $0.unsqueezed(dim: 0)).sum() }, at: some.select(dim: 0, index: i)).trace() })
        let diff = Self.relativeDifference(lap.narrowed(dim: 0, start: 0, length: 4), traces)
        list.append(BenchCase(name: "mlp32.laplacian", info: ["max_rel_diff_vs_hessian": diff]) { blackHole(laplacian(of: u, at: xs)) })
      }
      if wanted("mlp32.pinn_step") {
        let step = { gradient(of: { p in laplacian(of: { network(p, $0) }, at: xs).laplacian.square().mean() }, at: params) }
        list.append(BenchCase(name: "mlp32.pinn_step", calls: (1, 3)) { blackHole(step()) })
      }
    }

    if wanted("mlp5.biharmonic") {
      let params = BenchVmap.mlpParameters([5, 128, 128, 1], seed: 51)
      var rng = SeededGenerator(seed: 52)
      let xs = Tensor.randn([256, 5], using: &rng)
      let u = { (x: Tensor) in network(params, x) }
      let b = biharmonic(of: u, at: xs).biharmonic.narrowed(dim: 0, start: 0, length: 2)
      // Δ²u at two points as the trace of the Hessian (reverse over Taylor mode) of Δu.
      let nested = Tensor.stack((0..<2).map { i in
        hessian(of: { laplacian(of: u, at: $0.unsqueezed(dim: 0)).laplacian.sum() }, at: xs.select(dim: 0, index: i)).trace()
      })
      let diff = Self.relativeDifference(b, nested)
      list.append(BenchCase(name: "mlp5.biharmonic", info: ["max_rel_diff_vs_hessian": diff], calls: (1, 3)) { blackHole(biharmonic(of: u, at: xs)) })
      // The uncollapsed pass (four coefficients per direction), for comparison; Tangent only.
      let full = biharmonic(of: u, at: xs, method: .directions).biharmonic.narrowed(dim: 0, start: 0, length: 2)
      list.append(BenchCase(name: "mlp5.biharmonic.directions", info: ["max_rel_diff_vs_hessian": Self.relativeDifference(full, nested)], calls: (1, 3)) {
        blackHole(biharmonic(of: u, at: xs, method: .directions))
      })
    }

    if wanted("mlp1000.hutchinson") {
      let params = BenchVmap.mlpParameters([1000, 256, 256, 1], seed: 1001)
      var rng = SeededGenerator(seed: 1002)
      let xs = Tensor.randn([16, 1000], using: &rng)
      let u = { (x: Tensor) in network(params, x) }
      list.append(BenchCase(name: "mlp1000.hutchinson") {
        var generator = SeededGenerator(seed: 1003)
        blackHole(randomizedLaplacian(of: u, at: xs, samples: 16, estimator: .rademacher, using: &generator))
      })
    }
    return list
  }
}
