import ComplexModule

/// Where each nonzero of a sparse Jacobian or Hessian is read in the outputs of the compressed
/// passes, worked out once from a ``ColoringResult`` so that each evaluation is a gather (or,
/// for an acyclic colouring, one copy and a substitution sweep) with no index arithmetic left.
///
/// A forward pass over colours `start ..< start + w` returns a chunked tangent of shape
/// `[w] + outputShape`: direction `d` holds column `start + d` of `B = J S_c`, so entry
/// `B[i, c]` sits at `(c − start)·rows + i`. A reverse pass returns `[w] + inputShape`: row
/// `r` of `B = S_rᵀ J` sits at `(r − start)·columns + j`.
struct CompressedRecovery: Sendable {
  /// A gather from one pass's output: nonzero `targets[t]` (or `t`, when `targets` is `nil`)
  /// is the pass's element `sources[t]`.
  ///
  /// The indices are 32-bit: a gather streams its index lists once per evaluation (2.4 MB of
  /// 64-bit sources for the 300,000 nonzeros of a Rosenbrock 10⁵ Hessian), half of that is
  /// memory traffic saved.
  struct Gather: Sendable {
    let targets: [Int32]?
    let sources: [Int32]

    /// The gather of `sources` into `targets`, narrowed to 32 bits.
    ///
    /// - Precondition: every index is below 2³¹ (a pass's output and the nonzeros fit in
    ///   32-bit indices).
    init(targets: [Int]?, sources: [Int], op: String) {
      let largest = Swift.max(sources.max() ?? 0, targets?.last ?? 0)
      check(
        largest <= Int(Int32.max),
        "\(op): index \(largest) of a compressed pass or of the nonzeros does not fit the 32-bit indices of sparse recovery (at most \(Int32.max))")
      self.targets = targets.map { $0.map { Int32(truncatingIfNeeded: $0) } }
      self.sources = sources.map { Int32(truncatingIfNeeded: $0) }
    }
  }

  /// Substitution for an acyclic colouring. The forward passes, laid side by side, form the
  /// residual `(H S)ᵀ` (`colors × n`, entry `(c, i)` at `c·n + i`). Diagonal entry
  /// `diagonalTargets[t]` is `residual[diagonalReads[t]]`; then, in order, step `t` sets nonzero
  /// `targets[t]` and its mirror `mirrors[t]` to `residual[reads[t]]` and subtracts that value
  /// from `residual[updates[t]]`.
  struct Substitution: Sendable {
    var residualCount: Int
    var diagonalTargets: [Int] = []
    var diagonalReads: [Int] = []
    var targets: [Int] = []
    var mirrors: [Int] = []
    var reads: [Int] = []
    var updates: [Int] = []
  }

  /// One gather per forward pass (empty for substitution).
  let forward: [Gather]
  /// One gather per reverse pass.
  let reverse: [Gather]
  /// The substitution plan of an acyclic colouring.
  let substitution: Substitution?
  /// The number of nonzeros recovered.
  let nonzeroCount: Int

  /// The plan for `coloring` when its forward passes use `forwardSeeds` and its reverse passes
  /// `reverseSeeds`.
  ///
  /// - Precondition: the colouring is valid for its pattern (every colouring built by
  ///   ``SparsityPattern/coloring(_:algorithm:)`` is).
  init(_ coloring: ColoringResult, forwardSeeds: CompressedSeeds, reverseSeeds: CompressedSeeds, op: String) {
    let plan = coloring.plan
    check(plan.isComplete, "\(op): the colouring does not recover every nonzero of its pattern")
    let pattern = coloring.pattern
    let m = pattern.rows, n = pattern.columns
    let kc = coloring.columnColorCount
    nonzeroCount = pattern.nonzeroCount
    if plan.substitution {
      // The plan's slots are `i·kc + c` in B = H S; the passes give `c·n + i`.
      let remap = { (slot: Int) in (slot % kc) * m + slot / kc }
      var s = Substitution(residualCount: kc * m)
      for d in plan.diagonal {
        s.diagonalTargets.append(d.target)
        s.diagonalReads.append(remap(d.read))
      }
      for step in plan.steps {
        s.targets.append(step.target)
        s.mirrors.append(step.mirror)
        s.reads.append(remap(step.read))
        s.updates.append(remap(step.update))
      }
      forward = []
      reverse = []
      substitution = s
      return
    }
    if forwardSeeds.count == 1 && reverseSeeds.count == 0 {
      // The common case, one forward pass with every colour: each nonzero reads slot
      // `c·m + i` of its products, in order.
      forward = [Gather(targets: nil, sources: plan.source.map { source in
        let (i, c) = source.quotientAndRemainder(dividingBy: kc)
        return c * m + i
      }, op: op)]
      reverse = []
      substitution = nil
      return
    }
    var forwardTargets = [[Int]](repeating: [], count: forwardSeeds.count)
    var forwardSources = forwardTargets
    var reverseTargets = [[Int]](repeating: [], count: reverseSeeds.count)
    var reverseSources = reverseTargets
    for (k, source) in plan.source.enumerated() {
      if source >= 0 {
        let (i, c) = source.quotientAndRemainder(dividingBy: kc)
        let (pass, d) = forwardSeeds.locate(c)
        forwardTargets[pass].append(k)
        forwardSources[pass].append(d * m + i)
      } else {
        let (r, j) = (-1 - source).quotientAndRemainder(dividingBy: n)
        let (pass, d) = reverseSeeds.locate(r)
        reverseTargets[pass].append(k)
        reverseSources[pass].append(d * n + j)
      }
    }
    // Targets are ascending; a pass that fills every nonzero fills them in order.
    let nnz = nonzeroCount
    forward = zip(forwardTargets, forwardSources).map { Gather(targets: $0.count == nnz ? nil : $0, sources: $1, op: op) }
    reverse = zip(reverseTargets, reverseSources).map { Gather(targets: $0.count == nnz ? nil : $0, sources: $1, op: op) }
    substitution = nil
  }

