extension FusedReplayPlan {
  /// The number of elements of each operand a fused group computes at once: its scratch
  /// buffers (16 KB at most each) stay in the level-2 cache.
  static let tileLength = 1024

  /// The results at `x` (of the traced shape and dtype), or `nil` when a step's outputs do not
  /// match the recorded ones.
  func replay(at x: Tensor) -> [Tensor]? {
    var x = x.detached
    if x.offset != 0 || !x.isContiguous { x = x.contiguousValues() }
    var slots = [Tensor?](repeating: nil, count: slotCount)
    func resolve(_ r: Ref) -> Tensor? {
      let t: Tensor
      switch r.source {
      case .point: t = x
      case .constant(let c): t = c
      case .slot(let s):
        guard let v = slots[s] else { return nil }
        // A view re-applies the recorded geometry only over a tensor laid out as recorded.
        if r.view != nil { guard ReplayGeometry(v) == slotGeometries[s] else { return nil } }
        t = v
      }
      return r.view.map { $0.apply(to: t) } ?? t
    }
    for (k, entry) in entries.enumerated() {
      switch entry {
      case .step(let step, let refs, let outputs):
        var inputs: [Tensor] = []
        inputs.reserveCapacity(refs.count)
        for r in refs {
          guard let t = resolve(r) else { return nil }
          inputs.append(t)
        }
        guard let ys = step.run(inputs), ys.count == outputs.count else { return nil }
        for (s, y) in zip(outputs, ys) { slots[s] = y }
      case .group(let group):
        var leaves: [Tensor] = []
        leaves.reserveCapacity(group.leaves.count)
        for r in group.leaves {
          guard let t = resolve(r) else { return nil }
          leaves.append(t)
        }
        guard let outputs = group.run(leaves) else { return nil }
        for (s, y) in outputs { slots[s] = y }
      }
      for s in releases[k] { slots[s] = nil }
    }
    var results: [Tensor] = []
    for r in self.results {
      guard let t = resolve(r) else { return nil }
      results.append(t)
    }
    return results
  }
}

extension FusedReplayPlan.Group {
  /// Runs the group's functions over `leaves` tile by tile; the materialised values by slot,
  /// or `nil` when a leaf does not broadcast to the group's shape.
  func run(_ leaves: [Tensor]) -> [(Int, Tensor)]? {
    let rank = shape.count
    for t in leaves {
      guard t.rank <= rank, t.autodiff == nil else { return nil }
      for (i, d) in t.shape.enumerated() where d != 1 && d != shape[rank - t.rank + i] { return nil }
    }
    var outputs: [(Int, Tensor)] = []
    var outputOf = [Tensor?](repeating: nil, count: nodes.count)
    for (i, n) in nodes.enumerated() {
      guard let s = n.slot else { continue }
      let t = Tensor(uninitializedShape: shape, dtype: n.dtype)
      outputs.append((s, t))
      outputOf[i] = t
    }
    let count = Shape.count(shape)
    if count == 0 { return outputs }
    let loop = FusedLoop(group: self, leaves: leaves, outputs: outputOf)
    loop.run()
    return outputs
  }
}

/// The loop of one fused group over its leaves and outputs: the group's shape as rows (the
/// dimensions every leaf steps through alike merged), each row cut into tiles.
private struct FusedLoop {
  let group: FusedReplayPlan.Group
  /// Outer sizes of the merged dimensions (the last is the row).
  let outer: [Int]
  let rowLength: Int
  /// Per leaf: the address of its first element, its element size, its outer strides
  /// (elements) and its step along a row.
  let leafBase: [UnsafeRawPointer]
  let leafBytes: [Int]
  let leafOuterStrides: [[Int]]
  let leafStep: [Int]
  /// Per node: the address of its output's first element (materialised nodes) and element size.
  let outputBase: [UnsafeMutableRawPointer?]
  let nodeBytes: [Int]
  /// Per node: its scratch buffer (nodes that are not materialised), or -1.
  let scratchIndex: [Int]
  /// Per node: its kernel.
  let runs: [(UnsafePointer<TileOperand>, UnsafeMutableRawPointer, Int) -> Void]
  /// Per node, two entries: a leaf index (≥ 0), `-1 - j` for node `j`, or `Int.min` (no operand).
  let operandCodes: [Int]
  let scratchCount: Int
  /// The tensors whose storage the loop reads and writes, kept alive while it runs.
  let keep: [Tensor]

