import Testing
import TangentTesting
@testable import Tangent

@Suite struct SubscriptReadTests {
  @Test func integersAndRanges() {
    let x = grid([3, 4])
    #expect(x[1].doubles == [4, 5, 6, 7])
    #expect(x[-1, 2].scalar == 10)
    #expect(x[1..<3].shape == [2, 4])
    #expect(x[1..<3, 1...2].doubles == [5, 6, 9, 10])
    #expect(x[..<1, 2...].doubles == [2, 3])
    #expect(x[...1, -1].doubles == [3, 7])
    #expect(x[.all, 0].doubles == [0, 4, 8])
    #expect(x[(-2)..., ...(-1)].doubles == [4, 5, 6, 7, 8, 9, 10, 11])
    #expect(x[-3...(-2)].doubles == [0, 1, 2, 3, 4, 5, 6, 7])
    #expect(sharesStorage(x, x[1..<3, 1...2]))
  }

  @Test func stepsClampingAndEmpty() {
    let x = grid([10])
    #expect(x[.range(0..<10, step: 3)].doubles == [0, 3, 6, 9])
    #expect(x[.range(from: 1, to: -1, step: 4)].doubles == [1, 5])
    #expect(x[.range(from: -100, to: 2)].doubles == [0, 1])
    #expect(x[5..<100].doubles == [5, 6, 7, 8, 9])
    #expect(x[7..<7].shape == [0])
    #expect(x[.range(from: 8, to: 3)].shape == [0])
  }

  @Test func ellipsisAndNewAxis() {
    let x = grid([2, 3, 4])
    #expect(x[.ellipsis, 1].shape == [2, 3])
    #expect(x[.ellipsis, 1].doubles == reference([2, 3]) { value(x, [$0[0], $0[1], 1]) }.doubles)
    #expect(x[0, .ellipsis].shape == [3, 4])
    #expect(x[0, .ellipsis, 0].doubles == [0, 4, 8])
    #expect(x[.newAxis].shape == [1, 2, 3, 4])
    #expect(x[.all, .newAxis, 1, .newAxis].shape == [2, 1, 1, 4])
    #expect(x[.ellipsis].shape == [2, 3, 4])
    #expect(sharesStorage(x, x[.all, .newAxis, 1, .newAxis]))
    let s = Tensor(5.0)
    #expect(s[.newAxis].shape == [1])
    #expect(s[.ellipsis].rank == 0)
  }

  @Test func nonContiguousSource() {
    let x = grid([4, 5]).transposed()  // [5, 4]
    let y = x[.range(1..., step: 2), 1..<3]
    #expect(y.shape == [2, 2])
    #expect(y.doubles == reference([2, 2]) { value(x, [1 + 2 * $0[0], 1 + $0[1]]) }.doubles)
  }

  @Test func gradients() {
    expectGradients([3, 4]) { $0[1..<3, .range(0..., step: 2)] }
    expectGradients([2, 3, 4]) { $0[.ellipsis, -1, .newAxis] }
    expectGradients([4, 3]) { $0.transposed()[1, 1...] }
  }

  @Test func tooManyIndicesStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 2])[0, 0, 0]
    }
  }
}

@Suite struct SubscriptAssignTests {
  @Test func assignsValuesAndBroadcasts() {
    var x = Tensor.zeros([3, 4])
    x[0..<2, 1] = Tensor([5.0, 6.0])
    #expect(x.doubles == [0, 5, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0])
    x[2] = Tensor(7.0)
    #expect(x[2].doubles == [7, 7, 7, 7])
    x[.all, .range(0..., step: 3)] = Tensor([[1.0], [2.0], [3.0]])
    #expect(x.doubles == [1, 5, 0, 1, 2, 6, 0, 2, 3, 7, 7, 3])
    // A value with extra leading ones fits, as in PyTorch.
    x[0, 0] = Tensor([[9.0]])
    #expect(x[0, 0].scalar == 9)
  }

  @Test func convertsToTheTensorsDType() {
    var x: Tensor = [1, 2, 3]
    x[1] = Tensor(7.9)
    #expect(x.dtype == .int64)
    #expect(x.scalars(as: Int64.self) == [1, 7, 3])
  }

  @Test func writesInPlaceWhenUnique() {
    var x = Tensor.zeros([2, 3])
    let before = ObjectIdentifier(x.storage)
    x[1, 2] = Tensor(4.0)
    #expect(ObjectIdentifier(x.storage) == before)
    #expect(x.doubles == [0, 0, 0, 0, 0, 4])
  }

  @Test func copiesWhenShared() {
    var x = grid([2, 3])
    let y = x
    let view = x[1]
    x[1, .all] = Tensor([-1.0, -2, -3])
    #expect(x.doubles == [0, 1, 2, -1, -2, -3])
    #expect(y.doubles == [0, 1, 2, 3, 4, 5])
    #expect(view.doubles == [3, 4, 5])
    #expect(!sharesStorage(x, y))
  }

  @Test func selfAliasingValue() {
    var x = grid([3, 2])
    x[0] = x[2]
    #expect(x.doubles == [4, 5, 2, 3, 4, 5])
  }

  @Test func assignmentIntoNonContiguousTensor() {
    var x = grid([3, 2]).transposed()  // [2, 3]
    x[0, 1...] = Tensor([10.0, 20.0])
    #expect(x.shape == [2, 3])
    #expect(x.doubles == [0, 10, 20, 1, 3, 5])
  }

  @Test func gradients() {
    expectGradients([[3, 4], [2]]) { xs in
      var x = xs[0]
      x[0..<2, 1] = xs[1]
      return [x]
    }
    // A broadcast value: its gradient sums over the broadcast dims.
    expectGradients([[3, 4], [1]]) { xs in
      var x = xs[0] * 2
      x[.all, .range(0..., step: 2)] = xs[1]
      return [x]
    }
    // A constant value: only the tensor gets a gradient.
    expectGradients([3, 4]) { x in
      var y = x
      y[1] = Tensor.zeros([4])
      return y
    }
  }

  @Test func mismatchedValueStops() async {
    await #expect(processExitsWith: .failure) {
      var x = Tensor.zeros([3, 4])
      x[0] = Tensor.zeros([3])
    }
  }
}
