import Foundation
import Tangent
import TangentTesting
import Testing

/// sinc, fmax/fmin, float_power, ldexp, polar, the real and complex views, and the shrinking
/// activations.
@Suite struct MiscElementwiseTests {
  @Test func sinc() {
    let x = uniform([3, 4], -2...2, seed: 71, avoidingZero: 0.05)
    expectClose(x.sinc(), x.doubles.map { Foundation.sin(Double.pi * $0) / (Double.pi * $0) }, rtol: 1e-14)
    expectClose(Tensor([0.0]).sinc(), [1])
    expectGradcheck("sinc", { $0.sinc() }, at: x)
    expectGradcheck("sinc complex128", { $0.sinc() }, at: uniform([2, 3], -1.5...1.5, seed: 72, dtype: .complex128, avoidingZero: 0.1))
    let (_, g) = valueWithGradient(of: { $0.sinc().sum() }, at: Tensor([0.0]))
    expectClose(g, [0])
  }

  @Test func fmaxFmin() {
    let a = Tensor([1.0, .nan, 3, .nan, -2]), b = Tensor([2.0, 5, .nan, .nan, -2])
    expectClose(a.fmax(b), [2, 5, 3, .nan, -2])
    expectClose(a.fmin(b), [1, 5, 3, .nan, -2])
    expectClose(Tensor([Int64(1), 7]).fmax(Tensor([Int64(4), 2])), [4, 7])
    // The gradient follows the non-NaN value; ties go to the first operand.
    let (_, gs) = valueWithGradient(of: { (xs: [Tensor]) in xs[0].fmax(xs[1]).sum() }, at: [a, b])
    expectClose(gs[0], [0, 0, 1, 1, 1])
    expectClose(gs[1], [1, 1, 0, 0, 0])
    let x = uniform([3, 4], -2...2, seed: 73), y = uniform([4], -2...2, seed: 74)
    expectGradcheck("fmax", { [$0[0].fmax($0[1])] }, at: [x, y])
    expectGradcheck("fmin", { [$0[0].fmin($0[1])] }, at: [x, y])
  }

  @Test func floatPowerAndLdexp() {
    let x = uniform([3, 4], 0.5...2, seed: 75).converted(to: .float32)
    let y = x.floatPower(1.5)
    #expect(y.dtype == .float64)
    expectClose(y, x.doubles.map { Foundation.pow($0, 1.5) }, rtol: 1e-14)
    #expect(Tensor([Int64(2), 3]).floatPower(Tensor([Int64(3), 2])).dtype == .float64)
    expectClose(Tensor([Int64(2), 3]).floatPower(Tensor([Int64(3), 2])), [8, 9])
    let e = Tensor([Int64(-1), 0, 3])
    expectClose(Tensor([3.0, 1.5, -0.5]).ldexp(e), [1.5, 1.5, -4])
    expectGradcheck("floatPower", { [$0[0].floatPower($0[1])] }, at: [uniform([3, 4], 0.5...2, seed: 76), uniform([4], -2...2, seed: 77)])
    expectGradcheck("ldexp", { [$0[0].ldexp($0[1])] }, at: [uniform([3, 4], -2...2, seed: 78), uniform([4], -2...2, seed: 79)])
  }

  @Test func roundedDivision() {
    let a = Tensor([7.0, -7, 7, -7, 1, -0.0]), b = Tensor([2.0, 2, -2, -2, 0, 3])
    expectClose(a.div(b, roundingMode: .floor), [3, -4, -4, 3, .infinity, -0.0])
    expectClose(a.div(b, roundingMode: .trunc), [3, -3, -3, 3, .infinity, -0.0])
    let i = Tensor([Int64(7), -7, 7, -7]), j = Tensor([Int64(2), 2, -2, -2])
    #expect(i.div(j, roundingMode: .floor).scalars(as: Int64.self) == [3, -4, -4, 3])
    #expect(i.div(j, roundingMode: .trunc).scalars(as: Int64.self) == [3, -3, -3, 3])
    let (_, gs) = valueWithGradient(of: { (xs: [Tensor]) in xs[0].div(xs[1], roundingMode: .floor).sum() }, at: [Tensor([1.5, 2.5]), Tensor([0.7, 0.9])])
    expectClose(gs[0], [0, 0])
    expectClose(gs[1], [0, 0])
  }

  @Test func polarAndViews() {
    let r = uniform([3, 4], 0.5...2, seed: 80), t = uniform([3, 4], -3...3, seed: 81)
    let z = Tensor.polar(abs: r, angle: t)
    expectClose(z, complex: (0..<12).map { Complex(r.doubles[$0] * Foundation.cos(t.doubles[$0]), r.doubles[$0] * Foundation.sin(t.doubles[$0])) })
    expectGradcheck("polar", { [Tensor.polar(abs: $0[0], angle: $0[1])] }, at: [r, t])

    let w = uniform([2, 3], -1...1, seed: 82, dtype: .complex128)
    let v = w.viewAsReal()
    #expect(v.shape == [2, 3, 2] && v.dtype == .float64)
    expectClose(v, w.complexDoubles.flatMap { [$0.real, $0.imaginary] })
    expectClose(v.viewAsComplex(), complex: w.complexDoubles)
    // A transposed view and a copy for a layout that a complex view cannot express.
    expectClose(w.transposed().viewAsReal(), w.transposed().contiguousCopy().complexDoubles.flatMap { [$0.real, $0.imaginary] })
    let p = uniform([2, 3, 2], -1...1, seed: 83).permuted([1, 0, 2])
    expectClose(p.viewAsComplex(), complex: p.contiguousCopy().doubles.chunked2())
    expectGradcheck("viewAsReal", { $0.viewAsReal() }, at: w)
    expectGradcheck("viewAsComplex", { $0.viewAsComplex() }, at: p.contiguousCopy())
  }

  @Test func shrinkingActivations() {
    let x = Tensor([-7.0, -1.2, -0.3, 0.4, 0.9, 5, 6.5])
    expectClose(x.relu6(), [0, 0, 0, 0.4, 0.9, 5, 6])
    expectClose(x.softsign(), x.doubles.map { $0 / (1 + Swift.abs($0)) })
    expectClose(x.tanhshrink(), x.doubles.map { $0 - Foundation.tanh($0) })
    expectClose(x.softshrink(), [-6.5, -0.7, 0, 0, 0.4, 4.5, 6])
    expectClose(x.hardshrink(lambda: 1), [-7, -1.2, 0, 0, 0, 5, 6.5])
    expectClose(x.threshold(0.5, value: -1), [-1, -1, -1, -1, 0.9, 5, 6.5])
    let s = uniform([3, 4], -3...3, seed: 84, avoidingZero: 0.1)
    expectGradcheck("softsign", { $0.softsign() }, at: s)
    expectGradcheck("tanhshrink", { $0.tanhshrink() }, at: s)
    let k = Tensor(shape: [2, 3], scalars: [-1.3, -0.2, 0.3, 0.7, 1.9, -0.8])
    expectGradcheck("softshrink", { $0.softshrink() }, at: k)
    expectGradcheck("hardshrink", { $0.hardshrink() }, at: k)
    expectGradcheck("threshold", { $0.threshold(0.1, value: 2) }, at: k)
    expectGradcheck("relu6", { $0.relu6() }, at: k * 4)
  }
}

extension Array where Element == Double {
  /// Pairs (real, imaginary) as complex numbers.
  func chunked2() -> [Complex<Double>] { stride(from: 0, to: count, by: 2).map { Complex(self[$0], self[$0 + 1]) } }
}