  init(group: FusedReplayPlan.Group, leaves: [Tensor], outputs: [Tensor?]) {
    self.group = group
    let shape = group.shape
    let rank = shape.count
    let strides = leaves.map { $0.broadcastStrides(to: shape) }
    // Drop dims of size 1; merge neighbours every leaf steps through as one (outputs are
    // contiguous, so they always can).
    var sizes: [Int] = []
    var merged: [[Int]] = Array(repeating: [], count: leaves.count)
    for d in 0..<rank where shape[d] != 1 {
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
    leafOuterStrides = merged.map { Array($0.dropLast()) }
    leafBase = leaves.map { UnsafeRawPointer($0.storage.base + $0.offset &* $0.dtype.byteCount) }
    leafBytes = leaves.map { $0.dtype.byteCount }
    outputBase = outputs.map { $0.map { $0.storage.base } }
    nodeBytes = group.nodes.map { $0.dtype.byteCount }
    // Scratch buffers, reused once a node's last reader has run.
    var lastUse = Array(repeating: -1, count: group.nodes.count)
    for (i, n) in group.nodes.enumerated() {
      for o in n.operands { if case .node(let j) = o { lastUse[j] = i } }
    }
    var free: [Int] = []
    var total = 0
    var index = Array(repeating: -1, count: group.nodes.count)
    for (i, n) in group.nodes.enumerated() {
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
    runs = group.nodes.map(\.kernel.run)
    var codes: [Int] = []
    for n in group.nodes {
      for o in 0..<2 {
        guard o < n.operands.count else { codes.append(Int.min); continue }
        switch n.operands[o] {
        case .leaf(let l): codes.append(l)
        case .node(let j): codes.append(-1 - j)
        }
      }
    }
    operandCodes = codes
    keep = leaves + outputs.compactMap { $0 }
  }

  func run() {
    let tile = FusedReplayPlan.tileLength
    let tilesPerRow = (rowLength + tile - 1) / tile
    let rows = outer.reduce(1, &*)
    withExtendedLifetime(keep) {
      Parallel.forChunks(rows &* tilesPerRow, cost: tile) { units in
        runTiles(units, tilesPerRow: tilesPerRow)
      }
    }
  }

  /// Runs the tiles `units` (row-major: row, then tile within the row) on this thread.
  private func runTiles(_ units: Range<Int>, tilesPerRow: Int) {
    let tile = FusedReplayPlan.tileLength
    let nodeCount = group.nodes.count, leafCount = leafBase.count, outerRank = outer.count
    // 16 bytes per element covers every dtype.
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, scratchCount) &* tile &* 16, alignment: 64)
    defer { scratch.deallocate() }
    let operands = UnsafeMutablePointer<TileOperand>.allocate(capacity: 2)
    defer { operands.deallocate() }
    let nodeOut = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: nodeCount)
    defer { nodeOut.deallocate() }
    let leafOffset = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(1, leafCount))
    defer { leafOffset.deallocate() }
    // The scratch nodes' buffers are fixed; the written nodes' move with the tile.
    for k in 0..<nodeCount where scratchIndex[k] >= 0 { nodeOut[k] = scratch + scratchIndex[k] &* tile &* 16 }
    runs.withUnsafeBufferPointer { runs in
      operandCodes.withUnsafeBufferPointer { codes in
        leafStep.withUnsafeBufferPointer { step in
          leafBytes.withUnsafeBufferPointer { bytes in
            for u in units {
              let (row, t) = u.quotientAndRemainder(dividingBy: tilesPerRow)
              let start = t &* tile
              let n = Swift.min(tile, rowLength &- start)
              // Each leaf's element offset at (row, start).
              for l in 0..<leafCount { leafOffset[l] = start &* step[l] }
              var rem = row
              var d = outerRank - 1
              while d >= 0 {
                let i = rem % outer[d]
                rem /= outer[d]
                if i != 0 { for l in 0..<leafCount { leafOffset[l] &+= i &* leafOuterStrides[l][d] } }
                d -= 1
              }
              let flat = row &* rowLength &+ start
              for k in 0..<nodeCount {
                if let base = outputBase[k] { nodeOut[k] = base + flat &* nodeBytes[k] }
                for o in 0..<2 {
                  let c = codes[2 &* k &+ o]
                  if c == Int.min { break }
                  operands[o] = c >= 0
                    ? TileOperand(base: leafBase[c] + leafOffset[c] &* bytes[c], stride: step[c])
                    : TileOperand(base: UnsafeRawPointer(nodeOut[-1 - c]), stride: 1)
                }
                runs[k](operands, nodeOut[k], n)
              }
            }
          }
        }
      }
    }
  }
}
