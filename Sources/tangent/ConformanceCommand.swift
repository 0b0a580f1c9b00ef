import ArgumentParser
import Foundation
import Tangent
import TangentTesting

/// `tangent conformance DIR`: checks Tangent against PyTorch's golden derivative values.
///
/// Each file's cases run in a worker process (this executable with `--worker`), supervised
/// by ``ConformanceSuite/runIsolated(file:selected:cases:seen:worker:)``: a case that trips an
/// op's misuse check is reported as crashed, with the check's message, and the run goes on.
/// Cases not in the golden format are reported as malformed, reused ids as duplicates; both,
/// like failures and unreadable files, make the exit status 1.
struct Conformance: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check outputs and derivatives against PyTorch's golden values (*.json in DIR).")

  @Argument(help: "A folder of golden files in the format of shared/goldens/README.md.")
  var directory: String

  @Flag(help: "Print every failure and skip message.")
  var verbose = false

  @Option(help: "Run only the cases whose op matches this name.")
  var op: String?

  @Option(help: "Run only the case with this id (op#index).")
  var id: String?

  @Flag(help: "Run every case in this process (faster to debug; a case that trips an op's misuse check stops the run).")
  var inProcess = false

  @Flag(help: .hidden)
  var worker = false

  @Option(help: .hidden)
  var start = 0

  func run() throws {
    if worker {
      // The worker side of the supervisor: DIRECTORY is one golden file.
      let cases = try ConformanceSuite.cases(in: URL(fileURLWithPath: directory))
      ConformanceSuite.work(cases, selected: ConformanceSuite.select(cases, op: op, id: id), start: start)
      return
    }
    let url = URL(fileURLWithPath: directory)
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
      .filter { $0.hasSuffix(".json") }.sorted()
    guard !files.isEmpty else {
      print("conformance: no *.json files in \(directory)")
      throw ExitCode(2)
    }
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let workerCommand = (executable, ["conformance", "--worker"] + (op.map { ["--op", $0] } ?? []) + (id.map { ["--id", $0] } ?? []))
    var totals = [String: [FieldStatus: Int]]()
    var outcomes = [CaseOutcome: Int]()
    var badFiles = 0
    var rows: [(String, [String: [FieldStatus: Int]])] = []
    var messages: [String] = []
    var seen = Set<String>()
    for file in files {
      let family = String(file.dropLast(5))
      var table = [String: [FieldStatus: Int]]()
      let fileURL = url.appendingPathComponent(file)
      let cases: [JSONValue]
      do {
        cases = try ConformanceSuite.cases(in: fileURL)
      } catch {
        messages.append("\(file): \(error)")
        print("conformance: \(file): \(error)")
        badFiles += 1
        continue
      }
      let selected = ConformanceSuite.select(cases, op: op, id: id)
      FileHandle.standardError.write("\r\(family): \(selected.count) cases   ".data(using: .utf8)!)
      let reports = inProcess
        ? ConformanceSuite.runInProcess(cases, selected: selected, seen: &seen)
        : ConformanceSuite.runIsolated(file: fileURL, selected: selected, cases: cases, seen: &seen, worker: workerCommand)
      for report in reports {
        for (f, s) in report.fields {
          table[f, default: [:]][s, default: 0] += 1
          totals[f, default: [:]][s, default: 0] += 1
        }
        outcomes[report.outcome, default: 0] += 1
        messages += report.messages
      }
      FileHandle.standardError.write("\r".data(using: .utf8)!)
      rows.append((family, table))
    }
    printTable(rows + [("total", totals)])
    let failures = messages.filter { !$0.contains("no Tangent op") && !$0.contains("unsupported") && !$0.contains("PyTorch deviates") && !$0.contains("invalid case") }
    let deviations = messages.filter { $0.contains("PyTorch deviates") }
    if !deviations.isEmpty {
      print("\(deviations.count) fields (+Nd above) pass against finite differences where PyTorch's own value is documented as wrong:")
      deviations.forEach { print("  " + $0) }
    }
    if verbose { messages.forEach { print("  " + $0) } } else { failures.prefix(40).forEach { print("  " + $0) } }
    let count = { (o: CaseOutcome) in outcomes[o] ?? 0 }
    var summary = "conformance: \(count(.passed)) passed, \(count(.failed)) failed, \(count(.skipped) + count(.crashed)) skipped"
    if count(.crashed) > 0 { summary += " (\(count(.crashed)) crashed)" }
    if count(.malformed) > 0 { summary += ", \(count(.malformed)) malformed" }
    if count(.duplicate) > 0 { summary += ", \(count(.duplicate)) duplicate" }
    if badFiles > 0 { summary += ", \(badFiles) unreadable files" }
    print(summary)
    if count(.failed) + count(.malformed) + count(.duplicate) + badFiles > 0 { throw ExitCode(1) }
  }

  func printTable(_ rows: [(String, [String: [FieldStatus: Int]])]) {
    let header = ["family".padding(toLength: 8, withPad: " ", startingAt: 0)]
      + conformanceFields.map { $0.padding(toLength: 16, withPad: " ", startingAt: 0) }
    print(header.joined(separator: " "))
    print("         " + conformanceFields.map { _ in "pass/fail/skip  " }.joined(separator: " "))
    for (name, table) in rows {
      var line = name.padding(toLength: 8, withPad: " ", startingAt: 0)
      for f in conformanceFields {
        let t = table[f] ?? [:]
        let deviations = t[.deviation] ?? 0
        let passed = "\(t[.passed] ?? 0)" + (deviations > 0 ? "+\(deviations)d" : "")
        let cell = "\(passed)/\(t[.failed] ?? 0)/\(t[.skipped] ?? 0)"
        line += " " + cell.padding(toLength: 16, withPad: " ", startingAt: 0)
      }
      print(line)
    }
  }
}
