/// A ``ReplayPlan`` whose elementwise steps are fused: the element functions of neighbouring
/// steps that have an ``ElementwiseProgram`` run together in loops over tiles of about a
/// thousand elements, so intermediate values stay in cache instead of making one pass over
/// memory (and one allocation) each.
///
/// The element functions are grouped by output shape, as XLA's loop fusion does: a group is
/// every fusable function of one shape computed between the points where something outside
/// it needs one of its values (a step that is not elementwise, a result, a function of another
/// shape). Within a group, values flow tile by tile through scratch buffers; the values needed
/// outside it are written to tensors ("materialised"). Steps without a program run whole, as
/// in the plain plan.
///
/// A value an op made by moving another's elements (a zero pad, a slice's gradient, a roll:
/// a ``ReplayWindow``) is not computed: a function of its shape reads the other value through
/// the window as a group leaf. Windows of windows compose, and a unit-step box of a window is
/// a window. Read any other way (through another view, broadcast, by a whole step or as a
/// result), its values are written out by a step at that point.
///
/// Each element gets the bits of the unfused plan: the same element kernels run on the same
/// values; only the loop order changes. ``SparseReplayCache`` still checks the fused plan
/// against the engine at two points, and keeps the plain plan when they differ.
///
/// Unchecked `Sendable` for the reasons of ``ReplayPlan``: immutable, holding ops, kernels
/// (pure element functions) and constant tensors.
struct FusedReplayPlan: @unchecked Sendable {
  /// Where a value is read from at replay.
  enum Source {
    case point
    case constant(Tensor)
    /// A tensor computed during the replay: a step's output or a materialised value.
    case slot(Int)
  }

  /// A value read at replay: its source, seen with `view` (a geometry over the source's
  /// storage) when given, and read by a fused group through `window` when given.
  struct Ref {
    let source: Source
    let view: ReplayGeometry?
    var window: ReplayWindow? = nil
  }

  /// An operand inside a fused group.
  enum GroupOperand {
    /// The group's input tensor `index`.
    case leaf(Int)
    /// Another function of the group, computed in the same tile.
    case node(Int)
  }

  /// One element function of a group.
  struct GroupNode {
    let kernel: TileKernel
    let operands: [GroupOperand]
    let dtype: DType
    /// The slot its values are written to, when something outside the group reads them.
    let slot: Int?
  }

  /// Element functions of one shape, run together tile by tile.
  struct Group {
    let shape: [Int]
    let leaves: [Ref]
    /// The dtype each leaf was recorded with (its kernels read elements of that size).
    let leafDTypes: [DType]
    /// The window each leaf is read through (of the group's shape), if any.
    let leafWindows: [ReplayWindow?]
    let nodes: [GroupNode]
    /// How the functions run over a tile, fixed when the plan is built.
    let schedule: TileSchedule

    init(shape: [Int], leaves: [Ref], leafDTypes: [DType], nodes: [GroupNode]) {
      self.shape = shape
      self.leaves = leaves
      self.leafDTypes = leafDTypes
      leafWindows = leaves.map(\.window)
      self.nodes = nodes
      schedule = TileSchedule(nodes)
    }
  }

  /// One entry of the replay: a step run whole, or a fused group.
  enum Entry {
    case step(ReplayStep, inputs: [Ref], outputs: [Int])
    case group(Group)
  }

  let entries: [Entry]
  /// The number of slots.
  let slotCount: Int
  /// The recorded geometry of each slot's tensor (checked before a view re-applies it).
  let slotGeometries: [ReplayGeometry]
  /// For each entry, the slots last read by it (released after it runs).
  let releases: [[Int]]
  let results: [Ref]
  /// The geometry of the traced point (contiguous, offset 0): a replay takes only points of
  /// its shape and dtype.
  let point: ReplayGeometry

