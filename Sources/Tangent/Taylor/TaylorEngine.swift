import ComplexModule
import RealModule
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Taylor mode in the engine.
//
// A jet is carried like a dual level: `jet` opens a dual level and registers it here as a
// *Taylor level*. A tensor in the jet carries, as its tangent at that level, one payload
// tensor that packs its Taylor coefficients (see `TaylorLevelKind`). Everything the engine
// does with levels (nesting with other levels, leak checks, the tape, canonical form) holds
// unchanged; only `Autodiff.forwardLevel` asks, for each level, whether it is a Taylor level,
// and then hands the op to `forwardTaylor` instead of its JVP rule. The question costs one
// relaxed atomic load while no Taylor level is open anywhere.

/// How a Taylor level packs the coefficients of a tensor of shape `s` into one payload tensor.
enum TaylorLevelKind: Sendable, Equatable {
  /// K normalized coefficients, payload `[K] + s`, or `[K, d] + s` with `directions` d
  /// (d series that share the primal).
  case jet(order: Int, directions: Int?)
  /// Collapsed second order (the Forward Laplacian): d first-order coefficients and their
  /// summed second-order coefficient, payload `[d + 1] + s` (rows 0..<d: x₁ of each
  /// direction; row d: Σ_j x₂⁽ʲ⁾).
  case collapsed(directions: Int)
  /// Collapsed order K along n directions with fixed weights w (collapsed Taylor mode of
  /// Dangel et al. 2025): the first K − 1 coefficients of each direction and one row for the
  /// weighted sum Σᵥ wᵥ·x_K⁽ᵛ⁾ of the K-th, payload `[(K − 1)·n + 1] + s` (rows k·n..<(k+1)·n:
  /// coefficient k + 1 of each direction; the last row: the weighted sum).
  ///
  /// Every rule's K-th coefficient is J·x_K plus terms in the lower coefficients of the same
  /// direction (J the op's Jacobian at the point, the same for all directions), so the weighted
  /// sum of the outputs' K-th coefficients needs only the weighted sum of the inputs'.
  case collapsedJet(order: Int, weights: [Double])

  /// The leading dims of a payload.
  var payloadPrefix: [Int] {
    switch self {
    case let .jet(order, directions): return [order] + (directions.map { [$0] } ?? [])
    case let .collapsed(d): return [d + 1]
    case let .collapsedJet(order, weights): return [(order - 1) * weights.count + 1]
    }
  }

  /// The payload's one leading dim, when it has one (a jet without directions, or a collapsed
  /// pass), so that a linear op can take the payload as a chunked tangent.
  var singleLeadingDim: Int? {
    switch self {
    case let .jet(order, directions): return directions == nil ? order : nil
    case let .collapsed(d): return d + 1
    case let .collapsedJet(order, weights): return (order - 1) * weights.count + 1
    }
  }

  /// The series a rule sees for a payload.
  func series(of payload: Tensor, primal: Tensor, op: String) -> TaylorSeries {
    check(
      payload.shape == payloadPrefix + primal.shape,
      "\(op): a Taylor payload of shape \(payload.shape) does not fit a primal of shape \(primal.shape) (expected \(payloadPrefix + primal.shape))")
    switch self {
    case let .jet(order, _):
      return TaylorSeries((0..<order).map { payload.select(dim: 0, index: $0) })
    case let .collapsed(d):
      let first = payload.narrowed(dim: 0, start: 0, length: d)
      // Each of the d directions gets an equal share of the summed second-order coefficient,
      // so that the rule's second coefficient, summed over the directions, is exact: it is
      // linear in x₂ (y₂ = f′·x₂ + ½f″[x₁, x₁]).
      return TaylorSeries([first, payload.select(dim: 0, index: d) / Double(d)])
    case let .collapsedJet(order, weights):
      // The lower coefficients per direction; the K-th as the share S·aᵥ of the weighted sum S,
      // with Σᵥ wᵥ·aᵥ = 1 so that the rule's K-th coefficients, weighted and summed, are exact
      // (they are linear in x_K with a coefficient that is the same for every direction).
      let n = weights.count
      let lower = (0..<(order - 1)).map { payload.narrowed(dim: 0, start: $0 * n, length: n) }
      let summed = payload.select(dim: 0, index: (order - 1) * n)
      return TaylorSeries(lower + [Self.share(summed, weights: weights)])
    }
  }

