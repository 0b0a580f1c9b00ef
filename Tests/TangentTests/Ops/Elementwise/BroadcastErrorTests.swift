import Testing
@testable import Tangent

@Suite struct BroadcastErrorTests {
  @Test func shapeMismatchInAdditionStops() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("add: shapes [2, 3] and [4] do not broadcast"), "\(message)")
  }

  @Test func shapeMismatchInComparisonStops() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3]) .< Tensor.zeros([2])
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("lt: shapes [3] and [2] do not broadcast"), "\(message)")
  }
}
