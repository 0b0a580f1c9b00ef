import Testing
import TangentTesting
@testable import Tangent

@Suite struct RepeatTests {
  @Test func repeatedValues() {
    let x = grid([2, 3])
    let y = x.repeated([2, 1, 2])
    #expect(y.shape == [2, 2, 6])
    #expect(y.doubles == reference([2, 2, 6]) { value(x, [$0[1] % 2, $0[2] % 3]) }.doubles)
    #expect(x.repeated([1, 1]).doubles == x.doubles)
    #expect(x.repeated([0, 2]).shape == [0, 6])
    #expect(Tensor(5.0).repeated([3]).doubles == [5, 5, 5])
  }

  @Test func tiledValues() {
    let x = grid([2, 3])
    #expect(x.tiled([2]).doubles == reference([2, 6]) { value(x, [$0[0], $0[1] % 3]) }.doubles)
    #expect(x.tiled([2, 1, 1]).shape == [2, 2, 3])
    #expect(x.tiled([]).doubles == x.doubles)
  }

  @Test func repeatInterleaveValues() {
    let x = grid([2, 3])
    let y = x.repeatInterleave(2, dim: -1)
    #expect(y.shape == [2, 6])
    #expect(y.doubles == reference([2, 6]) { value(x, [$0[0], $0[1] / 2]) }.doubles)
    #expect(x.repeatInterleave(2, dim: 0).doubles == [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5])
    #expect(x.repeatInterleave(2).doubles == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    #expect(x.repeatInterleave(0, dim: 1).shape == [2, 0])
  }

  @Test func nonContiguous() {
    let x = grid([3, 2]).transposed()  // [2, 3]
    #expect(x.repeated([1, 2]).doubles == reference([2, 6]) { value(x, [$0[0], $0[1] % 3]) }.doubles)
    #expect(x.repeatInterleave(2, dim: 1).doubles == reference([2, 6]) { value(x, [$0[0], $0[1] / 2]) }.doubles)
  }

  @Test func gradients() {
    expectGradients([2, 3]) { $0.repeated([2, 1, 2]) }
    expectGradients([3, 2]) { $0.transposed().tiled([3]) }
    expectGradients([2, 3]) { $0.repeatInterleave(3, dim: -2) }
    expectGradients([2, 3]) { $0.repeatInterleave(2) }
  }

  @Test func tooFewCountsStop() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 3]).repeated([2])
    }
  }
}
