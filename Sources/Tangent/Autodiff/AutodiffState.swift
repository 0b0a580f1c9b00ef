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

  init(tangents: [LevelTangent], edge: GradEdge?, trace: SparsityTrace? = nil) {
    self.tangents = tangents
    self.edge = edge
    self.trace = trace
  }

  /// A state, or `nil` when it would carry nothing.
  static func make(tangents: [LevelTangent], edge: GradEdge?, trace: SparsityTrace? = nil) -> AutodiffState? {
    tangents.isEmpty && edge == nil && trace == nil ? nil : AutodiffState(tangents: tangents, edge: edge, trace: trace)
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
    t.autodiff = .make(tangents: tangents, edge: autodiff?.edge, trace: autodiff?.trace)
    return t
  }

  /// This tensor with its tape link replaced; the tangents are kept.
  func replacingEdge(_ edge: GradEdge?) -> Tensor {
    var t = detached
    t.autodiff = .make(tangents: levelTangents, edge: edge, trace: autodiff?.trace)
    return t
  }

  /// This tensor with no tape link, and tangents without tape links, at every depth.
  var withoutTapeLinks: Tensor {
    guard let ad = autodiff else { return self }
    let tangents = ad.tangents.map { LevelTangent(level: $0.level, value: $0.value.withoutTapeLinks) }
    var t = detached
    t.autodiff = .make(tangents: tangents, edge: nil, trace: ad.trace)
    return t
  }

  /// This tensor keeping only tangents of levels below `level` (and its tape link).
  func keepingTangents(below level: Int) -> Tensor {
    guard let ad = autodiff, ad.tangents.contains(where: { $0.level >= level }) else { return self }
    return replacingTangents(ad.tangents.filter { $0.level < level })
  }

  /// This tensor with only the tape link (no tangents).
  var strippingTangents: Tensor {
    guard let ad = autodiff, !ad.tangents.isEmpty else { return self }
    return replacingTangents([])
  }
}
