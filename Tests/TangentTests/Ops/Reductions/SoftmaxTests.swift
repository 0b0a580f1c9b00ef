import ComplexModule
import Foundation
import Tangent
import TangentTesting
import Testing

@Suite struct SoftmaxTests {
  let x = uniform([3, 4], -3...3, seed: 121)

  @Test func logSumExp() {
    let v = x.doubles
    let rows = (0..<3).map { r in Foundation.log((0..<4).reduce(0.0) { $0 + Foundation.exp(v[r * 4 + $1]) }) }
    expectClose(x.logSumExp(dim: 1), rows, rtol: 1e-14)
    expectClose(x.logSumExp(), [Foundation.log(v.reduce(0.0) { $0 + Foundation.exp($1) })], rtol: 1e-14)
    expectClose(x.transposed().logSumExp(dim: 0, keepdim: true), rows, rtol: 1e-14)
    expectClose(Tensor([1000.0, 1000]).logSumExp(), [1000 + Foundation.log(2.0)])
    expectClose(Tensor([-Double.infinity, -.infinity]).logSumExp(), [-.infinity])
    expectClose(Tensor([Double.infinity, 1]).logSumExp(), [.infinity])
    expectClose(Tensor.zeros([2, 0]).logSumExp(dim: 1), [-.infinity, -.infinity])
    expectGradcheck("logSumExp(dim: 1)", { $0.logSumExp(dim: 1) }, at: x)
    expectGradcheck("logSumExp()", { $0.logSumExp(dims: nil, keepdim: true) }, at: x)
  }

  /// Complex inputs: shifted by the largest real part, so large ones do not overflow; the
  /// principal logarithm of Σ eᶻ.
  @Test func complexLogSumExp() {
    let z = Tensor(shape: [3], scalars: [Complex<Double>(1, 2), Complex(3, -1), Complex(0, 0.5)])
    let sum = z.complexDoubles.reduce(Complex<Double>.zero) { $0 + .exp($1) }
    let got = z.logSumExp().complexDoubles[0]
    #expect((got - Complex.log(sum)).length < 1e-14)
    let big = Tensor(shape: [2], scalars: [Complex<Double>(1000, 0.25), Complex(1000, -0.25)])
    let want = Complex<Double>(1000, 0) + Complex.log(Complex.exp(Complex(0, 0.25)) + Complex.exp(Complex(0, -0.25)))
    #expect((big.logSumExp().complexDoubles[0] - want).length < 1e-12)
    expectGradcheck("complex logSumExp", { $0.logSumExp(dim: 0) }, at: z)
  }

  @Test func softmax() {
    let v = x.doubles
    var want = [Double](repeating: 0, count: 12)
    for r in 0..<3 {
      let s = (0..<4).reduce(0.0) { $0 + Foundation.exp(v[r * 4 + $1]) }
      for c in 0..<4 { want[r * 4 + c] = Foundation.exp(v[r * 4 + c]) / s }
    }
    expectClose(x.softmax(dim: 1), want, rtol: 1e-14)
    expectClose(x.logSoftmax(dim: -1), want.map { Foundation.log($0) }, rtol: 1e-13)
    expectClose(x.transposed().softmax(dim: 0).transposed().contiguousCopy(), want, rtol: 1e-14)
    expectClose((-x).softmin(dim: 1), want, rtol: 1e-14)
    expectClose(Tensor([1000.0, 0]).softmax(dim: 0), [1, 0])
    expectClose(Tensor([-1000.0, 0]).logSoftmax(dim: 0), [-1000, 0])
    expectClose(Tensor(3.0).softmax(dim: 0), [1])
    #expect(Tensor([Int64(1), 2]).softmax(dim: 0).dtype == .float64)
  }

  @Test(arguments: [0, 1]) func derivatives(dim: Int) {
    expectGradcheck("softmax(dim: \(dim))", { $0.softmax(dim: dim) }, at: x)
    expectGradcheck("logSoftmax(dim: \(dim))", { $0.logSoftmax(dim: dim) }, at: x)
    expectGradcheck("softmin(dim: \(dim))", { $0.softmin(dim: dim) }, at: x)
  }
}

