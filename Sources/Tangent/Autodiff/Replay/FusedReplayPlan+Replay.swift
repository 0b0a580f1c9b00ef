extension FusedReplayPlan {
  /// The number of elements of each operand a fused group computes at once: its scratch
  /// buffers (16 KB at most each) stay in the level-2 cache.
  static let tileLength = 1024

  /// The results at `x` (of the traced shape and dtype), or `nil` when a step's outputs do not
  /// match the recorded ones.
  func replay(at x: Tensor) -> [Tensor]? {
    guard x.shape == point.shape, x.dtype == point.dtype else { return nil }
    var x = x.detached
    if x.offset != 0 || !x.isContiguous { x = x.contiguousValues() }
    var slots = [Tensor?](repeating: nil, count: slotCount)
    func resolve(_ r: Ref) -> Tensor? {
      switch r.source {
      case .point: return r.view.map { $0.apply(to: x) } ?? x
      case .constant(let c): return r.view.map { $0.apply(to: c) } ?? c
      case .slot(let s):
        guard let v = slots[s] else { return nil }
        // A view re-applies the recorded geometry only over a tensor laid out as recorded.
        return r.view.map { $0.apply(to: v, recordedAs: slotGeometries[s]) } ?? v
      }
    }
    for (k, entry) in entries.enumerated() {
      switch entry {
      case .step(let step, let refs, let outputs):
        guard let inputs = resolvedAll(refs, resolve), let ys = step.run(inputs), ys.count == outputs.count else { return nil }
        for (s, y) in zip(outputs, ys) { slots[s] = y }
      case .group(let group):
        guard let leaves = resolvedAll(group.leaves, resolve), let outputs = group.run(leaves) else { return nil }
        for (s, y) in outputs { slots[s] = y }
      }
      for s in releases[k] { slots[s] = nil }
    }
    return resolvedAll(results, resolve)
  }
}

extension FusedReplayPlan.Group {
  /// Runs the group's functions over `leaves` tile by tile; the materialised values by slot,
  /// or `nil` when a leaf does not broadcast to the group's shape or has another dtype than
  /// recorded.
  func run(_ leaves: [Tensor]) -> [(Int, Tensor)]? {
    let rank = shape.count
    for (l, t) in leaves.enumerated() {
      guard t.autodiff == nil, t.dtype == leafDTypes[l] else { return nil }
      if let w = leafWindows[l] {
        // A window reads its source inside the source's shape only.
        guard w.shape == shape, t.shape == w.sourceShape, w.dtype == t.dtype else { return nil }
        continue
      }
      guard t.rank <= rank else { return nil }
      for (i, d) in t.shape.enumerated() where d != 1 && d != shape[rank - t.rank + i] { return nil }
    }
    var outputs: [(Int, Tensor)] = []
    var outputBase = [UnsafeMutableRawPointer?](repeating: nil, count: nodes.count)
    for (i, n) in nodes.enumerated() {
      guard let s = n.slot else { continue }
      let t = Tensor(uninitializedShape: shape, dtype: n.dtype)
      outputs.append((s, t))
      outputBase[i] = t.storage.base
    }
    if Shape.count(shape) == 0 { return outputs }
    let loop = FusedLoop(shape: shape, leaves: leaves, windows: leafWindows, outputBase: outputBase, schedule: schedule)
    withExtendedLifetime((leaves, outputs)) { loop.run() }
    return outputs
  }
}

/// The fixed part of a fused group's loop: each function's kernel, operands, output buffer and
/// element size, computed once per plan.
struct TileSchedule {
  let runs: [(UnsafePointer<TileOperand>, UnsafeMutableRawPointer, Int) -> Void]
  /// Per function, two entries: a leaf index (≥ 0), `-1 - j` for function `j`, or `Int.min`
  /// (no operand).
  let operandCodes: [Int]
  /// Per function: its scratch buffer (functions whose values are not written out), or -1.
  let scratchIndex: [Int]
  let scratchCount: Int
  /// Per function: its element size in bytes.
  let nodeBytes: [Int]
  /// The largest element size of the group (the size of a scratch buffer's elements).
  let elementBytes: Int

  init(_ nodes: [FusedReplayPlan.GroupNode]) {
    runs = nodes.map(\.kernel.run)
    var codes: [Int] = []
    for n in nodes {
      for o in 0..<2 {
        guard o < n.operands.count else { codes.append(Int.min); continue }
        switch n.operands[o] {
        case .leaf(let l): codes.append(l)
        case .node(let j): codes.append(-1 - j)
        }
      }
    }
    operandCodes = codes
    nodeBytes = nodes.map { $0.dtype.byteCount }
    elementBytes = nodeBytes.max() ?? 8
    // Scratch buffers, reused once a function's last reader has run (a function never writes
    // the buffer it reads).
    var lastUse = Array(repeating: -1, count: nodes.count)
    for (i, n) in nodes.enumerated() {
      for o in n.operands { if case .node(let j) = o { lastUse[j] = i } }
    }
    var free: [Int] = []
    var total = 0
    var index = Array(repeating: -1, count: nodes.count)
    for (i, n) in nodes.enumerated() {
      if n.slot == nil {
        if let f = free.popLast() {
          index[i] = f
        } else {
          index[i] = total
          total += 1
        }
      }
      for o in n.operands {
        if case .node(let j) = o, lastUse[j] == i, index[j] >= 0 { free.append(index[j]) }
      }
    }
    scratchIndex = index
    scratchCount = total
  }
}

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
private struct FusedLoop {
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
  private func offset(ofLeaf l: Int, row: Int) -> Int {
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

  /// The indices along the outer dimensions of rows `first ..< first + count`, `outer.count`
  /// per row, written to `digits` (one division per dimension, then counting).
  @inline(__always)
  private func writeDigits(first: Int, count: Int, to digits: UnsafeMutablePointer<Int>) {
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
  private func windowOffset(ofLeaf l: Int, digits: UnsafePointer<Int>) -> Int? {
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

  /// The buffers of one thread's tiles.
  private struct Buffers {
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
  private func withBuffers(perLeaf: Bool, _ body: (Buffers) -> Void) {
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
  private func runFunctions(n: Int, flat: Int, _ b: Buffers) {
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

  private var hasWindows: Bool { leafWindowed.contains(true) }

  /// Long rows: the tiles `units`, tile-major (tile `t` of every row, then tile `t + 1`).
  private func runTiles(_ units: Range<Int>, rows: Int) {
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

  /// Windowed leaf `l`'s operand over elements `start ..< start + count` of the row at
  /// `b.digits`: its source in place inside one segment, a zero over zeros, its buffer filled
  /// segment by segment otherwise.
  @inline(__always)
  private func windowTile(_ l: Int, start: Int, count: Int, _ b: Buffers) -> TileOperand {
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
  private func fillWindowRow(_ l: Int, offset: Int, start: Int, count: Int, skipping skipped: Int, to dst: UnsafeMutableRawPointer) {
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
  private func fillWindowRows(_ l: Int, count: Int, _ b: Buffers, to dst: UnsafeMutableRawPointer) {
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
  private func copyBlocks(from src: UnsafeRawPointer, to dst: UnsafeMutableRawPointer, blocks: Int, width: Int, stride: Int, bytes: Int) {
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

  /// Short rows: `rowsPerTile` rows per tile; leaves whose rows are not one flat run are
  /// copied into contiguous buffers first.
  private func runPacked(_ units: Range<Int>, rows: Int) {
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
  private func copyElements(from src: UnsafeRawPointer, step: Int, bytes: Int, count: Int, to dst: UnsafeMutableRawPointer) {
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
