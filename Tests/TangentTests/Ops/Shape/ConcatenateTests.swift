import Testing
import TangentTesting
@testable import Tangent

@Suite struct ConcatenateTests {
  @Test func catAlongDims() {
    let a = grid([2, 2]), b = grid([2, 3]) + 10
    let c = Tensor.cat([a, b], dim: 1)
    #expect(c.shape == [2, 5])
    #expect(c.doubles == [0, 1, 10, 11, 12, 2, 3, 13, 14, 15])
    let d = Tensor.cat([a, grid([1, 2]) + 10, a], dim: -2)
    #expect(d.shape == [5, 2])
    #expect(d.doubles == [0, 1, 2, 3, 10, 11, 0, 1, 2, 3])
  }

  @Test func promotesAndSkipsLegacyEmpty() {
    let i: Tensor = [1, 2]
    let c = Tensor.cat([i, Tensor([0.5])])
    #expect(c.dtype == .float64)
    #expect(c.doubles == [1, 2, 0.5])
    let e = Tensor.cat([Tensor.zeros([0]), grid([2, 2])])
    #expect(e.shape == [2, 2])
    #expect(Tensor.cat([Tensor.zeros([0]), Tensor.zeros([0])]).shape == [0])
    #expect(Tensor.cat([Tensor.zeros([2, 0]), grid([2, 1])], dim: 1).doubles == [0, 1])
  }

  @Test func nonContiguousInputs() {
    let a = grid([3, 2]).transposed(), b = grid([2, 6])[.all, .range(0..., step: 2)]
    let c = Tensor.cat([a, b], dim: 0)
    #expect(c.shape == [4, 3])
    #expect(c.doubles == a.doubles + b.doubles)
  }

  @Test func stack() {
    let a = Tensor([1.0, 2]), b = Tensor([3.0, 4])
    #expect(Tensor.stack([a, b]).doubles == [1, 2, 3, 4])
    let s = Tensor.stack([a, b], dim: 1)
    #expect(s.shape == [2, 2])
    #expect(s.doubles == [1, 3, 2, 4])
    #expect(Tensor.stack([a, b, a], dim: -1).shape == [2, 3])
    #expect(Tensor.stack([Tensor(1.0), Tensor(2.0)]).doubles == [1, 2])
    #expect(Tensor.stack([a]).shape == [1, 2])
  }

  @Test func gradients() {
    expectGradients([[2, 2], [2, 3], [2, 1]]) { [Tensor.cat($0, dim: 1)] }
    expectGradients([[3, 2], [2, 2]]) { [Tensor.cat([$0[0].transposed(), $0[1]], dim: -1)] }
    expectGradients([[2, 3], [2, 3]]) { [Tensor.stack($0, dim: 1)] }
    // A constant among the inputs.
    expectGradients([2]) { Tensor.cat([$0, Tensor([5.0]), $0 * 2]) }
  }

  @Test func mismatchedShapesStop() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.cat([Tensor.zeros([2, 3]), Tensor.zeros([3, 3])], dim: 1)
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("cat: sizes must match except in dimension 1, got shapes [2, 3] and [3, 3]"), "\(message)")
    await #expect(processExitsWith: .failure) {
      _ = Tensor.stack([Tensor.zeros([2]), Tensor.zeros([3])])
    }
  }
}