@Suite struct NormTests {
  let x = uniform([3, 4], -2...2, seed: 131, avoidingZero: 0.1)

  @Test(arguments: [2.0, 1, 3, 0.5, 1.5, .infinity, -.infinity, 0]) func values(ord: Double) {
    let v = x.doubles
    func norm(_ a: [Double]) -> Double {
      switch ord {
      case .infinity: return a.map(Swift.abs).max()!
      case -.infinity: return a.map(Swift.abs).min()!
      case 0: return Double(a.filter { $0 != 0 }.count)
      default: return Foundation.pow(a.reduce(0) { $0 + Foundation.pow(Swift.abs($1), ord) }, 1 / ord)
      }
    }
    let rows = (0..<3).map { r in Array(v[(r * 4)..<(r * 4 + 4)]) }
    expectClose(x.vectorNorm(ord: ord, dims: [1]), rows.map(norm), rtol: 1e-13)
    expectClose(x.norm(p: ord), [norm(v)], rtol: 1e-13)
    expectClose(x.transposed().vectorNorm(ord: ord, dims: [0], keepdim: true), rows.map(norm), rtol: 1e-13)
    if ord != 0 {
      expectGradcheck("vectorNorm(ord: \(ord))", { $0.vectorNorm(ord: ord, dims: [1]) }, at: x)
      expectGradcheck("vectorNorm(ord: \(ord)) all", { $0.vectorNorm(ord: ord) }, at: x)
      let z = uniform([2, 3], -1...1, seed: 132, dtype: .complex128, avoidingZero: 0.1)
      expectGradcheck("vectorNorm(ord: \(ord)) complex128", { $0.vectorNorm(ord: ord, dims: [0]) }, at: z)
    }
  }

  @Test func complexAndZero() {
    let z = Tensor([Complex(3.0, 4), Complex(0, -12)])
    let n = z.vectorNorm()
    #expect(n.dtype == .float64)
    expectClose(n, [13])
    // A zero vector has a zero gradient (PyTorch masks the division by the norm).
    for ord in [2.0, 3] {
      let p = Tensor([0.0, 0]).requiringGrad()
      expectClose(gradients(of: p.vectorNorm(ord: ord), wrt: [p])[0], [0, 0], "ord \(ord)")
    }
    let q = Tensor([3.0, -4]).requiringGrad()
    expectClose(gradients(of: q.norm(), wrt: [q])[0], [0.6, -0.8])
  }

  /// The norm of an empty vector is the constant 0: every derivative is 0 (PyTorch's second
  /// forward derivative is NaN for ord < 1; OpInfo's `linalg.norm#29`).
  @Test(arguments: [0.5, 2, 3]) func emptyVectorHasZeroDerivatives(ord: Double) {
    let x = Tensor.zeros([0])
    let second = jvp(of: { x in jvp(of: { $0.norm(p: ord) }, at: x, along: Tensor.zeros([0])).tangent }, at: x, along: Tensor.zeros([0]))
    #expect(second.value.doubles == [0] && second.tangent.doubles == [0], "ord \(ord): \(second)")
  }

  /// The norm of a structurally zero row is 0 at every x, so all its derivatives are 0 up to
  /// the generic third-order check; dividing by the norm before masking gave NaN there.
  @Test(arguments: [2.0, 3]) func zeroRowHasFiniteHigherDerivatives(ord: Double) {
    let x = Tensor([[0.5, -1.5, 2.0], [0.25, 1.0, -0.75]])
    let keepFirstRow = Tensor([[1.0], [0.0]])
    expectGradcheck("vectorNorm(ord: \(ord)) of a zero row", { ($0 * keepFirstRow).vectorNorm(ord: ord, dims: [1]) }, at: x)
  }
}
