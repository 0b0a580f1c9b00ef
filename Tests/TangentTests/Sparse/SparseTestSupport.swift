import ComplexModule
import Foundation
import Testing
import Tangent
import TangentTesting

/// The standard error of an exit test, as text.
func sparseStderr(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

/// A random `rows × columns` pattern where each position is a nonzero with probability `density`.
func randomPattern(_ rows: Int, _ columns: Int, density: Double, _ g: inout TestRandom) -> SparsityPattern {
  SparsityPattern(rows: rows, columns: columns) { _, _ in g.uniform(0, 1) < density }
}

/// A random symmetric `n × n` pattern with its diagonal.
func randomSymmetricPattern(_ n: Int, density: Double, _ g: inout TestRandom) -> SparsityPattern {
  var positions: [(row: Int, column: Int)] = (0..<n).map { ($0, $0) }
  for i in 0..<n {
    for j in 0..<i where g.uniform(0, 1) < density { positions += [(i, j), (j, i)] }
  }
  return SparsityPattern(rows: n, columns: n, positions: positions)
}

/// A matrix on `pattern` with random values in [-1, 1), none exactly zero.
func randomMatrix(_ pattern: SparsityPattern, _ g: inout TestRandom) -> SparseMatrix<Double> {
  SparseMatrix(pattern: pattern, values: (0..<pattern.nonzeroCount).map { _ in g.uniform(0.1, 1) * (g.uniform() < 0 ? -1 : 1) })
}

/// A symmetric matrix on a symmetric pattern with random values.
func randomSymmetricMatrix(_ pattern: SparsityPattern, _ g: inout TestRandom) -> SparseMatrix<Double> {
  let a = randomMatrix(pattern, &g)
  let t = a.transposed
  return SparseMatrix(pattern: pattern, values: zip(a.values, t.values).map { $0 + $1 })
}

/// The Jacobian pattern of the 2-D Brusselator on an `n × n` periodic grid: each species'
/// residual reads its own 5-point stencil and the other species at the same point.
func brusselatorPattern(_ n: Int) -> SparsityPattern {
  func index(_ s: Int, _ i: Int, _ j: Int) -> Int { s * n * n + ((i + n) % n) * n + (j + n) % n }
  var positions: [(row: Int, column: Int)] = []
  for s in 0..<2 {
    for i in 0..<n {
      for j in 0..<n {
        let r = index(s, i, j)
        for (di, dj) in [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)] { positions.append((r, index(s, i + di, j + dj))) }
        positions.append((r, index(1 - s, i, j)))
      }
    }
  }
  return SparsityPattern(rows: 2 * n * n, columns: 2 * n * n, positions: positions)
}
