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
  /// several), which exercises rules that mix batched and unbatched operands. The outputs
  /// (integer ones too) must equal the stacked outputs of the members to rounding.
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
      let call = base.call
      var placements: [(name: String, mapped: [Int], last: Bool)] = [("dim 0", floating, false)]
      if floating.allSatisfy({ base.inputs[$0].rank >= 1 }) { placements.append(("dim -1", floating, true)) }
      if floating.count > 1 { placements.append(("first only", [floating[0]], false)) }
      for placement in placements {
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
