/// The loop of one fused group over its leaves and outputs.
///
/// The group's shape becomes rows: dimensions of size 1 dropped, neighbours every leaf steps
/// through as one merged. Long rows are cut into tiles, visited tile-major (a tile of every row
/// before the next tile), so that a leaf broadcast along the outer dimensions (a primal against
/// chunked tangents) is read from cache for every row after the first. Short rows are packed,
/// several to a tile: a leaf whose rows are not contiguous with each other is copied into a
/// buffer first, so each function still runs once per tile.
///
/// A leaf read through a window (``ReplayWindow``) reads its source in place where a tile lies
/// inside one segment, reads a zero where the tile is all zeros, and is copied into a buffer,
/// segment by segment, elsewhere (the tiles across a segment's edge). A dimension a window
/// moves is never merged with its neighbours.
struct FusedLoop {
  let schedule: TileSchedule
  /// Outer sizes of the merged dimensions (the last is the row).
  let outer: [Int]
  let rowLength: Int
  /// Per leaf: the address of its first element (a windowed leaf: its source's element at
  /// the shifts of the dropped dims), its element size, its outer strides (elements) and its
  /// step along a row.
  let leafBase: [UnsafeRawPointer]
  let leafBytes: [Int]
  /// Leaf `l`'s stride along outer dimension `d` at `l × outer.count + d`.
  let leafOuterStrides: [Int]
  let leafStep: [Int]
  /// Per leaf, in packed mode: whether its rows follow each other in memory (read in place).
  let leafFlat: [Bool]
  /// Per leaf: whether it is read through a window.
  let leafWindowed: [Bool]
  /// Per leaf: whether it is all zeros (a window with a zero segment along a dropped dim).
  let leafZero: [Bool]
  /// The windows' segments along each merged dimension (the outer ones, then the row), flat:
  /// leaf `l`'s along dimension `d` are `segmentFirst[l × (outer.count + 1) + d] ..<
  /// segmentFirst[l × (outer.count + 1) + d + 1]` of `segmentLow`, `segmentHigh` and
  /// `segmentShift` (`Int.min` for zeros). Plain arrays of integers: the tile loops read them
  /// with no reference counting.
  let segmentFirst: [Int]
  let segmentLow: [Int]
  let segmentHigh: [Int]
  let segmentShift: [Int]
  /// Per windowed leaf: its row's longest segment that reads the source, or -1.
  let mainSegment: [Int]
  /// Per function: the address of its output (functions whose values are written out).
  let outputBase: [UnsafeMutableRawPointer?]
  /// Rows per tile (1 for long rows, which are cut into tiles instead).
  let rowsPerTile: Int

  init(shape: [Int], leaves: [Tensor], windows: [ReplayWindow?], outputBase: [UnsafeMutableRawPointer?], schedule: TileSchedule) {
    self.schedule = schedule
    self.outputBase = outputBase
    let strides = leaves.indices.map { windows[$0] == nil ? leaves[$0].broadcastStrides(to: shape) : leaves[$0].strides }
    // Dimensions some window moves: never merged.
    let moved = shape.indices.map { d in windows.contains { $0.map { !$0.isIdentity(dim: d) } ?? false } }
    var sizes: [Int] = []
    var merged: [[Int]] = Array(repeating: [], count: leaves.count)
    var segments: [[[ReplayWindow.Segment]]] = Array(repeating: [], count: leaves.count)
    var shift = Array(repeating: 0, count: leaves.count)
    var zero = Array(repeating: false, count: leaves.count)
    var lastMoved = false
    for d in shape.indices {
      let n = shape[d]
      if n == 1 {
        // A dropped dim: a window's one segment shifts the leaf's start, or zeroes it all.
        for l in leaves.indices {
          guard let w = windows[l], let s = w.segments[d].first else { continue }
          if let k = s.shift { shift[l] &+= k &* strides[l][d] } else { zero[l] = true }
        }
        continue
      }
      if let last = sizes.last, !moved[d], !lastMoved,
        leaves.indices.allSatisfy({ merged[$0].last! == strides[$0][d] &* n })
      {
        sizes[sizes.count - 1] = last &* n
        for l in leaves.indices {
          merged[l][merged[l].count - 1] = strides[l][d]
          if windows[l] != nil { segments[l][segments[l].count - 1] = [.init(range: 0..<(last &* n), shift: 0)] }
        }
        continue
      }
      sizes.append(n)
      lastMoved = moved[d]
      for l in leaves.indices {
        merged[l].append(strides[l][d])
        if let w = windows[l] { segments[l].append(moved[d] ? w.segments[d] : [.init(range: 0..<n, shift: 0)]) }
      }
    }
    if sizes.isEmpty {
      sizes = [1]
      for l in leaves.indices {
        merged[l] = [0]
        if windows[l] != nil { segments[l] = [[.init(range: 0..<1, shift: 0)]] }
      }
    }
    rowLength = sizes.last!
    outer = Array(sizes.dropLast())
    leafStep = merged.map { $0.last! }
    leafOuterStrides = merged.flatMap { $0.dropLast() }
    leafBytes = leaves.map { $0.dtype.byteCount }
    leafBase = leaves.indices.map { l in
      let t = leaves[l]
      return UnsafeRawPointer(t.storage.base + (zero[l] ? 0 : (t.offset &+ shift[l]) &* t.dtype.byteCount))
    }
    leafWindowed = windows.map { $0 != nil }
    leafZero = zero
    var first: [Int] = [], low: [Int] = [], high: [Int] = [], shifts: [Int] = [], main: [Int] = []
    for l in leaves.indices {
      var longest = -1
      for d in 0..<sizes.count {
        first.append(low.count)
        guard windows[l] != nil else { continue }
        for seg in segments[l][d] {
          if d == sizes.count - 1, seg.shift != nil, longest < 0 || seg.range.count > high[longest] - low[longest] { longest = low.count }
          low.append(seg.range.lowerBound)
          high.append(seg.range.upperBound)
          shifts.append(seg.shift ?? Int.min)
        }
      }
      main.append(longest)
    }
    first.append(low.count)
    segmentFirst = first
    segmentLow = low
    segmentHigh = high
    segmentShift = shifts
    mainSegment = main
    let tile = FusedReplayPlan.tileLength
    rowsPerTile = outer.isEmpty || rowLength >= tile / 2 ? 1 : Swift.max(1, tile / rowLength)
    // A leaf reads packed rows in place when it steps through all of them as one flat run
    // (each outer stride the row's length times the inner ones, or a broadcast scalar).
    let rowLength = self.rowLength, outer = self.outer
    leafFlat = leaves.indices.map { l in
      let s = merged[l]
      if windows[l] != nil { return false }
      if s.allSatisfy({ $0 == 0 }) { return true }
      guard s.last == 1 else { return false }
      var expected = rowLength
      for d in stride(from: outer.count - 1, through: 0, by: -1) {
        if s[d] != expected { return false }
        expected &*= outer[d]
      }
      return true
    }
  }

