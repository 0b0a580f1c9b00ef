import Tangent
import TangentTesting
import Testing

@Suite struct LinalgQRTests {
  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func qrReproducesTheMatrix(dtype: DType) {
    for shape in [[2, 5, 3], [2, 3, 5], [4, 4]] {
      let a = linalgRandom(shape, dtype: dtype, seed: 31)
      let batch = Array(shape.dropLast(2))
      let m = shape[shape.count - 2], n = shape[shape.count - 1], k = Swift.min(m, n)
      let (q, r) = Linalg.qr(a)
      #expect(q.shape == batch + [m, k] && r.shape == batch + [k, n])
      expectAllClose(q.matmul(r), a, tol: tolerance(dtype), "QR = A \(shape) \(dtype)")
      expectAllClose(q.mH.matmul(q), Tensor.eye(k, dtype: dtype).expanded(to: batch + [k, k]), tol: tolerance(dtype), "Qᴴ Q = I")
      expectAllClose(r, r.triu(), tol: 0, "R upper triangular")
      if dtype.isComplex { expectAllClose(r.diagonal(offset: 0, dim1: -2, dim2: -1).imag, Tensor.zeros(batch + [k], dtype: dtype.real), tol: 0, "real diagonal") }
      let (qc, rc) = Linalg.qr(a, mode: .complete)
      #expect(qc.shape == batch + [m, m] && rc.shape == batch + [m, n])
      expectAllClose(qc.matmul(rc), a, tol: tolerance(dtype), "complete QR = A")
      expectAllClose(qc.mH.matmul(qc), Tensor.eye(m, dtype: dtype).expanded(to: batch + [m, m]), tol: tolerance(dtype), "complete Q unitary")
      let (qr0, rr) = Linalg.qr(a, mode: .r)
      #expect(qr0.shape == [0])
      expectAllClose(rr, r, tol: tolerance(dtype), "mode r")
      expectAllClose(Linalg.qr(a.mT.contiguous().mT).r, r, tol: tolerance(dtype), "column-major input")
    }
  }

  @Test(arguments: [DType.float64, .complex128])
  func qrDerivatives(dtype: DType) {
    for shape in [[2, 5, 3], [3, 5], [2, 4, 4]] {
      let x = linalgRandom(shape, dtype: dtype, seed: 32)
      expectGradcheck("qr |Q|, |R| \(shape) \(dtype)", {
        let (q, r) = Linalg.qr($0[0])
        return [q.abs(), r.abs()]
      }, at: [x])
      // Q diag(sign) and diag(sign) R are gauge-invariant as a product with R's diagonal phase.
      expectGradcheck("qr R only \(shape) \(dtype)", { [Linalg.qr($0[0], mode: .r).r.abs()] }, at: [x])
    }
    let square = linalgRandom([3, 3], dtype: dtype, seed: 33)
    expectGradcheck("qr complete square \(dtype)", {
      let (q, r) = Linalg.qr($0[0], mode: .complete)
      return [q.abs(), r.abs()]
    }, at: [square])
  }

  /// The reflectors' product, written out.
  func explicitProduct(_ a: Tensor, _ tau: Tensor) -> Tensor {
    let m = a.shape[0], n = a.shape[1], k = tau.shape[0]
    let v = a.narrowed(dim: -1, start: 0, length: k).tril(diagonal: -1) + Tensor.eye(m, k, dtype: a.dtype)
    var q = Tensor.eye(m, dtype: a.dtype)
    for i in 0..<k {
      let vi = v.narrowed(dim: -1, start: i, length: 1)
      q = q.matmul(Tensor.eye(m, dtype: a.dtype) - tau.narrowed(dim: 0, start: i, length: 1) * vi.matmul(vi.mH))
    }
    return q.narrowed(dim: -1, start: 0, length: n)
  }

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func householderProductValues(dtype: DType) {
    let a = linalgRandom([5, 3], dtype: dtype, seed: 34), tau = linalgRandom([2], dtype: dtype, seed: 35)
    expectAllClose(Linalg.householderProduct(a, tau), explicitProduct(a, tau), tol: tolerance(dtype), "product \(dtype)")
    let batch = Tensor.stack([a, a * 2]), taus = Tensor.stack([tau, tau / 2])
    let q = Linalg.householderProduct(batch, taus)
    expectAllClose(q.select(dim: 0, index: 1), explicitProduct(a * 2, tau / 2), tol: tolerance(dtype), "batched \(dtype)")
  }

  @Test(arguments: [DType.float64, .complex128])
  func householderProductDerivatives(dtype: DType) {
    let a = linalgRandom([2, 5, 3], dtype: dtype, seed: 36), tau = linalgRandom([2, 3], dtype: dtype, seed: 37)
    expectGradcheck("householderProduct \(dtype)", { [Linalg.householderProduct($0[0], $0[1])] }, at: [a, tau])
    expectGradcheck("householderProduct k < n \(dtype)", { [Linalg.householderProduct($0[0], $0[1])] },
      at: [linalgRandom([4, 3], dtype: dtype, seed: 38), linalgRandom([2], dtype: dtype, seed: 39)])
  }
}
