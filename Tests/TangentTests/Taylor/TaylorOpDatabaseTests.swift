import Testing
import TangentTesting

@testable import Tangent

/// Taylor mode on every record of the op database, in float64 (and complex128 where the
/// record has it): the jet coefficients up to
/// order 4, along a curve with all four terms random, equal nested `jvp` (forward-over-forward)
/// of the op along the same curve. Records that fall back to the generic rule must pass too;
/// each run prints one `taylor-record` line (fast or fallback, with the ops that fell back).
@Suite struct TaylorOpDatabaseTests {
  static let order = 4

  /// Records with float64 samples whose forward-over-forward derivatives exist (the reference).
  static let names: [String] = OpDatabase.all.filter {
    $0.dtypes.contains(.float64) && $0.modes.contains(.forwardOverForward)
  }.map(\.name)

  /// The records left out lack float64 or forward-over-forward (each says why in its limits).
  @Test func coversTheRecordsWithAReference() {
    let left = OpDatabase.all.filter { !Self.names.contains($0.name) }
    #expect(Self.names.count >= 400, "only \(Self.names.count) records run in Taylor mode")
    for r in left { #expect(!r.limits.isEmpty || !r.dtypes.contains(.float64), "\(r.name) is left out without a reason") }
    print("taylor-coverage: \(Self.names.count) of \(OpDatabase.all.count) records; left out: \(left.map(\.name).sorted())")
  }

  /// The records with complex128 samples, checked the same way (complex Taylor rules).
  static let complexNames: [String] = OpDatabase.all.filter {
    $0.dtypes.contains(.complex128) && $0.modes.contains(.forwardOverForward)
  }.map(\.name)

  @Test(arguments: names)
  func jetEqualsNestedJVP(name: String) {
    Self.check(name: name, dtype: .float64)
  }

  @Test(arguments: complexNames)
  func complexJetEqualsNestedJVP(name: String) {
    Self.check(name: name, dtype: .complex128)
  }

  /// One record in one dtype.
  static func check(name: String, dtype: DType) {
    let record = OpDatabase.all.first { $0.name == name }!
    var rng = TestRandom(seed: UInt64(name.utf8.reduce(13) { $0 &* 31 &+ Int($1) }.magnitude))
    var fellBack: Set<String> = []
    // The first two samples: the reference costs 2⁴ passes of nested duals.
    for sample in record.samples(dtype, &rng).prefix(2) {
      let floating = sample.inputs.indices.filter { sample.inputs[$0].dtype.isFloatingPoint }
      guard !floating.isEmpty else { continue }
      let call = { (xs: [Tensor]) -> [Tensor] in
        var inputs = sample.inputs
        for (i, x) in zip(floating, xs) { inputs[i] = x }
        return sample.call(inputs)
      }
      let x = floating.map { sample.inputs[$0] }
      let series = (0..<Self.order).map { _ in x.map { rng.tensor($0.shape, dtype: $0.dtype) } }
      let ((value, out), fallbacks) = TaylorMode.recordingFallbacks { jet(of: call, at: x, series: series) }
      fellBack.formUnion(fallbacks)
      let reference = nestedJVPDerivatives(of: call, at: x, series: series)
      let tolerance = max(1e-9, record.tolerance?.rtol ?? 0)
      #expect(relativeError(value, reference[0]) <= 1e-14, "\(name) \(sample.label): the value")
      for k in 1...Self.order {
        let e = relativeError(out[k - 1], reference[k])
        #expect(e <= tolerance, "\(name) \(sample.label): order \(k), relative error \(e)")
      }
    }
    print("taylor-record \(dtype) \(name): \(fellBack.isEmpty ? "fast" : "fallback \(fellBack.sorted())")")
  }
}
