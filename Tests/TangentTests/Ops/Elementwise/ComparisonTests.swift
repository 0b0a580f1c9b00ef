import Testing
import TangentTesting
@testable import Tangent

@Suite struct ComparisonTests {
  @Test func allSixAgainstReference() {
    let a = Tensor([1.0, 2, 3, .nan]), b = Tensor([2.0, 2, 1, .nan])
    let x = a.doubles, y = b.doubles
    #expect((a .== b).scalars(as: Bool.self) == zip(x, y).map { $0 == $1 })
    #expect((a .!= b).scalars(as: Bool.self) == zip(x, y).map { $0 != $1 })
    #expect((a .< b).scalars(as: Bool.self) == zip(x, y).map { $0 < $1 })
    #expect((a .<= b).scalars(as: Bool.self) == zip(x, y).map { $0 <= $1 })
    #expect((a .> b).scalars(as: Bool.self) == zip(x, y).map { $0 > $1 })
    #expect((a .>= b).scalars(as: Bool.self) == zip(x, y).map { $0 >= $1 })
    #expect(a.eq(b).dtype == .bool)
    #expect(a.le(b).scalars(as: Bool.self) == (a .<= b).scalars(as: Bool.self))
  }

  @Test func scalarsOnEitherSide() {
    let a: Tensor = [1, 2, 3]
    #expect((a .> 1.5).scalars(as: Bool.self) == [false, true, true])
    #expect((a .== 2).scalars(as: Bool.self) == [false, true, false])
    #expect((2.5 .< a).scalars(as: Bool.self) == [false, false, true])
    #expect((2 .>= a).scalars(as: Bool.self) == [true, true, false])
    #expect((1 .!= a).scalars(as: Bool.self) == [false, true, true])
    #expect(a.ge(3).scalars(as: Bool.self) == [false, false, true])
  }

  @Test func broadcastingAndPromotion() {
    let a = Tensor([[1.0], [2.0]])
    let b: Tensor = [1, 2, 3]
    let c = a .< b
    #expect(c.shape == [2, 3])
    #expect(c.scalars(as: Bool.self) == [false, true, true, false, false, true])
    let p: Tensor = [true, false]
    #expect((p .== Tensor([1.0, 1.0])).scalars(as: Bool.self) == [true, false])
  }

  @Test func complexEqualityIsComponentwise() {
    let a = Tensor(shape: [4], scalars: [Complex(1.0, 2), Complex(1.0, 2), Complex(.nan, 0), Complex(.infinity, 0)])
    let b = Tensor(shape: [4], scalars: [Complex(1.0, 2), Complex(1.0, -2), Complex(.nan, 0), Complex(.nan, 0)])
    #expect((a .== b).scalars(as: Bool.self) == [true, false, false, false])
    #expect((a .!= b).scalars(as: Bool.self) == [false, true, true, true])
    #expect((a .== 1).scalars(as: Bool.self) == [false, false, false, false])
  }

  @Test func nonContiguousAndEmpty() {
    let x = grid([2, 3]).transposed()
    #expect((x .>= 2).scalars(as: Bool.self) == x.doubles.map { $0 >= 2 })
    #expect((Tensor.zeros([0, 3]) .< 1).shape == [0, 3])
  }

  @Test func outputsCarryNoDerivative() {
    let x = Tensor([1.0, 2.0]).requiringGrad()
    let c = x .> 1
    #expect(!c.requiresGrad)
    withDualLevel { l in
      let d = Tensor([1.0]).dual(tangent: Tensor([1.0]), at: l)
      #expect(!(d .< 2).isDual)
    }
  }

  @Test func orderingComplexStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2], dtype: .complex128) .< Tensor.zeros([2], dtype: .complex128)
    }
  }
}