  func run() {
    let tile = FusedReplayPlan.tileLength
    let rows = outer.reduce(1, &*)
    if rowsPerTile > 1 {
      let units = (rows + rowsPerTile - 1) / rowsPerTile
      Parallel.forChunks(units, cost: rowsPerTile &* rowLength) { runPacked($0, rows: rows) }
    } else {
      let tilesPerRow = (rowLength + tile - 1) / tile
      Parallel.forChunks(rows &* tilesPerRow, cost: tile) { runTiles($0, rows: rows) }
    }
  }

  /// The element offset of leaf `l` at the start of `row`.
  @inline(__always)
  func offset(ofLeaf l: Int, row: Int) -> Int {
    let r = outer.count
    var rem = row, offset = 0
    var d = r - 1
    while d >= 0 {
      let (q, i) = rem.quotientAndRemainder(dividingBy: outer[d])
      offset &+= i &* leafOuterStrides[l &* r &+ d]
      rem = q
      d -= 1
    }
    return offset
  }

  /// The buffers of one thread's tiles.
  struct Buffers {
    /// The functions' scratch buffers.
    let scratch: UnsafeMutableRawPointer
    /// One buffer per leaf, for packed rows and tiles across a window's segments.
    let packed: UnsafeMutableRawPointer
    /// One zero element of every size, read with step 0.
    let zero: UnsafeRawPointer
    let nodeOut: UnsafeMutablePointer<UnsafeMutableRawPointer>
    let operands: UnsafeMutablePointer<TileOperand>
    /// Each leaf's operand for the current tile.
    let leafOperands: UnsafeMutablePointer<TileOperand>
    /// The outer indices of the current tile's rows.
    let digits: UnsafeMutablePointer<Int>
  }

