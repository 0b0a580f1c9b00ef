import ComplexModule
import Testing
import Tangent
import TangentTesting

// Prepared sparse forms replaying a recorded plan (no autodiff state): the replayed Jacobians
// and Hessians hold the same bits as the engine's on every sparse test problem at random
// points, in float32 and float64 (and complex128 for Jacobians); functions the recording cannot
// follow keep the engine and say why.

/// Expects two sparse matrices to hold the same pattern and the same bits.
private func expectIdentical<Scalar: FloatingScalar>(
  _ a: SparseMatrix<Scalar>, _ b: SparseMatrix<Scalar>, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(a.pattern == b.pattern, "\(what): patterns differ", sourceLocation: sourceLocation)
  let same = a.values.count == b.values.count && zip(a.values, b.values).allSatisfy { x, y in
    withUnsafeBytes(of: x) { p in withUnsafeBytes(of: y) { q in p.elementsEqual(q) } }
  }
  #expect(same, "\(what): replayed values differ from the engine's", sourceLocation: sourceLocation)
}

@Suite struct SparseReplayTests {
  /// A form that replays and one that keeps the engine, evaluated at the prepared point `x` and
  /// at three random points: identical results, and the first form replays after its first
  /// evaluation.
  func checkAgainstEngine<Scalar: FloatingScalar>(
    _ what: String, at x: Tensor, _ g: inout TestRandom, range: ClosedRange<Double>,
    replayed: (Tensor) -> SparseMatrix<Scalar>, engine: (Tensor) -> SparseMatrix<Scalar>, status: () -> SparseReplayStatus,
    fusion: () -> SparseReplayFusion?, sourceLocation: SourceLocation
  ) {
    var points = [x]
    for _ in 0..<3 { points.append(g.tensor(x.shape, dtype: x.dtype, in: range)) }
    for (i, p) in points.enumerated() {
      expectIdentical(replayed(p), engine(p), "\(what) \(x.dtype), point \(i)", sourceLocation: sourceLocation)
      #expect(status() == .replaying, "\(what) \(x.dtype): \(status())", sourceLocation: sourceLocation)
      // The replays run the fused plan: its elementwise steps in loops over tiles.
      if case .fused(let groups, let functions, _)? = fusion() {
        #expect(groups > 0 && functions >= groups, "\(what) \(x.dtype): \(groups) groups, \(functions) functions", sourceLocation: sourceLocation)
      } else {
        Issue.record("\(what) \(x.dtype): the plan is not fused: \(String(describing: fusion()))", sourceLocation: sourceLocation)
      }
    }
  }

  /// ``checkAgainstEngine`` for a Jacobian prepared with and without replay.
  func checkJacobian<Scalar: FloatingScalar>(
    _ name: String, _ f: @escaping (Tensor) -> Tensor, at x: Tensor, _: Scalar.Type, coloring: ColoringProblem = .jacobian,
    _ g: inout TestRandom, range: ClosedRange<Double> = -1...1, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let replayed = PreparedSparseJacobian(of: f, at: x, coloring: coloring)
    let engine = PreparedSparseJacobian(of: f, at: x, coloring: coloring, replay: false)
    #expect(replayed.replayStatus == .pending, sourceLocation: sourceLocation)
    #expect(engine.replayStatus == .off, sourceLocation: sourceLocation)
    checkAgainstEngine(
      name, at: x, &g, range: range, replayed: { replayed.jacobian(at: $0, as: Scalar.self) },
      engine: { engine.jacobian(at: $0, as: Scalar.self) }, status: { replayed.replayStatus }, fusion: { replayed.replayFusion },
      sourceLocation: sourceLocation)
  }

  /// ``checkAgainstEngine`` for a Hessian prepared with and without replay.
  func checkHessian<Scalar: FloatingScalar>(
    _ name: String, _ f: @escaping (Tensor) -> Tensor, at x: Tensor, _: Scalar.Type, coloring: ColoringProblem = .star,
    _ g: inout TestRandom, range: ClosedRange<Double> = -1...1, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let replayed = PreparedSparseHessian(of: f, at: x, coloring: coloring)
    let engine = PreparedSparseHessian(of: f, at: x, coloring: coloring, replay: false)
    checkAgainstEngine(
      name, at: x, &g, range: range, replayed: { replayed.hessian(at: $0, as: Scalar.self) },
      engine: { engine.hessian(at: $0, as: Scalar.self) }, status: { replayed.replayStatus }, fusion: { replayed.replayFusion },
      sourceLocation: sourceLocation)
  }

  @Test func jacobiansOfTheTestProblems() {
    var g = TestRandom(seed: 101)
    let bruss = Brusselator2D(n: 6)
    let forcing = bruss.forcing(t: 1.1)
    let bratu = Bratu2D(n: 7)
    for dtype in [DType.float64, .float32] {
      let checkBoth = { (name: String, f: @escaping (Tensor) -> Tensor, x: Tensor, coloring: ColoringProblem, g: inout TestRandom) in
        if dtype == .float64 {
          checkJacobian(name, f, at: x, Double.self, coloring: coloring, &g)
        } else {
          checkJacobian(name, f, at: x.converted(to: .float32), Float.self, coloring: coloring, &g)
        }
      }
      checkBoth("tridiagonal", tridiagonalMap, g.tensor([30]), .jacobian, &g)
      checkBoth("tridiagonal rows", tridiagonalMap, g.tensor([30]), .row, &g)
      checkBoth("brusselator", { bruss.rhs($0, forcing: forcing.converted(to: $0.dtype)) }, bruss.initialState(), .jacobian, &g)
      checkBoth("bratu", bratu.residual, bratu.startingPoint(), .jacobian, &g)
      checkBoth("arrowhead", arrowheadMap, g.tensor([25]), .bidirectional, &g)
    }
  }

