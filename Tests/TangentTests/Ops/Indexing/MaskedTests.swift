import Testing
import TangentTesting
@testable import Tangent

@Suite struct MaskedTests {
  let mask = Tensor(shape: [3, 4], scalars: [true, false, false, true, false, true, true, false, false, false, false, true])

  @Test func maskedFillValues() {
    let x = grid([3, 4])
    let flags = mask.scalars(as: Bool.self)
    #expect(x.maskedFill(mask, value: -1).doubles == x.doubles.enumerated().map { flags[$0.offset] ? -1 : $0.element })
    // A broadcast mask, and a 0-d tensor value.
    let row = Tensor(shape: [4], scalars: [false, true, true, false])
    let y = x.maskedFill(row, value: Tensor(9.0))
    #expect(y.doubles == reference([3, 4]) { i in i[1] == 1 || i[1] == 2 ? 9 : value(x, i) }.doubles)
    let i = Tensor.arange(0, 4).maskedFill(Tensor(shape: [4], scalars: [true, false, false, false]), value: 2.7)
    #expect(i.dtype == .int64)
    #expect(i.doubles == [2, 1, 2, 3])
  }

  @Test func maskedSelectValues() {
    let x = grid([3, 4])
    #expect(x.maskedSelect(mask).doubles == [0, 3, 5, 6, 11])
    let t = grid([4, 3]).transposed()  // non-contiguous [3, 4]
    #expect(t.maskedSelect(mask).doubles == [0, 9, 4, 7, 11])
    // Broadcasting both ways: [4] with [2, 1, 4].
    let v = Tensor([1.0, 2, 3, 4])
    let m = Tensor(shape: [2, 1, 4], scalars: [false, true, true, false, true, false, false, true])
    #expect(v.maskedSelect(m).doubles == [2, 3, 1, 4])
    #expect(x.maskedSelect(Tensor(false)).shape == [0])
  }

  @Test func gradients() {
    expectGradients([3, 4]) { $0.maskedFill(mask, value: 2) }
    expectGradients([[4, 3], []]) { xs in [xs[0].transposed().maskedFill(mask, value: xs[1])] }
    expectGradients([4, 3]) { $0.transposed().maskedSelect(mask) }
    expectGradients([4]) { $0.maskedSelect(Tensor(shape: [2, 1, 4], scalars: [false, true, true, false, true, false, false, true])) }
  }

  @Test func nonBoolMaskStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2]).maskedFill(Tensor([1.0, 0]), value: 1)
    }
  }
}
