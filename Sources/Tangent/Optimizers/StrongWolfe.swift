/// A line search for the strong Wolfe conditions, as `torch.optim.LBFGS` uses with
/// `line_search_fn="strong_wolfe"` (Nocedal and Wright, *Numerical Optimization*, 2nd ed.,
/// algorithms 3.5 and 3.6, with cubic interpolation).
///
/// Along a descent direction d from θ, with φ(t) = f(θ + t d), it finds a step t with
///
///     φ(t) ≤ φ(0) + c₁ t φ′(0)          (sufficient decrease)
///     |φ′(t)| ≤ c₂ |φ′(0)|             (curvature)
///
/// by extrapolating until a step brackets such a point, then shrinking the bracket (the
/// "zoom"). Every trial evaluates f and its gradient.
public struct StrongWolfe: Sendable {
  /// The sufficient-decrease constant c₁; default 1e-4.
  public var sufficientDecrease: Double
  /// The curvature constant c₂; default 0.9 (c₁ < c₂ < 1).
  public var curvature: Double
  /// The most trials per search; default 25 (PyTorch's `max_ls`).
  public var maxEvaluations: Int

  /// Creates the line search with PyTorch's constants.
  ///
  /// - Precondition: 0 < `sufficientDecrease` < `curvature` < 1 and `maxEvaluations` ≥ 1.
  public init(sufficientDecrease: Double = 1e-4, curvature: Double = 0.9, maxEvaluations: Int = 25) {
    self.sufficientDecrease = sufficientDecrease
    self.curvature = curvature
    self.maxEvaluations = maxEvaluations
  }

  /// Checks the constants for the minimizer named `op`.
  func validate(_ op: String) {
    check(
      sufficientDecrease > 0 && sufficientDecrease < curvature && curvature < 1,
      "\(op): the strong Wolfe constants need 0 < sufficientDecrease < curvature < 1, got \(sufficientDecrease) and \(curvature)")
    check(maxEvaluations >= 1, "\(op): the line search needs maxEvaluations >= 1, got \(maxEvaluations)")
  }

  /// Searches along a direction whose largest absolute element is `directionMaxAbs`, from
  /// `start` (t = 0, with φ′(0) < 0), first trying `initialStep`. Stops shrinking a bracket
  /// narrower than `tolerance` in parameter units.
  ///
  /// With `singlePrecision` (a float32 objective), the sufficient-decrease bound
  /// φ(0) + c₁ t φ′(0) is rounded to float32 before the comparison, as PyTorch computes it
  /// (a Python float plus a float32 tensor): a trial whose value ties φ(0) within float32's
  /// resolution passes, where a bound kept in float64 would reject it (and, at a float32
  /// optimum, every trial after it).
  ///
  /// - Returns: the accepted point (t = 0, the start itself, when no trial decreased f) and
  ///   the number of trials.
  func search(
    from start: LinePoint, initialStep: Double, directionMaxAbs: Double, tolerance: Double, singlePrecision: Bool = false,
    evaluate: (Double) throws -> LinePoint
  ) rethrows -> (point: LinePoint, evaluations: Int) {
    let c1 = sufficientDecrease, c2 = curvature
    func armijoFails(_ p: LinePoint, comparedWith previous: LinePoint?) -> Bool {
      var bound = start.value + c1 * p.t * start.slope
      if singlePrecision { bound = Double(Float(start.value) + Float(c1 * p.t * start.slope)) }
      return !p.value.isFinite || !p.slope.isFinite || p.value > bound || (previous.map { p.value >= $0.value } ?? false)
    }
    var previous = start
    var current = try evaluate(initialStep)
    var evaluations = 1
    var lo: LinePoint, hi: LinePoint
    // Bracketing: extrapolate until a trial fails sufficient decrease or turns uphill.
    while true {
      if armijoFails(current, comparedWith: evaluations > 1 ? previous : nil) {
        (lo, hi) = (previous, current)
        break
      }
      if Swift.abs(current.slope) <= -c2 * start.slope { return (current, evaluations) }
      if current.slope >= 0 {
        (lo, hi) = (current, previous)
        break
      }
      if evaluations >= maxEvaluations { return (current, evaluations) }
      let minStep = current.t + 0.01 * (current.t - previous.t), maxStep = current.t * 10
      let next = LinePoint.cubicMinimizer(previous, current, in: minStep...maxStep)
      previous = current
      current = try evaluate(next)
      evaluations += 1
    }
    // Zoom: shrink [lo, hi] keeping lo the best point that satisfies sufficient decrease.
    while evaluations < maxEvaluations {
      let a = Swift.min(lo.t, hi.t), b = Swift.max(lo.t, hi.t)
      if (b - a) * directionMaxAbs < tolerance { break }
      var t = LinePoint.cubicMinimizer(lo, hi, in: a...b)
      // Keep away from the ends, where interpolation makes little progress: bisect instead.
      if !(t - a >= 0.1 * (b - a) && b - t >= 0.1 * (b - a)) { t = (a + b) / 2 }
      let p = try evaluate(t)
      evaluations += 1
      if armijoFails(p, comparedWith: lo) {
        hi = p
      } else {
        if Swift.abs(p.slope) <= -c2 * start.slope { return (p, evaluations) }
        if p.slope * (hi.t - lo.t) >= 0 { hi = lo }
        lo = p
      }
    }
    return (lo, evaluations)
  }
}

/// A trial of a line search: the step t, the objective and gradient at θ + t d, and the slope
/// φ′(t) = ∇f(θ + t d) · d.
struct LinePoint {
  var t: Double
  var value: Double
  var gradient: LeafVector
  var slope: Double

  /// The minimizer of the cubic through two points' values and slopes, clamped to `bounds`
  /// (the midpoint of `bounds` when the cubic has no minimizer or the data are not finite).
  static func cubicMinimizer(_ p: LinePoint, _ q: LinePoint, in bounds: ClosedRange<Double>) -> Double {
    let mid = (bounds.lowerBound + bounds.upperBound) / 2
    let d1 = p.slope + q.slope - 3 * (p.value - q.value) / (p.t - q.t)
    let square = d1 * d1 - p.slope * q.slope
    guard square >= 0 else { return mid }
    let d2 = square.squareRoot()
    let x = p.t <= q.t
      ? q.t - (q.t - p.t) * ((q.slope + d2 - d1) / (q.slope - p.slope + 2 * d2))
      : p.t - (p.t - q.t) * ((p.slope + d2 - d1) / (p.slope - q.slope + 2 * d2))
    guard x.isFinite else { return mid }
    return Swift.min(Swift.max(x, bounds.lowerBound), bounds.upperBound)
  }
}
