import Testing
import TangentTesting
@testable import Tangent

@Suite struct BitwiseTests {
  @Test func values() {
    let a = Tensor([Int64(12), 10, -1]), b = Tensor([Int64(10)])
    #expect(a.bitwiseAnd(b).scalars(as: Int64.self) == [8, 10, 10])
    #expect(a.bitwiseOr(b).scalars(as: Int64.self) == [14, 10, -1])
    #expect(a.bitwiseXor(b).scalars(as: Int64.self) == [6, 0, -11])
    let p = Tensor(shape: [2], scalars: [true, false]), q = Tensor(shape: [2], scalars: [true, true])
    #expect(p.bitwiseAnd(q).dtype == .bool)
    #expect(p.bitwiseXor(q).scalars(as: Bool.self) == [false, true])
    #expect(p.bitwiseOr(Tensor([Int64(2), 0])).scalars(as: Int64.self) == [3, 0])
  }

  @Test func floatingStops() async {
    await #expect(processExitsWith: .failure) { _ = Tensor([1.0]).bitwiseAnd(Tensor([Int64(1)])) }
  }
}
