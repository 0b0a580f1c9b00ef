import Testing
@testable import Tangent

@Suite struct LiteralsTests {
  @Test func integerLiteralGivesInt64() {
    let t: Tensor = [[1, 2], [3, 4]]
    #expect(t.dtype == .int64)
    #expect(t.shape == [2, 2])
    #expect(t.scalars(as: Int64.self) == [1, 2, 3, 4])
  }

  @Test func mixedLiteralPromotesToFloat() {
    let t: Tensor = [[1.0, 2], [3, 4]]
    #expect(t.dtype == .float64)
    #expect(t.scalars(as: Double.self) == [1, 2, 3, 4])
    let u: Tensor = [true, 2]
    #expect(u.dtype == .int64)
    #expect(u.scalars(as: Int64.self) == [1, 2])
  }

  @Test func boolLiteral() {
    let t: Tensor = [[true, false, true]]
    #expect(t.dtype == .bool)
    #expect(t.shape == [1, 3])
    #expect(t.scalars(as: Bool.self) == [true, false, true])
  }

  @Test func complexLiteral() {
    let t: Tensor = [.complex(1, 2), 3]
    #expect(t.dtype == .complex128)
    #expect(t.complexDoubles == [Complex(1, 2), Complex(3, 0)])
  }

  @Test func swiftValuesInsideLiterals() {
    let x = 2.5, n = 7
    let t: Tensor = [TensorLiteral(x), TensorLiteral(n)]
    #expect(t.dtype == .float64)
    #expect(t.doubles == [2.5, 7])
  }

  @Test func deepNestingAndEmpty() {
    let t: Tensor = [[[1], [2]], [[3], [4]], [[5], [6]]]
    #expect(t.shape == [3, 2, 1])
    #expect(t.scalars(as: Int64.self) == [1, 2, 3, 4, 5, 6])
    let e: Tensor = []
    #expect(e.shape == [0])
    #expect(e.dtype == .float64)
    let e2: Tensor = [[], []]
    #expect(e2.shape == [2, 0])
    #expect(e2.count == 0)
  }

  @Test func initialiserCallsAreLiteralsToo() {
    let t = Tensor([[1.5, 2], [3, 4]])
    #expect(t.shape == [2, 2])
    #expect(t.dtype == .float64)
    let rows: [[Double]] = [[1, 2, 3], [4, 5, 6]]
    let r = Tensor(rows)
    #expect(r.shape == [2, 3])
    #expect(r.doubles == [1, 2, 3, 4, 5, 6])
    let planes: [[[Int64]]] = [[[1, 2]], [[3, 4]]]
    let p = Tensor(planes)
    #expect(p.shape == [2, 1, 2])
    #expect(p.dtype == .int64)
    // Initialisers follow torch.tensor, as array literals do: integer literals are int64.
    #expect(Tensor([[1, 2], [3, 4]]).dtype == .int64)
    #expect(Tensor([[1, 2], [3, 4.5]]).dtype == .float64)
    // Flat arrays of Swift values still use the scalar initialiser.
    let v: [Float] = [1, 2]
    #expect(Tensor(v).dtype == .float32)
  }

  @Test func raggedLiteralStops() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let t: Tensor = [[1, 2], [3]]
      _ = t
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("Tensor literal: ragged nesting: element [1] has 1 elements, but 2 were expected"), "\(message)")
    await #expect(processExitsWith: .failure) {
      let t: Tensor = [[1, 2], 3]
      _ = t
    }
  }

  /// `Tensor([0, 1, 2])` and `let t: Tensor = [0, 1, 2]` agree: int64, as in PyTorch; one
  /// floating literal, or an array of Doubles, gives float64.
  @Test func integerLiteralsAreInt64Everywhere() {
    let literal: Tensor = [0, 1, 2]
    #expect(literal.dtype == .int64)
    #expect(Tensor([0, 1, 2]).dtype == .int64)
    #expect(Tensor([0, 1, 2]).scalars(as: Int64.self) == [0, 1, 2])
    #expect(Tensor(3).dtype == .int64)
    #expect(Tensor(3).shape == [])
    #expect(Tensor([[[1, 2]], [[3, 4]]]).dtype == .int64)
    #expect(Tensor(shape: [2], scalars: [1, 2]).dtype == .int64)
    #expect(Tensor([0, 1, 2.5]).dtype == .float64)
    #expect(Tensor([0.0, 1, 2]).dtype == .float64)
    #expect(Tensor(3.0).dtype == .float64)
    let doubles: [Double] = [0, 1, 2]
    #expect(Tensor(doubles).dtype == .float64)
    let ints: [Int] = [4, 5]
    #expect(Tensor(ints).dtype == .int64)
  }
}
