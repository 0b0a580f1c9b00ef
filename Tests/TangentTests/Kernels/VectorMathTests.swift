import Foundation
import Testing

@testable import Tangent

// Accuracy of the branch-free kernels in VectorMath against the C library.
//
// `Double` results are compared with the `long double` (Float80) C library on x86, `Float`
// results with the `Double` C library, so the reference is far more precise than the result
// and the error is measured in fractions of an ulp of the exact value's binade.

#if arch(x86_64) && !os(Windows)
  typealias WideReal = Float80
#else
  typealias WideReal = Double
#endif

/// The error of `y` in ulps of the binade of `exact`; ∞ when the classes differ.
func ulpError<T: BinaryFloatingPoint, W: BinaryFloatingPoint>(_ y: T, _ exact: W) -> Double {
  if exact.isNaN || y.isNaN { return exact.isNaN && y.isNaN ? 0 : .infinity }
  let rounded = T(exact)
  if rounded.isInfinite || y.isInfinite { return rounded == y ? 0 : .infinity }
  if exact == 0 { return y == 0 ? 0 : .infinity }
  let e = Swift.max(Int(exact.exponent), Int(T.leastNormalMagnitude.exponent))
  let ulp = W(sign: .plus, exponent: W.Exponent(e - T.significandBitCount), significand: 1)
  return Double(abs(W(y) - exact) / ulp)
}

/// Test points: uniform in `lo...hi`, log-uniform magnitudes in the same range, and extras.
func samplePoints(_ lo: Double, _ hi: Double, count: Int, extra: [Double] = []) -> [Double] {
  var g = SplitMix(seed: 0x5eed ^ UInt64(count))
  var xs: [Double] = extra
  for _ in 0..<count { xs.append(lo + (hi - lo) * g.unit()) }
  let m = Swift.max(abs(lo), abs(hi))
  for _ in 0..<count {
    let mag = Foundation.exp(Foundation.log(m) - 40 * g.unit())
    let x = g.unit() < 0.5 ? -mag : mag
    if x >= lo && x <= hi { xs.append(x) }
  }
  return xs
}

/// A small deterministic generator.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// One function under test: the kernel at both precisions and a reference.
struct MathCase: CustomTestStringConvertible, Sendable {
  let name: String
  let lo: Double
  let hi: Double
  let f64: @Sendable (Double) -> Double
  let f32: @Sendable (Float) -> Float
  let ref: @Sendable (WideReal) -> WideReal
  let ref32: @Sendable (Double) -> Double
  let maxUlp64: Double
  let maxUlp32: Double
  var extra: [Double] = []
  var testDescription: String { name }
}

/// Inputs every function must get right (or at least agree with the C library on).
let specialInputs: [Double] = [
  0, -0.0, 1, -1, 0.5, -0.5, 2, -2, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
  .leastNormalMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e-300, 1e300,
  0x1p-30, -0x1p-30, 1e-8, -1e-8,
]

