import Foundation
import Tangent
import TangentTesting
import Testing

// The benchmark problems of sparse Jacobians and Hessians (TangentTesting/SparseProblems): each
// vectorised Tensor form against a plain scalar loop written from the textbook formula.

@Suite struct SparseProblemsTests {
  /// The SciML brusselator_2d loop, on flat arrays (u then v, row-major over (i, j)).
  func brusselatorReference(_ s: [Double], n: Int, t: Double) -> [Double] {
    let a = 3.4, b = 1.0, dx = 1 / Double(n - 1), alpha = 10.0 / (dx * dx)
    func wrap(_ k: Int) -> Int { k == n ? 0 : k == -1 ? n - 1 : k }
    func u(_ i: Int, _ j: Int) -> Double { s[wrap(i) * n + wrap(j)] }
    func v(_ i: Int, _ j: Int) -> Double { s[n * n + wrap(i) * n + wrap(j)] }
    var out = [Double](repeating: 0, count: 2 * n * n)
    for i in 0..<n {
      for j in 0..<n {
        let x = Double(i) * dx, y = Double(j) * dx
        let f = ((x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6) <= 0.01 && t >= 1.1) ? 5.0 : 0.0
        let uij = u(i, j), vij = v(i, j)
        out[i * n + j] = alpha * (u(i - 1, j) + u(i + 1, j) + u(i, j + 1) + u(i, j - 1) - 4 * uij)
          + b + uij * uij * vij - (a + 1) * uij + f
        out[n * n + i * n + j] = alpha * (v(i - 1, j) + v(i + 1, j) + v(i, j + 1) + v(i, j - 1) - 4 * vij)
          + a * uij - uij * uij * vij
      }
    }
    return out
  }

  @Test func brusselatorMatchesTheLoop() {
    var g = TestRandom(seed: 1)
    for (n, t) in [(5, 0.0), (11, 1.5)] {
      let bruss = Brusselator2D(n: n)
      let state = g.tensor([2 * n * n], in: 0...2)
      let expected = brusselatorReference(state.doubles, n: n, t: t)
      let got = bruss.rhs(state, t: t)
      #expect(got.shape == [2 * n * n])
      #expect(got.allClose(Tensor(expected), rtol: 1e-13, atol: 1e-10))
    }
  }

  @Test func brusselatorForcingAndInitialState() {
    let bruss = Brusselator2D(n: 11)
    // On the 11-point grid, (0.3, 0.6) is the grid point (3, 6); points 0.2 away are outside.
    let on = bruss.forcing(t: 1.1).doubles
    #expect(on[3 * 11 + 6] == 5)
    #expect(on[1 * 11 + 6] == 0 && on[3 * 11 + 8] == 0 && on[0] == 0)
    #expect((1...5).contains(on.filter { $0 == 5 }.count))
    #expect(bruss.forcing(t: 1.0).doubles.allSatisfy { $0 == 0 })
    let s = bruss.initialState().doubles
    let x = 0.3, y = 0.6
    #expect(abs(s[3 * 11 + 6] - 22 * pow(y * (1 - y), 1.5)) < 1e-14)
    #expect(abs(s[121 + 3 * 11 + 6] - 27 * pow(x * (1 - x), 1.5)) < 1e-14)
  }

  @Test func bratuMatchesTheLoop() {
    var g = TestRandom(seed: 2)
    for n in [1, 4, 7] {
      let bratu = Bratu2D(n: n)
      let u = g.tensor([n * n])
      let s = u.doubles
      let h = 1 / Double(n + 1)
      func at(_ i: Int, _ j: Int) -> Double { (0..<n).contains(i) && (0..<n).contains(j) ? s[i * n + j] : 0 }
      var expected = [Double](repeating: 0, count: n * n)
      for i in 0..<n {
        for j in 0..<n {
          expected[i * n + j] = (at(i - 1, j) + at(i + 1, j) + at(i, j - 1) + at(i, j + 1) - 4 * at(i, j)) / (h * h)
            + 6 * exp(at(i, j))
        }
      }
      #expect(bratu.residual(u).allClose(Tensor(expected), rtol: 1e-13, atol: 1e-10))
    }
    // The starting point vanishes nowhere inside and is symmetric.
    let p = Bratu2D(n: 4).startingPoint().doubles
    #expect(p.allSatisfy { $0 > 0 })
    #expect(abs(p[0] - p[15]) < 1e-15)
  }