  /// The number of fused groups and the number of element functions in them.
  var groupCount: Int { entries.count { if case .group = $0 { true } else { false } } }
  /// The number of element functions in fused groups.
  var fusedFunctionCount: Int {
    entries.reduce(0) { n, e in if case .group(let g) = e { n + g.nodes.count } else { n } }
  }
  /// The number of steps run whole.
  var wholeStepCount: Int { entries.count { if case .step = $0 { true } else { false } } }
  /// The number of group leaves read through a window.
  var windowedLeafCount: Int {
    entries.reduce(0) { n, e in if case .group(let g) = e { n + g.leafWindows.count { $0 != nil } } else { n } }
  }
}

extension FusedReplayPlan {
  /// The fused form of `plan`, or `nil` when none of its steps has a program or the grouping
  /// meets a cycle it does not handle (then the plain plan replays).
  init?(_ plan: ReplayPlan) {
    guard plan.steps.contains(where: { $0.program != nil }) else { return nil }
    var builder = FusionBuilder(plan: plan)
    guard builder.build() else { return nil }
    self = builder.finish()
  }
}

/// Builds a ``FusedReplayPlan`` in one pass over a plan's steps (see the type's note).
private struct FusionBuilder {
  /// A value of the plan during the build.
  enum Value {
    /// Read from a source (the point, a constant, a whole step's output).
    case ref(FusedReplayPlan.Ref)
    /// The output of fused function `index` (contiguous, of its shape).
    case node(Int)
    /// The output of fused function `index` seen with another geometry.
    case nodeView(Int, ReplayGeometry)
    /// Windowed value `index` (see ``Windowed``), laid out contiguously.
    case window(Int)
    /// Windowed value `index` seen with another geometry (read from its written values).
    case windowView(Int, ReplayGeometry)
  }

  /// A value some step made by reading another through a window: fused groups of its shape read
  /// the other through the window; anything else reads its values written out by a step.
  struct Windowed {
    /// The value read (never windowed itself: windows of windows compose).
    let inner: Value
    let window: ReplayWindow
    /// The slot of its written values, once something needs them.
    var slot: Int?
  }

  /// An operand of a fused function during the build.
  enum Operand {
    case ref(FusedReplayPlan.Ref)
    /// A function of the same group.
    case node(Int)
  }

  struct Node {
    let kernel: TileKernel
    var operands: [Operand]
    let shape: [Int]
    let dtype: DType
    let group: Int
    var slot: Int?
  }

  struct GroupState {
    let shape: [Int]
    var nodes: [Int] = []
    var dependencies: Set<Int> = []
    var closed = false
  }

  enum Pending {
    case step(ReplayStep, inputs: [FusedReplayPlan.Ref], outputs: [Int])
    case group(Int)
  }

  let plan: ReplayPlan
  var values: [[Value]] = []
  var nodes: [Node] = []
  var windowed: [Windowed] = []
  var groups: [GroupState] = []
  var open: [[Int]: Int] = [:]
  var entries: [Pending] = []
  var slotGeometries: [ReplayGeometry] = []
  var results: [FusedReplayPlan.Ref] = []

  init(plan: ReplayPlan) { self.plan = plan }

  mutating func newSlot(_ g: ReplayGeometry) -> Int {
    slotGeometries.append(g)
    return slotGeometries.count - 1
  }

  /// Closes group `g` (and first the groups it reads): it runs at this point of the replay.
  mutating func close(_ g: Int) {
    guard !groups[g].closed else { return }
    groups[g].closed = true
    if open[groups[g].shape] == g { open[groups[g].shape] = nil }
    for d in groups[g].dependencies { close(d) }
    entries.append(.group(g))
  }

  /// Whether group `from` reads group `to`, directly or through others.
  func reads(_ from: Int, _ to: Int) -> Bool {
    var seen: Set<Int> = []
    var stack = [from]
    while let g = stack.popLast() {
      if g == to { return true }
      for d in groups[g].dependencies where seen.insert(d).inserted { stack.append(d) }
    }
    return false
  }

