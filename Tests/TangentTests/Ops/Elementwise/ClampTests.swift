import Foundation
import Tangent
import TangentTesting
import Testing

@Suite struct ClampTests {
  /// Inputs away from the bounds −0.5 and 0.8.
  static let x = Tensor(shape: [3, 4], scalars: [-1.3, -0.2, 0.3, 1.1, -0.9, 0.6, 1.7, -0.7, 0.1, 2.2, -2.4, 0.5])

  @Test func scalarBounds() {
    let x = Self.x
    expectClose(x.clamp(min: -0.5, max: 0.8), x.doubles.map { Swift.min(Swift.max($0, -0.5), 0.8) })
    expectClose(x.clamp(min: -0.5), x.doubles.map { Swift.max($0, -0.5) })
    expectClose(x.clamp(max: 0.8), x.doubles.map { Swift.min($0, 0.8) })
    // min > max: every element becomes max.
    expectClose(Tensor([0.0, 5]).clamp(min: 2, max: 1), [1, 1])
    #expect(Tensor([Double.nan]).clamp(min: 0, max: 1).doubles[0].isNaN)
    #expect(Tensor([Int64(-3), 7]).clamp(min: 0, max: 5).scalars(as: Int64.self) == [0, 5])
    expectGradcheck("clamp(min:max:)", { $0.clamp(min: -0.5, max: 0.8) }, at: x)
    expectGradcheck("clamp(min:)", { $0.clamp(min: -0.5) }, at: x)
    expectGradcheck("clamp(max:)", { $0.clamp(max: 0.8) }, at: x)
    // The derivative is 1 on the closed interval, 0 outside (PyTorch).
    let p = Tensor([-0.5, 0.8, 1, -1]).requiringGrad()
    expectClose(gradients(of: p.clamp(min: -0.5, max: 0.8).sum(), wrt: [p])[0], [1, 1, 0, 0])
  }

  @Test func tensorBounds() {
    let x = Self.x
    let low = Tensor([-0.5, -0.1, 0.0, 0.2]), high = Tensor(shape: [3, 1], scalars: [0.8, 0.4, 1.5])
    let want = (0..<12).map { i in Swift.min(Swift.max(x.doubles[i], low.doubles[i % 4]), high.doubles[i / 4]) }
    expectClose(x.clamp(min: low, max: high), want)
    expectGradcheck("clamp(min: Tensor, max: Tensor)", { [$0[0].clamp(min: $0[1], max: $0[2])] }, at: [x, low, high])
    expectGradcheck("clamp(min: Tensor)", { [$0[0].transposed().clamp(min: $0[1], max: nil)] },
                    at: [x.transposed().contiguousCopy(), Tensor([-0.5, -0.1, 0.0, 0.2])])
    // Routing, including min > max (where max gets the gradient).
    let p = Tensor([0.0, 0, 0, 0]).requiringGrad()
    let lo = Tensor([-1.0, 1, -1, 2]).requiringGrad(), hi = Tensor([1.0, 2, -0.5, 1]).requiringGrad()
    let g = gradients(of: p.clamp(min: lo, max: hi).sum(), wrt: [p, lo, hi])
    expectClose(g[0], [1, 0, 0, 0])
    expectClose(g[1], [0, 1, 0, 0])
    expectClose(g[2], [0, 0, 1, 1])
  }

  @Test func maximumMinimum() {
    let a = uniform([3, 4], -2...2, seed: 51), b = uniform([4], -2...2, seed: 52)
    expectClose(a.maximum(b), (0..<12).map { Swift.max(a.doubles[$0], b.doubles[$0 % 4]) })
    expectClose(a.minimum(b), (0..<12).map { Swift.min(a.doubles[$0], b.doubles[$0 % 4]) })
    let nanMax = Tensor([1.0, .nan]).maximum(Tensor([Double.nan, 0])).doubles
    #expect(nanMax[0].isNaN && nanMax[1].isNaN)
    #expect(Tensor([Int64(1), 5]).minimum(Tensor([Int64(3)])).scalars(as: Int64.self) == [1, 3])
    expectGradcheck("maximum", { [$0[0].maximum($0[1])] }, at: [a, b])
    expectGradcheck("minimum", { [$0[0].minimum($0[1])] }, at: [a, b])
    expectGradcheck("maximum (transposed)", { [$0[0].transposed().maximum($0[1])] },
                    at: [a.transposed().contiguousCopy(), uniform([3, 1], -2...2, seed: 53)])
    // Ties split the gradient in half, in both modes.
    let x = Tensor([1.0, 2, 3]).requiringGrad(), y = Tensor([1.0, 1, 4]).requiringGrad()
    let g = gradients(of: x.maximum(y).sum(), wrt: [x, y])
    expectClose(g[0], [0.5, 1, 0])
    expectClose(g[1], [0.5, 0, 1])
    let gm = gradients(of: x.minimum(y).sum(), wrt: [x, y])
    expectClose(gm[0], [0.5, 0, 1])
    expectClose(gm[1], [0.5, 1, 0])
    let t: Tensor = withDualLevel { l in
      x.detached.dual(tangent: Tensor([1.0, 1, 1]), at: l).maximum(y.detached.dual(tangent: Tensor([3.0, 3, 3]), at: l)).tangent(at: l)!
    }
    expectClose(t, [2, 1, 3])
  }

