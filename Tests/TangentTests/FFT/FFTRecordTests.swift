import Tangent
import TangentTesting
import Testing

/// The generic op-database checks of the `torch.fft` records (also run by `OpDatabaseTests`),
/// so that `--filter FFT` covers them.
@Suite struct FFTRecordTests {
  static let records = OpDatabase.all.filter { $0.torchNames.contains { $0.hasPrefix("fft.") } }
  static let cases: [(String, DType)] = records.flatMap { r in r.dtypes.sorted { $0.rawValue < $1.rawValue }.map { (r.name, $0) } }

  @Test func everyTransformHasARecord() {
    let names = Set(Self.records.flatMap(\.torchNames))
    for f in ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn", "hfft2", "ihfft2", "hfftn", "ihfftn", "fftshift", "ifftshift"] {
      #expect(names.contains("fft.\(f)"), "no record for fft.\(f)")
    }
  }

  @Test(arguments: cases)
  func genericChecks(name: String, dtype: DType) {
    let record = Self.records.first { $0.name == name }!
    var rng = TestRandom(seed: UInt64(name.utf8.reduce(7) { $0 &* 31 &+ Int($1) }.magnitude))
    // The edge-shape samples too (size-1 transforms, empty batches), where the record has them.
    for sample in record.samples(dtype, &rng) + (record.edgeSamples?(dtype, &rng) ?? []) {
      let result = gradcheck(sample.call, at: sample.inputs)
      #expect(result.passed, "\(name) \(dtype) \(sample.label): \(result)")
      let strided = sample.inputs.map { $0.rank >= 2 ? $0.transposed().contiguousCopy().transposed() : $0 }
      for (x, y) in zip(sample.call(sample.inputs), sample.call(strided)) {
        #expect(x.complexDoubles == y.complexDoubles, "\(name) \(sample.label): layout changed the value")
      }
    }
  }
}
