import ArgumentParser
import Tangent

#if canImport(Glibc)
  import Glibc
#endif

/// The `tangent` command: the tour, the conformance run, coverage and benchmarks.
@main
struct TangentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tangent",
    abstract: "Tangent: tensors with forward- and reverse-mode automatic differentiation.",
    subcommands: [Demo.self, Conformance.self, Coverage.self, Bench.self])

  /// Runs the command, first re-executing itself with a better `OPENBLAS_CORETYPE` when
  /// OpenBLAS does not know this CPU (see ``BLASInfo/recommendedCoreType``). A variable the
  /// user set, even to an empty value, is left alone.
  static func main() {
    #if canImport(Glibc)
      if getenv("OPENBLAS_CORETYPE") == nil, let core = BLASInfo.recommendedCoreType {
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv returns only on failure: go on with OpenBLAS's own choice.
      }
    #endif
    main(nil)
  }
}
