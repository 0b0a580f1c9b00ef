import ArgumentParser
import Foundation
import Tangent

#if canImport(Glibc)
  import Glibc
#endif

// The workloads of the side-by-side benchmark (`make bench`, driven by `bench/run.py`).
//
// Each workload is a subcommand, `tangent bench <workload>`, that times its cases and prints
// a table, or with `--json` one JSON object per line:
//
//     {"impl":"tangent","workload":"mlp","case":"primal","times":[…seconds…],"median":…}
//
// `bench/peers.py` defines the same workloads, case for case, in PyTorch and JAX. To add a
// workload (the linear-algebra issue adds `linalg64`): write a `WorkloadCommand` below, list
// it in `workloadCommands`, and give `bench/peers.py` the same case names.

/// Every workload subcommand; `tangent bench list` prints their names for the driver.
var workloadCommands: [any WorkloadCommand.Type] {
  [
    BenchMLP.self, BenchMLPFloat32.self, BenchLinalg64.self, BenchJacobian.self, BenchOverhead.self, BenchScaling.self,
    BenchMemory.self, BenchSparse.self, BenchVmap.self, BenchModels.self, BenchLaplacian.self,
  ]
}

/// One timed case: a name, the work, and how many operations one call performs (the driver
/// divides by it to report time per op).
struct BenchCase {
  let name: String
  var ops: Int = 1
  /// Extra fields for the JSON record (the sparse workload's colour counts, say).
  var info: [String: Any] = [:]
  /// Fewer calls for a slow case: this many warm-up calls and at least this many timed ones
  /// (`nil`: the workload's options).
  var calls: (warmup: Int, timed: Int)? = nil
  let body: () -> Void
}

/// Options shared by the workload subcommands.
struct WorkloadOptions: ParsableArguments {
  @Flag(help: "Print one JSON object per case instead of a table.")
  var json = false

  @Flag(help: "A reduced run (smaller time budget).")
  var quick = false

  @Option(help: "Seconds of timed repetitions per case (default 0.3, 0.08 with --quick).")
  var budget: Double?

  @Option(help: "Seconds of warm-up per case; at least two calls are made (default 0.1, 0.03 with --quick).")
  var warmup: Double?

  @Option(help: "Minimum warm-up calls per case.")
  var warmupCalls = 2

  @Option(help: "Minimum timed repetitions per case.")
  var minReps = 3

  @Option(help: "Maximum timed repetitions per case.")
  var maxReps = 2000

  @Option(help: "Run only the cases whose name contains this text.")
  var only: String?

  var timing: TimingBudget {
    TimingBudget(
      warmup: warmup ?? (quick ? 0.03 : 0.1), warmupCalls: warmupCalls, budget: budget ?? (quick ? 0.08 : 0.3), minReps: minReps,
      maxReps: Swift.max(minReps, maxReps))
  }
}

/// How long to warm up and how long to time one case.
struct TimingBudget {
  var warmup: Double
  var warmupCalls: Int
  var budget: Double
  var minReps: Int
  var maxReps: Int

  /// Seconds since an arbitrary origin (monotonic).
  static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

  /// Wall times of `body` in seconds: at least `warmupCalls` warm-up calls and `warmup` seconds, then
  /// timed calls until `budget` seconds have passed (within `minReps`…`maxReps` calls).
  func sample(_ body: () -> Void) -> [Double] {
    var start = Self.now()
    var calls = 0
    repeat {
      body()
      calls += 1
    } while calls < warmupCalls || Self.now() - start < warmup
    var times: [Double] = []
    start = Self.now()
    repeat {
      let t0 = Self.now()
      body()
      times.append(Self.now() - t0)
    } while times.count < maxReps && (times.count < minReps || Self.now() - start < budget)
    return times
  }
}

/// The median of `values` (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
  let s = values.sorted()
  guard !s.isEmpty else { return .nan }
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Keeps a result alive so the optimiser cannot drop the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
  withExtendedLifetime(value) {}
}

/// One line of JSON from a dictionary (keys sorted, so lines are stable).
func jsonLine(_ object: [String: Any]) -> String {
  guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
  return String(decoding: data, as: UTF8.self)
}

/// A workload subcommand: it builds its cases, times them and prints the result.
protocol WorkloadCommand: ParsableCommand {
  /// The workload's name: the subcommand's name and the key in `bench/results.json`.
  static var workload: String { get }
  var options: WorkloadOptions { get }
  /// Human-readable parameters, also printed in the JSON header line.
  var parameters: [String: Any] { get }
  func cases() -> [BenchCase]
}

extension WorkloadCommand {
  static var workload: String { configuration.commandName ?? "\(Self.self)" }

