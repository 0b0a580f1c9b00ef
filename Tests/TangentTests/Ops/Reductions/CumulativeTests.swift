import Foundation
import Tangent
import TangentTesting
import Testing

/// Reference scans along dim 1 of a row-major [rows, cols] list (or dim 0).
private func scanRef(_ v: [Double], rows: Int, cols: Int, dim: Int, _ f: (Double, Double) -> Double) -> [Double] {
  var out = v
  if dim == 1 {
    for r in 0..<rows { for c in 1..<cols { out[r * cols + c] = f(out[r * cols + c - 1], v[r * cols + c]) } }
  } else {
    for r in 1..<rows { for c in 0..<cols { out[r * cols + c] = f(out[(r - 1) * cols + c], v[r * cols + c]) } }
  }
  return out
}

@Suite struct CumulativeTests {
  let x = uniform([3, 4], -2...2, seed: 81)

  @Test(arguments: [0, 1, -1]) func values(dim: Int) {
    let d = dim < 0 ? dim + 2 : dim
    expectClose(x.cumsum(dim: dim), scanRef(x.doubles, rows: 3, cols: 4, dim: d, +), rtol: 1e-14)
    expectClose(x.cumprod(dim: dim), scanRef(x.doubles, rows: 3, cols: 4, dim: d, *), rtol: 1e-14)
    expectClose(x.logCumSumExp(dim: dim),
                scanRef(x.doubles, rows: 3, cols: 4, dim: d) { Foundation.log(Foundation.exp($0) + Foundation.exp($1)) }, rtol: 1e-14)
    // Through a transposed view.
    let t = x.transposed()
    let tv = t.contiguousCopy().doubles
    expectClose(t.cumsum(dim: dim), scanRef(tv, rows: 4, cols: 3, dim: d, +), rtol: 1e-14)
    expectClose(t.cumprod(dim: dim), scanRef(tv, rows: 4, cols: 3, dim: d, *), rtol: 1e-14)
  }

  @Test func dtypesAndEdges() {
    let i = Tensor([Int64(1), 2, 3, 4])
    #expect(i.cumsum(dim: 0).scalars(as: Int64.self) == [1, 3, 6, 10])
    #expect(i.cumprod(dim: 0).scalars(as: Int64.self) == [1, 2, 6, 24])
    #expect(Tensor([true, false, true]).cumsum(dim: 0).scalars(as: Int64.self) == [1, 1, 2])
    expectClose(Tensor(2.5).cumsum(dim: 0), [2.5])
    expectClose(Tensor([1000.0, 1000, -.infinity]).logCumSumExp(dim: 0), [1000, 1000 + Foundation.log(2.0), 1000 + Foundation.log(2.0)])
    #expect(Tensor.zeros([0, 3]).cumsum(dim: 0).shape == [0, 3])
    // A leading −∞ contributes nothing and has a zero gradient.
    let p = Tensor([-Double.infinity, 0.5, 1]).requiringGrad()
    let g = gradients(of: p.logCumSumExp(dim: 0).sum(), wrt: [p])[0].doubles
    #expect(g[0] == 0 && g[1].isFinite && g[2].isFinite)
  }

  @Test(arguments: [0, 1]) func derivatives(dim: Int) {
    expectGradcheck("cumsum(dim: \(dim))", { $0.cumsum(dim: dim) }, at: x)
    expectGradcheck("cumprod(dim: \(dim))", { $0.cumprod(dim: dim) }, at: x)
    expectGradcheck("logCumSumExp(dim: \(dim))", { $0.logCumSumExp(dim: dim) }, at: x)
    let z = uniform([2, 3], -1...1, seed: 82, dtype: .complex128)
    expectGradcheck("cumsum complex128", { $0.cumsum(dim: dim) }, at: z)
    expectGradcheck("cumprod complex128", { $0.cumprod(dim: dim) }, at: z)
  }

  @Test func cumprodWithZeros() {
    // One zero and two zeros in a row: every derivative order is exact (no division by x).
    for v in [[0.5, 0, 1.5, -2], [0.5, 0, 1.5, 0], [0.0, 0, 1.2, 0.7]] {
      expectGradcheck("cumprod \(v)", { $0.cumprod(dim: 0) }, at: Tensor(v))
      expectGradcheck("cumprod complex \(v)", { $0.cumprod(dim: 0) }, at: Tensor(v).converted(to: .complex128))
    }
    let p = Tensor([2.0, 0, 3]).requiringGrad()
    // d/dx of Σ cumprod = [1 + x1 + x1·x2, x0 + x0·x2, x0·x1].
    expectClose(gradients(of: p.cumprod(dim: 0).sum(), wrt: [p])[0], [1, 2 + 6, 0])
  }
}