  /// The payload of an output of shape `shape` from a rule's series.
  func payload(of s: TaylorSeries, shape: [Int], dtype: DType, op: String) -> Tensor {
    func fitted(_ c: Tensor, _ target: [Int]) -> Tensor {
      Autodiff.fitTaylorCoefficient(c, to: target, dtype: dtype, op: op)
    }
    switch self {
    case let .jet(order, directions):
      check(s.order == order, "\(op): the Taylor rule gave \(s.order) coefficients for a jet of order \(order)")
      let target = (directions.map { [$0] } ?? []) + shape
      return Tensor.stack(s.coefficients.map { fitted($0, target) }, dim: 0)
    case let .collapsed(d):
      check(s.order == 2, "\(op): the Taylor rule gave \(s.order) coefficients for a collapsed second-order pass")
      let first = fitted(s[1], [d] + shape)
      // The second coefficient of each direction, summed: a rule whose second coefficient has
      // no direction dim gave the same value (its share) for all d.
      let c = s[2]
      let summed = c.rank > shape.count ? fitted(c, [d] + shape).sum(dim: 0) : fitted(c, shape) * Double(d)
      return Tensor.cat([first, summed.unsqueezed(dim: 0)], dim: 0)
    case let .collapsedJet(order, weights):
      check(s.order == order, "\(op): the Taylor rule gave \(s.order) coefficients for a collapsed jet of order \(order)")
      let n = weights.count
      let lower = (1..<order).map { fitted(s[$0], [n] + shape) }
      let c = s[order]
      let summed: Tensor
      if c.rank > shape.count {
        let w = Tensor(shape: [n], scalars: weights).converted(to: dtype).reshaped([n] + Array(repeating: 1, count: shape.count))
        summed = (fitted(c, [n] + shape) * w).sum(dim: 0)
      } else {
        // The same K-th coefficient for every direction: Σᵥ wᵥ·c = c·Σᵥ wᵥ.
        summed = fitted(c, shape) * weights.reduce(0, +)
      }
      return Tensor.cat(lower + [summed.unsqueezed(dim: 0)], dim: 0)
    }
  }

  /// The K-th coefficients S·aᵥ a collapsed jet hands each direction, for the weighted sum S
  /// over the directions: aᵥ = 1/Σw (the same share, no direction dim) when Σw ≠ 0, else
  /// aᵥ = wᵥ/Σw² (a direction dim). Either way Σᵥ wᵥ·(S·aᵥ) = S.
  static func share(_ summed: Tensor, weights: [Double]) -> Tensor {
    let total = weights.reduce(0, +)
    if Swift.abs(total) > 1e-8 * weights.map({ Swift.abs($0) }).reduce(0, +) { return summed / total }
    let squares = weights.map { $0 * $0 }.reduce(0, +)
    let a = Tensor(shape: [weights.count], scalars: weights.map { $0 / squares }).converted(to: summed.dtype)
    return summed.unsqueezed(dim: 0) * a.reshaped([weights.count] + Array(repeating: 1, count: summed.rank))
  }
}

/// A bilinear op: linear in each operand when the other is constant, so Taylor mode pushes
/// the payload of a single varying operand through the JVP rule in one call.
protocol TaylorBilinearOp: DifferentiableOp {}

extension MultiplyOp: TaylorBilinearOp {}
extension MatmulOp: TaylorBilinearOp {}

/// The Taylor levels open in the current task.
enum TaylorMode {
  /// How many Taylor levels are open in all tasks: while zero, no level is a Taylor level
  /// and the engine's question is one atomic load.
  static let openCount = Atomic<Int>(0)

  /// The Taylor levels of the current task, by dual level id.
  @TaskLocal static var levels: [Int: TaylorLevelKind] = [:]

  /// The kind of Taylor level `level` is, or `nil` for an ordinary dual level.
  @inline(__always) static func kind(ofLevel level: Int) -> TaylorLevelKind? {
    if openCount.load(ordering: .relaxed) == 0 { return nil }
    return levels[level]
  }

