import Testing
import TangentTesting
@testable import Tangent

@Suite struct ShapeHelperTests {
  @Test func atLeast() {
    #expect(Tensor(2.0).atLeast1D().shape == [1])
    #expect(Tensor(2.0).atLeast2D().shape == [1, 1])
    #expect(Tensor([1.0, 2]).atLeast2D().shape == [1, 2])
    #expect(Tensor([1.0, 2]).atLeast3D().shape == [1, 2, 1])
    #expect(grid([2, 3]).atLeast3D().shape == [2, 3, 1])
    #expect(grid([2, 3, 4]).atLeast3D().shape == [2, 3, 4])
  }

  @Test func broadcastTensors() {
    let ys = Tensor.broadcastTensors([grid([3, 1]), Tensor([1.0, 2]), Tensor(5.0)])
    #expect(ys.map(\.shape) == [[3, 2], [3, 2], [3, 2]])
    #expect(ys[0].doubles == [0, 0, 1, 1, 2, 2])
    #expect(ys[1].doubles == [1, 2, 1, 2, 1, 2])
    #expect(Tensor.broadcastTensors([]).isEmpty)
  }

  @Test func directionalSplits() {
    let x = grid([2, 4, 2])
    #expect(x.hsplit(sections: 2).map(\.shape) == [[2, 2, 2], [2, 2, 2]])
    #expect(x.vsplit(indices: [1]).map(\.shape) == [[1, 4, 2], [1, 4, 2]])
    #expect(x.dsplit(sections: 2)[1].doubles == [1, 3, 5, 7, 9, 11, 13, 15])
    #expect(Tensor([1.0, 2, 3, 4]).hsplit(indices: [1, 3]).map(\.doubles) == [[1], [2, 3], [4]])
  }

  @Test func meshgrid() {
    let a = Tensor([1.0, 2, 3]), b = Tensor([4.0, 5])
    let ij = Tensor.meshgrid([a, b])
    #expect(ij.map(\.shape) == [[3, 2], [3, 2]])
    #expect(ij[0].doubles == [1, 1, 2, 2, 3, 3])
    #expect(ij[1].doubles == [4, 5, 4, 5, 4, 5])
    let xy = Tensor.meshgrid([a, b], indexing: .xy)
    #expect(xy.map(\.shape) == [[2, 3], [2, 3]])
    #expect(xy[0].doubles == [1, 2, 3, 1, 2, 3])
    #expect(xy[1].doubles == [4, 4, 4, 5, 5, 5])
  }

  @Test func diagflat() {
    let y = Tensor([[1.0, 2], [3, 4]]).diagflat(offset: 1)
    #expect(y.shape == [5, 5])
    #expect(y.diagonal(offset: 1).doubles == [1, 2, 3, 4])
    #expect(y.sum().doubles == [10])
  }

  @Test func unfold() {
    let x = Tensor([0.0, 1, 2, 3, 4, 5, 6])
    let y = x.unfold(dimension: 0, size: 3, step: 2)
    #expect(y.shape == [3, 3])
    #expect(y.doubles == [0, 1, 2, 2, 3, 4, 4, 5, 6])
    let z = grid([2, 4]).unfold(dimension: 0, size: 2, step: 1)
    #expect(z.shape == [1, 4, 2])
    #expect(z.doubles == [0, 4, 1, 5, 2, 6, 3, 7])
    #expect(Tensor(3.0).unfold(dimension: 0, size: 1, step: 1).shape == [1])
  }

  @Test func combinations() {
    let x = Tensor([1.0, 2, 3])
    #expect(x.combinations().doubles == [1, 2, 1, 3, 2, 3])
    let r = x.combinations(r: 2, withReplacement: true)
    #expect(r.shape == [6, 2])
    #expect(r.doubles == [1, 1, 1, 2, 1, 3, 2, 2, 2, 3, 3, 3])
    #expect(x.combinations(r: 4).shape == [0, 4])
    #expect(x.combinations(r: 0).shape == [0])
  }

  @Test func reversedTransposes() {
    #expect(grid([2, 3, 4]).T.shape == [4, 3, 2])
    #expect(grid([2, 3]).T.doubles == grid([2, 3]).transposed().doubles)
    #expect(Tensor([1.0, 2]).T.doubles == [1, 2])
    #expect(grid([2, 3]).H.shape == [3, 2])
    #expect(grid([2, 3]).reshaped(as: Tensor.zeros([3, 2])).shape == [3, 2])
  }

  @Test func misuseStops() async {
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([3, 2]).hsplit(sections: 4) }
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([3]).vsplit(sections: 1) }
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([3]).unfold(dimension: 0, size: 4, step: 1) }
    await #expect(processExitsWith: .failure) { _ = Tensor.meshgrid([Tensor.zeros([2, 2])]) }
  }
}
