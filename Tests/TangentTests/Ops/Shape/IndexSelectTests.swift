import Testing
import TangentTesting
@testable import Tangent

@Suite struct IndexSelectTests {
  @Test func selectAlongDims() {
    let x = grid([3, 4])
    let idx: Tensor = [2, 0, 2]
    let rows = x.indexSelect(dim: 0, index: idx)
    #expect(rows.shape == [3, 4])
    #expect(rows.doubles == reference([3, 4]) { value(x, [[2, 0, 2][$0[0]], $0[1]]) }.doubles)
    let cols = x.indexSelect(dim: -1, index: [3, 3, 1])
    #expect(cols.doubles == reference([3, 3]) { value(x, [$0[0], [3, 3, 1][$0[1]]]) }.doubles)
    #expect(x.indexSelect(dim: 0, index: Tensor.zeros([0], dtype: .int64)).shape == [0, 4])
  }

  @Test func integerTensorSubscript() {
    let x = grid([4, 2])
    let i: Tensor = [3, 1]
    #expect(x[i].doubles == [6, 7, 2, 3])
    let j: Tensor = [[0, 1], [-1, 0]]
    let y = x[j]
    #expect(y.shape == [2, 2, 2])
    #expect(y.doubles == [0, 1, 2, 3, 6, 7, 0, 1])
    #expect(!sharesStorage(x, x[i]))
  }

  @Test func nonContiguousSource() {
    let x = grid([4, 3]).transposed()  // [3, 4]
    #expect(x[[2, 0] as Tensor].doubles == [2, 5, 8, 11, 0, 3, 6, 9])
  }

  @Test func indexAddAccumulatesRepeats() {
    let x = Tensor.zeros([3, 2])
    let src = grid([4, 2]) + 1
    let y = x.indexAdd(dim: 0, index: [0, 2, 0, 0], source: src)
    #expect(y.doubles == [13, 16, 0, 0, 3, 4])  // rows 0, 2, 3 of src go to row 0
    #expect(x.doubles == [0, 0, 0, 0, 0, 0])
    let z = Tensor.ones([2, 3]).indexAdd(dim: 1, index: [1], source: Tensor([[5.0], [6.0]]))
    #expect(z.doubles == [1, 6, 1, 1, 7, 1])
  }

  @Test func gradients() {
    // Repeated indices: the VJP scatter-adds.
    expectGradients([4, 3]) { $0[[1, 3, 1] as Tensor] }
    expectGradients([3, 4]) { $0.transposed().indexSelect(dim: 1, index: [2, 2, 0]) }
    expectGradients([[3, 2], [4, 2]]) { xs in [xs[0].indexAdd(dim: 0, index: [0, 2, 0, 1], source: xs[1])] }
  }

  @Test func outOfRangeIndexStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([3])[[3] as Tensor]
    }
  }
}