  /// Runs `body` with dual level `level` registered as a Taylor level of `kind`.
  static func withLevel<R>(_ level: DualLevel, _ kind: TaylorLevelKind, _ body: () throws -> R) rethrows -> R {
    openCount.wrappingAdd(1, ordering: .relaxed)
    defer { openCount.wrappingSubtract(1, ordering: .relaxed) }
    var levels = self.levels
    levels[level.id] = kind
    return try $levels.withValue(levels, operation: body)
  }

  /// Whether the collapsed pass runs an elementwise op's d-wide steps as one fused pass
  /// (``CollapsedUnaryOp``): yes, unless a benchmark turned it off through
  /// ``BenchmarkSettings/taylorFusesElementwise`` to time the tensor-op form in the same binary.
  static var fusesCollapsedElementwise: Bool { fusedElementwise.load(ordering: .relaxed) }

  /// The value behind ``fusesCollapsedElementwise``.
  static let fusedElementwise = Atomic<Bool>(true)

  /// Where ops that fell back to the generic rule are noted, when a caller asks (tests).
  @TaskLocal static var fallbackLog: FallbackLog? = nil

  /// The names of the ops that used the generic Taylor rule.
  final class FallbackLog: @unchecked Sendable {
    private let lock = Mutex<Set<String>>([])
    func note(_ name: String) { lock.withLock { _ = $0.insert(name) } }
    var names: Set<String> { lock.withLock { $0 } }
  }

  /// Runs `body` and returns, with its result, the names of the ops that used the generic
  /// (nested forward-mode) Taylor rule in it.
  static func recordingFallbacks<R>(_ body: () throws -> R) rethrows -> (R, Set<String>) {
    let log = FallbackLog()
    let r = try $fallbackLog.withValue(log, operation: body)
    return (r, log.names)
  }
}

extension Autodiff {
  /// One Taylor level's pass through an op: the op's Taylor rule, or the generic rule when it
  /// has none, and the outputs' payloads attached at `level`. Called by ``forwardLevel(_:primals:tangents:outputs:level:)``
  /// for a level registered in ``TaylorMode``.
  static func forwardTaylor<Op: DifferentiableOp>(
    _ op: Op, primals: [Tensor], payloads: [Tensor?], outputs: [Tensor]?, level: Int, kind: TaylorLevelKind
  ) -> (outputs: [Tensor], chunk: Int?) {
    if let reason = op.unsupportedModes[.forward] { unsupportedDerivative(op.name, .forward, reason: reason) }
    var ys = outputs ?? op.primal(primals)
    guard payloads.contains(where: { $0 != nil }) else { return (ys, nil) }
    if let width = kind.singleLeadingDim, isLinear(op, in: payloads) {
      // The op is linear in the inputs that carry coefficients: its JVP rule takes the whole
      // payload as one chunked tangent (each row of a collapsed payload, the summed one too,
      // maps linearly), with no split and no restacking.
      for (x, p) in zip(primals, payloads) { if let p { _ = kind.series(of: p, primal: x, op: op.name) } }
      let dys = op.jvp(inputs: primals, outputs: ys, tangents: payloads)
      check(dys.count == ys.count, "\(op.name): the JVP returned \(dys.count) tangents for \(ys.count) outputs")
      for i in ys.indices {
        guard let t = dys[i], ys[i].dtype.isFloatingPoint else { continue }
        let p = fitTangent(t, to: [width] + ys[i].shape, dtype: ys[i].dtype, op: op.name, chunk: width)
        ys[i] = ys[i].addingTangent(LevelTangent(level: level, value: p))
      }
      return (ys, nil)
    }
    if case let .collapsed(d) = kind, let elementwise = op as? any ElementwiseOp, let payload = payloads[0] {
      _ = kind.series(of: payload, primal: primals[0], op: op.name)  // the shape check
      if let p = collapsedElementwise(elementwise, x: primals[0], y: ys[0], payload: payload, directions: d) {
        ys[0] = ys[0].addingTangent(LevelTangent(level: level, value: p))
      }
      return (ys, nil)
    }
    let series = zip(primals, payloads).map { x, p in p.map { kind.series(of: $0, primal: x, op: op.name) } }
    let rule = op.taylor(inputs: primals, outputs: ys, series: series)
    if rule == nil { TaylorMode.fallbackLog?.note(op.name) }
    let out = rule ?? genericTaylor(op, inputs: primals, series: series, outputCount: ys.count)
    check(out.count == ys.count, "\(op.name): the Taylor rule returned \(out.count) series for \(ys.count) outputs")
    for i in ys.indices {
      guard let s = out[i], ys[i].dtype.isFloatingPoint else { continue }
      let payload = kind.payload(of: s, shape: ys[i].shape, dtype: ys[i].dtype, op: op.name)
      ys[i] = ys[i].addingTangent(LevelTangent(level: level, value: payload))
    }
    return (ys, nil)
  }

