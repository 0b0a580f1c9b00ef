import Testing

@testable import Tangent

/// L-BFGS, Newton-CG and Levenberg–Marquardt on problems with known minima. The iteration
/// counts are printed (`swift test --filter SecondOrderTests`) and bounded.
@Suite struct SecondOrderTests {
  /// The n-dimensional Rosenbrock function Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², minimum 0 at ones.
  static func rosenbrock(_ x: Tensor) -> Tensor {
    let n = x.shape[0]
    let a = x.narrowed(dim: 0, start: 0, length: n - 1), b = x.narrowed(dim: 0, start: 1, length: n - 1)
    return (100 * (b - a * a).square() + (1 - a).square()).sum()
  }

  /// The classic start (−1.2, 1, −1.2, 1, …).
  static func rosenbrockStart(_ n: Int) -> Tensor {
    Tensor((0..<n).map { $0 % 2 == 0 ? -1.2 : 1.0 })
  }

  static func maxDistanceToOnes(_ x: Tensor) -> Double { x.doubles.map { Swift.abs($0 - 1) }.max()! }

  @Test("L-BFGS on Rosenbrock", arguments: [2, 5, 10])
  func lbfgsRosenbrock(n: Int) {
    // changeTolerance 0: stop on the gradient only (PyTorch's 1e-9 on the change of f stops at f ≈ 1e-10).
    let result = LBFGS(maxIterations: 500, gradientTolerance: 1e-9, changeTolerance: 0)
      .minimize(from: Self.rosenbrockStart(n), Self.rosenbrock)
    print("LBFGS rosenbrock n=\(n): \(result.iterations) iterations, \(result.functionEvaluations) evaluations, \(result.reason), f=\(result.value)")
    #expect(result.reason == .gradientTolerance, "\(result.reason)")
    #expect(Self.maxDistanceToOnes(result.parameters) < 1e-8)
    #expect(result.value < 1e-16)
    #expect(result.iterations < 150)
    #expect(result.innerIterations == 0)
  }

  @Test("Newton-CG on Rosenbrock", arguments: [2, 5, 10])
  func newtonCGRosenbrock(n: Int) {
    // SciPy's Newton-CG takes 86, 109 and 130 iterations here (n = 2, 5, 10).
    let result = NewtonCG(maxIterations: 500, gradientTolerance: 1e-9).minimize(from: Self.rosenbrockStart(n), Self.rosenbrock)
    print("NewtonCG rosenbrock n=\(n): \(result.iterations) iterations, \(result.functionEvaluations) evaluations, \(result.innerIterations) HVPs, \(result.reason)")
    #expect(result.converged, "\(result.reason)")
    #expect(result.reason == .gradientTolerance)
    #expect(Self.maxDistanceToOnes(result.parameters) < 1e-8)
    #expect(result.iterations < 200)
    #expect(result.innerIterations >= result.iterations)
  }

