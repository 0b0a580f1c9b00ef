import Testing
import TangentTesting
@testable import Tangent

@Suite struct RollTests {
  @Test func values() {
    let x = grid([3, 4])
    #expect(Tensor([1.0, 2, 3, 4]).roll(1).doubles == [4, 1, 2, 3])
    #expect(x.roll(1, dim: 1).doubles == reference([3, 4]) { value(x, [$0[0], ($0[1] + 3) % 4]) }.doubles)
    #expect(x.roll(-5, dim: -1).doubles == reference([3, 4]) { value(x, [$0[0], ($0[1] + 1) % 4]) }.doubles)
    let both = x.roll([1, 2], dims: [0, 1])
    #expect(both.doubles == reference([3, 4]) { value(x, [($0[0] + 2) % 3, ($0[1] + 2) % 4]) }.doubles)
    // Without dims, the flattened tensor rolls and the shape stays.
    let flat = x.roll(5)
    #expect(flat.shape == [3, 4])
    #expect(flat.doubles == (0..<12).map { Double(($0 + 7) % 12) })
    // A repeated dim rolls twice.
    #expect(x.roll([1, 1], dims: [1, 1]).doubles == x.roll(2, dim: 1).doubles)
    #expect(x.roll(4, dim: 1).doubles == x.doubles)
    #expect(Tensor.zeros([0, 2]).roll(1, dim: 0).shape == [0, 2])
  }

  @Test func nonContiguous() {
    let x = grid([4, 3]).transposed()  // [3, 4]
    #expect(x.roll(1, dim: 1).doubles == reference([3, 4]) { value(x, [$0[0], ($0[1] + 3) % 4]) }.doubles)
    // Strided outer dims, contiguous rolled rows (a slice of a chunked tangent): the row-copy
    // path, at an offset, in every dtype size it copies.
    let big = grid([3, 2, 4, 5])
    let slice = big[0..., 1..<2]  // [3, 1, 4, 5], offset 20, outer stride 40
    #expect(!slice.isContiguous)
    for (shift, dim) in [(2, 3), (-1, 2), (1, 0)] {
      let rolled = slice.roll(shift, dim: dim)
      let expected = reference([3, 1, 4, 5]) { i in
        var j = i
        j[dim] = ((i[dim] - shift) % slice.shape[dim] + slice.shape[dim]) % slice.shape[dim]
        return value(slice, j)
      }
      #expect(rolled.doubles == expected.doubles, "shift \(shift), dim \(dim)")
      for dtype in [DType.float32, .int64, .bool, .complex128] {
        let typed = big.converted(to: dtype)[0..., 1..<2]
        #expect(typed.roll(shift, dim: dim).complexDoubles == typed.contiguous().roll(shift, dim: dim).complexDoubles)
        #expect(typed.roll(shift, dim: dim).complexDoubles == expected.converted(to: dtype).complexDoubles, "\(dtype)")
      }
    }
  }

  @Test func gradients() {
    expectGradients([3, 4]) { $0.roll([1, -1], dims: [0, 1]) }
    expectGradients([3, 4]) { $0.transposed().roll(2) }
    expectGradients([2, 3, 4]) { $0.roll([2, 1], dims: [-1, -1]) }
  }

  @Test func mismatchedShiftsStop() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([3, 4]).roll([1, 2], dims: [0])
    }
  }
}
