import ComplexModule
import RealModule

/// An operation with its primal computation and both derivative rules, defined in one place.
///
/// This is how every op in Tangent is written, and how users write custom ops. The rules are
/// written with differentiable Tensor ops, so they are differentiable themselves: applying an
/// op to tensors that carry tangents of several levels, or that are recorded on a tape,
/// gives derivatives of any order with no further work.
///
/// - `primal` receives plain tensors (no autodiff state) and returns plain tensors.
/// - `jvp` maps the inputs' tangents to the outputs' tangents. A `nil` tangent is zero: skip
///   its terms. Return `nil` for an output whose tangent is zero (such as integer indices).
///   Tangents may have one extra leading *chunk* dimension (K directions at once): address
///   dimensions from the right, and see the toolkit in Autodiff/ChunkDims.swift (`lift`,
///   `summed(_:toInputShape:outputRank:)`, `restoringReducedDims`, `bothTangents`).
/// - `vjp` maps the outputs' cotangents to the inputs' cotangents, by the conjugate Wirtinger
///   convention of PyTorch for complex values. `needed[i]` tells whether input `i` wants one;
///   return `nil` for the others. A `nil` cotangent is zero. An op whose rule also takes K
///   cotangents at once (one extra leading chunk dimension, for ``jacrev(of:at:chunkSize:)->Tensor``)
///   says so with ``acceptsChunkedCotangents``; the engine maps the others' rule over the
///   chunk with `vmap` (each op inside the rule goes through its batching rule).
///
/// An op that has no rule for a mode declares it in ``unsupportedModes``: the engine then
/// stops with a message naming the op and the mode whenever that mode reaches the op, and the
/// op database reads the same declaration. A rule that lacks a mode only for some inputs
/// calls ``unsupportedDerivative(_:_:reason:)`` itself.
public protocol DifferentiableOp {
  /// The op's name, as used in error messages.
  var name: String { get }
  /// Computes the outputs from plain inputs.
  func primal(_ inputs: [Tensor]) -> [Tensor]
  /// The forward-mode rule.
  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?]
  /// The reverse-mode rule.
  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?]
  /// Whether `vjp` also takes cotangents with one extra leading chunk dimension (shape
  /// `[K] + output shape`) and then returns cotangents of shape `[K] + input shape`. Default:
  /// `false` (elementwise ops: `true`).
  var acceptsChunkedCotangents: Bool { get }
  /// Which values of an application the `vjp` rule reads, so the tape keeps only those
  /// alive until the backward pass (the others reach the rule as stand-ins with the right
  /// shape and dtype, and zeros for values). Default: ``SavedValues/all``.
  var vjpReads: SavedValues { get }
  /// Which inputs the `vjp` rule reads when only the inputs marked in `needed` want a
  /// cotangent: a product `a·b` reads `b` only for `a`'s cotangent, so with a constant weight
  /// the tape need not keep the activation. Default: every input when ``vjpReads`` contains
  /// ``SavedValues/inputs``, none otherwise.
  func vjpReadsInputs(needed: [Bool]) -> [Bool]
  /// The modes of differentiation the op has no (correct) rule for, each with the reason. The
  /// engine stops with ``unsupportedDerivative(_:_:reason:)`` when one is used:
  /// ``DerivativeMode/forward`` when an input carries a tangent of an open dual level (or a
  /// `linearize` replay reaches the op), ``DerivativeMode/reverse`` when a backward pass
  /// reaches the op (recording it is allowed, as in PyTorch), ``DerivativeMode/forwardOverReverse``
  /// when a backward pass reaches it with dual values (an HVP or Hessian), and
  /// ``DerivativeMode/forwardOverForward`` when its JVP rule would run on inputs or tangents
  /// that carry tangents of another open level. Default: none.
  var unsupportedModes: [DerivativeMode: String] { get }
  /// The outputs and one level's output tangents computed together, when that is faster than
  /// ``primal(_:)`` followed by the JVP rule; `nil` (the default) to run those. The engine
  /// asks only for plain inputs with plain tangents of one open level (the common `jvp`
  /// case). ``BinaryOp`` forwards this to ``BinaryOp/primalAndTangent(a:b:da:db:)``.
  func primalAndTangents(_ inputs: [Tensor], tangents: [Tensor?]) -> (outputs: [Tensor], tangents: [Tensor?])?
  /// How the op's outputs depend on its inputs, for sparsity detection
  /// (``jacobianSparsity(of:at:detection:)``). Default: ``SparsityRule/dense``, which is never
  /// wrong; elementwise ops default to ``SparsityRule/elementwise(_:)``.
  var sparsity: SparsityRule { get }
  /// The Taylor-mode rule: the outputs' Taylor coefficients from the inputs' (normalized, see
  /// ``TaylorSeries``; a `nil` series is a constant input, and a `nil` result a constant
  /// output), or `nil` for no fast rule: the engine then uses the generic rule by nested
  /// forward mode, exact but costlier. Defaults (Taylor/TaylorEngine.swift): a ``LinearOp``
  /// applies itself to each coefficient, an op whose ``vjpReads`` is empty is linear and
  /// pushes each coefficient through its JVP rule, others have none.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]?
  /// The batching rule, for ``vmap(of:inDim:outDim:chunkSize:randomness:)``: the outputs for a
  /// whole batch, each with the batch in dim 0, or `nil` for no rule (the engine then runs the
  /// op once per batch member and stacks the results: correct, slower).
  ///
  /// `inputs[i]` holds the batch in dim 0 (shape `[batchSize] + shape`) where `isBatched[i]`,
  /// and is an ordinary input otherwise. Write the rule with ops on these tensors (through
  /// ``Tensor/apply(_:_:)->[Tensor]``, not the primal), so that the layers of outer transforms they carry
  /// are handled. Defaults (Autodiff/Batching.swift): elementwise ops broadcast the batch, a
  /// ``LinearOp`` maps it like a chunk of tangents, ops over trailing dims take it as a leading
  /// dim; the op database checks every rule against the loop.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]?
  /// The batching rule for when some of the op's ``tensorParameters`` are batched at the level
  /// being mapped (a mask computed from batched values): `batchedParameters[i]` holds
  /// parameter i's values for the whole batch (the batch in dim 0), or `nil` where it is not
  /// batched; `inputs` and `isBatched` are as in ``batched(_:isBatched:batchSize:)``. `nil`
  /// (the default) runs the op once per batch member with the member's parameters.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchedParameters: [Tensor?], batchSize: Int) -> [Tensor]?
  /// The tensors the op holds as constants (a mask, indices), for vmap: when one is batched at
  /// the level being mapped, the engine takes the op's rule for batched parameters
  /// (``batched(_:isBatched:batchedParameters:batchSize:)``), or runs the op once per batch
  /// member with the member's parameters (``replacingTensorParameters(_:)``). Default: none.
  var tensorParameters: [Tensor] { get }
  /// Whether one of ``tensorParameters`` (a mask) is batched by vmap: then the op takes the
  /// engine's batched path even when its inputs are plain. Asked on the no-autodiff fast path,
  /// so ops with parameters answer without building the list. Default: from
  /// ``tensorParameters``.
  var hasBatchedParameters: Bool { get }
  /// This op with its tensor parameters replaced, in the order of ``tensorParameters``.
  /// Default: the op itself.
  func replacingTensorParameters(_ parameters: [Tensor]) -> Self
}

