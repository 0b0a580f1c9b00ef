/// How a fused loop reads a leaf through a window (``ReplayWindow``): the source in place inside
/// one segment, a zero over zeros, copied segment by segment across an edge, and runs of short
/// rows copied at once (see ``FusedLoop``).
extension FusedLoop {
  /// The indices along the outer dimensions of rows `first ..< first + count`, `outer.count`
  /// per row, written to `digits` (one division per dimension, then counting).
  @inline(__always)
  func writeDigits(first: Int, count: Int, to digits: UnsafeMutablePointer<Int>) {
    let r = outer.count
    guard r > 0 else { return }
    var rem = first
    for d in stride(from: r - 1, through: 0, by: -1) {
      let (q, i) = rem.quotientAndRemainder(dividingBy: outer[d])
      digits[d] = i
      rem = q
    }
    for row in 1..<Swift.max(1, count) {
      let p = digits + row &* r
      p.update(from: p - r, count: r)
      var d = r - 1
      p[d] &+= 1
      while d > 0 && p[d] == outer[d] {
        p[d] = 0
        d -= 1
        p[d] &+= 1
      }
    }
  }

  /// The element offset in windowed leaf `l`'s source of the start of the row at outer
  /// indices `digits` (its index 0 along the row, shifted), or `nil` when the row is zero.
  @inline(__always)
  func windowOffset(ofLeaf l: Int, digits: UnsafePointer<Int>) -> Int? {
    if leafZero[l] { return nil }
    let r = outer.count, table = l &* (r &+ 1)
    var offset = 0
    for d in 0..<r {
      let i = digits[d]
      var k = segmentFirst[table &+ d]
      while segmentHigh[k] <= i { k &+= 1 }
      let shift = segmentShift[k]
      if shift == Int.min { return nil }
      offset &+= (i &+ shift) &* leafOuterStrides[l &* r &+ d]
    }
    return offset
  }

  /// Windowed leaf `l`'s operand over elements `start ..< start + count` of the row at
  /// `b.digits`: its source in place inside one segment, a zero over zeros, its buffer filled
  /// segment by segment otherwise.
  @inline(__always)
  func windowTile(_ l: Int, start: Int, count: Int, _ b: Buffers) -> TileOperand {
    guard let offset = windowOffset(ofLeaf: l, digits: b.digits) else { return TileOperand(base: b.zero, stride: 0) }
    let end = start &+ count, row = l &* (outer.count &+ 1) &+ outer.count
    for k in segmentFirst[row]..<segmentFirst[row &+ 1] where segmentLow[k] <= start && end <= segmentHigh[k] {
      let shift = segmentShift[k]
      if shift == Int.min { return TileOperand(base: b.zero, stride: 0) }
      return TileOperand(base: leafBase[l] + (offset &+ (start &+ shift) &* leafStep[l]) &* leafBytes[l], stride: leafStep[l])
    }
    let dst = b.packed + l &* FusedReplayPlan.tileLength &* 16
    fillWindowRow(l, offset: offset, start: start, count: count, skipping: -1, to: dst)
    return TileOperand(base: UnsafeRawPointer(dst), stride: 1)
  }

  /// Writes elements `start ..< start + count` of a row of windowed leaf `l` (whose source
  /// offset is `offset`) to `dst`: zeros and copies, segment by segment, except segment
  /// `skipped` (an index into the segment table, or -1).
  @inline(__always)
  func fillWindowRow(_ l: Int, offset: Int, start: Int, count: Int, skipping skipped: Int, to dst: UnsafeMutableRawPointer) {
    let bytes = leafBytes[l], end = start &+ count, row = l &* (outer.count &+ 1) &+ outer.count
    for k in segmentFirst[row]..<segmentFirst[row &+ 1] where k != skipped {
      let lo = Swift.max(segmentLow[k], start), hi = Swift.min(segmentHigh[k], end)
      guard lo < hi else { continue }
      let to = dst + (lo &- start) &* bytes, shift = segmentShift[k]
      if shift == Int.min {
        to.initializeMemory(as: UInt8.self, repeating: 0, count: (hi &- lo) &* bytes)
      } else {
        copyElements(from: leafBase[l] + (offset &+ (lo &+ shift) &* leafStep[l]) &* bytes, step: leafStep[l], bytes: bytes, count: hi &- lo, to: to)
      }
    }
  }

