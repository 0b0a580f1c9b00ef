import Foundation
import Testing
import Tangent
import TangentTesting

@Suite struct ReverseTests {
  @Test func backwardAccumulatesIntoLeaves() {
    var w = Tensor([1.0, 2.0, 3.0])
    w.requiresGrad = true
    (w * w).sum().backward()
    #expect(w.grad?.doubles == [2, 4, 6])
    (w * 3).sum().backward()
    #expect(w.grad?.doubles == [5, 7, 9])
    w.zeroGrad()
    #expect(w.grad == nil)
  }

  @Test func sharedSubexpressionsSumTheirCotangents() {
    let x = Tensor([0.5, -1.0]).requiringGrad()
    let s = x.sin()
    let y = (s * s + s).sum()
    let g = gradients(of: y, wrt: [x])[0]
    let want = x.detached.doubles.map { 2 * sin($0) * cos($0) + cos($0) }
    for (a, b) in zip(g.doubles, want) { #expect(abs(a - b) < 1e-12) }
  }

  @Test func createGraphGivesSecondDerivatives() {
    let x = Tensor([0.7]).requiringGrad()
    let y = (x * x * x).sin().sum()
    let g = gradients(of: y, wrt: [x], createGraph: true)[0]
    let h = gradients(of: g.sum(), wrt: [x])[0]
    let v = 0.7
    let want = -sin(v * v * v) * 9 * pow(v, 4) + cos(v * v * v) * 6 * v
    #expect(abs(h.scalar - want) < 1e-12)
  }

  @Test func withoutDerivativeRecordsNothing() {
    let x = Tensor([1.0]).requiringGrad()
    let y = withoutDerivative { x * x }
    #expect(!y.requiresGrad)
    #expect((x * x).requiresGrad)
  }

  @Test func unusedInputsGetZeros() {
    let x = Tensor([1.0, 2.0]).requiringGrad(), z = Tensor([5.0]).requiringGrad()
    let g = gradients(of: (x * x).sum(), wrt: [x, z])
    #expect(g[1].doubles == [0])
  }

  @Test func forwardOverReverseThroughTheTape() {
    // The tangent of the gradient of sum(x³) along v is 6 x v.
    let hv: [Double] = withDualLevel { l in
      let x = Tensor([1.0, 2.0]).dual(tangent: Tensor([1.0, -1.0]), at: l).requiringGrad()
      let g = gradients(of: (x * x * x).sum(), wrt: [x])[0]
      return g.tangent(at: l)!.doubles
    }
    #expect(hv == [6, -12])
  }

  @Test func reverseOverForward() {
    // d/dx of the tangent of sin(x)·x along 1: d/dx (cos(x)·x + sin(x)) = 2cos x − x sin x.
    let x = Tensor([0.4]).requiringGrad()
    let t: Tensor = withDualLevel { l in
      ((x.dual(tangent: Tensor([1.0]), at: l)).sin() * x.dual(tangent: Tensor([1.0]), at: l)).tangent(at: l)!
    }
    let g = gradients(of: t.sum(), wrt: [x])[0].scalar
    #expect(abs(g - (2 * cos(0.4) - 0.4 * sin(0.4))) < 1e-12)
  }

  @Test func secondBackwardWithoutRetainStops() async {
    await #expect(processExitsWith: .failure) {
      let x = Tensor([1.0]).requiringGrad()
      let y = (x.exp() * x).sum()
      y.backward()
      y.backward()
    }
  }

  @Test func backwardOnAPlainTensorStops() async {
    await #expect(processExitsWith: .failure) { Tensor([1.0]).sum().backward() }
  }
}
