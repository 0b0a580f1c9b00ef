import ComplexModule
import RealModule

/// How ``Tensor/quantile(_:dim:keepdim:interpolation:)-(Double,_,_,_)`` picks a value between
/// two neighbouring sorted values, like PyTorch's `interpolation`.
public enum QuantileInterpolation: String, Sendable {
  /// Linear interpolation between the neighbours.
  case linear
  /// The lower neighbour.
  case lower
  /// The higher neighbour.
  case higher
  /// The nearer neighbour (halves to even).
  case nearest
  /// The mean of the neighbours.
  case midpoint
}

extension Tensor {
  /// The q-th quantile along `dim` (of all elements when `nil`), like
  /// `torch.quantile(x, q, dim, keepdim, interpolation)`: NaN where a line has a NaN.
  ///
  /// Derivative: the values are gathered from the sorted input and interpolated with constant
  /// weights, so the gradient flows to the (one or two) selected elements.
  /// - Precondition: 0 ≤ q ≤ 1; the reduced dim is not empty; the tensor is real floating.
  /// - Complexity: O(n log n) per line of n elements (a sort).
  public func quantile(
    _ q: Double, dim: Int? = nil, keepdim: Bool = false, interpolation: QuantileInterpolation = .linear
  ) -> Tensor {
    quantiles([Tensor(shape: [], scalars: [q])], dim: dim, keepdim: keepdim, interpolation: interpolation, ignoringNaN: false)[0]
  }

  /// The quantiles at the values of `q` (0-d, or 1-d with the quantiles stacked in a new
  /// first dim), like `torch.quantile(x, q)` with a tensor `q`.
  ///
  /// Derivative: in `x` as ``quantile(_:dim:keepdim:interpolation:)-(Double,_,_,_)``. In `q`,
  /// as PyTorch: with linear interpolation the result is lo + (r − ⌊r⌋)·(hi − lo) at the rank
  /// r = q·(N − 1), so ∂/∂q = (hi − lo)·(N − 1) (N the line's length; zero on a line with NaN,
  /// whose rank is fixed); the other interpolations are piecewise constant in q (zero).
  /// - Precondition: `q` is 0-d or 1-d with values in [0, 1].
  public func quantile(
    _ q: Tensor, dim: Int? = nil, keepdim: Bool = false, interpolation: QuantileInterpolation = .linear
  ) -> Tensor {
    stackedQuantiles(q, dim: dim, keepdim: keepdim, interpolation: interpolation, ignoringNaN: false)
  }

  /// The q-th quantile along `dim` ignoring NaN, like `torch.nanquantile` (NaN where a line is
  /// all NaN).
  ///
  /// Derivative: as ``quantile(_:dim:keepdim:interpolation:)-(Double,_,_,_)``.
  public func nanquantile(
    _ q: Double, dim: Int? = nil, keepdim: Bool = false, interpolation: QuantileInterpolation = .linear
  ) -> Tensor {
    quantiles([Tensor(shape: [], scalars: [q])], dim: dim, keepdim: keepdim, interpolation: interpolation, ignoringNaN: true)[0]
  }

  /// The quantiles at the values of `q` ignoring NaN, like `torch.nanquantile` with a tensor `q`.
  ///
  /// Derivative: as ``quantile(_:dim:keepdim:interpolation:)-(Tensor,_,_,_)``, with N the
  /// number of non-NaN values of the line.
  public func nanquantile(
    _ q: Tensor, dim: Int? = nil, keepdim: Bool = false, interpolation: QuantileInterpolation = .linear
  ) -> Tensor {
    stackedQuantiles(q, dim: dim, keepdim: keepdim, interpolation: interpolation, ignoringNaN: true)
  }

  func stackedQuantiles(
    _ q: Tensor, dim: Int?, keepdim: Bool, interpolation: QuantileInterpolation, ignoringNaN: Bool
  ) -> Tensor {
    check(q.rank <= 1, "quantile: q must be 0-d or 1-d, got shape \(q.shape)")
    let qs = q.rank == 0 ? [q] : (0..<q.shape[0]).map { q.select(dim: 0, index: $0) }
    let parts = quantiles(qs, dim: dim, keepdim: keepdim, interpolation: interpolation, ignoringNaN: ignoringNaN)
    return q.rank == 0 ? parts[0] : Tensor.stack(parts, dim: 0)
  }

  /// One result per q: sorted values gathered at the ranks q·(N − 1) (N counting the non-NaN
  /// values when `ignoringNaN`; the last, NaN, rank for a line with NaN otherwise) and
  /// interpolated, as PyTorch computes them. Each q is a 0-d tensor; the rank is differentiable
  /// in it (the interpolation weight r − ⌊r⌋ carries q's tangent).
  func quantiles(
    _ qs: [Tensor], dim: Int?, keepdim: Bool, interpolation: QuantileInterpolation, ignoringNaN: Bool
  ) -> [Tensor] {
    let op = ignoringNaN ? "nanquantile" : "quantile"
    check(dtype == .float32 || dtype == .float64, "\(op): expected a real floating tensor, got \(dtype)")
    check(qs.allSatisfy { $0.rank == 0 && $0.dtype.isFloatingPoint }, "\(op): q must be a floating number or 0-d/1-d floating tensor")
    let qValues = qs.flatMap { $0.detached.valuesOfEveryMember.doubles }  // every vmap member's q
    check(qValues.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(op): q must be in [0, 1], got \(qValues)")
    let x: Tensor, d: Int
    if let dim {
      d = rank == 0 ? 0 : Shape.normalize(dim, rank: rank, op: op)
      x = rank == 0 ? reshaped([1]) : self
    } else {
      (x, d) = (reshaped([-1]), 0)
    }
    let n = x.shape[d]
    check(n > 0, "\(op): cannot reduce over an empty dimension (shape \(shape))")
    let sorted = x.sort(dim: d).values
    let nanCount = x.mask(.notEqual, x).maskValues(.float64).sum(dims: [d], keepdim: true)
    var outShape = x.shape
    outShape.remove(at: d)
    if keepdim { outShape = dim == nil ? [Int](repeating: 1, count: rank) : (rank == 0 ? [] : x.shape.enumerated().map { $0.offset == d ? 1 : $0.element }) }
    return qs.map { qTensor in
      let q = qTensor.converted(to: .float64)
      let rank: Tensor
      if ignoringNaN {
        rank = ((Double(n) - nanCount - 1) * q).clamp(min: 0)
      } else {
        rank = Tensor.where(nanCount.mask(.greater, 0), Double(n - 1), q * Double(n - 1))
      }
      var below = rank.floor(), above = rank.ceil()
      var weight = rank - below
      switch interpolation {
      case .linear: break
      case .lower: (above, weight) = (below, weight * 0)
      case .higher: (below, weight) = (above, weight * 0)
      case .nearest: (below, above, weight) = (rank.round(), rank.round(), weight * 0)
      case .midpoint: weight = weight * 0 + 0.5
      }
      let low = sorted.gathered(dim: d, indices: below.converted(to: .int64))
      let high = sorted.gathered(dim: d, indices: above.converted(to: .int64))
      return low.lerp(high, weight: weight.converted(to: dtype)).reshaped(outShape)
    }
  }
}
