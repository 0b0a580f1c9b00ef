import Tangent

/// The modes of differentiation an op supports.
public struct DerivativeModes: OptionSet, Sendable, Hashable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  /// Forward mode (JVP).
  public static let forward = DerivativeModes(rawValue: 1)
  /// Reverse mode (VJP).
  public static let reverse = DerivativeModes(rawValue: 2)
  /// Forward-over-reverse (the HVP path).
  public static let forwardOverReverse = DerivativeModes(rawValue: 4)
  /// Forward-over-forward.
  public static let forwardOverForward = DerivativeModes(rawValue: 8)
  /// Chunked tangents (K directions per pass).
  public static let chunked = DerivativeModes(rawValue: 16)
  /// Every mode.
  public static let all: DerivativeModes = [.forward, .reverse, .forwardOverReverse, .forwardOverForward, .chunked]
  /// No derivative at all (integer or boolean outputs).
  public static let none: DerivativeModes = []

  /// The checks that exercise an engine mode: a missing forward rule rules out every check
  /// that runs one, a missing reverse rule those that run a backward pass.
  public init(exercising mode: DerivativeMode) {
    switch mode {
    case .forward: self = [.forward, .forwardOverForward, .forwardOverReverse, .chunked]
    case .reverse: self = [.reverse, .forwardOverReverse]
    case .forwardOverReverse: self = .forwardOverReverse
    case .forwardOverForward: self = .forwardOverForward
    }
  }
}

/// One sample call of an op: its floating inputs and how to call the op on them.
public struct OpSample: Sendable {
  /// What the sample exercises, for messages (`"[3, 4] transposed"`).
  public var label: String
  /// The inputs; floating ones are differentiated.
  public var inputs: [Tensor]
  /// Calls the op.
  public var call: @Sendable ([Tensor]) -> [Tensor]

  /// A sample.
  public init(_ label: String, _ inputs: [Tensor], _ call: @escaping @Sendable ([Tensor]) -> [Tensor]) {
    self.label = label
    self.inputs = inputs
    self.call = call
  }
}

/// Tolerances looser than the default, with the reason they are needed.
public struct Tolerance: Sendable {
  /// Absolute tolerance.
  public var atol: Double
  /// Relative tolerance.
  public var rtol: Double
  /// Why the defaults are not enough.
  public var reason: String
  /// A tolerance with its reason.
  public init(atol: Double, rtol: Double, reason: String) {
    self.atol = atol
    self.rtol = rtol
    self.reason = reason
  }
}

/// A record of the op database, like PyTorch's OpInfo: one per op.
///
/// The generic checks in the test suite run every record: finite differences for the JVP and
/// VJP, the inner-product identity, chunked against single tangents, forward-over-reverse and
/// forward-over-forward, complex inputs, non-contiguous and broadcast inputs. The conformance
/// runner uses `golden` to call the op from a PyTorch golden case.
public struct OpInfo: Sendable {
  /// The op's name in Tangent (`logSumExp`).
  public var name: String
  /// The PyTorch names it answers to (`logsumexp`), as in `torch-forward-ad-ops.txt`.
  public var torchNames: [String]
  /// The floating dtypes the op supports.
  public var dtypes: Set<DType>
  /// The modes of differentiation it supports.
  public var modes: DerivativeModes
  /// Sample calls for a dtype.
  public var samples: @Sendable (DType, inout TestRandom) -> [OpSample]
  /// Calls the op from a golden case's arguments, or `nil` when no mapping exists. Complex
  /// arguments to a record without complex dtypes are reported as unsupported.
  public var golden: (@Sendable (GoldenCall) throws -> [Tensor])?
  /// Looser tolerances, with their reason.
  public var tolerance: Tolerance?
  /// Known limits, each with its reason.
  public var limits: [String]
  /// Golden fields where PyTorch's own value is wrong, each with the reason. The conformance
  /// runner checks Tangent against central finite differences for these fields instead, and
  /// reports them as deviations (never silently as passes).
  public var goldenDeviations: [String: String] = [:]
  /// Edge-shape samples: 0-d, empty and size-1 variants of the op's calls, where PyTorch
  /// accepts them, or `nil` when the record has none (see ``EdgeShapes``). The generic checks
  /// run them like ``samples``. The families (``unary(_:torch:dtypes:domain:kinks:modes:tolerance:limits:_:)``,
  /// ``binary(_:torch:dtypes:domain:rhsDomain:kinks:modes:tolerance:limits:_:)``, the
  /// reductions, scans and softmaxes) derive them from the op's call; other records declare
  /// them with ``withEdgeSamples(_:)``.
  public var edgeSamples: (@Sendable (DType, inout TestRandom) -> [OpSample])?

