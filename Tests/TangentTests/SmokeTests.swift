import Testing
import Tangent

@Test func smoke() {
  let x = Tensor(shape: [2, 2], scalars: [1.0, 2.0, 3.0, 4.0])
  #expect(x.sum().scalar == 10)
}
