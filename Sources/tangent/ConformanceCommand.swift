import ArgumentParser
import Foundation
import Tangent
import TangentTesting

/// `tangent conformance DIR`: checks Tangent against PyTorch's golden derivative values.
struct Conformance: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check outputs and derivatives against PyTorch's golden values (*.json in DIR).")

  @Argument(help: "A folder of golden files in the format of shared/goldens/README.md.")
  var directory: String

  @Flag(help: "Print every failure and skip message.")
  var verbose = false

  @Option(help: "Run only the cases whose op matches this name.")
  var op: String?

  func run() throws {
    let url = URL(fileURLWithPath: directory)
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
      .filter { $0.hasSuffix(".json") }.sorted()
    guard !files.isEmpty else {
      print("conformance: no *.json files in \(directory)")
      throw ExitCode(2)
    }
    var totals = [String: [FieldStatus: Int]]()
    var caseCounts = (passed: 0, failed: 0, skipped: 0)
    var rows: [(String, [String: [FieldStatus: Int]])] = []
    var messages: [String] = []
    for file in files {
      let family = String(file.dropLast(5))
      var table = [String: [FieldStatus: Int]]()
      let cases: [JSONValue]
      do {
        let json = try JSONValue.parse(Data(contentsOf: url.appendingPathComponent(file)))
        guard let list = json["cases"]?.array else { throw ConformanceError.malformed("no \"cases\" list") }
        cases = list
      } catch {
        messages.append("\(file): \(error)")
        print("conformance: \(file): \(error)")
        caseCounts.failed += 1
        continue
      }
      let selected = cases.filter { op == nil || $0["op"]?.string == op }
      for (i, c) in selected.enumerated() {
        if i % 20 == 0 || i == selected.count - 1 {
          FileHandle.standardError.write("\r\(family): \(i + 1)/\(selected.count)   ".data(using: .utf8)!)
        }
        let report = ConformanceRunner.run(c)
        for (f, s) in report.fields {
          table[f, default: [:]][s, default: 0] += 1
          totals[f, default: [:]][s, default: 0] += 1
        }
        let statuses = Set(report.fields.values)
        if statuses.contains(.failed) { caseCounts.failed += 1 } else if statuses.contains(.skipped) && !statuses.contains(.passed) {
          caseCounts.skipped += 1
        } else { caseCounts.passed += 1 }
        messages += report.messages
      }
      FileHandle.standardError.write("\r".data(using: .utf8)!)
      rows.append((family, table))
    }
    printTable(rows + [("total", totals)])
    let failures = messages.filter { !$0.contains("no Tangent op") && !$0.contains("unsupported") && !$0.contains("PyTorch deviates") }
    let deviations = messages.filter { $0.contains("PyTorch deviates") }
    if !deviations.isEmpty {
      print("\(deviations.count) fields (+Nd above) pass against finite differences where PyTorch's own value is documented as wrong:")
      deviations.forEach { print("  " + $0) }
    }
    if verbose { messages.forEach { print("  " + $0) } } else { failures.prefix(40).forEach { print("  " + $0) } }
    print("conformance: \(caseCounts.passed) passed, \(caseCounts.failed) failed, \(caseCounts.skipped) skipped")
    if caseCounts.failed > 0 { throw ExitCode(1) }
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
