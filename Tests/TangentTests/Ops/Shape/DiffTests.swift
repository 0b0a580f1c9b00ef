import Testing
import TangentTesting
@testable import Tangent

@Suite struct DiffTests {
  @Test func values() {
    let x = (grid([3, 4]) * grid([3, 4]))  // squares, so second differences are 2
    #expect(x.diff().doubles == reference([3, 3]) { value(x, [$0[0], $0[1] + 1]) - value(x, $0) }.doubles)
    #expect(x.diff(n: 2).doubles == [Double](repeating: 2, count: 6))
    #expect(x.diff(dim: 0).doubles == reference([2, 4]) { value(x, [$0[0] + 1, $0[1]]) - value(x, $0) }.doubles)
    #expect(x.diff(n: 0).doubles == x.doubles)
    // n = 0 leaves out prepend and append, as PyTorch does (OpInfo diff#22: [5, 5], not [8, 5]).
    #expect(x.diff(n: 0, dim: 0, prepend: grid([1, 4]), append: grid([2, 4])).shape == [3, 4])
    #expect(x.diff(n: 7).shape == [3, 0])
    #expect(Tensor([1.0, 4, 9]).diff(prepend: Tensor([0.0]), append: Tensor([16.0, 25])).doubles == [1, 3, 5, 7, 9])
    let b = Tensor(shape: [4], scalars: [true, true, false, true])
    #expect(b.diff().scalars(as: Bool.self) == [false, true, true])
    #expect(Tensor.arange(0, 4).diff().dtype == .int64)
  }

  @Test func nonContiguous() {
    let x = grid([4, 3]).transposed()  // [3, 4]
    #expect(x.diff(dim: -1).doubles == [Double](repeating: 3, count: 9))
    #expect(x.diff(dim: 0, append: grid([1, 4])).doubles == [1, 1, 1, 1, 1, 1, 1, 1, -2, -4, -6, -8])
  }

  @Test func gradients() {
    expectGradients([3, 4]) { $0.diff(n: 2) }
    expectGradients([4, 3]) { $0.transposed().diff(dim: 0) }
    expectGradients([[3, 4], [3, 1], [3, 2]]) { xs in [xs[0].diff(n: 3, prepend: xs[1], append: xs[2])] }
  }

  @Test func negativeOrderStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([3]).diff(n: -1)
    }
  }
}
