import ArgumentParser
import Foundation
import Tangent

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
    // Per-op overhead: a chain of 1000 sin ops on 8-element tensors.
    let x8 = Tensor((0..<8).map { Double($0) * 0.1 })
    let chain = { (x: Tensor) -> Tensor in
      var y = x
      for _ in 0..<1000 { y = y.sin() }
      return y
    }
    let plain = Timing.median(repetitions: reps) { _ = chain(x8) }
    let dual = Timing.median(repetitions: reps) { _ = jvp(of: chain, at: x8, along: x8) }
    print("overhead  plain \(Timing.format(plain / 1000))/op   dual \(Timing.format(dual / 1000))/op")
  }
}