  @Test func rosenbrockMatchesTheLoop() {
    for n in [2, 7] {
      let x = ChainedRosenbrock.startingPoint(n)
      let s = x.doubles
      var expected = 0.0
      for i in 0..<(n - 1) { expected += 100 * pow(s[i + 1] - s[i] * s[i], 2) + pow(1 - s[i], 2) }
      let got = ChainedRosenbrock.value(x)
      #expect(got.shape == [])
      #expect(abs(got.scalar - expected) <= 1e-12 * abs(expected))
    }
    // The minimum: all ones.
    #expect(ChainedRosenbrock.value(Tensor([Double](repeating: 1, count: 5))).scalar == 0)
  }

  @Test func arrowheadMatchesTheLoop() {
    let x = Arrowhead.startingPoint(6)
    let s = x.doubles
    var squares = 0.0, sines = 0.0
    for i in 1..<6 { squares += s[i] * s[i] }
    for i in 0..<6 { sines += sin(s[i]) }
    let got = Arrowhead.value(x)
    #expect(got.shape == [])
    #expect(abs(got.scalar - (s[0] * squares + sines)) < 1e-13)
  }

  @Test func implicitEulerResidual() {
    var g = TestRandom(seed: 3)
    let bruss = Brusselator2D(n: 5)
    let previous = g.tensor([50]), u = g.tensor([50])
    let forcing = bruss.forcing(t: 2)
    let residual = TangentTesting.implicitEulerResidual(of: { bruss.rhs($0, forcing: forcing) }, previous: previous, step: 0.01)
    let f = brusselatorReference(u.doubles, n: 5, t: 2)
    let expected = zip(zip(u.doubles, previous.doubles), f).map { $0.0 - $0.1 - 0.01 * $1 }
    #expect(residual(u).allClose(Tensor(expected), rtol: 1e-13, atol: 1e-13))
  }
}

/// Global detection on the benchmark problems finds exactly the true pattern (read off the dense
/// derivative at a random point, where every structural nonzero is nonzero).
@Suite struct SparseProblemsDetectionTests {
  func truePattern(_ dense: Tensor) -> SparsityPattern { SparseMatrix<Double>(dense: dense).pattern }

  @Test func brusselator() {
    let bruss = Brusselator2D(n: 6)
    var g = TestRandom(seed: 4)
    let x = g.tensor([bruss.unknowns], in: 0.5...1.5)
    let f = { bruss.rhs($0, forcing: bruss.forcing(t: 2)) }
    let detected = jacobianSparsity(of: f, at: x)
    #expect(detected == truePattern(jacfwd(of: f, at: x)))
    #expect(detected.nonzeroCount == 6 * bruss.unknowns)
    let step = implicitEulerResidual(of: f, previous: x, step: 0.1)
    #expect(jacobianSparsity(of: step, at: x) == detected)  // the diagonal is already there
  }

  @Test func bratu() {
    let bratu = Bratu2D(n: 5)
    var g = TestRandom(seed: 5)
    let x = g.tensor([bratu.unknowns])
    let detected = jacobianSparsity(of: bratu.residual, at: x)
    #expect(detected == truePattern(jacfwd(of: bratu.residual, at: x)))
    #expect(detected.nonzeroCount == 5 * 25 - 4 * 5)  // 5-point stencil, less the boundary
  }

  @Test func scalarProblems() {
    var g = TestRandom(seed: 6)
    let x = g.tensor([9])
    let rosenbrock = hessianSparsity(of: ChainedRosenbrock.value, at: x)
    #expect(rosenbrock == truePattern(hessian(of: ChainedRosenbrock.value, at: x)))
    #expect(rosenbrock == .banded(size: 9, lower: 1, upper: 1))
    let arrow = hessianSparsity(of: Arrowhead.value, at: x)
    #expect(arrow == truePattern(hessian(of: Arrowhead.value, at: x)))
    #expect(arrow == .arrowhead(9))
  }
}