extension DifferentiableOp {
  public var unsupportedModes: [DerivativeMode: String] { [:] }
  public func primalAndTangents(_ inputs: [Tensor], tangents: [Tensor?]) -> (outputs: [Tensor], tangents: [Tensor?])? { nil }
  public var acceptsChunkedCotangents: Bool { false }
  public var vjpReads: SavedValues { .all }
  public func vjpReadsInputs(needed: [Bool]) -> [Bool] {
    Array(repeating: vjpReads.contains(.inputs), count: needed.count)
  }
}

/// The values of an op application that its reverse-mode rule reads: a tape node keeps only
/// these, like the saved variables of PyTorch's `derivatives.yaml` (tanh's backward keeps
/// `result`, a product its operands). `gradcheck` catches a rule that reads more.
public struct SavedValues: OptionSet, Sendable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  /// The inputs.
  public static let inputs = SavedValues(rawValue: 1)
  /// The outputs.
  public static let outputs = SavedValues(rawValue: 2)
  /// Inputs and outputs.
  public static let all: SavedValues = [.inputs, .outputs]
}

/// A mode of differentiation an op may lack a rule for (see
/// ``DifferentiableOp/unsupportedModes``).
public enum DerivativeMode: String, Sendable, Hashable, CaseIterable {
  /// Forward mode (JVP).
  case forward
  /// Reverse mode (VJP).
  case reverse
  /// The JVP of the VJP rule: a backward pass over dual tensors (HVPs, Hessians).
  case forwardOverReverse = "forward-over-reverse"
  /// The JVP of the JVP rule: nested dual levels.
  case forwardOverForward = "forward-over-forward"
}

/// Stops with a clear message: `op` has no derivative rule for `mode`.
public func unsupportedDerivative(_ op: String, _ mode: DerivativeMode, reason: String) -> Never {
  misuse("\(op): \(mode.rawValue)-mode differentiation is not supported (\(reason))")
}

extension Autodiff {
  /// Ops whose declaration lists unsupported modes, one instance each, so the op database can
  /// read the declaration by the op's name instead of repeating it. An op that declares
  /// ``DifferentiableOp/unsupportedModes`` is listed here.
  static let opsWithUnsupportedModes: [any DifferentiableOp & Sendable] = [
    TriangularSolveOp(upper: true, left: true, unitriangular: false, op: .none, legacy: true),
    NextAfterOp(),
  ]

  /// The modes the op named `name` declares unsupported, with their reasons (empty for an op
  /// with rules for every mode). See ``DifferentiableOp/unsupportedModes``.
  public static func unsupportedModes(ofOp name: String) -> [DerivativeMode: String] {
    var modes: [DerivativeMode: String] = [:]
    for op in opsWithUnsupportedModes where op.name == name {
      modes.merge(op.unsupportedModes) { a, _ in a }
    }
    return modes
  }
}