  func run() throws {
    #if DEBUG
      log("warning: this is a debug build; use `swift build -c release` for meaningful numbers")
    #endif
    let budget = options.timing
    let selected = cases().filter { c in options.only.map { c.name.contains($0) } ?? true }
    if options.json {
      print(
        jsonLine([
          "impl": "tangent", "workload": Self.workload, "meta": true, "parameters": parameters,
          "blas": BLASInfo.description, "blas_threads": BLASInfo.threads,
        ]))
    } else {
      print("\(Self.workload): \(parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
    }
    for c in selected {
      var caseBudget = budget
      if let calls = c.calls {
        caseBudget.warmupCalls = calls.warmup
        caseBudget.warmup = 0
        caseBudget.minReps = calls.timed
        caseBudget.maxReps = Swift.max(caseBudget.maxReps, calls.timed)
      }
      let times = caseBudget.sample(c.body)
      let m = median(times)
      if options.json {
        var record: [String: Any] = [
          "impl": "tangent", "workload": Self.workload, "case": c.name, "variant": "tangent", "primary": true,
          "times": times, "median": m, "ops": c.ops,
        ]
        record.merge(c.info) { a, _ in a }
        print(jsonLine(record))
        fflush(nil)
      } else {
        let perOp = c.ops > 1 ? "  (\(Timing.format(m / Double(c.ops))) per op)" : ""
        let info = c.info.isEmpty ? "" : "  " + c.info.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("  " + pad(c.name, 22) + lpad(Timing.format(m), 12) + "  \(times.count) reps" + perOp + info)
      }
    }
  }
}

// MARK: Workloads

/// The 3-layer tanh MLP of the `mlp` and `scaling` workloads: h ↦ tanh(h·W + b), three times.
struct MLP {
  let weights: [Tensor]
  let biases: [Tensor]
  let x: Tensor
  let v: Tensor

  init(width: Int, batch: Int, dtype: DType, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    weights = (0..<3).map { _ in Tensor.randn([width, width], dtype: dtype, using: &rng) * (1 / Double(width).squareRoot()) }
    biases = (0..<3).map { _ in Tensor.randn([width], dtype: dtype, using: &rng) * 0.1 }
    x = Tensor.randn([batch, width], dtype: dtype, using: &rng)
    v = Tensor.randn([batch, width], dtype: dtype, using: &rng)
  }

  func callAsFunction(_ x: Tensor) -> Tensor {
    var h = x
    for (w, b) in zip(weights, biases) { h = (h.matmul(w) + b).tanh() }
    return h
  }

  /// primal, jvp with respect to the input (weights constant), the same jvp through the
  /// dual-tensor API, and vjp (forward pass plus pullback).
  func cases(prefix: String = "", dual: Bool = true, vjp withVJP: Bool = true) -> [BenchCase] {
    let x = x, v = v
    var list = [
      BenchCase(name: prefix + "primal") { blackHole(self(x)) },
      BenchCase(name: prefix + "jvp") { blackHole(jvp(of: self.callAsFunction, at: x, along: v)) },
    ]
    if dual {
      list.append(
        BenchCase(name: prefix + "dual") {
          blackHole(withDualLevel { l in self(x.dual(tangent: v, at: l)).unpacked(at: l) })
        })
    }
    if withVJP {
      list.append(
        BenchCase(name: prefix + "vjp") {
          let (_, pullback) = vjp(of: self.callAsFunction, at: x)
          blackHole(pullback(v))
        })
    }
    return list
  }
}

/// `tangent bench mlp`: 3-layer tanh MLP, batch 64, width 256, float64.
struct BenchMLP: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "mlp", abstract: "3-layer tanh MLP (batch 64, width 256, float64): primal, jvp, dual-API jvp, vjp.")
  @OptionGroup var options: WorkloadOptions
  var parameters: [String: Any] { ["layers": 3, "batch": 64, "width": 256, "dtype": "float64"] }
  func cases() -> [BenchCase] { MLP(width: 256, batch: 64, dtype: .float64, seed: 7).cases() }
}

/// `tangent bench mlp_f32`: the same MLP in float32.
struct BenchMLPFloat32: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "mlp_f32", abstract: "3-layer tanh MLP (batch 64, width 256, float32): primal, jvp, dual-API jvp, vjp.")
  @OptionGroup var options: WorkloadOptions
  var parameters: [String: Any] { ["layers": 3, "batch": 64, "width": 256, "dtype": "float32"] }
  func cases() -> [BenchCase] { MLP(width: 256, batch: 64, dtype: .float32, seed: 7).cases() }
}

