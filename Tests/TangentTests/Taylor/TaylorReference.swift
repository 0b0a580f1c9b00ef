import Testing
import TangentTesting

@testable import Tangent

/// The reference for Taylor mode: derivatives of t ↦ f(x(t)) at t = 0 by nested `jvp`
/// (forward-over-forward), for the derivative-scaled curve x(t) = x + Σ_k series[k−1]·t^k/k!.
/// Returns [f(x), f′, …, f⁽ᴷ⁾], each a list over the outputs.
func nestedJVPDerivatives(
  of f: @escaping ([Tensor]) -> [Tensor], at x: [Tensor], series: [[Tensor]]
) -> [[Tensor]] {
  let order = series.count
  let real = x.first.map { $0.dtype.real } ?? .float64
  let curve: ([Tensor]) -> [Tensor] = { t in
    // t holds one 0-d tensor.
    var factorial = 1.0
    var xs = x
    var power = t[0]
    for k in 0..<order {
      factorial *= Double(k + 1)
      for i in xs.indices { xs[i] = xs[i] + series[k][i] * power / factorial }
      power = power * t[0]
    }
    return f(xs)
  }
  func nth(_ n: Int) -> ([Tensor]) -> [Tensor] {
    if n == 0 { return curve }
    let inner = nth(n - 1)
    return { t in jvp(of: inner, at: t, along: [Tensor.ones([], dtype: real)]).tangent }
  }
  let t0 = [Tensor.zeros([], dtype: real)]
  return (0...order).map { nth($0)(t0) }
}

/// The largest |a − b| / (1 + max|b|) over the elements of two lists of floating tensors.
func relativeError(_ a: [Tensor], _ b: [Tensor]) -> Double {
  var worst = 0.0
  for (p, q) in zip(a, b) where q.dtype.isFloatingPoint {
    let pd = p.complexDoubles, qd = q.complexDoubles
    let scale = 1 + (qd.map(\.length).max() ?? 0)
    for (u, v) in zip(pd, qd) {
      if u == v { continue }
      let uNaN = u.real.isNaN || u.imaginary.isNaN, vNaN = v.real.isNaN || v.imaginary.isNaN
      if uNaN && vNaN { continue }
      let e = (u - v).length / scale
      if e.isNaN { return .infinity }
      worst = max(worst, e)
    }
  }
  return worst
}
