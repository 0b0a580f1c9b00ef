import Testing
import TangentTesting
@testable import Tangent

// Windows (zero pads, slices' gradients, rolls) give the values of the ops they stand for;
// windows of windows and boxes of windows compose; windows that would read outside their
// source are refused.

@Suite struct ReplayWindowTests {
  @Test func aRollsWindowGivesTheRoll() throws {
    var g = TestRandom(seed: 1)
    for dtype in [DType.float64, .complex128] {
      let x = g.tensor([4, 5, 6], dtype: dtype)
      for (shifts, dims) in [([1], [0]), ([-2], [2]), ([3, 1], [1, 2]), ([2, 5], [2, 2]), ([7], [1])] {
        let w = try #require(ReplayWindow(rolling: x.shape, shifts: shifts, dims: dims, dtype: dtype))
        let y = try #require(w.values(of: x))
        #expect(sameBits(y, x.roll(shifts, dims: dims)), "\(shifts) \(dims)")
      }
    }
  }

  @Test func aPadsWindowGivesThePadIncludingCrops() throws {
    var g = TestRandom(seed: 2)
    let x = g.tensor([3, 6, 7])
    for pad in [[1, 1, 1, 1], [2, 0], [-1, 2, 0, -3], [0, 0, 3, 1, 1, 0], [-3, -4]] {
      let op = ConstantPadOp(pads: stride(from: pad.count - 2, through: 0, by: -2).map { (pad[$0], pad[$0 + 1]) }, value: 0)
      let w = try #require(op.window(over: x.shape, dtype: x.dtype), "\(pad)")
      let y = try #require(w.values(of: x))
      #expect(sameBits(y, x.padded(pad)), "\(pad)")
    }
  }

  @Test func anEmbeddingGivesZerosAroundTheRegion() throws {
    var g = TestRandom(seed: 3)
    let x = g.tensor([2, 3])
    let w = try #require(ReplayWindow(embeddingIn: [4, 5], at: [1..<3, 2..<5], dtype: .float64))
    let y = try #require(w.values(of: x))
    var expected = Tensor.zeros([4, 5])
    expected[1..<3, 2..<5] = x
    #expect(sameBits(y, expected))
    // The region must fit: a box reaching past the shape is refused.
    #expect(ReplayWindow(embeddingIn: [4, 5], at: [1..<3, 3..<6], dtype: .float64) == nil)
  }

  @Test func windowsOfWindowsCompose() throws {
    var g = TestRandom(seed: 4)
    let x = g.tensor([6, 8])
    let roll = try #require(ReplayWindow(rolling: [6, 8], shifts: [3, -1], dims: [1, 0], dtype: .float64))
    let back = try #require(ReplayWindow(rolling: [6, 8], shifts: [-3, 1], dims: [1, 0], dtype: .float64))
    let pad = try #require(ConstantPadOp(pads: [(2, -1)], value: 0).window(over: [6, 8], dtype: .float64))
    let rollPadded = try #require(ReplayWindow(rolling: [6, 9], shifts: [4], dims: [1], dtype: .float64))
    for (first, second) in [(roll, pad), (roll, roll), (pad, rollPadded)] {
      let middle = try #require(first.values(of: x))
      let stepwise = try #require(second.values(of: middle))
      let window = try #require(first.followed(by: second))
      let composed = try #require(window.values(of: x))
      #expect(sameBits(composed, stepwise))
    }
    // A roll and its inverse compose to the identity.
    let identity = try #require(roll.followed(by: back))
    #expect((0..<2).allSatisfy { identity.isIdentity(dim: $0) })
    // A window over values of another shape does not compose.
    #expect(pad.followed(by: roll) == nil)
  }

  @Test func aBoxOfAWindowIsAWindowOtherViewsAreNot() throws {
    var g = TestRandom(seed: 5)
    let x = g.tensor([5, 6])
    let pad = try #require(ConstantPadOp(pads: [(1, 1), (1, 1)], value: 0).window(over: [5, 6], dtype: .float64))
    let padded = try #require(pad.values(of: x))
    for view in [padded[0..<5, 1..<7], padded[2..<7, 0..<6], padded[3..<4, 0..<8], padded[0..., 0...]] {
      let crop = try #require(pad.viewed(by: ReplayGeometry(view)), "\(view.shape) at \(view.offset)")
      let values = try #require(crop.values(of: x))
      #expect(sameBits(values, view))
    }
    #expect(pad.viewed(by: ReplayGeometry(padded.transposed())) == nil)
    #expect(pad.viewed(by: ReplayGeometry(padded[0..., TensorIndex.range(from: 0, to: 8, step: 2)])) == nil)
    #expect(pad.viewed(by: ReplayGeometry(padded[0])) == nil)
  }

  @Test func aSourceOfAnotherShapeIsRefused() throws {
    let w = try #require(ReplayWindow(rolling: [4, 5], shifts: [1], dims: [1], dtype: .float64))
    #expect(w.values(of: Tensor.zeros([5, 4])) == nil)
    #expect(w.values(of: Tensor.zeros([4, 5], dtype: .float32)) == nil)
  }
}
