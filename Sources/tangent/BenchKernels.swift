import ArgumentParser
import Foundation
import Tangent

/// `tangent bench …`: performance measurements.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure Tangent's performance.",
    subcommands: [BenchKernels.self, BenchAutodiff.self, BenchList.self] + workloadCommands.map { $0 as any ParsableCommand.Type })
}

/// `tangent bench kernels`: the core kernels side by side with NumPy (and PyTorch when it is
/// installed), run in the same process tree on the same machine.
struct BenchKernels: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernels",
    abstract: "Time elementwise, reduction and matmul kernels against NumPy and PyTorch.",
    discussion: """
      Build with `swift build -c release` first: debug builds are 10-100× slower. Each \
      timing is the median of the repetitions after a 0.2 s warm-up. Ratios are \
      other/Tangent: above 1 means Tangent is faster.
      """)

  @Option(help: "Elements of the large elementwise and reduction benchmarks.")
  var size = 1_000_000

  @Option(help: "n of the n×n×n float64 matmul.")
  var matmulSize = 1024

  @Option(help: "Length of the chain of `sin` ops on 8-element tensors (per-op overhead).")
  var chain = 1000

  @Option(help: "Timed repetitions per benchmark (the median is reported).")
  var repetitions = 25

  @Option(help: "The Python interpreter used for the NumPy / PyTorch side.")
  var python = "python3"

  @Flag(help: "Skip NumPy and PyTorch.")
  var tangentOnly = false

  @Flag(help: "Also time other small ops (Tangent only).")
  var overheads = false

  @Option(help: "Run only the benchmarks whose label contains this text.")
  var only: String?

  func run() throws {
    #if DEBUG
      log("warning: this is a debug build; use `swift build -c release` for meaningful numbers")
    #endif
    log("BLAS: \(BLASInfo.description), \(BLASInfo.threads) threads")
    // Which clone of the dispatched C loops (exp, log, sin, cos, tanh, sigmoid, the collapsed
    // Taylor pass) the loader chose for this CPU: part of what the numbers below mean.
    print("vector math loops: \(VectorMath.dispatchLevel) (chosen at load time)")
    let benches = makeBenchmarks().filter { b in only.map { b.label.contains($0) } ?? true }
    var rows: [Row] = []
    for b in benches {
      log("Tangent: \(b.label)…")
      rows.append(Row(key: b.key, label: b.label, unit: b.unit, higherIsBetter: b.higherIsBetter, tangent: b.measure()))
    }
    if !tangentOnly {
      for (name, module) in [("NumPy", "numpy"), ("PyTorch", "torch")] {
        log("\(name): running the same benchmarks in \(python)…")
        switch runPython(module: module) {
        case .success(let values):
          for i in rows.indices { rows[i].others[name] = rows[i].key.flatMap { values[$0] } }
        case .failure(let message):
          log("\(name): skipped (\(message))")
        }
      }
    }
    printTable(rows)
  }

  // MARK: Tangent side

  /// One measurement: the key the Python side prints (nil: Tangent only), a label, its unit
  /// and a closure giving the value.
  struct Benchmark {
    var key: String? = nil
    let label: String
    let unit: String
    let higherIsBetter: Bool
    let measure: () -> Double
  }

  func makeBenchmarks() -> [Benchmark] {
    let n = size
    let x = uniform(n, -5, 5, seed: 1)
    let y = uniform(n, -5, 5, seed: 2)
    let positive = x.abs(), x32 = x.converted(to: .float32)
    let small = uniform(8, -1, 1, seed: 3)
    let m = matmulSize
    let a = uniform(m * m, -1, 1, seed: 4).reshaped([m, m])
    let b = uniform(m * m, -1, 1, seed: 5).reshaped([m, m])
    let reps = repetitions
    let chainLength = chain
    return [
      Benchmark(key: "exp", label: "exp \(n) f64", unit: "ms", higherIsBetter: false) {
        milliseconds(reps) { _ = x.exp() }
      },
      Benchmark(key: "tanh", label: "tanh \(n) f64", unit: "ms", higherIsBetter: false) {
        milliseconds(reps) { _ = x.tanh() }
      },
      Benchmark(key: "log", label: "log \(n) f64", unit: "ms", higherIsBetter: false) {
        milliseconds(reps) { _ = positive.log() }
      },
      Benchmark(key: "sin", label: "sin \(n) f64", unit: "ms", higherIsBetter: false) {
        milliseconds(reps) { _ = x.sin() }
      },
      Benchmark(key: "sigmoid", label: "sigmoid \(n) f64", unit: "ms", higherIsBetter: false) {
        milliseconds(reps) { _ = x.sigmoid() }
      },
      Benchmark(key: "exp32", label: "exp \(n) f32", unit: "ms", higherIsBetter: false) {
        milliseconds(reps) { _ = x32.exp() }
      },
      Benchmark(key: "add", label: "add \(n) f64", unit: "ms", higherIsBetter: false) {
        milliseconds(reps) { _ = x + y }
      },
      Benchmark(key: "sum", label: "sum \(n) f64", unit: "ms", higherIsBetter: false) {
        milliseconds(reps) { _ = x.sum() }
      },
      Benchmark(key: "chain", label: "sin chain ×\(chainLength) on [8]", unit: "µs/op", higherIsBetter: false) {
        milliseconds(reps) {
          var t = small
          for _ in 0..<chainLength { t = t.sin() }
        } * 1000 / Double(chainLength)
      },
    ] + (overheads ? overheadBenchmarks(small) : []) + [
      // Last: after a BLAS call OpenBLAS's idle threads spin for a while, which would slow
      // whatever runs next on a small machine.
      Benchmark(key: "matmul", label: "matmul \(m)³ f64", unit: "GFLOP/s", higherIsBetter: true) {
        let ms = milliseconds(Swift.max(3, reps / 5)) { _ = a.matmul(b) }
        return 2 * Double(m) * Double(m) * Double(m) / (ms * 1e6)
      },
    ]
  }

  /// Per-op costs of other small ops (`--overheads`).
  func overheadBenchmarks(_ small: Tensor) -> [Benchmark] {
    let reps = repetitions, n = chain
    let other = small.exp()
    let matrix = small.reshaped([2, 4])
    func perOp(_ label: String, _ op: @escaping (Tensor) -> Tensor) -> Benchmark {
      Benchmark(label: label, unit: "µs/op", higherIsBetter: false) {
        milliseconds(reps) {
          var t = small
          for _ in 0..<n { t = op(t) }
        } * 1000 / Double(n)
      }
    }
    return [
      perOp("add [8] + [8]") { $0 + other },
      perOp("mul [8] * 0.5") { $0 * 0.5 },
      perOp("exp [8]") { $0.exp() },
      perOp("sum [8] → [] (+ add)") { $0 + $0.sum() },
      perOp("add [8] + [2,4]ᵀ view") { $0 + matrix.transposed(0, 1).reshaped([8]) },
    ]
  }

  // MARK: NumPy / PyTorch side

  /// Runs the same benchmarks with `module` (`numpy` or `torch`) and parses `key value` lines.
  func runPython(module: String) -> Result<[String: Double], PythonError> {
    let script = Self.pythonScript(module: module, size: size, matmul: matmulSize, chain: chain, repetitions: repetitions)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, "-c", script]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch { return .failure(PythonError("cannot start \(python): \(error)")) }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let last = String(decoding: errData, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)"
      return .failure(PythonError(last))
    }
    var values: [String: Double] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      let parts = line.split(separator: " ")
      if parts.count == 2, let v = Double(parts[1]) { values[String(parts[0])] = v }
    }
    return .success(values)
  }

  /// An error from the Python side, shown as the reason it was skipped.
  struct PythonError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
  }

  /// The Python benchmark, printing `key value` lines with the keys of ``Row/key``.
  static func pythonScript(module: String, size: Int, matmul: Int, chain: Int, repetitions: Int) -> String {
    """
    import sys, time, statistics
    MOD = "\(module)"
    n, m, chain, reps = \(size), \(matmul), \(chain), \(repetitions)
    if MOD == "numpy":
        import numpy as np
        rng = np.random.default_rng(0)
        x = rng.uniform(-5, 5, n); y = rng.uniform(-5, 5, n); s8 = rng.uniform(-1, 1, 8)
        a = rng.uniform(-1, 1, (m, m)); b = rng.uniform(-1, 1, (m, m))
        exp, tanh, sin, logf = np.exp, np.tanh, np.sin, np.log
        sigmoid = None  # NumPy has none (scipy.special.expit is not NumPy)
        total = lambda v: v.sum()
    else:
        import torch
        torch.set_grad_enabled(False)
        g = torch.Generator().manual_seed(0)
        u = lambda *s: torch.rand(*s, generator=g, dtype=torch.float64)
        x = u(n) * 10 - 5; y = u(n) * 10 - 5; s8 = u(8) * 2 - 1
        a = u(m, m) * 2 - 1; b = u(m, m) * 2 - 1
        exp, tanh, sin, logf, sigmoid = torch.exp, torch.tanh, torch.sin, torch.log, torch.sigmoid
        total = lambda v: v.sum()
    xp = abs(x); x32 = x.astype("float32") if MOD == "numpy" else x.float()
    def ms(f, r=reps):
        f()
        ts = []
        for _ in range(r):
            t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
        return statistics.median(ts) * 1e3
    def chained():
        t = s8
        for _ in range(chain): t = sin(t)
    print("exp", ms(lambda: exp(x)), flush=True)
    print("tanh", ms(lambda: tanh(x)), flush=True)
    print("log", ms(lambda: logf(xp)), flush=True)
    print("sin", ms(lambda: sin(x)), flush=True)
    if sigmoid is not None: print("sigmoid", ms(lambda: sigmoid(x)), flush=True)
    print("exp32", ms(lambda: exp(x32)), flush=True)
    print("add", ms(lambda: x + y), flush=True)
    print("sum", ms(lambda: total(x)), flush=True)
    print("chain", ms(chained) * 1000 / chain, flush=True)
    print("matmul", 2 * m**3 / (ms(lambda: a @ b, max(3, reps // 5)) * 1e6), flush=True)
    """
  }

  // MARK: Output

  /// One line of the table.
  struct Row {
    /// The key the Python side prints for this row, if it measures it.
    let key: String?
    let label: String
    let unit: String
    let higherIsBetter: Bool
    let tangent: Double
    var others: [String: Double] = [:]
  }

  func printTable(_ rows: [Row]) {
    let others = tangentOnly ? [] : ["NumPy", "PyTorch"].filter { name in rows.contains { $0.others[name] != nil } }
    var header = pad("kernel", 28) + pad("unit", 9) + lpad("Tangent", 10)
    for o in others { header += lpad(o, 10) + lpad("ratio", 8) }
    print(header)
    print(String(repeating: "─", count: header.count))
    for r in rows {
      var line = pad(r.label, 28) + pad(r.unit, 9) + lpad(format(r.tangent), 10)
      for o in others {
        guard let v = r.others[o] else { line += lpad("—", 10) + lpad("", 8); continue }
        let ratio = r.higherIsBetter ? r.tangent / v : v / r.tangent
        line += lpad(format(v), 10) + lpad(String(format: "%.2f×", ratio), 8)
      }
      print(line)
    }
    if !others.isEmpty { print("ratio = how many times faster Tangent is (>1: Tangent wins)") }
  }
}

