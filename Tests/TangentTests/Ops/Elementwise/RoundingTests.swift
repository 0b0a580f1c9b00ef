import Foundation
import Tangent
import TangentTesting
import Testing

@Suite struct RoundingTests {
  static let cases: [UnaryCase] = [
    UnaryCase(name: "floor", op: { $0.floor() }, reference: Foundation.floor, domain: -3...3),
    UnaryCase(name: "ceil", op: { $0.ceil() }, reference: Foundation.ceil, domain: -3...3),
    UnaryCase(name: "round", op: { $0.round() }, reference: { $0.rounded(.toNearestOrEven) }, domain: -3...3),
    UnaryCase(name: "trunc", op: { $0.trunc() }, reference: Foundation.trunc, domain: -3...3),
    UnaryCase(name: "frac", op: { $0.frac() }, reference: { $0 - Foundation.trunc($0) }, domain: -3...3),
  ]

  @Test(arguments: cases) func unary(_ c: UnaryCase) { checkUnary(c) }

  @Test func roundHalfToEvenAndDecimals() {
    expectClose(Tensor([0.5, 1.5, 2.5, -0.5, -2.5]).round(), [0, 2, 2, -0.0, -2])
    expectClose(Tensor([1.2345, -1.2355, 1234.5]).round(decimals: 2), [1.23, -1.24, 1234.5])
    expectClose(Tensor([1234.5, -1250]).round(decimals: -2), [1200, -1200])
    let x = Tensor([1.234]).requiringGrad()
    expectClose(gradients(of: x.round(decimals: 1).sum(), wrt: [x])[0], [0])
  }

  @Test func integersPassThrough() {
    let i = Tensor([Int64(-3), 4])
    for r in [i.floor(), i.ceil(), i.round(), i.trunc()] {
      #expect(r.dtype == .int64)
      #expect(r.scalars(as: Int64.self) == [-3, 4])
    }
  }

  @Test func zeroDerivatives() {
    let x = Tensor([0.3, -1.7]).requiringGrad()
    for (name, f) in [("floor", { (t: Tensor) in t.floor() }), ("ceil", { $0.ceil() }), ("round", { $0.round() }), ("trunc", { $0.trunc() })] {
      let g = gradients(of: f(x).sum(), wrt: [x])[0]
      expectClose(g, [0, 0], name)
    }
    expectClose(gradients(of: x.frac().sum(), wrt: [x])[0], [1, 1])
  }

  @Test func fmodAndRemainder() {
    let a = Tensor([5.5, -5.5, 5.5, -5.5, 7.25]), b = Tensor([2.0, 2, -2, -2, 0.5])
    expectClose(a.fmod(b), zip(a.doubles, b.doubles).map { Foundation.fmod($0, $1) })
    expectClose(a.remainder(b), [1.5, 0.5, -0.5, -1.5, 0.25])
    expectClose(Tensor([5.0]).fmod(0), [.nan])
    let i = Tensor([Int64(7), -7, 7, -7]), j = Tensor([Int64(3), 3, -3, -3])
    #expect(i.fmod(j).scalars(as: Int64.self) == [1, -1, 1, -1])
    #expect(i.remainder(j).scalars(as: Int64.self) == [1, 2, -2, -1])
    #expect(i.remainder(3).dtype == .int64)
    // Away from the jumps: a/b is not close to an integer.
    let x = Tensor(shape: [3, 4], scalars: [5.3, -4.1, 2.7, -0.6, 3.3, 1.9, -2.9, 6.1, -5.8, 0.9, 4.6, -3.9])
    let y = Tensor([1.3, -0.7, 2.2, -1.6])
    expectGradcheck("fmod", { [$0[0].fmod($0[1])] }, at: [x, y])
    expectGradcheck("remainder", { [$0[0].remainder($0[1])] }, at: [x, y])
    expectGradcheck("remainder (transposed)", { [$0[0].transposed().remainder($0[1])] },
                    at: [x.transposed().contiguousCopy(), Tensor(shape: [3, 1], scalars: [1.3, -0.7, 2.2])])
  }
}
