import ComplexModule
import Foundation
import Testing
import TangentTesting

@testable import Tangent

// SuperLUFactorization: solutions against dense Linalg.solve in float64 and complex128, many
// right-hand sides, reuse of the ordering across new values, singular matrices, misuse.

@Suite struct SparseLUTests {
  /// A random diagonally dominant matrix on a random pattern with its diagonal.
  func wellConditioned(_ n: Int, _ g: inout TestRandom) -> SparseMatrix<Double> {
    let p = randomPattern(n, n, density: 0.1, &g).union(.diagonal(n))
    var a = randomMatrix(p, &g)
    for i in 0..<n { a.values[p.position(row: i, column: i)!] += 4 }
    return a
  }

  @Test func solveMatchesDense() throws {
    var g = TestRandom(seed: 21)
    let a = wellConditioned(30, &g)
    let b = g.tensor([30])
    let x = try a.solve(b)
    #expect(x.allClose(try Linalg.solve(a.dense(), b), rtol: 1e-12, atol: 1e-12))
    #expect(a.matmul(x).allClose(b, rtol: 1e-12, atol: 1e-12))
  }

  @Test func nonsymmetricAndTransposed() throws {
    // [[2, 1], [0, 3]] is not symmetric: a CSR/CSC mix-up would solve with the transpose.
    let a = SparseMatrix<Double>(dense: Tensor(shape: [2, 2], scalars: [2.0, 1, 0, 3]))
    let lu = try SuperLUFactorization(a)
    #expect(lu.solve([3.0, 3]) == [1, 1])
    let xt = lu.solve(Tensor([2.0, 4]), transposed: true)
    #expect(xt.allClose(Tensor([1.0, 1]), rtol: 1e-15, atol: 1e-15))
  }

  @Test func manyRightHandSidesAndReuse() throws {
    var g = TestRandom(seed: 22)
    let a = wellConditioned(25, &g)
    let lu = try SuperLUFactorization(a)
    let b = g.tensor([25, 4])
    #expect(lu.solve(b).allClose(try Linalg.solve(a.dense(), b), rtol: 1e-12, atol: 1e-12))
    var a2 = a
    a2.values = a.values.map { $0 * 2 + 0.5 }
    try lu.refactor(a2)
    let b2 = g.tensor([25])
    #expect(lu.solve(b2).allClose(try Linalg.solve(a2.dense(), b2), rtol: 1e-12, atol: 1e-12))
  }

  @Test func complex128() throws {
    var g = TestRandom(seed: 23)
    let real = wellConditioned(15, &g)
    let a = SparseMatrix<Complex<Double>>(pattern: real.pattern, values: real.values.map { Complex($0, g.uniform()) })
    let b = g.tensor([15, 2], dtype: .complex128)
    let lu = try SuperLUFactorization(a)
    #expect(lu.solve(b).allClose(try Linalg.solve(a.dense(), b), rtol: 1e-12, atol: 1e-12))
  }

  @Test func float32() throws {
    let a = SparseMatrix<Float>(dense: Tensor(shape: [2, 2], scalars: [Float(4), 1, 2, 3]))
    let x = try SuperLUFactorization(a).solve([Float(5), 5])
    #expect(abs(x[0] - 1) < 1e-6 && abs(x[1] - 1) < 1e-6)
  }

  @Test func singularThrows() throws {
    // The second row is twice the first: rank 1.
    let a = SparseMatrix<Double>(dense: Tensor(shape: [2, 2], scalars: [1.0, 2, 2, 4]))
    #expect(throws: LinalgError.singular(op: "SuperLUFactorization", batchIndex: 0)) { _ = try SuperLUFactorization(a) }
    // A structurally singular matrix: an empty column.
    let b = SparseMatrix<Double>(rows: 2, columns: 2, rowIndices: [0, 1], columnIndices: [0, 0], values: [1, 1])
    #expect(throws: LinalgError.self) { _ = try b.solve(Tensor([1.0, 1])) }
    // Refactoring with singular values throws, and a good refactor recovers.
    let good = SparseMatrix<Double>(dense: Tensor(shape: [2, 2], scalars: [1.0, 2, 3, 4]))
    let lu = try SuperLUFactorization(good)
    #expect(throws: LinalgError.self) { try lu.refactor(a) }
    try lu.refactor(good)
    #expect(lu.solve(Tensor([3.0, 7])).allClose(Tensor([1.0, 1]), rtol: 1e-14, atol: 1e-14))
  }

  @Test func misuseMessages() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let lu = try! SuperLUFactorization(SparseMatrix<Double>(dense: Tensor.eye(3)))
      _ = lu.solve(Tensor.zeros([4, 2]))
    }
    #expect(sparseStderr(r0).contains("SuperLUFactorization.solve: b has shape [4, 2], but the matrix is 3 × 3"))
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = try! SuperLUFactorization(SparseMatrix<Double>(zerosIn: .dense(rows: 2, columns: 3)))
    }
    #expect(sparseStderr(r1).contains("SuperLUFactorization: the matrix must be square, got 2 × 3"))
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let lu = try! SuperLUFactorization(SparseMatrix<Double>(dense: Tensor.eye(3)))
      try! lu.refactor(SparseMatrix<Double>(zerosIn: .dense(rows: 3, columns: 3)))
    }
    #expect(sparseStderr(r2).contains("SuperLUFactorization.refactor: the matrix has pattern"))
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let a = SparseMatrix<Double>(dense: Tensor(shape: [2, 2], scalars: [1.0, 2, 3, 4]))
      let lu = try! SuperLUFactorization(a)
      try? lu.refactor(SparseMatrix(pattern: a.pattern, values: [1, 2, 2, 4]))
      _ = lu.solve([1.0, 1])
    }
    #expect(sparseStderr(r3).contains("SuperLUFactorization.solve: the last factorisation failed (singular); refactor first"))
  }
}
