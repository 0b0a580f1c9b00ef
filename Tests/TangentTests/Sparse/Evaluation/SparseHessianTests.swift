import Testing
import Tangent
import TangentTesting

// Sparse Hessians by forward-over-reverse HVPs with the seeds of a star or acyclic colouring,
// against the dense hessian: the chained Rosenbrock function, an arrowhead, chunked passes and a
// prepared object evaluated at several points.

@Suite struct SparseHessianTests {
  @Test(arguments: [ColoringProblem.star, .acyclic])
  func rosenbrockChain(problem: ColoringProblem) {
    var g = TestRandom(seed: 21)
    let n = 50
    let x = g.tensor([n], in: -2...2)
    let pattern = SparsityPattern.banded(size: n, lower: 1, upper: 1)
    let dense = hessian(of: chainedRosenbrock, at: x)
    #expect(SparseMatrix<Double>(dense: dense).pattern == pattern)
    let prepared = PreparedSparseHessian(of: chainedRosenbrock, at: x, pattern: pattern, coloring: problem)
    // A path: 3 star colours, 2 acyclic ones.
    #expect(prepared.colorCount == (problem == .star ? 3 : 2), "\(problem): \(prepared.colorCount) colours")
    #expect(prepared.passCount == 1)
    let h = prepared.hessian(at: x, as: Double.self)
    expectEqualToDense(h, dense, tolerance: 1e-10, "Rosenbrock, \(problem)")
    #expect(h.values == h.transposed.values, "not symmetric")
    // One colour a pass: the acyclic residual is assembled from several passes.
    let chunked = PreparedSparseHessian(of: chainedRosenbrock, at: x, pattern: pattern, coloring: problem, chunkSize: 1)
    #expect(chunked.passCount == prepared.colorCount)
    expectEqualToDense(chunked.hessian(at: x, as: Double.self), dense, tolerance: 1e-10, "Rosenbrock, \(problem), chunk 1")
    expectEqualToDense(
      sparseHessian(of: chainedRosenbrock, at: x, as: Double.self, pattern: pattern, coloring: problem), dense,
      tolerance: 1e-10, "sparseHessian, \(problem)")
  }

  @Test(arguments: [ColoringProblem.star, .acyclic])
  func arrowhead(problem: ColoringProblem) {
    var g = TestRandom(seed: 22)
    let n = 40
    let x = g.tensor([n])
    let pattern = SparsityPattern.arrowhead(n)
    let dense = hessian(of: arrowheadObjective, at: x)
    // f is linear in x₀, so H[0, 0] = 0: the arrowhead holds one structural zero.
    let nonzeros = SparseMatrix<Double>(dense: dense).pattern
    #expect(pattern.union(nonzeros) == pattern && nonzeros.nonzeroCount == pattern.nonzeroCount - 1)
    let prepared = PreparedSparseHessian(of: arrowheadObjective, at: x, pattern: pattern, coloring: problem)
    #expect(prepared.colorCount == 2, "\(problem): \(prepared.colorCount) colours")
    expectEqualToDense(prepared.hessian(at: x, as: Double.self), dense, "arrowhead, \(problem)")
  }

  @Test func preparedOnceEvaluatedAtSeveralPoints() {
    var g = TestRandom(seed: 23)
    let n = 20
    let pattern = SparsityPattern.banded(size: n, lower: 1, upper: 1)
    for problem in [ColoringProblem.star, .acyclic] {
      let prepared = PreparedSparseHessian(of: chainedRosenbrock, at: g.tensor([n]), pattern: pattern, coloring: problem)
      for trial in 0..<3 {
        let x = g.tensor([n], in: -2...2)
        expectEqualToDense(prepared.hessian(at: x, as: Double.self), hessian(of: chainedRosenbrock, at: x), tolerance: 1e-10,
                           "\(problem), point \(trial)")
      }
    }
  }

  @Test func gridShapedInputAndFloat32() {
    var g = TestRandom(seed: 24)
    // Σ (Δu)² + Σ u⁴ on a periodic 5 × 5 grid: each point meets its distance-2 neighbourhood.
    let f = { (u: Tensor) -> Tensor in
      let l = laplacian5(u)
      return (l * l).sum() + (u * u * u * u).sum()
    }
    for dtype in [DType.float64, .float32] {
      let x = g.tensor([5, 5], dtype: dtype)
      let dense = hessian(of: f, at: x).reshaped([25, 25])
      let pattern = SparseMatrix<Double>(dense: dense.converted(to: .float64)).pattern
      let prepared = PreparedSparseHessian(of: f, at: x, pattern: pattern)
      #expect(prepared.inputShape == [5, 5] && prepared.dtype == dtype)
      if dtype == .float64 {
        expectEqualToDense(prepared.hessian(at: x, as: Double.self), dense, tolerance: 1e-11, "grid, float64")
      } else {
        expectEqualToDense(prepared.hessian(at: x, as: Float.self), dense, tolerance: 1e-4, "grid, float32")
      }
    }
  }
}
