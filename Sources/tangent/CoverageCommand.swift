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

  func run() {
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
