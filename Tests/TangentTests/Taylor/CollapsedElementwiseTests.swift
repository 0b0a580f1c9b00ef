import Testing
import TangentTesting

@_spi(Benchmarks) @testable import Tangent

/// The fused collapsed pass through an elementwise op (``CollapsedUnaryOp``) against the
/// same formulas written with tensor ops, and its rules against finite differences.
@Suite struct CollapsedElementwiseTests {
  static let d = 3

  /// `[f′·P₀, …, f′·P_{d−1}, f′·P_d + h·Σⱼ Pⱼ²]` with tensor ops.
  static func reference(_ p: Tensor, _ s: Tensor, _ h: Tensor) -> Tensor {
    let first = p.narrowed(dim: 0, start: 0, length: d)
    let last = p.select(dim: 0, index: d) * s + h * (first * first).sum(dim: 0)
    return Tensor.cat([first * s, last.unsqueezed(dim: 0)], dim: 0)
  }

  static func fused(_ p: Tensor, _ s: Tensor, _ h: Tensor) -> Tensor {
    Tensor.apply(CollapsedUnaryOp(directions: d), [p, s, h])[0]
  }

  @Test(arguments: [DType.float64, .float32])
  func theFusedPassEqualsTheTensorOps(dtype: DType) {
    var rng = TestRandom(seed: 120)
    // 700 elements: more than one block of the kernel, and a partial last block.
    let p = rng.tensor([Self.d + 1, 7, 100], dtype: dtype), s = rng.tensor([7, 100], dtype: dtype), h = rng.tensor([7, 100], dtype: dtype)
    let tolerance = dtype == .float64 ? 1e-15 : 1e-6
    #expect(relativeError([Self.fused(p, s, h)], [Self.reference(p, s, h)]) <= tolerance)
  }

  @Test func theLargeParallelPassEqualsTheTensorOps() {
    var rng = TestRandom(seed: 121)
    let p = rng.tensor([Self.d + 1, 64, 300]), s = rng.tensor([64, 300]), h = rng.tensor([64, 300])
    #expect(relativeError([Self.fused(p, s, h)], [Self.reference(p, s, h)]) <= 1e-15)
  }

  @Test func theFusedReverseRuleEqualsTheTensorOps() {
    var rng = TestRandom(seed: 122)
    let p = rng.tensor([Self.d + 1, 5, 60]), s = rng.tensor([5, 60]), h = rng.tensor([5, 60]), w = rng.tensor([Self.d + 1, 5, 60])
    let fusedGradients = gradient(of: { (a: [Tensor]) in (Self.fused(a[0], a[1], a[2]) * w).sum() }, at: [p, s, h])
    let referenceGradients = gradient(of: { (a: [Tensor]) in (Self.reference(a[0], a[1], a[2]) * w).sum() }, at: [p, s, h])
    #expect(relativeError(fusedGradients, referenceGradients) <= 1e-14)
  }

  @Test func rulesPassGradcheck() {
    var rng = TestRandom(seed: 123)
    let inputs = [rng.tensor([Self.d + 1, 2, 3]), rng.tensor([2, 3]), rng.tensor([2, 3])]
    let result = gradcheck({ [Self.fused($0[0], $0[1], $0[2])] }, at: inputs)
    #expect(result.passed, "\(result)")
  }

  @Test func aTanhMLPTakesTheFusedPassAndKeepsItsLaplacian() {
    // The collapsed pass with the fused kernel against Hessian traces, value and gradient of
    // a PINN loss against the unfused form (a level nested outside keeps the tensor ops).
    var rng = TestRandom(seed: 124)
    let w1 = rng.tensor([4, 9]), b1 = rng.tensor([9]), w2 = rng.tensor([9, 1])
    let x = rng.tensor([5, 4])
    let u = { (w: Tensor, x: Tensor) in (x.matmul(w) + b1).tanh().matmul(w2).squeezed(dim: -1) }
    let lap = laplacian(of: { u(w1, $0) }, at: x).laplacian
    for i in 0..<5 {
      let trace = hessian(of: { u(w1, $0.unsqueezed(dim: 0)).sum() }, at: x.select(dim: 0, index: i)).trace()
      #expect(relativeError([lap.select(dim: 0, index: i)], [trace]) <= 1e-13, "point \(i)")
    }
    let loss = { (w: Tensor) in laplacian(of: { u(w, $0) }, at: x).laplacian.square().mean() }
    let g = gradient(of: loss, at: w1)
    // Forward over reverse: the HVP of the loss runs the collapsed pass on dual values (the
    // unfused form); its contraction with a direction is the JVP of the fused gradient.
    let v = rng.tensor([4, 9])
    let (_, dg) = jvp(of: { gradient(of: loss, at: $0) }, at: w1, along: v)
    let eps = 1e-6
    let fd = (gradient(of: loss, at: w1 + v * eps) - gradient(of: loss, at: w1 - v * eps)) / (2 * eps)
    #expect(relativeError([dg], [fd]) <= 1e-6)
    let fdLoss = (loss(w1 + v * eps) - loss(w1 - v * eps)) / (2 * eps)
    #expect(relativeError([(g * v).sum()], [fdLoss]) <= 1e-6)
  }

