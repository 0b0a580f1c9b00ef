import ComplexModule
import RealModule

/// Scalar special functions that the C library and swift-numerics lack, written once for
/// `Float` and `Double`.
enum SpecialFunctions {
  /// The digamma function ψ(x) = Γ′(x)/Γ(x), with PyTorch's values at the poles: −∞ at +0,
  /// +∞ at −0 and NaN at the negative integers.
  static func digamma<T: RealScalar>(_ x: T) -> T {
    if x.isNaN { return x }
    if x == 0 { return x.sign == .minus ? .infinity : -.infinity }
    if x == -.infinity { return .nan }
    var x = x
    var result: T = 0
    if x < 0 {
      if x == x.rounded(.down) { return .nan }
      // Reflection: ψ(x) = ψ(1 − x) − π / tan(πx), with the argument of tan reduced to [0, 1).
      let r = x - x.rounded(.down)
      result = -T.pi / T.tan(T.pi * r)
      x = 1 - x
    }
    while x < 10 {
      result -= 1 / x
      x += 1
    }
    if x == .infinity { return .infinity }
    // The asymptotic series ln x − 1/(2x) − Σ B₂ₖ / (2k x²ᵏ).
    let z = 1 / (x * x)
    let s = T(-1.0 / 12.0) + z * (T(1.0 / 120.0) + z * (T(-1.0 / 252.0) + z * (T(1.0 / 240.0)
      + z * (T(-1.0 / 132.0) + z * (T(691.0 / 32760.0) + z * T(-1.0 / 12.0))))))
    return result + VectorMath.log(x) - 1 / (2 * x) + z * s
  }

  /// The polygamma function ψ⁽ⁿ⁾(x), the n-th derivative of digamma (n ≥ 0).
  ///
  /// For n ≥ 1 it is (−1)ⁿ⁺¹ n! Σₖ 1/(x + k)ⁿ⁺¹: the recurrence moves x above a threshold and
  /// an asymptotic series finishes the sum.
  static func polygamma<T: RealScalar>(_ n: Int, _ x: T) -> T {
    if n == 0 { return digamma(x) }
    if x.isNaN { return x }
    if x == -.infinity { return .nan }
    let m = n + 1
    var factorial: T = 1
    for k in stride(from: 2, through: n, by: 1) { factorial *= T(k) }
    let sign: T = n % 2 == 1 ? 1 : -1
    var x = x
    var sum: T = 0
    let threshold = T(15 + n)
    while x < threshold {
      sum += 1 / T.pow(x, m)
      x += 1
    }
    if x == .infinity { return sign * factorial * sum }
    // Σₖ 1/(x + k)ᵐ ~ 1/(n xⁿ) + 1/(2 xᵐ) + Σⱼ B₂ⱼ (2j + n − 1)! / ((2j)! n!) / x²ʲ⁺ⁿ.
    let bernoulli: [Double] = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510]
    let xn = T.pow(x, n)
    var tail = 1 / (T(n) * xn) + 1 / (2 * xn * x)
    let z = 1 / (x * x)
    var power = 1 / xn  // x^(−n−2j)
    var twoJFactorial: T = 1  // (2j)!
    var rising: T = 1  // (n + 1)(n + 2)···(2j + n − 1)
    for j in 1...bernoulli.count {
      power *= z
      twoJFactorial *= T(2 * j - 1) * T(2 * j)
      rising *= j == 1 ? T(n + 1) : T(2 * j + n - 2) * T(2 * j + n - 1)
      tail += T(bernoulli[j - 1]) * rising / twoJFactorial * power
    }
    return sign * factorial * (sum + tail)
  }

  /// The inverse error function: erf(erfinv(y)) = y on [−1, 1], ±∞ at ±1, NaN outside.
  ///
  /// Giles' single-precision approximation, refined by two Newton steps (on erfc in the tails,
  /// where erf loses the digits).
  static func erfinv<T: RealScalar>(_ y: T) -> T {
    if y.isNaN { return y }
    let a = Swift.abs(y)
    if a > 1 { return .nan }
    if a == 1 { return y > 0 ? .infinity : -.infinity }
    var w = -VectorMath.log((1 - a) * (1 + a))
    var p: T
    if w < 5 {
      w -= 2.5
      p = T(2.81022636e-08)
      p = T(3.43273939e-07) + p * w
      p = T(-3.5233877e-06) + p * w
      p = T(-4.39150654e-06) + p * w
      p = T(0.00021858087) + p * w
      p = T(-0.00125372503) + p * w
      p = T(-0.00417768164) + p * w
      p = T(0.246640727) + p * w
      p = T(1.50140941) + p * w
    } else {
      w = T.sqrt(w) - 3
      p = T(-0.000200214257)
      p = T(0.000100950558) + p * w
      p = T(0.00134934322) + p * w
      p = T(-0.00367342844) + p * w
      p = T(0.00573950773) + p * w
      p = T(-0.0076224613) + p * w
      p = T(0.00943887047) + p * w
      p = T(1.00167406) + p * w
      p = T(2.83297682) + p * w
    }
    var x = p * a
    let c = 2 / T.sqrt(T.pi)
    for _ in 0..<2 {
      let err = a <= 0.5 ? T.erf(x) - a : (1 - a) - T.erfc(x)
      let slope = c * VectorMath.exp(-x * x)
      if slope == 0 { break }
      x -= err / slope
    }
    return y < 0 ? -x : x
  }
}