  /// This record with documented PyTorch deviations for some golden fields.
  public func deviating(_ deviations: [String: String]) -> OpInfo {
    var copy = self
    copy.goldenDeviations = deviations
    return copy
  }

  /// This record with edge-shape samples (0-d, empty and size-1 inputs).
  public func withEdgeSamples(_ edges: @escaping @Sendable (DType, inout TestRandom) -> [OpSample]) -> OpInfo {
    var copy = self
    copy.edgeSamples = edges
    return copy
  }

  /// A record. The modes the op itself declares unsupported (``Autodiff/unsupportedModes(ofOp:)``,
  /// read by the record's name) are removed from `modes`, and their reasons added to `limits`:
  /// the declaration lives with the op, and the engine enforces it.
  public init(
    _ name: String, torch: [String], dtypes: Set<DType> = [.float64, .complex128], modes: DerivativeModes = .all,
    tolerance: Tolerance? = nil, limits: [String] = [],
    samples: @escaping @Sendable (DType, inout TestRandom) -> [OpSample],
    golden: (@Sendable (GoldenCall) throws -> [Tensor])? = nil
  ) {
    self.name = name
    torchNames = torch
    self.dtypes = dtypes
    let declared = Autodiff.unsupportedModes(ofOp: name)
    self.modes = declared.keys.reduce(modes) { $0.subtracting(DerivativeModes(exercising: $1)) }
    self.tolerance = tolerance
    self.limits = limits + declared.map { "\($0.key.rawValue): \($0.value) (declared by the op)" }.sorted()
    self.samples = samples
    // A real-only op stops on complex inputs; a golden case that passes them is unsupported.
    let complexSupported = dtypes.contains { $0.isComplex }
    if let golden {
      self.golden = { @Sendable (call: GoldenCall) throws -> [Tensor] in
        if !complexSupported, call.tensorsForInspection.contains(where: { $0.dtype.isComplex }) {
          throw ConformanceError.unsupportedArgument("\(call.op): complex inputs are not supported")
        }
        return try golden(call)
      }
    } else {
      self.golden = nil
    }
  }
}

extension OpInfo {
  /// The shapes unary and binary samples use: 0-d, a vector, a matrix, and an empty tensor.
  static let sampleShapes: [[Int]] = [[], [5], [3, 4], [0, 3]]

  /// A record for an elementwise op of one tensor.
  ///
  /// Samples: each sample shape, plus a non-contiguous (transposed) input. Inputs are drawn
  /// from `domain` (keep away from kinks and branch cuts), at least 0.05 away from each value
  /// in `kinks`.
  public static func unary(
    _ name: String, torch: [String], dtypes: Set<DType> = [.float64, .complex128],
    domain: ClosedRange<Double> = -2...2, kinks: [Double] = [], modes: DerivativeModes = .all,
    tolerance: Tolerance? = nil, limits: [String] = [], _ f: @escaping @Sendable (Tensor) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: dtypes, modes: modes, tolerance: tolerance, limits: limits, samples: { dtype, rng in
      var out = sampleShapes.map { s in
        OpSample("\(s)", [rng.tensor(s, dtype: dtype, in: domain, avoiding: kinks)]) { [f($0[0])] }
      }
      out.append(OpSample("[4, 3] transposed", [rng.tensor([4, 3], dtype: dtype, in: domain, avoiding: kinks).transposed()]) {
        [f($0[0])]
      })
      return out
    }, golden: { call in [f(try call.tensor(0))] })
    .withEdgeSamples(EdgeShapes.unary({ shape, dtype, rng in rng.tensor(shape, dtype: dtype, in: domain, avoiding: kinks) }, f))
  }

  /// A record for a broadcasting elementwise op of two tensors.
  ///
  /// Samples: equal shapes, broadcasting in both directions, a 0-d operand, and a
  /// non-contiguous operand.
  public static func binary(
    _ name: String, torch: [String], dtypes: Set<DType> = [.float64, .complex128],
    domain: ClosedRange<Double> = -2...2, rhsDomain: ClosedRange<Double>? = nil, kinks: [Double] = [],
    modes: DerivativeModes = .all, tolerance: Tolerance? = nil, limits: [String] = [],
    _ f: @escaping @Sendable (Tensor, Tensor) -> Tensor
  ) -> OpInfo {
    let rhs = rhsDomain ?? domain
    return OpInfo(name, torch: torch, dtypes: dtypes, modes: modes, tolerance: tolerance, limits: limits, samples: { dtype, rng in
      let pairs: [([Int], [Int])] = [([3, 4], [3, 4]), ([3, 4], [4]), ([1, 4], [3, 1]), ([], [2, 3]), ([2, 3], [])]
      var out = pairs.map { a, b in
        OpSample("\(a) with \(b)", [
          rng.tensor(a, dtype: dtype, in: domain, avoiding: kinks), rng.tensor(b, dtype: dtype, in: rhs, avoiding: kinks),
        ]) {
          [f($0[0], $0[1])]
        }
      }
      out.append(OpSample("transposed with [3]", [
        rng.tensor([3, 4], dtype: dtype, in: domain, avoiding: kinks).transposed(),
        rng.tensor([3], dtype: dtype, in: rhs, avoiding: kinks),
      ]) { [f($0[0], $0[1])] })
      return out
    }, golden: { call in
      let (a, b) = try call.binaryOperands()
      return [f(a, b)]
    })
    .withEdgeSamples(EdgeShapes.binary(
      lhs: { shape, dtype, rng in rng.tensor(shape, dtype: dtype, in: domain, avoiding: kinks) },
      rhs: { shape, dtype, rng in rng.tensor(shape, dtype: dtype, in: rhs, avoiding: kinks) }, f))
  }
}

