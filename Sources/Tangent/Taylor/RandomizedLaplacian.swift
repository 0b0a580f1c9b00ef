import RealModule

/// How ``randomizedLaplacian(of:at:samples:estimator:using:)`` draws its directions.
public enum LaplacianEstimator: Sendable, Hashable {
  /// Hutchinson's estimator with Rademacher directions (entries ±1): vᵀ∇²u·v, unbiased, with
  /// the smallest variance among directions of independent entries.
  case rademacher
  /// Hutchinson's estimator with standard Gaussian directions.
  case gaussian
  /// STDE-style random coordinates (Shi et al. 2024): d·∂²u/∂xⱼ² for coordinates j drawn
  /// without replacement, with the finite-population correction in the standard error (zero
  /// when all d are drawn). Suited to d in the thousands, where every sample costs one
  /// second-order jet.
  case coordinates
}

/// An unbiased random estimate of the Laplacian Δu = tr ∇²u at a batch of points, and its
/// standard error, from `samples` second-order jets pushed together (one evaluation of `u`
/// with `samples` directions).
///
/// Each point draws its own directions v₁ … v_S from `generator`, so a seeded generator gives
/// the same numbers on every run. The estimate is the mean of the S quadratic forms
/// qₛ = vₛᵀ∇²u·vₛ (for ``LaplacianEstimator/coordinates``, qₛ = d·∂²u/∂x_{jₛ}²), and its
/// standard error is the sample standard deviation of the qₛ over √S.
///
/// - Parameters:
///   - u: the function, from points `[B…, d]` to values where each depends on one point.
///   - x: the points, shape `[B…, d]`.
///   - samples: S ≥ 2 directions per point (at most d for ``LaplacianEstimator/coordinates``).
///   - estimator: how the directions are drawn.
///   - generator: the source of randomness.
/// - Returns: u(x), the estimates and their standard errors, both of `u(x)`'s shape.
/// - Precondition: `x` is real floating with rank ≥ 1; 2 ≤ `samples` (≤ d for coordinates).
/// - Complexity: one evaluation of `u` on second-order jets with S directions.
public func randomizedLaplacian<G: RandomNumberGenerator>(
  of u: (Tensor) throws -> Tensor, at x: Tensor, samples: Int, estimator: LaplacianEstimator = .rademacher,
  using generator: inout G
) rethrows -> (value: Tensor, estimate: Tensor, standardError: Tensor) {
  check(x.rank >= 1, "randomizedLaplacian: the points need shape [B…, d], got a 0-d tensor")
  check(x.dtype.isFloatingPoint && !x.dtype.isComplex, "randomizedLaplacian: the points must be real floating, got \(x.dtype)")
  let d = x.shape[x.rank - 1]
  check(samples >= 2, "randomizedLaplacian: at least 2 samples are needed for a standard error, got \(samples)")
  check(
    estimator != .coordinates || samples <= d,
    "randomizedLaplacian: \(samples) coordinate samples drawn without replacement exceed the dimension \(d)")
  let points = x.count / Swift.max(d, 1)
  var values = [Double](repeating: 0, count: samples * x.count)
  // values[s, point, i]: direction s of each point.
  for p in 0..<points {
    switch estimator {
    case .rademacher:
      for s in 0..<samples { for i in 0..<d { values[(s * points + p) * d + i] = Bool.random(using: &generator) ? 1 : -1 } }
    case .gaussian:
      for s in 0..<samples { for i in 0..<d { values[(s * points + p) * d + i] = standardNormal(using: &generator) } }
    case .coordinates:
      var order = Array(0..<d)
      for s in 0..<samples {
        let j = Int.random(in: s..<d, using: &generator)
        order.swapAt(s, j)
        values[(s * points + p) * d + order[s]] = 1
      }
    }
  }
  let directions = Tensor(shape: [samples] + x.shape, scalars: values).converted(to: x.dtype)
  let (value, coefficients) = try taylorPass(
    of: u, at: x, coefficients: [[directions, Tensor.zeros(like: directions)]], directions: samples)
  // The normalized second coefficient is ½·vᵀ∇²u·v.
  var forms = coefficients[0][1] * 2
  if estimator == .coordinates { forms = forms * Double(d) }
  let estimate = forms.mean(dims: [0])
  let deviation = forms - estimate
  let variance = (deviation * deviation).sum(dim: 0) / Double(samples - 1)
  var standardError = (variance / Double(samples)).sqrt()
  if estimator == .coordinates {
    standardError = standardError * (d > 1 ? Double.sqrt(Double(d - samples) / Double(d - 1)) : 0)
  }
  return (value, estimate, standardError)
}

/// A standard normal draw by the Box–Muller transform.
func standardNormal<G: RandomNumberGenerator>(using generator: inout G) -> Double {
  let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
  let u2 = Double.random(in: 0..<1, using: &generator)
  return Double.sqrt(-2 * Double.log(u1)) * Double.cos(2 * Double.pi * u2)
}