/// `tangent bench jacobian`: jacfwd, jacrev, hessian and hvp.
struct BenchJacobian: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "jacobian",
    abstract: "jacfwd R¹⁶→R²⁰⁴⁸, jacrev R²⁰⁴⁸→R¹⁶, hessian and hvp of logsumexp(tanh(Wz)⊙z) on R²⁵⁶ (float64).")
  @OptionGroup var options: WorkloadOptions
  var parameters: [String: Any] { ["dtype": "float64"] }

  func cases() -> [BenchCase] {
    var rng = SeededGenerator(seed: 11)
    // x ↦ tanh(W₂ tanh(W₁ x)), written with x as a row: tanh(tanh(x·W₁)·W₂).
    let w1 = Tensor.randn([16, 2048], using: &rng) * 0.25
    let w2 = Tensor.randn([2048, 2048], using: &rng) * (1 / 2048.0.squareRoot())
    let wide = { (z: Tensor) -> Tensor in z.matmul(w1).tanh().matmul(w2).tanh() }
    let z16 = Tensor.randn([16], using: &rng)
    // R²⁰⁴⁸ → R¹⁶: z ↦ tanh(tanh(z)·W₃).
    let w3 = Tensor.randn([2048, 16], using: &rng) * (1 / 2048.0.squareRoot())
    let narrow = { (z: Tensor) -> Tensor in z.tanh().matmul(w3).tanh() }
    let z2048 = Tensor.randn([2048], using: &rng)
    // z ↦ logsumexp(tanh(W z) ⊙ z) on R²⁵⁶.
    let wh = Tensor.randn([256, 256], using: &rng) * (1 / 16.0)
    let scalar = { (z: Tensor) -> Tensor in (wh.matmul(z).tanh() * z).logSumExp(dims: [0]) }
    let z256 = Tensor.randn([256], using: &rng), u256 = Tensor.randn([256], using: &rng)
    return [
      BenchCase(name: "jacfwd") { blackHole(jacfwd(of: wide, at: z16)) },
      BenchCase(name: "jacrev") { blackHole(jacrev(of: narrow, at: z2048)) },
      BenchCase(name: "hessian") { blackHole(hessian(of: scalar, at: z256)) },
      BenchCase(name: "hvp") { blackHole(hvp(of: scalar, at: z256, along: u256)) },
    ]
  }
}

/// `tangent bench overhead`: a chain of 1000 `sin` ops on 8 elements, plain and dual.
struct BenchOverhead: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "overhead", abstract: "Per-op overhead: 1000 chained sin ops on 8 float64 elements, plain and dual.")
  @OptionGroup var options: WorkloadOptions
  var parameters: [String: Any] { ["chain": 1000, "elements": 8, "dtype": "float64"] }

  func cases() -> [BenchCase] {
    let x8 = Tensor((0..<8).map { Double($0) * 0.1 })
    let v8 = Tensor((0..<8).map { 1 - Double($0) * 0.05 })
    let chain = { (x: Tensor) -> Tensor in
      var y = x
      for _ in 0..<1000 { y = y.sin() }
      return y
    }
    return [
      BenchCase(name: "plain", ops: 1000) { blackHole(chain(x8)) },
      BenchCase(name: "dual", ops: 1000) { blackHole(jvp(of: chain, at: x8, along: v8)) },
    ]
  }
}

/// `tangent bench scaling`: primal and jvp of the MLP at several widths.
struct BenchScaling: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "scaling", abstract: "The MLP's primal and jvp at widths 64, 256 and 1024 (batch 64, float64).")
  @OptionGroup var options: WorkloadOptions
  @Option(parsing: .upToNextOption, help: "Widths of the MLP.")
  var widths: [Int] = [64, 256, 1024]
  var parameters: [String: Any] { ["layers": 3, "batch": 64, "widths": widths, "dtype": "float64"] }

  func cases() -> [BenchCase] {
    widths.flatMap { w in MLP(width: w, batch: 64, dtype: .float64, seed: 7).cases(prefix: "w\(w).", dual: false, vjp: false) }
  }
}

// MARK: Memory

/// Resident-set figures of this process from `/proc/self/status`, in bytes.
enum ProcessMemory {
  /// Current (VmRSS) and peak (VmHWM) resident set size.
  static func status() -> (rss: Int, peak: Int) {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    var rss = 0, peak = 0
    for line in text.split(separator: "\n") {
      let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard parts.count >= 2, let kb = Int(parts[1]) else { continue }
      if parts[0] == "VmRSS:" { rss = kb * 1024 }
      if parts[0] == "VmHWM:" { peak = kb * 1024 }
    }
    return (rss, peak)
  }

  /// Resets the peak (VmHWM) to the current RSS; false where the kernel does not allow it.
  static func resetPeak() -> Bool {
    guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
    defer { try? handle.close() }
    do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
    return true
  }

