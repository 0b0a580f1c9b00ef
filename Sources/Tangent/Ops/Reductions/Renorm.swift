import ComplexModule
import RealModule

// Distances and norm-limited rescaling, built on the vector norm.

extension Tensor {
  /// The p-norm of `self − other` over every element, like `torch.dist(x, other, p)`.
  ///
  /// Derivative: that of ``vectorNorm(ord:dims:keepdim:)`` of the difference.
  /// - Precondition: the shapes broadcast.
  public func dist(_ other: Tensor, p: Double = 2) -> Tensor { (self - other).vectorNorm(ord: p) }

  /// Each slice along `dim` whose p-norm exceeds `maxnorm` rescaled to norm `maxnorm` (by
  /// maxnorm/(norm + 10⁻⁷), as PyTorch), the others unchanged, like
  /// `torch.renorm(x, p, dim, maxnorm)`.
  ///
  /// Derivative: that of x·maxnorm/(‖x‖ + 10⁻⁷) on the rescaled slices (the norm included),
  /// the identity on the others.
  /// - Precondition: p > 0; maxnorm ≥ 0; `dim` is in range; the tensor is floating.
  public func renorm(p: Double, dim: Int, maxnorm: Double) -> Tensor {
    check(p > 0, "renorm: p must be positive, got \(p)")
    check(maxnorm >= 0, "renorm: maxnorm must be non-negative, got \(maxnorm)")
    check(rank > 0, "renorm: expected at least a 1-d tensor")
    let d = Shape.normalize(dim, rank: rank, op: "renorm")
    let norm = vectorNorm(ord: p, dims: (0..<rank).filter { $0 != d }, keepdim: true)
    let big = norm.mask(.greater, maxnorm)
    let factor = (maxnorm / (norm + 1e-7)).keeping(big) + big.maskNot.maskValues(norm.dtype)
    return self * factor
  }
}