let mathCases: [MathCase] = [
  MathCase(
    name: "exp", lo: -760, hi: 720, f64: { VectorMath.exp($0) }, f32: { VectorMath.exp($0) }, ref: { .exp($0) },
    ref32: { Foundation.exp($0) }, maxUlp64: 1, maxUlp32: 1,
    extra: [709.78, 709.7827128933840, 709.79, -745.13, -745.14, -708.4, -708.39, -744.44, 88.72, 88.73, -87.33, -103.97, -103.98, -104]),
  MathCase(
    name: "expKernel", lo: -708, hi: 708, f64: { VectorMath.expKernel($0) }, f32: { VectorMath.expKernel(Swift.max(-87, Swift.min(87, $0))) },
    ref: { .exp($0) }, ref32: { Foundation.exp(Swift.max(-87, Swift.min(87, $0))) }, maxUlp64: 1, maxUlp32: 1),
  MathCase(
    name: "exp2", lo: -1080, hi: 1030, f64: { VectorMath.exp2($0) }, f32: { VectorMath.exp2($0) }, ref: { .exp2($0) },
    ref32: { Foundation.exp2($0) }, maxUlp64: 1.5, maxUlp32: 1, extra: [1023.99, 1024, -1074, -1075, -1022.5, 127.99, 128, -149, -150, -126.5]),
  MathCase(
    name: "expm1", lo: -50, hi: 720, f64: { VectorMath.expm1($0) }, f32: { VectorMath.expm1($0) }, ref: { .expMinusOne($0) },
    ref32: { Foundation.expm1($0) }, maxUlp64: 2, maxUlp32: 2, extra: [709.78, 709.79, 88.72, 88.73, 0.3465, -0.3465, 1e-20]),
  MathCase(
    name: "sinh", lo: -720, hi: 720, f64: { VectorMath.sinh($0) }, f32: { VectorMath.sinh($0) }, ref: { .sinh($0) },
    ref32: { Foundation.sinh($0) }, maxUlp64: 2.5, maxUlp32: 2, extra: [710.47, 710.48, 89.41, 89.42]),
  MathCase(
    name: "cosh", lo: -720, hi: 720, f64: { VectorMath.cosh($0) }, f32: { VectorMath.cosh($0) }, ref: { .cosh($0) },
    ref32: { Foundation.cosh($0) }, maxUlp64: 2, maxUlp32: 2, extra: [710.47, 710.48, 89.41, 89.42]),
  MathCase(
    name: "tanh", lo: -25, hi: 25, f64: { VectorMath.tanh($0) }, f32: { VectorMath.tanh($0) }, ref: { .tanh($0) },
    ref32: { Foundation.tanh($0) }, maxUlp64: 3, maxUlp32: 3),
  MathCase(
    name: "sigmoid", lo: -760, hi: 50, f64: { VectorMath.sigmoid($0) }, f32: { VectorMath.sigmoid($0) },
    ref: { 1 / (1 + .exp(-$0)) }, ref32: { 1 / (1 + Foundation.exp(-$0)) }, maxUlp64: 2.5, maxUlp32: 2.5,
    extra: [-709, -710, -745, -103, -88]),
  MathCase(
    name: "log", lo: 0, hi: 1e300, f64: { VectorMath.log($0) }, f32: { VectorMath.log($0) }, ref: { .log($0) },
    ref32: { Foundation.log($0) }, maxUlp64: 1, maxUlp32: 1,
    extra: [0.7071067811865476, 1.414213562373095, 0.9999999, 1.0000001, 0x1p-1074, 0x1p-1030, 1e-40, 1e-44]),
  MathCase(
    name: "logKernel", lo: 0x1p-1022, hi: 1e300, f64: { VectorMath.logKernel($0) }, f32: { VectorMath.logKernel(Swift.min(Swift.max($0, 0x1p-126), .greatestFiniteMagnitude)) },
    ref: { .log($0) }, ref32: { Foundation.log(Swift.min(Swift.max($0, 0x1p-126), Double(Float.greatestFiniteMagnitude))) }, maxUlp64: 1, maxUlp32: 1,
    extra: [0x1p-1022, 0.7071067811865476, 1.414213562373095]),
  MathCase(
    name: "log1p", lo: -1, hi: 1e300, f64: { VectorMath.log1p($0) }, f32: { VectorMath.log1p($0) }, ref: { .log(onePlus: $0) },
    ref32: { Foundation.log1p($0) }, maxUlp64: 1.5, maxUlp32: 1.5, extra: [-0.9999999, -0.5, 0.4142, -0.2929, 1e-17, -1e-17, 3, 1e20]),
  MathCase(
    name: "log2", lo: 0, hi: 1e300, f64: { VectorMath.log2($0) }, f32: { VectorMath.log2($0) }, ref: { .log2($0) },
    ref32: { Foundation.log2($0) }, maxUlp64: 1, maxUlp32: 1, extra: [1024, 0x1p-1074, 0x1p-1040, 0.75, 1.5]),
  MathCase(
    name: "log10", lo: 0, hi: 1e300, f64: { VectorMath.log10($0) }, f32: { VectorMath.log10($0) }, ref: { .log10($0) },
    ref32: { Foundation.log10($0) }, maxUlp64: 1.5, maxUlp32: 1.5, extra: [10, 100, 1e-5, 1e22, 0.1]),
  MathCase(
    name: "sin", lo: -1e6, hi: 1e6, f64: { VectorMath.sinKernel($0) }, f32: { VectorMath.sin($0) }, ref: { .sin($0) },
    ref32: { Foundation.sin($0) }, maxUlp64: 2, maxUlp32: 2,
    extra: [Double.pi, -Double.pi, Double.pi / 2, 3 * Double.pi / 2, 6381956970095103 * 0x1p-50 * 0x1p-20, 355, 22, 1e5, 999999.9]),
  MathCase(
    name: "cos", lo: -1e6, hi: 1e6, f64: { VectorMath.cosKernel($0) }, f32: { VectorMath.cos($0) }, ref: { .cos($0) },
    ref32: { Foundation.cos($0) }, maxUlp64: 2, maxUlp32: 2, extra: [Double.pi / 2, -Double.pi / 2, 3 * Double.pi / 2, 1e5]),
  MathCase(
    name: "tan", lo: -1e6, hi: 1e6, f64: { VectorMath.tanKernel($0) }, f32: { VectorMath.tan($0) }, ref: { .tan($0) },
    ref32: { Foundation.tan($0) }, maxUlp64: 3, maxUlp32: 3, extra: [Double.pi / 2, -Double.pi / 2, Double.pi / 4, 1.5707963]),
  MathCase(
    name: "erf", lo: -8, hi: 8, f64: { VectorMath.erf($0) }, f32: { VectorMath.erf($0) }, ref: { erfl($0) },
    ref32: { Foundation.erf($0) }, maxUlp64: 2, maxUlp32: 1.5, extra: [0.999999, 1, 1.000001, -1, 5.9, 6.1]),
  MathCase(
    name: "erfc", lo: -8, hi: 30, f64: { VectorMath.erfc($0) }, f32: { VectorMath.erfc($0) }, ref: { erfcl($0) },
    ref32: { Foundation.erfc($0) }, maxUlp64: 4, maxUlp32: 3.5, extra: [0.999999, 1, 1.000001, -1, 26.5, 27.2, 9.9, 10.1]),
]

