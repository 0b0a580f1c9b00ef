import Foundation
import Tangent
import TangentTesting
import Testing

/// Expects two lists of doubles to agree within `atol + rtol·|want|` (NaNs must match NaNs,
/// infinities must match exactly).
func expectClose(
  _ got: [Double], _ want: [Double], atol: Double = 1e-12, rtol: Double = 1e-12,
  _ what: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(got.count == want.count, "\(what()): \(got.count) values, expected \(want.count)", sourceLocation: sourceLocation)
  for (i, (g, w)) in zip(got, want).enumerated() {
    let ok: Bool
    if w.isNaN {
      ok = g.isNaN
    } else if w.isInfinite {
      ok = g == w
    } else {
      ok = Swift.abs(g - w) <= atol + rtol * Swift.abs(w)
    }
    #expect(ok, "\(what()): entry \(i) is \(g), expected \(w)", sourceLocation: sourceLocation)
  }
}

/// Expects a tensor's values (real parts) to agree with a list.
func expectClose(
  _ got: Tensor, _ want: [Double], atol: Double = 1e-12, rtol: Double = 1e-12,
  _ what: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
  expectClose(got.doubles, want, atol: atol, rtol: rtol, what(), sourceLocation: sourceLocation)
}

/// Expects complex values to agree.
func expectClose(
  _ got: Tensor, complex want: [Complex<Double>], atol: Double = 1e-12, rtol: Double = 1e-12,
  _ what: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
  let g = got.complexDoubles
  #expect(g.count == want.count, "\(what()): \(g.count) values, expected \(want.count)", sourceLocation: sourceLocation)
  for (i, (a, b)) in zip(g, want).enumerated() {
    #expect((a - b).length <= atol + rtol * b.length, "\(what()): entry \(i) is \(a), expected \(b)", sourceLocation: sourceLocation)
  }
}

/// Runs ``gradcheck(_:at:options:)`` and expects it to pass.
func expectGradcheck(
  _ what: String, _ f: @escaping ([Tensor]) -> [Tensor], at inputs: [Tensor],
  options: GradcheckOptions = GradcheckOptions(), sourceLocation: SourceLocation = #_sourceLocation
) {
  let r = gradcheck(f, at: inputs, options: options)
  #expect(r.passed, "\(what): \(r)", sourceLocation: sourceLocation)
}

/// Runs ``gradcheck(_:at:options:)`` on a function of one tensor, once on a contiguous input and
/// once through a transposed (non-contiguous) view.
func expectGradcheck(
  _ what: String, _ f: @escaping (Tensor) -> Tensor, at x: Tensor,
  options: GradcheckOptions = GradcheckOptions(), sourceLocation: SourceLocation = #_sourceLocation
) {
  expectGradcheck(what, { [f($0[0])] }, at: [x], options: options, sourceLocation: sourceLocation)
  if x.rank == 2 {
    expectGradcheck(
      "\(what) (transposed view)", { [f($0[0].transposed())] }, at: [x.transposed().contiguousCopy()],
      options: options, sourceLocation: sourceLocation)
  }
}

/// Uniform test values in a range, away from zero by at least `gap` when asked.
func uniform(
  _ shape: [Int], _ range: ClosedRange<Double>, seed: UInt64 = 1, dtype: DType = .float64, avoidingZero gap: Double = 0
) -> Tensor {
  var rng = TestRandom(seed: seed)
  let n = shape.reduce(1, *)
  func draw() -> Double {
    while true {
      let v = rng.uniform(range.lowerBound, range.upperBound)
      if Swift.abs(v) >= gap { return v }
    }
  }
  if dtype.isComplex {
    return Tensor(shape: shape, scalars: (0..<n).map { _ in Complex(draw(), draw()) }).converted(to: dtype)
  }
  return Tensor(shape: shape, scalars: (0..<n).map { _ in draw() }).converted(to: dtype)
}

extension Tensor {
  /// A contiguous copy with the same values (rebuilt from the scalars).
  func contiguousCopy() -> Tensor {
    if dtype.isComplex { return Tensor(shape: shape, scalars: complexDoubles).converted(to: dtype) }
    return Tensor(shape: shape, scalars: doubles).converted(to: dtype)
  }
}

/// A unary elementwise op to check against a scalar reference.
struct UnaryCase: CustomStringConvertible, Sendable {
  let name: String
  let op: @Sendable (Tensor) -> Tensor
  let reference: @Sendable (Double) -> Double
  /// Where the real inputs are drawn from (away from kinks and branch cuts).
  let domain: ClosedRange<Double>
  /// Where the real and imaginary parts of complex inputs are drawn from; `nil` for real-only ops.
  var complexDomain: ClosedRange<Double>? = nil
  /// The smallest |x| of the real inputs.
  var gap: Double = 0
  /// Explicit real inputs (12 of them), for functions with kinks in their domain.
  var values: [Double]? = nil
  /// The relative tolerance of the float64 values.
  var rtol: Double = 1e-13
  /// Gradcheck options, when the defaults do not fit (the case says why).
  var options = GradcheckOptions()
  var description: String { name }
}

/// Checks values (float64, float32 and a non-contiguous view) and derivatives (float64, and
/// complex128 when supported) of a unary op.
func checkUnary(_ c: UnaryCase, sourceLocation: SourceLocation = #_sourceLocation) {
  let x = c.values.map { Tensor(shape: [3, 4], scalars: $0) } ?? uniform([3, 4], c.domain, seed: 11, avoidingZero: c.gap)
  let want = x.doubles.map(c.reference)
  expectClose(c.op(x), want, atol: 1e-14, rtol: c.rtol, "\(c.name) float64", sourceLocation: sourceLocation)
  let xt = x.transposed()
  expectClose(c.op(xt), xt.contiguousCopy().doubles.map(c.reference), atol: 1e-14, rtol: c.rtol,
              "\(c.name) transposed view", sourceLocation: sourceLocation)
  let y32 = c.op(x.converted(to: .float32))
  #expect(y32.dtype == .float32, "\(c.name): float32 input gave \(y32.dtype)", sourceLocation: sourceLocation)
  expectClose(y32, want, atol: 1e-5, rtol: 1e-5, "\(c.name) float32", sourceLocation: sourceLocation)
  expectGradcheck(c.name, c.op, at: x, options: c.options, sourceLocation: sourceLocation)
  if let d = c.complexDomain {
    let z = uniform([2, 3], d, seed: 12, dtype: .complex128, avoidingZero: c.gap)
    expectGradcheck("\(c.name) complex128", c.op, at: z, options: c.options, sourceLocation: sourceLocation)
  }
}
