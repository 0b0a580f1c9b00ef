import Testing
import TangentTesting
@testable import Tangent

@Suite struct TriangleTests {
  @Test func values() {
    let x = grid([3, 4]) + 1
    for k in [-3, -1, 0, 1, 2, 5] {
      #expect(x.tril(diagonal: k).doubles == reference([3, 4]) { $0[1] - $0[0] <= k ? value(x, $0) : 0 }.doubles, "tril \(k)")
      #expect(x.triu(diagonal: k).doubles == reference([3, 4]) { $0[1] - $0[0] >= k ? value(x, $0) : 0 }.doubles, "triu \(k)")
    }
    #expect(x.tril().doubles == [1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0])
  }

  @Test func batchedNonContiguousAndOtherDTypes() {
    let x = grid([2, 4, 3]).transposed()  // [2, 3, 4]
    #expect(x.triu(diagonal: 1).doubles == reference([2, 3, 4]) { $0[2] - $0[1] >= 1 ? value(x, $0) : 0 }.doubles)
    let i = Tensor.arange(1, 5).reshaped([2, 2])  // int64
    #expect(i.tril().dtype == .int64)
    #expect(i.tril().doubles == [1, 0, 3, 4])
    let z = uniform([2, 2], -1...1, dtype: .complex128)
    #expect(z.triu().complexDoubles[2] == .zero)
    #expect(z.triu().complexDoubles[1] == z.complexDoubles[1])
  }

  @Test func gradients() {
    expectGradients([4, 4]) { $0.tril() }
    expectGradients([2, 3, 4]) { $0.triu(diagonal: -1) }
    expectGradients([4, 3]) { $0.transposed().tril(diagonal: 1) }
  }

  @Test func vectorStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([3]).tril()
    }
  }
}
