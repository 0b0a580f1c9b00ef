import Tangent
import TangentTesting
import Testing

@Suite struct ReductionDTypeTests {
  @Test func integersReduceInTheGivenDType() {
    let n: Tensor = [[1, 2, 3], [4, 5, 6]]
    #expect(n.dtype == .int64)
    #expect(n.sum(dtype: .float64).dtype == .float64)
    #expect(n.sum(dtype: .float64).doubles == [21])
    #expect(n.sum(dim: 1, dtype: .float32).doubles == [6, 15])
    #expect(n.sum(dims: [0], keepdim: true, dtype: .float64).shape == [1, 3])
    #expect(n.mean(dtype: .float32).dtype == .float32)
    #expect(n.mean(dims: [1], dtype: .float64).doubles == [2, 5])
    #expect(n.prod(dtype: .float64).doubles == [720])
    #expect(n.prod(dim: 0, dtype: .float64).doubles == [4, 10, 18])
    #expect(n.cumsum(dim: 1, dtype: .float64).doubles == [1, 3, 6, 4, 9, 15])
    #expect(n.cumprod(dim: 1, dtype: .float64).doubles == [1, 2, 6, 4, 20, 120])
  }

  @Test func singlePrecisionAccumulatesInDoublePrecision() {
    // In float32, 1e8 + 1 rounds back to 1e8; converted first, the sum keeps the 1.
    let x = Tensor([1e8, 1, -1e8]).converted(to: .float32)
    #expect(x.sum(dtype: .float64).doubles == [1])
  }

  @Test func derivativesFlowThroughTheConversion() {
    let x = Tensor([0.5, -1.5, 2.0]).converted(to: .float32)
    let v = Tensor([1.0, 2.0, 3.0]).converted(to: .float32)
    let (y, t) = jvp(of: { $0.sum(dtype: .float64) }, at: x, along: v)
    #expect(y.dtype == .float64 && t.dtype == .float64)
    #expect(t.doubles == [6])
    let g = gradient(of: { $0.prod(dtype: .float64) }, at: x)
    #expect(g.dtype == .float32)
    #expect(g.doubles == [-3, 1, -0.75])
  }

  @Test func meanNeedsAFloatingDType() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor([1.0, 2.0]).mean(dtype: .int64)
    }
  }
}
