import Testing
import Tangent

@Suite struct PredicateTests {
  let x = Tensor([1.0, .nan, .infinity, -.infinity, 0, -2])

  @Test func classification() {
    #expect(x.isNaN().scalars(as: Bool.self) == [false, true, false, false, false, false])
    #expect(x.isInf().scalars(as: Bool.self) == [false, false, true, true, false, false])
    #expect(x.isPosInf().scalars(as: Bool.self) == [false, false, true, false, false, false])
    #expect(x.isNegInf().scalars(as: Bool.self) == [false, false, false, true, false, false])
    #expect(x.isFinite().scalars(as: Bool.self) == [true, false, false, false, true, true])
    let z = Tensor([Complex<Double>(1, .nan), Complex(.infinity, 0), Complex(1, 2)])
    #expect(z.isNaN().scalars(as: Bool.self) == [true, false, false])
    #expect(z.isInf().scalars(as: Bool.self) == [false, true, false])
    #expect(z.isFinite().scalars(as: Bool.self) == [false, false, true])
    #expect(Tensor([Int64(1), 2]).isFinite().scalars(as: Bool.self) == [true, true])
  }

  @Test func logicalOps() {
    let a = Tensor([0.0, 1, 2, 0]), b = Tensor([Int64(0), 0, 3, 5])
    #expect(a.logicalNot().scalars(as: Bool.self) == [true, false, false, true])
    #expect(a.logicalAnd(b).scalars(as: Bool.self) == [false, false, true, false])
    #expect(a.logicalOr(b).scalars(as: Bool.self) == [false, true, true, true])
    #expect(a.logicalXor(b).scalars(as: Bool.self) == [false, true, false, true])
  }

  @Test func anyAndAll() {
    let m = Tensor(shape: [2, 3], scalars: [0.0, 1, 0, 2, 3, 4])
    #expect(m.any().item(as: Bool.self))
    #expect(!m.all().item(as: Bool.self))
    #expect(m.all(dims: [1]).scalars(as: Bool.self) == [false, true])
    #expect(m.any(dims: [0]).scalars(as: Bool.self) == [true, true, true])
    #expect(m.any(dims: [-1], keepdim: true).shape == [2, 1])
    #expect(!Tensor.zeros([0]).any().item(as: Bool.self))
    #expect(Tensor.zeros([0]).all().item(as: Bool.self))
  }

  @Test func noDerivative() {
    let (_, t): (Tensor, Tensor) = jvp(of: { $0.isNaN().converted(to: .float64) }, at: x, along: x)
    #expect(t.doubles.allSatisfy { $0 == 0 })
  }
}
