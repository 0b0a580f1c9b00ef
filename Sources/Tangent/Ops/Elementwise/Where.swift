import ComplexModule
import RealModule

/// Elementwise selection `condition ? a : b`, with broadcasting and dtype promotion. The
/// condition is a constant of the op, not an input.
///
/// Derivative: linear in `a` and `b`. The JVP selects between the tangents (zero where one is
/// missing); the VJP masks the cotangent: `where(c, ḡ, 0)` for `a`, `where(c, 0, ḡ)` for `b`,
/// each summed over its broadcast dims.
struct WhereOp: BinaryOp {
  /// A `bool` tensor.
  let condition: Tensor
  var tensorParameters: [Tensor] { [condition] }
  var hasBatchedParameters: Bool { condition.autodiff?.batch != nil }
  func replacingTensorParameters(_ parameters: [Tensor]) -> Self { WhereOp(condition: parameters[0]) }
  var name: String { "where" }
  var sparsity: SparsityRule { .elementwise(.linear) }

  /// Under vmap with a batched condition: the condition's batch lines up with the operands'
  /// (singleton dims after the batch dim, up to the output's rank) and the selection
  /// broadcasts as usual.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchedParameters: [Tensor?], batchSize: Int) -> [Tensor]? {
    guard let c = batchedParameters[0] else { return nil }
    let (rank, lifted) = Batching.elementwiseOperands(inputs, isBatched: isBatched, constantRanks: [condition.rank])
    return Tensor.apply(WhereOp(condition: lift(c, primalRank: condition.rank, outputRank: rank)), lifted)
  }

  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = Shape.broadcast(Shape.broadcast(condition.shape, a.shape, op: name), b.shape, op: name)
    let t = DType.promoted(a.dtype, b.dtype)
    let a = a.dtype == t ? a : a.contiguousValues(dtype: t)
    let b = b.dtype == t ? b : b.contiguousValues(dtype: t)
    return TernaryKernels.select(condition, a, b, shape: shape)
  }

  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    if da == nil && db == nil { return nil }
    let ta = da.map { lift($0, primalRank: a.rank, outputRank: y.rank) }
    let tb = db.map { lift($0, primalRank: b.rank, outputRank: y.rank) }
    let like = (ta ?? tb)!
    let zero = Tensor.zeros([], dtype: like.dtype)
    return Tensor.apply(self, ta ?? zero, tb ?? zero)
  }

  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    let zero = Tensor.zeros([], dtype: gy.dtype)
    return (
      needA ? Tensor.apply(self, gy, zero).summed(toShape: a.shape) : nil,
      needB ? Tensor.apply(self, zero, gy).summed(toShape: b.shape) : nil
    )
  }
}

extension Tensor {
  /// Elementwise `condition ? a : b`, like `torch.where(condition, a, b)`. The three inputs
  /// broadcast together; `a` and `b` are promoted to a common dtype.
  ///
  /// - Parameters:
  ///   - condition: a `bool` tensor (use a comparison such as `x .> 0`).
  ///   - a: the values where the condition holds.
  ///   - b: the values elsewhere.
  /// - Precondition: `condition` is `bool` and the shapes broadcast.
  /// Derivative: linear in `a` and `b`; the VJP masks the cotangent with the condition (the
  /// condition gets none).
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    check(condition.dtype == .bool, "where: the condition must be a bool tensor, got \(condition.dtype)")
    let shape = Shape.broadcast(condition.shape, a.shape, op: "where")
    _ = Shape.broadcast(shape, b.shape, op: "where")
    return apply(WhereOp(condition: condition.detached), a, b)
  }

  /// `condition ? a : b` with a scalar `b` (a weakly typed scalar, as in PyTorch).
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Double) -> Tensor {
    `where`(condition, a, a.scalarLike(b))
  }

  /// `condition ? a : b` with a scalar `a` (a weakly typed scalar, as in PyTorch).
  public static func `where`(_ condition: Tensor, _ a: Double, _ b: Tensor) -> Tensor {
    `where`(condition, b.scalarLike(a), b)
  }

  /// `condition ? a : b` with an integer scalar `b` (keeps an integer dtype).
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Int) -> Tensor {
    `where`(condition, a, a.scalarLike(b))
  }

  /// `condition ? a : b` with an integer scalar `a` (keeps an integer dtype).
  public static func `where`(_ condition: Tensor, _ a: Int, _ b: Tensor) -> Tensor {
    `where`(condition, b.scalarLike(a), b)
  }
}

// MARK: Taylor rule

extension WhereOp {
  /// Linear in `a` and `b` (the condition is constant): the JVP on each coefficient.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByLinearity(inputs: inputs, outputs: outputs, series: series)
  }
}
