import ComplexModule
import RealModule

extension NN {
  /// `input` divided by its p-norm along `dim`, like `torch.nn.functional.normalize`:
  /// `x / max(‖x‖ₚ, eps)`, the norm taken with the dim kept. Complex inputs keep their dtype.
  ///
  /// Derivative: the quotient rule through ``Tensor/vectorNorm(ord:dims:keepdim:)``; where the
  /// norm is below `eps` the denominator is the constant `eps`.
  /// - Parameters:
  ///   - input: a floating tensor.
  ///   - p: the exponent of the norm (2 by default; ∞ and others as in `vectorNorm`).
  ///   - dim: the dim to normalise along (negative counts from the end).
  ///   - eps: the smallest denominator.
  /// - Precondition: `input` is floating and `dim` is one of its dims.
  public static func normalize(_ input: Tensor, p: Double = 2, dim: Int = 1, eps: Double = 1e-12) -> Tensor {
    check(input.dtype.isFloatingPoint, "nn.functional.normalize: expected a floating input, got \(input.dtype) \(input.shape)")
    let d = Shape.normalize(dim, rank: input.rank, op: "nn.functional.normalize")
    return input / input.vectorNorm(ord: p, dims: [d], keepdim: true).clamp(min: eps)
  }

  /// The cosine of the angle between `x1` and `x2` along `dim`, like
  /// `torch.nn.functional.cosine_similarity`: `Σ (x1 / max(‖x1‖, eps))·(x2 / max(‖x2‖, eps))`
  /// over `dim` of the broadcast operands (each normalised first, as PyTorch does, so the
  /// result stays in [−1, 1]).
  ///
  /// Derivative: the quotient rule through the 2-norms; as in PyTorch, the clamp to `eps`
  /// changes the value only, and the derivative is that of the unclamped norm.
  /// - Parameters:
  ///   - x1: the first vectors.
  ///   - x2: the second vectors; the shapes broadcast.
  ///   - dim: the dim of the vectors (negative counts from the end of the broadcast shape).
  ///   - eps: the smallest norm.
  /// - Returns: the broadcast shape without `dim`.
  /// - Precondition: real floating operands of one dtype whose shapes broadcast; `dim` is a
  ///   dim of the broadcast shape.
  public static func cosineSimilarity(_ x1: Tensor, _ x2: Tensor, dim: Int = 1, eps: Double = 1e-8) -> Tensor {
    check(
      x1.dtype.isFloatingPoint && !x1.dtype.isComplex && x1.dtype == x2.dtype,
      "nn.functional.cosine_similarity: expected real floating operands of one dtype, got \(x1.dtype) \(x1.shape) and \(x2.dtype) \(x2.shape)")
    let shape = Shape.broadcast(x1.shape, x2.shape, op: "nn.functional.cosine_similarity")
    let d = Shape.normalize(dim, rank: shape.count, op: "nn.functional.cosine_similarity")
    let a = x1.expanded(to: shape), b = x2.expanded(to: shape)
    /// The norm with its value clamped to eps but the derivative of the norm.
    func clampedNorm(_ x: Tensor) -> Tensor {
      let n = x.vectorNorm(dims: [d], keepdim: true)
      return n + (n.detached.clamp(min: eps) - n.detached)
    }
    return ((a / clampedNorm(a)) * (b / clampedNorm(b))).sum(dim: d)
  }

  /// The p-norm of `x1 − x2 + eps` along the last dim, like
  /// `torch.nn.functional.pairwise_distance`: the distance between rows, with `eps` keeping
  /// the norm away from its kink at zero.
  ///
  /// Derivative: that of ``Tensor/vectorNorm(ord:dims:keepdim:)`` of the difference.
  /// - Parameters:
  ///   - x1: the first rows.
  ///   - x2: the second rows; the shapes broadcast.
  ///   - p: the exponent of the norm.
  ///   - eps: added to the difference.
  ///   - keepdim: whether the reduced dim is kept with size 1.
  /// - Returns: the broadcast shape without its last dim (or with size 1 there).
  /// - Precondition: floating operands whose shapes broadcast.
  public static func pairwiseDistance(_ x1: Tensor, _ x2: Tensor, p: Double = 2, eps: Double = 1e-6, keepdim: Bool = false) -> Tensor {
    check(
      x1.dtype.isFloatingPoint && x2.dtype.isFloatingPoint,
      "nn.functional.pairwise_distance: expected floating operands, got \(x1.dtype) \(x1.shape) and \(x2.dtype) \(x2.shape)")
    let diff = x1 - x2 + eps
    return diff.vectorNorm(ord: p, dims: [-1], keepdim: keepdim)
  }
}
