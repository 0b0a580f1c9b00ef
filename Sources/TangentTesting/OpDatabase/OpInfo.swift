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

  /// This record with documented PyTorch deviations for some golden fields.
  public func deviating(_ deviations: [String: String]) -> OpInfo {
    var copy = self
    copy.goldenDeviations = deviations
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
        if !complexSupported, call.allTensors().contains(where: { $0.dtype.isComplex }) {
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
  }
}
