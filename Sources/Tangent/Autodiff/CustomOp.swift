/// A user-defined op built from closures: a primal and both derivative rules, like PyTorch's
/// `autograd.Function` with `forward`, `jvp` and `backward`, or JAX's `custom_jvp`/`custom_vjp`.
///
/// The rules must be written with Tensor ops, so a custom op works in every mode and at every
/// order: forward, reverse, forward-over-reverse, forward-over-forward, chunked tangents.
/// Check it with `gradcheck` from `TangentTesting`.
///
/// ```swift
/// let cube = CustomOp(
///   name: "cube",
///   primal: { x in [x[0] * x[0] * x[0]] },
///   jvp: { x, y, dx in [dx[0].map { 3 * x[0] * x[0] * $0 }] },
///   vjp: { x, y, gy, _ in [gy[0].map { 3 * x[0] * x[0] * $0 }] })
/// let y = cube(x)[0]
/// ```
///
/// Types that conform to ``DifferentiableOp`` are the other way to define an op, with no
/// closures; apply them with ``Tensor/apply(_:_:)->[Tensor]``.
public struct CustomOp: DifferentiableOp, Sendable {
  /// The op's name, for messages.
  public let name: String
  private let primalRule: @Sendable ([Tensor]) -> [Tensor]
  private let jvpRule: @Sendable ([Tensor], [Tensor], [Tensor?]) -> [Tensor?]
  private let vjpRule: @Sendable ([Tensor], [Tensor], [Tensor?], [Bool]) -> [Tensor?]
  /// Whether the VJP rule takes cotangents with a leading chunk dimension.
  public let acceptsChunkedCotangents: Bool

  /// An op from its primal and rules.
  /// - Parameters:
  ///   - name: the name used in error messages.
  ///   - primal: the outputs from plain inputs.
  ///   - jvp: `(inputs, outputs, inputTangents) -> outputTangents`; `nil` tangents are zero,
  ///     and tangents may carry one leading chunk dimension.
  ///   - vjp: `(inputs, outputs, outputCotangents, needed) -> inputCotangents`; return `nil`
  ///     for inputs that are not needed.
  ///   - acceptsChunkedCotangents: whether `vjp` also takes cotangents with one leading chunk
  ///     dimension (then returning cotangents with it); otherwise the engine maps `vjp` over
  ///     the chunk with `vmap`, so its ops batch. `gradcheck` checks the claim.
  public init(
    name: String,
    primal: @escaping @Sendable ([Tensor]) -> [Tensor],
    jvp: @escaping @Sendable (_ inputs: [Tensor], _ outputs: [Tensor], _ tangents: [Tensor?]) -> [Tensor?],
    vjp: @escaping @Sendable (_ inputs: [Tensor], _ outputs: [Tensor], _ cotangents: [Tensor?], _ needed: [Bool]) -> [Tensor?],
    acceptsChunkedCotangents: Bool = false
  ) {
    self.acceptsChunkedCotangents = acceptsChunkedCotangents
    self.name = name
    primalRule = primal
    jvpRule = jvp
    vjpRule = vjp
  }

  /// Runs the primal.
  public func primal(_ inputs: [Tensor]) -> [Tensor] { primalRule(inputs) }
  /// Runs the forward rule.
  public func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    jvpRule(inputs, outputs, tangents)
  }
  /// Runs the reverse rule.
  public func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    vjpRule(inputs, outputs, cotangents, needed)
  }

  /// Applies the op to its inputs.
  public func callAsFunction(_ inputs: Tensor...) -> [Tensor] { Tensor.apply(self, inputs) }
}
