import ComplexModule
import Foundation
import Testing
import TangentTesting

@testable import Tangent

// SparsityPattern and SparseMatrix: construction, conversion to and from dense, COO, transpose,
// products against dense matmul, printing, and the misuse messages.

@Suite struct SparseMatrixTests {
  @Test func patternFromPositionsSortsAndMerges() {
    let p = SparsityPattern(rows: 3, columns: 4, positions: [(2, 3), (0, 1), (2, 0), (0, 1), (1, 2)])
    #expect(p.rowOffsets == [0, 1, 2, 4])
    #expect(p.columnIndices == [1, 2, 0, 3])
    #expect(p.contains(row: 2, column: 3))
    #expect(!p.contains(row: 2, column: 2))
    #expect(p.rowIndices == [0, 1, 2, 2])
    #expect(p.transposed.transposed == p)
    #expect(p.transposed.rows == 4 && p.transposed.nonzeroCount == 4)
  }

  @Test func namedPatterns() {
    #expect(SparsityPattern.banded(size: 5, lower: 1, upper: 1).nonzeroCount == 13)
    #expect(SparsityPattern.arrowhead(6).nonzeroCount == 6 + 2 * 5)
    #expect(SparsityPattern.diagonal(4).isSymmetric)
    #expect(SparsityPattern.dense(rows: 2, columns: 3).nonzeroCount == 6)
    let u = SparsityPattern.diagonal(3).union(SparsityPattern(rows: 3, columns: 3, positions: [(0, 2)]))
    #expect(u.columnIndices == [0, 2, 1, 2])
  }

  /// `isSymmetric` (mirror look-ups) agrees with comparing against the transpose.
  @Test func symmetryMatchesTheTranspose() {
    var g = TestRandom(seed: 21)
    for trial in 0..<40 {
      let n = 1 + trial % 9
      let p = trial % 2 == 0 ? randomSymmetricPattern(n, density: 0.3, &g) : randomPattern(n, n + trial % 3 / 2, density: 0.3, &g)
      #expect(p.isSymmetric == (p.rows == p.columns && p == p.transposed), "\(p)")
    }
    #expect(!SparsityPattern(rows: 2, columns: 2, positions: [(0, 1)]).isSymmetric)
    #expect(SparsityPattern.arrowhead(5).isSymmetric && !SparsityPattern.dense(rows: 2, columns: 3).isSymmetric)
  }