  /// Node `k`'s values as a tensor outside its group (through `view` when given): they are
  /// materialised, and the reader is group `reader` (which then runs after `k`'s group) or,
  /// when `nil`, a step run whole or a result (`k`'s group runs now). `nil` on a cycle.
  mutating func materialised(_ k: Int, view: ReplayGeometry?, reader: Int?) -> FusedReplayPlan.Ref? {
    if nodes[k].slot == nil { nodes[k].slot = newSlot(nodeGeometry(k)) }
    let g = nodes[k].group
    if let reader {
      if reader != g && !groups[g].closed {
        if reads(g, reader) { return nil }
        groups[reader].dependencies.insert(g)
      }
    } else {
      close(g)
    }
    return FusedReplayPlan.Ref(source: .slot(nodes[k].slot!), view: view)
  }

  /// The value a plan input names.
  func value(of i: ReplayInput) -> Value {
    switch i.source {
    case .point: return .ref(.init(source: .point, view: i.view))
    case .constant(let t): return .ref(.init(source: .constant(t), view: nil))
    case .step(let k, let j):
      let v = values[k][j]
      guard let view = i.view else { return v }
      return self.view(v, view)
    }
  }

  /// Value `v`'s storage seen with geometry `g`.
  func view(_ v: Value, _ g: ReplayGeometry) -> Value {
    switch v {
    case .ref(let r): return .ref(.init(source: r.source, view: g))
    case .node(let n), .nodeView(let n, _): return g == nodeGeometry(n) ? .node(n) : .nodeView(n, g)
    case .window(let q), .windowView(let q, _):
      let w = windowed[q].window
      return g == ReplayGeometry(contiguous: w.shape, dtype: w.dtype) ? .window(q) : .windowView(q, g)
    }
  }

  /// The window through which `v` reads another value, when it is a windowed value or a box of
  /// unit steps of one (a slice of a pad is a window over the pad's source): a new windowed
  /// value, or `nil`.
  mutating func asWindow(_ v: Value) -> Int? {
    switch v {
    case .window(let q): return q
    case .windowView(let q, let g):
      guard let cropped = windowed[q].window.viewed(by: g) else { return nil }
      windowed.append(Windowed(inner: windowed[q].inner, window: cropped, slot: nil))
      return windowed.count - 1
    default: return nil
    }
  }

  func nodeGeometry(_ n: Int) -> ReplayGeometry {
    ReplayGeometry(contiguous: nodes[n].shape, dtype: nodes[n].dtype)
  }

  /// The slot of windowed value `q`'s values, written out by a step run whole at this point
  /// (once).
  mutating func writtenWindow(_ q: Int) -> Int {
    if let s = windowed[q].slot { return s }
    let inner = wholeRead(windowed[q].inner)
    let w = windowed[q].window
    let slot = newSlot(ReplayGeometry(contiguous: w.shape, dtype: w.dtype))
    let step = ReplayStep(name: "window", inputs: []) { ins in w.values(of: ins[0]).map { [$0] } }
    entries.append(.step(step, inputs: [inner], outputs: [slot]))
    windowed[q].slot = slot
    return slot
  }

  /// The windowed value of `inner` read through `window`.
  mutating func windowedValue(_ inner: Value, _ window: ReplayWindow) -> Value {
    switch inner {
    case .window, .windowView:
      if let q = asWindow(inner), let composed = windowed[q].window.followed(by: window) {
        windowed.append(Windowed(inner: windowed[q].inner, window: composed, slot: nil))
      } else {
        windowed.append(Windowed(inner: .ref(wholeRead(inner)), window: window, slot: nil))
      }
    default:
      windowed.append(Windowed(inner: inner, window: window, slot: nil))
    }
    return .window(windowed.count - 1)
  }

  /// A value read by a step run whole or a result: a node's values are materialised, a
  /// windowed value's written out.
  mutating func wholeRead(_ v: Value) -> FusedReplayPlan.Ref {
    switch v {
    case .ref(let r): return r
    case .node(let n): return materialised(n, view: nil, reader: nil)!
    case .nodeView(let n, let view): return materialised(n, view: view, reader: nil)!
    case .window(let q): return .init(source: .slot(writtenWindow(q)), view: nil)
    case .windowView(let q, let view): return .init(source: .slot(writtenWindow(q)), view: view)
    }
  }

