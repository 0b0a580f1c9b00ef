import Foundation
import Testing
import TangentTesting

@testable import Tangent

// The products composed from matmul/mul/sum: values against loops over indices, derivatives
// by gradcheck in float64 and complex128, and the misuse messages.

@Suite struct CompositeProductTests {
  @Test func outerInnerAndDots() {
    let v = complexInputs([[3], [4], [3, 4], [2, 4], [4]])
    let (a, b, m, n, w) = (v[0], v[1], v[2], v[3], v[4])
    expectValues(a.outer(b), complexReference([3, 4]) { complexAt(a, [$0[0]]) * complexAt(b, [$0[1]]) }, "outer")
    expectValues(m.inner(n), complexReference([3, 2]) { i in
      (0..<4).reduce(Complex<Double>.zero) { $0 + complexAt(m, [i[0], $1]) * complexAt(n, [i[1], $1]) }
    }, "inner")
    expectValues(m.inner(w), complexReference([3]) { i in
      (0..<4).reduce(Complex<Double>.zero) { $0 + complexAt(m, [i[0], $1]) * complexAt(w, [$1]) }
    }, "inner with a vector")
    expectValues(a.inner(Tensor(Complex(2.0, 0))), a * 2, "inner with a 0-d operand")
    expectValues(b.vdot(w), complexReference([]) { _ in
      (0..<4).reduce(Complex<Double>.zero) { $0 + complexAt(b, [$1]).conjugate * complexAt(w, [$1]) }
    }, "vdot conjugates the first operand")
    expectValues(m.vecdot(n.reshaped([2, 1, 4]), dim: -1), complexReference([2, 3]) { i in
      (0..<4).reduce(Complex<Double>.zero) { $0 + complexAt(m, [i[1], $1]).conjugate * complexAt(n, [i[0], $1]) }
    }, "vecdot broadcasts")
    expectValues(m.vecdot(m, dim: 0), complexReference([4]) { i in
      (0..<3).reduce(Complex<Double>.zero) { $0 + Complex(complexAt(m, [$1, i[0]]).lengthSquared) }
    }, "vecdot along dim 0")
    // Real dtypes: vdot is the dot product.
    let r = Tensor([1.0, 2, 3]), s = Tensor([4.0, 5, 6])
    expectClose(r.vdot(s), [32], "real vdot")
    expectClose(r.vecdot(s), [32], "real vecdot")
  }

  @Test func crossProducts() {
    let v = complexInputs([[4, 3], [4, 3], [3, 2], [3]])
    let (a, b, c, d) = (v[0], v[1], v[2], v[3])
    func crossRef(_ x: (Int) -> Complex<Double>, _ y: (Int) -> Complex<Double>, _ i: Int) -> Complex<Double> {
      let (j, k) = ((i + 1) % 3, (i + 2) % 3)
      return x(j) * y(k) - x(k) * y(j)
    }
    expectValues(a.cross(b), complexReference([4, 3]) { i in crossRef({ complexAt(a, [i[0], $0]) }, { complexAt(b, [i[0], $0]) }, i[1]) }, "cross")
    expectValues(c.cross(c.flipped(dim: 1), dim: 0), complexReference([3, 2]) { i in
      crossRef({ complexAt(c, [$0, i[1]]) }, { complexAt(c, [$0, 1 - i[1]]) }, i[0])
    }, "cross along dim 0")
    expectValues(d.cross(b), complexReference([4, 3]) { i in crossRef({ complexAt(d, [$0]) }, { complexAt(b, [i[0], $0]) }, i[1]) }, "cross broadcasts")
    // The unit vectors: x × y = z.
    expectClose(Tensor([1.0, 0, 0]).cross(Tensor([0.0, 1, 0])), [0, 0, 1], "x × y")
  }

