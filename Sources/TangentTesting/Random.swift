import Tangent

/// A small, seedable generator (SplitMix64) for test inputs: the same seed gives the same
/// numbers on every machine.
public struct TestRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// A generator seeded with `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform double in [lo, hi).
  public mutating func uniform(_ lo: Double = -1, _ hi: Double = 1) -> Double {
    lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)
  }

  /// A tensor of `shape` and floating `dtype` with entries uniform in [lo, hi) (real and
  /// imaginary parts independently for complex dtypes).
  public mutating func tensor(_ shape: [Int], dtype: DType = .float64, in range: ClosedRange<Double> = -1...1) -> Tensor {
    let n = shape.reduce(1, *)
    if dtype.isComplex {
      let z = (0..<n).map { _ in Complex(uniform(range.lowerBound, range.upperBound), uniform(range.lowerBound, range.upperBound)) }
      return Tensor(shape: shape, scalars: z).converted(to: dtype)
    }
    let v = (0..<n).map { _ in uniform(range.lowerBound, range.upperBound) }
    return Tensor(shape: shape, scalars: v).converted(to: dtype)
  }
}