  mutating func build() -> Bool {
    for step in plan.steps {
      var inputs: [Value] = []
      for i in step.inputs { inputs.append(value(of: i)) }
      if let program = step.program {
        guard let outs = fuse(program, inputs: inputs) else { return false }
        values.append(outs)
        continue
      }
      let refs = inputs.map { wholeRead($0) }
      let k = values.count
      let slots = plan.outputGeometries[k].map { newSlot($0) }
      entries.append(.step(step, inputs: refs, outputs: slots))
      values.append(slots.map { .ref(.init(source: .slot($0), view: nil)) })
    }
    for r in plan.results {
      let v = value(of: r)
      results.append(wholeRead(v))
    }
    for g in groups.indices { close(g) }
    return true
  }

  /// Adds `program`'s functions to the open groups of their shapes; its outputs, or `nil` on
  /// a cycle between groups (then the whole plan stays unfused).
  mutating func fuse(_ program: ElementwiseProgram, inputs: [Value]) -> [Value]? {
    var local: [Value] = []
    for pn in program.nodes {
      // What each operand reads.
      var reads: [Value] = []
      for o in pn.operands {
        switch o {
        // `g` is the geometry the kernel read the input's storage with.
        case .input(let i, let g): reads.append(view(inputs[i], g))
        case .constant(let t): reads.append(.ref(.init(source: .constant(t), view: nil)))
        case .node(let m): reads.append(local[m])
        case .nodeView(let m, let g): reads.append(view(local[m], g))
        }
      }
      let kernel: TileKernel
      switch pn.function {
      case .window(let w):
        local.append(windowedValue(reads[0], w))
        continue
      case .kernel(let k): kernel = k
      }
      // A windowed value is read through its window by a function of its shape; anything else
      // reads its values written out (first: writing them may close this shape's group).
      for (k, v) in reads.enumerated() {
        switch v {
        case .window, .windowView:
          if let q = asWindow(v), windowed[q].window.shape == pn.shape {
            reads[k] = .window(q)
          } else {
            reads[k] = .ref(wholeRead(v))
          }
        default: break
        }
      }
      // A view of a value of the open group of this shape (or a window over one) needs all of
      // it written first: that group runs before this function, which starts a new one.
      if let g = open[pn.shape], reads.contains(where: { readsAllOf(group: g, $0) }) {
        close(g)
      }
      let group: Int
      if let g = open[pn.shape] {
        group = g
      } else {
        groups.append(GroupState(shape: pn.shape))
        group = groups.count - 1
        open[pn.shape] = group
      }
      var operands: [Operand] = []
      for v in reads {
        switch v {
        case .ref(let r): operands.append(.ref(r))
        case .node(let n) where nodes[n].group == group: operands.append(.node(n))
        case .node(let n):
          guard let m = materialised(n, view: nil, reader: group) else { return nil }
          operands.append(.ref(m))
        case .nodeView(let n, let g):
          guard let m = materialised(n, view: g, reader: group) else { return nil }
          operands.append(.ref(m))
        case .window(let q):
          let inner: FusedReplayPlan.Ref
          switch windowed[q].inner {
          case .ref(let r): inner = r
          case .node(let n):
            guard let m = materialised(n, view: nil, reader: group) else { return nil }
            inner = m
          case .nodeView(let n, let g):
            guard let m = materialised(n, view: g, reader: group) else { return nil }
            inner = m
          // Never: windows of windows compose.
          case .window, .windowView: return nil
          }
          operands.append(.ref(.init(source: inner.source, view: inner.view, window: windowed[q].window)))
        // Never: written out above.
        case .windowView: return nil
        }
      }
      nodes.append(Node(kernel: kernel, operands: operands, shape: pn.shape, dtype: pn.dtype, group: group, slot: nil))
      groups[group].nodes.append(nodes.count - 1)
      local.append(.node(nodes.count - 1))
    }
    var outputs: [Value] = []
    for o in program.outputs {
      switch o {
      case .node(let m): outputs.append(local[m])
      case .input(let i, let g): outputs.append(view(inputs[i], g))
      case .constant(let t): outputs.append(.ref(.init(source: .constant(t), view: nil)))
      case .nodeView(let m, let g): outputs.append(view(local[m], g))
      }
    }
    return outputs
  }

