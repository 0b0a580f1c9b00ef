/// How ``biharmonic(of:at:method:)`` organises its fourth-order Taylor pass. Both give Δ²u
/// exactly (to rounding) from the same d² directions.
public enum BiharmonicMethod: Sendable, Hashable {
  /// ``BiharmonicMethod/collapsed`` when it is faster: for d ≥ 2 (measured with `tangent bench laplacian`
  /// on a tanh MLP, d = 5: see the README's Taylor section); ``BiharmonicMethod/directions`` for d = 1,
  /// where collapsing saves nothing (one direction: four rows either way).
  case automatic
  /// d² fourth-order jets, each carrying its four Taylor coefficients through every op:
  /// payloads of 4·d² rows.
  case directions
  /// Collapsed Taylor mode (Dangel et al. 2025): each direction carries its first three
  /// coefficients and one row carries the weighted sum Σᵥ wᵥ·x₄⁽ᵛ⁾ of the fourth, which is
  /// all Δ²u reads: payloads of 3·d² + 1 rows, and linear ops take the whole payload in one
  /// call.
  case collapsed
}

/// The biharmonic operator Δ²u = Σᵢⱼ ∂⁴u/∂xᵢ²∂xⱼ² at a batch of points, by fourth-order Taylor
/// mode along d² directions at once (jets that share the primal, not nested Hessians),
/// collapsed by default: the fourth coefficients are carried only as their weighted sum.
///
/// **Derivation.** With T the fourth-derivative tensor of u and D⁴u[v] = Σ T_abcd·v_a·v_b·v_c·v_d
/// the fourth directional derivative, the odd mixed terms cancel between eᵢ + eⱼ and eᵢ − eⱼ:
///
///     D⁴u[eᵢ + eⱼ] + D⁴u[eᵢ − eⱼ] = 2·T_iiii + 12·T_iijj + 2·T_jjjj.
///
/// Since Δ²u = Σᵢ T_iiii + 2·Σ_{i<j} T_iijj and each T_iiii = D⁴u[eᵢ] appears in d − 1 pairs,
///
///     Δ²u = (1 − (d − 1)/3)·Σᵢ D⁴u[eᵢ] + (1/6)·Σ_{i<j} (D⁴u[eᵢ + eⱼ] + D⁴u[eᵢ − eⱼ]),
///
/// an exact fixed combination of d + d(d − 1) = d² fourth directional derivatives. One Taylor
/// pass of order 4 carries the d² directions as one direction dim (each op's rule runs once,
/// d² wide); the fourth normalized coefficient of direction v is D⁴u[v]/4!. Every op's fourth
/// output coefficient is J·x₄ plus terms in the lower coefficients of the same direction, so
/// the collapsed pass carries only Σᵥ wᵥ·x₄⁽ᵛ⁾ (``BiharmonicMethod/collapsed``).
///
/// - Parameters:
///   - u: the function, from points of shape `[B…, d]` to values of any shape (usually `[B…]`),
///     where each value depends on one point only (a batch of independent evaluations).
///   - x: the points, shape `[B…, d]` (just `[d]` for one point).
///   - method: how the pass is organised (default: ``BiharmonicMethod/automatic``).
/// - Returns: u(x) and Δ²u of `u(x)`'s shape.
/// - Precondition: `x` is floating with rank ≥ 1.
/// - Complexity: one evaluation of `u` at a fourth-order Taylor level with d² directions:
///   about 16·d² times an elementwise op's cost for the recurrences (O(K²) with K = 4), and
///   d² times 2⁴ JVPs for an op that takes the generic rule. A linear op (a matmul) costs
///   3·d² + 1 times its primal collapsed, 4·d² otherwise; memory grows likewise.
public func biharmonic(
  of u: (Tensor) throws -> Tensor, at x: Tensor, method: BiharmonicMethod = .automatic
) rethrows -> (value: Tensor, biharmonic: Tensor) {
  check(x.rank >= 1, "biharmonic: the points need shape [B…, d], got a 0-d tensor")
  check(x.dtype.isFloatingPoint, "biharmonic: the points must be floating, got \(x.dtype)")
  let d = x.shape[x.rank - 1]
  check(d >= 1, "biharmonic: the points have no coordinates (shape \(x.shape))")
  var rows: [Double] = [], weights: [Double] = []
  func direction(_ entries: [(Int, Double)], weight: Double) {
    var row = [Double](repeating: 0, count: d)
    for (i, v) in entries { row[i] = v }
    rows += row
    weights.append(weight)
  }
  for i in 0..<d { direction([(i, 1)], weight: 1 - Double(d - 1) / 3) }
  for i in 0..<d {
    for j in (i + 1)..<max(i + 1, d) {
      direction([(i, 1), (j, 1)], weight: 1.0 / 6)
      direction([(i, 1), (j, -1)], weight: 1.0 / 6)
    }
  }
  let n = weights.count
  let v = Tensor(shape: [n, d], scalars: rows).converted(to: x.dtype)
    .reshaped([n] + Array(repeating: 1, count: x.rank - 1) + [d]).expanded(to: [n] + x.shape).contiguousCopy()
  if method == .collapsed || (method == .automatic && d >= 2) {
    return try collapsedBiharmonic(of: u, at: x, directions: v, weights: weights)
  }
  let zero = Tensor.zeros(like: v)
  let (value, coefficients) = try taylorPass(of: u, at: x, coefficients: [[v, zero, zero, zero]], directions: n)
  let fourth = coefficients[0][3]  // [n] + value.shape: D⁴u[v]/4!
  let w = Tensor(shape: [n], scalars: weights.map { $0 * 24 }).converted(to: fourth.dtype)
    .reshaped([n] + Array(repeating: 1, count: value.rank))
  return (value, (fourth * w).sum(dim: 0))
}

/// Δ²u by one collapsed fourth-order pass: payload `[3n + 1] + x.shape` (the n directions, two
/// zero coefficient blocks, and the zero weighted sum of the fourth coefficients); the last
/// row of the output's payload is Σᵥ wᵥ·D⁴u[v]/4!.
func collapsedBiharmonic(
  of u: (Tensor) throws -> Tensor, at x: Tensor, directions v: Tensor, weights: [Double]
) rethrows -> (value: Tensor, biharmonic: Tensor) {
  let n = weights.count
  return try withDualLevel { level in
    try TaylorMode.withLevel(level, .collapsedJet(order: 4, weights: weights)) {
      let zeros = Tensor.zeros(like: x.detached, shape: [2 * n + 1] + x.shape)
      let payload = Tensor.cat([v, zeros], dim: 0)
      let y = try u(x.attachingPayload(payload, at: level))
      let (value, p) = y.unpacked(at: level)
      guard let p else { return (value, Tensor.zeros(like: value.detached)) }
      return (value, p.select(dim: 0, index: 3 * n) * 24)
    }
  }
}
