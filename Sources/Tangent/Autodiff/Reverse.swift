import ComplexModule
import RealModule

extension Tensor {
  /// Whether this tensor is recorded on the tape, like PyTorch's `requires_grad`.
  ///
  /// Setting it to `true` makes the tensor a leaf whose ``grad`` accumulates in ``backward(seed:retainGraph:createGraph:)``;
  /// setting it to `false` detaches it from the tape (its tangents are kept).
  /// - Precondition: only floating tensors can require a gradient.
  public var requiresGrad: Bool {
    get { autodiff?.edge != nil }
    set {
      if newValue == requiresGrad { return }
      if newValue {
        check(dtype.isFloatingPoint, "requiresGrad: only floating tensors can require a gradient, got \(dtype)")
        self = replacingEdge(GradEdge(node: GradNode(leafLevel: 0, shape: shape, dtype: dtype), index: 0))
      } else {
        self = replacingEdge(nil)
      }
    }
  }

  /// This tensor as a new leaf that requires a gradient.
  public func requiringGrad() -> Tensor {
    check(dtype.isFloatingPoint, "requiringGrad: only floating tensors can require a gradient, got \(dtype)")
    return replacingEdge(GradEdge(node: GradNode(leafLevel: 0, shape: shape, dtype: dtype), index: 0))
  }

  /// This tensor as the input of a gradient transform at `level`.
  ///
  /// A tensor that is already on the tape (an outer transform differentiates through this one)
  /// gets an identity node at `level` that links to its old edge, so the outer graph stays
  /// connected; the inner backward pass stops at that node.
  func leaf(atLevel level: Int) -> Tensor {
    check(dtype.isFloatingPoint, "gradient transforms: only floating inputs can be differentiated, got \(dtype)")
    guard let e = autodiff?.edge else {
      return replacingEdge(GradEdge(node: GradNode(leafLevel: level, shape: shape, dtype: dtype), index: 0))
    }
    let served = Set(e.node.levels + [level]).sorted()
    let node = GradNode(
      op: IdentityOp(), level: Swift.min(level, e.node.level), inputs: [self], edges: [e],
      servedLevels: served.count > 1 ? served : nil, wrappedEdges: [e])
    node.saveOutputs([self])
    return replacingEdge(GradEdge(node: node, index: 0))
  }

  /// Whether this tensor is a leaf of the tape (created by hand, not computed by an op).
  public var isLeaf: Bool { autodiff?.edge?.node.isLeaf ?? true }

  /// The gradient accumulated in this leaf by backward passes, or `nil` if none has arrived.
  public var grad: Tensor? {
    autodiff?.edge.flatMap { $0.node.isLeaf ? $0.node.grad : nil }
  }

  /// Clears this leaf's accumulated gradient.
  public func zeroGrad() {
    if let e = autodiff?.edge, e.node.isLeaf { e.node.grad = nil }
  }

  /// Runs reverse mode from this tensor and accumulates into the ``grad`` of every leaf it
  /// depends on, like PyTorch's `backward()`.
  ///
  /// - Parameters:
  ///   - seed: the cotangent of this tensor; defaults to one for a single-element tensor.
  ///   - retainGraph: keep the saved tensors for another backward pass.
  ///   - createGraph: record the backward pass itself, so the gradients can be differentiated
  ///     again (reverse-over-reverse).
  /// - Precondition: the tensor requires a gradient; without a seed it has one element.
  public func backward(seed: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false) {
    check(requiresGrad, "backward: the tensor does not require a gradient (no input was marked requiresGrad, or recording was off)")
    let seed = seed ?? Tensor.onesLike(self.detached, requireSingle: true, op: "backward")
    let run = {
      _ = Autodiff.backward(
        roots: [(self, seed)], capture: [], accumulateIntoLeaves: true, retainGraph: retainGraph || createGraph,
        stopAtCaptures: false)
    }
    if createGraph { run() } else { withoutDerivative(run) }
  }
}

/// The gradients of `outputs` (seeded with `seeds`) with respect to `inputs`, like
/// `torch.autograd.grad`.
///
/// Inputs that the outputs do not depend on get zero gradients.
/// - Parameters:
///   - outputs: tensors computed from the inputs.
///   - inputs: tensors that require a gradient (leaves or intermediates).
///   - seeds: the cotangents of the outputs; by default one, for single-element outputs.
///   - retainGraph: keep the graph for another pass.
///   - createGraph: record the backward pass so the gradients are differentiable.
///   - chunked: every seed carries K cotangents in a leading dimension (shape
///     `[K] + output shape`, the same K for all), pulled back in one pass, like
///     `torch.autograd.grad(..., is_grads_batched=True)`; each gradient then has shape
///     `[K] + input shape`.
/// - Returns: one gradient per input, of the input's shape.
public func gradients(
  of outputs: [Tensor], wrt inputs: [Tensor], seeds: [Tensor]? = nil,
  retainGraph: Bool = false, createGraph: Bool = false, chunked: Bool = false
) -> [Tensor] {
  let seeds = seeds ?? outputs.map { Tensor.onesLike($0.detached, requireSingle: true, op: "gradients(of:wrt:)") }
  check(seeds.count == outputs.count, "gradients(of:wrt:): \(seeds.count) seeds for \(outputs.count) outputs")
  let chunk: Int? = chunked ? seeds.first.map { s in
    check(s.rank >= 1, "gradients(of:wrt:): chunked seeds need a leading chunk dimension, got shape \(s.shape)")
    return s.shape[0]
  } : nil
  let run = {
    Autodiff.backward(
      roots: Array(zip(outputs, seeds)), capture: inputs.map { $0.autodiff?.edge },
      accumulateIntoLeaves: false, retainGraph: retainGraph || createGraph, stopAtCaptures: false, chunk: chunk)
  }
  let grads = createGraph ? run() : withoutDerivative(run)
  let prefix = chunk.map { [$0] } ?? []
  return zip(grads, inputs).map { g, x in g ?? Tensor.zeros(prefix + x.shape, dtype: x.dtype) }
}

/// The gradient of one output with respect to `inputs`. See ``gradients(of:wrt:seeds:retainGraph:createGraph:chunked:)``.
public func gradients(
  of output: Tensor, wrt inputs: [Tensor], seed: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false
) -> [Tensor] {
  gradients(of: [output], wrt: inputs, seeds: seed.map { [$0] }, retainGraph: retainGraph, createGraph: createGraph)
}

/// The identity, as a tape node that marks where a gradient transform's input enters.
struct IdentityOp: LinearOp {
  var name: String { "identity" }
  var sparsity: SparsityRule { .indexMap }
  func primal(_ x: Tensor) -> Tensor { x }
  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor { dx }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { gy }
  var acceptsChunkedCotangents: Bool { true }
  var vjpReads: SavedValues { [] }
}
