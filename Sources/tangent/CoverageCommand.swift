import ArgumentParser
import Foundation
import Tangent
import TangentTesting

/// `tangent coverage`: which ops Tangent has, in which modes, against PyTorch's forward-AD list.
struct Coverage: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the op database's table of ops against modes, and the coverage of PyTorch's forward-AD op list.")

  @Option(help: "PyTorch's list of ops with forward AD (one name per line).")
  var reference = "../shared/reference/torch-forward-ad-ops.txt"

  @Flag(help: "List the PyTorch ops that are not covered yet.")
  var missing = false

  @Flag(help: "Print the support table as Markdown (the text of docs/support.md).")
  var markdown = false

  @Flag(help: "Check sparsity detection on every record's float64 samples and list the ops still on the dense fallback.")
  var sparsity = false

  @Flag(help: "Check vmap on every record's float64 samples against the loop and list the ops with no batching rule (they loop over the batch).")
  var vmap = false

  func run() {
    if sparsity {
      printSparsityCoverage()
      return
    }
    if vmap {
      printVmapCoverage()
      return
    }
    if markdown {
      print(OpDatabase.supportTableMarkdown(), terminator: "")
      return
    }
    let records = OpDatabase.all.sorted { $0.name < $1.name }
    func mark(_ b: Bool) -> String { b ? "✓" : "·" }
    print("op".padding(toLength: 22, withPad: " ", startingAt: 0) + " fwd rev f/r f/f chunk complex  torch names")
    for r in records {
      let m = r.modes
      let cells = [m.contains(.forward), m.contains(.reverse), m.contains(.forwardOverReverse),
                   m.contains(.forwardOverForward), m.contains(.chunked), r.dtypes.contains { $0.isComplex }]
      let line = r.name.padding(toLength: 22, withPad: " ", startingAt: 0)
        + "  " + cells.map(mark).joined(separator: "   ") + "    " + r.torchNames.joined(separator: ", ")
      print(line)
    }
    let forward = records.filter { $0.modes.contains(.forward) }.count
    print("\n\(records.count) ops, \(forward) with forward AD")
    guard let text = try? String(contentsOfFile: reference, encoding: .utf8) else {
      print("(no reference list at \(reference))")
      return
    }
    let torch = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let covered = Set(records.filter { $0.modes.contains(.forward) }.flatMap(\.torchNames))
    let hit = torch.filter { covered.contains($0) }
    print("PyTorch forward-AD list: \(hit.count) of \(torch.count) covered")
    if missing { print("missing: " + torch.filter { !covered.contains($0) }.joined(separator: " ")) }
  }
}

extension Coverage {
  /// Runs the op database's sparsity check and prints, per record, whether detection is sound
  /// and tight on its samples and which ops fell back to the dense rule.
  func printSparsityCoverage() {
    let records = OpDatabase.all.filter { $0.dtypes.contains(.float64) && $0.modes.contains(.forward) }.sorted { $0.name < $1.name }
    var unsound: [String] = []
    var fallback: [(String, [String])] = []
    var tight = 0
    print("| record | samples | detected ÷ true nonzeros (worst) | dense fallback |")
    print("| --- | --- | --- | --- |")
    for r in records {
      var rng = TestRandom(seed: UInt64(r.name.utf8.reduce(13) { $0 &* 31 &+ Int($1) }.magnitude))
      let results = r.sparsityCheck(rng: &rng)
      let worst = results.filter { $0.actual > 0 }.map(\.tightness).max() ?? 1
      let ops = Array(Set(results.flatMap(\.fallbacks))).sorted()
      if results.contains(where: { !$0.isSound }) { unsound.append(r.name) }
      if !ops.isEmpty { fallback.append((r.name, ops)) }
      if worst == 1 && ops.isEmpty { tight += 1 }
      let ratio = worst == 1 ? "1" : String(format: "%.2f", worst)
      print("| \(r.name) | \(results.count) | \(ratio) | \(ops.joined(separator: ", ")) |")
    }
    print("")
    print("\(records.count) records checked in float64: \(records.count - unsound.count) sound, \(tight) tight with declared rules only, \(fallback.count) reach an op on the dense fallback")
    if !unsound.isEmpty { print("UNSOUND (a missed nonzero is a bug): \(unsound.joined(separator: ", "))") }
    let ops = Set(fallback.flatMap(\.1)).sorted()
    print("ops on the dense fallback (\(ops.count)): \(ops.joined(separator: ", "))")
  }
}

extension Coverage {
  /// Runs the op database's vmap check and prints, per record, whether vmap agrees with the
  /// loop over the batch and which ops had no batching rule (they looped).
  func printVmapCoverage() {
    let records = OpDatabase.all.filter { $0.dtypes.contains(.float64) }.sorted { $0.name < $1.name }
    var failing: [String] = []
    var looping: [String: Int] = [:]
    var batched = 0
    print("| record | samples | agrees with the loop | ops that looped |")
    print("| --- | --- | --- | --- |")
    for r in records {
      var rng = TestRandom(seed: UInt64(r.name.utf8.reduce(29) { $0 &* 31 &+ Int($1) }.magnitude))
      let results = r.vmapCheck(rng: &rng)
      let ops = Array(Set(results.flatMap(\.looped))).sorted()
      let passed = results.allSatisfy(\.passed)
      if !passed { failing.append(r.name) }
      for op in ops { looping[op, default: 0] += 1 }
      if passed && ops.isEmpty { batched += 1 }
      print("| \(r.name) | \(results.count) | \(passed ? "yes" : "NO") | \(ops.joined(separator: ", ")) |")
    }
    print("")
    print("\(records.count) records checked in float64: \(records.count - failing.count) agree with the loop, \(batched) of them with batching rules only (no op looped)")
    if !failing.isEmpty { print("disagree or read batched values: \(failing.joined(separator: ", "))") }
    let ops = looping.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
    print("ops with no batching rule (\(ops.count), by the number of records that reach them): " + ops.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
  }
}
