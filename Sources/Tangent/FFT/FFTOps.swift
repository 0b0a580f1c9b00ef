import ComplexModule
import RealModule

// The three differentiable transforms the `FFT` functions are built from. Each is linear, so
// its JVP applies the op itself to the tangent; its VJP is the adjoint under PyTorch's
// convention (the conjugate transpose of a complex-linear map; for the real-to-complex and
// complex-to-real maps, the real-linear adjoint, as in PyTorch's `fft_r2c_backward` and
// `fft_c2r_backward`). Dims are negative, so the same op fits tangents with a chunk dim.

/// The complex transform yₖ = scale · Σⱼ xⱼ·e^(∓2πi·jk/n) along each of `dims` (the minus
/// sign unless `inverse`); `scale` covers all the dims together.
///
/// Derivative: linear. The adjoint of scale·F is scale·Fᴴ, the transform of the other sign
/// with the same scale.
struct FFTComplexOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// The transformed dims, negative and distinct.
  let dims: [Int]
  let inverse: Bool
  let scale: Double
  var name: String { inverse ? "ifft" : "fft" }
  var sparsity: SparsityRule { .slices(dims: dims, .linear) }

  func primal(_ x: Tensor) -> Tensor {
    check(!dims.isEmpty, "fft: no dims to transform")
    var y = x
    for (i, d) in dims.enumerated() {
      let k = d + x.rank
      y = FFTKernels.transform(
        y, dim: k, kind: .complexToComplex, inverse: inverse, scale: i == dims.count - 1 ? scale : 1, length: x.shape[k])
    }
    return y
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    Tensor.apply(FFTComplexOp(dims: dims, inverse: !inverse, scale: scale), gy)
  }
}

/// The onesided transform of real data along `dim`: the bins k = 0…n/2 of
/// yₖ = scale · Σⱼ xⱼ·e^(∓2πi·jk/n) (the minus sign unless `inverse`).
///
/// Derivative: real-linear. The JVP transforms the (real) tangent. The VJP is the real part of
/// the adjoint, Re(scale · Σₖ ḡₖ·e^(±2πi·jk/n)) over the kept bins: the Hermitian
/// complex-to-real transform of the other sign applied to ḡ with its non-edge bins halved
/// (they count twice in that transform).
struct FFTRealToComplexOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// The dim, negative.
  let dim: Int
  let inverse: Bool
  let scale: Double
  var name: String { inverse ? "ihfft" : "rfft" }
  var sparsity: SparsityRule { .slices(dims: [dim], .linear) }

  func primal(_ x: Tensor) -> Tensor {
    let k = dim + x.rank
    return FFTKernels.transform(x, dim: k, kind: .realToComplex, inverse: inverse, scale: scale, length: x.shape[k])
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    let n = inputShape[dim + inputShape.count]
    let c2r = FFTComplexToRealOp(dim: dim, length: n, inverse: !inverse, scale: scale)
    guard let w = hermitianWeights(n, dim: dim, dtype: gy.dtype.real, halved: true) else { return Tensor.apply(c2r, gy) }
    return Tensor.apply(c2r, gy * w)
  }
}

/// The transform of a Hermitian-symmetric spectrum given by its bins k = 0…n/2 along `dim`,
/// giving n real values: yⱼ = scale · Σₖ Xₖ·e^(±2πi·jk/n) over all n bins, with
/// X₍ₙ₋ₖ₎ = conj(Xₖ): the plus sign (`irfft`) when `inverse`, the minus sign (`hfft`)
/// otherwise. The imaginary parts of bin 0 and, for even n, of bin n/2 are ignored.
///
/// Derivative: real-linear. The JVP transforms the tangent. The VJP is PyTorch's
/// `fft_c2r_backward`: the onesided real-to-complex transform of the other sign with the same
/// scale, with the non-edge bins (1…n − (n/2 + 1)) doubled, since each stands for itself and
/// its mirror image.
struct FFTComplexToRealOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// The dim, negative.
  let dim: Int
  /// The output length n along `dim`; the input has n/2 + 1 bins there.
  let length: Int
  let inverse: Bool
  let scale: Double
  var name: String { inverse ? "irfft" : "hfft" }
  var sparsity: SparsityRule { .slices(dims: [dim], .linear) }

  func primal(_ x: Tensor) -> Tensor {
    FFTKernels.transform(x, dim: dim + x.rank, kind: .complexToReal, inverse: inverse, scale: scale, length: length)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    let g = Tensor.apply(FFTRealToComplexOp(dim: dim, inverse: !inverse, scale: scale), gy)
    guard let w = hermitianWeights(length, dim: dim, dtype: gy.dtype, halved: false) else { return g }
    return g * w
  }
}

/// The weights of the n/2 + 1 onesided bins of a length-n real transform along the negative
/// `dim`: 2 for the bins 1…n − (n/2 + 1), whose mirror images are not stored, and 1 for the
/// others (½ and 1 when `halved`), shaped to broadcast along `dim`. `nil` when every weight
/// is 1 (n ≤ 2).
func hermitianWeights(_ n: Int, dim: Int, dtype: DType, halved: Bool) -> Tensor? {
  let bins = n / 2 + 1
  let doubled = n - bins
  if doubled <= 0 { return nil }
  let w = (0..<bins).map { k in k >= 1 && k <= doubled ? (halved ? 0.5 : 2.0) : 1.0 }
  let shape = [bins] + [Int](repeating: 1, count: -dim - 1)
  return Tensor(shape: shape, scalars: w).converted(to: dtype)
}
