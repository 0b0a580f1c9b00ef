import Foundation
import Tangent
import TangentTesting
import Testing

/// Tensors large enough for the kernels to split the work across cores.
@Suite struct LargeReductionTests {
  let x = uniform([300, 400], -1...1, seed: 151)

  @Test func wholeTensorFolds() {
    let v = x.doubles
    expectClose(x.amax(), [v.max()!], atol: 0, rtol: 0)
    expectClose(x.amin(), [v.min()!], atol: 0, rtol: 0)
    let scaled = x * 0.001 + 1
    expectClose(scaled.prod(), [scaled.doubles.reduce(1, *)], rtol: 1e-10)
    #expect(x.argmax().scalars(as: Int64.self) == [Int64(v.indices.max { v[$0] < v[$1] }!)])
  }

  @Test func linesAlongADim() {
    let v = x.doubles
    let rowMax: [Double] = (0..<300).map { r in v[(r * 400)..<(r * 400 + 400)].max()! }
    expectClose(x.max(dim: 1).values, rowMax, atol: 0, rtol: 0)
    expectClose(x.transposed().amax(dim: 0), rowMax, atol: 0, rtol: 0)
    let c = x.cumsum(dim: 0).doubles
    var col = [Double](repeating: 0, count: 400)
    var want = [Double](repeating: 0, count: 300 * 400)
    for r in 0..<300 { for k in 0..<400 { col[k] += v[r * 400 + k]; want[r * 400 + k] = col[k] } }
    expectClose(c, want, atol: 1e-12, rtol: 1e-12)
    let s = x.softmax(dim: 1).sum(dim: 1).doubles
    expectClose(s, [Double](repeating: 1, count: 300), rtol: 1e-13)
  }
}
