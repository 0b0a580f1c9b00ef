import Foundation
import Tangent
import TangentTesting
import Testing

/// ndtr, log_ndtr, ndtri and erfcx against high-precision references (mpmath), in the tails too.
@Suite struct GaussianTests {
  @Test func ndtrValues() {
    let x = uniform([3, 4], -4...4, seed: 41)
    expectClose(x.ndtr(), x.doubles.map { 0.5 * Foundation.erfc(-$0 / 2.0.squareRoot()) }, rtol: 1e-14)
    expectClose(x.converted(to: .float32).ndtr(), x.ndtr().doubles, atol: 1e-6, rtol: 1e-5)
    expectGradcheck("ndtr", { $0.ndtr() }, at: x)
  }

  @Test func logNdtrValues() {
    let x = Tensor([-40.0, -10, -3, -0.5, 0, 1.5, 6])
    let want = [
      -804.6084420137538, -53.23128515051247, -6.607726221510349, -1.1759117615936185, -0.6931471805599453,
      -0.06914345561223398, -9.865876455243758e-10,
    ]
    expectClose(x.logNdtr(), want, rtol: 1e-13)
    expectGradcheck("logNdtr", { $0.logNdtr() }, at: uniform([3, 4], -8...4, seed: 42))
  }

  @Test func ndtriValues() {
    let p = Tensor([1e-300, 1e-20, 1e-9, 0.01, 0.3, 0.5, 0.975, 0.999999])
    let want = [
      -37.0470962993612, -9.262340089798409, -5.9978070150076865, -2.3263478740408408, -0.5244005127080409, 0,
      1.959963984540054, 4.753424308817087,
    ]
    expectClose(p.ndtri(), want, atol: 1e-14, rtol: 1e-13)
    expectClose(Tensor([0.0, 1, -0.1, 1.1, .nan]).ndtri(), [-.infinity, .infinity, .nan, .nan, .nan])
    let q = uniform([3, 4], 0.01...0.99, seed: 43)
    expectClose(q.ndtri().ndtr(), q.doubles, rtol: 1e-14)
    expectGradcheck("ndtri", { $0.ndtri() }, at: q)
  }

  @Test func erfcxValues() {
    let x = Tensor([-3.5, -1.2, 0, 0.7, 2.5, 11.9, 12.5, 30, 1e5])
    let want = [
      417962.4224457703, 8.062854217063865, 1, 0.525930337349441, 0.2108063640611436, 0.04724523248408767,
      0.04499209900102792, 0.01879588886141675, 5.6418958351954685e-06,
    ]
    expectClose(x.erfcx(), want, rtol: 1e-14)
    expectClose(Tensor([-30.0, .infinity]).erfcx(), [.infinity, 0])
    expectGradcheck("erfcx", { $0.erfcx() }, at: uniform([3, 4], -2...15, seed: 44))
  }
}
