import Testing
import Tangent
import TangentTesting

@Suite struct MatrixProductTests {
  /// A naive reference product of [.., m, k] and [.., k, n] batches (same batch shape).
  func naive(_ a: Tensor, _ b: Tensor) -> [Complex<Double>] {
    let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
    let batch = a.count / (m * k)
    let av = a.complexDoubles, bv = b.complexDoubles
    var out: [Complex<Double>] = []
    for s in 0..<batch {
      for i in 0..<m {
        for j in 0..<n {
          var acc = Complex<Double>.zero
          for p in 0..<k { acc += av[s * m * k + i * k + p] * bv[s * k * n + p * n + j] }
          out.append(acc)
        }
      }
    }
    return out
  }

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func againstReference(dtype: DType) {
    var rng = TestRandom(seed: 21)
    let tol = dtype == .float32 || dtype == .complex64 ? 1e-5 : 1e-13
    let a = rng.tensor([2, 3, 4], dtype: dtype), b = rng.tensor([2, 4, 5], dtype: dtype)
    for (x, y) in [(a, b), (a.mT.contiguous().mT, b), (a, b.mT.contiguous().mT)] {
      let c = x.matmul(y)
      #expect(c.shape == [2, 3, 5])
      for (p, q) in zip(c.complexDoubles, naive(a, b)) { #expect((p - q).length <= tol * (1 + q.length)) }
    }
  }

  @Test func broadcastBatchesFoldIntoOneProduct() {
    var rng = TestRandom(seed: 5)
    let a = rng.tensor([2, 3, 4]), w = rng.tensor([4, 5])
    let left = a.matmul(w)
    for (p, q) in zip(left.complexDoubles, naive(a, w.expanded(to: [2, 4, 5]).contiguous())) { #expect((p - q).length < 1e-13) }
    let m = rng.tensor([3, 4]), b = rng.tensor([2, 4, 5])
    let right = m.matmul(b)
    #expect(right.shape == [2, 3, 5])
    for (p, q) in zip(right.complexDoubles, naive(m.expanded(to: [2, 3, 4]).contiguous(), b)) { #expect((p - q).length < 1e-13) }
    let c = rng.tensor([2, 1, 3, 4]).matmul(rng.tensor([5, 4, 2]))
    #expect(c.shape == [2, 5, 3, 2])
  }

  @Test func rankCombinations() {
    var rng = TestRandom(seed: 2)
    let v = rng.tensor([4]), m = rng.tensor([3, 4]), w = rng.tensor([4, 2])
    #expect(v.matmul(v).shape == [])
    #expect(m.matmul(v).shape == [3])
    #expect(v.matmul(w).shape == [2])
    #expect(rng.tensor([5, 1, 3, 4]).matmul(rng.tensor([2, 4, 6])).shape == [5, 2, 3, 6])
    let dot = v.matmul(v).scalar, want = zip(v.doubles, v.doubles).reduce(0) { $0 + $1.0 * $1.1 }
    #expect(abs(dot - want) < 1e-14)
  }

  @Test func derivatives() {
    var rng = TestRandom(seed: 8)
    for dtype in [DType.float64, .complex128] {
      let r = gradcheck({ [$0[0].matmul($0[1]).tanh()] }, at: [rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([4, 2], dtype: dtype)])
      #expect(r.passed, "\(r)")
    }
  }

  @Test func innerDimensionMismatchStops() async {
    await #expect(processExitsWith: .failure) { _ = Tensor.zeros([3, 4]).matmul(Tensor.zeros([5, 2])) }
  }
}

@Suite struct MatmulBroadcastRegression {
  @Test(arguments: [DType.float64, .complex128])
  func sharedLeftOperandWithBatch(dtype: DType) {
    var rng = TestRandom(seed: 77)
    let a = rng.tensor([1, 3, 4], dtype: dtype), b = rng.tensor([2, 4, 2], dtype: dtype)
    let c = a.matmul(b)
    let want = Tensor.cat([a.matmul(b.select(dim: 0, index: 0)), a.matmul(b.select(dim: 0, index: 1))], dim: 0)
    for (p, q) in zip(c.complexDoubles, want.complexDoubles) { #expect((p - q).length < 1e-12) }
  }
}
