import ComplexModule
import RealModule

/// A forward-mode dual level, opened by `withDualLevel(_:)`.
///
/// Levels nest to any depth, and each has a fresh id, so tangents of different levels never
/// mix (no perturbation confusion): a tensor may carry one tangent per level, and the tangent
/// of an inner level may itself carry tangents of outer ones.
public struct DualLevel: Hashable, Sendable, CustomStringConvertible {
  /// The level's unique id (ids increase with each level opened).
  public let id: Int
  /// `"level 7"`.
  public var description: String { "level \(id)" }
}

/// Opens a new dual level for the duration of `body`, like PyTorch's `fwAD.dual_level()`,
/// but nestable.
///
/// Inside, make dual tensors with ``Tensor/dual(tangent:at:)`` and read tangents with
/// ``Tensor/unpacked(at:)``. When `body` returns the level is closed: using a tensor that
/// still carries one of its tangents stops with an error (a leaked dual tensor), except in a
/// backward pass over tensors the tape saved, which ignores them.
public func withDualLevel<R>(_ body: (DualLevel) throws -> R) rethrows -> R {
  let level = DualLevel(id: nextLevelID())
  let context = AutodiffContext.current
  // Closing the level frees the tape cycles its saved tangents make (GradNode.saveOutputs).
  defer { SavedTangentLinks.releaseLevel(level.id) }
  return try AutodiffContext.$current.withValue(context.with(openLevels: context.openLevels + [level.id])) {
    try body(level)
  }
}

/// Opens a new dual level for the duration of the asynchronous `body`.
public func withDualLevel<R>(_ body: (DualLevel) async throws -> R) async rethrows -> R {
  let level = DualLevel(id: nextLevelID())
  let context = AutodiffContext.current
  // Closing the level frees the tape cycles its saved tangents make (GradNode.saveOutputs).
  defer { SavedTangentLinks.releaseLevel(level.id) }
  return try await AutodiffContext.$current.withValue(context.with(openLevels: context.openLevels + [level.id])) {
    try await body(level)
  }
}

extension DualLevel {
  /// Stops unless the level is open in the current task.
  func checkOpen(_ op: String) {
    check(
      AutodiffContext.current.isOpen(id),
      "\(op): dual \(self) is not open in this task; a dual tensor was used outside withDualLevel, or leaked out of its level")
  }
}

extension Tensor {
  /// This tensor made dual at `level` with the given tangent, like PyTorch's `make_dual`.
  ///
  /// - Parameters:
  ///   - tangent: the direction, of this tensor's shape, or `[K] + shape` to push K directions
  ///     at once (chunked tangents).
  ///   - level: an open dual level.
  /// - Precondition: this tensor has no tangent at `level` yet; the tangent's shape fits and
  ///   its dtype is floating and of the same kind (real or complex).
  public func dual(tangent: Tensor, at level: DualLevel) -> Tensor {
    level.checkOpen("dual(tangent:at:)")
    check(dtype.isFloatingPoint, "dual(tangent:at:): only floating tensors can carry tangents, got \(dtype)")
    check(
      tangent.dtype.isComplex == dtype.isComplex,
      "dual(tangent:at:): a \(tangent.dtype) tangent does not fit a \(dtype) primal")
    _ = chunkDims(of: tangent, op: "dual(tangent:at:)")
    check(storedTangent(at: level.id) == nil, "dual(tangent:at:): the tensor already has a tangent at \(level)")
    check(
      !tangent.levelTangents.contains { $0.level >= level.id },
      "dual(tangent:at:): the tangent itself carries a tangent of \(level) or a later level")
    let t = tangent.dtype == dtype ? tangent : tangent.converted(to: dtype)
    var tangents = levelTangents.filter { AutodiffContext.current.isOpen($0.level) }
    tangents.append(LevelTangent(level: level.id, value: t))
    tangents.sort { $0.level < $1.level }
    return replacingTangents(tangents)
  }

  /// The primal and the tangent of this tensor at `level`, like PyTorch's `unpack_dual`.
  ///
  /// The tangent is `nil` when the tensor does not depend on the level's tangents (a zero
  /// tangent). Both parts keep the tangents of other open levels.
  public func unpacked(at level: DualLevel) -> (primal: Tensor, tangent: Tensor?) {
    level.checkOpen("unpacked(at:)")
    return (removingLevel(level.id), extractingTangent(at: level.id))
  }

  /// The tangent at `level`, or `nil` for a zero tangent. See ``unpacked(at:)``.
  public func tangent(at level: DualLevel) -> Tensor? {
    level.checkOpen("tangent(at:)")
    return extractingTangent(at: level.id)
  }

  /// The primal at `level`: this tensor without that level's tangent. See ``unpacked(at:)``.
  public func primal(at level: DualLevel) -> Tensor {
    level.checkOpen("primal(at:)")
    return removingLevel(level.id)
  }

  /// Whether the tensor carries a tangent at an open level.
  public var isDual: Bool {
    let context = AutodiffContext.current
    return levelTangents.contains { context.isOpen($0.level) }
  }

  /// Removes level `l` everywhere in the tower: from this tensor and from the tangents of
  /// higher levels, which may carry an `l` component.
  func removingLevel(_ l: Int) -> Tensor {
    guard let ad = autodiff, ad.tangents.contains(where: { $0.level >= l }) else { return self }
    let kept = ad.tangents.compactMap { t -> LevelTangent? in
      if t.level == l { return nil }
      if t.level > l { return LevelTangent(level: t.level, value: t.value.removingLevel(l)) }
      return t
    }
    return replacingTangents(kept)
  }

  /// The tangent at level `l`, carrying the components of every other level: lower levels
  /// come with the stored tangent; a higher level m contributes the `l` component of the
  /// stored level-m tangent (the mixed ε_l ε_m term) as its own tangent.
  func extractingTangent(at l: Int) -> Tensor? {
    guard let ad = autodiff else { return nil }
    var base = ad.tangents.first { $0.level == l }?.value
    for t in ad.tangents where t.level > l {
      guard let mixed = t.value.extractingTangent(at: l) else { continue }
      var b = base ?? Tensor.zeros(like: t.value.detached, shape: mixed.shape)
      let rest = b.levelTangents.filter { $0.level != t.level }
      b = b.replacingTangents((rest + [LevelTangent(level: t.level, value: mixed)]).sorted { $0.level < $1.level })
      base = b
    }
    return base
  }
}
