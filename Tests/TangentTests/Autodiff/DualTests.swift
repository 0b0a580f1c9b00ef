import Foundation
import Testing
import Tangent
import TangentTesting

@Suite struct DualTests {
  @Test func jvpOfComposite() {
    let x = Tensor([0.3, -0.7, 1.1])
    let v = Tensor([1.0, 0.5, -2.0])
    let (y, t): (Tensor, Tensor?) = withDualLevel { l in
      let y = (x.dual(tangent: v, at: l) * 2).sin().exp().sum()
      return y.unpacked(at: l)
    }
    let xs = x.doubles, vs = v.doubles
    let want = zip(xs, vs).reduce(0.0) { $0 + exp(sin(2 * $1.0)) * cos(2 * $1.0) * 2 * $1.1 }
    #expect(abs(y.scalar - xs.reduce(0) { $0 + exp(sin(2 * $1)) }) < 1e-12)
    #expect(abs(t!.scalar - want) < 1e-12)
  }

  @Test func perturbationConfusion() {
    // d/dx [x · d/dy (x + y)] at y = 1, x = 1 is 1, not 2.
    let v: Double = withDualLevel { lx in
      let x = Tensor(1.0).dual(tangent: Tensor(1.0), at: lx)
      let inner: Tensor = withDualLevel { ly in
        let y = Tensor(1.0).dual(tangent: Tensor(1.0), at: ly)
        return (x + y).tangent(at: ly)!
      }
      return (x * inner).tangent(at: lx)!.scalar
    }
    #expect(v == 1)
  }

  @Test func nestedThreeDeep() {
    // The third derivative of x⁴ at x = 1.5 is 24x = 36; the mixed parts are exact too.
    let d3: Double = withDualLevel { a in
      withDualLevel { b in
        withDualLevel { c in
          let x = Tensor(1.5).dual(tangent: Tensor(1.0), at: a)
            .dual(tangent: Tensor(1.0), at: b)
            .dual(tangent: Tensor(1.0), at: c)
          let y = x * x * x * x
          return y.tangent(at: c)!.tangent(at: b)!.tangent(at: a)!.scalar
        }
      }
    }
    #expect(abs(d3 - 36) < 1e-12)
    // The same third derivative through the functional API.
    let f = { (x: Tensor) in (x * x * x * x).sum() }
    let g = { (x: Tensor) in jvp(of: f, at: x, along: Tensor(1.0)).tangent }
    let h = { (x: Tensor) in jvp(of: g, at: x, along: Tensor(1.0)).tangent }
    let third = jvp(of: h, at: Tensor(1.5), along: Tensor(1.0)).tangent
    #expect(abs(third.scalar - 36) < 1e-12)
  }

  @Test func unpackingAnInnerLevelKeepsTheMixedTerm() {
    // x carries ε_a and ε_b; y = x²: the tangent at a (inner) should carry its own b-tangent 2.
    let mixed: Double = withDualLevel { a in
      withDualLevel { b in
        let x = Tensor(3.0).dual(tangent: Tensor(1.0), at: a).dual(tangent: Tensor(1.0), at: b)
        let ta = (x * x).tangent(at: a)!  // 2x + 2 ε_b
        #expect(ta.primal(at: b).scalar == 6)
        return ta.tangent(at: b)!.scalar
      }
    }
    #expect(mixed == 2)
  }

  @Test func zeroTangentsStayAbsent() {
    let (t1, t2): (Tensor?, Tensor?) = withDualLevel { l in
      let x = Tensor([1.0, 2.0]).dual(tangent: Tensor([1.0, 1.0]), at: l)
      let w = Tensor([3.0, 4.0])
      let constant = (w * w).exp()  // does not touch x
      return ((x * w).tangent(at: l), constant.tangent(at: l))
    }
    #expect(t1?.doubles == [3, 4])
    #expect(t2 == nil)
  }

