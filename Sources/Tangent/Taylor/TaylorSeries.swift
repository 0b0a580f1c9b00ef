import ComplexModule
import RealModule

/// The Taylor coefficients x₁ … x_K of a tensor along a curve, as an op's Taylor rule sees
/// them.
///
/// **Convention: normalized coefficients.** A rule works with the curve
///
///     x(t) = x₀ + x₁·t + x₂·t² + … + x_K·t^K
///
/// where x₀ is the primal and x_k = x⁽ᵏ⁾(0)/k! (the coefficients TaylorDiff.jl stores). Products
/// are then plain Cauchy products, y_k = Σⱼ aⱼ·b_{k−j}, and the recurrences of Griewank &
/// Walther (*Evaluating Derivatives*, 2nd ed., ch. 13) apply as printed. The public ``jet(of:at:series:)->(Out,_)``
/// uses derivative-scaled coefficients instead, like `jax.experimental.jet`, and converts at
/// its boundary; nothing else sees factorials.
///
/// **Directions.** A coefficient has the primal's shape, or one more leading *direction*
/// dimension (`[d] + shape`: d series that share the primal, like chunked tangents). Rules
/// therefore address dims from the right and broadcast, as JVP rules do with chunked tangents
/// (`lift(_:primalRank:outputRank:)` before broadcasting against an operand of another
/// rank). Different coefficients of one series may differ in that leading dim (the collapsed
/// second-order coefficient of ``laplacian(of:at:)`` has none), so a rule must not assume they
/// stack.
public struct TaylorSeries {
  /// The coefficients x₁ … x_K (index 0 holds x₁).
  public var coefficients: [Tensor]

  /// A series from its coefficients x₁ … x_K.
  /// - Precondition: at least one coefficient.
  public init(_ coefficients: [Tensor]) {
    check(!coefficients.isEmpty, "TaylorSeries: a series needs at least one coefficient")
    self.coefficients = coefficients
  }

  /// K, the number of coefficients after the primal.
  public var order: Int { coefficients.count }

  /// The coefficient x_k, for k in 1…K.
  public subscript(k: Int) -> Tensor { coefficients[k - 1] }

  /// The series with every coefficient given singleton dims after its direction dim, so it
  /// broadcasts against another operand like its primal (of rank `primalRank`) does in an
  /// output of rank `outputRank`. See ``lift(_:primalRank:outputRank:)``.
  func lifted(primalRank: Int, outputRank: Int) -> TaylorSeries {
    TaylorSeries(coefficients.map { lift($0, primalRank: primalRank, outputRank: outputRank) })
  }
}

// MARK: The recurrences shared by the rules

/// Building blocks of Taylor rules, on full coefficient lists `[x₀, x₁, …]` (index = power of t).
enum TaylorRecurrence {
  /// The full list `[x₀, x₁, …, x_K]` of an input, or `nil` for an input without a series.
  static func full(_ x0: Tensor, _ s: TaylorSeries?) -> [Tensor]? {
    s.map { [x0] + $0.coefficients }
  }

  /// Σ_{j=lo}^{hi} a_j·b_{k−j}: the terms of the Cauchy product of a and b at order k.
  static func cauchy(_ a: [Tensor], _ b: [Tensor], _ k: Int, from lo: Int = 0, through hi: Int? = nil) -> Tensor? {
    var total: Tensor?
    for j in lo...(hi ?? k) where j < a.count && k - j < b.count && k - j >= 0 {
      let term = a[j] * b[k - j]
      total = total.map { $0 + term } ?? term
    }
    return total
  }

  /// (1/k)·Σ_{j=1}^{k} j·x_j·d_{k−j}: the order-k coefficient of y when y′ = d·x′.
  ///
  /// This is how every elementwise function with a derivative that has its own recurrence
  /// (exp, sin, tanh, σ, erf, softplus) is expanded: from y′(t) = f′(x(t))·x′(t), comparing
  /// the coefficients of t^{k−1} gives k·y_k = Σ_{j=1}^{k} j·x_j·d_{k−j}, where d is the series
  /// of f′(x(t)) (Griewank & Walther, Prop. 13.1).
  static func integrated(_ x: [Tensor], _ d: [Tensor], _ k: Int) -> Tensor {
    if k == 1 { return x[1] * d[0] }
    var total: Tensor?
    for j in 1...k {
      let term = j == k ? x[j] * d[0] : x[j] * d[k - j] * (Double(j) / Double(k))
      total = total.map { $0 + term } ?? term
    }
    return total!
  }

  /// The series of e^{u(t)} given u's full list and e^{u₀}: y_k = (1/k)·Σ_{j=1}^{k} j·u_j·y_{k−j}.
  static func exp(_ u: [Tensor], value: Tensor, order: Int) -> [Tensor] {
    var y = [value]
    for k in stride(from: 1, through: order, by: 1) { y.append(integrated(u, y, k)) }
    return y
  }

