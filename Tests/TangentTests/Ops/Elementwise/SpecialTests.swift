import Foundation
import Tangent
import TangentTesting
import Testing

private let eulerGamma = 0.577_215_664_901_532_860_606_512_090_082

@Suite struct SpecialTests {
  static let cases: [UnaryCase] = [
    UnaryCase(name: "erf", op: { $0.erf() }, reference: Foundation.erf, domain: -2.5...2.5),
    UnaryCase(name: "erfc", op: { $0.erfc() }, reference: Foundation.erfc, domain: -2.5...2.5),
    UnaryCase(name: "lgamma", op: { $0.lgamma() }, reference: Foundation.lgamma, domain: 0.3...6,
              values: [0.3, 0.7, 1.5, 2.5, 4.2, 7.9, -0.5, -1.3, -2.7, -3.5, 12.5, 30.1]),
  ]

  @Test(arguments: cases) func unary(_ c: UnaryCase) { checkUnary(c) }

  @Test func erfinv() {
    let y = uniform([3, 4], -0.99...0.99, seed: 31)
    expectClose(y.erfinv().erf(), y.doubles, atol: 1e-15, rtol: 1e-15)
    // The tails, where the inversion goes through erfc.
    let tails = [1 - 1e-12, -(1 - 1e-9), 0.999_999]
    for t in tails {
      let x = Tensor([t]).erfinv().doubles[0]
      expectClose([Foundation.erfc(Swift.abs(x))], [1 - Swift.abs(t)], rtol: 1e-12, "erfinv(\(t))")
    }
    expectClose(Tensor([1.0, -1, 1.5, 0]).erfinv(), [.infinity, -.infinity, .nan, 0])
    expectClose(y.converted(to: .float32).erfinv(), y.erfinv().doubles, atol: 1e-5, rtol: 1e-5)
    expectGradcheck("erfinv", { $0.erfinv() }, at: uniform([3, 4], -0.9...0.9, seed: 32))
  }

  @Test func digammaValues() {
    let x = Tensor([1, 0.5, 2, 10.5, -0.5, -2.25, 100])
    let want = [
      -eulerGamma, -eulerGamma - 2 * Foundation.log(2.0), 1 - eulerGamma,
      // ψ(10.5) by the recurrence from ψ(0.5).
      (0..<10).reduce(-eulerGamma - 2 * Foundation.log(2.0)) { $0 + 1 / (0.5 + Double($1)) },
      // Reflection: ψ(1 − x) − ψ(x) = π cot(πx).
      -eulerGamma - 2 * Foundation.log(2.0) + 2,
      // ψ(−2.25) is checked through the recurrence below.
      .nan,
      4.600_161_852_738_087_4,
    ]
    let got = x.digamma().doubles
    expectClose(Array(got[0..<5]), Array(want[0..<5]), rtol: 1e-13, "digamma")
    expectClose([got[6]], [want[6]], rtol: 1e-14, "digamma(100)")
    // ψ(x) − ψ(x + 1) = −1/x for the negative argument.
    let pair = Tensor([-2.25, -1.25]).digamma().doubles
    expectClose([pair[1] - pair[0]], [1 / -2.25], rtol: 1e-12, "digamma recurrence at −2.25")
    expectClose(Tensor([0.0, -0.0, -2]).digamma(), [-.infinity, .infinity, .nan])
  }

  @Test func polygammaValues() {
    let pi = Double.pi
    let zeta3 = 1.202_056_903_159_594_285_399_738_161_511
    let x = Tensor([1.0])
    expectClose(x.polygamma(1), [pi * pi / 6], rtol: 1e-14)
    expectClose(x.polygamma(2), [-2 * zeta3], rtol: 1e-14)
    expectClose(x.polygamma(3), [pi * pi * pi * pi / 15], rtol: 1e-14)
    // Trigamma at 0.5 is π²/2; the recurrence gives it below zero.
    expectClose(Tensor([0.5, -0.5]).polygamma(1), [pi * pi / 2, pi * pi / 2 + 4], rtol: 1e-13)
  }

  @Test func gammaFamilyDerivatives() {
    // lgamma′ = ψ, ψ′ = ψ⁽¹⁾, ψ⁽ⁿ⁾′ = ψ⁽ⁿ⁺¹⁾: gradcheck checks each against finite differences,
    // and its second-order checks chain two of them.
    let x = Tensor(shape: [2, 3], scalars: [0.4, 1.7, 3.2, 8.5, -0.6, -1.4])
    expectGradcheck("digamma", { $0.digamma() }, at: x)
    expectGradcheck("polygamma(1)", { $0.polygamma(1) }, at: x)
    expectGradcheck("polygamma(2)", { $0.polygamma(2) }, at: x)
  }

  @Test func xlogy() {
    let a = uniform([3, 4], -2...2, seed: 33), b = uniform([4], 0.2...3, seed: 34)
    expectClose(a.xlogy(b), (0..<12).map { a.doubles[$0] * Foundation.log(b.doubles[$0 % 4]) })
    expectClose(Tensor([0.0, 0, 1, 0]).xlogy(Tensor([0.0, -1, 0, .nan])), [0, 0, -.infinity, .nan])
    expectGradcheck("xlogy", { [$0[0].xlogy($0[1])] }, at: [a, b])
    expectGradcheck("xlogy (transposed)", { [$0[0].transposed().xlogy($0[1])] }, at: [a.transposed().contiguousCopy(), b])
    // PyTorch: ∂/∂x is 0 where x = 0 and y ≤ 0.
    let x = Tensor([0.0, 0]).requiringGrad(), y = Tensor([0.0, 2]).requiringGrad()
    let g = gradients(of: x.xlogy(y).sum(), wrt: [x, y])
    expectClose(g[0], [0, Foundation.log(2.0)])
    expectClose(g[1], [.nan, 0])
  }
}
