import Foundation
import Tangent
import TangentTesting
import Testing

/// logit, entr, xlog1py, logaddexp2 and mvlgamma.
@Suite struct LogarithmicTests {
  @Test func logit() {
    let x = uniform([3, 4], 0.05...0.95, seed: 61)
    expectClose(x.logit(), x.doubles.map { Foundation.log($0 / (1 - $0)) }, rtol: 1e-14)
    expectClose(Tensor([0.1, 0.5, 0.95]).logit(eps: 0.2), [Foundation.log(0.25), 0, Foundation.log(4)], rtol: 1e-14)
    expectGradcheck("logit", { $0.logit() }, at: x)
    // PyTorch: the derivative is NaN outside [0, 1] without eps, 0 outside [eps, 1 − eps] with it.
    let y = Tensor([-0.5, 0.5, 1.5])
    let (_, g) = valueWithGradient(of: { $0.logit().nansum() }, at: y)
    expectClose(g, [.nan, 4, .nan])
    let (_, ge) = valueWithGradient(of: { $0.logit(eps: 0.1).sum() }, at: y)
    expectClose(ge, [0, 4, 0])
  }

  @Test func entr() {
    expectClose(Tensor([0.5, 0, -1, 2, .nan]).entr(), [0.5 * Foundation.log(2), 0, -.infinity, -2 * Foundation.log(2), .nan])
    expectGradcheck("entr", { $0.entr() }, at: uniform([3, 4], 0.2...2, seed: 62))
  }

  @Test func xlog1py() {
    let a = uniform([3, 4], -2...2, seed: 63), b = uniform([4], -0.5...2, seed: 64)
    expectClose(a.xlog1py(b), (0..<12).map { a.doubles[$0] * Foundation.log1p(b.doubles[$0 % 4]) }, rtol: 1e-14)
    expectClose(Tensor([0.0, 0, 1]).xlog1py(Tensor([-1.0, .nan, -1])), [0, .nan, -.infinity])
    expectGradcheck("xlog1py", { [$0[0].xlog1py($0[1])] }, at: [a, b])
  }

  @Test func logAddExp2() {
    let a = uniform([3, 4], -3...3, seed: 65), b = uniform([3, 1], -3...3, seed: 66)
    expectClose(a.logAddExp2(b), (0..<12).map { Foundation.log2(Foundation.exp2(a.doubles[$0]) + Foundation.exp2(b.doubles[$0 / 4])) }, rtol: 1e-14)
    expectClose(Tensor([2000.0, -.infinity, 3]).logAddExp2(Tensor([2000.0, -.infinity, -2000])), [2001, -.infinity, 3])
    expectGradcheck("logAddExp2", { [$0[0].logAddExp2($0[1])] }, at: [a, b])
  }

  @Test func mvlgamma() {
    let x = uniform([3, 4], 2.2...5, seed: 67)
    for p in [1, 3, 5] {
      let want = x.doubles.map { v in
        Double(p * (p - 1)) / 4 * Foundation.log(Double.pi) + (0..<p).reduce(0.0) { $0 + Foundation.lgamma(v - Double($1) / 2) }
      }
      expectClose(x.mvlgamma(p: p), want, rtol: 1e-13, "mvlgamma p = \(p)")
      expectGradcheck("mvlgamma p = \(p)", { $0.mvlgamma(p: p) }, at: x)
    }
  }
}