  /// The series of σ(u(t)) given u's full list and σ(u₀), from σ′ = σ − σ²: with
  /// z = σ − σ², y_k = (1/k)·Σ j·u_j·z_{k−j} and z_k = y_k − Σ_{j=0}^{k} y_j·y_{k−j}.
  static func sigmoid(_ u: [Tensor], value: Tensor, order: Int) -> [Tensor] {
    var y = [value]
    var z = [value * (1 - value)]
    for k in stride(from: 1, through: order, by: 1) {
      y.append(integrated(u, z, k))
      if k < order { z.append(y[k] - cauchy(y, y, k)!) }
    }
    return y
  }

  /// Σ_{j=0}^{k} Re(x̄_j·x_{k−j}): the order-k coefficient of |x(t)|² = x(t)·x̄(t) along a real
  /// t (the Cauchy square x·x for real x).
  static func squaredModulus(_ x: [Tensor], _ k: Int) -> Tensor {
    let complex = x[0].dtype.isComplex
    var total: Tensor?
    for j in 0...k {
      let term = complex ? (x[j].conj() * x[k - j]).real : x[j] * x[k - j]
      total = total.map { $0 + term } ?? term
    }
    return total!
  }

  /// The series of a unary function given its full output list: the coefficients 1…K.
  static func series(_ y: [Tensor]) -> TaylorSeries { TaylorSeries(Array(y.dropFirst())) }
}

extension TaylorRecurrence {
  /// The series of log u(t) given u's full list and log u₀:
  /// y_k = (u_k − (1/k)·Σ_{j=1}^{k−1} j·y_j·u_{k−j}) / u₀, from u·y′ = u′.
  static func log(_ u: [Tensor], value: Tensor) -> TaylorSeries {
    var y = [value]
    for k in 1..<u.count {
      var numerator = u[k]
      if k > 1 {
        var acc: Tensor?
        for j in 1..<k {
          let term = y[j] * u[k - j] * Double(j)
          acc = acc.map { $0 + term } ?? term
        }
        numerator = numerator - acc! / Double(k)
      }
      y.append(numerator / u[0])
    }
    return series(y)
  }

  /// The series of u(t)^r for a constant exponent r (a scalar or a tensor that broadcasts)
  /// given u's full list and u₀^r: y_k = (1/(k·u₀))·Σ_{j=1}^{k} (r·j − (k − j))·u_j·y_{k−j},
  /// from u·y′ = r·y·u′ (Griewank & Walther, Table 13.2). It divides by u₀: callers keep it
  /// away from u₀ = 0.
  static func power(_ u: [Tensor], exponent r: Tensor, value: Tensor) -> TaylorSeries {
    var y = [value]
    for k in 1..<u.count {
      var acc: Tensor?
      for j in 1...k {
        let term = u[j] * y[k - j] * (r * Double(j) - Double(k - j))
        acc = acc.map { $0 + term } ?? term
      }
      y.append(acc! / (u[0] * Double(k)))
    }
    return series(y)
  }

  /// The series of √u(t) given u's full list and √u₀: y_k = (u_k − Σ_{j=1}^{k−1} y_j·y_{k−j}) / (2y₀),
  /// from y² = u.
  static func squareRoot(_ u: [Tensor], value: Tensor) -> TaylorSeries {
    var y = [value]
    let twice = value * 2
    for k in 1..<u.count {
      let numerator = k > 1 ? u[k] - cauchy(y, y, k, from: 1, through: k - 1)! : u[k]
      y.append(numerator / twice)
    }
    return series(y)
  }

  /// The series of sin and cos of u(t) given u's full list, sin u₀ and cos u₀:
  /// s_k = (1/k)·Σ j·u_j·c_{k−j} and c_k = −(1/k)·Σ j·u_j·s_{k−j}; with `hyperbolic`, sinh and
  /// cosh (c_k = +(1/k)·Σ j·u_j·s_{k−j}).
  static func sineCosine(_ u: [Tensor], sin s0: Tensor, cos c0: Tensor, hyperbolic: Bool = false) -> (TaylorSeries, TaylorSeries) {
    var s = [s0], c = [c0]
    for k in 1..<u.count {
      let sk = integrated(u, c, k)
      let ck = integrated(u, s, k)
      s.append(sk)
      c.append(hyperbolic ? ck : -ck)
    }
    return (series(s), series(c))
  }

  /// The series of a function whose derivative is a polynomial in its value, y′ = p(y)·u′,
  /// given u's full list and y₀: `derivative` maps the coefficients y₀…y_k computed so far to
  /// the coefficient k of p(y(t)). tanh (p = 1 − y²), tan (1 + y²) and σ (y − y²) are such.
  static func polynomialODE(_ u: [Tensor], value: Tensor, derivative: ([Tensor], Int) -> Tensor) -> TaylorSeries {
    var y = [value]
    var d = [derivative(y, 0)]
    for k in 1..<u.count {
      y.append(integrated(u, d, k))
      if k < u.count - 1 { d.append(derivative(y, k)) }
    }
    return series(y)
  }
}
