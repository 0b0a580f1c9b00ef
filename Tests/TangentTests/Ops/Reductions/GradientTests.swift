import Testing
import TangentTesting
@testable import Tangent

@Suite struct GradientTests {
  @Test func finiteDifferences() {
    let x = Tensor([1.0, 4, 9, 16])
    #expect(x.gradient()[0].doubles == [3, 4, 6, 7])
    #expect(x.gradient(spacing: 0.5)[0].doubles == [6, 8, 12, 14])
    let g = grid([2, 3]).gradient()
    #expect(g[0].doubles == [3, 3, 3, 3, 3, 3])
    #expect(g[1].doubles == [1, 1, 1, 1, 1, 1])
    #expect(Tensor([1.0, 3]).gradient()[0].doubles == [2, 2])
  }

  @Test func safeSoftmax() {
    let x = Tensor([[1.0, 2], [-.infinity, -.infinity]])
    let y = x.safeSoftmax(dim: 1)
    #expect(y.doubles[2] == 0 && y.doubles[3] == 0)
    #expect(y.narrowed(dim: 0, start: 0, length: 1).allClose(Tensor([[1.0, 2]]).softmax(dim: 1)))
  }

  @Test func mode() {
    let x = Tensor([[3.0, 1, 3, 1, 2], [5, 5, 4, 4, 4]])
    let (values, indices) = x.mode(dim: 1)
    #expect(values.doubles == [1, 4])
    #expect(indices.scalars(as: Int64.self) == [3, 4])
    #expect(x.mode(dim: 0, keepdim: true).values.shape == [1, 5])
  }

  @Test func bernoulli() {
    var g = SeededGenerator(seed: 3)
    let y = Tensor([0.0, 1, 0, 1]).bernoulli(using: &g)
    #expect(y.doubles == [0, 1, 0, 1])
    var h = SeededGenerator(seed: 3)
    #expect(Tensor.full([200], 0.5).bernoulli(using: &h).sum().doubles[0] > 50)
  }

  @Test func softmaxBackwardData() {
    let x = Tensor([[0.5, -1, 2]]), g = Tensor([[1.0, 2, 3]])
    let (_, pullback) = vjp(of: { (a: Tensor) in a.softmax(dim: 1) }, at: x)
    #expect(Tensor.softmaxBackwardData(gradOutput: g, output: x.softmax(dim: 1), dim: 1).allClose(pullback(g)))
  }

  @Test func nextAfter() {
    let y = Tensor([1.0, 1, 2]).nextAfter(Tensor([2.0, 0, 2]))
    #expect(y.doubles == [Double(1).nextUp, Double(1).nextDown, 2])
  }

  @Test func misuseStops() async {
    await #expect(processExitsWith: .failure) { _ = Tensor([1.0]).gradient() }
    await #expect(processExitsWith: .failure) { _ = Tensor([1.0]).nextAfter(Tensor([Int64(1)])) }
  }
}
