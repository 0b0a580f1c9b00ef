import Tangent
import TangentTesting
import Testing

/// Derivatives of the `FFT` transforms: gradcheck (forward, reverse, chunked and both second
/// orders) in float64 and complex128, and the VJPs against PyTorch's formulas.
@Suite struct FFTGradientTests {
  /// The VJP of `f` at `x` for the cotangent `g`.
  func vjpOf(_ f: (Tensor) -> Tensor, at x: Tensor, cotangent g: Tensor) -> Tensor {
    let leaf = x.requiringGrad()
    return gradients(of: f(leaf), wrt: [leaf], seed: g)[0]
  }

  @Test(arguments: FFT.Norm.allCases)
  func complexTransforms(norm: FFT.Norm) {
    for n in [8, 7, 11, 12] {
      for dtype in [DType.float64, .complex128] {
        var rng = TestRandom(seed: UInt64(n))
        let x = rng.tensor([2, n], dtype: dtype)
        expectGradcheck("fft n \(n) \(dtype) \(norm)", { [FFT.fft($0[0], norm: norm)] }, at: [x])
        expectGradcheck("ifft n \(n) \(dtype) \(norm)", { [FFT.ifft($0[0], norm: norm)] }, at: [x])
        expectGradcheck("fft padded \(n)", { [FFT.fft($0[0], n: n + 3, dim: -1, norm: norm)] }, at: [x])
        expectGradcheck("ifft cropped \(n)", { [FFT.ifft($0[0], n: n - 2, dim: -1, norm: norm)] }, at: [x])
      }
    }
  }

  @Test(arguments: FFT.Norm.allCases)
  func realTransforms(norm: FFT.Norm) {
    for n in [8, 7, 5, 2, 1] {
      var rng = TestRandom(seed: UInt64(n) + 40)
      let x = rng.tensor([3, n])
      expectGradcheck("rfft n \(n) \(norm)", { [FFT.rfft($0[0], norm: norm)] }, at: [x])
      expectGradcheck("ihfft n \(n) \(norm)", { [FFT.ihfft($0[0], norm: norm)] }, at: [x])
      expectGradcheck("rfft n \(n + 4) \(norm)", { [FFT.rfft($0[0], n: n + 4, norm: norm)] }, at: [x])
      for dtype in [DType.float64, .complex128] {
        let bins = rng.tensor([3, n / 2 + 1], dtype: dtype)
        expectGradcheck("irfft n \(n) \(dtype) \(norm)", { [FFT.irfft($0[0], n: n, norm: norm)] }, at: [bins])
        expectGradcheck("hfft n \(n) \(dtype) \(norm)", { [FFT.hfft($0[0], n: n, norm: norm)] }, at: [bins])
        let more = rng.tensor([2, 6], dtype: dtype)
        expectGradcheck("irfft cropped to n \(n)", { [FFT.irfft($0[0], n: n, dim: 1, norm: norm)] }, at: [more])
        expectGradcheck("hfft dim 0 n \(n + 3)", { [FFT.hfft($0[0], n: n + 3, dim: 0, norm: norm)] }, at: [more])
      }
    }
  }

  @Test(arguments: FFT.Norm.allCases)
  func multiDimTransforms(norm: FFT.Norm) {
    for dtype in [DType.float64, .complex128] {
      var rng = TestRandom(seed: 77)
      let x = rng.tensor([3, 4, 5], dtype: dtype)
      expectGradcheck("fftn \(dtype)", { [FFT.fftn($0[0], norm: norm)] }, at: [x])
      expectGradcheck("ifftn s \(dtype)", { [FFT.ifftn($0[0], s: [5, 3], dims: [2, 0], norm: norm)] }, at: [x])
      expectGradcheck("fft2 \(dtype)", { [FFT.fft2($0[0], norm: norm)] }, at: [x])
      expectGradcheck("ifft2 \(dtype)", { [FFT.ifft2($0[0], s: [6, -1], norm: norm)] }, at: [x])
      expectGradcheck("irfftn \(dtype)", { [FFT.irfftn($0[0], norm: norm)] }, at: [x])
      expectGradcheck("irfftn s dims \(dtype)", { [FFT.irfftn($0[0], s: [4, 7], dims: [2, 0], norm: norm)] }, at: [x])
      expectGradcheck("irfft2 \(dtype)", { [FFT.irfft2($0[0], s: [3, 9], norm: norm)] }, at: [x])
      expectGradcheck("hfftn s dims \(dtype)", { [FFT.hfftn($0[0], s: [4, 7], dims: [2, 0], norm: norm)] }, at: [x])
      expectGradcheck("hfft2 \(dtype)", { [FFT.hfft2($0[0], norm: norm)] }, at: [x])
    }
    var rng = TestRandom(seed: 78)
    let r = rng.tensor([3, 4, 5])
    expectGradcheck("rfftn", { [FFT.rfftn($0[0], norm: norm)] }, at: [r])
    expectGradcheck("rfftn s dims", { [FFT.rfftn($0[0], s: [6, 3], dims: [1, 0], norm: norm)] }, at: [r])
    expectGradcheck("rfft2", { [FFT.rfft2($0[0], norm: norm)] }, at: [r])
    expectGradcheck("ihfftn s dims", { [FFT.ihfftn($0[0], s: [6, 3], dims: [1, 0], norm: norm)] }, at: [r])
    expectGradcheck("ihfft2", { [FFT.ihfft2($0[0], norm: norm)] }, at: [r])
    // Round trips compose the rules.
    expectGradcheck("irfftn(rfftn)", { [FFT.irfftn(FFT.rfftn($0[0], norm: norm), s: [3, 4, 5], norm: norm)] }, at: [r])
  }

