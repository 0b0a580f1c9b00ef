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
