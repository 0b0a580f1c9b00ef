import Testing
import TangentTesting
@testable import Tangent

@Suite struct IndexWriteTests {
  let rows = Tensor([Int64(2), 0])

  @Test func indexCopyAndFill() {
    let x = grid([3, 2])
    #expect(x.indexCopy(dim: 0, index: rows, source: Tensor([[9.0, 8], [7, 6]])).doubles == [7, 6, 2, 3, 9, 8])
    #expect(x.indexFill(dim: 1, index: Tensor([Int64(-1)]), value: -1).doubles == [0, -1, 2, -1, 4, -1])
    #expect(x.indexFill(dim: 0, index: rows, value: Tensor(5.0)).doubles == [5, 5, 2, 3, 5, 5])
  }

  @Test func fills() {
    let x = grid([2, 2]).transposed()
    #expect(x.filled(with: 3).doubles == [3, 3, 3, 3])
    #expect(x.filled(with: Tensor(-1.0)).doubles == [-1, -1, -1, -1])
    #expect(x.zeroed().doubles == [0, 0, 0, 0])
    #expect(x.zeroed().dtype == .float64)
  }

  @Test func maskedScatter() {
    let mask = Tensor(shape: [2, 2], scalars: [true, false, false, true])
    #expect(grid([2, 2]).maskedScatter(mask, source: Tensor([7.0, 8, 9])).doubles == [7, 1, 2, 8])
    let row = Tensor(shape: [2], scalars: [false, true])
    #expect(grid([2, 2]).maskedScatter(row, source: Tensor([7.0, 8])).doubles == [0, 7, 2, 8])
  }

  @Test func putAndIndexPut() {
    let x = grid([2, 3])
    #expect(x.put(Tensor([Int64(0), -1]), source: Tensor([9.0, 8])).doubles == [9, 1, 2, 3, 4, 8])
    #expect(x.put(Tensor([Int64(1), 1]), source: Tensor([1.0, 2]), accumulate: true).doubles == [0, 4, 2, 3, 4, 5])
    let y = x.indexPut([Tensor([Int64(1), 0]), Tensor([Int64(2), 0])], values: Tensor([7.0, 6]))
    #expect(y.doubles == [6, 1, 2, 3, 4, 7])
    let z = x.indexPut([Tensor([Int64(1)])], values: Tensor(-1.0))
    #expect(z.doubles == [0, 1, 2, -1, -1, -1])
    let m = Tensor(shape: [2, 3], scalars: [true, false, false, false, false, true])
    #expect(x.indexPut([m], values: Tensor([1.0, 2]), accumulate: true).doubles == [1, 1, 2, 3, 4, 7])
  }

  @Test func asStrided() {
    let x = grid([3, 4])
    let y = x.asStrided(size: [2, 2], stride: [1, 2], storageOffset: 1)
    #expect(y.doubles == [1, 3, 2, 4])
    let z = x.asStridedScatter(Tensor([[-1.0, -2], [-3, -4]]), size: [2, 2], stride: [1, 2], storageOffset: 1)
    #expect(z.doubles == [0, -1, -3, -2, -4, 5, 6, 7, 8, 9, 10, 11])
  }

  @Test func scatterReduce() {
    let x = Tensor([1.0, 2, 3]), src = Tensor([4.0, 6, 8]), index = Tensor([Int64(0), 0, 2])
    #expect(x.scatterReduce(dim: 0, index: index, source: src, reduce: .sum).doubles == [11, 2, 11])
    #expect(x.scatterReduce(dim: 0, index: index, source: src, reduce: .sum, includeSelf: false).doubles == [10, 2, 8])
    #expect(x.scatterReduce(dim: 0, index: index, source: src, reduce: .mean).doubles == [11.0 / 3, 2, 5.5])
    #expect(x.scatterReduce(dim: 0, index: index, source: src, reduce: .mean, includeSelf: false).doubles == [5, 2, 8])
  }

  @Test func scatterExtrema() {
    let x = Tensor([1.0, 2, 3]), src = Tensor([4.0, 0, 8, 5]), index = Tensor([Int64(0), 0, 2, 2])
    #expect(x.scatterReduce(dim: 0, index: index, source: src, reduce: .amax).doubles == [4, 2, 8])
    #expect(x.scatterReduce(dim: 0, index: index, source: src, reduce: .amin).doubles == [0, 2, 3])
    #expect(x.scatterReduce(dim: 0, index: index, source: src, reduce: .amin, includeSelf: false).doubles == [0, 2, 5])
    // Ties share the derivative evenly.
    let (_, pullback) = vjp(of: { (a: Tensor) in a.scatterReduce(dim: 0, index: Tensor([Int64(0)]), source: Tensor([1.0]), reduce: .amax) }, at: x)
    #expect(pullback(Tensor([1.0, 1, 1])).doubles == [0.5, 1, 1])
  }

  @Test func maskedIndex() {
    let x = grid([3, 2])
    let y = x.maskedIndex(mask: Tensor(shape: [2, 1], scalars: [true, false]), indices: [Tensor([Int64(2), 9])], fill: -1)
    #expect(y.doubles == [4, 5, -1, -1])
    let z = x.maskedIndexPutAccumulate(mask: Tensor(shape: [2, 1], scalars: [true, false]), indices: [Tensor([Int64(0), -9])], values: Tensor.ones([2, 2]))
    #expect(z.doubles == [1, 2, 2, 3, 4, 5])
  }

  @Test func gradients() {
    expectGradients([[3, 4], [2, 4]]) { [$0[0].indexCopy(dim: 0, index: rows, source: $0[1])] }
    expectGradients([[2, 3], [2]]) { [$0[0].indexPut([Tensor([Int64(1), 0]), Tensor([Int64(2), 0])], values: $0[1])] }
    expectGradients([[3, 4]]) { [$0[0].asStrided(size: [3, 2], stride: [1, 1])] }
  }

  @Test func misuseStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 2]).maskedScatter(Tensor(shape: [2], scalars: [true, true]), source: Tensor.zeros([3]))
    }
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([2, 2]).put(Tensor([Int64(4)]), source: Tensor.zeros([1])) }
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([2, 2]).asStrided(size: [2], stride: [4]) }
  }
}
