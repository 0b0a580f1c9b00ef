import Testing
import TangentTesting
@testable import Tangent

@Suite struct DiagonalTests {
  @Test func mainAndOffsetDiagonals() {
    let x = grid([3, 4])
    #expect(x.diagonal().doubles == [0, 5, 10])
    #expect(x.diagonal(offset: 1).doubles == [1, 6, 11])
    #expect(x.diagonal(offset: 3).doubles == [3])
    #expect(x.diagonal(offset: -1).doubles == [4, 9])
    #expect(x.diagonal(offset: -2).doubles == [8])
    #expect(x.diagonal(offset: 4).shape == [0])
    #expect(x.diagonal(offset: -5).shape == [0])
    #expect(sharesStorage(x, x.diagonal(offset: 1)))
  }

  @Test func batchedAndSwappedDims() {
    let x = grid([2, 3, 4])
    let d = x.diagonal(offset: 1, dim1: -1, dim2: 0)  // dims 2 and 0; the diagonal goes last
    #expect(d.shape == [3, 1])
    #expect(d.doubles == reference([3, 1]) { value(x, [$0[1] + 1, $0[0], $0[1]]) }.doubles)
    let e = x.diagonal(dim1: 1, dim2: 2)
    #expect(e.shape == [2, 3])
    #expect(e.doubles == reference([2, 3]) { value(x, [$0[0], $0[1], $0[1]]) }.doubles)
  }

  @Test func nonContiguousAndEmpty() {
    let x = grid([4, 3]).transposed()
    #expect(x.diagonal().doubles == [0, 4, 8])
    #expect(Tensor.zeros([0, 3]).diagonal().shape == [0])
  }

  @Test func gradients() {
    expectGradients([3, 4]) { $0.diagonal(offset: 1) }
    expectGradients([3, 4]) { $0.diagonal(offset: -1) }
    expectGradients([2, 3, 4]) { $0.diagonal(offset: -1, dim1: 2, dim2: 1) }
    expectGradients([4, 3]) { $0.transposed().diagonal() }
  }

  @Test func sameDimsStop() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([3, 3]).diagonal(dim1: 1, dim2: -1)
    }
  }
}
