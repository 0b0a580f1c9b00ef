import Foundation
import Testing

/// The release-build message test (issue 10, defect 1): every misuse must stop with a message
/// naming the op and the shapes or values, in a release build too, where Swift's
/// `precondition` prints nothing.
///
/// Each case runs `.build/release/tangent misuse CASE` as a subprocess with Swift's backtracer
/// off (its stack trace names functions, which can make a message look present when it is
/// not), and checks that the process failed and that stderr holds the expected text.
///
/// `make test` builds the release binary first. Without it these tests fail and say how to
/// build it, unless the environment sets `TANGENT_SKIP_RELEASE_TESTS=1`.
@Suite struct ReleaseMisuseTests {
  /// The case names of `tangent misuse`, each with texts its message must contain.
  static let cases: [(name: String, expected: [String])] = [
    ("broadcast-add", ["add: shapes [3, 4] and [5] do not broadcast"]),
    ("matmul-inner", ["matmul: inner dimensions differ: [2, 3] @ [4, 5]"]),
    ("reshape-count", ["reshape: shape [4] is invalid for a tensor of 6 elements (shape [2, 3])"]),
    ("leaked-dual", ["mul: an input carries a tangent of dual level", "leaked out of its withDualLevel"]),
    ("jvp-tangent-shape", ["tangent of shape [4]", "primal of shape [3]"]),
    ("gradient-nonscalar", ["gradient: the function must return a single element, got shape [3]"]),
    ("hessian-nonscalar", ["hessian: the function must return a single element, got shape [3]"]),
    ("jvp-int64", ["only floating tensors can carry tangents, got int64"]),
    ("lu-solve-pivots", ["Linalg.luSolve: pivot 99 at position 2 of batch 0 is out of range 1...3"]),
    ("lu-unpack-pivots", ["Linalg.luUnpack: pivot 4 at position 1 of batch 0 is out of range 1...3"]),
    ("zeros-overflow", ["zeros: shape [1099511627776, 1099511627776] has more elements than Int can count"]),
    ("zeros-negative", ["zeros: negative dimension -3 in shape [2, -3]"]),
    ("convert-nan", ["converted(to: int64): nan has no int64 value"]),
    ("convert-infinity", ["converted(to: int64): inf has no int64 value"]),
    ("arange-nonfinite", ["arange: start, end and step must be finite, got 0.0..<inf step 1.0"]),
    ("arange-zero-step", ["arange: step must be non-zero"]),
    ("gather-index", ["gather: index 7 is out of range for dimension 1 of size 3"]),
    ("index-select-index", ["indexSelect: index 2 is out of range for dimension 0 of size 2"]),
    ("as-strided-reach", ["asStrided: size [2], stride [4] and offset 0 reach element 4, past the 4 elements of shape [4]"]),
  ]

  /// The package root.
  static let root = RepositoryFiles.root

  /// The release binary, or `nil` when it was not built: `TANGENT_RELEASE_BINARY` (relative
  /// to the package root; `make test` builds it in .build-release), else the first of
  /// .build-release/release/tangent and .build/release/tangent that exists.
  static var binary: URL? {
    let candidates = [ProcessInfo.processInfo.environment["TANGENT_RELEASE_BINARY"]].compactMap { $0 }
      + [".build-release/release/tangent", ".build/release/tangent"]
    return candidates.lazy.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : root.appendingPathComponent($0) }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  static var skipped: Bool { ProcessInfo.processInfo.environment["TANGENT_SKIP_RELEASE_TESTS"] == "1" }

  /// Runs `tangent` with `arguments`; returns the exit status, whether it ended by a signal,
  /// stdout and stderr.
  static func run(_ binary: URL, _ arguments: [String]) throws -> (status: Int32, signaled: Bool, out: String, err: String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["SWIFT_BACKTRACE"] = "enable=no"
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting, so a full pipe cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, process.terminationReason == .uncaughtSignal,
      String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self)
    )
  }

  /// The release binary, or a recorded failure saying how to build it (`nil` when skipped).
  static func requireBinary() -> URL? {
    if let binary { return binary }
    if !skipped {
      Issue.record(
        """
        .build/release/tangent is missing: run `make test`, or `swift build -c release --product tangent` \
        before `swift test` (set TANGENT_SKIP_RELEASE_TESTS=1 to skip the release-build message test)
        """)
    }
    return nil
  }

  @Test func theCaseListMatchesTheBinary() throws {
    guard let binary = Self.requireBinary() else { return }
    let r = try Self.run(binary, ["misuse", "--list"])
    #expect(r.status == 0 && !r.signaled, "\(r.err)")
    let listed = Set(r.out.split(separator: "\n").map(String.init))
    #expect(listed == Set(Self.cases.map(\.name)), "the binary lists \(listed.sorted()); rebuild it with `make test`")
  }

  @Test(arguments: ReleaseMisuseTests.cases.map(\.name))
  func misuseStopsWithItsMessage(_ name: String) throws {
    guard let binary = Self.requireBinary() else { return }
    let expected = Self.cases.first { $0.name == name }!.expected
    let r = try Self.run(binary, ["misuse", name])
    // A misuse stops the process with a trap (a signal); exit status 3 means it went unnoticed.
    #expect(r.signaled, "misuse \(name) did not stop with a trap (status \(r.status)): \(r.err)")
    for text in expected {
      #expect(r.err.contains(text), "misuse \(name): stderr lacks \"\(text)\":\n\(r.err)")
    }
  }
}
