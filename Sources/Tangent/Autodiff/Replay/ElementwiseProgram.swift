/// A recorded step seen as a graph of element functions: what a replay fuses with the
/// neighbouring steps' graphs into loops over tiles (``FusedReplayPlan``).
///
/// Built from the ``KernelTrace`` of one step when every value the step computed came from a
/// recorded elementwise kernel or window (``ReplayWindow``): each call's operands are the
/// step's inputs (seen through any geometry), constants, or earlier calls' outputs, and each of
/// the step's outputs is a call's output or one of its inputs, seen through any geometry (a
/// step that only makes views has a program with no calls). Otherwise the step has no
/// program, and a replay runs it whole.
struct ElementwiseProgram {
  /// Where a kernel's operand (or the step's output) comes from.
  enum Operand {
    /// The step's input `index`, seen with `geometry` (over the input's storage).
    case input(Int, ReplayGeometry)
    /// A tensor whose values do not depend on the point.
    case constant(Tensor)
    /// Node `index`'s output as it was written (contiguous, of the node's shape).
    case node(Int)
    /// Node `index`'s output seen with another geometry (a view of it).
    case nodeView(Int, ReplayGeometry)
  }

  /// One call: its function (an element kernel, or a window its one operand is read
  /// through), operands, output shape and dtype.
  struct Node {
    let function: KernelTrace.Function
    let operands: [Operand]
    let shape: [Int]
    let dtype: DType
  }

  let nodes: [Node]
  /// The step's outputs.
  let outputs: [Operand]
  /// The recorded geometry of each of the step's inputs: a replay fuses the program only over
  /// inputs laid out the same way.
  let inputGeometries: [ReplayGeometry]

  /// The program of a step that ran the kernels in `trace` on `inputs`, giving `outputs`;
  /// `nil` when something the step computed did not come from a recorded kernel.
  /// `isConstant` tells tensors fixed during the whole trace.
  init?(trace: KernelTrace, inputs: [Tensor], outputs: [Tensor], isConstant: (Tensor) -> Bool) {
    guard !trace.sawOpaqueKernel else { return nil }
    var producer: [ObjectIdentifier: Int] = [:]
    var inputIndex: [ObjectIdentifier: Int] = [:]
    for (i, x) in inputs.enumerated() where inputIndex[ObjectIdentifier(x.storage)] == nil {
      inputIndex[ObjectIdentifier(x.storage)] = i
    }
    var nodes: [Node] = []
    var written: [ReplayGeometry] = []
    func operand(_ t: Tensor) -> Operand? {
      let id = ObjectIdentifier(t.storage)
      let g = ReplayGeometry(t)
      if let k = producer[id] { return g == written[k] ? .node(k) : .nodeView(k, g) }
      if let i = inputIndex[id] { return .input(i, g) }
      if trace.constants.contains(t.storage.serial) || isConstant(t) { return .constant(t) }
      return nil
    }
    for call in trace.calls {
      var operands: [Operand] = []
      for t in call.inputs {
        guard let o = operand(t) else { return nil }
        operands.append(o)
      }
      let y = call.output
      // A kernel writes a fresh contiguous tensor; anything else is not a kernel output we know.
      guard y.offset == 0, y.hasRowMajorStrides, producer[ObjectIdentifier(y.storage)] == nil,
        inputIndex[ObjectIdentifier(y.storage)] == nil
      else { return nil }
      producer[ObjectIdentifier(y.storage)] = nodes.count
      written.append(ReplayGeometry(y))
      nodes.append(Node(function: call.function, operands: operands, shape: y.shape, dtype: y.dtype))
    }
    var results: [Operand] = []
    for y in outputs {
      let id = ObjectIdentifier(y.storage)
      let g = ReplayGeometry(y)
      if let k = producer[id] {
        results.append(g == written[k] ? .node(k) : .nodeView(k, g))
      } else if let i = inputIndex[id] {
        results.append(.input(i, g))
      } else {
        return nil
      }
    }
    // Keep the nodes some output needs, renumbered in order.
    var live = Array(repeating: false, count: nodes.count)
    func mark(_ o: Operand) {
      switch o {
      case .node(let k), .nodeView(let k, _): live[k] = true
      default: break
      }
    }
    results.forEach(mark)
    for k in nodes.indices.reversed() where live[k] { nodes[k].operands.forEach(mark) }
    var index = Array(repeating: -1, count: nodes.count)
    func renumbered(_ o: Operand) -> Operand {
      switch o {
      case .node(let k): .node(index[k])
      case .nodeView(let k, let g): .nodeView(index[k], g)
      default: o
      }
    }
    var kept: [Node] = []
    for k in nodes.indices where live[k] {
      index[k] = kept.count
      let n = nodes[k]
      kept.append(Node(function: n.function, operands: n.operands.map(renumbered), shape: n.shape, dtype: n.dtype))
    }
    self.nodes = kept
    self.outputs = results.map(renumbered)
    self.inputGeometries = inputs.map(ReplayGeometry.init)
  }
}
