import Foundation
import Testing

@testable import Tangent

// Issue 10, defects 3 and 4: shape arithmetic is checked (no wrapped element counts), and
// conversions and creators stop on values that have no meaning, each with a message naming the
// op and the shape or value.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

@Suite struct ShapeSafetyTests {
  @Test func countsAreExactOrZero() {
    #expect(Shape.count([]) == 1)
    #expect(Shape.count([3, 4, 5]) == 60)
    #expect(Shape.count([Int.max]) == Int.max)
    // A zero size empties the shape, whatever the product of the other sizes would be.
    #expect(Shape.count([1 << 40, 1 << 40, 0]) == 0)
    #expect(Tensor.zeros([0, 1 << 40, 1 << 40]).count == 0)
    #expect(Shape.contiguousStrides([2, 3, 4]) == [12, 4, 1])
  }

  @Test func overflowingShapesStop() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([1 << 40, 1 << 40])
    }
    #expect(stderrText(r0).contains("zeros: shape [1099511627776, 1099511627776] has more elements than Int can count"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([1 << 62, 4])
    }
    #expect(stderrText(r1).contains("zeros: shape [4611686018427387904, 4] has more elements"), "\(stderrText(r1))")
    // The element count fits but the byte count does not.
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.full([1 << 61], 1)
    }
    #expect(stderrText(r2).contains("full: shape [2305843009213693952] of float64 needs more bytes than Int can count"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.randn([1 << 32, 1 << 32])
    }
    #expect(stderrText(r3).contains("randn: shape [4294967296, 4294967296] has more elements"), "\(stderrText(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2]).reshaped([1 << 40, 1 << 40, -1])
    }
    #expect(stderrText(r4).contains("reshape"), "\(stderrText(r4))")
    #expect(stderrText(r4).contains("[1099511627776, 1099511627776"), "\(stderrText(r4))")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.ones([2]).repeated([1 << 40, 1 << 40])
    }
    #expect(stderrText(r5).contains("repeat: shape [1099511627776, 1, 1099511627776, 2]"), "\(stderrText(r5))")
    let r6 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.ones([1]).expanded(to: [1 << 40, 1 << 40])
    }
    #expect(stderrText(r6).contains("shape [1099511627776, 1099511627776] has more elements"), "\(stderrText(r6))")
  }

  @Test func negativeSizesStop() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, -3])
    }
    #expect(stderrText(r0).contains("zeros: negative dimension -3 in shape [2, -3]"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.ones([-1])
    }
    #expect(stderrText(r1).contains("full: negative dimension -1 in shape [-1]"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor(shape: [-2, -3], scalars: [1.0, 2, 3, 4, 5, 6])
    }
    #expect(stderrText(r2).contains("Tensor(shape:scalars:): negative dimension -2 in shape [-2, -3]"), "\(stderrText(r2))")
  }

  @Test func asStridedChecksItsReachBeforeMakingPositions() async {
    let x = Tensor((0..<6).map(Double.init))
    #expect(x.asStrided(size: [2, 2], stride: [3, 2]).doubles == [0, 2, 3, 5])
    #expect(x.asStrided(size: [2, 2], stride: [3, 1], storageOffset: 1).doubles == [1, 2, 4, 5])
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([4]).asStrided(size: [2], stride: [4])
    }
    #expect(stderrText(r0).contains("asStrided: size [2], stride [4] and offset 0 reach element 4, past the 4 elements"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([4]).asStrided(size: [1 << 40, 1 << 40], stride: [1 << 40, 1])
    }
    #expect(stderrText(r1).contains("asStrided: shape [1099511627776, 1099511627776] has more elements"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([4]).asStrided(size: [3], stride: [Int.max / 2 + 1])
    }
    #expect(stderrText(r2).contains("reach past Int"), "\(stderrText(r2))")
  }
}

@Suite struct ConversionSafetyTests {
  @Test func floatToInt64TruncatesInRange() {
    #expect(Tensor([1.9, -1.9, 0x1p62, -0x1p63]).converted(to: .int64).scalars(as: Int64.self) == [1, -1, 1 << 62, Int64.min])
    #expect(Tensor([Float(2.5), -0.5]).converted(to: .int64).scalars(as: Int64.self) == [2, 0])
  }

  @Test func nonFiniteOrOutOfRangeValuesStop() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor([1.0, .nan]).converted(to: .int64)
    }
    #expect(stderrText(r0).contains("converted(to: int64): nan has no int64 value"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor([Float.infinity]).converted(to: .int64)
    }
    #expect(stderrText(r1).contains("converted(to: int64): inf has no int64 value"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor([-Double.infinity]).converted(to: .int64)
    }
    #expect(stderrText(r2).contains("converted(to: int64): -inf has no int64 value"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor([0x1p63]).converted(to: .int64)
    }
    #expect(stderrText(r3).contains("converted(to: int64): 9.223372036854776e+18 has no int64 value"), "\(stderrText(r3))")
  }

  @Test func creatorsRejectNonFiniteBoundsAndZeroSteps() async {
    #expect(Tensor.arange(0, 5, step: 2).scalars(as: Int64.self) == [0, 2, 4])
    #expect(Tensor.linspace(0, 1, count: 3).doubles == [0, 0.5, 1])
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.arange(0, .infinity)
    }
    #expect(stderrText(r0).contains("arange: start, end and step must be finite, got 0.0..<inf step 1.0"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.arange(.nan, 3)
    }
    #expect(stderrText(r1).contains("arange: start, end and step must be finite, got nan..<3.0"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.arange(0, 5, step: 0)
    }
    #expect(stderrText(r2).contains("arange: step must be non-zero"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.arange(0, 1e300, step: 1e-300)
    }
    #expect(stderrText(r3).contains("more than a tensor can hold"), "\(stderrText(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.linspace(0, .nan, count: 3, dtype: .int64)
    }
    #expect(stderrText(r4).contains("linspace: the bounds 0.0 and nan must be finite for dtype int64"), "\(stderrText(r4))")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.full([2], .nan, dtype: .int64)
    }
    #expect(stderrText(r5).contains("nan has no int64 value"), "\(stderrText(r5))")
  }
}
