import Testing
import TangentTesting
@testable import Tangent

/// ``RegionEmbedOp``'s primal zeroes only outside a box region; every region must give the
/// same bits as writing into a tensor of zeros.
@Suite struct RegionEmbedTests {
  /// The embed of `y` by `region`, after freeing a buffer of the result's size full of 7s, so
  /// that an element the primal forgets to zero shows up (the pool hands buffers back).
  func embed<R: ViewRegion>(_ region: R, extra: Int, shape: [Int], _ y: Tensor) -> Tensor {
    do { _ = Tensor.full(shape, 7, dtype: y.dtype) }
    return RegionEmbedOp(region: region, extra: extra, shape: shape).primal(y)
  }

  /// Zeros of `shape` with `y` written into the region: the definition.
  func expected<R: ViewRegion>(_ region: R, extra: Int, shape: [Int], _ y: Tensor) -> Tensor {
    let out = Tensor.zeros(shape, dtype: y.dtype)
    region.view(of: out, extra: extra).writeValues(from: y)
    return out
  }

  /// Values 1, 2, … (none zero) in the region's shape.
  func values<R: ViewRegion>(_ region: R, extra: Int, shape: [Int], dtype: DType) -> Tensor {
    let s = region.view(of: Tensor.zeros(shape), extra: extra).shape
    return (grid(s) + 1).converted(to: dtype)
  }

  func slice(_ items: [SliceRegion.Item]) -> SliceRegion { SliceRegion(items: items, name: "test") }

  /// Regions at the edges, inside, whole, empty, with indices and new axes, with and without
  /// leading (chunk) dims, in every dtype.
  @Test func sameBitsAsZerosThenWrite() {
    let cases: [(SliceRegion, Int, [Int])] = [
      // A chunk of 3 tangents of x[0..<99] and x[1..<100] (the slice gradients of Rosenbrock).
      (slice([.range(start: 0, count: 99, step: 1)]), 1, [3, 100]),
      (slice([.range(start: 1, count: 99, step: 1)]), 1, [3, 100]),
      (slice([.range(start: 1, count: 3, step: 1), .range(start: 2, count: 3, step: 1)]), 0, [5, 6, 7]),
      (slice([.range(start: 0, count: 5, step: 1), .range(start: 5, count: 1, step: 1)]), 1, [2, 5, 6]),
      (slice([.index(2)]), 0, [4, 5]),
      (slice([.range(start: 0, count: 4, step: 1), .index(4)]), 0, [4, 5]),
      (slice([.newAxis, .range(start: 1, count: 2, step: 1)]), 0, [4]),
      (slice([.range(start: 0, count: 3, step: 1), .range(start: 0, count: 1, step: 1), .range(start: 1, count: 2, step: 1)]), 0, [3, 1, 4]),
      (slice([.range(start: 0, count: 6, step: 1)]), 0, [6, 2]),  // the whole tensor
      (slice([.range(start: 2, count: 0, step: 1)]), 0, [4, 3]),  // empty
      (slice([.range(start: 1, count: 3, step: 2)]), 0, [7, 2]),  // stepped: zeros then write
      (slice([]), 0, []),  // 0-d
    ]
    for (region, extra, shape) in cases {
      for dtype in [DType.float64, .float32, .complex128, .int64, .bool] {
        let y = values(region, extra: extra, shape: shape, dtype: dtype)
        let got = embed(region, extra: extra, shape: shape, y)
        let want = expected(region, extra: extra, shape: shape, y)
        #expect(got.shape == shape && got.dtype == dtype)
        #expect(got.complexDoubles == want.complexDoubles, "\(region.items) extra \(extra) shape \(shape) \(dtype)")
      }
    }
  }

  @Test func diagonalRegionsWriteIntoZeros() {
    let region = DiagonalRegion(offset: 1, dim1: 0, dim2: 1)
    let y = values(region, extra: 0, shape: [4, 5], dtype: .float64)
    let got = embed(region, extra: 0, shape: [4, 5], y)
    #expect(got.doubles == reference([4, 5]) { $0[1] == $0[0] + 1 ? Double($0[0] + 1) : 0 }.doubles)
  }

  /// The box is found for unit-step slices and refused for other views.
  @Test func boxes() {
    let out = Tensor.zeros([4, 1, 6])
    let op = RegionEmbedOp(region: slice([]), extra: 0, shape: [4, 1, 6])
    let rows = slice([.range(start: 1, count: 2, step: 1), .index(0), .range(start: 2, count: 4, step: 1)])
    #expect(op.unitBox(rows.view(of: out, extra: 0), in: out) == [1..<3, 0..<1, 2..<6])
    #expect(op.unitBox(slice([.index(3)]).view(of: out, extra: 0), in: out) == [3..<4, 0..<1, 0..<6])
    #expect(op.unitBox(slice([.range(start: 0, count: 2, step: 2)]).view(of: out, extra: 0), in: out) == nil)
    #expect(op.unitBox(slice([.range(start: 1, count: 0, step: 1)]).view(of: out, extra: 0), in: out) == nil)
    let square = Tensor.zeros([3, 3])
    #expect(op.unitBox(DiagonalRegion(offset: 0, dim1: 0, dim2: 1).view(of: square, extra: 0), in: square) == nil)
    #expect(op.unitBox(square.transposed(), in: square) == nil)
  }

  /// Chunked tangents through a slice's gradient: a forward-over-reverse pass with three
  /// directions at once gives each direction's products bit for bit.
  @Test func chunkedTangentsOfSliceGradients() {
    let f = { (x: Tensor) -> Tensor in
      let n = x.count
      return ((x[1..<n] - x[0..<(n - 1)].square()).square() + x[0..<2].sin().sum()).sum()
    }
    let x = Tensor((0..<40).map { 0.3 + 0.05 * Double($0) })
    let gradient = { (x: Tensor) -> Tensor in scalarGradient(of: f, at: x, op: "test").gradient }
    let seeds = Tensor((0..<120).map { Double(($0 * 7) % 5) - 2 }).reshaped([3, 40])
    let chunked = forwardJVP(of: gradient, at: x, along: seeds, chunked: true).tangent
    for d in 0..<3 {
      let one = forwardJVP(of: gradient, at: x, along: seeds[d], chunked: false).tangent
      #expect(chunked[d].doubles == one.doubles, "direction \(d)")
    }
  }
}