  /// Returns freed heap memory to the system, so the RSS counts live memory.
  static func trim() {
    BufferPool.releaseCachedBuffers()
    // glibc's malloc_trim, looked up at run time (the Glibc module does not export malloc.h).
    #if canImport(Glibc)
      if let symbol = dlsym(nil, "malloc_trim") {
        typealias Trim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
      }
    #endif
  }
}

/// `tangent bench memory`: a Hessian-vector product of a deep narrow MLP, by
/// forward-over-reverse or by double backward (reverse-over-reverse), with its peak memory.
///
/// Run one variant per process (the driver does): the peak resident set of a process only
/// grows. The figure that matters is `delta`: the peak during one HVP minus the resident set
/// just before it (weights and inputs already allocated, freed heap trimmed).
struct BenchMemory: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "memory",
    abstract: "HVP of a deep narrow tanh MLP (depth 64, width 512, batch 32, float64): forward-over-reverse vs double backward, time and peak memory.")
  @OptionGroup var options: WorkloadOptions

  @Option(help: "fwdrev (forward-over-reverse: the jvp of the gradient) or revrev (double backward). Default: both, in this process.")
  var variant: String?

  @Option var depth = 64
  @Option var width = 512
  @Option var batch = 32

  var parameters: [String: Any] { ["depth": depth, "width": width, "batch": batch, "dtype": "float64"] }

  /// The weights, the point and the direction, and f(x) = ½‖MLP(x)‖².
  func problem() -> (f: (Tensor) -> Tensor, x: Tensor, v: Tensor) {
    var rng = SeededGenerator(seed: 13)
    let weights = (0..<depth).map { _ in Tensor.randn([width, width], using: &rng) * (1 / Double(width).squareRoot()) }
    let x = Tensor.randn([batch, width], using: &rng), v = Tensor.randn([batch, width], using: &rng)
    let f = { (x: Tensor) -> Tensor in
      var h = x
      for w in weights { h = h.matmul(w).tanh() }
      return (h * h).sum() * 0.5
    }
    return (f, x, v)
  }

  static let variants = ["fwdrev", "revrev"]

  func hvpBody(_ variant: String, _ f: @escaping (Tensor) -> Tensor, _ x: Tensor, _ v: Tensor) -> () -> Void {
    switch variant {
    case "fwdrev":
      return { blackHole(hvp(of: f, at: x, along: v).hvp) }
    default:
      return {
        let leaf = x.requiringGrad()
        let g = gradients(of: f(leaf), wrt: [leaf], createGraph: true)[0]
        blackHole(gradients(of: (g * v).sum(), wrt: [leaf])[0])
      }
    }
  }

  func cases() -> [BenchCase] {
    let (f, x, v) = problem()
    return Self.variants.map { name in BenchCase(name: name, body: hvpBody(name, f, x, v)) }
  }

  func run() throws {
    #if DEBUG
      log("warning: this is a debug build; use `swift build -c release` for meaningful numbers")
    #endif
    let names = variant.map { [$0] } ?? Self.variants
    guard names.allSatisfy(Self.variants.contains) else {
      throw ValidationError("--variant must be one of \(Self.variants.joined(separator: ", "))")
    }
    let (f, x, v) = problem()
    // One primal evaluation first, so one-off allocations (BLAS buffers) are not counted.
    blackHole(f(x))
    if !options.json { print("memory: \(parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))") }
    for name in names {
      let body = hvpBody(name, f, x, v)
      ProcessMemory.trim()
      let before = ProcessMemory.status().rss
      let reset = ProcessMemory.resetPeak()
      body()
      let peak = ProcessMemory.status().peak
      var timing = options.timing
      timing.warmupCalls = Swift.min(timing.warmupCalls, 1)  // the measured run was the first
      let times = timing.sample(body)
      let m = median(times)
      let delta = peak - before
      if options.json {
        print(
          jsonLine([
            "impl": "tangent", "workload": Self.workload, "case": name, "variant": "tangent", "primary": true,
            "times": times, "median": m, "ops": 1, "rss_before": before, "peak_rss": peak, "peak_delta": delta,
            "peak_reset": reset, "parameters": parameters,
          ]))
        fflush(nil)
      } else {
        print(
          "  " + pad(name, 10) + lpad(Timing.format(m), 12)
            + String(format: "   peak %.1f MB above %.1f MB before%@", Double(delta) / 1e6, Double(before) / 1e6, reset ? "" : " (peak not reset)"))
      }
    }
  }
}

/// `tangent bench list`: the workload names, for the driver.
struct BenchList: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List the side-by-side workloads.")
  func run() {
    for command in workloadCommands { print(command.workload) }
  }
}
