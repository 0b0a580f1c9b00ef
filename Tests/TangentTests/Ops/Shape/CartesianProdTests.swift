import Testing
import TangentTesting
@testable import Tangent

@Suite struct CartesianProdTests {
  @Test func values() {
    let a = Tensor([1.0, 2, 3]), b = Tensor([4.0, 5])
    let y = Tensor.cartesianProd([a, b])
    #expect(y.shape == [6, 2])
    #expect(y.doubles == [1, 4, 1, 5, 2, 4, 2, 5, 3, 4, 3, 5])
    let z = Tensor.cartesianProd([a, b, Tensor([6.0, 7])])
    #expect(z.shape == [12, 3])
    #expect(z.doubles == reference([12, 3]) { i in
      let r = i[0]
      return [value(a, [r / 4]), value(b, [(r / 2) % 2]), r % 2 == 0 ? 6 : 7][i[1]]
    }.doubles)
    #expect(Tensor.cartesianProd([a]).doubles == a.doubles)
    #expect(Tensor.cartesianProd([a, Tensor.zeros([0])]).shape == [0, 2])
  }

  @Test func nonContiguousAndPromotion() {
    let t = grid([3, 2]).transposed()[0]  // [0, 2, 4], strided
    let y = Tensor.cartesianProd([Tensor.arange(0, 2), t])
    #expect(y.dtype == .float64)
    #expect(y.doubles == [0, 0, 0, 2, 0, 4, 1, 0, 1, 2, 1, 4])
  }

  @Test func gradients() {
    expectGradients([[3], [2], [2]]) { [Tensor.cartesianProd($0)] }
    expectGradients([[2, 3], [2]]) { xs in [Tensor.cartesianProd([xs[0].transposed()[1], xs[1]])] }
  }

  @Test func matrixStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.cartesianProd([Tensor.zeros([2, 2]), Tensor.zeros([2])])
    }
  }
}
