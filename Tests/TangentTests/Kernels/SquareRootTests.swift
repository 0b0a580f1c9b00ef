import Testing

@testable import Tangent

/// `VectorMath.squareRoot` (the bare instruction, which vectorises) gives the same bits as the
/// C library's `sqrt` behind `squareRoot()`, on every class of input, in both precisions, and
/// through the `sqrt`/`rsqrt` ops and their vector lanes.
@Suite struct SquareRootTests {
  static func check<T: RealScalar>(_: T.Type, _ values: [T]) {
    for x in values {
      let r = VectorMath.squareRoot(x), e = x.squareRoot()
      #expect(r == e && r.sign == e.sign || (r.isNaN && e.isNaN), "\(T.self) sqrt(\(x)): \(r) vs \(e)")
    }
    var lanes = SIMD8<T>()
    for k in 0..<8 { lanes[k] = values[k % values.count] }
    let v = VectorMath.squareRoot(lanes)
    for k in 0..<8 { #expect(v[k].isNaN ? lanes[k].squareRoot().isNaN : v[k] == lanes[k].squareRoot()) }
  }

  @Test func equalsTheLibraryBitForBit() {
    var rng = SplitMix(seed: 5)
    let special: [Double] = [0, -0.0, 1, 2, 4, .infinity, -.infinity, .nan, -1, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude]
    let random = (0..<2000).map { _ in Double(bitPattern: rng.next() & 0x7FFF_FFFF_FFFF_FFFF) }
    Self.check(Double.self, special + random)
    Self.check(Float.self, special.map { Float($0) } + random.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0.bitPattern >> 32) & 0x7FFF_FFFF) })
  }

  @Test func sqrtAndRsqrtOps() {
    let x = Tensor((0..<37).map { Double($0) * 0.37 })
    #expect(x.sqrt().doubles == x.doubles.map { $0.squareRoot() })
    #expect(x.rsqrt().doubles == x.doubles.map { 1 / $0.squareRoot() })
    let f = x.converted(to: .float32)
    #expect(f.sqrt().scalars(as: Float.self) == f.scalars(as: Float.self).map { $0.squareRoot() })
  }
}
