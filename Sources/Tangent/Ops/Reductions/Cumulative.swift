import ComplexModule
import RealModule

// Scans along a dim. The derivative rules of `cumprod` (and of `prod` with zeros) are built
// from two internal ops, a one-place shift and the first-order linear recurrence
// zₖ = aₖ·zₖ₋₁ + bₖ, whose own rules use only themselves, so every order of derivative is
// exact, zeros included, and no rule divides.

/// Shifts along a dim by one place, filling with zero: yₖ = xₖ₋₁ (or xₖ₊₁ when `reverse`).
///
/// Derivative: linear; the adjoint shifts the other way.
struct ShiftOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// The dim, negative.
  let dim: Int
  let reverse: Bool
  var name: String { "shift" }
  var sparsity: SparsityRule { .indexMap }
  func primal(_ x: Tensor) -> Tensor { OpReductionKernels.shift(x, dim: dim + x.rank, reverse: reverse) }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { Tensor.apply(ShiftOp(dim: dim, reverse: !reverse), gy) }
}

/// The linear recurrence zₖ = aₖ·zₖ₋₁ + bₖ along a dim with z₋₁ = 0 (from the end when
/// `reverse`), with broadcasting.
///
/// Derivative: dz is the same recurrence driven by da·shift(z) + db. The VJP runs the
/// recurrence backwards with multipliers conj(aₖ₊₁): w = scan⁻(conj(shift⁻(a)), ḡ) gives ḡ_b = w
/// and ḡ_a = w·conj(shift(z)).
struct LinearScanOp: BinaryOp {
  /// The dim, negative.
  let dim: Int
  let reverse: Bool
  var name: String { "linearScan" }

  /// Batching: the operands broadcast like an elementwise op's (the dim counts from the right).
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.broadcasting(self, inputs, isBatched: isBatched)
  }

  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = Shape.broadcast(a.shape, b.shape, op: name)
    let t = DType.promoted(a.dtype, b.dtype)
    return OpReductionKernels.linearScan(
      a.dtype == t ? a : a.contiguousValues(dtype: t), b.dtype == t ? b : b.contiguousValues(dtype: t),
      shape: shape, dim: dim + shape.count, reverse: reverse)
  }

  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    let drive = sumOfTerms(
      da.map { lift($0, primalRank: a.rank, outputRank: y.rank) * Tensor.apply(ShiftOp(dim: dim, reverse: reverse), y) },
      db.map { lift($0, primalRank: b.rank, outputRank: y.rank) })
    return drive.map { Tensor.apply(self, a, $0) }
  }

  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    let multipliers = Tensor.apply(ShiftOp(dim: dim, reverse: !reverse), a.expanded(to: y.shape).conj())
    let w = Tensor.apply(LinearScanOp(dim: dim, reverse: !reverse), multipliers, gy)
    return (
      needA ? (w * Tensor.apply(ShiftOp(dim: dim, reverse: reverse), y).conj()).summed(toShape: a.shape) : nil,
      needB ? w.summed(toShape: b.shape) : nil
    )
  }
}

/// The cumulative sum along a dim (from the end when `reverse`).
///
/// Derivative: linear; the adjoint is the cumulative sum in the other direction.
struct CumsumOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// The dim, negative.
  let dim: Int
  let reverse: Bool
  var name: String { "cumsum" }
  var sparsity: SparsityRule { .scan(dim: dim, reverse: reverse, .linear) }
  func primal(_ x: Tensor) -> Tensor {
    OpReductionKernels.scan(x, dim: dim + x.rank, reverse: reverse, kind: .sum, op: name)
  }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { Tensor.apply(CumsumOp(dim: dim, reverse: !reverse), gy) }
}

/// The cumulative product along a dim (from the end when `reverse`).
///
/// Derivative: yₖ = xₖ·yₖ₋₁ gives dyₖ = xₖ·dyₖ₋₁ + dxₖ·yₖ₋₁, the linear recurrence with
/// multipliers x driven by dx·ŷ, where ŷ is the exclusive product (y shifted, 1 first). The
/// VJP is conj(ŷ)·scan⁻(conj(shift⁻(x)), ḡ). No division, so zeros need no special case.
struct CumprodOp: UnaryOp {
  /// The dim, negative.
  let dim: Int
  let reverse: Bool
  var name: String { "cumprod" }
  var sparsity: SparsityRule { .scan(dim: dim, reverse: reverse, .nonlinear) }

  func primal(_ x: Tensor) -> Tensor {
    OpReductionKernels.scan(x, dim: dim + x.rank, reverse: reverse, kind: .product, op: name)
  }

  /// The exclusive cumulative product: y shifted by one place, with 1 in the first place.
  func exclusive(_ y: Tensor) -> Tensor {
    Tensor.apply(ShiftOp(dim: dim, reverse: reverse), y)
      + edgeIndicator(size: y.shape[dim + y.rank], dim: dim, rank: y.rank, last: reverse, dtype: y.dtype)
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    Tensor.apply(LinearScanOp(dim: dim, reverse: reverse), x, dx * exclusive(y))
  }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    let multipliers = Tensor.apply(ShiftOp(dim: dim, reverse: !reverse), x.conj())
    return exclusive(y).conj() * Tensor.apply(LinearScanOp(dim: dim, reverse: !reverse), multipliers, gy)
  }
}

