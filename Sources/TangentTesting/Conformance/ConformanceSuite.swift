import Foundation
import Tangent

/// Runs golden files: reads them, finds duplicate ids, runs each case and collects reports.
///
/// An op's misuse check stops the process (`fatalError`), and some misuse cannot be validated
/// before the call (an argument only the op interprets). ``runIsolated(file:selected:seen:worker:)``
/// therefore runs a file's cases in a worker process (`tangent conformance --worker`) that
/// prints a line before and after each case. When the worker dies, the supervisor reports the
/// case it was on as crashed, with the first line of its error output, and starts a new worker
/// after that case. A file costs one process start, plus one per crash.
public enum ConformanceSuite {
  /// The cases of a golden file `{"meta": …, "cases": [...]}`; throws
  /// ``ConformanceError/malformed(_:)`` for a file that is not readable or not in that format.
  public static func cases(in url: URL) throws -> [JSONValue] {
    let data: Data
    do { data = try Data(contentsOf: url) } catch { throw ConformanceError.malformed("cannot read \(url.lastPathComponent)") }
    let json = try JSONValue.parse(data)
    guard let list = json["cases"]?.array else { throw ConformanceError.malformed("no \"cases\" list") }
    return list
  }

  /// The indices of the cases whose op is `op` and whose id is `id` (nil: any). A case that is
  /// not an object is selected when no filter is given, to be reported as malformed.
  public static func select(_ cases: [JSONValue], op: String?, id: String? = nil) -> [Int] {
    cases.indices.filter { i in
      if op == nil && id == nil { return true }
      guard case .object = cases[i] else { return false }
      return (op == nil || cases[i]["op"]?.string == op) && (id == nil || cases[i]["id"]?.string == id)
    }
  }

  /// The report for a case that cannot run: not in the golden format, or a duplicate of an id
  /// in `seen` (the id is inserted otherwise). `nil` when the case should run.
  public static func precheck(_ json: JSONValue, seen: inout Set<String>) -> CaseReport? {
    let id = json["id"]?.string ?? "?"
    let op = json["op"]?.string ?? "?"
    if let problem = ConformanceRunner.formatProblem(json) {
      return CaseReport(id: id, op: op, outcome: .malformed, message: "\(id): malformed: \(problem)")
    }
    guard seen.insert(id).inserted else {
      return CaseReport(id: id, op: op, outcome: .duplicate, message: "\(id): duplicate id; this case is not run")
    }
    return nil
  }

  /// Runs the `selected` cases in this process, in order. A case that trips an op's misuse check
  /// stops the process; use ``runIsolated(file:selected:seen:worker:)`` to survive it.
  public static func runInProcess(_ cases: [JSONValue], selected: [Int], seen: inout Set<String>) -> [CaseReport] {
    selected.map { i in precheck(cases[i], seen: &seen) ?? ConformanceRunner.run(cases[i]) }
  }

  /// The protocol lines a worker prints on standard output.
  enum WorkerLine {
    static let begin = "case-begin "
    static let report = "case-report "
  }

  /// The worker side: runs the `selected` cases of `cases` from position `start` on, printing
  /// `case-begin <index>` before each and `case-report <JSON>` after it, flushed, so that a
  /// supervisor knows which case stopped the process. Duplicates are judged within the file
  /// (the supervisor judges them across files).
  public static func work(_ cases: [JSONValue], selected: [Int], start: Int) {
    var seen = Set<String>()
    let encoder = JSONEncoder()
    for (position, i) in selected.enumerated() {
      let early = precheck(cases[i], seen: &seen)
      guard position >= start else { continue }
      emit(WorkerLine.begin + "\(i)")
      let report = early ?? ConformanceRunner.run(cases[i])
      let text = (try? encoder.encode(report)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
      emit(WorkerLine.report + text)
    }
  }

  static func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
  }

