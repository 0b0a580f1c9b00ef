import Testing
import TangentTesting
@testable import Tangent

@Suite struct StackVariantsTests {
  @Test func hstackValues() {
    let a = grid([2, 3]), b = grid([2, 1]) + 10
    let h = Tensor.hstack([a, b])
    #expect(h.shape == [2, 4])
    #expect(h.doubles == [0, 1, 2, 10, 3, 4, 5, 11])
    #expect(Tensor.hstack([Tensor([1.0, 2]), Tensor(3.0), Tensor([4.0])]).doubles == [1, 2, 3, 4])
  }

  @Test func vstackValues() {
    let v = Tensor.vstack([grid([2, 3]), Tensor([7.0, 8, 9])])
    #expect(v.shape == [3, 3])
    #expect(v.doubles == [0, 1, 2, 3, 4, 5, 7, 8, 9])
    #expect(Tensor.vstack([Tensor(1.0), Tensor(2.0)]).shape == [2, 1])
  }

  @Test func dstackValues() {
    let d = Tensor.dstack([Tensor([1.0, 2]), Tensor([3.0, 4])])
    #expect(d.shape == [1, 2, 2])
    #expect(d.doubles == [1, 3, 2, 4])
    let m = Tensor.dstack([grid([2, 3]), grid([2, 3, 2]) + 10])
    #expect(m.shape == [2, 3, 3])
    #expect(m.doubles == reference([2, 3, 3]) { i in i[2] == 0 ? Double(i[0] * 3 + i[1]) : Double(10 + (i[0] * 3 + i[1]) * 2 + i[2] - 1) }.doubles)
  }

  @Test func columnStackValues() {
    let c = Tensor.columnStack([Tensor([1.0, 2, 3]), grid([3, 2]), Tensor([7.0, 8, 9])])
    #expect(c.shape == [3, 4])
    #expect(c.doubles == [1, 0, 1, 7, 2, 2, 3, 8, 3, 4, 5, 9])
  }

  @Test func nonContiguousAndPromotion() {
    let t = grid([3, 2]).transposed()  // [[0, 2, 4], [1, 3, 5]]
    #expect(Tensor.vstack([t, t]).doubles == [0, 2, 4, 1, 3, 5, 0, 2, 4, 1, 3, 5])
    let mixed = Tensor.hstack([Tensor.arange(0, 2), Tensor([0.5])])
    #expect(mixed.dtype == .float64)
    #expect(mixed.doubles == [0, 1, 0.5])
  }

  @Test func gradients() {
    expectGradients([[2, 3], [2, 1]]) { [Tensor.hstack($0)] }
    expectGradients([[3], [], [2]]) { [Tensor.hstack($0)] }
    expectGradients([[2, 3], [3]]) { [Tensor.vstack($0)] }
    expectGradients([[3], [3]]) { [Tensor.dstack($0)] }
    expectGradients([[3], [2, 3]]) { xs in [Tensor.columnStack([xs[0], xs[1].transposed()])] }
  }

  @Test func emptyListStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.vstack([])
    }
  }
}
