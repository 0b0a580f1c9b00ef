import ComplexModule
import RealModule

/// A tangent attached to a tensor at one dual level.
struct LevelTangent {
  /// The dual level's id.
  let level: Int
  /// The tangent. It may itself carry tangents, but only of lower levels (the canonical form
  /// of the hyper-dual tower). Its shape is the primal's, or `[K] + shape` for K chunked
  /// directions.
  let value: Tensor
}

/// The autodiff state of a tensor that takes part in differentiation.
///
/// Immutable: ops make new states. A tensor without tangents and tape link has no state at all.
final class AutodiffState: @unchecked Sendable {
  /// Forward-mode tangents, ascending by level.
  let tangents: [LevelTangent]
  /// The reverse-mode link: the tape node that produced this tensor and which of its outputs
  /// it is, or the leaf accumulator of a tensor that requires a gradient.
  let edge: GradEdge?
  /// The index sets of sparsity detection (``jacobianSparsity(of:at:detection:)``): which
  /// inputs of the traced function each element depends on.
  let trace: SparsityTrace?
  /// The batch layer of a tensor batched by ``vmap(of:inDim:outDim:chunkSize:randomness:)``:
  /// its values for the whole batch. The tensor's own tangents and tape link then belong to
  /// levels above the batch level; those below live in the layer's values.
  let batch: BatchLayer?

  init(tangents: [LevelTangent], edge: GradEdge?, trace: SparsityTrace? = nil, batch: BatchLayer? = nil) {
    self.tangents = tangents
    self.edge = edge
    self.trace = trace
    self.batch = batch
  }

  /// A state, or `nil` when it would carry nothing.
  static func make(
    tangents: [LevelTangent], edge: GradEdge?, trace: SparsityTrace? = nil, batch: BatchLayer? = nil
  ) -> AutodiffState? {
    tangents.isEmpty && edge == nil && trace == nil && batch == nil
      ? nil : AutodiffState(tangents: tangents, edge: edge, trace: trace, batch: batch)
  }
}

extension Tensor {
  /// The tangents this tensor carries (empty for plain tensors).
  var levelTangents: [LevelTangent] { autodiff?.tangents ?? [] }

  /// The stored tangent at `level`, in canonical form (carrying only lower levels).
  func storedTangent(at level: Int) -> Tensor? {
    autodiff?.tangents.first { $0.level == level }?.value
  }

  /// This tensor with its tangents replaced; the tape link is kept.
  func replacingTangents(_ tangents: [LevelTangent]) -> Tensor {
    var t = detached
    t.autodiff = .make(tangents: tangents, edge: autodiff?.edge, trace: autodiff?.trace, batch: autodiff?.batch)
    return t
  }

  /// This tensor with one more tangent, at a level above all it carries (the engine's
  /// forward pass attaching an output's tangent); everything else is kept.
  func addingTangent(_ tangent: LevelTangent) -> Tensor {
    var t = self
    guard let ad = autodiff else {
      t.autodiff = AutodiffState(tangents: [tangent], edge: nil)
      return t
    }
    t.autodiff = AutodiffState(tangents: ad.tangents + CollectionOfOne(tangent), edge: ad.edge, trace: ad.trace, batch: ad.batch)
    return t
  }

  /// This tensor with its tape link replaced; the tangents are kept.
  func replacingEdge(_ edge: GradEdge?) -> Tensor {
    var t = detached
    t.autodiff = .make(tangents: levelTangents, edge: edge, trace: autodiff?.trace, batch: autodiff?.batch)
    return t
  }

  /// This tensor with no tape link, and tangents without tape links, at every depth.
  var withoutTapeLinks: Tensor {
    guard let ad = autodiff else { return self }
    let tangents = ad.tangents.map { LevelTangent(level: $0.level, value: $0.value.withoutTapeLinks) }
    var t = detached
    t.autodiff = .make(tangents: tangents, edge: nil, trace: ad.trace, batch: ad.batch)
    return t
  }

  /// Whether the tensor carries a tangent or a tape link of a level above `level` (a
  /// transform opened inside the vmap of that level).
  func carriesLayer(above level: Int) -> Bool {
    guard let ad = autodiff else { return false }
    if let e = ad.edge, e.node.highestLevel > level { return true }
    return ad.tangents.contains { $0.level > level }
  }

  /// This tensor without the tangents and tape link of levels above `level`: its part for a
  /// vmap of that level, which the batched primal computes with.
  func keepingLayers(atOrBelow level: Int) -> Tensor {
    guard let ad = autodiff, carriesLayer(above: level) else { return self }
    var t = detached
    // A link that serves levels on both sides keeps the link it wraps for the levels below.
    var edge = ad.edge
    while let e = edge, e.node.level <= level, e.node.highestLevel > level, let wrapped = e.node.wrappedEdges?[e.index] {
      edge = wrapped
    }
    if let e = edge, e.node.level > level { edge = nil }
    t.autodiff = .make(tangents: ad.tangents.filter { $0.level <= level }, edge: edge, trace: ad.trace, batch: ad.batch)
    check(
      !t.carriesLayer(above: level),
      "vmap: a tape link serves gradient levels on both sides of vmap level \(level) and cannot be split (a gradient transform inside vmap over a value an outer transform tracks, combined in an unsupported way)")
    return t
  }

  /// This tensor keeping only tangents of levels below `level` (and its tape link).
  func keepingTangents(below level: Int) -> Tensor {
    guard let ad = autodiff, ad.tangents.contains(where: { $0.level >= level }) else { return self }
    return replacingTangents(ad.tangents.filter { $0.level < level })
  }

  /// ``keepingTangents(below:)``, also without its tape link when the link's node serves only
  /// levels at or above `ceiling` (no op can record an edge to it under that recording
  /// ceiling); `nil` keeps the link.
  func keepingTangents(below level: Int, droppingLinksAtOrAbove ceiling: Int?) -> Tensor {
    guard let ceiling, hasDeadLink(under: ceiling), let ad = autodiff else { return keepingTangents(below: level) }
    if ad.trace == nil && ad.batch == nil && !ad.tangents.contains(where: { $0.level < level }) { return detached }
    return keepingTangents(below: level).replacingEdge(nil)
  }

  /// Whether this tensor's tape link is dead under the recording `ceiling`: its node serves
  /// only levels at or above it, so no op can record an edge to it (see
  /// `Autodiff.droppingDeadLinks`).
  func hasDeadLink(under ceiling: Int) -> Bool {
    guard let e = autodiff?.edge else { return false }
    return e.node.level >= ceiling
  }

  /// This tensor with only the tape link (no tangents).
  var strippingTangents: Tensor {
    guard let ad = autodiff, !ad.tangents.isEmpty else { return self }
    return replacingTangents([])
  }
}
