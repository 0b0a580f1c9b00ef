import Tangent
import TangentTesting
import Testing

@Suite struct LinalgEdgeCaseTests {
  @Test func emptyMatricesAndBatches() throws {
    #expect(try Linalg.inv(Tensor.zeros([2, 0, 0])).shape == [2, 0, 0])
    #expect(try Linalg.inv(Tensor.zeros([0, 3, 3])).shape == [0, 3, 3])
    #expect(try Linalg.solve(Tensor.zeros([0, 0]), Tensor.zeros([0, 3])).shape == [0, 3])
    #expect(try Linalg.solve(Tensor.eye(3), Tensor.zeros([3, 0])).shape == [3, 0])
    #expect(try Linalg.cholesky(Tensor.zeros([0, 0])).shape == [0, 0])
    #expect(Linalg.det(Tensor.zeros([0, 2, 2])).shape == [0])
    #expect(Linalg.slogdet(Tensor.zeros([3, 0, 0])).logAbsDet.doubles == [0, 0, 0])
    let (p, l, u) = Linalg.lu(Tensor.zeros([0, 3]))
    #expect(p.shape == [0, 0] && l.shape == [0, 0] && u.shape == [0, 3])
    #expect(Linalg.solveTriangular(Tensor.eye(2), Tensor.zeros([2, 0]), upper: true).shape == [2, 0])
  }

  @Test func oneByOneMatrices() throws {
    let a = Tensor([[4.0]])
    #expect(try Linalg.inv(a).doubles == [0.25])
    #expect(Linalg.det(a).doubles == [4])
    #expect(try Linalg.cholesky(a).doubles == [2])
    expectGradcheck("det 1×1", { [Linalg.det($0[0])] }, at: [a])
    expectGradcheck("inv 1×1", { [try! Linalg.inv($0[0])] }, at: [a])
  }

  @Test func nonSquareMatrixStops() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = try? Linalg.inv(Tensor.zeros([3, 4]))
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("Linalg.inv") && message.contains("[3, 4]"), "\(message)")
  }

  @Test func mismatchedRightHandSideStops() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = try? Linalg.solve(Tensor.eye(3), Tensor.zeros([4, 2]))
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("Linalg.solve") && message.contains("[3, 3]") && message.contains("[4, 2]"), "\(message)")
  }
}