/// The worst error of `f` against `ref` over `xs`, and where it occurs.
func worstError<T: BinaryFloatingPoint, W: BinaryFloatingPoint>(
  _ xs: [Double], _: T.Type, _ f: (T) -> T, _ ref: (W) -> W
) -> (error: Double, at: Double) {
  var worst = (0.0, 0.0)
  for x in xs {
    let t = T(x)
    let e = ulpError(f(t), ref(W(t)))
    if !(e <= worst.0) { worst = (e, Double(t)) }
  }
  return worst
}

@Suite struct VectorMathTests {
  @Test(arguments: mathCases) func accuracyDouble(_ c: MathCase) {
    // The kernels are only tested inside their domain (the rest goes through the fixup pass).
    let xs = samplePoints(c.lo, c.hi, count: 40_000, extra: specialInputs + c.extra).filter { x in
      switch c.name {
      case "sin", "cos", "tan": abs(x) <= 1e6
      case "expKernel": abs(x) <= 708
      case "logKernel": x >= 0x1p-1022 && x <= .greatestFiniteMagnitude
      default: true
      }
    }
    let (e, at) = worstError(xs, Double.self, c.f64, c.ref)
    #expect(e <= c.maxUlp64, "\(c.name) (float64): \(e) ulp at \(at)")
  }

  @Test(arguments: mathCases) func accuracyFloat(_ c: MathCase) {
    let lo = Swift.max(c.lo, -Double(Float.greatestFiniteMagnitude)), hi = Swift.min(c.hi, Double(Float.greatestFiniteMagnitude))
    let xs = samplePoints(lo, hi, count: 40_000, extra: specialInputs + c.extra).filter { !$0.isNaN || !c.name.hasSuffix("Kernel") }
    let (e, at) = worstError(xs, Float.self, c.f32, c.ref32)
    #expect(e <= c.maxUlp32, "\(c.name) (float32): \(e) ulp at \(at)")
  }
}

