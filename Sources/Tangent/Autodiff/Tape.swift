import ComplexModule
import RealModule
import Synchronization

/// A link from a tensor to the tape: the node that produced it and which of its outputs it is.
struct GradEdge {
  /// The producing node (or the leaf accumulator).
  let node: GradNode
  /// The output index within the node.
  let index: Int
}

/// A node of the reverse-mode tape: one recorded op application, or a leaf that accumulates
/// a gradient.
///
/// A node keeps the op and the tensors its VJP needs: the inputs (with their tangents, so a
/// backward pass over dual tensors computes forward-over-reverse derivatives) and the
/// outputs without their tape link (re-attached when the node runs, which avoids a cycle).
final class GradNode: @unchecked Sendable {
  /// The op's name, for messages.
  let name: String
  /// The lowest gradient level the node's output depends on: 0 for tensors marked by hand,
  /// a fresh id per functional transform. An op records an edge to an input only when this is
  /// below the context's recording ceiling.
  let level: Int
  /// Per input, the edge to follow backwards, or `nil` when that input needs no gradient.
  let edges: [GradEdge?]
  /// The shapes and dtypes of the inputs, to check the rule's cotangents.
  let inputShapes: [[Int]]
  let inputDTypes: [DType]
  /// Whether the op's VJP takes chunked cotangents (see
  /// ``DifferentiableOp/acceptsChunkedCotangents``).
  let acceptsChunkedCotangents: Bool
  /// Calls the op's VJP. `nil` for a leaf.
  private let rule: (([Tensor], [Tensor], [Tensor?], [Bool]) -> [Tensor?])?
  /// Calls the op's JVP (for `linearize`, which replays the tape forwards). `nil` for a leaf.
  private let tangentRule: (([Tensor], [Tensor], [Tensor?]) -> [Tensor?])?
  /// The saved inputs and outputs; released after a backward pass that does not retain the graph.
  /// Values the VJP does not read are stand-ins (see ``DifferentiableOp/vjpReads``).
  private var savedInputs: [Tensor] = []
  private var savedOutputs: [Tensor] = []
  /// Whether the outputs are saved.
  private let savesOutputs: Bool
  private var released = false
  /// A leaf's accumulated gradient.
  private let leafGrad = Mutex<Tensor?>(nil)

  /// A leaf accumulator.
  init(leafLevel level: Int, shape: [Int], dtype: DType) {
    name = "leaf"
    self.level = level
    edges = []
    inputShapes = [shape]
    inputDTypes = [dtype]
    rule = nil
    tangentRule = nil
    acceptsChunkedCotangents = true
    savesOutputs = false
  }

  /// A node for one application of `op`.
  init<Op: DifferentiableOp>(op: Op, level: Int, inputs: [Tensor], edges: [GradEdge?]) {
    name = op.name
    self.level = level
    self.edges = edges
    inputShapes = inputs.map(\.shape)
    inputDTypes = inputs.map(\.dtype)
    let all = AutodiffContext.current.savesAllValues
    let reads = all ? Array(repeating: true, count: inputs.count) : op.vjpReadsInputs(needed: edges.map { $0 != nil })
    savedInputs = zip(inputs, reads).map { x, read in read ? x : x.standIn }
    savesOutputs = all || op.vjpReads.contains(.outputs)
    acceptsChunkedCotangents = op.acceptsChunkedCotangents
    rule = { op.vjp(inputs: $0, outputs: $1, cotangents: $2, needed: $3) }
    tangentRule = { op.jvp(inputs: $0, outputs: $1, tangents: $2) }
  }

  /// Whether this node is a leaf accumulator.
  var isLeaf: Bool { rule == nil }

  /// The number of outputs of the op.
  private(set) var outputCount = 1

  /// Stores the outputs (without tape links) once the op has finished.
  func saveOutputs(_ outputs: [Tensor]) {
    // Without tape links, also inside their tangents: a tangent computed from this output
    // (reverse-over-forward) links back to this node, and keeping it would make a cycle.
    savedOutputs = savesOutputs ? outputs.map { $0.withoutTapeLinks } : outputs.map(\.standIn)
    outputCount = outputs.count
  }

  /// Runs the VJP for this node's cotangents.
  ///
  /// With `chunk` K, the cotangents carry a leading chunk dimension of size K, and so do the
  /// results; a rule that does not take chunked cotangents runs once per chunk member.
  func backward(_ cotangents: [Tensor?], retainGraph: Bool, chunk: Int? = nil) -> [Tensor?] {
    check(
      !released,
      "backward: the graph through '\(name)' was already freed by an earlier backward pass; pass retainGraph: true to the first one")
    let outputs = savedOutputs.enumerated().map { i, y in y.replacingEdge(GradEdge(node: self, index: i)) }
    let needed = edges.map { $0 != nil }
    let result: [Tensor?]
    if let chunk, !acceptsChunkedCotangents {
      let members = (0..<chunk).map { k in
        let r = rule!(savedInputs, outputs, cotangents.map { $0?.select(dim: 0, index: k) }, needed)
        check(r.count == edges.count, "\(name): the VJP returned \(r.count) cotangents for \(edges.count) inputs")
        return r
      }
      result = edges.indices.map { i in
        guard members.contains(where: { $0[i] != nil }) else { return nil }
        return Tensor.stack(
          members.map { r in
            r[i].map { Autodiff.fitCotangent($0, shape: inputShapes[i], dtype: inputDTypes[i], op: name) }
              ?? Tensor.zeros(inputShapes[i], dtype: inputDTypes[i])
          }, dim: 0)
      }
    } else {
      result = rule!(savedInputs, outputs, cotangents, needed)
    }
    check(result.count == edges.count, "\(name): the VJP returned \(result.count) cotangents for \(edges.count) inputs")
    if !retainGraph {
      savedInputs = []
      savedOutputs = []
      released = true
    }
    return result
  }

  /// The tangents of this node's outputs given its inputs' tangents, by the op's JVP at the
  /// saved point (no primal is recomputed). The saved tensors keep their own tangents, so
  /// outer forward levels see through the replay.
  func forwardTangents(_ tangents: [Tensor?]) -> [Tensor?] {
    check(!released, "linearize: the graph through '\(name)' was freed")
    guard let tangentRule, tangents.contains(where: { $0 != nil }) else {
      return Array(repeating: nil, count: outputCount)
    }
    return tangentRule(savedInputs, savedOutputs, tangents)
  }

  /// A leaf's gradient.
  var grad: Tensor? {
    get { leafGrad.withLock { $0 } }
    set { leafGrad.withLock { $0 = newValue } }
  }

  /// Adds to a leaf's gradient.
  func accumulate(_ g: Tensor) {
    leafGrad.withLock { old in old = old.map { $0 + g } ?? g }
  }
}

extension Tensor {
  /// A value of this shape and dtype that holds no memory (a broadcast zero), for the
  /// values a tape node does not keep.
  var standIn: Tensor { Tensor.zeros([], dtype: dtype).expandedView(to: shape, op: "standIn") }
}