  @Test func complexJacobian() {
    var g = TestRandom(seed: 102)
    checkJacobian("tridiagonal", tridiagonalMap, at: g.tensor([20], dtype: .complex128), Complex<Double>.self, &g)
  }

  @Test func hessiansOfTheTestProblems() {
    var g = TestRandom(seed: 103)
    for dtype in [DType.float64, .float32] {
      for coloring in [ColoringProblem.star, .acyclic] {
        if dtype == .float64 {
          checkHessian("rosenbrock \(coloring)", ChainedRosenbrock.value, at: g.tensor([40], in: -2...2), Double.self, coloring: coloring, &g, range: -2...2)
          checkHessian("arrowhead \(coloring)", Arrowhead.value, at: g.tensor([30]), Double.self, coloring: coloring, &g)
        } else {
          checkHessian("rosenbrock \(coloring)", ChainedRosenbrock.value, at: g.tensor([40], dtype: .float32, in: -2...2), Float.self, coloring: coloring, &g, range: -2...2)
          checkHessian("arrowhead \(coloring)", Arrowhead.value, at: g.tensor([30], dtype: .float32), Float.self, coloring: coloring, &g)
        }
      }
    }
  }

  @Test func replayedValuesMatchTheDenseDerivatives() {
    var g = TestRandom(seed: 104)
    let prepared = PreparedSparseHessian(of: chainedRosenbrock, at: g.tensor([30]))
    for trial in 0..<3 {
      let x = g.tensor([30], in: -2...2)
      expectEqualToDense(prepared.hessian(at: x, as: Double.self), hessian(of: chainedRosenbrock, at: x), tolerance: 1e-10, "point \(trial)")
    }
    #expect(prepared.replayStatus == .replaying)
  }

  /// A Swift branch on a value read from the point: the read is caught while recording, the
  /// engine keeps evaluating, and each branch gives the right Jacobian.
  @Test func branchOnAValueKeepsTheEngine() {
    let f = { (u: Tensor) -> Tensor in u[0].item(as: Double.self) > 0 ? u * u : u.sin() }
    let x: Tensor = [0.5, -0.25, 1.5]
    let prepared = PreparedSparseJacobian(of: f, at: x)
    _ = prepared.jacobian(at: x, as: Double.self)
    guard case .unavailable(let reason) = prepared.replayStatus else {
      Issue.record("a read of a traced value was not caught: \(prepared.replayStatus)")
      return
    }
    #expect(reason.contains("item"), "\(reason)")
    let negative: Tensor = [-0.5, -0.25, 1.5]
    expectEqualToDense(prepared.jacobian(at: negative, as: Double.self), denseJacobian(f, at: negative), "the other branch")
    expectEqualToDense(prepared.jacobian(at: x, as: Double.self), denseJacobian(f, at: x), "the first branch")
  }

  /// Prepares the diagonal map `f` on three points and evaluates it once; `f` must keep the
  /// engine. Gives the reason and the first result, or records an issue naming `what` when the
  /// form replays instead.
  func engineKept(_ f: @escaping (Tensor) -> Tensor, _ what: String) -> (reason: String, first: SparseMatrix<Double>)? {
    let x: Tensor = [0.5, -0.25, 1.5]
    let prepared = PreparedSparseJacobian(of: f, at: x, pattern: .banded(size: 3, lower: 0, upper: 0))
    let first = prepared.jacobian(at: x, as: Double.self)
    guard case .unavailable(let reason) = prepared.replayStatus else {
      Issue.record("\(what) was replayed: \(prepared.replayStatus)")
      return nil
    }
    return (reason, first)
  }

  /// A branch on Swift state the recording cannot see: caught by the check at a second point.
  @Test func hiddenStateIsCaughtByTheSecondPoint() {
    final class Counter: @unchecked Sendable { var calls = 0 }
    let counter = Counter()
    _ = engineKept({ u in
      // Alternates between calls: the recorded evaluation and the check at the second point differ.
      counter.calls += 1
      return counter.calls % 2 == 0 ? u * u : u * u * 2
    }, "state the recording cannot see")
  }

  /// Random numbers drawn inside f come from no op: the plan is invalid, not wrong.
  @Test func randomNumbersKeepTheEngine() {
    _ = engineKept({ u in u * Tensor.rand(u.shape, dtype: u.dtype) }, "random numbers")
  }

  /// Values copied out through Swift arrays and back (a computation the ops do not see).
  @Test func valuesLeavingTheOpsKeepTheEngine() {
    guard let (reason, first) = engineKept({ u in u * Tensor(u.detached.scalars(as: Double.self)) }, "a value read") else { return }
    #expect(reason.contains("scalars"), "\(reason)")
    #expect(first.values == [0.5, -0.25, 1.5])
  }

  /// `sparseJacobian` prepares with replay off (one evaluation gains nothing from a plan) and
  /// still agrees with the dense Jacobian.
  @Test func oneShotFormMatchesTheDenseJacobian() {
    var g = TestRandom(seed: 105)
    let x = g.tensor([12])
    expectEqualToDense(sparseJacobian(of: tridiagonalMap, at: x, as: Double.self), denseJacobian(tridiagonalMap, at: x), "sparseJacobian")
  }
}
