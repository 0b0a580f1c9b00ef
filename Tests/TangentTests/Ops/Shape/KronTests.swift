import Testing
import TangentTesting
@testable import Tangent

@Suite struct KronTests {
  @Test func values() {
    let a = grid([2, 3]) + 1, b = grid([3, 2]) - 2
    let y = a.kron(b)
    #expect(y.shape == [6, 6])
    #expect(y.doubles == reference([6, 6]) { i in value(a, [i[0] / 3, i[1] / 2]) * value(b, [i[0] % 3, i[1] % 2]) }.doubles)
    // Different ranks: the smaller is padded with leading 1s.
    let v = Tensor([1.0, 2])
    let c = grid([2, 1, 3])
    let z = v.kron(c)
    #expect(z.shape == [2, 1, 6])
    #expect(z.doubles == reference([2, 1, 6]) { i in value(v, [i[2] / 3]) * value(c, [i[0], 0, i[2] % 3]) }.doubles)
    #expect(Tensor(2.0).kron(Tensor(3.0)).scalar == 6)
  }

  @Test func nonContiguousAndComplex() {
    let a = grid([3, 2]).transposed()
    let b = Tensor([[1.0, -1]])
    #expect(a.kron(b).doubles == reference([2, 6]) { i in value(a, [i[0], i[1] / 2]) * (i[1] % 2 == 0 ? 1 : -1) }.doubles)
    let z = uniform([2], -1...1, dtype: .complex128), w = uniform([2], -1...1, seed: 3, dtype: .complex128)
    let k = z.kron(w).complexDoubles
    #expect((k[3] - z.complexDoubles[1] * w.complexDoubles[1]).length < 1e-15)
  }

  @Test func gradients() {
    expectGradients([[2, 3], [3, 2]]) { [$0[0].kron($0[1])] }
    expectGradients([[2], [2, 1, 3]]) { [$0[0].kron($0[1])] }
    expectGradients([[3, 2], [2, 2]]) { [$0[0].transposed().kron($0[1])] }
  }
}
