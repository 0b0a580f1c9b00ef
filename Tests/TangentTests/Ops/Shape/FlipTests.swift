import Testing
import TangentTesting
@testable import Tangent

@Suite struct FlipTests {
  @Test func values() {
    let x = grid([2, 3])
    #expect(x.flipped(dim: 1).doubles == [2, 1, 0, 5, 4, 3])
    #expect(x.flipped(dim: 0).doubles == [3, 4, 5, 0, 1, 2])
    #expect(x.flipped(dims: [0, -1]).doubles == [5, 4, 3, 2, 1, 0])
    let y = x.flipped(dim: 0)
    #expect(y.isContiguous)
    #expect(!sharesStorage(x, y))
  }

  @Test func threeDimensionsNonContiguousAndEmpty() {
    let x = grid([2, 3, 4]).permuted([1, 2, 0])  // [3, 4, 2]
    let y = x.flipped(dims: [0, 2])
    #expect(y.doubles == reference([3, 4, 2]) { value(x, [2 - $0[0], $0[1], 1 - $0[2]]) }.doubles)
    #expect(Tensor.zeros([0, 2]).flipped(dim: 0).shape == [0, 2])
    #expect(Tensor(3.0).flipped(dims: []).scalar == 3)
  }

  @Test func gradients() {
    expectGradients([3, 4]) { $0.flipped(dim: 1) }
    expectGradients([2, 3, 4]) { $0.permuted([1, 2, 0]).flipped(dims: [0, 2]) }
  }
}