  @Test func addProducts() {
    let v = complexInputs([[3, 5], [3, 4], [4, 5], [4], [3], [2, 3, 4], [2, 4, 5], [2, 3, 5]])
    let (input, m1, m2, vec, inV, b1, b2, inB) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7])
    let mm = complexReference([3, 5]) { i in (0..<4).reduce(Complex<Double>.zero) { $0 + complexAt(m1, [i[0], $1]) * complexAt(m2, [$1, i[1]]) } }
    expectValues(input.addmm(m1, m2, beta: 0.5, alpha: 2), input * 0.5 + mm * 2, "addmm")
    expectValues(inV.addmv(m1, vec, beta: 2, alpha: -1), inV * 2 - m1.matmul(vec), "addmv")
    expectValues(input.narrowed(dim: 1, start: 0, length: 4).addr(inV, vec), input.narrowed(dim: 1, start: 0, length: 4) + inV.outer(vec), "addr")
    let bmm = complexReference([2, 3, 5]) { i in
      (0..<4).reduce(Complex<Double>.zero) { $0 + complexAt(b1, [i[0], i[1], $1]) * complexAt(b2, [i[0], $1, i[2]]) }
    }
    expectValues(inB.baddbmm(b1, b2, alpha: 3), inB + bmm * 3, "baddbmm")
    expectValues(input.addbmm(b1, b2, beta: 0.5), input * 0.5 + bmm.sum(dim: 0), "addbmm")
    expectValues(input.sum(dim: 0).addbmm(b1, b2), input.sum(dim: 0) + bmm.sum(dim: 0), "addbmm broadcasts its input")
    // β = 0 ignores the input: NaN in it does not propagate.
    let nan = Tensor.full([3, 5], .nan)
    let y = nan.addmm(m1.real, m2.real, beta: 0)
    #expect(y.doubles.allSatisfy { $0.isFinite })
    expectValues(y, m1.real.matmul(m2.real), "addmm with β 0")
    // Integers keep their dtype.
    let i = Tensor(shape: [2, 2], scalars: [Int64(1), 2, 3, 4])
    let yi = i.addmm(i, i, beta: 2, alpha: 3)
    #expect(yi.dtype == .int64)
    #expect(yi.scalars(as: Int64.self) == [23, 34, 51, 74])
  }

  @Test func tensordotForms() {
    let v = complexInputs([[3, 4, 5], [4, 5, 2], [3, 4, 2], [2, 5, 3], [3, 1], [4, 2]])
    let (a, b, c, d, e, f) = (v[0], v[1], v[2], v[3], v[4], v[5])
    expectValues(a.tensordot(b), complexReference([3, 2]) { i in
      var s = Complex<Double>.zero
      for j in 0..<4 { for k in 0..<5 { s += complexAt(a, [i[0], j, k]) * complexAt(b, [j, k, i[1]]) } }
      return s
    }, "dims 2")
    expectValues(a.tensordot(b, dims: 0), complexReference([3, 4, 5, 4, 5, 2]) { i in
      complexAt(a, Array(i.prefix(3))) * complexAt(b, Array(i.suffix(3)))
    }, "dims 0 (outer product)")
    expectValues(c.tensordot(d, dims: ([0, 2], [2, 0])), complexReference([4, 5]) { i in
      var s = Complex<Double>.zero
      for p in 0..<3 { for q in 0..<2 { s += complexAt(c, [p, i[0], q]) * complexAt(d, [q, i[1], p]) } }
      return s
    }, "dims ([0, 2], [2, 0])")
    expectValues(c.tensordot(d, dims: ([-3, -1], [-1, -3])), c.tensordot(d, dims: ([0, 2], [2, 0])), "negative dims")
    // A size-1 contracted dim against a larger one is summed first, as in PyTorch.
    expectValues(e.tensordot(f, dims: ([1], [0])), e.matmul(f.sum(dim: 0, keepdim: true)), "size-1 contracted dim")
  }

  @Test func multiDotOrderAndShapes() {
    let v = complexInputs([[3, 4], [4, 5], [5, 2], [4], [2]])
    let (a, b, c, x, y) = (v[0], v[1], v[2], v[3], v[4])
    expectValues(Tensor.multiDot([a, b, c]), a.matmul(b).matmul(c), "matrices")
    expectValues(Tensor.multiDot([x, b, c, y]), x.matmul(b).matmul(c).matmul(y), "vector ends")
    expectValues(Tensor.multiDot([a, x]), a.matmul(x), "two operands")
    // 10×100, 100×5, 5×50: (AB)C costs 7500, A(BC) 75000.
    #expect(Tensor.chainOrder([10, 100, 5, 50])[0][2] == 1)
    // 50×5, 5×100, 100×10: A(BC) is cheaper.
    #expect(Tensor.chainOrder([50, 5, 100, 10])[0][2] == 0)
  }

  @Test func derivatives() {
    expectGradients([[3], [4]]) { [$0[0].outer($0[1])] }
    expectGradients([[3, 4], [2, 4]]) { [$0[0].inner($0[1])] }
    expectGradients([[5], [5]]) { [$0[0].vdot($0[1])] }
    expectGradients([[2, 1, 4], [3, 4]]) { [$0[0].vecdot($0[1])] }
    expectGradients([[3, 2], [3, 2]]) { [$0[0].vecdot($0[1], dim: 0)] }
    expectGradients([[4, 3], [3]]) { [$0[0].cross($0[1])] }
    expectGradients([[3, 2], [3, 2]]) { [$0[0].cross($0[1], dim: 0)] }
    expectGradients([[3, 5], [3, 4], [4, 5]]) { [$0[0].addmm($0[1], $0[2], beta: 0.5, alpha: 2)] }
    expectGradients([[5], [3, 4], [4, 5]]) { [$0[0].addmm($0[1], $0[2], beta: 0)] }
    expectGradients([[3], [3, 4], [4]]) { [$0[0].addmv($0[1], $0[2], beta: 2)] }
    expectGradients([[1, 4], [3], [4]]) { [$0[0].addr($0[1], $0[2], alpha: -1)] }
    expectGradients([[3, 5], [2, 3, 4], [2, 4, 5]]) { [$0[0].baddbmm($0[1], $0[2])] }
    expectGradients([[3, 5], [2, 3, 4], [2, 4, 5]]) { [$0[0].addbmm($0[1], $0[2], alpha: 0.5)] }
    expectGradients([[3, 4, 2], [2, 5, 3]]) { [$0[0].tensordot($0[1], dims: ([0, 2], [2, 0]))] }
    expectGradients([[3, 1], [4, 2]]) { [$0[0].tensordot($0[1], dims: ([1], [0]))] }
    expectGradients([[4], [4, 5], [5, 3], [3, 2]]) { [Tensor.multiDot($0)] }
  }

  @Test func misuseStopsWithTheShapes() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3, 4]).tensordot(Tensor.zeros([5, 2]), dims: 1)
    }
    let message = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
    #expect(message.contains("tensordot: contracted dims differ: size 4 in dim 1 of [3, 4] and size 5 in dim 0 of [5, 2]"), "\(message)")
    let cross = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([4, 2]).cross(Tensor.zeros([4, 2]))
    }
    let crossMessage = cross.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
    #expect(crossMessage.contains("linalg.cross: both operands need size 3 along dim -1, got [4, 2] and [4, 2]"), "\(crossMessage)")
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([3, 5]).addmm(Tensor.zeros([3, 4]), Tensor.zeros([5, 5])) }
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([2, 5]).addmm(Tensor.zeros([3, 4]), Tensor.zeros([4, 5])) }
    await #expect(processExitsWith: .failure) { _ = Tensor.multiDot([Tensor.zeros([3, 4]), Tensor.zeros([3, 4])]) }
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([3]).outer(Tensor.zeros([2, 2])) }
  }
}
