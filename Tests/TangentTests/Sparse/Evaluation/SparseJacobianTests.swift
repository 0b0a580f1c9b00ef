import ComplexModule
import Testing
import Tangent
import TangentTesting

// Sparse Jacobians by compressed JVP and VJP passes, against the dense jacfwd/jacrev: the
// column, row and bidirectional paths, chunked passes, prepared objects evaluated at several
// points, float32 and complex128, and the detection default.

@Suite struct SparseJacobianTests {
  @Test func tridiagonalMapEqualsJacfwdAndJacrev() {
    var g = TestRandom(seed: 11)
    let x = g.tensor([40])
    let pattern = SparsityPattern(rows: 38, columns: 40) { i, j in j >= i && j <= i + 2 }
    #expect(jacobianPattern(tridiagonalMap, at: x) == pattern)
    let dense = denseJacobian(tridiagonalMap, at: x)
    expectClose(jacrev(of: tridiagonalMap, at: x).reshaped([38, 40]).doubles, dense.doubles, "jacrev against jacfwd")
    for problem in [ColoringProblem.jacobian, .column, .row, .bidirectional] {
      let prepared = PreparedSparseJacobian(of: tridiagonalMap, at: x, pattern: pattern, coloring: problem)
      #expect(problem == .bidirectional ? prepared.colorCount <= 3 : prepared.colorCount == 3, "\(problem): \(prepared.colorCount) colours")
      expectEqualToDense(prepared.jacobian(at: x, as: Double.self), dense, "tridiagonal, \(problem)")
    }
    let j = sparseJacobian(of: tridiagonalMap, at: x, as: Double.self, pattern: pattern)
    #expect(j.pattern == pattern)
    expectEqualToDense(j, dense, "sparseJacobian")
  }

  @Test func fivePointStencilResidual() {
    var g = TestRandom(seed: 12)
    let n = 7
    let x = g.tensor([n, n])
    let f = { (u: Tensor) -> Tensor in laplacian5(u) + u * u * u - 0.5 * u.sin() }
    // Row (i, j) reads (i, j) and its four periodic neighbours.
    let pattern = SparsityPattern(rows: n * n, columns: n * n) { r, c in
      let (i, j) = r.quotientAndRemainder(dividingBy: n), (k, l) = c.quotientAndRemainder(dividingBy: n)
      let di = (k - i + n) % n, dj = (l - j + n) % n
      return (di == 0 && (dj == 0 || dj == 1 || dj == n - 1)) || (dj == 0 && (di == 1 || di == n - 1))
    }
    #expect(jacobianPattern(f, at: x) == pattern)
    let prepared = PreparedSparseJacobian(of: f, at: x, pattern: pattern)
    #expect(prepared.colorCount <= 7 && prepared.forwardPassCount == 1, "\(prepared.colorCount) colours")
    #expect(prepared.inputShape == [n, n] && prepared.outputShape == [n, n] && prepared.dtype == .float64)
    expectEqualToDense(prepared.jacobian(at: x, as: Double.self), denseJacobian(f, at: x), "5-point stencil")
  }

  @Test func brusselatorInChunksEqualsOnePass() {
    var g = TestRandom(seed: 13)
    let n = 8
    let x = g.tensor([2, n, n], in: 0...2)
    let pattern = brusselatorPattern(n)
    #expect(jacobianPattern(brusselator, at: x) == pattern)
    let dense = denseJacobian(brusselator, at: x)
    let whole = PreparedSparseJacobian(of: brusselator, at: x, pattern: pattern, coloring: .column)
    let k = whole.colorCount
    #expect(k >= 6 && k <= 12, "\(k) colours")
    #expect(whole.forwardPassCount == 1 && whole.reversePassCount == 0)
    let one = whole.jacobian(at: x, as: Double.self)
    expectEqualToDense(one, dense, "Brusselator, one pass")
    for chunk in [1, 4, k - 1] {
      let chunked = PreparedSparseJacobian(of: brusselator, at: x, pattern: pattern, coloring: .column, chunkSize: chunk)
      #expect(chunked.forwardPassCount == (k + chunk - 1) / chunk)
      let j = chunked.jacobian(at: x, as: Double.self)
      expectClose(j.values, one.values, atol: 1e-13, rtol: 1e-13, "Brusselator, chunk \(chunk)")
    }
    // Row colours in several chunked pullbacks.
    let rows = PreparedSparseJacobian(of: brusselator, at: x, pattern: pattern, coloring: .row, chunkSize: 3)
    #expect(rows.forwardPassCount == 0 && rows.reversePassCount == (rows.colorCount + 2) / 3)
    expectEqualToDense(rows.jacobian(at: x, as: Double.self), dense, "Brusselator, row colours in chunks")
  }

  @Test func arrowheadNeedsFewColorsBidirectionally() {
    var g = TestRandom(seed: 14)
    let n = 30
    let x = g.tensor([n])
    let pattern = SparsityPattern.arrowhead(n)
    #expect(jacobianPattern(arrowheadMap, at: x) == pattern)
    let dense = denseJacobian(arrowheadMap, at: x)
    let columns = PreparedSparseJacobian(of: arrowheadMap, at: x, pattern: pattern, coloring: .column)
    let rows = PreparedSparseJacobian(of: arrowheadMap, at: x, pattern: pattern, coloring: .row)
    #expect(columns.colorCount == n && rows.colorCount == n)
    let both = PreparedSparseJacobian(of: arrowheadMap, at: x, pattern: pattern, coloring: .bidirectional)
    #expect(both.colorCount <= 4, "\(both.colorCount) colours")
    #expect(both.forwardPassCount == 1 && both.reversePassCount == 1)
    expectEqualToDense(both.jacobian(at: x, as: Double.self), dense, "arrowhead, bidirectional")
    let chunked = PreparedSparseJacobian(of: arrowheadMap, at: x, pattern: pattern, coloring: .bidirectional, chunkSize: 1)
    #expect(chunked.forwardPassCount + chunked.reversePassCount == chunked.colorCount)
    expectEqualToDense(chunked.jacobian(at: x, as: Double.self), dense, "arrowhead, bidirectional, one colour a pass")
    expectEqualToDense(columns.jacobian(at: x, as: Double.self), dense, "arrowhead, column")
    expectEqualToDense(rows.jacobian(at: x, as: Double.self), dense, "arrowhead, row")
  }

