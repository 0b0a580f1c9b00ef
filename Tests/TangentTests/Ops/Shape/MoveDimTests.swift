import Testing
import TangentTesting
@testable import Tangent

@Suite struct MoveDimTests {
  @Test func values() {
    let x = grid([2, 3, 4])
    let y = x.movedim(0, to: 2)
    #expect(y.shape == [3, 4, 2])
    #expect(y.doubles == reference([3, 4, 2]) { value(x, [$0[2], $0[0], $0[1]]) }.doubles)
    #expect(sharesStorage(x, y))
    let z = x.movedim([0, -1], to: [-1, 0])  // swap the outer dims
    #expect(z.shape == [4, 3, 2])
    #expect(z.doubles == reference([4, 3, 2]) { value(x, [$0[2], $0[1], $0[0]]) }.doubles)
    let w = x.movedim([2, 0], to: [0, 1])
    #expect(w.shape == [4, 2, 3])
    #expect(w.doubles == reference([4, 2, 3]) { value(x, [$0[1], $0[2], $0[0]]) }.doubles)
    #expect(x.movedim([], to: []).shape == [2, 3, 4])
  }

  @Test func nonContiguous() {
    let x = grid([4, 3]).transposed()  // [3, 4]
    #expect(x.movedim(1, to: 0).doubles == grid([4, 3]).doubles)
  }

  @Test func gradients() {
    expectGradients([2, 3, 4]) { $0.movedim([0, 1], to: [2, 0]) }
    expectGradients([3, 4]) { $0.transposed().movedim(-1, to: 0) }
  }

  @Test func repeatedDimStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 3]).movedim([0, -2], to: [0, 1])
    }
  }
}

@Suite struct UnflattenTests {
  @Test func values() {
    let x = grid([3, 4])
    let y = x.unflattened(dim: 1, sizes: [2, 2])
    #expect(y.shape == [3, 2, 2])
    #expect(y.doubles == x.doubles)
    #expect(sharesStorage(x, y))
    #expect(x.unflattened(dim: -2, sizes: [-1, 1]).shape == [3, 1, 4])
    #expect(grid([6]).unflattened(dim: 0, sizes: [2, -1]).shape == [2, 3])
  }

  @Test func nonContiguousCopies() {
    let x = grid([4, 6]).transposed()  // [6, 4]
    let y = x.unflattened(dim: 0, sizes: [3, 2])
    #expect(y.doubles == reference([3, 2, 4]) { value(x, [$0[0] * 2 + $0[1], $0[2]]) }.doubles)
  }

  @Test func emptyTensors() {
    // An empty tensor reshapes whatever its strides (their check used to fail on it).
    #expect(Tensor.zeros([3, 0]).reshaped([0, 3]).shape == [0, 3])
    #expect(Tensor.zeros([2, 0]).unflattened(dim: 1, sizes: [0, 5]).shape == [2, 0, 5])
    #expect(Tensor.zeros([0]).expanded(to: [2, 0]).reshaped([0, 4]).shape == [0, 4])
  }

  @Test func gradients() {
    expectGradients([3, 4]) { $0.unflattened(dim: -1, sizes: [2, -1]) }
    expectGradients([4, 6]) { $0.transposed().unflattened(dim: 0, sizes: [3, 2]) }
  }

  @Test func wrongSizesStop() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([3, 4]).unflattened(dim: 1, sizes: [3, -1])
    }
  }
}