  /// The two ways of computing the Hessian-vector products (a replayed linearization of the
  /// gradient, and one `hvp` per product) give the same iterates.
  @Test func newtonCGProductModesAgree() {
    let replayed = NewtonCG(gradientTolerance: 1e-9).minimize(from: Self.rosenbrockStart(4), Self.rosenbrock)
    let direct = NewtonCG(gradientTolerance: 1e-9, linearizesGradient: false).minimize(from: Self.rosenbrockStart(4), Self.rosenbrock)
    #expect(replayed.reason == .gradientTolerance && direct.reason == .gradientTolerance)
    #expect(replayed.iterations == direct.iterations && replayed.innerIterations == direct.innerIterations)
    for (a, b) in zip(replayed.parameters.doubles, direct.parameters.doubles) { #expect(Swift.abs(a - b) < 1e-12) }
  }

  /// With replayed products, f runs once per evaluation: the accepted trial's tape gives every
  /// product of the next iteration (only the lowest trial's tape is kept, and on Rosenbrock the
  /// accepted trial is always the lowest), so no `hvp` re-evaluates f.
  @Test func newtonCGKeepsTheAcceptedTrialsTape() {
    nonisolated(unsafe) var calls = 0
    let result = NewtonCG(gradientTolerance: 1e-9).minimize(from: Self.rosenbrockStart(4)) { x in
      calls += 1
      return Self.rosenbrock(x)
    }
    #expect(result.reason == .gradientTolerance)
    #expect(result.innerIterations > result.iterations)
    #expect(calls == result.functionEvaluations, "\(calls) calls of f for \(result.functionEvaluations) evaluations")
  }

  /// Levenberg–Marquardt on Rosenbrock as least squares: r = (10(x₂ − x₁²), 1 − x₁).
  @Test func levenbergMarquardtRosenbrock() {
    let residuals = { (x: Tensor) in
      let x1 = x.narrowed(dim: 0, start: 0, length: 1), x2 = x.narrowed(dim: 0, start: 1, length: 1)
      return Tensor.cat([10 * (x2 - x1 * x1), 1 - x1], dim: 0)
    }
    let result = LevenbergMarquardt().minimize(from: Tensor([-1.2, 1.0]), residuals: residuals)
    print("LevenbergMarquardt rosenbrock: \(result.iterations) iterations, \(result.functionEvaluations) passes, \(result.innerIterations) JᵀJ products, \(result.reason)")
    #expect(result.converged, "\(result.reason)")
    #expect(Self.maxDistanceToOnes(result.parameters) < 1e-8)
    #expect(result.iterations < 50)
  }

  /// A curve fit with an exact solution: y = a·exp(−b t) + c sampled without noise, fitted
  /// from a poor start with structured parameters; LM recovers (a, b, c) to rounding.
  @Test func levenbergMarquardtCurveFitRecoversExactParameters() {
    let t = Tensor.linspace(0, 4, count: 30)
    let model = { (p: [String: Tensor]) in p["a"]! * (-p["b"]! * t).exp() + p["c"]! }
    let data = model(["a": Tensor([2.5]), "b": Tensor([1.3]), "c": Tensor([0.5])])
    let start: [String: Tensor] = ["a": Tensor([1.0]), "b": Tensor([0.3]), "c": Tensor([0.0])]
    let result = LevenbergMarquardt().minimize(from: start) { p in model(p) - data }
    print("LevenbergMarquardt curve fit: \(result.iterations) iterations, \(result.functionEvaluations) passes, \(result.innerIterations) JᵀJ products, \(result.reason), F=\(result.value)")
    #expect(result.converged, "\(result.reason)")
    #expect(Swift.abs(result.parameters["a"]!.scalar - 2.5) < 1e-9)
    #expect(Swift.abs(result.parameters["b"]!.scalar - 1.3) < 1e-9)
    #expect(Swift.abs(result.parameters["c"]!.scalar - 0.5) < 1e-9)
    #expect(result.value < 1e-20)
  }

  /// Starting as pure Gauss-Newton (λ₀ = 0) works on the same fit.
  @Test func gaussNewtonStart() {
    let t = Tensor.linspace(0, 2, count: 20)
    let data = 3 * (0.7 * t).sin() + 0.2 * t
    let residuals = { (p: Tensor) in
      let amplitude = p.narrowed(dim: 0, start: 0, length: 1), frequency = p.narrowed(dim: 0, start: 1, length: 1)
      let slope = p.narrowed(dim: 0, start: 2, length: 1)
      return amplitude * (frequency * t).sin() + slope * t - data
    }
    let result = LevenbergMarquardt(initialDamping: 0).minimize(from: Tensor([2.0, 0.9, 0.0]), residuals: residuals)
    #expect(result.converged, "\(result.reason)")
    let p = result.parameters.doubles
    #expect(Swift.abs(p[0] - 3) < 1e-8 && Swift.abs(p[1] - 0.7) < 1e-8 && Swift.abs(p[2] - 0.2) < 1e-8, "\(p)")
  }

  /// A regularised logistic regression (strictly convex): L-BFGS and Newton-CG reach points
  /// whose gradient, recomputed independently, is ≈ 0, and they agree.
  @Test func logisticRegression() {
    var gen = SeededGenerator(seed: 11)
    let x = Tensor.randn([200, 5], using: &gen)
    let truth = Tensor([[1.0], [-2.0], [0.5], [0.0], [3.0]])
    let noise = Tensor.randn([200, 1], using: &gen) * 2
    let y = ((x.matmul(truth) + noise).sign() + 1) / 2
    let loss = { (p: [String: Tensor]) in
      let z = x.matmul(p["w"]!) + p["b"]!
      return (z.softplus() - y * z).mean() + 5e-4 * (p["w"]! * p["w"]!).sum()
    }
    let start: [String: Tensor] = ["w": Tensor.zeros([5, 1]), "b": Tensor.zeros([1])]
    let lbfgs = LBFGS(gradientTolerance: 1e-8, changeTolerance: 0).minimize(from: start, loss)
    let newton = NewtonCG(gradientTolerance: 1e-8).minimize(from: start, loss)
    print("logistic regression: LBFGS \(lbfgs.iterations) iterations (\(lbfgs.functionEvaluations) evaluations, \(lbfgs.reason)); NewtonCG \(newton.iterations) iterations (\(newton.innerIterations) HVPs, \(newton.reason))")
    for r in [lbfgs, newton] {
      let g = gradient(of: loss, at: r.parameters)
      let gMax = max(g["w"]!.abs().max().scalar, g["b"]!.abs().max().scalar)
      #expect(r.reason == .gradientTolerance, "\(r.reason)")
      #expect(gMax <= 1e-8 && gMax == r.gradientNorm, "\(gMax)")
      #expect(Swift.abs(r.value - loss(r.parameters).scalar) < 1e-15)
    }
    for (a, b) in zip(lbfgs.parameters["w"]!.doubles, newton.parameters["w"]!.doubles) { #expect(Swift.abs(a - b) < 1e-6) }
    #expect(newton.iterations < 20)
  }

  /// The negative-curvature guard: from a point where the Hessian is indefinite,
  /// f = x⁴/4 − x²/2 + y²/2 (a saddle at 0, minima at (±1, 0)), Newton-CG still descends
  /// and converges to a minimum instead of the saddle.
  @Test func newtonCGEscapesNegativeCurvature() {
    let f = { (p: Tensor) in
      let x = p.narrowed(dim: 0, start: 0, length: 1), y = p.narrowed(dim: 0, start: 1, length: 1)
      return (0.25 * x * x * x * x - 0.5 * x * x + 0.5 * y * y).sum()
    }
    let result = NewtonCG(gradientTolerance: 1e-10).minimize(from: Tensor([0.05, 1.0]), f)
    #expect(result.reason == .gradientTolerance)
    let p = result.parameters.doubles
    #expect(Swift.abs(Swift.abs(p[0]) - 1) < 1e-9 && Swift.abs(p[1]) < 1e-9, "\(p)")
    #expect(Swift.abs(result.value + 0.25) < 1e-12)
  }

  /// A start that is already a minimum stops at once, and a non-finite start is reported.
  @Test func stoppingAtTheStart() {
    let atMinimum = LBFGS().minimize(from: Tensor.ones([4]), Self.rosenbrock)
    #expect(atMinimum.reason == .gradientTolerance && atMinimum.iterations == 0 && atMinimum.functionEvaluations == 1)
    let bad = NewtonCG().minimize(from: Tensor([Double.nan, 1])) { $0.sum() }
    #expect(bad.reason == .nonFiniteValue && !bad.converged)
  }

  struct Interrupted: Error {}

  /// The minimizers rethrow the objective's errors: a typed `LinalgError` from a Cholesky
  /// factorisation of a matrix that is not positive definite, and the caller's own error.
  @Test func objectiveErrorsPropagate() {
    let indefinite = Tensor([[1.0, 2.0], [2.0, 1.0]])
    #expect(throws: LinalgError.self) { _ = try NewtonCG().minimize(from: indefinite) { a in try Linalg.cholesky(a).sum() } }
    #expect(throws: Interrupted.self) { _ = try LBFGS().minimize(from: Tensor([1.0])) { _ in throw Interrupted() } }
    #expect(throws: Interrupted.self) {
      _ = try LevenbergMarquardt().minimize(from: Tensor([1.0])) { (_: Tensor) -> Tensor in throw Interrupted() }
    }
  }

  /// L-BFGS on float32 parameters keeps their dtype and converges to float32 precision.
  @Test func lbfgsFloat32() {
    let result = LBFGS(maxIterations: 500, gradientTolerance: 1e-4, changeTolerance: 1e-12)
      .minimize(from: Self.rosenbrockStart(4).converted(to: .float32), Self.rosenbrock)
    #expect(result.parameters.dtype == .float32)
    #expect(Self.maxDistanceToOnes(result.parameters) < 1e-2, "\(result.reason) \(result.parameters.doubles)")
  }

  /// For a float32 objective the strong-Wolfe search rounds its sufficient-decrease bound to
  /// float32, as PyTorch does: a trial that ties f(0) at float32's resolution (a flat
  /// optimum) is accepted at once; with the bound kept in float64 it fails, and so does every
  /// trial after it.
  @Test func strongWolfeTiesAtFloat32Resolution() {
    let f0 = Double(Float(0.0546193868))
    let start = LinePoint(t: 0, value: f0, gradient: LeafVector([]), slope: -1e-12)
    let flat = { (t: Double) in LinePoint(t: t, value: f0, gradient: LeafVector([]), slope: 0) }
    let single = StrongWolfe().search(from: start, initialStep: 1, directionMaxAbs: 1, tolerance: 0, singlePrecision: true, evaluate: flat)
    #expect(single.point.t == 1 && single.evaluations == 1)
    let double = StrongWolfe().search(from: start, initialStep: 1, directionMaxAbs: 1, tolerance: 0, evaluate: flat)
    #expect(double.point.t == 0 && double.evaluations == StrongWolfe().maxEvaluations)
  }
}
