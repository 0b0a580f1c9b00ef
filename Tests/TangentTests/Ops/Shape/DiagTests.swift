import Testing
import TangentTesting
@testable import Tangent

@Suite struct DiagTests {
  @Test func vectorToMatrix() {
    let v = Tensor([1.0, 2, 3])
    #expect(v.diag().doubles == [1, 0, 0, 0, 2, 0, 0, 0, 3])
    let up = v.diag(diagonal: 1)
    #expect(up.shape == [4, 4])
    #expect(up.doubles == reference([4, 4]) { $0[1] == $0[0] + 1 ? Double($0[0] + 1) : 0 }.doubles)
    let down = v.diag(diagonal: -2)
    #expect(down.shape == [5, 5])
    #expect(down.doubles == reference([5, 5]) { $0[0] == $0[1] + 2 ? Double($0[1] + 1) : 0 }.doubles)
    #expect(Tensor.arange(1, 3).diag().dtype == .int64)
  }

  @Test func matrixToVector() {
    let x = grid([3, 4])
    #expect(x.diag().doubles == [0, 5, 10])
    #expect(x.diag(diagonal: 1).doubles == [1, 6, 11])
    #expect(x.diag(diagonal: -1).doubles == [4, 9])
    #expect(grid([4, 3]).transposed().diag().doubles == [0, 4, 8])
  }

  @Test func diagEmbedValues() {
    let x = grid([2, 3])
    let y = x.diagEmbed()
    #expect(y.shape == [2, 3, 3])
    #expect(y.doubles == reference([2, 3, 3]) { $0[1] == $0[2] ? value(x, [$0[0], $0[1]]) : 0 }.doubles)
    let z = x.diagEmbed(offset: 1, dim1: 0, dim2: -1)
    #expect(z.shape == [4, 2, 4])
    #expect(z.doubles == reference([4, 2, 4]) { $0[2] == $0[0] + 1 ? value(x, [$0[1], $0[0]]) : 0 }.doubles)
    let w = x.diagEmbed(offset: -1, dim1: 2, dim2: 0)
    #expect(w.shape == [4, 2, 4])
    // dim1 is 2 and dim2 is 0; offset −1 puts x[n, k] at dim1 = k + 1, dim2 = k.
    #expect(w.doubles == reference([4, 2, 4]) { $0[2] == $0[0] + 1 ? value(x, [$0[1], $0[0]]) : 0 }.doubles)
    let t = grid([3, 2]).transposed()  // non-contiguous [2, 3]
    #expect(t.diagEmbed().doubles == reference([2, 3, 3]) { $0[1] == $0[2] ? value(t, [$0[0], $0[1]]) : 0 }.doubles)
  }

  @Test func traceValues() {
    #expect(grid([3, 4]).trace().scalar == 15)
    #expect(grid([4, 3]).transposed().trace().scalar == 12)
    #expect(grid([3, 3]).trace().shape == [])
  }

  @Test func gradients() {
    expectGradients([4]) { $0.diag(diagonal: 1) }
    expectGradients([3, 4]) { $0.diag(diagonal: -1) }
    expectGradients([2, 3]) { $0.diagEmbed(offset: 1, dim1: 0, dim2: 2) }
    expectGradients([3, 2]) { $0.transposed().diagEmbed(offset: -1) }
    expectGradients([4, 3]) { $0.transposed().trace() }
  }

  @Test func threeDimensionalDiagStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 2, 2]).diag()
    }
  }
}