  @Test func nanToNum() {
    let x = Tensor([1.0, .nan, .infinity, -.infinity])
    expectClose(x.nanToNum(), [1, 0, Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude])
    expectClose(x.nanToNum(nan: 2, posinf: 3, neginf: -4), [1, 2, 3, -4])
    let f = x.converted(to: .float32).nanToNum()
    #expect(f.scalars(as: Float.self) == [1, 0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude])
    let z = Tensor([Complex(Double.nan, 1), Complex(2, .infinity)]).nanToNum()
    expectClose(z, complex: [Complex(0, 1), Complex(2, Double.greatestFiniteMagnitude)])
    let p = x.requiringGrad()
    expectClose(gradients(of: p.nanToNum().sum(), wrt: [p])[0], [1, 0, 0, 0])
    expectGradcheck("nanToNum", { $0.nanToNum() }, at: Self.x)
    expectGradcheck("nanToNum complex128", { $0.nanToNum() }, at: uniform([2, 3], -1...1, seed: 54, dtype: .complex128))
  }
}

@Suite struct TernaryTests {
  @Test func lerp() {
    let a = uniform([3, 4], -2...2, seed: 61), b = uniform([4], -2...2, seed: 62), w = uniform([3, 1], -0.5...1.5, seed: 63)
    let (av, bv, wv) = (a.doubles, b.doubles, w.doubles)
    let want: [Double] = (0..<12).map { (i: Int) -> Double in av[i] + wv[i / 4] * (bv[i % 4] - av[i]) }
    expectClose(a.lerp(b, weight: w), want, atol: 1e-14, rtol: 1e-14)
    let quarter: [Double] = (0..<12).map { (i: Int) -> Double in av[i] + 0.25 * (bv[i % 4] - av[i]) }
    expectClose(a.lerp(b, weight: 0.25), quarter, atol: 1e-15)
    // Weight 1 gives the end exactly.
    expectClose(Tensor([0.1]).lerp(Tensor([0.7]), weight: 1), [0.7], atol: 0, rtol: 0)
    expectGradcheck("lerp", { [$0[0].lerp($0[1], weight: $0[2])] }, at: [a, b, w])
    expectGradcheck("lerp (transposed)", { [$0[0].transposed().lerp($0[1], weight: 0.3)] }, at: [a.transposed().contiguousCopy(), b])
    let za = uniform([2, 3], -1...1, seed: 64, dtype: .complex128), zb = uniform([3], -1...1, seed: 65, dtype: .complex128)
    let zw = uniform([2, 1], -1...1, seed: 66, dtype: .complex128)
    expectGradcheck("lerp complex128", { [$0[0].lerp($0[1], weight: $0[2])] }, at: [za, zb, zw])
  }

  @Test func addcmulAddcdiv() {
    let s = uniform([3, 4], -2...2, seed: 67), t1 = uniform([4], -2...2, seed: 68), t2 = uniform([3, 1], 0.5...2, seed: 69)
    let (sv, v1, v2) = (s.doubles, t1.doubles, t2.doubles)
    let mul: [Double] = (0..<12).map { (i: Int) -> Double in sv[i] + 0.5 * v1[i % 4] * v2[i / 4] }
    let div: [Double] = (0..<12).map { (i: Int) -> Double in sv[i] - 2 * v1[i % 4] / v2[i / 4] }
    expectClose(s.addcmul(t1, t2, value: 0.5), mul, rtol: 1e-14)
    expectClose(s.addcdiv(t1, t2, value: -2), div, rtol: 1e-14)
    expectGradcheck("addcmul", { [$0[0].addcmul($0[1], $0[2], value: 0.5)] }, at: [s, t1, t2])
    expectGradcheck("addcdiv", { [$0[0].addcdiv($0[1], $0[2], value: -2)] }, at: [s, t1, t2])
    expectGradcheck("addcdiv (transposed)", { [$0[0].transposed().addcdiv($0[1], $0[2])] }, at: [s.transposed().contiguousCopy(), t1, t2])
    let z = [uniform([2, 3], -1...1, seed: 70, dtype: .complex128), uniform([3], -1...1, seed: 71, dtype: .complex128),
             uniform([2, 1], 0.5...1, seed: 72, dtype: .complex128)]
    expectGradcheck("addcmul complex128", { [$0[0].addcmul($0[1], $0[2], value: 1.5)] }, at: z)
    expectGradcheck("addcdiv complex128", { [$0[0].addcdiv($0[1], $0[2], value: 1.5)] }, at: z)
  }
}
