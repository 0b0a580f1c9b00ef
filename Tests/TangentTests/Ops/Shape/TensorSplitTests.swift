import Testing
import TangentTesting
@testable import Tangent

@Suite struct TensorSplitTests {
  @Test func sections() {
    let x = grid([7, 2])
    let parts = x.tensorSplit(sections: 3)
    #expect(parts.map(\.shape) == [[3, 2], [2, 2], [2, 2]])
    #expect(parts[1].doubles == [6, 7, 8, 9])
    #expect(parts.allSatisfy { sharesStorage(x, $0) })
    #expect(x.tensorSplit(sections: 3, dim: -1).map(\.shape) == [[7, 1], [7, 1], [7, 0]])
    #expect(grid([6]).tensorSplit(sections: 4).map { $0.doubles } == [[0, 1], [2, 3], [4], [5]])
  }

  @Test func indices() {
    let x = grid([7])
    #expect(x.tensorSplit(indices: [2, 5]).map { $0.doubles } == [[0, 1], [2, 3, 4], [5, 6]])
    #expect(x.tensorSplit(indices: [1, -2, 2]).map { $0.doubles } == [[0], [1, 2, 3, 4], [], [2, 3, 4, 5, 6]])
    #expect(x.tensorSplit(indices: [9]).map { $0.doubles } == [[0, 1, 2, 3, 4, 5, 6], []])
    #expect(x.tensorSplit(indices: []).map { $0.doubles } == [[0, 1, 2, 3, 4, 5, 6]])
  }

  @Test func nonContiguous() {
    let x = grid([2, 5]).transposed()  // [5, 2]
    let parts = x.tensorSplit(indices: [1, 3], dim: 0)
    #expect(parts.map { $0.doubles } == [[0, 5], [1, 6, 2, 7], [3, 8, 4, 9]])
  }

  @Test func gradients() {
    expectGradients([[7, 2]]) { $0[0].tensorSplit(sections: 3) }
    expectGradients([[7, 2]]) { $0[0].tensorSplit(indices: [1, -2, 2]) }
    expectGradients([[2, 5]]) { $0[0].transposed().tensorSplit(sections: 2, dim: -1) }
  }

  @Test func zeroSectionsStop() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([3]).tensorSplit(sections: 0)
    }
  }
}
