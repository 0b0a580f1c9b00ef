import ComplexModule
import RealModule

/// A seedable random number generator (xoshiro256**, seeded through SplitMix64) that gives
/// identical numbers on every machine and every Swift version for a given seed.
///
/// Pass it to ``Tensor/rand(_:dtype:using:)``, ``Tensor/randn(_:dtype:using:)`` and
/// ``Tensor/randint(_:_:_:dtype:using:)``, whose algorithms are also fixed and use only IEEE
/// arithmetic (no platform math library), so a seed reproduces a tensor bit for bit:
///
/// ```swift
/// var g = SeededGenerator(seed: 42)
/// let x = Tensor.randn([3, 4], using: &g)
/// ```
///
/// Like PyTorch's `torch.Generator().manual_seed(s)`, though the streams differ from PyTorch's.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
  private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

  /// A generator whose state is expanded from `seed` by SplitMix64 (any seed, including 0, is fine).
  public init(seed: UInt64) {
    var x = seed
    func splitMix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix()
    s1 = splitMix()
    s2 = splitMix()
    s3 = splitMix()
  }

  /// A generator with the raw xoshiro256** state (for checking against reference vectors).
  init(state: (UInt64, UInt64, UInt64, UInt64)) {
    (s0, s1, s2, s3) = state
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// The fixed sampling algorithms behind the random tensor constructors.
enum Sampling {
  /// A uniform double in [0, 1): the top 53 bits of one draw.
  @inline(__always) static func unit<G: RandomNumberGenerator>(_ g: inout G) -> Double {
    Double(g.next() >> 11) * 0x1p-53
  }

  /// A uniform float in [0, 1): the top 24 bits of one draw.
  @inline(__always) static func unitFloat<G: RandomNumberGenerator>(_ g: inout G) -> Float {
    Float(g.next() >> 40) * 0x1p-24
  }

  /// Two independent standard normal samples by Marsaglia's polar method.
  static func normalPair<G: RandomNumberGenerator>(_ g: inout G) -> (Double, Double) {
    while true {
      let u = 2 * unit(&g) - 1, v = 2 * unit(&g) - 1
      let s = u * u + v * v
      if s >= 1 || s == 0 { continue }
      let f = (-2 * Sampling.log(s) / s).squareRoot()
      return (u * f, v * f)
    }
  }

  /// A uniform integer in `0..<bound` (bound > 0), without bias, by Lemire's multiply-and-reject.
  static func below<G: RandomNumberGenerator>(_ bound: UInt64, _ g: inout G) -> UInt64 {
    var m = g.next().multipliedFullWidth(by: bound)
    if m.low < bound {
      let threshold = (0 &- bound) % bound
      while m.low < threshold { m = g.next().multipliedFullWidth(by: bound) }
    }
    return m.high
  }

  /// The natural logarithm of a positive finite double, by fdlibm's `__ieee754_log`: only IEEE
  /// arithmetic, so every machine gives the same bits (a platform `log` may differ in the last ulp).
  static func log(_ x: Double) -> Double {
    check(x > 0 && x.isFinite, "log: internal error, argument \(x)")
    let ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10
    let lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01
    let lg3 = 2.857142874366239149e-01, lg4 = 2.222219843214978396e-01
    let lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01
    let lg7 = 1.479819860511658591e-01
    var x = x
    var k = 0
    if x < 0x1p-1022 {
      x *= 0x1p54
      k -= 54
    }
    // x = m · 2^k with m in [√2/2, √2).
    k += Int(x.exponent)
    var m = x.significand  // in [1, 2)
    if m >= 1.4142135623730951 {
      m *= 0.5
      k += 1
    }
    let f = m - 1
    let s = f / (2 + f)
    let z = s * s, w = z * z
    let t1 = w * (lg2 + w * (lg4 + w * lg6))
    let t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)))
    let r = t2 + t1
    let hfsq = 0.5 * f * f
    let dk = Double(k)
    return dk * ln2Hi - ((hfsq - (s * (hfsq + r) + dk * ln2Lo)) - f)
  }
}

