import ArgumentParser
import Foundation
import Tangent

/// `tangent misuse CASE` (hidden): runs one deliberate misuse of the library, which must stop
/// the process with a message naming the op and the shapes or values, in every build.
///
/// The release-build message test (`ReleaseMisuseTests`) runs each case as a subprocess of
/// `.build/release/tangent` and checks the exit status and the text on stderr: Swift's
/// `precondition` prints nothing under `-O`, so only a release binary shows whether a check
/// really keeps its message. `tangent misuse --list` prints the case names.
struct Misuse: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run one deliberate misuse (for the release-build message test).", shouldDisplay: false)

  @Argument(help: "The case to run (see --list).")
  var name: String?

  @Flag(help: "List the cases, one per line.")
  var list = false

  func validate() throws {
    if !list && name == nil { throw ValidationError("give a case name, or --list") }
    if let name, MisuseCases.all[name] == nil {
      throw ValidationError("unknown case '\(name)'; `tangent misuse --list` prints the cases")
    }
  }

  func run() {
    if list {
      for name in MisuseCases.all.keys.sorted() { print(name) }
      return
    }
    let body = MisuseCases.all[name!]!
    let result = body()
    // Reaching here means the misuse went unnoticed: say so, and fail.
    FileHandle.standardError.write(Data("misuse \(name!): no error; the result was \(result)\n".utf8))
    Foundation.exit(3)
  }
}

/// The misuse cases: each returns a description of its result, which it should never reach.
enum MisuseCases {
  static let all: [String: @Sendable () -> String] = [
    "broadcast-add": { "\(Tensor.zeros([3, 4]) + Tensor.zeros([5]))" },
    "matmul-inner": { "\(Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5])))" },
    "reshape-count": { "\(Tensor.zeros([2, 3]).reshaped([4]))" },
    "leaked-dual": {
      let leaked = withDualLevel { level in Tensor([1.0, 2.0]).dual(tangent: Tensor([1.0, 0.0]), at: level) }
      return "\(leaked * 2)"
    },
    "jvp-tangent-shape": { "\(jvp(of: { $0.sin() }, at: Tensor.zeros([3]), along: Tensor.zeros([4])))" },
    "gradient-nonscalar": { "\(gradient(of: { $0 * 2 }, at: Tensor.zeros([3])))" },
    "hessian-nonscalar": { "\(hessian(of: { $0 * $0 }, at: Tensor.zeros([3])))" },
    "jvp-int64": {
      let x = Tensor([1, 2, 3] as [Int64])
      return "\(jvp(of: { $0 * 2 }, at: x, along: x))"
    },
    "lu-solve-pivots": {
      let a = Tensor.eye(3) * 2
      return "\(Linalg.luSolve(a, Tensor([1, 99, -5] as [Int64]), Tensor.ones([3, 1])))"
    },
    "lu-unpack-pivots": { "\(Linalg.luUnpack(Tensor.eye(3), Tensor([4, 2, 3] as [Int64])))" },
    "zeros-overflow": { "\(Tensor.zeros([1 << 40, 1 << 40]).shape)" },
    "zeros-negative": { "\(Tensor.zeros([2, -3]).shape)" },
    "convert-nan": { "\(Tensor([1.0, .nan]).converted(to: .int64))" },
    "convert-infinity": { "\(Tensor([Float.infinity]).converted(to: .int64))" },
    "arange-nonfinite": { "\(Tensor.arange(0, .infinity))" },
    "arange-zero-step": { "\(Tensor.arange(0, 5, step: 0))" },
    "gather-index": { "\(Tensor.zeros([2, 3]).gather(dim: 1, index: Tensor(shape: [1, 1], scalars: [7] as [Int64])))" },
    "index-select-index": { "\(Tensor.zeros([2, 3]).indexSelect(dim: 0, index: Tensor([2] as [Int64])))" },
    "as-strided-reach": { "\(Tensor.zeros([4]).asStrided(size: [2], stride: [4]))" },
  ]
}
