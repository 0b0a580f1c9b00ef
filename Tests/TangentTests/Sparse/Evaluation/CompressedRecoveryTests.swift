import ComplexModule
import Testing
import TangentTesting
@testable import Tangent

/// The gathers of ``CompressedRecovery`` (32-bit indices): each nonzero is the output element
/// its source names, written where its target says, in every scalar type.
@Suite struct CompressedRecoveryTests {
  /// A scattered read of `count` elements out of `size`, every element once at most.
  func sources(_ count: Int, of size: Int) -> [Int] { (0..<count).map { ($0 * 7919) % size } }

  func gathered<Scalar: FloatingScalar>(
    _ gather: CompressedRecovery.Gather, _ output: Tensor, count: Int, conjugate: Bool = false, as _: Scalar.Type
  ) -> [Scalar] {
    [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
      buffer.initialize(repeating: Scalar.zero)
      CompressedRecovery.apply(gather, from: output, into: buffer.baseAddress!, conjugate: conjugate)
      initialized = count
    }
  }

  /// Without targets, in order; large enough to split across cores; from a strided output.
  @Test func gatherInOrder() {
    let n = 40_000, size = 3 * 20_011
    let output = (Tensor.arange(0, Double(size), dtype: .float64) * 0.5).reshaped([20_011, 3])
    let flat = output.transposed()  // [3, 20011], not contiguous: read as a row-major copy
    let src = sources(n, of: size)
    let g = CompressedRecovery.Gather(targets: nil, sources: src, op: "test")
    #expect(g.targets == nil && g.sources.count == n)
    let values = flat.contiguous().doubles
    #expect(gathered(g, flat, count: n, as: Double.self) == src.map { values[$0] })
    let single = flat.converted(to: .float32)
    #expect(gathered(g, single, count: n, as: Float.self) == src.map { Float(values[$0]) })
  }

  /// With targets, only the targets are written.
  @Test func gatherIntoTargets() {
    let count = 50, size = 64
    let output = Tensor.arange(1, Double(size + 1), dtype: .float64).reshaped([2, 32])
    let targets = Array(stride(from: 1, to: count, by: 3))
    let src = sources(targets.count, of: size)
    let got = gathered(CompressedRecovery.Gather(targets: targets, sources: src, op: "test"), output, count: count, as: Double.self)
    var want = [Double](repeating: 0, count: count)
    for (t, s) in zip(targets, src) { want[t] = Double(s + 1) }
    #expect(got == want)
  }

  /// Complex products: conjugated when asked (a reverse pass of a complex function).
  @Test func complexGathers() {
    let size = 12
    let output = Tensor(shape: [size], scalars: (0..<size).map { Complex(Double($0), Double(-2 * $0 - 1)) })
    let src = sources(9, of: size)
    let targets = [0, 1, 2, 4, 5, 6, 8, 9, 10]
    for conjugate in [false, true] {
      for t in [nil, targets] {
        let got = gathered(
          CompressedRecovery.Gather(targets: t, sources: src, op: "test"), output, count: 11, conjugate: conjugate,
          as: Complex<Double>.self)
        var want = [Complex<Double>](repeating: .zero, count: 11)
        for (k, s) in src.enumerated() {
          let v = Complex(Double(s), Double(-2 * s - 1))
          want[t?[k] ?? k] = conjugate ? v.conjugate : v
        }
        #expect(got == want, "conjugate \(conjugate), targets \(t != nil)")
      }
    }
  }

  @Test func indicesBeyond32BitsStop() async {
    await #expect(processExitsWith: .failure) {
      _ = CompressedRecovery.Gather(targets: nil, sources: [0, 1 << 31], op: "test")
    }
  }
}