  /// Writes the current tile's `count` rows of windowed leaf `l` (outer indices at `b.digits`)
  /// to `dst`, one after another.
  ///
  /// Rows whose sources follow each other a row apart (the rows of a roll or a pad within one
  /// segment of the last outer dim, when the source's rows are contiguous) are copied as one
  /// run along the row's longest source segment, from the first row's start to the last row's
  /// end; then each other segment is filled for all the run's rows at once. Two short copies
  /// per row (a roll by one along a 32-wide row) cost more than one long copy and a strided
  /// one-element fix-up. The run reads only between its first and last rows' elements, inside
  /// the source.
  func fillWindowRows(_ l: Int, count: Int, _ b: Buffers, to dst: UnsafeMutableRawPointer) {
    let bytes = leafBytes[l], length = rowLength, r = outer.count
    let main = mainSegment[l], rowTable = l &* (r &+ 1) &+ r, lastTable = rowTable &- 1
    // Rows of the source follow each other a row apart along the last outer dim.
    let runs = r > 0 && leafStep[l] == 1 && main >= 0 && leafOuterStrides[l &* r &+ r &- 1] == length
    var q = 0
    while q < count {
      let digits = b.digits + q &* r
      guard let offset = windowOffset(ofLeaf: l, digits: digits) else {
        (dst + q &* length &* bytes).initializeMemory(as: UInt8.self, repeating: 0, count: length &* bytes)
        q &+= 1
        continue
      }
      // The rows up to the end of the last outer dim's segment (its shift is the same for all).
      var n = 1
      if runs {
        let i = digits[r &- 1]
        var k = segmentFirst[lastTable]
        while segmentHigh[k] <= i { k &+= 1 }
        n = Swift.min(count &- q, segmentHigh[k] &- i)
      }
      let to = dst + q &* length &* bytes
      guard n > 1 else {
        fillWindowRow(l, offset: offset, start: 0, count: length, skipping: -1, to: to)
        q &+= 1
        continue
      }
      let lo = segmentLow[main]
      copyElements(
        from: leafBase[l] + (offset &+ lo &+ segmentShift[main]) &* bytes, step: 1, bytes: bytes,
        count: (n &- 1) &* length &+ segmentHigh[main] &- lo, to: to + lo &* bytes)
      for k in segmentFirst[rowTable]..<segmentFirst[rowTable &+ 1] where k != main {
        let lo = segmentLow[k], width = segmentHigh[k] &- lo, shift = segmentShift[k]
        if shift == Int.min {
          for p in 0..<n { (to + (p &* length &+ lo) &* bytes).initializeMemory(as: UInt8.self, repeating: 0, count: width &* bytes) }
        } else {
          copyBlocks(
            from: leafBase[l] + (offset &+ lo &+ shift) &* bytes, to: to + lo &* bytes, blocks: n, width: width,
            stride: length &* bytes, bytes: bytes)
        }
      }
      q &+= n
    }
  }

  /// Copies `blocks` blocks of `width` contiguous elements of `bytes` bytes, `stride` bytes
  /// apart in both `src` and `dst`: the narrow segments of a run of rows.
  @inline(__always)
  func copyBlocks(from src: UnsafeRawPointer, to dst: UnsafeMutableRawPointer, blocks: Int, width: Int, stride: Int, bytes: Int) {
    func typed<T>(_: T.Type) {
      for p in 0..<blocks {
        let s = (src + p &* stride).assumingMemoryBound(to: T.self), d = (dst + p &* stride).assumingMemoryBound(to: T.self)
        for i in 0..<width { d[i] = s[i] }
      }
    }
    guard width <= 8 else {
      for p in 0..<blocks { (dst + p &* stride).copyMemory(from: src + p &* stride, byteCount: width &* bytes) }
      return
    }
    switch bytes {
    case 4: typed(UInt32.self)
    case 8: typed(UInt64.self)
    case 16: typed(SIMD2<UInt64>.self)
    default:
      for p in 0..<blocks { (dst + p &* stride).copyMemory(from: src + p &* stride, byteCount: width &* bytes) }
    }
  }
}
