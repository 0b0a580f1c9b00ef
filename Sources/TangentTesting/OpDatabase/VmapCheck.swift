import Tangent

/// The vmap check of one op-database sample: `vmap` of the sample's call over a batch against
/// stacking the call over the batch members, for several placements of the batch.
public struct VmapCheckResult: Sendable, CustomStringConvertible {
  /// The sample's label.
  public var label: String
  /// The placements that disagreed with the loop, each with what differed.
  public var mismatches: [String] = []
  /// The ops that had no batching rule and looped over the batch.
  public var looped: [String] = []
  /// The placements checked.
  public var placements = 0

  /// Whether every placement agreed with the loop.
  public var passed: Bool { mismatches.isEmpty }

  public var description: String {
    var s = "\(label): \(placements) placements"
    if !mismatches.isEmpty { s += ", MISMATCH \(mismatches.joined(separator: "; "))" }
    if !looped.isEmpty { s += "; looped: \(looped.joined(separator: ", "))" }
    return s
  }
}

extension OpInfo {
  /// Runs every sample of this record under `vmap` and compares with the loop.
  ///
  /// The batch has three members: three draws of the record's samples, whose floating inputs
  /// form the batch (the other inputs, such as indices, come from the first draw and are not
  /// mapped). Placements: every floating input mapped along dim 0; every one along its last
  /// dim (`inDim` −1); and only the first one mapped, the others unmapped (when there are
  /// several), which exercises rules that mix batched and unbatched operands. Then, as
  /// PyTorch's batched-gradient checks, the derivatives under vmap: the per-member VJP (a
  /// per-sample gradient) and JVP along dim 0, with one cotangent or tangent shared by the
  /// batch, where the record supports the mode; their rules then run on batched values. The
  /// outputs (integer ones too) must equal the stacked outputs of the members to rounding.
  ///
  /// - Parameter rng: The generator of the samples.
  /// - Returns: One result per sample (none when the record lacks the dtype).
  public func vmapCheck(dtype: DType = .float64, rng: inout TestRandom) -> [VmapCheckResult] {
    guard dtypes.contains(dtype) else { return [] }
    let draws = (0..<3).map { _ in samples(dtype, &rng) }
    return draws[0].indices.map { s in
      let base = draws[0][s]
      var result = VmapCheckResult(label: base.label)
      let floating = base.inputs.indices.filter { base.inputs[$0].dtype.isFloatingPoint }
      guard !floating.isEmpty else { return result }
      // The members: the other draws where they match the first in shapes and dtypes.
      let members = draws.map { d -> [Tensor] in
        guard s < d.count, d[s].inputs.count == base.inputs.count,
          floating.allSatisfy({ d[s].inputs[$0].shape == base.inputs[$0].shape && d[s].inputs[$0].dtype == base.inputs[$0].dtype })
        else { return base.inputs }
        var inputs = base.inputs
        for i in floating { inputs[i] = d[s].inputs[i] }
        return inputs
      }
      let plain = base.call
      // The derivatives under vmap, as PyTorch's batched-gradient checks: per-member VJPs
      // (per-sample gradients) and JVPs, with one cotangent or tangent shared by the batch.
      let differentiable = plain(base.inputs).filter { $0.dtype.isFloatingPoint }
      let cotangents = differentiable.map { rng.tensor($0.shape, dtype: $0.dtype) }
      let tangents = floating.map { rng.tensor(base.inputs[$0].shape, dtype: base.inputs[$0].dtype) }
      let withFloating = { (xs: [Tensor], f: [Tensor]) -> [Tensor] in
        var inputs = xs
        for (k, i) in floating.enumerated() { inputs[i] = f[k] }
        return plain(inputs).filter { $0.dtype.isFloatingPoint }
      }
      let reverse = { (xs: [Tensor]) -> [Tensor] in
        vjp(of: { withFloating(xs, $0) }, at: floating.map { xs[$0] }).pullback(cotangents)
      }
      let forward = { (xs: [Tensor]) -> [Tensor] in
        jvp(of: { withFloating(xs, $0) }, at: floating.map { xs[$0] }, along: tangents).tangent
      }
      var placements: [(name: String, mapped: [Int], last: Bool, call: ([Tensor]) -> [Tensor])] = []
      placements.append(("dim 0", floating, false, plain))
      if floating.allSatisfy({ base.inputs[$0].rank >= 1 }) { placements.append(("dim -1", floating, true, plain)) }
      if floating.count > 1 { placements.append(("first only", [floating[0]], false, plain)) }
      let derivatives = !differentiable.isEmpty
      if derivatives && modes.contains(.reverse) { placements.append(("vjp, dim 0", floating, false, reverse)) }
      if derivatives && modes.contains(.forward) { placements.append(("jvp, dim 0", floating, false, forward)) }
      for placement in placements {
        let call = placement.call
        result.placements += 1
        // The expected outputs: the loop over the members.
        let memberInputs = members.map { m -> [Tensor] in
          var inputs = base.inputs
          for i in placement.mapped { inputs[i] = m[i] }
          return inputs
        }
        let perMember = memberInputs.map { call($0).map(\.detached) }
        // The batched inputs, the batch in dim 0 or last.
        var batched = base.inputs
        var dims = [Int?](repeating: nil, count: base.inputs.count)
        for i in placement.mapped {
          batched[i] = Tensor.stack(memberInputs.map { $0[i] }, dim: placement.last ? base.inputs[i].rank : 0)
          dims[i] = placement.last ? -1 : 0
        }
        let reads = Batching.ValueReadLog()
        let (outputs, looped) = Batching.ValueReadLog.$current.withValue(reads) {
          Batching.loopedOps { vmap(of: { (xs: [Tensor]) in call(xs) }, inDims: VmapDims(dims), randomness: .same)(batched) }
        }
        for name in looped where !result.looped.contains(name) { result.looped.append(name) }
        if !reads.names.isEmpty {
          result.mismatches.append("\(placement.name): reads the values of batched tensors (\(reads.names.joined(separator: ", ")))")
          continue
        }
        guard outputs.count == perMember[0].count else {
          result.mismatches.append("\(placement.name): \(outputs.count) outputs, the loop gives \(perMember[0].count)")
          continue
        }
        for j in outputs.indices {
          let expected = Tensor.stack(perMember.map { $0[j] }, dim: 0)
          if outputs[j].isBatched {
            result.mismatches.append("\(placement.name) output \(j): still batched after vmap returned (a batch layer leaked)")
            continue
          }
          let y = outputs[j].detached
          if y.shape != expected.shape || y.dtype != expected.dtype {
            result.mismatches.append("\(placement.name) output \(j): \(y.shape) \(y.dtype), the loop gives \(expected.shape) \(expected.dtype)")
          } else if !Self.agree(y, expected) {
            result.mismatches.append("\(placement.name) output \(j): values differ (max |Δ| \(Self.maxDifference(y, expected)))")
          }
        }
      }
      return result
    }
  }

  /// Whether two results agree to rounding (NaNs in the same places; integers exactly).
  static func agree(_ a: Tensor, _ b: Tensor) -> Bool {
    if a.count == 0 { return true }
    if !a.dtype.isFloatingPoint { return a.complexDoubles == b.complexDoubles }
    let tol = a.dtype == .float32 || a.dtype == .complex64 ? 1e-4 : 1e-9
    return a.allClose(b, rtol: tol, atol: tol, equalNaN: true)
  }

  static func maxDifference(_ a: Tensor, _ b: Tensor) -> Double {
    zip(a.complexDoubles, b.complexDoubles).map { ($0 - $1).length }.filter { !$0.isNaN }.max() ?? .nan
  }
}