/// log Σᵢ≤ₖ e^(xᵢ) along a dim, computed stably.
///
/// Derivative: dyₖ = Σᵢ≤ₖ e^(xᵢ − yₖ)·dxᵢ, the linear recurrence with multipliers
/// e^(yₖ₋₁ − yₖ) ≤ 1 driven by e^(x − y)·dx (every factor at most 1, so nothing overflows);
/// the VJP is e^(x − y)·scan⁻(shift⁻(e^(yₖ₋₁ − yₖ)), ḡ).
struct LogCumSumExpOp: UnaryOp {
  /// The dim, negative.
  let dim: Int
  var name: String { "logCumSumExp" }
  var sparsity: SparsityRule { .scan(dim: dim, reverse: false, .nonlinear) }

  func primal(_ x: Tensor) -> Tensor {
    OpReductionKernels.scan(x, dim: dim + x.rank, reverse: false, kind: .logSumExp, op: name)
  }

  /// e^(yₖ₋₁ − yₖ), and 1 in the first place (which the recurrence never reads; selecting it
  /// away keeps a leading −∞ from making it NaN).
  func multipliers(_ y: Tensor) -> Tensor {
    let first = edgeIndicator(size: y.shape[dim + y.rank], dim: dim, rank: y.rank, last: false, dtype: y.dtype)
    return (Tensor.apply(ShiftOp(dim: dim, reverse: false), y) - y).keeping(first.mask(.equal, 0)).exp()
  }

  /// e^(x − y), and 0 where x = −∞ (where it would be e^(−∞ + ∞) while y is still −∞).
  func weights(_ x: Tensor, y: Tensor) -> Tensor { (x - y).exp().keeping(x.mask(.notEqual, -.infinity)) }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    Tensor.apply(LinearScanOp(dim: dim, reverse: false), multipliers(y), dx * weights(x, y: y))
  }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    let a = Tensor.apply(ShiftOp(dim: dim, reverse: true), multipliers(y))
    return weights(x, y: y) * Tensor.apply(LinearScanOp(dim: dim, reverse: true), a, gy)
  }
}

extension Tensor {
  /// The cumulative sum along `dim`, like `torch.cumsum`. Integers and booleans give `int64`.
  ///
  /// Derivative: linear; the VJP is the cumulative sum of the cotangent from the end.
  /// - Precondition: `dim` is in range.
  public func cumsum(dim: Int) -> Tensor {
    let d = negativeDim(dim, op: "cumsum")
    return viewingScalarAsVector { Tensor.apply(CumsumOp(dim: d, reverse: false), $0) }
  }

  /// The cumulative product along `dim`, like `torch.cumprod`. Integers and booleans give
  /// `int64`.
  ///
  /// Derivative: exact everywhere, zeros included, at every order: dyₖ = Σᵢ≤ₖ dxᵢ·Πⱼ≤ₖ,ⱼ≠ᵢ xⱼ,
  /// computed by linear recurrences rather than by dividing by x.
  /// - Precondition: `dim` is in range.
  public func cumprod(dim: Int) -> Tensor {
    let d = negativeDim(dim, op: "cumprod")
    return viewingScalarAsVector { Tensor.apply(CumprodOp(dim: d, reverse: false), $0) }
  }

  /// log Σᵢ≤ₖ e^(xᵢ) along `dim`, computed without overflow, like `torch.logcumsumexp`;
  /// integers are converted to the default floating dtype. Complex inputs are supported as in
  /// PyTorch (the principal logarithm), by the scan `yₖ = logaddexp(yₖ₋₁, xₖ)` of
  /// ``logAddExp(_:)``, one step per element along `dim`.
  ///
  /// Derivative: dyₖ = Σᵢ≤ₖ softmax-like weights e^(xᵢ − yₖ)·dxᵢ (complex: the scan's).
  /// - Precondition: `dim` is in range.
  public func logCumSumExp(dim: Int) -> Tensor {
    if dtype.isComplex {
      let d = Shape.normalize(dim, rank: Swift.max(rank, 1), op: "logCumSumExp")
      return viewingScalarAsVector { x in
        let n = x.shape[d]
        guard n > 0 else { return x }
        var running = x.select(dim: d, index: 0)
        var steps = [running]
        for k in 1..<n {
          running = running.logAddExp(x.select(dim: d, index: k))
          steps.append(running)
        }
        return Tensor.stack(steps, dim: d)
      }
    }
    let d = negativeDim(dim, op: "logCumSumExp")
    return floatingForReduction.viewingScalarAsVector { Tensor.apply(LogCumSumExpOp(dim: d), $0) }
  }
}
