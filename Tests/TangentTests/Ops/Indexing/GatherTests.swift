import Testing
import TangentTesting
@testable import Tangent

@Suite struct GatherTests {
  @Test func gatherValues() {
    let x = grid([3, 4])
    let index: Tensor = [[1, 3], [0, 0], [3, 2]]
    let y = x.gather(dim: 1, index: index)
    #expect(y.shape == [3, 2])
    #expect(y.doubles == [1, 3, 4, 4, 11, 10])
    let rows: Tensor = [[2, 0, 1, 2]]
    #expect(x.gather(dim: -2, index: rows).doubles == [8, 1, 6, 11])
    // A smaller index in the other dims reads the leading part.
    let z = grid([2, 3, 4]).gather(dim: 2, index: Tensor(shape: [1, 2, 1], scalars: [Int64(3), 1]))
    #expect(z.doubles == [3, 5])
    #expect(Tensor(4.0).gather(dim: 0, index: Tensor(Int64(0))).scalar == 4)
    #expect(x.gather(dim: 1, index: Tensor.zeros([3, 0], dtype: .int64)).shape == [3, 0])
  }

  @Test func gatherNonContiguousInputAndIndex() {
    let x = grid([4, 3]).transposed()  // [3, 4], x[i, j] = 3j + i
    let index = Tensor(shape: [2, 3], scalars: [Int64(0), 3, 1, 2, 2, 0]).transposed()  // [3, 2]
    let y = x.gather(dim: 1, index: index)
    let idx = index.contiguousValues().scalars(as: Int64.self)
    #expect(y.doubles == reference([3, 2]) { i in value(x, [i[0], Int(idx[i[0] * 2 + i[1]])]) }.doubles)
  }

  @Test func takeValues() {
    let x = grid([3, 4])
    let t = x.take([[0, -1], [5, 5]] as Tensor)
    #expect(t.shape == [2, 2])
    #expect(t.doubles == [0, 11, 5, 5])
    #expect(grid([4, 3]).transposed().take([1, 4] as Tensor).doubles == [3, 1])
    #expect(x.take(Tensor(Int64(7))).shape == [])
  }

  @Test func takeAlongDimValues() {
    let x = Tensor([[3.0, 1, 2], [0, 5, 4]])
    let order: Tensor = [[1, 2, 0], [0, 2, 1]]  // argsort
    #expect(x.takeAlongDim(order, dim: 1).doubles == [1, 2, 3, 0, 4, 5])
    // Broadcasting outside dim.
    let first: Tensor = [[2], [1]]
    #expect(x.takeAlongDim(first, dim: -1).doubles == [2, 5])
    let shared: Tensor = [[1, 0]]
    let y = x.takeAlongDim(shared, dim: 1)
    #expect(y.shape == [2, 2])
    #expect(y.doubles == [1, 3, 5, 0])
    let rowsB: Tensor = [[1, 0, 1]]
    #expect(grid([2, 1]).takeAlongDim(rowsB, dim: 0).doubles == [1, 0, 1].map(Double.init))
    // No dim: the flattened tensor.
    #expect(x.takeAlongDim([[5, 0]] as Tensor).doubles == [4, 3])
    #expect(x.transposed().takeAlongDim([1, 2] as Tensor).doubles == [0, 1])
  }

  @Test func gradients() {
    let index: Tensor = [[1, 3], [0, 0], [3, 2]]
    expectGradients([3, 4]) { $0.gather(dim: 1, index: index) }
    expectGradients([4, 3]) { $0.transposed().gather(dim: -1, index: index) }
    expectGradients([3, 4]) { $0.take([[0, -1], [5, 5]] as Tensor) }
    expectGradients([2, 3]) { $0.takeAlongDim([[1, 0]] as Tensor, dim: 1) }
    expectGradients([2, 1]) { $0.takeAlongDim([[1, 0, 1]] as Tensor, dim: 0) }
    expectGradients([2, 3]) { $0.takeAlongDim([4, 4, 0] as Tensor) }
  }

  @Test func outOfRangeIndexStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 3]).gather(dim: 1, index: [[0], [3]] as Tensor)
    }
  }

  @Test func rankMismatchStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 3]).gather(dim: 1, index: [0, 1] as Tensor)
    }
  }
}
