/// The zero fill of ``RegionEmbedOp``: when the region is a box of unit steps in the fresh
/// (contiguous) output, only the elements outside the box are zeroed, so the region's elements
/// are written once rather than zeroed and then overwritten.
extension RegionEmbedOp {
  /// The index ranges, one per dim of `out` (a contiguous tensor), of the elements `view`
  /// covers, when they form a non-empty box of unit steps (a slice with ranges of step 1,
  /// single indices and new axes); `nil` for any other view (a diagonal, a stepped or reversed
  /// slice, an empty region).
  ///
  /// The view's dims longer than 1 must step like dims of `out`, in `out`'s order; its first
  /// element, written in `out`'s mixed radix, gives the box's corner.
  func unitBox(_ view: Tensor, in out: Tensor) -> [Range<Int>]? {
    let rank = out.rank
    guard view.count > 0, out.isContiguous else { return nil }
    var rest = view.offset - out.offset
    guard rest >= 0 && rest < out.count else { return nil }
    // Elements per step along each dim of out.
    var place = [Int](repeating: 1, count: rank)
    for k in stride(from: rank - 2, through: 0, by: -1) { place[k] = place[k + 1] * out.shape[k + 1] }
    var length = [Int](repeating: 1, count: rank)
    var k = 0
    for j in 0..<view.rank where view.shape[j] > 1 {
      while k < rank && !(out.shape[k] > 1 && place[k] == view.strides[j]) { k += 1 }
      guard k < rank else { return nil }
      length[k] = view.shape[j]
      k += 1
    }
    var box = [Range<Int>]()
    box.reserveCapacity(rank)
    for k in 0..<rank {
      // Dims of size 1 take no digit (their place equals the next dim's).
      let start = out.shape[k] > 1 ? rest / place[k] : 0
      rest -= start * place[k]
      guard start + length[k] <= out.shape[k] else { return nil }
      box.append(start..<(start + length[k]))
    }
    return box
  }

  /// Zeroes the elements of the contiguous `out` outside `box`: for each dim, the blocks
  /// before and after the box's range within the rows that lie inside the box on the dims
  /// before it (the copy of the region visits as many rows).
  func zeroOutside(_ box: [Range<Int>], of out: Tensor) {
    let shape = out.shape
    guard !shape.isEmpty else { return }
    // Bytes spanned by one step along each dim.
    var step = [Int](repeating: out.dtype.byteCount, count: shape.count)
    for k in stride(from: shape.count - 2, through: 0, by: -1) { step[k] = step[k + 1] * shape[k + 1] }
    func fill(_ k: Int, _ p: UnsafeMutableRawPointer) {
      let r = box[k], s = step[k]
      p.initializeMemory(as: UInt8.self, repeating: 0, count: r.lowerBound * s)
      (p + r.upperBound * s).initializeMemory(as: UInt8.self, repeating: 0, count: (shape[k] - r.upperBound) * s)
      guard k + 1 < shape.count else { return }
      for i in r { fill(k + 1, p + i * s) }
    }
    fill(0, UnsafeMutableRawPointer(out.pointer(as: UInt8.self)))
  }
}
