import Testing
import TangentTesting
@testable import Tangent

@Suite struct ScatterTests {
  @Test func scatterValues() {
    let x = Tensor.zeros([3, 4])
    let src = grid([2, 3]) + 1
    let index: Tensor = [[0, 2, 1], [1, 0, 2]]
    let y = x.scatter(dim: 0, index: index, source: src)
    #expect(y.doubles == reference([3, 4]) { i in
      for r in 0..<2 where i[1] < 3 && [[0, 2, 1], [1, 0, 2]][r][i[1]] == i[0] { return value(src, [r, i[1]]) }
      return 0
    }.doubles)
    #expect(x.doubles == [Double](repeating: 0, count: 12))
    // Along the last dim, with a larger source (only its leading part is used).
    let z = Tensor.ones([2, 4]).scatter(dim: -1, index: [[3], [0]] as Tensor, source: grid([2, 5]) + 10)
    #expect(z.doubles == [1, 1, 1, 10, 15, 1, 1, 1])
    // Repeated positions: the last write wins.
    let w = Tensor.zeros([3]).scatter(dim: 0, index: [1, 1] as Tensor, source: Tensor([5.0, 6]))
    #expect(w.doubles == [0, 6, 0])
  }

  @Test func scatterAddValues() {
    let x = Tensor.ones([2, 3])
    let y = x.scatterAdd(dim: 1, index: [[0, 0, 2], [1, 1, 1]] as Tensor, source: grid([2, 3]) + 1)
    #expect(y.doubles == [4, 1, 4, 1, 16, 1])
    let z = Tensor.zeros([3]).scatterAdd(dim: 0, index: [2, 2] as Tensor, source: Tensor([1.0, 2, 4]))
    #expect(z.doubles == [0, 0, 3])
  }

  @Test func nonContiguousAndConversion() {
    let x = grid([4, 3]).transposed()  // [3, 4]
    let src = grid([3, 2]).transposed()  // [2, 3]
    let index: Tensor = [[2, 0, 1], [0, 1, 2]]
    let y = x.scatter(dim: 0, index: index, source: src)
    #expect(y.doubles == reference([3, 4]) { i in
      for r in 0..<2 where i[1] < 3 && [[2, 0, 1], [0, 1, 2]][r][i[1]] == i[0] { return value(src, [r, i[1]]) }
      return value(x, i)
    }.doubles)
    let a = x.scatterAdd(dim: 0, index: index, source: src)
    #expect(a.doubles == reference([3, 4]) { i in
      var v = value(x, i)
      for r in 0..<2 where i[1] < 3 && [[2, 0, 1], [0, 1, 2]][r][i[1]] == i[0] { v += value(src, [r, i[1]]) }
      return v
    }.doubles)
    let f = Tensor.zeros([3], dtype: .float32).scatterAdd(dim: 0, index: [0] as Tensor, source: Tensor([2.5]))
    #expect(f.dtype == .float32)
    #expect(f.doubles == [2.5, 0, 0])
  }

  @Test func gradients() {
    let index: Tensor = [[0, 2, 1], [1, 0, 2]]
    expectGradients([[3, 4], [2, 3]]) { [$0[0].scatter(dim: 0, index: index, source: $0[1])] }
    expectGradients([[4, 3], [3, 3]]) { [$0[0].transposed().scatter(dim: -2, index: index, source: $0[1])] }
    let repeats: Tensor = [[0, 0, 2], [1, 1, 1]]
    expectGradients([[2, 3], [2, 4]]) { [$0[0].scatterAdd(dim: 1, index: repeats, source: $0[1])] }
    expectGradients([[3, 2], [2, 3]]) { [$0[0].transposed().scatterAdd(dim: 1, index: repeats, source: $0[1])] }
  }

  @Test func sourceTooSmallStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([3, 4]).scatter(dim: 0, index: [[0, 1, 2]] as Tensor, source: Tensor.zeros([1, 2]))
    }
  }
}
