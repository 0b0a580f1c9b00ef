import Testing
@testable import Tangent

@Suite struct CloseTests {
  @Test func toleranceFormula() {
    let a = Tensor([1.0, 1.0, 100.0, 0.0])
    let b = Tensor([1.0 + 5e-6, 1.0 + 2e-5, 100.0 + 9e-4, 1e-9])
    #expect(a.isClose(b).scalars(as: Bool.self) == [true, false, true, true])
    #expect(a.isClose(b, rtol: 0, atol: 0).scalars(as: Bool.self) == [false, false, false, false])
    #expect(a.isClose(b, rtol: 1e-3).scalars(as: Bool.self) == [true, true, true, true])
  }

  @Test func asymmetricInB() {
    // |a − b| ≤ atol + rtol·|b| uses b only.
    let a = Tensor([0.0]), b = Tensor([1.0])
    #expect(a.isClose(b, rtol: 1, atol: 0).item(as: Bool.self))
    #expect(!b.isClose(a, rtol: 1, atol: 0).item(as: Bool.self))
  }

  @Test func infinitiesAndNaN() {
    let inf = Double.infinity, nan = Double.nan
    let a = Tensor([inf, inf, -inf, nan, nan, 1])
    let b = Tensor([inf, -inf, -inf, nan, 1, inf])
    #expect(a.isClose(b).scalars(as: Bool.self) == [true, false, true, false, false, false])
    #expect(a.isClose(b, equalNaN: true).scalars(as: Bool.self) == [true, false, true, true, false, false])
    #expect(!a.allClose(b, equalNaN: true))
    #expect(Tensor([nan]).allClose(Tensor([nan]), equalNaN: true))
  }

  @Test func broadcasting() {
    let a = Tensor([[1.0], [2.0]]), b = Tensor([1.0, 2.0, 1.0 + 1e-9])
    let c = a.isClose(b)
    #expect(c.shape == [2, 3])
    #expect(c.scalars(as: Bool.self) == [true, false, true, false, true, false])
  }

  @Test func complexByModulus() {
    let a = Tensor(shape: [3], scalars: [Complex(1.0, 1.0), Complex(0, 0), Complex(.nan, 0)])
    let b = Tensor(shape: [3], scalars: [Complex(1.0 + 3e-6, 1.0 - 4e-6), Complex(0, 2e-8), Complex(0, .nan)])
    // |Δ| = 5e-6 ≤ 1e-8 + 1e-5·√2; |Δ| = 2e-8 > 1e-8 + 1e-5·2e-8.
    #expect(a.isClose(b).scalars(as: Bool.self) == [true, false, false])
    #expect(a.isClose(b, equalNaN: true).scalars(as: Bool.self) == [true, false, true])
    let inf = Tensor(shape: [1], scalars: [Complex(Double.infinity, 0)])
    let nanz = Tensor(shape: [1], scalars: [Complex(Double.nan, 0)])
    #expect(inf.isClose(inf).item(as: Bool.self))
    #expect(!inf.isClose(nanz).item(as: Bool.self))
  }

  @Test func integersBoolsAndMixedDTypes() {
    let i: Tensor = [1, 2, 1000]
    let j: Tensor = [1, 3, 1001]
    #expect(i.isClose(j).scalars(as: Bool.self) == [true, false, false])
    #expect(i.isClose(j, rtol: 1e-3).scalars(as: Bool.self) == [true, false, true])
    #expect(i.isClose(Tensor([1.0, 2.0, 1000.0])).scalars(as: Bool.self) == [true, true, true])
    let p: Tensor = [true, false]
    #expect(p.isClose(p).scalars(as: Bool.self) == [true, true])
    #expect(Tensor([Float(1)]).allClose(Tensor([1.0 + 1e-7])))
  }

  @Test func nonContiguousAndEmpty() {
    let x = Tensor.arange(0, 6, dtype: .float64).reshaped([2, 3])
    #expect(x.transposed().allClose(Tensor([[0.0, 3], [1, 4], [2, 5]])))
    #expect(Tensor.zeros([0, 2]).allClose(Tensor.zeros([0, 2])))
  }
}
