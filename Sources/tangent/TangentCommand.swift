import ArgumentParser
import Tangent

@main
struct TangentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tangent",
    abstract: "Tangent: tensors with forward- and reverse-mode automatic differentiation.",
    subcommands: [Demo.self, Bench.self])
}

struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "A short tour of what Tangent does today.")
  func run() {
    let x: Tensor = Tensor(shape: [2, 2], scalars: [1.0, 2.0, 3.0, 4.0])
    print((x.exp() * 2).sum().scalar)
  }
}
