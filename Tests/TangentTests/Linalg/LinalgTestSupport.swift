import Tangent
import TangentTesting
import Testing

/// A well-conditioned batch of square matrices: uniform entries in [-1, 1] plus n·I.
func wellConditioned(_ shape: [Int], dtype: DType = .float64, seed: UInt64 = 1) -> Tensor {
  var rng = TestRandom(seed: seed)
  let n = shape[shape.count - 1]
  return rng.tensor(shape, dtype: dtype) + Tensor.eye(n, dtype: dtype) * Double(n)
}

/// A Hermitian positive-definite batch: X Xᴴ + n·I.
func positiveDefinite(_ shape: [Int], dtype: DType = .float64, seed: UInt64 = 1) -> Tensor {
  var rng = TestRandom(seed: seed)
  let x = rng.tensor(shape, dtype: dtype)
  return x.matmul(x.mH) + Tensor.eye(shape[shape.count - 1], dtype: dtype) * Double(shape[shape.count - 1])
}

/// Random values.
func linalgRandom(_ shape: [Int], dtype: DType = .float64, seed: UInt64 = 2) -> Tensor {
  var rng = TestRandom(seed: seed)
  return rng.tensor(shape, dtype: dtype)
}

/// The tolerance of values computed in a dtype.
func tolerance(_ dtype: DType) -> Double { dtype == .float32 || dtype == .complex64 ? 1e-4 : 1e-11 }

/// Expects two tensors to agree elementwise within `tol·(1 + |want|)`.
func expectAllClose(
  _ got: Tensor, _ want: Tensor, tol: Double, _ what: @autoclosure () -> String = "",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(got.shape == want.shape, "\(what()): shape \(got.shape), expected \(want.shape)", sourceLocation: sourceLocation)
  guard got.shape == want.shape else { return }
  var worst = 0.0
  for (p, q) in zip(got.complexDoubles, want.complexDoubles) {
    let e = (p - q).length / (1 + q.length)
    if !(e <= worst) { worst = e }
  }
  #expect(worst <= tol, "\(what()): relative error \(worst) > \(tol)", sourceLocation: sourceLocation)
}

/// The identity batch matching `a`.
func identityLike(_ a: Tensor) -> Tensor {
  Tensor.eye(a.shape[a.rank - 1], dtype: a.dtype).expanded(to: a.shape)
}
