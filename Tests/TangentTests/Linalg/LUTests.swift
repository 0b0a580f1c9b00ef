import Tangent
import TangentTesting
import Testing

@Suite struct LinalgLUTests {
  static let shapes: [[Int]] = [[4, 4], [2, 3, 3], [3, 5], [2, 5, 3]]

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func factorsReproduceTheMatrix(dtype: DType) throws {
    for shape in Self.shapes {
      let a = linalgRandom(shape, dtype: dtype, seed: 3)
      let (p, l, u) = Linalg.lu(a)
      let m = shape[shape.count - 2], n = shape[shape.count - 1], k = min(m, n)
      #expect(p.shape == Array(shape.dropLast(2)) + [m, m] && l.shape == Array(shape.dropLast(2)) + [m, k])
      #expect(u.shape == Array(shape.dropLast(2)) + [k, n])
      expectAllClose(p.matmul(l).matmul(u), a, tol: tolerance(dtype), "P L U \(shape) \(dtype)")
      expectAllClose(l, l.tril(), tol: 0, "L is lower")
      expectAllClose(u, u.triu(), tol: 0, "U is upper")
      let (packed, pivots) = try Linalg.luFactor(a)
      #expect(pivots.dtype == .int64 && pivots.shape == Array(shape.dropLast(2)) + [k])
      #expect(pivots.scalars(as: Int64.self).allSatisfy { $0 >= 1 && $0 <= Int64(m) })
      let (p2, l2, u2) = Linalg.luUnpack(packed, pivots)
      expectAllClose(p2, p, tol: 0, "unpacked P")
      expectAllClose(l2, l, tol: 0, "unpacked L")
      expectAllClose(u2, u, tol: 0, "unpacked U")
      // Partial pivoting: |L| ≤ 1 (≤ √2 for complex dtypes, whose pivots LAPACK picks by |re| + |im|).
      let bound = dtype.isComplex ? 2.0.squareRoot() : 1.0
      #expect(l.complexDoubles.allSatisfy { $0.length <= bound + 1e-6 })
      expectAllClose(Linalg.lu(a.mT.contiguous().mT).u, u, tol: tolerance(dtype), "column-major input \(shape) \(dtype)")
    }
  }

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func solvesWithTheFactors(dtype: DType) throws {
    let a = wellConditioned([2, 4, 4], dtype: dtype)
    let (lu, pivots) = try Linalg.luFactor(a)
    let b = linalgRandom([2, 4, 3], dtype: dtype), br = linalgRandom([2, 3, 4], dtype: dtype)
    let tol = tolerance(dtype)
    expectAllClose(a.matmul(Linalg.luSolve(lu, pivots, b)), b, tol: tol, "A X = B \(dtype)")
    expectAllClose(a.mH.matmul(Linalg.luSolve(lu, pivots, b, adjoint: true)), b, tol: tol, "Aᴴ X = B \(dtype)")
    expectAllClose(Linalg.luSolve(lu, pivots, br, left: false).matmul(a), br, tol: tol, "X A = B \(dtype)")
    expectAllClose(Linalg.luSolve(lu, pivots, br, left: false, adjoint: true).matmul(a.mH), br, tol: tol, "X Aᴴ = B \(dtype)")
    // A row-major copy of the packed factors gives the same solution.
    expectAllClose(Linalg.luSolve(lu.contiguous(), pivots, b), Linalg.luSolve(lu, pivots, b), tol: tol, "row-major LU")
    let many = linalgRandom([5, 1, 4, 2], dtype: dtype)
    #expect(Linalg.luSolve(lu, pivots, many).shape == [5, 2, 4, 2])
  }

  @Test func singularMatrices() {
    let singular = Tensor([[1.0, 2.0], [2.0, 4.0]])
    let batch = Tensor.stack([Tensor.eye(2), singular])
    #expect(throws: LinalgError.singular(op: "Linalg.luFactor", batchIndex: 1)) { try Linalg.luFactor(batch) }
    let (_, _, info) = Linalg.luFactorEx(batch)
    #expect(info.scalars(as: Int64.self) == [0, 2])
    let (p, l, u) = Linalg.lu(singular)
    expectAllClose(p.matmul(l).matmul(u), singular, tol: 1e-15, "lu of a singular matrix")
    let (pp, ll, uu) = Linalg.luUnpack(Linalg.luFactorEx(singular).lu, Linalg.luFactorEx(singular).pivots, unpackData: false)
    #expect(pp.shape == [2, 2] && ll.shape == [0] && uu.shape == [0])
  }

  @Test(arguments: [DType.float64, .complex128])
  func derivatives(dtype: DType) throws {
    for shape in Self.shapes {
      let a = linalgRandom(shape, dtype: dtype, seed: 5)
      expectGradcheck("luFactor \(shape) \(dtype)", { [try! Linalg.luFactor($0[0]).lu] }, at: [a])
      expectGradcheck("lu \(shape) \(dtype)", { let (p, l, u) = Linalg.lu($0[0]); return [p, l, u] }, at: [a])
    }
    let a = wellConditioned([3, 3], dtype: dtype)
    let (lu, pivots) = try Linalg.luFactor(a)
    let b = linalgRandom([3, 2], dtype: dtype), br = linalgRandom([2, 3], dtype: dtype)
    for adjoint in [false, true] {
      expectGradcheck("luSolve adjoint=\(adjoint) \(dtype)", { [Linalg.luSolve($0[0], pivots, $0[1], adjoint: adjoint)] }, at: [lu, b])
      expectGradcheck(
        "luSolve right adjoint=\(adjoint) \(dtype)", { [Linalg.luSolve($0[0], pivots, $0[1], left: false, adjoint: adjoint)] },
        at: [lu, br])
      expectGradcheck(
        "luSolve column-major adjoint=\(adjoint) \(dtype)", { [Linalg.luSolve($0[0].mT, pivots, $0[1], adjoint: adjoint)] },
        at: [lu.mT.contiguous(), b])
    }
    expectGradcheck("luSolve through luFactor \(dtype)", {
      let (f, p) = try! Linalg.luFactor($0[0])
      return [Linalg.luSolve(f, p, $0[1])]
    }, at: [a, linalgRandom([2, 3, 1], dtype: dtype)])
  }
}
