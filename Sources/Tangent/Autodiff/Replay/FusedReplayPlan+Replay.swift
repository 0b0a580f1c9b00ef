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
    for (t, dtype) in zip(leaves, leafDTypes) {
      guard t.rank <= rank, t.autodiff == nil, t.dtype == dtype else { return nil }
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
    let loop = FusedLoop(shape: shape, leaves: leaves, outputBase: outputBase, schedule: schedule)
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
private struct FusedLoop {
  let schedule: TileSchedule
  /// Outer sizes of the merged dimensions (the last is the row).
  let outer: [Int]
  let rowLength: Int
  /// Per leaf: the address of its first element, its element size, its outer strides
  /// (elements) and its step along a row.
  let leafBase: [UnsafeRawPointer]
  let leafBytes: [Int]
  /// Leaf `l`'s stride along outer dimension `d` at `l × outer.count + d`.
  let leafOuterStrides: [Int]
  let leafStep: [Int]
  /// Per leaf, in packed mode: whether its rows follow each other in memory (read in place).
  let leafFlat: [Bool]
  /// Per function: the address of its output (functions whose values are written out).
  let outputBase: [UnsafeMutableRawPointer?]
  /// Rows per tile (1 for long rows, which are cut into tiles instead).
  let rowsPerTile: Int

  init(shape: [Int], leaves: [Tensor], outputBase: [UnsafeMutableRawPointer?], schedule: TileSchedule) {
    self.schedule = schedule
    self.outputBase = outputBase
    let strides = leaves.map { $0.broadcastStrides(to: shape) }
    var sizes: [Int] = []
    var merged: [[Int]] = Array(repeating: [], count: leaves.count)
    for d in shape.indices where shape[d] != 1 {
      let n = shape[d]
      if let last = sizes.last, leaves.indices.allSatisfy({ merged[$0].last! == strides[$0][d] &* n }) {
        sizes[sizes.count - 1] = last &* n
        for l in leaves.indices { merged[l][merged[l].count - 1] = strides[l][d] }
        continue
      }
      sizes.append(n)
      for l in leaves.indices { merged[l].append(strides[l][d]) }
    }
    if sizes.isEmpty {
      sizes = [1]
      for l in leaves.indices { merged[l] = [0] }
    }
    rowLength = sizes.last!
    outer = Array(sizes.dropLast())
    leafStep = merged.map { $0.last! }
    leafOuterStrides = merged.flatMap { $0.dropLast() }
    leafBase = leaves.map { UnsafeRawPointer($0.storage.base + $0.offset &* $0.dtype.byteCount) }
    leafBytes = leaves.map { $0.dtype.byteCount }
    let tile = FusedReplayPlan.tileLength
    rowsPerTile = outer.isEmpty || rowLength >= tile / 2 ? 1 : Swift.max(1, tile / rowLength)
    // A leaf reads packed rows in place when it steps through all of them as one flat run
    // (each outer stride the row's length times the inner ones, or a broadcast scalar).
    let rowLength = self.rowLength, outer = self.outer
    leafFlat = merged.map { s in
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

  /// The buffers of one thread's tiles.
  private struct Buffers {
    /// The functions' scratch buffers.
    let scratch: UnsafeMutableRawPointer
    /// One buffer per leaf, for packed rows.
    let packed: UnsafeMutableRawPointer
    let nodeOut: UnsafeMutablePointer<UnsafeMutableRawPointer>
    let operands: UnsafeMutablePointer<TileOperand>
    let offsets: UnsafeMutablePointer<Int>
  }

  /// Runs `body` with one thread's buffers (with per-leaf buffers for packed rows when asked).
  private func withBuffers(packing: Bool, _ body: (Buffers) -> Void) {
    let tile = FusedReplayPlan.tileLength
    let nodeBytes = schedule.scratchCount &* tile &* schedule.elementBytes
    let leafBytes = packing ? leafBase.count &* tile &* 16 : 0
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(64, nodeBytes &+ leafBytes), alignment: 64)
    defer { scratch.deallocate() }
    let nodeOut = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: Swift.max(1, schedule.runs.count))
    defer { nodeOut.deallocate() }
    let operands = UnsafeMutablePointer<TileOperand>.allocate(capacity: 2)
    defer { operands.deallocate() }
    let offsets = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(1, leafBase.count))
    defer { offsets.deallocate() }
    body(Buffers(scratch: scratch, packed: scratch + nodeBytes, nodeOut: nodeOut, operands: operands, offsets: offsets))
  }

  /// Runs every function over one tile of `n` elements whose leaves `leaf` gives and whose
  /// written-out values start at flat position `flat`.
  @inline(__always)
  private func runFunctions(n: Int, flat: Int, _ b: Buffers, leaf: (Int) -> TileOperand) {
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
        operands[o] = c >= 0 ? leaf(c) : TileOperand(base: UnsafeRawPointer(nodeOut[-1 - c]), stride: 1)
      }
      s.runs[k](operands, nodeOut[k], n)
    }
  }

  /// Long rows: the tiles `units`, tile-major (tile `t` of every row, then tile `t + 1`).
  private func runTiles(_ units: Range<Int>, rows: Int) {
    let tile = FusedReplayPlan.tileLength
    withBuffers(packing: false) { b in
      for u in units {
        let (t, row) = u.quotientAndRemainder(dividingBy: rows)
        let start = t &* tile
        for l in 0..<leafBase.count { b.offsets[l] = offset(ofLeaf: l, row: row) &+ start &* leafStep[l] }
        runFunctions(n: Swift.min(tile, rowLength &- start), flat: row &* rowLength &+ start, b) { l in
          TileOperand(base: leafBase[l] + b.offsets[l] &* leafBytes[l], stride: leafStep[l])
        }
      }
    }
  }

  /// Short rows: `rowsPerTile` rows per tile; leaves whose rows are not one flat run are
  /// copied into contiguous buffers first.
  private func runPacked(_ units: Range<Int>, rows: Int) {
    let tile = FusedReplayPlan.tileLength
    withBuffers(packing: true) { b in
      for u in units {
        let first = u &* rowsPerTile
        let count = Swift.min(rowsPerTile, rows &- first)
        for l in 0..<leafBase.count {
          if leafFlat[l] {
            b.offsets[l] = offset(ofLeaf: l, row: first)
            continue
          }
          let bytes = leafBytes[l]
          let dst = b.packed + l &* tile &* 16
          for r in 0..<count {
            let src = leafBase[l] + offset(ofLeaf: l, row: first &+ r) &* bytes
            copyRow(from: src, step: leafStep[l], bytes: bytes, to: dst + r &* rowLength &* bytes)
          }
        }
        runFunctions(n: count &* rowLength, flat: first &* rowLength, b) { l in
          leafFlat[l]
            ? TileOperand(base: leafBase[l] + b.offsets[l] &* leafBytes[l], stride: leafStep[l])
            : TileOperand(base: UnsafeRawPointer(b.packed + l &* tile &* 16), stride: 1)
        }
      }
    }
  }

  /// Copies one row of `rowLength` elements of `bytes` bytes, `step` elements apart, to `dst`.
  @inline(__always)
  private func copyRow(from src: UnsafeRawPointer, step: Int, bytes: Int, to dst: UnsafeMutableRawPointer) {
    if step == 1 {
      dst.copyMemory(from: src, byteCount: rowLength &* bytes)
      return
    }
    func strided<T>(_: T.Type) {
      let s = src.assumingMemoryBound(to: T.self), d = dst.assumingMemoryBound(to: T.self)
      for i in 0..<rowLength { d[i] = s[i &* step] }
    }
    switch bytes {
    case 1: strided(UInt8.self)
    case 4: strided(UInt32.self)
    case 8: strided(UInt64.self)
    case 16: strided(SIMD2<UInt64>.self)
    default:
      for i in 0..<rowLength { (dst + i &* bytes).copyMemory(from: src + i &* step &* bytes, byteCount: bytes) }
    }
  }
}