  @Test func shifts() {
    expectGradients([3, 4]) { FFT.fftshift($0) }
    expectGradients([3, 5]) { FFT.ifftshift($0, dims: [1]) }
  }

  @Test func complexVJPIsTheConjugateTranspose() {
    // fft: Fᴴ g = n · ifft(g); ortho: ifft with ortho scaling.
    let x = randomComplex([2, 7]), g = randomComplex([2, 7], seed: 8)
    expectSpectraClose(vjpOf({ FFT.fft($0) }, at: x, cotangent: g), FFT.ifft(g) * 7.0, tol: 1e-13)
    expectSpectraClose(vjpOf({ FFT.fft($0, norm: .ortho) }, at: x, cotangent: g), FFT.ifft(g, norm: .ortho), tol: 1e-13)
    expectSpectraClose(vjpOf({ FFT.ifft($0) }, at: x, cotangent: g), FFT.fft(g) / 7.0, tol: 1e-13)
    // Cropping zero-pads the cotangent back; padding crops it.
    let cropped = vjpOf({ FFT.fft($0, n: 4) }, at: x, cotangent: g.narrowed(dim: 1, start: 0, length: 4))
    expectSpectraClose(cropped, (FFT.ifft(g.narrowed(dim: 1, start: 0, length: 4)) * 4.0).padded([0, 3]), tol: 1e-13)
  }

  @Test(arguments: [8, 7])
  func realToComplexVJP(n: Int) {
    // PyTorch's fft_r2c_backward: real(n · ifft(g zero-extended to n)) with backward norm.
    let bins = n / 2 + 1
    let x = randomReal([3, n]), g = randomComplex([3, bins], seed: 6)
    let want = (FFT.ifft(g.padded([0, n - bins])) * Double(n)).real
    expectSpectraClose(vjpOf({ FFT.rfft($0) }, at: x, cotangent: g), want, tol: 1e-13, "rfft")
    // ihfft is conj ∘ rfft with 1/n: the VJP of conj(y)/n is rfft's VJP of conj(g)/n.
    let wantI = (FFT.ifft(g.conj().padded([0, n - bins]))).real
    expectSpectraClose(vjpOf({ FFT.ihfft($0) }, at: x, cotangent: g), wantI, tol: 1e-13, "ihfft")
  }

  @Test(arguments: [8, 7])
  func complexToRealVJPDoublesTheMirroredBins(n: Int) {
    // PyTorch's fft_c2r_backward: rfft(g)/n (backward norm) with bins 1…n − (n/2 + 1) doubled.
    let bins = n / 2 + 1
    let x = randomComplex([2, bins]), g = randomReal([2, n], seed: 12)
    let r = FFT.rfft(g) / Double(n)
    let doubled = n - bins
    let weights = Tensor((0..<bins).map { $0 >= 1 && $0 <= doubled ? 2.0 : 1.0 })
    expectSpectraClose(vjpOf({ FFT.irfft($0, n: n) }, at: x, cotangent: g), r * weights, tol: 1e-13, "irfft")
    // hfft = irfft(conj(x)) with forward scaling: the VJP is conj of irfft's, times n.
    let h = vjpOf({ FFT.hfft($0, n: n) }, at: x, cotangent: g)
    expectSpectraClose(h, (r * weights * Double(n)).conj(), tol: 1e-13, "hfft")
    // The edge bins' gradients are real: their imaginary parts are ignored.
    let edge = h.complexDoubles
    #expect(edge[0].imaginary == 0)
    if n % 2 == 0 { #expect(edge[bins - 1].imaginary == 0) }
  }

  @Test func higherOrderThroughTheRules() {
    // d/dx of a function of the gradient: the VJP rules are themselves differentiable.
    let x = randomReal([6], seed: 31)
    let f = { (t: Tensor) -> Tensor in
      let y = FFT.rfft(t, n: 9)
      return (y * y.conj()).real.sum() + FFT.irfft(y * y, n: 9).sum()
    }
    var options = GradcheckOptions()
    options.atol = 1e-5
    expectGradcheck("quadratic spectrum", { [f($0[0])] }, at: [x], options: options)
  }
}
