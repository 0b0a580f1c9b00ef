import Testing
import TangentTesting
@testable import Tangent

@Suite struct LowRankTests {
  @Test func lowRankMatrixIsRecovered() throws {
    var rng = TestRandom(seed: 4)
    let a = rng.tensor([6, 2]).matmul(rng.tensor([2, 5]))
    var g = SeededGenerator(seed: 1)
    let (u, s, v) = try Linalg.svdLowRank(a, q: 2, using: &g)
    #expect(u.shape == [6, 2] && s.shape == [2] && v.shape == [5, 2])
    #expect((u * s.unsqueezed(dim: -2)).matmul(v.mT).allClose(a, atol: 1e-10))
    #expect(s.allClose(try Linalg.svdvals(a).narrowed(dim: 0, start: 0, length: 2)))
    #expect(u.mT.matmul(u).allClose(Tensor.eye(2), atol: 1e-12))
  }

  @Test func pcaCentres() throws {
    var rng = TestRandom(seed: 5)
    let a = rng.tensor([5, 3]) + 10
    var g = SeededGenerator(seed: 2)
    let (_, s, _) = try Linalg.pcaLowRank(a, q: 3, using: &g)
    let centred = a - a.mean(dims: [0], keepdim: true)
    #expect(s.allClose(try Linalg.svdvals(centred)))
  }

  @Test func tooLargeQStops() async {
    await #expect(processExitsWith: .failure) { _ = try? Linalg.svdLowRank(Tensor.zeros([3, 2]), q: 3) }
  }
}
