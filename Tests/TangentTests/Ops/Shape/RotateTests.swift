import Testing
import TangentTesting
@testable import Tangent

@Suite struct RotateTests {
  @Test func rot90Values() {
    let x = grid([2, 3])  // [[0, 1, 2], [3, 4, 5]]
    let y = x.rot90()
    #expect(y.shape == [3, 2])
    #expect(y.doubles == [2, 5, 1, 4, 0, 3])  // numpy.rot90
    #expect(x.rot90(2).doubles == [5, 4, 3, 2, 1, 0])
    #expect(x.rot90(3).doubles == [3, 0, 4, 1, 5, 2])
    #expect(x.rot90(-1).doubles == x.rot90(3).doubles)
    #expect(x.rot90(4).doubles == x.doubles)
    #expect(x.rot90(1, dims: [1, 0]).doubles == x.rot90(-1).doubles)
    let z = grid([2, 3, 4])
    let r = z.rot90(1, dims: [-1, 0])
    #expect(r.shape == [4, 3, 2])
    #expect(r.doubles == reference([4, 3, 2]) { value(z, [1 - $0[2], $0[1], $0[0]]) }.doubles)
  }

  @Test func flips() {
    let x = grid([2, 3])
    #expect(x.fliplr().doubles == [2, 1, 0, 5, 4, 3])
    #expect(x.flipud().doubles == [3, 4, 5, 0, 1, 2])
    #expect(Tensor([1.0, 2, 3]).flipud().doubles == [3, 2, 1])
    let t = grid([3, 2]).transposed()  // [[0, 2, 4], [1, 3, 5]]
    #expect(t.fliplr().doubles == [4, 2, 0, 5, 3, 1])
  }

  @Test func gradients() {
    expectGradients([3, 4]) { $0.rot90() }
    expectGradients([2, 3, 4]) { $0.rot90(-1, dims: [2, 1]) }
    expectGradients([3, 4]) { $0.transposed().fliplr() }
    expectGradients([3, 4]) { $0.flipud() }
  }

  @Test func fliplrOfVectorStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([3]).fliplr()
    }
  }
}
