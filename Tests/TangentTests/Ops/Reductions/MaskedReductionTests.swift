import Testing
import TangentTesting
@testable import Tangent

@Suite struct MaskedReductionTests {
  let x = Tensor([[1.0, 2, 3], [4, 5, 6]])
  let mask = Tensor(shape: [2, 3], scalars: [true, false, true, false, true, true])

  @Test func reductions() {
    #expect(Masked.sum(x, mask: mask).doubles == [15])
    #expect(Masked.sum(x, dims: [1], mask: mask).doubles == [4, 11])
    #expect(Masked.mean(x, dims: [1], mask: mask).doubles == [2, 5.5])
    #expect(Masked.prod(x, dims: [1], mask: mask).doubles == [3, 30])
    #expect(Masked.amax(x, dims: [0], mask: mask).doubles == [1, 5, 6])
    #expect(Masked.amin(x, dims: [1], keepdim: true, mask: mask).shape == [2, 1])
    #expect(Masked.amin(x, dims: [1], mask: mask).doubles == [1, 5])
    #expect(Masked.var(x, dims: [1], mask: mask).doubles == [2, 0.5])
    #expect(Masked.var(x, dims: [1], correction: 0, mask: mask).doubles == [1, 0.25])
    #expect(Masked.std(x, dims: [1], mask: mask).doubles[0] == 2.0.squareRoot())
    #expect(Masked.norm(x, ord: 1, dims: [1], mask: mask).doubles == [4, 11])
    #expect(Masked.median(x, dim: 1, mask: mask).doubles == [1, 5])
    #expect(Masked.cumsum(x, dim: 1, mask: mask).doubles == [1, 1, 4, 0, 5, 11])
    #expect(Masked.cumprod(x, dim: 1, mask: mask).doubles == [1, 1, 3, 1, 5, 30])
    #expect(Masked.sum(x, dims: [1]).doubles == [6, 15])
  }

  @Test func normalisations() {
    let s = Masked.softmax(x, dim: 1, mask: mask)
    #expect(s.doubles[1] == 0 && s.doubles[3] == 0)
    #expect(s.sum(dim: 1).allClose(Tensor([1.0, 1])))
    let l = Masked.logSoftmax(x, dim: 1, mask: mask)
    #expect(l.doubles[1] == -.infinity)
    #expect(Masked.softmin(x, dim: 1, mask: mask).doubles[3] == 0)
    let lse = Masked.logSumExp(x, dims: [1], mask: mask)
    #expect(lse.allClose(Tensor([1.0, 5]).logAddExp(Tensor([3.0, 6]))))
    let n = Masked.normalize(x, ord: 1, dim: 1, mask: mask)
    #expect(n.allClose(Tensor([[0.25, 0, 0.75], [0, 5.0 / 11, 6.0 / 11]])))
    let a = Masked.logAddExp(Tensor([1.0, 2]), Tensor([3.0, 4]), maskA: Tensor(shape: [2], scalars: [false, true]))
    #expect(a.doubles[0] == 3)
  }

  @Test func gradients() {
    expectGradients([[2, 3]]) { [Masked.mean($0[0], dims: [1], mask: mask), Masked.var($0[0], mask: mask)] }
  }

  @Test func misuseStops() async {
    await #expect(processExitsWith: .failure) { _ = Masked.sum(Tensor.zeros([2]), mask: Tensor.zeros([2])) }
    await #expect(processExitsWith: .failure) { _ = Masked.norm(Tensor.zeros([2]), ord: -1) }
  }
}