/// An op with one input and one output.
public protocol UnaryOp: DifferentiableOp {
  /// Computes the output from a plain input.
  func primal(_ x: Tensor) -> Tensor
  /// The tangent of `y = f(x)` given the tangent `dx`.
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor
  /// The cotangent of `x` given the cotangent `gy` of `y = f(x)`.
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor
}

extension UnaryOp {
  public func primal(_ inputs: [Tensor]) -> [Tensor] { [primal(inputs[0])] }
  public func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let dx = tangents[0] else { return [nil] }
    return [jvp(x: inputs[0], y: outputs[0], dx: dx)]
  }
  public func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gy = cotangents[0], needed[0] else { return [nil] }
    return [vjp(x: inputs[0], y: outputs[0], gy: gy)]
  }
}

/// An op with two inputs and one output.
public protocol BinaryOp: DifferentiableOp {
  /// Computes the output from plain inputs.
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor
  /// The tangent of `y = f(a, b)`; `nil` tangents are zero.
  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor?
  /// The cotangents of `a` and `b` (each only when needed).
  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?)
  /// The output and one level's output tangent computed together, faster than the primal
  /// followed by the JVP rule, or `nil` (the default) to run those. A product with a constant
  /// operand stacks the input and its tangent and multiplies once, so the constant is read
  /// once. The engine asks only for plain inputs and plain tangents of one open level (the
  /// common `jvp` case).
  func primalAndTangent(a: Tensor, b: Tensor, da: Tensor?, db: Tensor?) -> (Tensor, Tensor?)?
}

extension BinaryOp {
  public func primalAndTangent(a: Tensor, b: Tensor, da: Tensor?, db: Tensor?) -> (Tensor, Tensor?)? { nil }
  public func primalAndTangents(_ inputs: [Tensor], tangents: [Tensor?]) -> (outputs: [Tensor], tangents: [Tensor?])? {
    primalAndTangent(a: inputs[0], b: inputs[1], da: tangents[0], db: tangents[1]).map { ([$0.0], [$0.1]) }
  }
  public func primal(_ inputs: [Tensor]) -> [Tensor] { [primal(inputs[0], inputs[1])] }
  public func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    [jvp(a: inputs[0], b: inputs[1], y: outputs[0], da: tangents[0], db: tangents[1])]
  }
  public func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gy = cotangents[0] else { return [nil, nil] }
    let (ga, gb) = vjp(a: inputs[0], b: inputs[1], y: outputs[0], gy: gy, needA: needed[0], needB: needed[1])
    return [ga, gb]
  }
}

/// An op that is linear in its single input: the JVP applies the op to the tangent and the
/// VJP applies its transpose (adjoint) to the cotangent.
public protocol LinearOp: UnaryOp {
  /// Applies the op to a tangent, which may have one more leading (chunk) dimension than the
  /// input.
  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor
  /// Applies the adjoint map to a cotangent of the output's shape, giving the input's shape.
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor
}

extension LinearOp {
  /// Applies the op itself, the default for ops whose primal takes a leading chunk dimension
  /// of the tangent as one more batch dimension.
  public func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor { Tensor.apply(self, dx) }
  public func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { applyLinear(dx, inputShape: x.shape) }
  public func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { transpose(gy, inputShape: x.shape) }
}

/// An elementwise function with one scalar derivative, from which both rules follow:
/// the JVP is `dx · f′(x)` and the VJP is `gy · conj(f′(x))`.
public protocol ElementwiseOp: UnaryOp {
  /// f′ as a tensor, given the input `x` and the output `y = f(x)` (use whichever is cheaper).
  func derivative(x: Tensor, y: Tensor) -> Tensor
}

extension ElementwiseOp {
  /// `gy · conj(f′(x))` broadcasts over a leading chunk dimension of `gy`.
  public var acceptsChunkedCotangents: Bool { true }
  public func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { dx * derivative(x: x, y: y) }
  public func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    let d = derivative(x: x, y: y)
    return gy * (d.dtype.isComplex ? d.conj() : d)
  }
}

/// The sum of two rule terms where `nil` is zero; `nil` when both are (the common form,
/// without the variadic form's array).
func sumOfTerms(_ a: Tensor?, _ b: Tensor?) -> Tensor? {
  switch (a, b) {
  case let (x?, y?): x + y
  case let (x?, nil): x
  case let (nil, y?): y
  default: nil
  }
}

/// The sum of rule terms where `nil` is zero; `nil` when all are.
func sumOfTerms(_ terms: Tensor?...) -> Tensor? {
  var total: Tensor?
  for t in terms {
    guard let t else { continue }
    total = total.map { $0 + t } ?? t
  }
  return total
}

/// `a − b` for rule terms where `nil` is zero; `nil` when both are.
func differenceOfTerms(_ a: Tensor?, _ b: Tensor?) -> Tensor? {
  switch (a, b) {
  case let (x?, y?): x - y
  case let (x?, nil): x
  case let (nil, y?): -y
  default: nil
  }
}