  /// Whether `op` is linear in the inputs that carry coefficients (the others constant): a
  /// ``LinearOp``, an op whose reverse rule reads nothing (``DifferentiableOp/vjpReads`` empty,
  /// so its Jacobian is constant), or a bilinear op with one operand constant.
  static func isLinear<Op: DifferentiableOp>(_ op: Op, in payloads: [Tensor?]) -> Bool {
    if op is any LinearOp || op.vjpReads.isEmpty { return true }
    return op is any TaylorBilinearOp && payloads.lazy.filter { $0 != nil }.count == 1
  }

  /// The collapsed second-order payload of a unary elementwise op, from f′ and ½f″ alone.
  ///
  /// For y = f(x) elementwise, each direction's second coefficient is y₂ = f′·x₂ + ½f″·x₁², so
  /// the sum over the d directions is s_y = f′·s_x + ½f″·Σⱼ x₁ⱼ², and y₁ⱼ = f′·x₁ⱼ. The op's
  /// Taylor rule (or the generic rule) runs once, without directions, on the probe series
  /// x₁ = 1, x₂ = 0, which gives f′ and ½f″ as its two coefficients; the d-wide work is then
  /// three passes (x₁·f′, x₁², their sum), not the rule's recurrence at width d.
  ///
  /// The d-wide passes run fused (``CollapsedUnaryOp``: one read of the payload, one write)
  /// for real payloads whose values carry no tangents of other levels; nested levels (a
  /// Laplacian of a Laplacian, a Hessian of a Laplacian) take the unfused form below.
  static func collapsedElementwise<E: ElementwiseOp>(_ op: E, x: Tensor, y: Tensor, payload: Tensor, directions d: Int) -> Tensor? {
    var slope: Tensor, half: Tensor
    if op is TanhOp {
      // tanh′ = 1 − y², ½tanh″ = −y·(1 − y²): no probe series needed.
      slope = 1 - y * y
      half = -(y * slope)
    } else {
      let probe = TaylorSeries([Tensor.ones(like: x.detached), Tensor.zeros(like: x.detached)])
      let rule = op.taylor(inputs: [x], outputs: [y], series: [probe])
      if rule == nil { TaylorMode.fallbackLog?.note(op.name) }
      guard let out = (rule ?? genericTaylor(op, inputs: [x], series: [probe], outputCount: 1))[0] else { return nil }
      slope = out[1]
      half = out[2]
    }
    let fusable = { (t: Tensor) in t.autodiff.map { $0.tangents.isEmpty && $0.batch == nil && $0.trace == nil } ?? true }
    if TaylorMode.fusesCollapsedElementwise && (y.dtype == .float64 || y.dtype == .float32) && payload.dtype == y.dtype && fusable(payload) && fusable(slope) && fusable(half) {
      let s = fitTaylorCoefficient(slope, to: y.shape, dtype: y.dtype, op: op.name)
      let h = fitTaylorCoefficient(half, to: y.shape, dtype: y.dtype, op: op.name)
      return Tensor.apply(CollapsedUnaryOp(directions: d), [payload, s, h])[0]
    }
    let first = payload.narrowed(dim: 0, start: 0, length: d)
    let summed = payload.select(dim: 0, index: d)
    let firstOut = fitTaylorCoefficient(first * slope, to: [d] + y.shape, dtype: y.dtype, op: op.name)
    let secondOut = fitTaylorCoefficient(summed * slope + (first * first).sum(dim: 0) * half, to: y.shape, dtype: y.dtype, op: op.name)
    return Tensor.cat([firstOut, secondOut.unsqueezed(dim: 0)], dim: 0)
  }

