/// A tensor made by moving blocks of another along each dim and filling the rest with zeros:
/// what a slice's gradient (the slice's region of a zero tensor), a zero pad and a roll
/// compute. A fused replay reads such a value through its window instead of writing it out
/// (see ``FusedReplayPlan``): output index `j` of dim `d` reads the source at `j + shift` of
/// the segment holding `j`, or is zero.
///
/// The map is separable: each dim has its own segments, and an element is zero when one of
/// its indices falls in a zero segment. Every shift keeps its segment inside the source
/// (checked when the window is made), so reading through a window never leaves the source.
struct ReplayWindow: Equatable {
  /// Output indices `range` of a dim read the source at `index + shift`, or are zero (`nil`).
  struct Segment: Equatable {
    let range: Range<Int>
    let shift: Int?
  }

  /// The shape of the values.
  let shape: [Int]
  /// The shape of the source (of the same rank).
  let sourceShape: [Int]
  /// Per dim, segments covering `0..<shape[d]` in order.
  let segments: [[Segment]]
  let dtype: DType

  /// A window from its parts, or `nil` when a segment reads outside the source or the
  /// segments do not tile their dims.
  init?(shape: [Int], sourceShape: [Int], segments: [[Segment]], dtype: DType) {
    guard shape.count == sourceShape.count, segments.count == shape.count else { return nil }
    for d in shape.indices {
      var next = 0
      for s in segments[d] {
        guard s.range.lowerBound == next else { return nil }
        next = s.range.upperBound
        if let k = s.shift, !s.range.isEmpty {
          guard s.range.lowerBound + k >= 0, s.range.upperBound + k <= sourceShape[d] else { return nil }
        }
      }
      guard next == shape[d] else { return nil }
    }
    self.shape = shape
    self.sourceShape = sourceShape
    self.segments = segments.map(ReplayWindow.coalesced)
    self.dtype = dtype
  }

  /// The source embedded in zeros of `shape`, its elements at `box` (one range per dim, of
  /// the source's sizes): a slice's gradient, a zero pad.
  init?(embeddingIn shape: [Int], at box: [Range<Int>], dtype: DType) {
    guard box.count == shape.count, zip(box, shape).allSatisfy({ $0.lowerBound >= 0 && $0.upperBound <= $1 }) else { return nil }
    let segments = shape.indices.map { d -> [Segment] in
      let r = box[d]
      return [Segment(range: 0..<r.lowerBound, shift: nil), Segment(range: r, shift: -r.lowerBound),
        Segment(range: r.upperBound..<shape[d], shift: nil)]
    }
    self.init(shape: shape, sourceShape: box.map(\.count), segments: segments, dtype: dtype)
  }

  /// The source of `shape` rolled by `shifts` along `dims` (``Tensor/roll(_:dims:)``: `y[(i +
  /// s) mod n] = x[i]`; a dim may repeat).
  init?(rolling shape: [Int], shifts: [Int], dims: [Int], dtype: DType) {
    var w = ReplayWindow(identity: shape, dtype: dtype)
    for (s, d) in zip(shifts, dims) {
      guard d >= 0 && d < shape.count else { return nil }
      let n = shape[d], k = n == 0 ? 0 : ((s % n) + n) % n
      var segments = shape.indices.map { [Segment(range: 0..<shape[$0], shift: 0)] }
      segments[d] = [Segment(range: 0..<k, shift: n - k), Segment(range: k..<n, shift: -k)]
      guard let roll = ReplayWindow(shape: shape, sourceShape: shape, segments: segments, dtype: dtype),
        let rolled = w.followed(by: roll)
      else { return nil }
      w = rolled
    }
    self = w
  }

  /// The values of the source itself.
  init(identity shape: [Int], dtype: DType) {
    self.shape = shape
    sourceShape = shape
    segments = shape.map { [Segment(range: 0..<$0, shift: 0)] }
    self.dtype = dtype
  }

  /// Whether dim `d` reads the source as it is.
  func isIdentity(dim d: Int) -> Bool {
    shape[d] == sourceShape[d] && segments[d].allSatisfy { $0.shift == 0 || $0.range.isEmpty }
  }

