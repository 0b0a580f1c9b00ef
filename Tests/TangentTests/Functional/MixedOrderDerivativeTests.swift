import Foundation
import Testing
import Tangent

/// Third and fourth derivatives in every mixed order of the transforms, through ops whose
/// reverse rule reads their own output (tanh, sigmoid, exp, sqrt, reciprocal, softmax).
///
/// Regression for a wrong derivative: tape nodes stored their outputs without the tape links
/// of the outputs' tangents, so reverse-over-forward-over-reverse (and `hessian` of
/// `hessian`) lost the term through the tangent of a saved output: d³/dx³ tanh came out as
/// −2s² instead of 4t²s − 2s². Every composition below is checked against the closed form
/// (elementwise ops) or against central differences of the composition one order lower.
@Suite struct MixedOrderDerivativeTests {
  typealias Function = (Tensor) -> Tensor

  /// One transform applied to a vector function g: Rⁿ → Rⁿ. For an elementwise g each gives
  /// the elementwise derivative (of order 1, or 2 for `hvp` and `hessian`); in general the
  /// first-order ones give ∇Σg (the reverse ones) or J·1 (`jvp`), the second-order ones H·1 of Σg.
  enum Layer: String, CaseIterable {
    case gradient, jvp, jacrev, jacfwd, hvp, hessian

    var order: Int { self == .hvp || self == .hessian ? 2 : 1 }

    func callAsFunction(_ g: @escaping Function) -> Function {
      switch self {
      case .gradient: return { x in Tangent.gradient(of: { g($0).sum() }, at: x) }
      case .jvp: return { x in Tangent.jvp(of: g, at: x, along: Tensor.ones(like: x)).tangent }
      case .jacrev: return { x in Tangent.jacrev(of: g, at: x).sum(dim: 0) }
      case .jacfwd: return { x in Tangent.jacfwd(of: g, at: x).sum(dim: 0) }
      case .hvp: return { x in Tangent.hvp(of: { g($0).sum() }, at: x, along: Tensor.ones(like: x)).hvp }
      case .hessian: return { x in Tangent.hessian(of: { g($0).sum() }, at: x).sum(dim: 0) }
      }
    }

    /// The same transform by central differences (of the automatic derivative of g for the
    /// second-order ones, which is one order below the whole composition).
    func byDifferences(_ g: @escaping Function) -> Function {
      switch self {
      case .gradient, .jacrev, .jacfwd: return { x in differenceGradient({ g($0).sum() }, at: x) }
      case .jvp: return { x in differenceJVP(g, at: x) }
      case .hvp, .hessian: return { x in differenceJVP(Layer.gradient(g), at: x) }
      }
    }
  }

  static let h = 1e-5

  /// (g(x + h·1) − g(x − h·1)) / 2h: J·1.
  static func differenceJVP(_ g: Function, at x: Tensor) -> Tensor {
    (g(x + h) - g(x - h)) / (2 * h)
  }

  /// ∇s by central differences, one coordinate at a time.
  static func differenceGradient(_ s: Function, at x: Tensor) -> Tensor {
    let n = x.count
    return Tensor((0..<n).map { i in
      let e = Tensor((0..<n).map { $0 == i ? h : 0 })
      return (s(x + e).doubles[0] - s(x - e).doubles[0]) / (2 * h)
    })
  }

  /// Every sequence of layers whose orders add up to `order`, outermost first.
  static func compositions(ofOrder order: Int) -> [[Layer]] {
    if order == 0 { return [[]] }
    return Layer.allCases.flatMap { l in
      l.order > order ? [] : compositions(ofOrder: order - l.order).map { [l] + $0 }
    }
  }

  static func apply(_ layers: [Layer], to g: @escaping Function) -> Function {
    layers.reversed().reduce(g) { f, l in l(f) }
  }

