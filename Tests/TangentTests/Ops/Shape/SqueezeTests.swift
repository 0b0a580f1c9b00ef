import Testing
import TangentTesting
@testable import Tangent

@Suite struct SqueezeTests {
  @Test func squeezeAll() {
    let x = grid([1, 3, 1, 2])
    let y = x.squeezed()
    #expect(y.shape == [3, 2])
    #expect(y.doubles == x.doubles)
    #expect(sharesStorage(x, y))
    #expect(Tensor.zeros([1, 1]).squeezed().shape == [])
  }

  @Test func squeezeDims() {
    let x = grid([1, 3, 1, 2])
    #expect(x.squeezed(dims: [0]).shape == [3, 1, 2])
    #expect(x.squeezed(dims: [-2, 0]).shape == [3, 2])
    // Dims that are not of size 1 are kept, as in PyTorch.
    #expect(x.squeezed(dim: 1).shape == [1, 3, 1, 2])
    #expect(Tensor(2.0).squeezed(dim: 0).shape == [])
    #expect(Tensor.zeros([0, 1]).squeezed(dim: 1).shape == [0])
  }

  @Test func unsqueeze() {
    let x = grid([2, 3])
    #expect(x.unsqueezed(dim: 0).shape == [1, 2, 3])
    #expect(x.unsqueezed(dim: 2).shape == [2, 3, 1])
    #expect(x.unsqueezed(dim: -1).shape == [2, 3, 1])
    #expect(x.unsqueezed(dim: -3).shape == [1, 2, 3])
    #expect(Tensor(1.0).unsqueezed(dim: 0).shape == [1])
    #expect(sharesStorage(x, x.unsqueezed(dim: 1)))
  }

  @Test func nonContiguousStaysAView() {
    let x = grid([3, 1, 4]).permuted([2, 1, 0])  // [4, 1, 3]
    let y = x.squeezed()
    #expect(y.shape == [4, 3])
    #expect(sharesStorage(x, y))
    #expect(y.doubles == reference([4, 3]) { value(x, [$0[0], 0, $0[1]]) }.doubles)
    let z = x.transposed(0, 2).unsqueezed(dim: 1)
    #expect(z.shape == [3, 1, 1, 4])
    #expect(sharesStorage(x, z))
    #expect(z.doubles == reference([3, 1, 1, 4]) { value(x, [$0[3], 0, $0[0]]) }.doubles)
  }

  @Test func gradients() {
    expectGradients([1, 3, 1, 2]) { $0.squeezed() }
    expectGradients([2, 1, 3]) { $0.permuted([2, 1, 0]).squeezed(dim: -2) }
    expectGradients([2, 3]) { $0.transposed().unsqueezed(dim: 1) }
  }

  @Test func badDimStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 3]).unsqueezed(dim: 3)
    }
  }
}
