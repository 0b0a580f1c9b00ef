import Testing
import TangentTesting
@testable import Tangent

@Suite struct BlockDiagTests {
  @Test func values() {
    let a = grid([2, 2]) + 1, b = Tensor([[5.0, 6, 7]]), c = Tensor(8.0), d = Tensor([9.0, 10])
    let y = Tensor.blockDiag([a, b, c, d])
    #expect(y.shape == [5, 8])
    let want = reference([5, 8]) { i in
      switch (i[0], i[1]) {
      case (0..<2, 0..<2): value(a, i)
      case (2, 2..<5): value(b, [0, i[1] - 2])
      case (3, 5): 8
      case (4, 6..<8): value(d, [i[1] - 6])
      default: 0
      }
    }
    #expect(y.doubles == want.doubles)
    #expect(Tensor.blockDiag([]).shape == [1, 0])
    #expect(Tensor.blockDiag([a]).doubles == a.doubles)
  }

  @Test func promotionAndNonContiguous() {
    let t = grid([3, 2]).transposed()  // [2, 3]
    let y = Tensor.blockDiag([Tensor.arange(1, 2).reshaped([1, 1]), t])
    #expect(y.dtype == .float64)
    #expect(y.doubles == [1, 0, 0, 0, 0, 0, 2, 4, 0, 1, 3, 5])
    let z = Tensor.blockDiag([uniform([1, 1], -1...1, dtype: .complex128), Tensor([[2.0]])])
    #expect(z.dtype == .complex128)
  }

  @Test func gradients() {
    expectGradients([[2, 2], [1, 3], [], [2]]) { [Tensor.blockDiag($0)] }
    expectGradients([[3, 2], [0, 2]]) { xs in [Tensor.blockDiag([xs[0].transposed(), xs[1]])] }
  }

  @Test func threeDimensionalStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.blockDiag([Tensor.zeros([1, 1, 1])])
    }
  }
}
