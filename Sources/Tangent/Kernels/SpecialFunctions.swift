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

  /// e^(x²), with the rounding error of x² carried into the exponent (`fma`), so the relative
  /// error stays a few ulps where x² is large.
  @inline(__always) static func expSquare<T: RealScalar>(_ x: T) -> T {
    let s = x * x
    let e = (-s).addingProduct(x, x)  // x² − s, exactly
    return VectorMath.exp(s) * (1 + e)
  }

  /// The scaled complementary error function erfcx(x) = e^(x²)·erfc(x), without the overflow
  /// and underflow of the product: +∞ below about −26.6, ~1/(x√π) for large x.
  static func erfcx<T: RealScalar>(_ x: T) -> T {
    if x.isNaN { return x }
    if x < 0 {
      if x < -26.7 { return .infinity }
      // erfc(−y) = 2 − erfc(y).
      return 2 * expSquare(x) - erfcx(-x)
    }
    if x < 12 { return expSquare(x) * T.erfc(x) }
    if x == .infinity { return 0 }
    // The asymptotic series 1/(x√π)·Σ (−1)ᵏ(2k − 1)!!/(2x²)ᵏ; at x ≥ 12 twelve terms reach
    // double precision.
    let z = 1 / (2 * x * x)
    var term: T = 1, sum: T = 1
    for k in 1...14 {
      term *= -T(2 * k - 1) * z
      sum += term
    }
    return sum / (x * T.sqrt(T.pi))
  }

  /// The standard normal CDF Φ(x) = erfc(−x/√2)/2.
  @inline(__always) static func ndtr<T: RealScalar>(_ x: T) -> T {
    T.erfc(-x * T(MathConstants.invSqrt2)) / 2
  }

  /// log Φ(x), accurate in both tails (PyTorch's formula: through erfcx below −1).
  static func logNdtr<T: RealScalar>(_ x: T) -> T {
    let t = x * T(MathConstants.invSqrt2)
    if x < -1 { return VectorMath.log(erfcx(-t) / 2) - t * t }
    return T.log(onePlus: -T.erfc(t) / 2)
  }

  /// The inverse of the standard normal CDF: Φ(ndtri(p)) = p, −∞ at 0, +∞ at 1, NaN outside
  /// [0, 1].
  ///
  /// Works on the lower half (1 − p is exact for p ≥ ½): a start from erfinv, or from the
  /// tail asymptotics for tiny p, refined by Newton steps on Φ, which erfc gives to full
  /// relative precision in the tail.
  static func ndtri<T: RealScalar>(_ p: T) -> T {
    if p.isNaN { return p }
    if p <= 0 { return p == 0 ? -.infinity : .nan }
    if p >= 1 { return p == 1 ? .infinity : .nan }
    if p > 0.5 { return -ndtri(1 - p) }
    var x: T
    if p > T(1e-8) {
      x = T(2).squareRoot() * erfinv(2 * p - 1)
    } else {
      let l = -2 * VectorMath.log(p)
      x = -(l - VectorMath.log(l) - VectorMath.log(2 * T.pi)).squareRoot()
    }
    let c = T(MathConstants.invSqrtTwoPi)
    for _ in 0..<4 {
      let density = c * VectorMath.exp(-x * x / 2)
      if density == 0 { break }
      let step = (ndtr(x) - p) / density
      x -= step
      if Swift.abs(step) <= T.ulpOfOne * Swift.abs(x) { break }
    }
    return x
  }

  /// The modified Bessel function Iᵥ(x) of order 0 or 1, scaled by e^(−|x|) when `scaled`.
  ///
  /// |x| ≤ 30: the power series Σ (x/2)^(2k+ν)/(k!(k + ν)!), whose terms are all positive.
  /// Beyond: the asymptotic series e^|x|/√(2π|x|)·Σ (−1)ᵏ aₖ(ν)/|x|ᵏ with
  /// aₖ(ν) = Πⱼ≤ₖ(4ν² − (2j − 1)²)/(k! 8ᵏ), converged to double precision by k ≈ 25.
  static func besselI<T: RealScalar>(order nu: Int, _ x: T, scaled: Bool) -> T {
    if x.isNaN { return x }
    let a = Swift.abs(x)
    let sign: T = nu == 1 && x < 0 ? -1 : 1
    if a <= 30 {
      let q = a * a / 4
      var term: T = nu == 0 ? 1 : a / 2
      var sum = term
      var k = 1
      while k < 500 {
        term *= q / (T(k) * T(k + nu))
        sum += term
        if term <= sum * T.ulpOfOne / 2 { break }
        k += 1
      }
      return sign * (scaled ? sum * VectorMath.exp(-a) : sum)
    }
    if a == .infinity { return scaled ? 0 : sign * .infinity }
    let mu = T(4 * nu * nu)
    var term: T = 1, sum: T = 1
    for k in 1...30 {
      let odd = T(2 * k - 1)
      term *= -(mu - odd * odd) / (T(8 * k) * a)
      sum += term
      if Swift.abs(term) <= Swift.abs(sum) * T.ulpOfOne / 2 { break }
    }
    let logPrefactor = -VectorMath.log(2 * T.pi * a) / 2
    if scaled { return sign * sum * VectorMath.exp(logPrefactor) }
    return sign * sum * VectorMath.exp(a + logPrefactor)
  }
}
