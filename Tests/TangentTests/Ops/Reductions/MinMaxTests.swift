import Foundation
import Tangent
import TangentTesting
import Testing

@Suite struct MinMaxTests {
  let x = uniform([3, 4], -2...2, seed: 101)

  @Test func values() {
    let v = x.doubles
    let rowMax = (0..<3).map { r in (0..<4).map { v[r * 4 + $0] }.max()! }
    let colMin = (0..<4).map { c in (0..<3).map { v[$0 * 4 + c] }.min()! }
    expectClose(x.amax(dim: 1), rowMax)
    expectClose(x.amin(dim: 0), colMin)
    expectClose(x.amax(), [v.max()!])
    expectClose(x.min(), [v.min()!])
    #expect(x.amax(dims: [0, 1], keepdim: true).shape == [1, 1])
    expectClose(x.transposed().amax(dim: 0), rowMax)
    let (values, indices) = x.max(dim: 1)
    expectClose(values, rowMax)
    #expect(indices.dtype == .int64)
    let rowArgmax: [Int64] = (0..<3).map { (r: Int) -> Int64 in Int64((0..<4).max { v[r * 4 + $0] < v[r * 4 + $1] }!) }
    let rowArgmin: [Int64] = (0..<3).map { (r: Int) -> Int64 in Int64((0..<4).min { v[r * 4 + $0] < v[r * 4 + $1] }!) }
    let flatArgmax = Int64(v.indices.max { v[$0] < v[$1] }!)
    #expect(indices.scalars(as: Int64.self) == rowArgmax)
    let (mv, mi) = x.min(dim: 0, keepdim: true)
    #expect(mv.shape == [1, 4] && mi.shape == [1, 4])
    expectClose(mv, colMin)
    #expect(x.argmax().scalars(as: Int64.self) == [flatArgmax])
    #expect(x.argmin(dim: 1).scalars(as: Int64.self) == rowArgmin)
  }

  @Test func tiesNaNAndIntegers() {
    let t = Tensor([1.0, 3, 3, 2])
    #expect(t.argmax().scalars(as: Int64.self) == [1])
    #expect(t.max(dim: 0).indices.scalars(as: Int64.self) == [1])
    let n = Tensor([1.0, .nan, 3])
    #expect(n.amax().doubles[0].isNaN)
    #expect(n.max(dim: 0).indices.scalars(as: Int64.self) == [1])
    #expect(n.argmin().scalars(as: Int64.self) == [1])
    let i = Tensor(shape: [2, 2], scalars: [Int64(4), -1, 7, 2])
    #expect(i.amax(dim: 1).scalars(as: Int64.self) == [4, 7])
    #expect(i.amin().scalars(as: Int64.self) == [-1])
  }

  @Test func derivatives() {
    expectGradcheck("amax(dim: 1)", { $0.amax(dim: 1) }, at: x)
    expectGradcheck("amin(dims: [0, 1])", { $0.amin(dims: [0, 1], keepdim: true) }, at: x)
    expectGradcheck("max()", { $0.max() }, at: x)
    expectGradcheck("max(dim: 0)", { $0.max(dim: 0).values }, at: x)
    expectGradcheck("min(dim: 1, keepdim)", { $0.min(dim: 1, keepdim: true).values }, at: x)
  }

  @Test func tieGradients() {
    // amax, amin, max() and min() share the gradient evenly among ties; max(dim:) gives it
    // to the returned index alone (PyTorch).
    let p = Tensor(shape: [2, 3], scalars: [1.0, 3, 3, 2, 2, 2]).requiringGrad()
    expectClose(gradients(of: p.amax(dim: 1).sum(), wrt: [p])[0], [0, 0.5, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3])
    expectClose(gradients(of: p.max(), wrt: [p])[0], [0, 0.5, 0.5, 0, 0, 0])
    expectClose(gradients(of: p.min(), wrt: [p])[0], [1, 0, 0, 0, 0, 0])
    expectClose(gradients(of: p.max(dim: 1).values.sum(), wrt: [p])[0], [0, 1, 0, 1, 0, 0])
    // A NaN maximum: the NaNs share the gradient.
    let n = Tensor([1.0, .nan, 2, .nan]).requiringGrad()
    expectClose(gradients(of: n.max(), wrt: [n])[0], [0, 0.5, 0, 0.5])
    let t: Tensor = withDualLevel { l in
      p.detached.dual(tangent: Tensor(shape: [2, 3], scalars: [1.0, 2, 4, 1, 2, 3]), at: l).amax(dim: 1).tangent(at: l)!
    }
    expectClose(t, [3, 2])
  }
}
