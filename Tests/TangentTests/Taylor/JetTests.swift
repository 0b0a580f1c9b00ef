import Foundation
import Testing
import TangentTesting

@testable import Tangent

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

@Suite struct JetTests {
  /// jet against nested jvp for a function of one tensor, along a curve with all K terms.
  func checkAgainstNestedJVP(_ f: @escaping (Tensor) -> Tensor, at x: Tensor, order: Int, seed: UInt64, tolerance: Double = 1e-10) {
    var rng = TestRandom(seed: seed)
    let series = (0..<order).map { _ in rng.tensor(x.shape, dtype: x.dtype) }
    let (value, out) = jet(of: f, at: x, series: series)
    let reference = nestedJVPDerivatives(of: { [f($0[0])] }, at: [x], series: series.map { [$0] })
    #expect(relativeError([value], reference[0]) == 0, "the value is f(x)")
    for k in 1...order {
      let e = relativeError([out[k - 1]], reference[k])
      #expect(e <= tolerance, "order \(k): relative error \(e)")
    }
  }

  @Test func elementwiseRecurrencesMatchNestedJVP() {
    var rng = TestRandom(seed: 1)
    let x = rng.tensor([3, 4], in: 0.2...1.5)
    let functions: [(String, (Tensor) -> Tensor)] = [
      ("exp", { $0.exp() }), ("log", { $0.log() }), ("log1p", { $0.log1p() }), ("expm1", { $0.expm1() }),
      ("sin", { $0.sin() }), ("cos", { $0.cos() }), ("tan", { $0.tan() }), ("tanh", { $0.tanh() }),
      ("sinh", { $0.sinh() }), ("cosh", { $0.cosh() }), ("sigmoid", { $0.sigmoid() }),
      ("logSigmoid", { $0.logSigmoid() }), ("softplus", { $0.softplus() }), ("silu", { $0.silu() }),
      ("erf", { $0.erf() }), ("erfc", { $0.erfc() }), ("sqrt", { $0.sqrt() }), ("rsqrt", { $0.rsqrt() }),
      ("square", { $0.square() }), ("reciprocal", { $0.reciprocal() }), ("pow 2.5", { $0.pow(2.5) }),
      ("pow -3", { $0.pow(-3) }), ("exp2", { $0.exp2() }), ("log2", { $0.log2() }), ("log10", { $0.log10() }),
      ("relu", { ($0 - 0.7).relu() }),
    ]
    for (i, (name, f)) in functions.enumerated() {
      let (_, fallbacks) = TaylorMode.recordingFallbacks { jet(of: f, at: x, series: [x, x, x]) }
      #expect(fallbacks.isEmpty, "\(name) fell back to the generic rule for \(fallbacks)")
      checkAgainstNestedJVP(f, at: x, order: 4, seed: UInt64(10 + i))
    }
  }

  @Test func productsQuotientsAndAnMLP() {
    var rng = TestRandom(seed: 2)
    let w1 = rng.tensor([4, 6]), w2 = rng.tensor([6, 1]), b = rng.tensor([6])
    let x = rng.tensor([3, 4], in: 0.5...1.5)
    checkAgainstNestedJVP({ $0.sin() * $0.exp() }, at: x, order: 5, seed: 3)
    checkAgainstNestedJVP({ $0.sin() / ($0 * $0 + 1) }, at: x, order: 4, seed: 4)
    checkAgainstNestedJVP({ ($0.matmul(w1) + b).tanh().matmul(w2) }, at: x, order: 4, seed: 5)
    checkAgainstNestedJVP({ $0.matmul($0.transposed()) }, at: x, order: 3, seed: 6)
    let (_, fallbacks) = TaylorMode.recordingFallbacks {
      jet(of: { ($0.matmul(w1) + b).tanh().matmul(w2).sum() }, at: x, series: [x, x])
    }
    #expect(fallbacks.isEmpty, "the MLP fell back for \(fallbacks)")
  }

  @Test func opsWithoutARuleTakeTheGenericRule() {
    var rng = TestRandom(seed: 7)
    let x = rng.tensor([3, 4])
    let f = { (x: Tensor) in x.logSumExp(dims: [1]).mish() }
    let (_, fallbacks) = TaylorMode.recordingFallbacks { jet(of: f, at: x, series: [x, x]) }
    #expect(fallbacks == ["mish"], "mish has no recurrence: \(fallbacks)")
    checkAgainstNestedJVP(f, at: x, order: 4, seed: 8)
  }