  /// Checks a rule's Taylor coefficient against the shape it must have, and expands a
  /// coefficient that leaves dims for the output to broadcast (as ``fitTangent(_:to:dtype:op:chunk:)``
  /// does for tangents).
  static func fitTaylorCoefficient(_ c: Tensor, to shape: [Int], dtype: DType, op: String) -> Tensor {
    var c = c
    if c.dtype != dtype { c = c.converted(to: dtype) }
    if c.shape != shape {
      check(
        c.rank <= shape.count && zip(c.shape.reversed(), shape.reversed()).allSatisfy { $0 == $1 || $0 == 1 },
        "\(op): the Taylor rule gave a coefficient of shape \(c.shape) for an output coefficient of shape \(shape)")
      c = c.expanded(to: shape)
    }
    return c
  }

  /// The generic Taylor rule: exact for every op with a forward rule, by nested forward mode.
  ///
  /// For inputs on the curve x(t) = x₀ + Σ_k x_k·t^k, the outputs' coefficients are
  /// y_k = g⁽ᵏ⁾(0)/k! with g(t) = op(x(t)). The derivatives come from K nested dual levels
  /// that all perturb the same scalar t (so the mixed tangent of levels 1…k is g⁽ᵏ⁾(0)).
  /// It costs about 2^K applications of the op's JVP rule, against K² elementwise products
  /// for a recurrence. Coefficients with a direction dim are run one direction at a time.
  static func genericTaylor<Op: DifferentiableOp>(
    _ op: Op, inputs: [Tensor], series: [TaylorSeries?], outputCount: Int
  ) -> [TaylorSeries?] {
    let order = series.compactMap { $0?.order }.max() ?? 0
    // The direction count: a coefficient with one more dim than its primal.
    var directions: Int? = nil
    for (x, s) in zip(inputs, series) {
      guard let s else { continue }
      for c in s.coefficients where c.rank == x.rank + 1 { directions = c.shape[0] }
    }
    guard let d = directions else {
      return genericTaylorAlongOneCurve(op, inputs: inputs, series: series, order: order, outputCount: outputCount)
    }
    var perDirection: [[TaylorSeries?]] = []
    for j in 0..<d {
      let picked = zip(inputs, series).map { x, s in
        s.map { TaylorSeries($0.coefficients.map { c in c.rank == x.rank + 1 ? c.select(dim: 0, index: j) : c }) }
      }
      perDirection.append(genericTaylorAlongOneCurve(op, inputs: inputs, series: picked, order: order, outputCount: outputCount))
    }
    return (0..<outputCount).map { i in
      guard let first = perDirection.first?[i] else { return nil }
      return TaylorSeries((1...first.order).map { k in Tensor.stack(perDirection.map { $0[i]![k] }, dim: 0) })
    }
  }

  /// ``genericTaylor(_:inputs:series:outputCount:)`` for coefficients without a direction dim.
  static func genericTaylorAlongOneCurve<Op: DifferentiableOp>(
    _ op: Op, inputs: [Tensor], series: [TaylorSeries?], order: Int, outputCount: Int
  ) -> [TaylorSeries?] {
    let reference = inputs[series.firstIndex { $0 != nil }!]
    let real: DType = reference.dtype.real
    let t = Tensor.zeros([], dtype: real)
    let curve: (Tensor) -> [Tensor] = { t in
      // x(t) = x₀ + x₁t + … + x_K t^K, Horner's scheme in t.
      let xs = zip(inputs, series).map { x, s -> Tensor in
        guard let s else { return x }
        var acc = s[s.order] * t
        for k in stride(from: s.order - 1, through: 1, by: -1) { acc = (acc + s[k]) * t }
        return x + acc
      }
      return Tensor.apply(op, xs)
    }
    let tower = derivativeTower(order: order, at: t, curve)
    var factorial = 1.0
    var coefficients: [[Tensor?]] = Array(repeating: [], count: outputCount)
    for k in 1...order {
      factorial *= Double(k)
      for i in 0..<outputCount { coefficients[i].append(tower[k][i].map { $0 / factorial }) }
    }
    return coefficients.enumerated().map { i, cs in
      guard cs.contains(where: { $0 != nil }) else { return nil }
      let y = tower[0][i]!
      return TaylorSeries(cs.map { $0 ?? Tensor.zeros(like: y.detached) })
    }
  }

