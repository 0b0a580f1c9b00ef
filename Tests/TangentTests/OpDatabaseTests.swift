import Testing
import Tangent
import TangentTesting

/// Runs the generic checks on every record of the op database, for every dtype it supports.
@Suite struct OpDatabaseTests {
  static let cases: [(String, DType)] = OpDatabase.all.flatMap { r in r.dtypes.sorted { $0.rawValue < $1.rawValue }.map { (r.name, $0) } }

  /// The records with edge-shape samples (0-d, empty, size-1), with each dtype.
  static let edgeCases: [(String, DType)] = OpDatabase.all.filter { $0.edgeSamples != nil }.flatMap { r in
    r.dtypes.sorted { $0.rawValue < $1.rawValue }.map { (r.name, $0) }
  }

  @Test(arguments: cases)
  func genericChecks(name: String, dtype: DType) {
    let record = OpDatabase.all.first { $0.name == name }!
    var rng = TestRandom(seed: UInt64(name.utf8.reduce(7) { $0 &* 31 &+ Int($1) }.magnitude))
    Self.check(record, dtype: dtype, samples: record.samples(dtype, &rng))
  }

  /// The edge-shape suite: every generic check on the 0-d, empty and size-1 variants.
  @Test(arguments: edgeCases)
  func edgeChecks(name: String, dtype: DType) {
    let record = OpDatabase.all.first { $0.name == name }!
    var rng = TestRandom(seed: UInt64(name.utf8.reduce(11) { $0 &* 31 &+ Int($1) }.magnitude))
    let samples = record.edgeSamples!(dtype, &rng)
    #expect(!samples.isEmpty, "\(name) declares edge samples but yields none")
    Self.check(record, dtype: dtype, samples: samples)
  }

  /// Most records carry edge samples; the families derive them.
  @Test func edgeSuiteCoversTheFamilies() {
    let covered = OpDatabase.all.filter { $0.edgeSamples != nil }
    #expect(covered.count >= 270, "only \(covered.count) of \(OpDatabase.all.count) records have edge samples")
    for name in [
      "sin", "add", "sum", "mean", "var", "amax", "cumsum", "softmax", "indexSelect", "indexFill", "chunked", "Linalg.cond",
      "clamp", "Linalg.inv", "Linalg.householderProduct", "Linalg.vander",
    ] {
      #expect(covered.contains { $0.name == name }, "\(name) has no edge samples")
    }
  }

  /// The generic checks of one record on some samples.
  static func check(_ record: OpInfo, dtype: DType, samples: [OpSample]) {
    let name = record.name
    var options = GradcheckOptions()
    options.checkForward = record.modes.contains(.forward)
    options.checkReverse = record.modes.contains(.reverse)
    options.checkChunked = record.modes.contains(.chunked)
    options.checkForwardOverReverse = record.modes.contains(.forwardOverReverse)
    options.checkForwardOverForward = record.modes.contains(.forwardOverForward)
    options.checkThirdOrder = record.modes.contains(.forwardOverReverse)
    if let t = record.tolerance {
      options.atol = t.atol
      options.rtol = t.rtol
    }
    for sample in samples {
      let result = gradcheck(sample.call, at: sample.inputs, options: options)
      #expect(result.passed, "\(name) \(dtype) \(sample.label): \(result)")
      // Non-contiguous inputs give the same values as contiguous ones.
      let strided = sample.inputs.map { $0.rank >= 2 ? $0.transposed().contiguousCopy().transposed() : $0 }
      let a = sample.call(sample.inputs), b = sample.call(strided)
      // Reductions may add in another order, so compare to rounding error, not bitwise.
      for (x, y) in zip(a, b) {
        for (p, q) in zip(x.complexDoubles, y.complexDoubles) {
          #expect((p - q).length <= 1e-13 * (1 + q.length), "\(name) \(sample.label): layout changed the value")
        }
      }
    }
  }

  @Test func recordsHaveUniqueNames() {
    let names = OpDatabase.all.map(\.name)
    #expect(Set(names).count == names.count)
  }

  @Test func torchNamesAnswerOneRecord() {
    var owner: [String: String] = [:]
    for r in OpDatabase.all {
      for n in r.torchNames {
        #expect(owner[n] == nil, "\(n) is claimed by \(owner[n] ?? "") and \(r.name)")
        owner[n] = r.name
      }
    }
  }

  @Test func everyRecordHasSamplesAndAGoldenAdapter() {
    for r in OpDatabase.all {
      var rng = TestRandom(seed: 1)
      #expect(r.golden != nil, "\(r.name) has no golden adapter")
      for dtype in r.dtypes { #expect(!r.samples(dtype, &rng).isEmpty, "\(r.name) has no \(dtype) samples") }
      if r.modes != .all { #expect(!r.limits.isEmpty, "\(r.name) lacks modes without saying why in limits") }
    }
  }
}
