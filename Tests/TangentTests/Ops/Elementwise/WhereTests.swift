import Testing
import TangentTesting
@testable import Tangent

@Suite struct WhereTests {
  @Test func selectsWithBroadcasting() {
    let c: Tensor = [true, false, true]
    let a = Tensor([[1.0, 2, 3], [4, 5, 6]])
    let y = Tensor.where(c, a, Tensor([-1.0]))
    #expect(y.shape == [2, 3])
    #expect(y.doubles == [1, -1, 3, 4, -1, 6])
    let col = Tensor([[true], [false]])
    let z = Tensor.where(col, Tensor([1.0, 2]), Tensor([10.0, 20]))
    #expect(z.shape == [2, 2])
    #expect(z.doubles == [1, 2, 10, 20])
  }

  @Test func scalarsAndPromotion() {
    let x = Tensor([-1.0, 2, -3])
    #expect(Tensor.where(x .> 0, x, 0).doubles == [0, 2, 0])
    #expect(Tensor.where(x .> 0, 1, x).doubles == [-1, 1, -3])
    let i: Tensor = [1, 2, 3]
    let m = Tensor.where(i .>= 2, i, Tensor([0.5]))
    #expect(m.dtype == .float64)
    #expect(m.doubles == [0.5, 2, 3])
    #expect(Tensor.where(i .> 1, i, 0).dtype == .int64)
  }

  @Test func nonContiguousAndEmpty() {
    let x = grid([3, 2]).transposed()  // [2, 3]
    let y = Tensor.where(x .> 2, x, -x)
    #expect(y.doubles == x.doubles.map { $0 > 2 ? $0 : -$0 })
    #expect(Tensor.where(Tensor.zeros([0], dtype: .bool), Tensor.zeros([0]), Tensor.zeros([0])).shape == [0])
  }

  @Test func bigInputsUseTheStridedPlan() {
    // Large enough to split across cores; the condition broadcasts along rows.
    let x = grid([300, 200])
    let c = Tensor(shape: [200], scalars: (0..<200).map { $0 % 3 == 0 })
    let y = Tensor.where(c, x, x.transposed().transposed() * -1)
    let xv = x.doubles
    #expect(y.doubles == xv.indices.map { ($0 % 200) % 3 == 0 ? xv[$0] : -xv[$0] })
  }

  @Test func gradients() {
    var rng = TestRandom(seed: 5)
    let mask = rng.tensor([3, 4]) .> 0
    let rowMask = rng.tensor([4]) .> 0
    expectGradients([[3, 4], [3, 4]]) { xs in [Tensor.where(mask, xs[0], xs[1])] }
    // Broadcast operands: the cotangents sum over the broadcast dims.
    expectGradients([[3, 1], [4]]) { xs in [Tensor.where(mask, xs[0], xs[1])] }
    expectGradients([[2, 4], [4, 2]]) { xs in [Tensor.where(rowMask, xs[0], xs[1].transposed())] }
    // One operand constant.
    expectGradients([3, 4]) { Tensor.where(mask, $0 * $0, 0) }
  }

  @Test func nonBoolConditionStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.where(Tensor.zeros([2]), Tensor.zeros([2]), Tensor.zeros([2]))
    }
  }
}