extension Tensor {
  /// Uniform samples in [0, 1), like `torch.rand`. Complex dtypes draw the real and imaginary
  /// parts independently.
  ///
  /// A `float64` element takes the top 53 bits of one draw of `generator`, a `float32` element
  /// the top 24, so a ``SeededGenerator`` reproduces the tensor on every machine.
  /// Derivative: none (a constant).
  /// - Precondition: `dtype` is floating and the shape has no negative sizes.
  public static func rand<G: RandomNumberGenerator>(_ shape: [Int], dtype: DType = .float64, using generator: inout G) -> Tensor {
    check(dtype.isFloatingPoint, "rand: dtype must be floating, got \(dtype)")
    check(shape.allSatisfy { $0 >= 0 }, "rand: negative dimension in \(shape)")
    let frames = Batching.randomFrames(op: "rand")
    if !frames.isEmpty {
      let draw = Batching.withoutBatchFrames { rand(frames.map(\.size) + shape, dtype: dtype, using: &generator) }
      return Batching.batchedDraw(frames, draw)
    }
    let n = Shape.count(shape, op: "rand")
    switch dtype {
    case .float32:
      return Tensor(shape: shape, scalars: (0..<n).map { _ in Sampling.unitFloat(&generator) })
    case .complex64:
      return Tensor(shape: shape, scalars: (0..<n).map { _ in
        let re = Sampling.unitFloat(&generator)
        return Complex(re, Sampling.unitFloat(&generator))
      })
    case .complex128:
      return Tensor(shape: shape, scalars: (0..<n).map { _ in
        let re = Sampling.unit(&generator)
        return Complex(re, Sampling.unit(&generator))
      })
    default:
      return Tensor(shape: shape, scalars: (0..<n).map { _ in Sampling.unit(&generator) })
    }
  }

  /// Uniform samples in [0, 1) from the system's generator. See ``rand(_:dtype:using:)``.
  public static func rand(_ shape: [Int], dtype: DType = .float64) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return rand(shape, dtype: dtype, using: &g)
  }

  /// Standard normal samples, like `torch.randn`. For complex dtypes the real and imaginary
  /// parts are each N(0, 1/2), so that E|z|² = 1, as in PyTorch.
  ///
  /// Uses Marsaglia's polar method in double precision with an IEEE-only logarithm, so a
  /// ``SeededGenerator`` reproduces the tensor bit for bit on every machine; `float32` and
  /// `complex64` samples are the `float64` ones rounded.
  /// Derivative: none (a constant).
  /// - Precondition: `dtype` is floating and the shape has no negative sizes.
  public static func randn<G: RandomNumberGenerator>(_ shape: [Int], dtype: DType = .float64, using generator: inout G) -> Tensor {
    check(dtype.isFloatingPoint, "randn: dtype must be floating, got \(dtype)")
    check(shape.allSatisfy { $0 >= 0 }, "randn: negative dimension in \(shape)")
    let frames = Batching.randomFrames(op: "randn")
    if !frames.isEmpty {
      let draw = Batching.withoutBatchFrames { randn(frames.map(\.size) + shape, dtype: dtype, using: &generator) }
      return Batching.batchedDraw(frames, draw)
    }
    let n = Shape.count(shape, op: "randn")
    let draws = dtype.isComplex ? 2 * n : n
    var values: [Double] = []
    values.reserveCapacity(draws + 1)
    while values.count < draws {
      let (a, b) = Sampling.normalPair(&generator)
      values.append(a)
      values.append(b)
    }
    if dtype.isComplex {
      let scale = 0.5.squareRoot()
      let z = (0..<n).map { Complex(values[2 * $0] * scale, values[2 * $0 + 1] * scale) }
      return Tensor(shape: shape, scalars: z).converted(to: dtype)
    }
    return Tensor(shape: shape, scalars: Array(values.prefix(n))).converted(to: dtype)
  }

  /// Standard normal samples from the system's generator. See ``randn(_:dtype:using:)``.
  public static func randn(_ shape: [Int], dtype: DType = .float64) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return randn(shape, dtype: dtype, using: &g)
  }

  /// Uniform integers in `low..<high`, like `torch.randint(low, high, shape)`; `int64` by default.
  ///
  /// Unbiased (Lemire's method), and reproducible with a ``SeededGenerator``.
  /// Derivative: none (a constant).
  /// - Precondition: `low < high`, and the shape has no negative sizes.
  public static func randint<G: RandomNumberGenerator>(
    _ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .int64, using generator: inout G
  ) -> Tensor {
    check(low < high, "randint: the range \(low)..<\(high) is empty")
    check(shape.allSatisfy { $0 >= 0 }, "randint: negative dimension in \(shape)")
    let frames = Batching.randomFrames(op: "randint")
    if !frames.isEmpty {
      let draw = Batching.withoutBatchFrames { randint(low, high, frames.map(\.size) + shape, dtype: dtype, using: &generator) }
      return Batching.batchedDraw(frames, draw)
    }
    let width = UInt64(bitPattern: Int64(high) &- Int64(low))
    let values = (0..<Shape.count(shape, op: "randint")).map { _ in
      Int64(low) &+ Int64(bitPattern: Sampling.below(width, &generator))
    }
    return Tensor(shape: shape, scalars: values).converted(to: dtype)
  }

  /// Uniform integers in `low..<high` from the system's generator. See ``randint(_:_:_:dtype:using:)``.
  public static func randint(_ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .int64) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return randint(low, high, shape, dtype: dtype, using: &g)
  }
}
