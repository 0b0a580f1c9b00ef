import Testing
import TangentTesting
@testable import Tangent

@Suite struct SplitTests {
  @Test func splitBySizes() {
    let x = grid([2, 5])
    let parts = x.split(sizes: [1, 3, 1], dim: 1)
    #expect(parts.map(\.shape) == [[2, 1], [2, 3], [2, 1]])
    #expect(parts[1].doubles == [1, 2, 3, 6, 7, 8])
    #expect(parts.allSatisfy { sharesStorage($0, x) })
    #expect(x.split(sizes: [0, 5], dim: -1)[0].shape == [2, 0])
  }

  @Test func splitBySize() {
    let x = grid([7])
    #expect(x.split(size: 3).map(\.doubles) == [[0, 1, 2], [3, 4, 5], [6]])
    #expect(x.split(size: 7).count == 1)
    #expect(x.split(size: 10).map(\.shape) == [[7]])
    #expect(Tensor.zeros([0, 2]).split(size: 3).map(\.shape) == [[0, 2]])
  }

  @Test func chunk() {
    let x = grid([6, 2])
    #expect(x.chunked(3).map(\.shape) == [[2, 2], [2, 2], [2, 2]])
    #expect(x.chunked(4).map(\.shape) == [[2, 2], [2, 2], [2, 2]])  // ⌈6/4⌉ = 2: three chunks, as in PyTorch
    #expect(grid([5]).chunked(2).map(\.doubles) == [[0, 1, 2], [3, 4]])
    #expect(x.chunked(2, dim: 1).map(\.shape) == [[6, 1], [6, 1]])
  }

  @Test func unbind() {
    let x = grid([2, 3])
    let rows = x.unbind()
    #expect(rows.map(\.doubles) == [[0, 1, 2], [3, 4, 5]])
    let cols = x.unbind(dim: -1)
    #expect(cols.map(\.doubles) == [[0, 3], [1, 4], [2, 5]])
    #expect(cols.allSatisfy { sharesStorage($0, x) })
    #expect(Tensor.zeros([0, 2]).unbind().isEmpty)
  }

  @Test func nonContiguous() {
    let x = grid([3, 4]).transposed()  // [4, 3]
    let parts = x.split(sizes: [1, 3])
    #expect(parts[1].doubles == reference([3, 3]) { value(x, [$0[0] + 1, $0[1]]) }.doubles)
    #expect(x.unbind(dim: 1)[2].doubles == [8, 9, 10, 11])
  }

  @Test func gradients() {
    expectGradients([[2, 5]]) { $0[0].split(sizes: [1, 3, 1], dim: 1) }
    expectGradients([[4, 3]]) { $0[0].transposed().chunked(2, dim: -1) }
    expectGradients([[3, 2]]) { $0[0].unbind(dim: 1) }
    // Only some pieces used: the others get zero cotangents.
    expectGradients([5, 2]) { x in x.split(size: 2)[2] * 3 }
    expectGradients([3, 2]) { x in x.unbind()[1] }
  }

  @Test func badSizesStop() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([5]).split(sizes: [2, 2])
    }
  }
}