  @Test func denseRoundTripAndCOO() {
    var g = TestRandom(seed: 1)
    let p = randomPattern(7, 5, density: 0.3, &g)
    let a = randomMatrix(p, &g)
    let d = a.dense()
    #expect(d.shape == [7, 5])
    let back = SparseMatrix<Double>(dense: d)
    #expect(back.pattern == p)
    #expect(back.values == a.values)
    let (r, c, v) = a.coordinates
    let fromCOO = SparseMatrix<Double>(rows: 7, columns: 5, rowIndices: r.reversed(), columnIndices: c.reversed(), values: v.reversed())
    #expect(fromCOO.values == a.values && fromCOO.pattern == p)
    for k in 0..<p.nonzeroCount { #expect(a[r[k], c[k]] == v[k]) }
  }

  @Test func cooSumsRepeats() {
    let a = SparseMatrix<Double>(rows: 2, columns: 2, rowIndices: [0, 0, 1], columnIndices: [1, 1, 0], values: [1, 2, 5])
    #expect(a.nonzeroCount == 2)
    #expect(a[0, 1] == 3 && a[1, 0] == 5 && a[0, 0] == 0)
  }

  @Test func transposeMatchesDense() {
    var g = TestRandom(seed: 2)
    let a = randomMatrix(randomPattern(6, 9, density: 0.25, &g), &g)
    #expect(a.transposed.dense().allClose(a.dense().transposed(0, 1).contiguousValues(), rtol: 0, atol: 0))
  }

  @Test func productsMatchDense() {
    var g = TestRandom(seed: 3)
    let a = randomMatrix(randomPattern(8, 6, density: 0.3, &g), &g)
    let x = g.tensor([6])
    let xs = g.tensor([6, 4])
    #expect(a.matmul(x).allClose(a.dense().matmul(x), rtol: 1e-14, atol: 1e-14))
    #expect(a.matmul(xs).allClose(a.dense().matmul(xs), rtol: 1e-14, atol: 1e-14))
    let b = randomMatrix(randomPattern(6, 5, density: 0.4, &g), &g)
    #expect(a.matmul(b).dense().allClose(a.dense().matmul(b.dense()), rtol: 1e-14, atol: 1e-14))
  }

  @Test func complexAndFloatValues() {
    let z = SparseMatrix<Complex<Double>>(
      rows: 2, columns: 2, rowIndices: [0, 1], columnIndices: [1, 0], values: [Complex(1, 2), Complex(3, -1)])
    #expect(z.dtype == .complex128)
    #expect(z.adjoint[1, 0] == Complex(1, -2))
    #expect(z.transposed[1, 0] == Complex(1, 2))
    let y = z.multiplied(by: [Complex(1, 0), Complex(0, 1)])
    #expect(y == [Complex(1, 2) * Complex(0, 1), Complex(3, -1)])
    #expect(z.description.contains("3.0-1.0i"))
    let f = SparseMatrix<Float>(dense: Tensor(shape: [2, 2], scalars: [Float(1), 0, 0, 2]))
    #expect(f.dtype == .float32 && f.nonzeroCount == 2)
    #expect(f.dense().dtype == .float32)
  }

  @Test func descriptionListsNonzeros() {
    let a = SparseMatrix<Double>(rows: 2, columns: 3, rowIndices: [0, 1], columnIndices: [2, 0], values: [1.5, -2])
    #expect(a.description == "SparseMatrix(2 × 3, nnz=2, dtype=float64)\n  (0, 2)\t1.5\n  (1, 0)\t-2.0")
    let big = SparseMatrix<Double>(zerosIn: .diagonal(100))
    #expect(big.description.split(separator: "\n").count == 1 + 40 + 1)
    #expect(SparsityPattern.diagonal(4).description == "SparsityPattern(4 × 4, nnz=4, density=0.25)")
  }

  @Test func spyPlotIsSVGWithOneSquarePerNonzero() {
    let p = SparsityPattern.arrowhead(8)
    let plain = p.spySVG()
    #expect(plain.hasPrefix("<svg"))
    #expect(plain.hasSuffix("</svg>\n"))
    #expect(plain.components(separatedBy: "fill=\"black\"").count - 1 == p.nonzeroCount)
    let coloured = p.spySVG(coloring: p.coloring(.bidirectional))
    #expect(coloured.components(separatedBy: "fill=\"hsl(").count - 1 == p.nonzeroCount)
  }

  @Test func misuseMessages() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = SparsityPattern(rows: 2, columns: 2, rowOffsets: [0, 2, 3], columnIndices: [1, 0, 1])
    }
    #expect(sparseStderr(r0).contains("SparsityPattern: the column indices of row 0 must be strictly ascending, got 1 then 0"))
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = SparsityPattern(rows: 2, columns: 2, positions: [(0, 2)])
    }
    #expect(sparseStderr(r1).contains("SparsityPattern: position (0, 2) is outside a 2 × 2 matrix"))
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let a = SparseMatrix<Double>(zerosIn: .diagonal(3))
      _ = a.matmul(Tensor.zeros([4]))
    }
    #expect(sparseStderr(r2).contains("SparseMatrix.matmul: a 3 × 3 matrix times a tensor of shape [4]"))
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = SparseMatrix<Float>(dense: Tensor.zeros([2, 2]))
    }
    #expect(sparseStderr(r3).contains("SparseMatrix(dense:): the tensor holds float64, but SparseMatrix<Float> holds float32"))
  }
}