@Suite struct VectorMathSpecialValueTests {
  /// Bitwise equality, with every NaN equal to every NaN.
  func same(_ a: Double, _ b: Double) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }
  func same(_ a: Float, _ b: Float) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }

  @Test func exactSpecialValues() {
    let inf = Double.infinity, nan = Double.nan
    let cases: [(String, (Double) -> Double, Double, Double)] = [
      ("exp", VectorMath.exp, inf, inf), ("exp", VectorMath.exp, -inf, 0), ("exp", VectorMath.exp, nan, nan),
      ("exp", VectorMath.exp, 0, 1), ("exp", VectorMath.exp, -0.0, 1), ("exp", VectorMath.exp, 710, inf),
      ("exp", VectorMath.exp, -746, 0), ("exp", VectorMath.exp, -745.13, .leastNonzeroMagnitude),
      ("exp2", VectorMath.exp2, -1074, .leastNonzeroMagnitude), ("exp2", VectorMath.exp2, 1024, inf),
      ("exp2", VectorMath.exp2, 10, 1024), ("exp2", VectorMath.exp2, -inf, 0),
      ("expm1", VectorMath.expm1, -inf, -1), ("expm1", VectorMath.expm1, inf, inf), ("expm1", VectorMath.expm1, -0.0, -0.0),
      ("expm1", VectorMath.expm1, 1e-300, 1e-300), ("expm1", VectorMath.expm1, nan, nan),
      ("log", VectorMath.log, 0, -inf), ("log", VectorMath.log, -0.0, -inf), ("log", VectorMath.log, -1, nan),
      ("log", VectorMath.log, inf, inf), ("log", VectorMath.log, -inf, nan), ("log", VectorMath.log, nan, nan),
      ("log", VectorMath.log, 1, 0), ("log2", VectorMath.log2, 0x1p-1074, -1074), ("log2", VectorMath.log2, 0x1p1023, 1023),
      ("log2", VectorMath.log2, 0, -inf), ("log10", VectorMath.log10, 1000, 3), ("log10", VectorMath.log10, 1e-300, -300),
      ("log1p", VectorMath.log1p, -1, -inf), ("log1p", VectorMath.log1p, -2, nan), ("log1p", VectorMath.log1p, inf, inf),
      ("log1p", VectorMath.log1p, -0.0, -0.0), ("log1p", VectorMath.log1p, 1e-300, 1e-300),
      ("sin", VectorMath.sin, -0.0, -0.0), ("sin", VectorMath.sin, inf, nan), ("sin", VectorMath.sin, nan, nan),
      ("sin", VectorMath.sin, 1e300, Foundation.sin(1e300)), ("cos", VectorMath.cos, 1e22, Foundation.cos(1e22)),
      ("cos", VectorMath.cos, 0, 1), ("cos", VectorMath.cos, -inf, nan), ("tan", VectorMath.tan, 1e300, Foundation.tan(1e300)),
      ("tan", VectorMath.tan, -0.0, -0.0),
      ("sinh", VectorMath.sinh, -inf, -inf), ("sinh", VectorMath.sinh, 711, inf), ("sinh", VectorMath.sinh, -0.0, -0.0),
      ("cosh", VectorMath.cosh, -inf, inf), ("cosh", VectorMath.cosh, 0, 1), ("cosh", VectorMath.cosh, -711, inf),
      ("tanh", VectorMath.tanh, inf, 1), ("tanh", VectorMath.tanh, -inf, -1), ("tanh", VectorMath.tanh, -0.0, -0.0),
      ("tanh", VectorMath.tanh, nan, nan), ("tanh", VectorMath.tanh, 1e-300, 1e-300),
      ("sigmoid", VectorMath.sigmoid, inf, 1), ("sigmoid", VectorMath.sigmoid, -inf, 0), ("sigmoid", VectorMath.sigmoid, 0, 0.5),
      ("sigmoid", VectorMath.sigmoid, nan, nan),
      ("erf", VectorMath.erf, inf, 1), ("erf", VectorMath.erf, -inf, -1), ("erf", VectorMath.erf, -0.0, -0.0),
      ("erf", VectorMath.erf, nan, nan), ("erfc", VectorMath.erfc, -inf, 2), ("erfc", VectorMath.erfc, inf, 0),
      ("erfc", VectorMath.erfc, 30, 0), ("erfc", VectorMath.erfc, nan, nan),
    ]
    for (name, f, x, expected) in cases {
      #expect(same(f(x), expected), "\(name)(\(x)) = \(f(x)), expected \(expected)")
    }
    // Near the underflow threshold of sigmoid the tail formula keeps tiny results.
    #expect(VectorMath.sigmoid(-740.0) > 0)
    #expect(ulpError(VectorMath.sigmoid(-740.0), Foundation.exp(-740.0)) <= 1)
  }

  @Test func exactSpecialValuesFloat() {
    let inf = Float.infinity, nan = Float.nan
    let cases: [(String, (Float) -> Float, Float, Float)] = [
      ("exp", VectorMath.exp, inf, inf), ("exp", VectorMath.exp, -inf, 0), ("exp", VectorMath.exp, 89, inf),
      ("exp", VectorMath.exp, -104, 0), ("exp", VectorMath.exp, nan, nan), ("log", VectorMath.log, 0, -inf),
      ("log", VectorMath.log, -1, nan), ("log", VectorMath.log, 0x1p-149, Foundation.log(0x1p-149)),
      ("log2", VectorMath.log2, 0x1p-149, -149), ("sin", VectorMath.sin, 1e30, Foundation.sin(1e30)),
      ("cos", VectorMath.cos, 1000, Foundation.cos(1000)), ("tanh", VectorMath.tanh, -inf, -1),
      ("tanh", VectorMath.tanh, 20, 1), ("erf", VectorMath.erf, 5, 1), ("erfc", VectorMath.erfc, 11, 0),
      ("expm1", VectorMath.expm1, -inf, -1), ("log1p", VectorMath.log1p, -1, -inf),
    ]
    for (name, f, x, expected) in cases {
      let y = f(x)
      #expect(same(y, expected) || ulpError(y, Double(expected)) <= 1, "\(name)(\(x)) = \(y), expected \(expected)")
    }
  }

  /// The elementwise driver: the vectorised pass plus the fixup pass for rare lanes, on
  /// contiguous and strided tensors of both precisions.
  @Test func driverFixesRareLanes() {
    let xs: [Double] = [0.5, 1e7, -3, .infinity, 1e300, -745.5, 709.9, -720, 0, .nan, 0x1p-1030, -1, 800, 1e-5, 3.25, -0.0]
    let t = Tensor(shape: [4, 4], scalars: xs)
    for input in [t, t.transposed(0, 1)] {
      let flat = input.doubles
      let pairs: [(Tensor, (Double) -> Double)] = [
        (input.exp(), Foundation.exp), (input.log(), Foundation.log), (input.sin(), Foundation.sin), (input.cos(), Foundation.cos),
      ]
      for (out, ref) in pairs {
        for (y, x) in zip(out.doubles, flat) {
          #expect(ulpError(y, WideReal(ref(x))) <= 1, "f(\(x)) = \(y), libm gives \(ref(x))")
        }
      }
      let f32 = input.converted(to: .float32)
      for (out, ref) in [(f32.exp(), Foundation.exp), (f32.log(), Foundation.log), (f32.sin(), Foundation.sin), (f32.cos(), Foundation.cos)] as [(Tensor, (Double) -> Double)] {
        for (y, x) in zip(out.scalars(as: Float.self), f32.doubles) {
          #expect(ulpError(y, ref(x)) <= 1.5, "f32 f(\(x)) = \(y), libm gives \(ref(x))")
        }
      }
    }
    // Long enough for the parallel chunks, with rare lanes scattered.
    var big = (0..<100_000).map { Double($0) * 1e-3 - 50 }
    for i in stride(from: 7, to: big.count, by: 9973) { big[i] = 1e12 + Double(i) }
    let out = Tensor(big).sin().doubles
    for (y, x) in zip(out, big) where ulpError(y, WideReal(Foundation.sin(x))) > 1.5 {
      Issue.record("sin(\(x)) = \(y), libm gives \(Foundation.sin(x))")
      break
    }
  }
}
