import ArgumentParser
import Tangent

/// The `tangent` command: the tour, the conformance run, coverage and benchmarks.
@main
struct TangentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tangent",
    abstract: "Tangent: tensors with forward- and reverse-mode automatic differentiation.",
    subcommands: [Demo.self, Conformance.self, Coverage.self, Bench.self, Misuse.self])
}