// MARK: Helpers

/// The median wall time of `body` over `repetitions` runs after a warm-up, in milliseconds.
func milliseconds(_ repetitions: Int, _ body: () -> Void) -> Double {
  // Warm up for at least 0.2 s: caches, the allocator and the worker threads settle.
  let warmUp = DispatchTime.now().uptimeNanoseconds
  repeat { body() } while DispatchTime.now().uptimeNanoseconds - warmUp < 200_000_000
  var times: [Double] = []
  times.reserveCapacity(repetitions)
  for _ in 0..<Swift.max(1, repetitions) {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
  }
  times.sort()
  return times[times.count / 2]
}

/// `count` float64 values uniform in `[lo, hi)`, from a fixed seed.
func uniform(_ count: Int, _ lo: Double, _ hi: Double, seed: UInt64) -> Tensor {
  var state = seed &* 0x9E37_79B9_7F4A_7C15
  var values = [Double](repeating: 0, count: count)
  for i in 0..<count {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    values[i] = lo + (hi - lo) * Double((z ^ (z >> 31)) >> 11) * 0x1p-53
  }
  return Tensor(shape: [count], scalars: values)
}

func log(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

func format(_ v: Double) -> String {
  if v >= 100 { return String(format: "%.1f", v) }
  if v >= 1 { return String(format: "%.3f", v) }
  return String(format: "%.4f", v)
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