  /// An elementwise op and its derivatives of orders 1 to 4.
  struct Elementwise: CustomTestStringConvertible, Sendable {
    let name: String
    let op: @Sendable (Tensor) -> Tensor
    let derivative: @Sendable (Double, Int) -> Double
    let point: [Double]
    var testDescription: String { name }
  }

  static let elementwise: [Elementwise] = [
    Elementwise(name: "tanh", op: { $0.tanh() }, derivative: { x, k in
      // t = tanh x, s = 1 − t²: s, −2ts, 4t²s − 2s², 16ts² − 8t³s.
      let t = Foundation.tanh(x), s = 1 - t * t
      return [s, -2 * t * s, 4 * t * t * s - 2 * s * s, 16 * t * s * s - 8 * t * t * t * s][k - 1]
    }, point: [0.3, -0.7, 1.1]),
    Elementwise(name: "sigmoid", op: { $0.sigmoid() }, derivative: { x, k in
      // σ′ = σ(1 − σ), σ″ = σ′(1 − 2σ), σ‴ = σ′(1 − 6σ + 6σ²), σ⁗ = σ′(1 − 2σ)(1 − 12σ + 12σ²).
      let p = 1 / (1 + Foundation.exp(-x)), d = p * (1 - p)
      return [d, d * (1 - 2 * p), d * (1 - 6 * p + 6 * p * p), d * (1 - 2 * p) * (1 - 12 * p + 12 * p * p)][k - 1]
    }, point: [0.3, -0.7, 1.1]),
    Elementwise(name: "exp", op: { $0.exp() }, derivative: { x, _ in Foundation.exp(x) }, point: [0.3, -0.7, 1.1]),
    Elementwise(name: "sqrt", op: { $0.sqrt() }, derivative: { x, k in
      // x^½: ½x^−½, −¼x^−³ᐟ², ⅜x^−⁵ᐟ², −¹⁵⁄₁₆x^−⁷ᐟ².
      [0.5, -0.25, 0.375, -0.9375][k - 1] * Foundation.pow(x, 0.5 - Double(k))
    }, point: [0.3, 0.7, 1.1]),
    Elementwise(name: "reciprocal", op: { $0.reciprocal() }, derivative: { x, k in
      // x⁻¹: (−1)ᵏ k! x^−(k+1).
      let factorial = [1.0, 2, 6, 24][k - 1]
      return (k % 2 == 0 ? 1 : -1) * factorial * Foundation.pow(x, -Double(k + 1))
    }, point: [0.3, -0.7, 1.1]),
  ]

  /// Every third- and fourth-order composition against the closed form.
  @Test(arguments: elementwise)
  func elementwiseOpsMatchTheClosedForm(_ c: Elementwise) {
    let x = Tensor(c.point)
    for order in [3, 4] {
      let want = c.point.map { c.derivative($0, order) }
      for layers in Self.compositions(ofOrder: order) {
        let got = Self.apply(layers, to: c.op)(x).doubles
        for (a, b) in zip(got, want) {
          #expect(abs(a - b) <= 1e-10 * (1 + abs(b)), "\(c.name) \(layers.map(\.rawValue)): \(got), expected \(want)")
        }
      }
    }
  }

  /// Softmax is not elementwise: each composition's outermost transform is checked against
  /// central differences of the composition below it. The input is scaled first: softmax is
  /// shift-invariant, so its JVP along the all-ones direction of `jvp` and `hvp` would be 0
  /// and hide the term that the defect dropped.
  @Test func softmaxMatchesDifferencesOfTheOrderBelow() {
    let w = Tensor([0.5, -1.25, 2.0]), s = Tensor([1.0, -2.0, 0.5])
    let g: Function = { ($0 * s).softmax(dim: 0) * w }
    let x = Tensor([0.3, -0.7, 1.1])
    for order in [3, 4] {
      for layers in Self.compositions(ofOrder: order) {
        let inner = Self.apply(Array(layers.dropFirst()), to: g)
        let got = layers[0](inner)(x).doubles
        let want = layers[0].byDifferences(inner)(x).doubles
        for (a, b) in zip(got, want) {
          #expect(abs(a - b) <= 1e-6 * (1 + abs(b)), "softmax \(layers.map(\.rawValue)): \(got), expected \(want)")
        }
      }
    }
  }

