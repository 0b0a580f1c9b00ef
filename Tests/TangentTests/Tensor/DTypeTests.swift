import Testing
import Tangent

@Suite struct DTypeTests {
  @Test(arguments: [
    (DType.bool, DType.int64, DType.int64),
    (.int64, .float32, .float32),
    (.float32, .float64, .float64),
    (.float32, .complex64, .complex64),
    (.float64, .complex64, .complex128),
    (.complex64, .complex128, .complex128),
    (.bool, .complex64, .complex64),
    (.int64, .complex64, .complex64),
    (.bool, .bool, .bool),
  ])
  func promotionFollowsPyTorch(a: DType, b: DType, expected: DType) {
    #expect(DType.promoted(a, b) == expected)
    #expect(DType.promoted(b, a) == expected)
  }

  @Test func arithmeticPromotes() {
    let i = Tensor([Int64(1), 2, 3])
    let f = Tensor([Float(0.5), 0.5, 0.5])
    let d = Tensor([0.25, 0.25, 0.25])
    #expect((i + i).dtype == .int64)
    #expect((i + f).dtype == .float32)
    #expect((f + d).dtype == .float64)
    #expect((i / i).dtype == .float64, "true division of integers gives the default floating dtype")
    #expect((i / i).doubles == [1, 1, 1])
    #expect((f * 2.0).dtype == .float32, "a Swift scalar does not widen a floating tensor")
    #expect((i * 2.0).dtype == .float64)
    #expect((i * 2.0).doubles == [2, 4, 6])
    #expect((i * 2).dtype == .int64, "an integer scalar keeps an integer dtype")
    #expect((f * 2).dtype == .float32)
    let z = Tensor([Complex<Float>(1, 1)])
    #expect((z + d.reshaped([3, 1])).dtype == .complex128)
  }

  @Test func properties() {
    #expect(DType.complex64.real == .float32)
    #expect(DType.float64.complex == .complex128)
    #expect(DType.complex128.byteCount == 16)
    #expect(DType.int64.isFloatingPoint == false)
    #expect(DType.complex64.isFloatingPoint)
  }
}
