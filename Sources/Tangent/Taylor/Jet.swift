/// The Taylor coefficients of `f` along an input curve, by Taylor mode, like
/// `jax.experimental.jet`: K coefficients in one evaluation of `f`, for any K.
///
/// **Scaling convention: derivative-scaled, as JAX's `jet`.** The input curve is
///
///     x(t) = x + series[0]·t + series[1]·t²/2! + … + series[K−1]·t^K/K!
///
/// and the result's `series[k−1]` is the k-th derivative dᵏ/dtᵏ f(x(t)) at t = 0. For the
/// straight line x + t·v (`series = [v, 0, …, 0]`), it holds the directional derivatives
/// Df·v, D²f[v, v], …, Dᴷf[v, …, v]. (The op rules work with normalized coefficients
/// x⁽ᵏ⁾/k!; see ``TaylorSeries``.)
///
/// Each op pushes the whole series at once: linear ops apply to each coefficient, products
/// take the Cauchy convolution, and the common elementwise functions (exp, log, log1p,
/// expm1, sin, cos, tan, tanh, sinh, cosh, σ, log σ, softplus, SiLU, GELU, erf, erfc, sqrt,
/// rsqrt, square, reciprocal, pow with a constant exponent, division, relu, the inverse
/// trigonometric and hyperbolic functions) and the log-sum-exp, softmax and vector norms use
/// their recurrences, O(K²) elementwise products; piecewise-constant ops pass nothing on. Any other op takes the generic rule built from nested forward
/// mode, exact but about 2ᴷ times its JVP's cost. Jets compose with the other transforms: a
/// `jet` inside `gradient`, `jvp` or another `jet`, and transforms inside `f`.
///
/// - Parameters:
///   - f: the function; its input and output are tensors or ``TensorTree`` values.
///   - x: the point x(0).
///   - series: the input's derivatives x′(0), x″(0), …, x⁽ᴷ⁾(0), each of `x`'s structure and
///     shapes.
/// - Returns: f(x) and the output's derivatives dᵏ/dtᵏ f(x(t)) at t = 0 for k = 1…K, each of
///   the output's structure (zero for an output that does not depend on `x`).
/// - Precondition: each term of `series` has `x`'s structure and shapes; floating leaves.
/// - Complexity: O(K²) times the cost of `f` with the fast rules.
public func jet<In: TensorTree, Out: TensorTree>(
  of f: (In) throws -> Out, at x: In, series: [In]
) rethrows -> (value: Out, series: [Out]) {
  try forwardJet(of: f, at: x, series: series)
}

/// ``jet(of:at:series:)`` for a function of one tensor: a concrete entry point, specialised
/// for `Tensor`.
public func jet(
  of f: (Tensor) throws -> Tensor, at x: Tensor, series: [Tensor]
) rethrows -> (value: Tensor, series: [Tensor]) {
  try forwardJet(of: f, at: x, series: series)
}

/// The body of ``jet(of:at:series:)``: scales the derivatives to normalized coefficients, runs
/// `f` at a Taylor level, and scales back.
func forwardJet<In: TensorTree, Out: TensorTree>(
  of f: (In) throws -> Out, at x: In, series: [In]
) rethrows -> (value: Out, series: [Out]) {
  let order = series.count
  if order == 0 { return (try f(x), []) }
  let xs = x.leaves
  var factorial = 1.0
  var normalized: [[Tensor]] = []
  for (k, term) in series.enumerated() {
    let leaves = term.leaves
    check(leaves.count == xs.count, "jet: series[\(k)] has \(leaves.count) tensors, the point has \(xs.count)")
    for (p, c) in zip(xs, leaves) {
      check(c.shape == p.shape, "jet: series[\(k)] has a tensor of shape \(c.shape) for a point of shape \(p.shape)")
    }
    factorial *= Double(k + 1)
    normalized.append(leaves.map { $0 / factorial })
  }
  let (value, coefficients) = try taylorPass(
    of: f, at: x, coefficients: xs.indices.map { i in normalized.map { $0[i] } }, directions: nil)
  var scale = 1.0
  var out: [Out] = []
  for k in 1...order {
    scale *= Double(k)
    out.append(value.rebuilt(from: coefficients.map { $0[k - 1] * scale }))
  }
  return (value, out)
}

/// Runs `f` at a new Taylor level of kind `.jet`: each leaf of `x` carries the normalized
/// coefficients `coefficients[leaf]` (K of them, each of the leaf's shape, or `[d] + shape`
/// with `directions` d). Returns f(x) and, per output leaf, its K coefficients (zeros for an
/// output that does not depend on `x`).
func taylorPass<In: TensorTree, Out: TensorTree>(
  of f: (In) throws -> Out, at x: In, coefficients: [[Tensor]], directions: Int?
) rethrows -> (value: Out, coefficients: [[Tensor]]) {
  let order = coefficients.first?.count ?? 0
  let prefix = directions.map { [$0] } ?? []
  return try withDualLevel { level in
    try TaylorMode.withLevel(level, .jet(order: order, directions: directions)) {
      let duals = zip(x.leaves, coefficients).map { p, cs -> Tensor in
        check(p.dtype.isFloatingPoint, "jet: only floating tensors carry Taylor coefficients, got \(p.dtype)")
        let payload = Tensor.stack(cs.map { $0.dtype == p.dtype ? $0 : $0.converted(to: p.dtype) }, dim: 0)
        return p.attachingPayload(payload, at: level)
      }
      let y = try f(x.rebuilt(from: duals))
      var values: [Tensor] = [], outs: [[Tensor]] = []
      for leaf in y.leaves {
        let (p, payload) = leaf.unpacked(at: level)
        values.append(p)
        let full = payload ?? Tensor.zeros(like: p.detached, shape: [order] + prefix + p.shape)
        outs.append((0..<order).map { full.select(dim: 0, index: $0) })
      }
      return (y.rebuilt(from: values), outs)
    }
  }
}

extension Tensor {
  /// This tensor carrying `payload` as its tangent at `level`, the newest open level (a
  /// Taylor payload has more leading dims than ``dual(tangent:at:)`` accepts for a tangent).
  func attachingPayload(_ payload: Tensor, at level: DualLevel) -> Tensor {
    level.checkOpen("jet")
    let kept = levelTangents.filter { AutodiffContext.current.isOpen($0.level) }
    return replacingTangents(kept + [LevelTangent(level: level.id, value: payload)])
  }
}