  @Test func aLineGivesDirectionalDerivatives() {
    // f(x) = x³ along x + t·v: derivatives 3x²v, 6xv², 6v³, 0.
    let x = Tensor([1.0, 2.0]), v = Tensor([0.5, -1.0])
    let (value, s) = jet(of: { $0 * $0 * $0 }, at: x, series: [v, Tensor.zeros([2]), Tensor.zeros([2]), Tensor.zeros([2])])
    #expect(value.doubles == [1, 8])
    #expect(s[0].doubles == [1.5, -12])
    #expect(s[1].doubles == [1.5, 12])
    #expect(s[2].doubles == [0.75, -6])
    #expect(s[3].doubles == [0, 0])
  }

  @Test func jetOfATreeAndAConstantOutput() {
    var rng = TestRandom(seed: 9)
    let a = rng.tensor([3]), b = rng.tensor([3])
    let f = { (p: [Tensor]) -> [Tensor] in [p[0] * p[1].exp(), Tensor.ones([2])] }
    let series = [[rng.tensor([3]), rng.tensor([3])], [rng.tensor([3]), rng.tensor([3])]]
    let (_, out) = jet(of: f, at: [a, b], series: series)
    let reference = nestedJVPDerivatives(of: f, at: [a, b], series: series)
    for k in 1...2 { #expect(relativeError(out[k - 1], reference[k]) <= 1e-12) }
    #expect(out[1][1].doubles == [0, 0], "an output that does not depend on the input has zero coefficients")
  }

  @Test func jetComposesWithGradientAndJVP() {
    var rng = TestRandom(seed: 11)
    let x = rng.tensor([4]), v = rng.tensor([4])
    // The second directional derivative vᵀ∇²f v of f = Σ tanh(x)·x, as a function of x:
    // its gradient (reverse over Taylor) against finite differences of the jet.
    let second = { (x: Tensor) in jet(of: { ($0.tanh() * $0).sum() }, at: x, series: [v, Tensor.zeros([4])]).series[1] }
    let g = gradient(of: second, at: x)
    let h = 1e-6
    for i in 0..<4 {
      var e = [Double](repeating: 0, count: 4)
      e[i] = h
      let fd = (second(x + Tensor(e)).doubles[0] - second(x - Tensor(e)).doubles[0]) / (2 * h)
      #expect(abs(g.doubles[i] - fd) <= 1e-6 * (1 + abs(fd)), "coordinate \(i): \(g.doubles[i]) vs \(fd)")
    }
    // jvp of a jet: the derivative of the third coefficient along w.
    let w = rng.tensor([4])
    let third = { (x: Tensor) in jet(of: { $0.sin().exp() }, at: x, series: [v, v, v]).series[2] }
    let (_, t) = jvp(of: third, at: x, along: w)
    let fd = (third(x + w * h) - third(x - w * h)) / (2 * h)
    #expect(relativeError([t], [fd]) <= 1e-6)
  }

  @Test func concurrentJetsAndJVPsStayApart() async {
    // Taylor levels are task-local: a jet in one task never turns another task's dual level
    // into a Taylor level, and the results match the sequential ones.
    var rng = TestRandom(seed: 12)
    let x = rng.tensor([16]), v = rng.tensor([16])
    let f: @Sendable (Tensor) -> Tensor = { x in (x.sin() * x).tanh().exp() }
    let jetReference = jet(of: f, at: x, series: [v, v, v]).series
    let jvpReference = jvp(of: f, at: x, along: v).tangent
    let ok = await withTaskGroup(of: Bool.self) { group in
      for i in 0..<8 {
        group.addTask {
          for _ in 0..<20 {
            if i % 2 == 0 {
              if relativeError(jet(of: f, at: x, series: [v, v, v]).series, jetReference) != 0 { return false }
            } else if relativeError([jvp(of: f, at: x, along: v).tangent], [jvpReference]) != 0 {
              return false
            }
          }
          return true
        }
      }
      return await group.allSatisfy { $0 }
    }
    #expect(ok)
  }

  @Test func mismatchedSeriesStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = jet(of: { $0.sin() }, at: Tensor([1.0, 2.0]), series: [Tensor([1.0, 2.0, 3.0])])
    }
    let text = stderrText(r)
    #expect(text.contains("jet: series[0] has a tensor of shape [3] for a point of shape [2]"), "\(text)")
  }
}
