import Testing
import TangentTesting
@testable import Tangent

@Suite struct NarrowTests {
  @Test func valuesAndView() {
    let x = grid([3, 5])
    let y = x.narrowed(dim: 1, start: 1, length: 3)
    #expect(y.shape == [3, 3])
    #expect(y.doubles == reference([3, 3]) { value(x, [$0[0], $0[1] + 1]) }.doubles)
    #expect(sharesStorage(x, y))
  }

  @Test func negativeDimAndStart() {
    let x = grid([2, 3, 4])
    let y = x.narrowed(dim: -1, start: -3, length: 2)
    #expect(y.shape == [2, 3, 2])
    #expect(y.doubles == reference([2, 3, 2]) { value(x, [$0[0], $0[1], $0[2] + 1]) }.doubles)
  }

  @Test func nonContiguousInput() {
    let x = grid([4, 3]).transposed()  // [3, 4], strides [1, 3]
    let y = x.narrowed(dim: 1, start: 2, length: 2)
    #expect(y.doubles == reference([3, 2]) { value(x, [$0[0], $0[1] + 2]) }.doubles)
    #expect(sharesStorage(x, y))
  }

  @Test func emptyResultsAndInputs() {
    let x = grid([2, 3])
    #expect(x.narrowed(dim: 1, start: 3, length: 0).shape == [2, 0])
    #expect(Tensor.zeros([0, 3]).narrowed(dim: 1, start: 1, length: 2).shape == [0, 2])
    // The whole range is the tensor itself.
    #expect(sharesStorage(x.narrowed(dim: 0, start: 0, length: 2), x))
  }

  @Test func gradients() {
    expectGradients([3, 5]) { $0.narrowed(dim: 1, start: 1, length: 3) }
    expectGradients([4, 3]) { $0.transposed().narrowed(dim: -1, start: -2, length: 2) * 2 }
  }

  @Test func badNarrowStops() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 6]).narrowed(dim: 1, start: 5, length: 3)
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("narrow: start 5 + length 3 exceeds dimension 1 of size 6 (shape [2, 6])"), "\(message)")
  }
}

@Suite struct SelectTests {
  @Test func valuesAndView() {
    let x = grid([3, 4])
    let row = x.select(dim: 0, index: 1)
    #expect(row.shape == [4])
    #expect(row.doubles == [4, 5, 6, 7])
    let col = x.select(dim: -1, index: -1)
    #expect(col.doubles == [3, 7, 11])
    #expect(sharesStorage(x, row) && sharesStorage(x, col))
  }

  @Test func threeDimensionsAndNonContiguous() {
    let x = grid([2, 3, 4]).permuted([2, 0, 1])  // [4, 2, 3]
    let y = x.select(dim: 1, index: 1)
    #expect(y.shape == [4, 3])
    #expect(y.doubles == reference([4, 3]) { value(x, [$0[0], 1, $0[1]]) }.doubles)
  }

  @Test func selectingFromEmptyAndToScalar() {
    #expect(Tensor.zeros([0, 3]).select(dim: 1, index: 2).shape == [0])
    let v = Tensor([1.0, 2, 3])
    let s = v.select(dim: 0, index: 2)
    #expect(s.rank == 0)
    #expect(s.scalar == 3)
  }

  @Test func gradients() {
    expectGradients([3, 4]) { $0.select(dim: 1, index: -2) }
    expectGradients([2, 3, 4]) { $0.permuted([2, 0, 1]).select(dim: 0, index: 3) }
  }

  @Test func outOfRangeStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([3]).select(dim: 0, index: 3)
    }
  }
}

@Suite struct SlicedTests {
  @Test func steppedRanges() {
    let x = grid([10])
    #expect(x.sliced(dim: 0, 1..<8, step: 3).doubles == [1, 4, 7])
    #expect(x.sliced(dim: 0, 2..., step: 4).doubles == [2, 6])
    #expect(x.sliced(dim: 0, (-3)...).doubles == [7, 8, 9])
    let m = grid([3, 6])
    let s = m.sliced(dim: -1, ..<5, step: 2)
    #expect(s.shape == [3, 3])
    #expect(s.doubles == reference([3, 3]) { value(m, [$0[0], 2 * $0[1]]) }.doubles)
    #expect(sharesStorage(m, s))
  }

  @Test func gradients() {
    expectGradients([3, 7]) { $0.sliced(dim: 1, 1..., step: 2) }
  }
}