  /// The values of this window read through `outer` (a window over them): one window over
  /// this window's source; `nil` when `outer` reads values of another shape or dtype.
  func followed(by outer: ReplayWindow) -> ReplayWindow? {
    guard outer.sourceShape == shape, outer.dtype == dtype else { return nil }
    var composed: [[Segment]] = []
    for d in shape.indices {
      var out: [Segment] = []
      for o in outer.segments[d] where !o.range.isEmpty {
        guard let s = o.shift else {
          out.append(o)
          continue
        }
        // The outer segment reads this window at `range + s`; split it along this window's segments.
        for i in segments[d] {
          let lo = Swift.max(i.range.lowerBound, o.range.lowerBound + s)
          let hi = Swift.min(i.range.upperBound, o.range.upperBound + s)
          guard lo < hi else { continue }
          out.append(Segment(range: (lo - s)..<(hi - s), shift: i.shift.map { $0 + s }))
        }
      }
      composed.append(out)
    }
    return ReplayWindow(shape: outer.shape, sourceShape: sourceShape, segments: composed, dtype: dtype)
  }

  /// The window of the values a view gives when it is a box of unit steps of these values
  /// laid out contiguously (a slice with ranges of step 1, of the same rank); `nil` for any
  /// other view.
  func viewed(by g: ReplayGeometry) -> ReplayWindow? {
    let rank = shape.count
    guard g.dtype == dtype, g.shape.count == rank, !g.shape.contains(0), !shape.contains(0) else { return nil }
    let contiguous = Shape.contiguousStrides(shape)
    var rest = g.offset
    var crop: [[Segment]] = []
    for d in 0..<rank {
      guard g.shape[d] == 1 || g.strides[d] == contiguous[d] else { return nil }
      let start = shape[d] > 1 ? rest / contiguous[d] : 0
      rest -= start * contiguous[d]
      guard start >= 0, start + g.shape[d] <= shape[d] else { return nil }
      crop.append([Segment(range: 0..<g.shape[d], shift: start)])
    }
    guard rest == 0, let window = ReplayWindow(shape: g.shape, sourceShape: shape, segments: crop, dtype: dtype) else { return nil }
    return followed(by: window)
  }

  /// The values as a fresh contiguous tensor, or `nil` when `source` is not of the source's
  /// shape and dtype: zeros, then each block of nonzero segments copied from the source.
  func values(of source: Tensor) -> Tensor? {
    guard source.shape == sourceShape, source.dtype == dtype else { return nil }
    let out = Tensor.zeros(shape, dtype: dtype)
    guard !shape.contains(0) else { return out }
    let strides = Shape.contiguousStrides(shape)
    // Every combination of one nonzero segment per dim is one block copy.
    var blocks: [[(Range<Int>, Int)]] = [[]]
    for d in shape.indices {
      let nonzero = segments[d].compactMap { s in s.shift.map { (s.range, $0) } }.filter { !$0.0.isEmpty }
      blocks = blocks.flatMap { b in nonzero.map { b + [$0] } }
    }
    for block in blocks {
      let lengths = block.map(\.0.count)
      let target = Tensor(
        storage: out.storage, shape: lengths, strides: strides,
        offset: zip(block, strides).reduce(0) { $0 + $1.0.0.lowerBound * $1.1 }, dtype: dtype)
      let from = Tensor(
        storage: source.storage, shape: lengths, strides: source.strides,
        offset: source.offset + zip(block, source.strides).reduce(0) { $0 + ($1.0.0.lowerBound + $1.0.1) * $1.1 }, dtype: dtype)
      target.writeValues(from: from)
    }
    return out
  }

  /// Adjacent segments with the same shift as one; empty segments dropped.
  private static func coalesced(_ segments: [Segment]) -> [Segment] {
    var out: [Segment] = []
    for s in segments where !s.range.isEmpty {
      if let last = out.last, last.shift == s.shift {
        out[out.count - 1] = Segment(range: last.range.lowerBound..<s.range.upperBound, shift: s.shift)
      } else {
        out.append(s)
      }
    }
    return out
  }
}
