import Foundation
import Tangent
import TangentTesting
import Testing

@Suite struct ProdTests {
  @Test func values() {
    let x = uniform([3, 4], -2...2, seed: 91)
    let v = x.doubles
    expectClose(x.prod(dim: 1), (0..<3).map { r in (0..<4).reduce(1.0) { $0 * v[r * 4 + $1] } }, rtol: 1e-14)
    expectClose(x.prod(dim: 0, keepdim: true), (0..<4).map { c in (0..<3).reduce(1.0) { $0 * v[$1 * 4 + c] } }, rtol: 1e-14)
    #expect(x.prod(dim: 0, keepdim: true).shape == [1, 4])
    expectClose(x.prod(), [v.reduce(1, *)], rtol: 1e-14)
    expectClose(x.transposed().prod(dim: 1), (0..<4).map { c in (0..<3).reduce(1.0) { $0 * v[$1 * 4 + c] } }, rtol: 1e-14)
    #expect(Tensor([Int64(2), 3, -4]).prod().scalars(as: Int64.self) == [-24])
    expectClose(Tensor.zeros([2, 0]).prod(dim: 1), [1, 1])
    expectClose(Tensor([Complex(1.0, 1), Complex(2, -1)]).prod(), complex: [Complex(3, 1)])
  }

  @Test func derivatives() {
    let x = uniform([3, 4], -2...2, seed: 92, avoidingZero: 0.3)
    expectGradcheck("prod(dim: 1)", { $0.prod(dim: 1) }, at: x)
    expectGradcheck("prod(dim: 0, keepdim)", { $0.prod(dim: 0, keepdim: true) }, at: x)
    expectGradcheck("prod()", { $0.prod() }, at: x)
    expectGradcheck("prod complex128", { $0.prod(dim: 1) }, at: uniform([2, 3], -1...1, seed: 93, dtype: .complex128))
  }

  @Test func derivativesWithZeros() {
    // One zero per row, two zeros in a row, and a row of zeros, at every order.
    let x = Tensor(shape: [3, 4], scalars: [0.5, 0, 1.5, -2, 0, 1.3, 0, 0.7, 0, 0, 0, 0])
    expectGradcheck("prod with zeros", { $0.prod(dim: 1) }, at: x)
    expectGradcheck("prod with zeros along dim 0", { $0.prod(dim: 0) }, at: x)
    expectGradcheck("prod() with zeros", { $0.prod() }, at: Tensor([1.5, 0, -2, 0.5]))
    expectGradcheck("prod complex with zeros", { $0.prod(dim: 1) }, at: x.converted(to: .complex128))
    let p = Tensor([2.0, 0, 3]).requiringGrad()
    expectClose(gradients(of: p.prod(), wrt: [p])[0], [0, 6, 0])
    // The second derivative with one zero: ∂²/∂x₀∂x₁ = x₂ = 3.
    let q = Tensor([2.0, 0, 3]).requiringGrad()
    let g = gradients(of: q.prod(), wrt: [q], createGraph: true)[0]
    let h = gradients(of: g, wrt: [q], seed: Tensor([1.0, 0, 0]))[0]
    expectClose(h, [0, 3, 0])
  }
}
