import Testing
import TangentTesting
@testable import Tangent

@Suite struct RegionScatterTests {
  @Test func selectScatter() {
    let y = Tensor.zeros([2, 3]).selectScatter(Tensor([1.0, 2]), dim: 1, index: -1)
    #expect(y.doubles == [0, 0, 1, 0, 0, 2])
  }

  @Test func sliceScatter() {
    let y = Tensor.zeros([5]).sliceScatter(Tensor([1.0, 2]), start: 1, step: 3)
    #expect(y.doubles == [0, 1, 0, 0, 2])
    let z = grid([2, 3]).sliceScatter(Tensor([[9.0], [8]]), dim: 1, start: -1)
    #expect(z.doubles == [0, 1, 9, 3, 4, 8])
  }

  @Test func diagonalScatter() {
    let y = Tensor.zeros([3, 3]).diagonalScatter(Tensor([1.0, 2]), offset: -1)
    #expect(y.doubles == [0, 0, 0, 1, 0, 0, 0, 2, 0])
    let x = grid([2, 2])
    #expect(x.diagonalScatter(x.diagonal()).doubles == x.doubles)
  }

  @Test func gradients() {
    expectGradients([[3, 4], [3]]) { [$0[0].selectScatter($0[1], dim: 1, index: 2)] }
    expectGradients([[4, 3], [2, 3]]) { [$0[0].sliceScatter($0[1], dim: 0, start: 0, end: 4, step: 2)] }
    expectGradients([[3, 4], [3]]) { [$0[0].diagonalScatter($0[1], offset: 1)] }
  }

  @Test func misuseStops() async {
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([2, 3]).selectScatter(Tensor.zeros([3]), dim: 1, index: 0) }
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([2, 3]).diagonalScatter(Tensor.zeros([3])) }
  }
}
