import ComplexModule
import RealModule

// Differences, integrals by the trapezoidal rule, and the trace: linear maps built from
// slices, sums and differences.

extension Tensor {
  /// The integral of the samples along `dim` by the trapezoidal rule with spacing `dx`, like
  /// `torch.trapezoid(y, dx=dx, dim=dim)`.
  ///
  /// Derivative: linear, dx·(Σ y − (y₀ + yₙ₋₁)/2).
  /// - Precondition: `dim` is in range.
  public func trapezoid(dx: Double = 1, dim: Int = -1) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, op: "trapezoid")
    let n = shape[d]
    if n == 0 { return sum(dim: d) }
    let ends = select(dim: d, index: 0) + select(dim: d, index: n - 1)
    return (sum(dim: d) - ends * 0.5) * dx
  }

  /// The integral of the samples along `dim` by the trapezoidal rule at the points `x` (1-d
  /// along `dim`, or of the samples' shape), like `torch.trapezoid(y, x, dim=dim)`.
  ///
  /// Derivative: Σ (xᵢ₊₁ − xᵢ)(yᵢ + yᵢ₊₁)/2, bilinear in the differences and the samples.
  /// - Precondition: `dim` is in range; `x` fits the samples.
  public func trapezoid(x: Tensor, dim: Int = -1) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, op: "trapezoid")
    return trapezoidTerms(x: x, dim: d).sum(dim: d)
  }

  /// The running integral by the trapezoidal rule with spacing `dx` along `dim` (one element
  /// fewer), like `torch.cumulative_trapezoid(y, dx=dx, dim=dim)`.
  ///
  /// Derivative: linear, the running sum of dx·(yᵢ + yᵢ₊₁)/2.
  /// - Precondition: `dim` is in range.
  public func cumulativeTrapezoid(dx: Double = 1, dim: Int = -1) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, op: "cumulativeTrapezoid")
    let n = shape[d]
    if n == 0 { return self }
    let pairs = narrowed(dim: d, start: 1, length: n - 1) + narrowed(dim: d, start: 0, length: n - 1)
    return (pairs * (dx / 2)).cumsum(dim: d)
  }

  /// The running integral by the trapezoidal rule at the points `x`, like
  /// `torch.cumulative_trapezoid(y, x, dim=dim)`.
  ///
  /// Derivative: the running sum of (xᵢ₊₁ − xᵢ)(yᵢ + yᵢ₊₁)/2.
  /// - Precondition: `dim` is in range; `x` fits the samples.
  public func cumulativeTrapezoid(x: Tensor, dim: Int = -1) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, op: "cumulativeTrapezoid")
    return trapezoidTerms(x: x, dim: d).cumsum(dim: d)
  }

  /// (xᵢ₊₁ − xᵢ)(yᵢ + yᵢ₊₁)/2 along `d` (non-negative); a 1-d `x` runs along `d`.
  func trapezoidTerms(x: Tensor, dim d: Int) -> Tensor {
    let n = shape[d]
    var points = x
    if x.rank == 1 && rank > 1 {
      var s = [Int](repeating: 1, count: rank)
      s[d] = x.shape[0]
      points = x.reshaped(s)
    }
    let pd = points.rank == rank ? d : d - (rank - points.rank)
    check(pd >= 0 && points.shape[pd] == n, "trapezoid: x of shape \(x.shape) does not fit samples of shape \(shape) along dim \(d)")
    if n == 0 { return self }
    let spacing = points.diff(dim: pd)
    let pairs = narrowed(dim: d, start: 1, length: n - 1) + narrowed(dim: d, start: 0, length: n - 1)
    return spacing * pairs * 0.5
  }
}