/// Draws an input of a shape and dtype (a family's domain and kinks built in).
public typealias EdgeInput = @Sendable ([Int], DType, inout TestRandom) -> Tensor

/// The edge-shape suite: 0-d, empty and size-1 variants that the families of the op database
/// derive from an op's call, as PyTorch's OpInfo samples include them. Every generic check
/// runs them (`OpDatabaseTests.edgeChecks`).
public enum EdgeShapes {
  /// The shapes of a shape-polymorphic op of one tensor: 0-d, empty (alone, with a size-1
  /// dim, in the middle) and size-1.
  public static let single: [[Int]] = [[], [0], [1], [1, 1], [1, 0], [2, 0, 3]]

  /// Operand shape pairs for a broadcasting op of two tensors: two 0-d operands, 0-d with
  /// empty, empty with empty, size-1 dims broadcasting against empty and non-empty dims.
  public static let pairs: [([Int], [Int])] = [
    ([], []), ([0], []), ([], [0]), ([0, 3], [3]), ([0, 3], [1, 3]), ([1], [0]), ([1], [1]), ([1, 1], []), ([2, 1], [1, 0]),
  ]

  /// Edge samples of an op of one tensor, on ``single``.
  public static func unary(_ input: @escaping EdgeInput, _ f: @escaping @Sendable (Tensor) -> Tensor) -> @Sendable (DType, inout TestRandom) -> [OpSample] {
    { dtype, rng in single.map { s in OpSample("edge \(s)", [input(s, dtype, &rng)]) { [f($0[0])] } } }
  }

  /// Edge samples of a broadcasting op of two tensors, on ``pairs``.
  public static func binary(
    lhs: @escaping EdgeInput, rhs: @escaping EdgeInput, _ f: @escaping @Sendable (Tensor, Tensor) -> Tensor
  ) -> @Sendable (DType, inout TestRandom) -> [OpSample] {
    { dtype, rng in
      pairs.map { a, b in
        OpSample("edge \(a) with \(b)", [lhs(a, dtype, &rng), rhs(b, dtype, &rng)]) { [f($0[0], $0[1])] }
      }
    }
  }

  /// One reduction call of ``reductions``: an input shape, the dims and keepdim.
  public struct Reduction: Sendable {
    public var shape: [Int]
    public var dims: [Int]
    public var keepdim: Bool
  }

  /// Reductions over dims at the edges: a 0-d tensor over dim 0 and −1 (PyTorch accepts
  /// both), a size-1 dim, a non-empty dim of an empty tensor, and, with `emptyDims`, an empty
  /// dim (sums and means accept it; maxima, medians and the like do not).
  public static func reductions(emptyDims: Bool) -> [Reduction] {
    var out = [
      Reduction(shape: [], dims: [0], keepdim: false), Reduction(shape: [], dims: [-1], keepdim: true),
      Reduction(shape: [1], dims: [0], keepdim: false), Reduction(shape: [1, 4], dims: [0], keepdim: true),
      Reduction(shape: [0, 3], dims: [1], keepdim: false), Reduction(shape: [3, 1], dims: [-1], keepdim: false),
    ]
    if emptyDims {
      out += [Reduction(shape: [3, 0], dims: [1], keepdim: false), Reduction(shape: [0], dims: [0], keepdim: true)]
    }
    return out
  }