  /// Whether reading `v` needs all of group `g`'s values written first: a view of one of
  /// them, or a window over one (its elements are read from other positions).
  func readsAllOf(group g: Int, _ v: Value) -> Bool {
    switch v {
    case .nodeView(let n, _): return nodes[n].group == g
    case .window(let q):
      switch windowed[q].inner {
      case .node(let n), .nodeView(let n, _): return nodes[n].group == g
      default: return false
      }
    default: return false
    }
  }

  func finish() -> FusedReplayPlan {
    var built: [FusedReplayPlan.Entry] = []
    for e in entries {
      switch e {
      case .step(let s, let inputs, let outputs): built.append(.step(s, inputs: inputs, outputs: outputs))
      case .group(let g):
        // Functions whose values nothing reads (a step's output no later step needs) are dropped.
        var members = groups[g].nodes
        var read = Set<Int>()
        for n in members.reversed() where nodes[n].slot != nil || read.contains(n) {
          for case .node(let m) in nodes[n].operands { read.insert(m) }
        }
        members.removeAll { nodes[$0].slot == nil && !read.contains($0) }
        if members.isEmpty { continue }
        var position: [Int: Int] = [:]
        for (i, n) in members.enumerated() { position[n] = i }
        var leaves: [FusedReplayPlan.Ref] = []
        var groupNodes: [FusedReplayPlan.GroupNode] = []
        for n in members {
          let ops = nodes[n].operands.map { o -> FusedReplayPlan.GroupOperand in
            switch o {
            case .node(let m): return .node(position[m]!)
            case .ref(let r):
              leaves.append(r)
              return .leaf(leaves.count - 1)
            }
          }
          groupNodes.append(.init(kernel: nodes[n].kernel, operands: ops, dtype: nodes[n].dtype, slot: nodes[n].slot))
        }
        built.append(.group(.init(shape: groups[g].shape, leaves: leaves, leafDTypes: leaves.map(dtype(of:)), nodes: groupNodes)))
      }
    }
    // Each slot is released after the last entry that reads it (results keep theirs).
    var lastUse = Array(repeating: -1, count: slotGeometries.count)
    func reads(_ r: FusedReplayPlan.Ref) -> Int? { if case .slot(let s) = r.source { s } else { nil } }
    for (k, e) in built.enumerated() {
      switch e {
      case .step(_, let inputs, _): for r in inputs { if let s = reads(r) { lastUse[s] = k } }
      case .group(let g): for r in g.leaves { if let s = reads(r) { lastUse[s] = k } }
      }
    }
    for r in results { if let s = reads(r) { lastUse[s] = Int.max } }
    var releases = Array(repeating: [Int](), count: built.count)
    for (s, k) in lastUse.enumerated() where k >= 0 && k < Int.max { releases[k].append(s) }
    return FusedReplayPlan(
      entries: built, slotCount: slotGeometries.count, slotGeometries: slotGeometries, releases: releases, results: results,
      point: plan.point)
  }

  /// The dtype a value is read with.
  func dtype(of r: FusedReplayPlan.Ref) -> DType {
    if let v = r.view { return v.dtype }
    switch r.source {
    case .point: return plan.point.dtype
    case .constant(let t): return t.dtype
    case .slot(let s): return slotGeometries[s].dtype
    }
  }
}

extension FusedReplayPlan: CustomStringConvertible {
  /// One line per entry: a step run whole by name, a group by shape, functions, leaves and
  /// materialised values.
  var description: String {
    entries.map { e -> String in
      switch e {
      case .step(let s, _, _): return "step \(s.name)"
      case .group(let g):
        let names = g.nodes.map(\.kernel.name).joined(separator: " ")
        let windows = g.leafWindows.count { $0 != nil }
        return "group \(g.shape): \(g.nodes.count) functions, \(g.leaves.count) leaves (\(windows) windowed), \(g.nodes.count { $0.slot != nil }) written [\(names)]"
      }
    }.joined(separator: "\n")
  }
}
