import Tangent
import TangentTesting
import Testing

@Suite struct LinalgTriangularTests {
  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func solvesAgainstTheSystem(dtype: DType) {
    let a = wellConditioned([2, 4, 4], dtype: dtype)
    let b = linalgRandom([2, 4, 3], dtype: dtype), br = linalgRandom([2, 3, 4], dtype: dtype)
    let tol = tolerance(dtype)
    for upper in [true, false] {
      let t = upper ? a.triu() : a.tril()
      let x = Linalg.solveTriangular(a, b, upper: upper)
      expectAllClose(t.matmul(x), b, tol: tol, "left upper=\(upper) \(dtype)")
      let xr = Linalg.solveTriangular(a, br, upper: upper, left: false)
      expectAllClose(xr.matmul(t), br, tol: tol, "right upper=\(upper) \(dtype)")
      let unit = (upper ? a.triu(diagonal: 1) : a.tril(diagonal: -1)) + identityLike(a)
      let xu = Linalg.solveTriangular(a, b, upper: upper, unitriangular: true)
      expectAllClose(unit.matmul(xu), b, tol: tol, "unitriangular upper=\(upper) \(dtype)")
      // A column-major A is read through the transpose flags.
      let ac = a.mT.contiguous().mT
      expectAllClose(Linalg.solveTriangular(ac, b, upper: upper), x, tol: tol, "column-major A upper=\(upper) \(dtype)")
      expectAllClose(Linalg.solveTriangular(ac, br, upper: upper, left: false), xr, tol: tol, "column-major A right \(dtype)")
      // The legacy API: Aᵀ X = b with transpose.
      let (s, m) = Linalg.triangularSolve(b, a, upper: upper, transpose: true)
      expectAllClose(t.mT.matmul(s), b, tol: tol, "triangularSolve transpose upper=\(upper) \(dtype)")
      expectAllClose(m, a, tol: 0, "cloned coefficient")
    }
    // Broadcasting: one A for a batch of B.
    let one = wellConditioned([4, 4], dtype: dtype, seed: 3)
    #expect(Linalg.solveTriangular(one, linalgRandom([5, 4, 2], dtype: dtype), upper: true).shape == [5, 4, 2])
  }

  @Test func zeroOnTheDiagonalGivesInfinities() {
    let a = Tensor([[1.0, 2.0], [0.0, 0.0]])
    let x = Linalg.solveTriangular(a, Tensor([[1.0], [1.0]]), upper: true)
    #expect(x.doubles.contains { !$0.isFinite })
  }

  @Test(arguments: [DType.float64, .complex128])
  func derivatives(dtype: DType) {
    let a = wellConditioned([3, 3], dtype: dtype), ab = wellConditioned([2, 3, 3], dtype: dtype, seed: 4)
    let b = linalgRandom([3, 2], dtype: dtype), br = linalgRandom([2, 3], dtype: dtype)
    for upper in [true, false] {
      expectGradcheck("upper=\(upper) \(dtype)", { [Linalg.solveTriangular($0[0], $0[1], upper: upper)] }, at: [a, b])
      expectGradcheck(
        "right upper=\(upper) \(dtype)", { [Linalg.solveTriangular($0[0], $0[1], upper: upper, left: false)] }, at: [a, br])
      expectGradcheck(
        "unitriangular upper=\(upper) \(dtype)", { [Linalg.solveTriangular($0[0], $0[1], upper: upper, unitriangular: true)] },
        at: [a, b])
      expectGradcheck(
        "column-major upper=\(upper) \(dtype)", { [Linalg.solveTriangular($0[0].mT, $0[1], upper: upper)] }, at: [a, b])
      expectGradcheck(
        "broadcast upper=\(upper) \(dtype)", { [Linalg.solveTriangular($0[0], $0[1], upper: upper)] },
        at: [ab, linalgRandom([3, 1], dtype: dtype)])
      // The legacy forward rule takes the whole tangent of A: A enters through its triangle.
      // The op declares forward-over-reverse unsupported (the engine stops), so that check is off.
      var legacy = GradcheckOptions()
      legacy.checkForwardOverReverse = false
      for transpose in [false, true] {
        expectGradcheck("triangularSolve upper=\(upper) transpose=\(transpose) \(dtype)", {
          let t = upper ? $0[1].triu() : $0[1].tril()
          let (x, m) = Linalg.triangularSolve($0[0], t, upper: upper, transpose: transpose)
          return [x, m]
        }, at: [b, a], options: legacy)
      }
    }
  }
}