  /// Runs `body` with one thread's buffers (with per-leaf buffers when asked).
  func withBuffers(perLeaf: Bool, _ body: (Buffers) -> Void) {
    let tile = FusedReplayPlan.tileLength
    let nodeBytes = schedule.scratchCount &* tile &* schedule.elementBytes
    let leafBytes = perLeaf ? leafBase.count &* tile &* 16 : 0
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: nodeBytes &+ leafBytes &+ 64, alignment: 64)
    defer { scratch.deallocate() }
    let zero = scratch + (nodeBytes &+ leafBytes)
    zero.initializeMemory(as: UInt8.self, repeating: 0, count: 64)
    let nodeOut = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: Swift.max(1, schedule.runs.count))
    defer { nodeOut.deallocate() }
    let operands = UnsafeMutablePointer<TileOperand>.allocate(capacity: 2)
    defer { operands.deallocate() }
    let leafOperands = UnsafeMutablePointer<TileOperand>.allocate(capacity: Swift.max(1, leafBase.count))
    defer { leafOperands.deallocate() }
    let digits = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(1, rowsPerTile &* outer.count))
    defer { digits.deallocate() }
    body(
      Buffers(
        scratch: scratch, packed: scratch + nodeBytes, zero: UnsafeRawPointer(zero), nodeOut: nodeOut, operands: operands,
        leafOperands: leafOperands, digits: digits))
  }

  /// Runs every function over one tile of `n` elements whose leaves' operands are set and
  /// whose written-out values start at flat position `flat`.
  @inline(__always)
  func runFunctions(n: Int, flat: Int, _ b: Buffers) {
    let tile = FusedReplayPlan.tileLength
    let s = schedule, nodeOut = b.nodeOut, operands = b.operands
    for k in 0..<s.runs.count {
      if let base = outputBase[k] {
        nodeOut[k] = base + flat &* s.nodeBytes[k]
      } else {
        nodeOut[k] = b.scratch + s.scratchIndex[k] &* tile &* s.elementBytes
      }
      for o in 0..<2 {
        let c = s.operandCodes[2 &* k &+ o]
        if c == Int.min { break }
        operands[o] = c >= 0 ? b.leafOperands[c] : TileOperand(base: UnsafeRawPointer(nodeOut[-1 - c]), stride: 1)
      }
      s.runs[k](operands, nodeOut[k], n)
    }
  }

  var hasWindows: Bool { leafWindowed.contains(true) }

  /// Long rows: the tiles `units`, tile-major (tile `t` of every row, then tile `t + 1`).
  func runTiles(_ units: Range<Int>, rows: Int) {
    let tile = FusedReplayPlan.tileLength
    withBuffers(perLeaf: hasWindows) { b in
      for u in units {
        let (t, row) = u.quotientAndRemainder(dividingBy: rows)
        let start = t &* tile, n = Swift.min(tile, rowLength &- start)
        if hasWindows { writeDigits(first: row, count: 1, to: b.digits) }
        for l in 0..<leafBase.count {
          if !leafWindowed[l] {
            let offset = offset(ofLeaf: l, row: row) &+ start &* leafStep[l]
            b.leafOperands[l] = TileOperand(base: leafBase[l] + offset &* leafBytes[l], stride: leafStep[l])
          } else {
            b.leafOperands[l] = windowTile(l, start: start, count: n, b)
          }
        }
        runFunctions(n: n, flat: row &* rowLength &+ start, b)
      }
    }
  }

  /// Short rows: `rowsPerTile` rows per tile; leaves whose rows are not one flat run are
  /// copied into contiguous buffers first.
  func runPacked(_ units: Range<Int>, rows: Int) {
    let tile = FusedReplayPlan.tileLength
    withBuffers(perLeaf: true) { b in
      for u in units {
        let first = u &* rowsPerTile
        let count = Swift.min(rowsPerTile, rows &- first)
        if hasWindows { writeDigits(first: first, count: count, to: b.digits) }
        for l in 0..<leafBase.count {
          let bytes = leafBytes[l]
          if leafFlat[l] {
            b.leafOperands[l] = TileOperand(base: leafBase[l] + offset(ofLeaf: l, row: first) &* bytes, stride: leafStep[l])
            continue
          }
          let dst = b.packed + l &* tile &* 16
          b.leafOperands[l] = TileOperand(base: UnsafeRawPointer(dst), stride: 1)
          if leafWindowed[l] {
            fillWindowRows(l, count: count, b, to: dst)
            continue
          }
          for r in 0..<count {
            let src = leafBase[l] + offset(ofLeaf: l, row: first &+ r) &* bytes
            copyElements(from: src, step: leafStep[l], bytes: bytes, count: rowLength, to: dst + r &* rowLength &* bytes)
          }
        }
        runFunctions(n: count &* rowLength, flat: first &* rowLength, b)
      }
    }
  }

  /// Copies `count` elements of `bytes` bytes, `step` elements apart, to `dst`.
  @inline(__always)
  func copyElements(from src: UnsafeRawPointer, step: Int, bytes: Int, count: Int, to dst: UnsafeMutableRawPointer) {
    if step == 1 && count > 4 {
      dst.copyMemory(from: src, byteCount: count &* bytes)
      return
    }
    func strided<T>(_: T.Type) {
      let s = src.assumingMemoryBound(to: T.self), d = dst.assumingMemoryBound(to: T.self)
      for i in 0..<count { d[i] = s[i &* step] }
    }
    switch bytes {
    case 1: strided(UInt8.self)
    case 4: strided(UInt32.self)
    case 8: strided(UInt64.self)
    case 16: strided(SIMD2<UInt64>.self)
    default:
      for i in 0..<count { (dst + i &* bytes).copyMemory(from: src + i &* step &* bytes, byteCount: bytes) }
    }
  }
}
