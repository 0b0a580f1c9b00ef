import Testing
import Tangent
import TangentTesting

/// Sparsity detection over the whole op database, in float64 and complex128: the detected
/// Jacobian (global and local) and Hessian patterns contain every nonzero of the true ones at
/// the samples' random points.
@Suite struct SparsityDatabaseTests {
  static let names: [String] = OpDatabase.all.filter { $0.dtypes.contains(.float64) && $0.modes.contains(.forward) }.map(\.name)

  /// Records whose rules must be exact (tightness 1): elementwise, views, reductions, products.
  static let tight: Set<String> = [
    "sin", "exp", "tanh", "add", "sub", "mul", "div", "pow", "reshape", "permute", "transpose", "flipped", "roll",
    "narrowed", "sliced", "select", "cat", "stack", "sum", "mean", "logSumExp", "softmax", "cumsum", "matmul", "mm",
    "bmm", "expand", "squeezed", "unsqueezed", "indexSelect", "gather",
  ]

  @Test(arguments: names)
  func detectionIsSound(name: String) {
    let record = OpDatabase.all.first { $0.name == name }!
    var rng = TestRandom(seed: UInt64(name.utf8.reduce(13) { $0 &* 31 &+ Int($1) }.magnitude))
    for r in record.sparsityCheck(rng: &rng) {
      #expect(r.isSound, "\(name) \(r)")
      // A sample whose Jacobian vanishes at the point (x⁰, softmax of one element) has no
      // tightness to check.
      if Self.tight.contains(name), r.actual > 0 {
        #expect(r.tightness == 1, "\(name) should be tight: \(r)")
        #expect(r.fallbacks.isEmpty, "\(name) should not fall back: \(r)")
      }
    }
  }

  static let complexNames: [String] = OpDatabase.all.filter { $0.dtypes.contains(.complex128) && $0.modes.contains(.forward) }.map(\.name)

  /// complex128: the Jacobian pattern over complex inputs holds every dependency of either
  /// part of an output on either part of an input.
  @Test(arguments: complexNames)
  func detectionIsSoundForComplex(name: String) {
    let record = OpDatabase.all.first { $0.name == name }!
    var rng = TestRandom(seed: UInt64(name.utf8.reduce(17) { $0 &* 31 &+ Int($1) }.magnitude))
    for r in record.sparsityCheck(dtype: .complex128, rng: &rng) {
      #expect(r.isSound, "\(name) complex128 \(r)")
    }
  }

  /// The tight list names real records.
  @Test func tightListNamesRecords() {
    for n in Self.tight { #expect(Self.names.contains(n), "\(n) is not an op-database record with forward mode") }
  }
}