  @Test func preparedOnceEvaluatedAtSeveralPoints() {
    var g = TestRandom(seed: 15)
    let n = 6
    let x0 = g.tensor([2, n, n], in: 0...2)
    let prepared = PreparedSparseJacobian(of: brusselator, at: x0, pattern: brusselatorPattern(n))
    for trial in 0..<4 {
      let x = g.tensor([2, n, n], in: -1...3)
      expectEqualToDense(prepared.jacobian(at: x, as: Double.self), denseJacobian(brusselator, at: x), "point \(trial)")
    }
    // A prepared value is a value: copies evaluate alike.
    let copy = prepared
    let x = g.tensor([2, n, n])
    #expect(copy.jacobian(at: x, as: Double.self).values == prepared.jacobian(at: x, as: Double.self).values)
  }

  @Test func float32() {
    var g = TestRandom(seed: 16)
    let x = g.tensor([20], dtype: .float32)
    let pattern = SparsityPattern(rows: 18, columns: 20) { i, j in j >= i && j <= i + 2 }
    let j = sparseJacobian(of: tridiagonalMap, at: x, as: Float.self, pattern: pattern)
    #expect(j.dtype == .float32)
    expectEqualToDense(j, denseJacobian(tridiagonalMap, at: x), tolerance: 1e-6, "float32")
  }

  @Test func complex128FollowsJacfwd() {
    var g = TestRandom(seed: 17)
    let x = g.tensor([25], dtype: .complex128)
    // Holomorphic: every path gives ∂f/∂z.
    let holomorphic = { (z: Tensor) -> Tensor in
      let n = z.shape[0]
      return z[0..<(n - 2)] * z[1..<(n - 1)] + z[2..<n].exp() - 3 * z[1..<(n - 1)]
    }
    let pattern = jacobianPattern(holomorphic, at: x)
    #expect(pattern == SparsityPattern(rows: 23, columns: 25) { i, j in j >= i && j <= i + 2 })
    let dense = denseJacobian(holomorphic, at: x)
    for problem in [ColoringProblem.jacobian, .column, .row, .bidirectional] {
      let prepared = PreparedSparseJacobian(of: holomorphic, at: x, pattern: pattern, coloring: problem)
      if problem == .jacobian { #expect(prepared.coloring.problem == .column) }
      expectEqualToDense(prepared.jacobian(at: x, as: Complex<Double>.self), dense, "complex128, \(problem)")
    }
    // Not holomorphic: the forward path still equals jacfwd (JVPs along real unit vectors).
    let conjugated = { (z: Tensor) -> Tensor in
      let n = z.shape[0]
      return z[0..<(n - 1)] * z[1..<n].conj() + z[1..<n] * z[1..<n]
    }
    let p2 = jacobianPattern(conjugated, at: x)
    let j = sparseJacobian(of: conjugated, at: x, as: Complex<Double>.self, pattern: p2)
    #expect(j.dtype == .complex128)
    expectEqualToDense(j, denseJacobian(conjugated, at: x), "complex128, not holomorphic")
  }

  @Test func emptyPatternAndEmptyPoint() {
    // A constant map: no nonzeros, so nothing is read whatever the colouring.
    let x = Tensor.ones([4])
    let none = SparsityPattern(rows: 4, columns: 4, positions: [])
    let j = sparseJacobian(of: { $0 * 0 + 1 }, at: x, as: Double.self, pattern: none)
    #expect(j.nonzeroCount == 0 && j.shape == [4, 4])
    expectEqualToDense(j, Tensor.zeros([4, 4]), "empty pattern")
    let h = sparseHessian(of: { $0.sum() }, at: x, as: Double.self, pattern: none, coloring: .acyclic)
    expectEqualToDense(h, Tensor.zeros([4, 4]), "empty Hessian pattern")
    let e = sparseJacobian(of: { $0.sin() }, at: Tensor.zeros([0]), as: Double.self, pattern: SparsityPattern(rows: 0, columns: 0, positions: []))
    #expect(e.shape == [0, 0])
  }

  /// With no pattern, detection runs: the result equals the dense Jacobian whether detection
  /// finds the tridiagonal pattern or a denser one.
  @Test func detectionByDefault() {
    var g = TestRandom(seed: 18)
    let x = g.tensor([30])
    let dense = denseJacobian(tridiagonalMap, at: x)
    let prepared = PreparedSparseJacobian(of: tridiagonalMap, at: x)
    let truth = SparsityPattern(rows: 28, columns: 30) { i, j in j >= i && j <= i + 2 }
    #expect(prepared.pattern.union(truth) == prepared.pattern, "the detected pattern misses nonzeros")
    let j = prepared.jacobian(at: x, as: Double.self)
    expectEqualToDense(j, dense, "detected pattern")
    expectEqualToDense(sparseJacobian(of: tridiagonalMap, at: x, as: Double.self), dense, "sparseJacobian, detected")
    let h = sparseHessian(of: chainedRosenbrock, at: x, as: Double.self)
    expectEqualToDense(h, hessian(of: chainedRosenbrock, at: x), tolerance: 1e-10, "sparseHessian, detected")
  }
}