  @Test func theBenchmarkSwitchRunsTheUnfusedFormWithTheSameResults() {
    var rng = TestRandom(seed: 125)
    let w1 = rng.tensor([4, 9]), b1 = rng.tensor([9]), w2 = rng.tensor([9, 1])
    let x = rng.tensor([5, 4])
    let u = { (w: Tensor, x: Tensor) in (x.matmul(w) + b1).tanh().matmul(w2).squeezed(dim: -1) }
    let loss = { (w: Tensor) in laplacian(of: { u(w, $0) }, at: x).laplacian.square().mean() }
    #expect(TaylorMode.fusesCollapsedElementwise)
    let (fusedLoss, fusedGradient) = (loss(w1), gradient(of: loss, at: w1))
    BenchmarkSettings.taylorFusesElementwise = false
    defer { BenchmarkSettings.taylorFusesElementwise = true }
    #expect(!TaylorMode.fusesCollapsedElementwise)
    #expect(relativeError([loss(w1), gradient(of: loss, at: w1)], [fusedLoss, fusedGradient]) <= 1e-13)
  }

  /// The dispatched C loops of the kernel (whichever clone this CPU selects) against the same
  /// formulas evaluated element by element in Swift, in the same order: equal bit for bit,
  /// forward and reverse, for a partial last block and an odd element count.
  @Test(arguments: [DType.float64, .float32])
  func theDispatchedLoopsEqualAScalarLoopBitForBit(dtype: DType) {
    var rng = TestRandom(seed: 126)
    let d = Self.d, n = 2 * CollapsedKernels.block + 37
    let p = rng.tensor([d + 1, n], dtype: dtype), s = rng.tensor([n], dtype: dtype), h = rng.tensor([n], dtype: dtype)
    let g = rng.tensor([d + 1, n], dtype: dtype)
    let (pv, sv, hv, gv) = (p.doubles, s.doubles, h.doubles, g.doubles)
    let out = Self.fused(p, s, h)
    let (gp, gs, gh) = (Tensor.zeros(like: p), Tensor.zeros(like: s), Tensor.zeros(like: h))
    switch dtype {
    case .float32: CollapsedKernels.backward(Float.self, g, p, s, h, gp, gs, gh, directions: d)
    default: CollapsedKernels.backward(Double.self, g, p, s, h, gp, gs, gh, directions: d)
    }
    func check<T: RealScalar>(_: T.Type) {
      let (o, ogp, ogs, ogh) = (out.scalars(as: T.self), gp.scalars(as: T.self), gs.scalars(as: T.self), gh.scalars(as: T.self))
      var mismatches = 0
      for i in 0..<n {
        let (si, hi, gl) = (T(sv[i]), T(hv[i]), T(gv[d * n + i]))
        var q: T = 0, sums: T = 0
        for j in 0..<d {
          let v = T(pv[j * n + i]), c = T(gv[j * n + i])
          if o[j * n + i] != v * si { mismatches += 1 }
          if ogp[j * n + i] != c * si + 2 * hi * gl * v { mismatches += 1 }
          q += v * v
          sums += c * v
        }
        let last = T(pv[d * n + i])
        if o[d * n + i] != last * si + hi * q { mismatches += 1 }
        if ogp[d * n + i] != gl * si { mismatches += 1 }
        if ogs[i] != sums + gl * last { mismatches += 1 }
        if ogh[i] != gl * q { mismatches += 1 }
      }
      #expect(mismatches == 0, "\(mismatches) elements differ from the scalar loop (\(T.self))")
    }
    if dtype == .float32 { check(Float.self) } else { check(Double.self) }
  }
}
