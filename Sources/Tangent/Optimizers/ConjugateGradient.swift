/// The conjugate-gradient method for A x = b with a symmetric A known only through products
/// A·v (Hestenes and Stiefel 1952), started from x = 0: the inner solver of ``NewtonCG`` and
/// ``LevenbergMarquardt``.
struct ConjugateGradient {
  /// Stop when ‖b − A x‖ ≤ this.
  var tolerance: Double
  /// The most products A·v.
  var maxIterations: Int

  /// The outcome: the iterate, the products used, and the curvature dᵀA d ≤ 0 of the
  /// direction that stopped the iteration, if one did (A is not positive definite there).
  struct Solution {
    var x: LeafVector
    var iterations: Int
    var nonpositiveCurvature: Double?
  }

  func solve(_ b: LeafVector, applying apply: (LeafVector) throws -> LeafVector) rethrows -> Solution {
    var x = b.zeros
    var r = b
    var d = b
    var rr = r.dot(r)
    var iterations = 0
    while iterations < maxIterations && rr.squareRoot() > tolerance {
      let ad = try apply(d)
      iterations += 1
      let curvature = d.dot(ad)
      if !(curvature > 0) { return Solution(x: x, iterations: iterations, nonpositiveCurvature: curvature) }
      let alpha = rr / curvature
      x = x.adding(d, scaledBy: alpha)
      r = r.adding(ad, scaledBy: -alpha)
      let rrNext = r.dot(r)
      d = r.adding(d, scaledBy: rrNext / rr)
      rr = rrNext
    }
    return Solution(x: x, iterations: iterations, nonpositiveCurvature: nil)
  }
}
