import Testing
import TangentTesting
@testable import Tangent

@Suite struct ExpandTests {
  @Test func expandIsAView() {
    let x = Tensor([1.0, 2.0])
    let y = x.expanded(to: [3, 2])
    #expect(y.doubles == [1, 2, 1, 2, 1, 2])
    #expect(sharesStorage(x, y))
  }

  /// Chunked tangents of a rank-raising expand used to broadcast the chunk dim against the
  /// output's leading dim (`[K, 1]` → `[K, 3, 2]` aligned K with 3).
  @Test func chunkedTangentsOfRankRaisingExpand() {
    expectGradients([1]) { $0.expanded(to: [3, 2]) }
    expectGradients([2]) { $0.expanded(to: [3, 3, 2]) }
    expectGradients([3, 1]) { $0.expanded(to: [2, 3, 4]) }
  }
}