  /// Runs the `selected` cases of the golden file at `file` in worker processes and returns one
  /// report per selected case, in order. `worker` is the executable and the arguments that run
  /// ``work(_:selected:start:)`` on a file from a start position: the supervisor appends the
  /// file's path and `--start <position>`. A case whose id is in `seen` (from earlier files)
  /// is reported as a duplicate; the ids of this file are added.
  public static func runIsolated(
    file: URL, selected: [Int], cases: [JSONValue], seen: inout Set<String>, worker: (URL, [String])
  ) -> [CaseReport] {
    var byIndex: [Int: CaseReport] = [:]
    var start = 0
    while start < selected.count {
      let (lines, errorText, status) = runWorker(worker, file: file, start: start)
      var current: Int?
      for line in lines {
        if line.hasPrefix(WorkerLine.begin), let i = Int(line.dropFirst(WorkerLine.begin.count)) {
          current = i
        } else if line.hasPrefix(WorkerLine.report),
          let report = try? JSONDecoder().decode(CaseReport.self, from: Data(line.dropFirst(WorkerLine.report.count).utf8)),
          let i = current
        {
          byIndex[i] = report
          current = nil
        }
      }
      let done = selected.lastIndex { byIndex[$0] != nil }.map { $0 + 1 } ?? start
      if done >= selected.count { break }
      // The worker stopped early: the case it began without a report crashed.
      let crashedPosition = current.flatMap { selected.firstIndex(of: $0) } ?? done
      let i = selected[crashedPosition]
      let id = cases[i]["id"]?.string ?? "?"
      let why = firstErrorLine(errorText) ?? "the worker exited with status \(status) and no message"
      byIndex[i] = CaseReport(id: id, op: cases[i]["op"]?.string ?? "?", outcome: .crashed, message: "\(id): crashed: \(why)")
      start = crashedPosition + 1
    }
    var seenHere = Set<String>()
    let reports = selected.map { i -> CaseReport in
      var report = byIndex[i]
        ?? CaseReport(id: cases[i]["id"]?.string ?? "?", op: cases[i]["op"]?.string ?? "?", outcome: .crashed,
                      message: "no report from the worker")
      if report.outcome != .malformed, report.outcome != .duplicate {
        // Across files: an id seen in an earlier file makes this case a duplicate.
        if seen.contains(report.id) && !seenHere.contains(report.id) {
          report = CaseReport(id: report.id, op: report.op, outcome: .duplicate, message: "\(report.id): duplicate id (used in an earlier file); its result is not counted")
        }
        seenHere.insert(report.id)
      }
      return report
    }
    seen.formUnion(seenHere)
    return reports
  }

  /// Runs one worker to its end; returns its standard output lines, its error output and its
  /// exit status. Standard error goes to a temporary file, so a long message cannot block it.
  static func runWorker(_ worker: (URL, [String]), file: URL, start: Int) -> ([String], String, Int32) {
    let process = Process()
    process.executableURL = worker.0
    process.arguments = worker.1 + [file.path, "--start", "\(start)"]
    var environment = ProcessInfo.processInfo.environment
    environment["SWIFT_BACKTRACE"] = "enable=no"  // the message, not a backtrace
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    let errorURL = FileManager.default.temporaryDirectory.appendingPathComponent("tangent-conformance-\(UUID().uuidString).err")
    defer { try? FileManager.default.removeItem(at: errorURL) }
    guard FileManager.default.createFile(atPath: errorURL.path, contents: nil),
      let errorHandle = try? FileHandle(forWritingTo: errorURL)
    else { return ([], "cannot create \(errorURL.path)", -1) }
    process.standardError = errorHandle
    do { try process.run() } catch { return ([], "cannot start \(worker.0.path): \(error)", -1) }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try? errorHandle.close()
    let errorText = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    return (lines, errorText, process.terminationStatus)
  }

  /// The line of a worker's error output that says why it stopped: the `Fatal error` line of
  /// a misuse check when there is one, else the first non-empty line.
  static func firstErrorLine(_ text: String) -> String? {
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    if let fatal = lines.first(where: { $0.contains("Fatal error") }) {
      // "…/Check.swift:12: Fatal error: op: message" → "op: message"
      if let range = fatal.range(of: "Fatal error: ") { return String(fatal[range.upperBound...]) }
      return fatal
    }
    return lines.first
  }
}