  // The loops below run on concrete scalar types. `PreparedSparseJacobian.jacobian(at:as:)` is
  // generic and not inlinable, so a caller in another module runs it unspecialised, and an
  // element loop through the generic `Scalar`'s value witnesses costs a few nanoseconds an
  // element (30–50 µs for the 12,288 nonzeros of a 2048-unknown Brusselator Jacobian): each
  // entry point below tests the type once and calls a specialised loop.

  /// Writes the nonzeros `gather` reads from `output` (a pass's tangent or cotangent) into
  /// `values`, conjugated when `conjugate` is set.
  static func apply<Scalar: FloatingScalar>(
    _ gather: Gather, from output: Tensor, into values: UnsafeMutablePointer<Scalar>, conjugate: Bool = false
  ) {
    let raw = UnsafeMutableRawPointer(values)
    if Scalar.self == Double.self {
      gatherLoop(gather, output, raw.assumingMemoryBound(to: Double.self), conjugate: false)
    } else if Scalar.self == Float.self {
      gatherLoop(gather, output, raw.assumingMemoryBound(to: Float.self), conjugate: false)
    } else if Scalar.self == Complex<Double>.self {
      gatherLoop(gather, output, raw.assumingMemoryBound(to: Complex<Double>.self), conjugate: conjugate)
    } else if Scalar.self == Complex<Float>.self {
      gatherLoop(gather, output, raw.assumingMemoryBound(to: Complex<Float>.self), conjugate: conjugate)
    } else {
      gatherLoop(gather, output, values, conjugate: conjugate)
    }
  }

  /// The gather of ``apply(_:from:into:conjugate:)``, specialised per call site.
  private static func gatherLoop<Scalar: FloatingScalar>(
    _ gather: Gather, _ output: Tensor, _ values: UnsafeMutablePointer<Scalar>, conjugate: Bool
  ) {
    withContiguousValues(output, as: Scalar.self) { src in
      gather.sources.withUnsafeBufferPointer { sources in
        // Each nonzero is written once, so large gathers split across cores.
        let count = sources.count
        if let targets = gather.targets {
          targets.withUnsafeBufferPointer { targets in
            Parallel.forChunks(count) { r in
              if conjugate {
                for t in r { values[Int(targets[t])] = src[Int(sources[t])].conjugated }
              } else {
                for t in r { values[Int(targets[t])] = src[Int(sources[t])] }
              }
            }
          }
        } else {
          Parallel.forChunks(count) { r in
            if conjugate {
              for t in r { values[t] = src[Int(sources[t])].conjugated }
            } else {
              for t in r { values[t] = src[Int(sources[t])] }
            }
          }
        }
      }
    }
  }

  /// Copies a forward pass's output (`width × n` values) into the residual at `offset`.
  static func copy<Scalar: FloatingScalar>(_ output: Tensor, into residual: UnsafeMutablePointer<Scalar>, at offset: Int) {
    withContiguousValues(output, as: Scalar.self) { src in
      UnsafeMutableRawPointer(residual + offset).copyMemory(from: src, byteCount: output.count * MemoryLayout<Scalar>.stride)
    }
  }

  /// Recovers every nonzero from the full residual by substitution (the residual is consumed).
  static func substitute<Scalar: FloatingScalar>(
    _ s: Substitution, residual: UnsafeMutablePointer<Scalar>, into values: UnsafeMutablePointer<Scalar>
  ) {
    let r = UnsafeMutableRawPointer(residual), v = UnsafeMutableRawPointer(values)
    if Scalar.self == Double.self {
      substitutionLoop(s, r.assumingMemoryBound(to: Double.self), v.assumingMemoryBound(to: Double.self))
    } else if Scalar.self == Float.self {
      substitutionLoop(s, r.assumingMemoryBound(to: Float.self), v.assumingMemoryBound(to: Float.self))
    } else {
      substitutionLoop(s, residual, values)
    }
  }

  /// The sweep of ``substitute(_:residual:into:)``, specialised per call site.
  private static func substitutionLoop<Scalar: FloatingScalar>(
    _ s: Substitution, _ residual: UnsafeMutablePointer<Scalar>, _ values: UnsafeMutablePointer<Scalar>
  ) {
    s.diagonalTargets.withUnsafeBufferPointer { dt in
      s.diagonalReads.withUnsafeBufferPointer { dr in
        for t in 0..<dt.count { values[dt[t]] = residual[dr[t]] }
      }
    }
    s.targets.withUnsafeBufferPointer { targets in
      s.mirrors.withUnsafeBufferPointer { mirrors in
        s.reads.withUnsafeBufferPointer { reads in
          s.updates.withUnsafeBufferPointer { updates in
            for t in 0..<targets.count {
              let h = residual[reads[t]]
              values[targets[t]] = h
              values[mirrors[t]] = h
              residual[updates[t]] -= h
            }
          }
        }
      }
    }
  }
}

/// Runs `body` on the row-major values of `t` (its own storage when contiguous, else a copy).
@inline(__always)
func withContiguousValues<Scalar: FloatingScalar, R>(_ t: Tensor, as _: Scalar.Type, _ body: (UnsafePointer<Scalar>) -> R) -> R {
  // A prepared form evaluated inside a function being recorded hands these values to Swift.
  if let r = ReplayRecorder.active { r.noteRead(t, op: "sparse recovery") }
  let c = t.isContiguous ? t : t.contiguousValues()
  return withExtendedLifetime(c) { body(UnsafePointer(c.pointer(as: Scalar.self))) }
}