  @Test func chunkedTangentsEqualSingleOnes() {
    var rng = TestRandom(seed: 3)
    let x = rng.tensor([2, 3]), b = rng.tensor([3])
    let f = { (x: Tensor) in ((x * b).tanh() / (x.cos() + 2)).sum(dim: 0) }
    let dirs = (0..<4).map { _ in rng.tensor([2, 3]) }
    let stacked = Tensor(shape: [4, 2, 3], scalars: dirs.flatMap(\.doubles))
    let chunked = jvp(of: f, at: x, along: stacked, chunked: true).tangent
    #expect(chunked.shape == [4, 3])
    for (k, d) in dirs.enumerated() {
      let single = jvp(of: f, at: x, along: d).tangent.doubles
      let slice = Array(chunked.doubles[(k * 3)..<(k * 3 + 3)])
      for (p, q) in zip(slice, single) { #expect(abs(p - q) < 1e-12) }
    }
  }

  @Test func dualTensorsAreTaskLocal() async {
    // Concurrent tasks each open levels and differentiate; none sees another's level.
    let results = await withTaskGroup(of: (Int, Double, Double).self) { group in
      for i in 0..<16 {
        group.addTask {
          let x = Tensor(Double(i) * 0.1)
          let d = jvp(of: { ($0 * $0 * $0).sin() }, at: x, along: Tensor(1.0)).tangent.scalar
          let g = gradient(of: { ($0 * $0).exp().sum() }, at: x).scalar
          return (i, d, g)
        }
      }
      var out: [(Int, Double, Double)] = []
      for await r in group { out.append(r) }
      return out
    }
    #expect(results.count == 16)
    for (i, d, g) in results {
      let x = Double(i) * 0.1
      #expect(abs(d - cos(x * x * x) * 3 * x * x) < 1e-12)
      #expect(abs(g - exp(x * x) * 2 * x) < 1e-12)
    }
  }

  @Test func usingAClosedLevelStops() async {
    await #expect(processExitsWith: .failure) {
      let (y, level): (Tensor, DualLevel) = withDualLevel { l in (Tensor(1.0).dual(tangent: Tensor(1.0), at: l), l) }
      _ = y.tangent(at: level)
    }
  }

  @Test func aLeakedDualTensorStopsWhenUsed() async {
    await #expect(processExitsWith: .failure) {
      let leaked: Tensor = withDualLevel { l in Tensor([1.0]).dual(tangent: Tensor([1.0]), at: l) * 2 }
      _ = leaked.sin()
    }
  }

  @Test func savedTensorsOfAClosedLevelReplayFine() {
    // Reverse-over-forward: the tape saved dual tensors whose level has closed by the time
    // backward runs; the closed tangents are ignored there, not reported as leaks.
    let x = Tensor([0.3]).requiringGrad()
    let t: Tensor = withDualLevel { l in x.dual(tangent: Tensor([1.0]), at: l).sin().tangent(at: l)! }
    let g = gradients(of: t.sum(), wrt: [x])[0]
    #expect(abs(g.scalar + sin(0.3)) < 1e-15)
  }

  @Test func tangentShapeMismatchStops() async {
    await #expect(processExitsWith: .failure) {
      withDualLevel { l in _ = Tensor([1.0, 2.0]).dual(tangent: Tensor([1.0, 2.0, 3.0]), at: l) }
    }
  }

  /// Nested levels with chunked tangents unpack in either order: the mixed second derivative
  /// of y = sin(x²) along an outer chunk vₖ and an inner tangent (single or chunked) uⱼ is
  /// y″(xᵢ)·vₖᵢ·uⱼᵢ, with the outer chunk dim first.
  @Test func nestedChunkedLevelsUnpackInEitherOrder() {
    let x = [0.5, 1.0, -0.3]
    let v = [[1.0, 0.5, 0], [0, 1.0, -2.0]]
    let second = x.map { 2 * cos($0 * $0) - 4 * $0 * $0 * sin($0 * $0) }
    for u in [[[0.2, 0.1, 0.4]], [[0.2, 0.1, 0.4], [1.0, 0, 0], [0, 0, 1.0]]] {
      let single = u.count == 1
      let want = v.flatMap { vk in u.flatMap { uj in (0..<3).map { second[$0] * vk[$0] * uj[$0] } } }
      let innerTangent = single ? Tensor(u[0]) : Tensor(shape: [u.count, 3], scalars: u.flatMap { $0 })
      withDualLevel { outer in
        let xo = Tensor(x).dual(tangent: Tensor(shape: [2, 3], scalars: v.flatMap { $0 }), at: outer)
        withDualLevel { inner in
          let y = (xo.dual(tangent: innerTangent, at: inner) * xo.dual(tangent: innerTangent, at: inner)).sin()
          let innerFirst = y.tangent(at: inner)!.tangent(at: outer)!
          let outerFirst = y.tangent(at: outer)!.tangent(at: inner)!
          let shape = single ? [2, 3] : [2, u.count, 3]
          #expect(innerFirst.shape == shape && outerFirst.shape == shape)
          for (got, w) in zip(innerFirst.doubles, want) { #expect(abs(got - w) <= 1e-14) }
          for (got, w) in zip(outerFirst.doubles, want) { #expect(abs(got - w) <= 1e-14) }
        }
      }
    }
  }
}
