import ArgumentParser
import Foundation
@_spi(Benchmarks) import Tangent

/// Wall-clock timing helpers for the benchmarks (medians of repeated runs after warm-up).
enum Timing {
  /// The median time of `body` in seconds, over `repetitions` runs after `warmup` runs.
  static func median(repetitions: Int = 15, warmup: Int = 3, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repetitions {
      let t0 = DispatchTime.now().uptimeNanoseconds
      body()
      times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    times.sort()
    return times[times.count / 2]
  }

  /// A duration in the most readable unit.
  static func format(_ seconds: Double) -> String {
    if seconds < 1e-6 { return String(format: "%.0f ns", seconds * 1e9) }
    if seconds < 1e-3 { return String(format: "%.2f µs", seconds * 1e6) }
    if seconds < 1 { return String(format: "%.3f ms", seconds * 1e3) }
    return String(format: "%.3f s", seconds)
  }
}

/// `tangent bench autodiff`: the cost of derivatives relative to the primal.
struct BenchAutodiff: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "autodiff", abstract: "Time primal, jvp, vjp, jacobians, hessians and per-op overhead (release build).")

  @Flag(help: "Fewer repetitions.")
  var quick = false

  func run() {
    let reps = quick ? 5 : 21
    var rng = SeededGenerator(seed: 7)
    func row(_ name: String, _ seconds: Double, _ note: String = "") {
      print(name.padding(toLength: 34, withPad: " ", startingAt: 0) + Timing.format(seconds).padding(toLength: 12, withPad: " ", startingAt: 0) + note)
    }

    // 3-layer tanh MLP, batch 64, width 256, float64.
    let width = 256, batch = 64
    let weights = (0..<3).map { _ in Tensor.randn([width, width], using: &rng) * (1 / Double(width).squareRoot()) }
    let biases = (0..<3).map { _ in Tensor.randn([width], using: &rng) * 0.1 }
    let mlp = { (x: Tensor) -> Tensor in
      var h = x
      for (w, b) in zip(weights, biases) { h = (h.matmul(w) + b).tanh() }
      return h
    }
    let x = Tensor.randn([batch, width], using: &rng)
    let v = Tensor.randn([batch, width], using: &rng)
    print("mlp: 3 tanh layers, batch \(batch), width \(width), float64")
    let primal = Timing.median(repetitions: reps) { _ = mlp(x) }
    let forward = Timing.median(repetitions: reps) { _ = jvp(of: mlp, at: x, along: v) }
    let dualAPI = Timing.median(repetitions: reps) {
      _ = withDualLevel { l in mlp(x.dual(tangent: v, at: l)).unpacked(at: l) }
    }
    let reverse = Timing.median(repetitions: reps) {
      let (_, pullback) = vjp(of: mlp, at: x)
      _ = pullback(v)
    }
    row("  primal", primal)
    row("  jvp (input; weights constant)", forward, String(format: "%.2f× primal", forward / primal))
    row("  jvp through the dual-tensor API", dualAPI, String(format: "%.2f× primal", dualAPI / primal))
    row("  vjp", reverse, String(format: "%.2f× primal", reverse / primal))

    // Zero tangents: x·W with constant W costs one extra product.
    let w = weights[0]
    let product = Timing.median(repetitions: reps) { _ = x.matmul(w) }
    let productJVP = Timing.median(repetitions: reps) { _ = jvp(of: { $0.matmul(w) }, at: x, along: v) }
    row("  x·W", product)
    row("  jvp of x·W (W constant)", productJVP, String(format: "%.2f× (one extra product is 2×)", productJVP / product))

    // Jacobians.
    let w1 = Tensor.randn([16, 2048], using: &rng) * 0.25, w2 = Tensor.randn([2048, 2048], using: &rng) * (1 / 2048.0.squareRoot())
    let wide = { (z: Tensor) -> Tensor in z.matmul(w1).tanh().matmul(w2).tanh() }
    let z16 = Tensor.randn([16], using: &rng)
    let jf = Timing.median(repetitions: Swift.max(3, reps / 3)) { _ = jacfwd(of: wide, at: z16) }
    let w3 = Tensor.randn([2048, 16], using: &rng) * (1 / 2048.0.squareRoot())
    let narrow = { (z: Tensor) -> Tensor in z.tanh().matmul(w3).tanh() }
    let z2048 = Tensor.randn([2048], using: &rng)
    let jr = Timing.median(repetitions: Swift.max(3, reps / 3)) { _ = jacrev(of: narrow, at: z2048) }
    // A stencil through rules that take one cotangent each (abs, cat, maximum, std): jacrev's
    // 64-row passes run each such rule once mapped over the chunk, or once per row before.
    let stencil = { (z: Tensor) -> Tensor in
      let n = z.shape[0]
      let d = z.narrowed(dim: 0, start: 1, length: n - 1) - z.narrowed(dim: 0, start: 0, length: n - 1)
      let h = Tensor.cat([d.abs().cumsum(dim: 0), z.narrowed(dim: 0, start: 0, length: 1).sin()], dim: 0)
      return h.maximum(h * 0.1) / (h.std() + 1)
    }
    let z1024 = Tensor.randn([1024], using: &rng)
    let mapped = Timing.median(repetitions: Swift.max(3, reps / 3)) { _ = jacrev(of: stencil, at: z1024) }
    BenchmarkSettings.mapsRulesOverChunks = false
    let perRow = Timing.median(repetitions: Swift.max(3, reps / 3)) { _ = jacrev(of: stencil, at: z1024) }
    BenchmarkSettings.mapsRulesOverChunks = true
    print("jacobian")
    row("  jacfwd R¹⁶ → R²⁰⁴⁸", jf)
    row("  jacrev R²⁰⁴⁸ → R¹⁶", jr)
    row("  jacrev stencil R¹⁰²⁴ → R¹⁰²⁴", mapped, "abs, cat, maximum, std: rules mapped over the chunk")
    row("    rules once per row", perRow, String(format: "mapping is %.1f× faster", perRow / mapped))

    // Second order: z ↦ logsumexp(tanh(W z) ⊙ z) on R²⁵⁶.
    let wh = Tensor.randn([256, 256], using: &rng) * (1 / 16.0)
    let scalar = { (z: Tensor) -> Tensor in (wh.matmul(z).tanh() * z).logSumExp(dims: [0]) }
    let z256 = Tensor.randn([256], using: &rng), u256 = Tensor.randn([256], using: &rng)
    let hess = Timing.median(repetitions: Swift.max(3, reps / 3)) { _ = hessian(of: scalar, at: z256) }
    let hv = Timing.median(repetitions: reps) { _ = hvp(of: scalar, at: z256, along: u256) }
    row("  hessian on R²⁵⁶", hess)
    row("  hvp on R²⁵⁶", hv)

    // Per-op overhead: a chain of 1000 sin ops on 8-element tensors.
    let x8 = Tensor((0..<8).map { Double($0) * 0.1 })
    let chain = { (x: Tensor) -> Tensor in
      var y = x
      for _ in 0..<1000 { y = y.sin() }
      return y
    }
    let plain = Timing.median(repetitions: reps) { _ = chain(x8) }
    let dual = Timing.median(repetitions: reps) { _ = jvp(of: chain, at: x8, along: x8) }
    print("overhead (1000 sin ops on 8 elements)")
    row("  plain", plain / 1000, "per op")
    row("  dual", dual / 1000, "per op")
  }
}