  /// The case that found the defect: `hessian` of the summed `hessian` of Σ tanh is the
  /// fourth derivative, on the diagonal.
  @Test func hessianOfHessianThroughTanh() {
    let x = Tensor([0.3, -0.7])
    let nested = hessian(of: { x in hessian(of: { $0.tanh().sum() }, at: x).sum() }, at: x)
    let fourth = Self.elementwise[0].derivative
    let want = Tensor([fourth(0.3, 4), 0, 0, fourth(-0.7, 4)]).reshaped([2, 2])
    #expect(nested.allClose(want, rtol: 1e-10, atol: 1e-12), "\(nested), expected \(want)")
  }

  /// Four nested gradients (reverse mode only) agree with the closed form too.
  @Test func fourGradientsMatchTheClosedForm() {
    let x = 0.3
    let got = gradient(of: { x in
      gradient(of: { x in
        gradient(of: { x in gradient(of: { $0.tanh().sum() }, at: x).sum() }, at: x).sum()
      }, at: x).sum()
    }, at: Tensor([x])).doubles[0]
    #expect(abs(got - Self.elementwise[0].derivative(x, 4)) < 1e-10)
  }

  /// Mixed transforms over a function of several ops whose rules read outputs, in the forms
  /// users write: a third-derivative tensor by `jacrev`/`jacfwd` of `hessian`, and `hvp` of
  /// a gradient, against central differences of the Hessian.
  @Test func thirdDerivativeTensorsOfACompositeFunction() {
    let f: Function = { x in (x.tanh() * x.sigmoid()).sum() + x.exp().reciprocal().softmax(dim: 0).sum(dim: 0) * x.sqrt().sum() }
    let x = Tensor([0.3, 0.7, 1.1])
    let n = 3
    // T[i, j, k] = ∂H[i, j]/∂x[k], by differences of the Hessian.
    var t = [Double](repeating: 0, count: n * n * n)
    for k in 0..<n {
      let e = Tensor((0..<n).map { $0 == k ? Self.h : 0 })
      let d = ((hessian(of: f, at: x + e) - hessian(of: f, at: x - e)) / (2 * Self.h)).doubles
      for ij in 0..<(n * n) { t[ij * n + k] = d[ij] }
    }
    let want = Tensor(t).reshaped([n, n, n])
    let byJacrev = jacrev(of: { hessian(of: f, at: $0) }, at: x)
    let byJacfwd = jacfwd(of: { hessian(of: f, at: $0) }, at: x)
    let byGradients = jacrev(of: { jacrev(of: { gradient(of: f, at: $0) }, at: $0) }, at: x)
    for (name, got) in [("jacrev∘hessian", byJacrev), ("jacfwd∘hessian", byJacfwd), ("jacrev∘jacrev∘gradient", byGradients)] {
      #expect(got.allClose(want, rtol: 1e-6, atol: 1e-7), "\(name): \(got), expected \(want)")
    }
    // ∇ of v·H(x)·v by hvp, and jvp of the hvp: contractions of the same tensor.
    let v = Tensor([0.5, -1.0, 0.25])
    let contracted = gradient(of: { x in (hvp(of: f, at: x, along: v).hvp * v).sum() }, at: x)
    let tv = want.matmul(v)  // T·v: [i, j]
    #expect(contracted.allClose(v.matmul(tv), rtol: 1e-6, atol: 1e-7))
    let along = jvp(of: { hvp(of: f, at: $0, along: v).hvp }, at: x, along: v).tangent
    #expect(along.allClose(tv.matmul(v), rtol: 1e-6, atol: 1e-7))
  }
}