  /// `[g(t), g′(t), …, g⁽ⁿ⁾(t)]` for each output of `g`, by n nested dual levels that all
  /// perturb `t` (`nil` for a zero derivative).
  static func derivativeTower(order: Int, at t: Tensor, _ g: (Tensor) -> [Tensor]) -> [[Tensor?]] {
    if order == 0 { return [g(t).map { Optional($0) }] }
    return withDualLevel { level in
      let inner = derivativeTower(order: order - 1, at: t.dual(tangent: Tensor.ones(like: t.detached), at: level), g)
      var result: [[Tensor?]] = [inner[0].map { $0?.primal(at: level) }]
      for k in 1...order { result.append(inner[k - 1].map { $0?.tangent(at: level) }) }
      return result
    }
  }
}

// MARK: The default rules

extension DifferentiableOp {
  /// No fast Taylor rule, except for an op whose reverse-mode rule reads neither inputs nor
  /// outputs (``vjpReads`` is empty): its Jacobian is then constant, so the op is linear (or
  /// affine) and its Taylor rule is the JVP rule on each coefficient.
  public func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    vjpReads.isEmpty ? taylorByLinearity(inputs: inputs, outputs: outputs, series: series) : nil
  }

  /// The Taylor rule of an op that is linear (or affine) in all its differentiable inputs
  /// together: each output coefficient y_k is the JVP of the inputs' coefficients x_k.
  ///
  /// Derivation: the op's second and higher derivatives vanish, so y(t) = y₀ + J·(x(t) − x₀)
  /// and y_k = J·x_k.
  public func taylorByLinearity(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?] {
    let order = series.compactMap { $0?.order }.max() ?? 0
    var out: [[Tensor?]] = Array(repeating: [], count: outputs.count)
    for k in stride(from: 1, through: order, by: 1) {
      let dys = jvp(inputs: inputs, outputs: outputs, tangents: series.map { $0?[k] })
      for i in outputs.indices { out[i].append(dys[i]) }
    }
    return out.enumerated().map { i, cs in
      guard cs.contains(where: { $0 != nil }) else { return nil }
      return TaylorSeries(cs.map { $0 ?? Tensor.zeros(like: outputs[i].detached) })
    }
  }
}

extension LinearOp {
  /// A linear op applies to each coefficient: y_k = L(x_k).
  public func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    guard let s = series[0] else { return [nil] }
    return [TaylorSeries(s.coefficients.map { applyLinear($0, inputShape: inputs[0].shape) })]
  }
}

extension BinaryOp {
  /// The Taylor rule of a bilinear op B(a, b): y_k = Σ_{j=0}^{k} B(a_j, b_{k−j}).
  ///
  /// Derivation: B(a(t), b(t)) expands term by term. The terms with a₀ or b₀ are the JVP rule
  /// at the point; a cross term B(a_j, b_{k−j}) is the JVP rule in `a` alone taken at the point
  /// (a₀, b_{k−j}), since a bilinear op's JVP in `a` is B(da, b). Returns `nil` (the generic
  /// rule) for cross terms whose coefficients carry direction dims.
  public func taylorByBilinearity(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    let (a, b, y) = (inputs[0], inputs[1], outputs[0])
    guard let order = series[0]?.order ?? series[1]?.order else { return [nil] }
    let both = series[0].flatMap { sa in series[1].map { (sa, $0) } }
    if let (sa, sb) = both,
      sa.coefficients.contains(where: { $0.rank > a.rank }) || sb.coefficients.contains(where: { $0.rank > b.rank })
    {
      return nil
    }
    var out: [Tensor] = []
    for k in 1...order {
      var yk = jvp(a: a, b: b, y: y, da: series[0]?[k], db: series[1]?[k])
      if let (sa, sb) = both, k >= 2 {
        for j in 1..<k {
          yk = sumOfTerms(yk, jvp(a: a, b: sb[k - j], y: y, da: sa[j], db: nil))
        }
      }
      out.append(yk ?? Tensor.zeros(like: y.detached))
    }
    return [TaylorSeries(out)]
  }
}