  /// Edge samples of a reduction over dims, on ``reductions(emptyDims:)``.
  public static func reduction(
    emptyDims: Bool, _ input: @escaping EdgeInput, _ f: @escaping @Sendable (Tensor, [Int], Bool) -> Tensor
  ) -> @Sendable (DType, inout TestRandom) -> [OpSample] {
    { dtype, rng in
      reductions(emptyDims: emptyDims).map { r in
        OpSample("edge \(r.shape) dims \(r.dims)\(r.keepdim ? " keepdim" : "")", [input(r.shape, dtype, &rng)]) {
          [f($0[0], r.dims, r.keepdim)]
        }
      }
    }
  }

  /// Edge samples of an op along one dim (scans, softmaxes): 0-d along 0 and −1, size-1,
  /// and empty tensors along an empty and a non-empty dim.
  public static func alongDim(_ input: @escaping EdgeInput, _ f: @escaping @Sendable (Tensor, Int) -> Tensor) -> @Sendable (DType, inout TestRandom) -> [OpSample] {
    { dtype, rng in
      let cases: [([Int], Int)] = [([], 0), ([], -1), ([1], 0), ([1, 3], 0), ([0, 3], 1), ([3, 0], 1), ([0], 0)]
      return cases.map { s, d in OpSample("edge \(s) dim \(d)", [input(s, dtype, &rng)]) { [f($0[0], d)] } }
    }
  }

  /// Edge samples derived from a pointwise op's own first sample: every input cut to the
  /// same edge shape (0-d, empty, size-1) from its own values, so the op's domain holds and the
  /// inputs still broadcast. For records whose call is shape-polymorphic and elementwise.
  public static func pointwise(
    _ samples: @escaping @Sendable (DType, inout TestRandom) -> [OpSample]
  ) -> @Sendable (DType, inout TestRandom) -> [OpSample] {
    { dtype, rng in
      guard let first = samples(dtype, &rng).first(where: { $0.inputs.allSatisfy { $0.count > 0 } }) else { return [] }
      return [[], [0], [1], [1, 1], [2, 0]].map { (shape: [Int]) in
        let n = Shape.count(shape)
        let inputs = first.inputs.map { x in x.reshaped([-1]).narrowed(dim: 0, start: 0, length: n).contiguousCopy().reshaped(shape) }
        return OpSample("edge \(shape) from \(first.label)", inputs, first.call)
      }
    }
  }

  /// Edge samples derived from an op's own samples by a leading batch dim of size 0 and 1
  /// on every input, for ops that batch over leading dims (linear algebra). Samples with an
  /// input of rank below `minRank` (a vector right-hand side, say), or with inputs of
  /// different ranks (whose batch dims would no longer line up), are left out.
  public static func batched(
    minRank: Int = 2, _ samples: @escaping @Sendable (DType, inout TestRandom) -> [OpSample]
  ) -> @Sendable (DType, inout TestRandom) -> [OpSample] {
    { dtype, rng in
      samples(dtype, &rng).filter { s in
        s.inputs.allSatisfy { $0.rank >= minRank && $0.rank == s.inputs[0].rank }
      }.flatMap { s in
        [0, 1].map { b in
          let inputs = s.inputs.map { x in
            b == 1 ? x.unsqueezed(dim: 0).contiguousCopy() : Tensor.zeros([0] + x.shape, dtype: x.dtype)
          }
          return OpSample("edge batch \(b) × \(s.label)", inputs, s.call)
        }
      }
    }
  }

  /// Edge samples derived from an op's own first sample: its first input with the leading
  /// dim made empty and size-1, the other inputs unchanged. For shape ops of one tensor that
  /// work on the other dims (or on every dim alike), and for `NN` ops whose first input leads
  /// with the batch (convolutions, pooling, normalisation over the trailing dims).
  ///
  /// `sizes` are the leading sizes to try: `[1]` alone for ops that PyTorch rejects on empty
  /// inputs (maxima, sorts, medians: no identity).
  public static func leadingDim(
    sizes: [Int] = [0, 1], _ samples: @escaping @Sendable (DType, inout TestRandom) -> [OpSample]
  ) -> @Sendable (DType, inout TestRandom) -> [OpSample] {
    { dtype, rng in
      guard let first = samples(dtype, &rng).first(where: { !$0.inputs.isEmpty && $0.inputs[0].rank >= 1 }) else { return [] }
      let x = first.inputs[0]
      return sizes.map { n in
        let input = x.narrowed(dim: 0, start: 0, length: n).contiguousCopy()
        return OpSample("edge \(input.shape) from \(first.label)", [input] + first.inputs.dropFirst(), first.call)
      }
    }
  }

  /// Draws plain inputs in `range` (for families without a domain of their own).
  public static func plain(_ range: ClosedRange<Double> = -2...2) -> EdgeInput {
    { shape, dtype, rng in rng.tensor(shape, dtype: dtype, in: range) }
  }
}
