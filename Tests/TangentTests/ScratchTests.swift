import Testing
import Tangent
import TangentTesting

@Test func scratchGradcheck() {
  var rng = TestRandom(seed: 1)
  let a = rng.tensor([3, 4]), b = rng.tensor([4])
  let r = gradcheck({ xs in [(xs[0] * xs[1]).sin().exp().sum(dim: -1), (xs[0] / (xs[1] + 3)).tanh()] }, at: [a, b])
  #expect(r.passed, "\(r)")
  let c = rng.tensor([2, 3], dtype: .complex128), d = rng.tensor([3], dtype: .complex128)
  let r2 = gradcheck({ xs in [(xs[0] * xs[1].conj()).exp().sum(dim: 0), (xs[0] / (xs[1] + 3)).tanh().real] }, at: [c, d])
  #expect(r2.passed, "\(r2)")
}
