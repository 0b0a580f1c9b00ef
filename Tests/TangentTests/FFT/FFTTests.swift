import Tangent
import TangentTesting
import Testing

/// Values of the `FFT` transforms against the naive DFT, round trips and norm modes.
@Suite struct FFTTests {
  /// Every length from 1 to 40 (powers of two, odd, prime: radix-2 and Bluestein), and a few
  /// larger ones.
  static let lengths = Array(1...40) + [64, 97, 100, 127, 128, 243, 256, 331, 1000, 1024]

  @Test(arguments: lengths)
  func fftMatchesNaiveDFT(n: Int) {
    let x = randomComplex([2, n], seed: UInt64(n))
    let tol = 1e-12
    expectSpectraClose(FFT.fft(x), naiveDFT(x, dim: -1), tol: tol, "fft n \(n)")
    let inverse = naiveDFT(x, dim: -1, sign: 1) / Double(n)
    expectSpectraClose(FFT.ifft(x), inverse, tol: tol, "ifft n \(n)")
    expectSpectraClose(FFT.ifft(FFT.fft(x)), x, tol: tol, "ifft(fft) n \(n)")
  }

  @Test(arguments: lengths)
  func realTransformsMatchNaiveDFT(n: Int) {
    let x = randomReal([3, n], seed: UInt64(n) + 100)
    let full = naiveDFT(x, dim: -1)
    let bins = n / 2 + 1
    expectSpectraClose(FFT.rfft(x), full.narrowed(dim: -1, start: 0, length: bins), tol: 1e-12, "rfft n \(n)")
    // irfft inverts rfft for either parity when told the length.
    expectSpectraClose(FFT.irfft(FFT.rfft(x), n: n), x, tol: 1e-12, "irfft(rfft) n \(n)")
    // ihfft is the conjugate of rfft with backward scaling; hfft inverts it.
    let ihfft = FFT.ihfft(x)
    expectSpectraClose(ihfft, (naiveDFT(x, dim: -1, sign: 1) / Double(n)).narrowed(dim: -1, start: 0, length: bins), tol: 1e-12, "ihfft n \(n)")
    expectSpectraClose(FFT.hfft(ihfft, n: n), x, tol: 1e-12, "hfft(ihfft) n \(n)")
  }

  @Test func irfftMatchesTheHermitianExtension() {
    // irfft of m bins is the inverse DFT of the Hermitian extension, imaginary parts of the
    // edge bins ignored.
    for n in [1, 2, 5, 6, 7, 8, 13] {
      let bins = n / 2 + 1
      let half = randomComplex([bins], seed: UInt64(n)).complexDoubles
      var full = [Complex<Double>](repeating: .zero, count: n)
      for k in 0..<n {
        full[k] = k < bins ? half[k] : half[n - k].conjugate
      }
      full[0] = Complex(full[0].real, 0)
      if n % 2 == 0 { full[n / 2] = Complex(full[n / 2].real, 0) }
      let want = naiveDFT(full, sign: 1).map { $0.real / Double(n) }
      let got = FFT.irfft(Tensor(shape: [bins], scalars: half), n: n)
      #expect(got.dtype == .float64)
      expectClose(got, want, atol: 1e-13, rtol: 1e-12, "irfft n \(n)")
      // hfft is irfft of the conjugate with forward scaling.
      let h = FFT.hfft(Tensor(shape: [bins], scalars: half), n: n)
      let hWant = naiveDFT(full.map(\.conjugate), sign: 1).map(\.real)
      expectClose(h, hWant, atol: 1e-12, rtol: 1e-12, "hfft n \(n)")
    }
  }

  @Test func defaultLengthsAndShapes() {
    let x = randomReal([3, 8])
    #expect(FFT.fft(x).shape == [3, 8])
    #expect(FFT.fft(x).dtype == .complex128)
    #expect(FFT.rfft(x).shape == [3, 5])
    #expect(FFT.irfft(FFT.rfft(x)).shape == [3, 8])
    #expect(FFT.hfft(FFT.rfft(x)).shape == [3, 8])
    #expect(FFT.ihfft(x).shape == [3, 5])
    #expect(FFT.rfft(x, dim: 0).shape == [2, 8])
    #expect(FFT.irfft(randomComplex([4, 3]), dim: 0).shape == [6, 3])
    #expect(FFT.rfft2(x).shape == [3, 5])
    #expect(FFT.irfft2(FFT.rfft2(x)).shape == [3, 8])
    #expect(FFT.rfftn(randomReal([2, 3, 6])).shape == [2, 3, 4])
    #expect(FFT.fftn(Tensor(2.0)).shape == [])
    // float32 in, complex64 out; integers promote to the default floating dtype.
    #expect(FFT.fft(x.converted(to: .float32)).dtype == .complex64)
    #expect(FFT.irfft(FFT.rfft(x.converted(to: .float32))).dtype == .float32)
    #expect(FFT.fft(Tensor([Int64(1), 2, 3])).dtype == .complex128)
    expectSpectraClose(FFT.fft(Tensor([Int64(1), 2, 3, 4])), Tensor(shape: [4], scalars: [
      Complex<Double>(10, 0), Complex(-2, 2), Complex(-2, 0), Complex(-2, -2),
    ]))
  }

  @Test func lengthCropsOrPadsWithZeros() {
    let x = randomComplex([2, 6])
    let padded = x.padded([0, 5])
    expectSpectraClose(FFT.fft(x, n: 11), FFT.fft(padded), tol: 1e-14, "padded")
    expectSpectraClose(FFT.fft(x, n: 4), FFT.fft(x.narrowed(dim: 1, start: 0, length: 4)), tol: 1e-14, "cropped")
    expectSpectraClose(FFT.fft(x, n: 5, dim: 0), FFT.fft(x.padded([0, 0, 0, 3]), dim: 0), tol: 1e-14, "dim 0")
    // rfft crops or pads the real signal; irfft crops or pads the bins to n/2 + 1.
    let r = randomReal([3, 7])
    expectSpectraClose(FFT.rfft(r, n: 10), FFT.rfft(r.padded([0, 3])), tol: 1e-14)
    let bins = FFT.rfft(r)  // 4 bins
    expectSpectraClose(FFT.irfft(bins, n: 4), FFT.irfft(bins.narrowed(dim: 1, start: 0, length: 3), n: 4), tol: 1e-14)
    expectSpectraClose(FFT.irfft(bins, n: 12), FFT.irfft(bins.padded([0, 3]), n: 12), tol: 1e-14)
    // fftn sizes, with −1 keeping a size.
    let y = randomComplex([3, 4, 5])
    expectSpectraClose(
      FFT.fftn(y, s: [-1, 6], dims: [0, 2]), FFT.fft(FFT.fft(y, n: 6, dim: 2), dim: 0), tol: 1e-13, "fftn s")
    expectSpectraClose(FFT.fft2(y, s: [2, 7]), FFT.fft(FFT.fft(y, n: 7, dim: 2), n: 2, dim: 1), tol: 1e-13, "fft2 s")
  }

  @Test(arguments: FFT.Norm.allCases)
  func normModes(norm: FFT.Norm) {
    for n in [8, 7] {
      let x = randomComplex([2, n], seed: 9)
      let plain = FFT.fft(x)
      let forwardScale: Double, backwardScale: Double
      switch norm {
      case .backward: (forwardScale, backwardScale) = (1, 1 / Double(n))
      case .ortho: (forwardScale, backwardScale) = (1 / Double(n).squareRoot(), 1 / Double(n).squareRoot())
      case .forward: (forwardScale, backwardScale) = (1 / Double(n), 1)
      }
      expectSpectraClose(FFT.fft(x, norm: norm), plain * forwardScale, tol: 1e-14, "fft \(norm)")
      expectSpectraClose(FFT.ifft(x, norm: norm), naiveDFT(x, dim: -1, sign: 1) * backwardScale, tol: 1e-13, "ifft \(norm)")
      expectSpectraClose(FFT.ifft(FFT.fft(x, norm: norm), norm: norm), x, tol: 1e-13, "round trip \(norm)")
      let r = randomReal([2, n], seed: 10)
      expectSpectraClose(FFT.rfft(r, norm: norm), FFT.rfft(r) * forwardScale, tol: 1e-14, "rfft \(norm)")
      expectSpectraClose(FFT.irfft(FFT.rfft(r, norm: norm), n: n, norm: norm), r, tol: 1e-13, "irfft \(norm)")
      expectSpectraClose(FFT.hfft(FFT.ihfft(r, norm: norm), n: n, norm: norm), r, tol: 1e-13, "hfft \(norm)")
      // N-d: the scale is by the total number of points.
      let y = randomComplex([3, 4, n], seed: 11)
      expectSpectraClose(FFT.fftn(y, norm: norm), FFT.fftn(y) * (norm == .backward ? 1 : norm == .ortho
        ? 1 / Double(12 * n).squareRoot() : 1 / Double(12 * n)), tol: 1e-13, "fftn \(norm)")
      expectSpectraClose(FFT.ifftn(FFT.fftn(y, norm: norm), norm: norm), y, tol: 1e-13, "ifftn \(norm)")
      let ry = randomReal([3, 4, n], seed: 12)
      expectSpectraClose(FFT.irfftn(FFT.rfftn(ry, norm: norm), s: [3, 4, n], norm: norm), ry, tol: 1e-13, "irfftn \(norm)")
      expectSpectraClose(FFT.irfft2(FFT.rfft2(ry, norm: norm), s: [4, n], norm: norm), ry, tol: 1e-13, "irfft2 \(norm)")
    }
    // ortho is unitary: it keeps the norm.
    let x = randomComplex([13], seed: 4)
    let energy = { (t: Tensor) in t.complexDoubles.reduce(0) { $0 + $1.lengthSquared } }
    #expect(Swift.abs(energy(FFT.fft(x, norm: .ortho)) - energy(x)) <= 1e-12 * energy(x))
  }

  @Test func multiDimTransformsAreSuccessiveOneDimTransforms() {
    let x = randomComplex([3, 4, 5])
    expectSpectraClose(FFT.fftn(x), FFT.fft(FFT.fft(FFT.fft(x, dim: 0), dim: 1), dim: 2), tol: 1e-13, "fftn")
    expectSpectraClose(FFT.fft2(x), FFT.fft(FFT.fft(x, dim: 1), dim: 2), tol: 1e-13, "fft2")
    expectSpectraClose(FFT.ifft2(x, dims: [0, 2]), FFT.ifft(FFT.ifft(x, dim: 0), dim: 2), tol: 1e-13, "ifft2")
    expectSpectraClose(FFT.ifftn(x, dims: [1]), FFT.ifft(x, dim: 1), tol: 1e-13, "ifftn")
    // rfftn: the onesided transform along the last listed dim, full ones along the others.
    let r = randomReal([3, 4, 6])
    expectSpectraClose(
      FFT.rfftn(r), FFT.fftn(r).narrowed(dim: 2, start: 0, length: 4), tol: 1e-13, "rfftn")
    expectSpectraClose(
      FFT.rfftn(r, dims: [2, 0]), FFT.fftn(r, dims: [0, 2]).narrowed(dim: 0, start: 0, length: 2), tol: 1e-13, "rfftn dims")
    expectSpectraClose(
      FFT.rfft2(r), FFT.fft2(r).narrowed(dim: 2, start: 0, length: 4), tol: 1e-13, "rfft2")
    // irfftn: inverse transforms along the other dims first, then the Hermitian one.
    let c = randomComplex([3, 4, 4])
    expectSpectraClose(FFT.irfftn(c), FFT.irfft(FFT.ifftn(c, dims: [0, 1]), dim: 2), tol: 1e-13, "irfftn")
    expectSpectraClose(
      FFT.irfftn(c, s: [5, 7], dims: [2, 0]), FFT.irfft(FFT.ifft(c, n: 5, dim: 2), n: 7, dim: 0), tol: 1e-13, "irfftn dims")
    expectSpectraClose(FFT.irfftn(c, s: [-1, 9]), FFT.irfft(FFT.ifft(c, dim: 1), n: 9, dim: 2), tol: 1e-13, "irfftn −1")
    // hfftn and ihfftn: the same structure with the other signs.
    expectSpectraClose(FFT.hfftn(c), FFT.hfft(FFT.fftn(c, dims: [0, 1]), dim: 2), tol: 1e-13, "hfftn")
    expectSpectraClose(
      FFT.hfft2(c, s: [5, 7], dims: [2, 0]), FFT.hfft(FFT.fft(c, n: 5, dim: 2), n: 7, dim: 0), tol: 1e-13, "hfft2 dims")
    expectSpectraClose(FFT.ihfftn(r), FFT.ifftn(FFT.ihfft(r, dim: 2), dims: [0, 1]), tol: 1e-13, "ihfftn")
    expectSpectraClose(FFT.ihfft2(r, dims: [2, 1]), FFT.ifft(FFT.ihfft(r, dim: 1), dim: 2), tol: 1e-13, "ihfft2 dims")
    expectSpectraClose(FFT.hfftn(FFT.ihfftn(r), s: [3, 4, 6]), r, tol: 1e-13, "hfftn(ihfftn)")
  }

  @Test func nonContiguousAndBatchedInputs() {
    let x = randomComplex([6, 5]).transposed()  // [5, 6], strided
    expectSpectraClose(FFT.fft(x), naiveDFT(x, dim: -1), tol: 1e-13, "transposed, last dim")
    expectSpectraClose(FFT.fft(x, dim: 0), naiveDFT(x, dim: 0), tol: 1e-13, "transposed, dim 0")
    let r = randomReal([9, 4]).transposed()
    expectSpectraClose(FFT.rfft(r), naiveDFT(r, dim: -1).narrowed(dim: 1, start: 0, length: 5), tol: 1e-13, "rfft strided")
    // A stepped view.
    let s = randomComplex([4, 14]).sliced(dim: 1, 0..<14, step: 2)
    expectSpectraClose(FFT.fft(s), naiveDFT(s, dim: -1), tol: 1e-13, "stepped")
    // Many lines, split across cores, give each line's transform.
    let big = randomComplex([64, 300], seed: 21)
    let all = FFT.fft(big)
    for row in [0, 17, 63] {
      expectSpectraClose(all.select(dim: 0, index: row), FFT.fft(big.select(dim: 0, index: row)), tol: 0, "row \(row)")
    }
    let bigColumns = FFT.fft(big, dim: 0)
    expectSpectraClose(bigColumns, FFT.fft(big.transposed().contiguousCopy()).transposed(), tol: 0, "columns")
    // Empty batches.
    #expect(FFT.fft(Tensor.zeros([0, 4], dtype: .complex128)).shape == [0, 4])
    #expect(FFT.rfft(Tensor.zeros([3, 0, 5])).shape == [3, 0, 3])
  }

  @Test func singlePrecision() {
    for n in [16, 15, 97] {
      let x = randomComplex([3, n], seed: UInt64(n))
      let want = naiveDFT(x, dim: -1)
      let got = FFT.fft(x.converted(to: .complex64))
      #expect(got.dtype == .complex64)
      expectSpectraClose(got.converted(to: .complex128), want, tol: 1e-5, "complex64 n \(n)")
      let r = randomReal([3, n], seed: UInt64(n))
      let rg = FFT.irfft(FFT.rfft(r.converted(to: .float32)), n: n)
      #expect(rg.dtype == .float32)
      expectSpectraClose(rg.converted(to: .float64), r, tol: 1e-5, "float32 round trip n \(n)")
    }
  }

  @Test func shiftsAndFrequencies() {
    expectClose(FFT.fftfreq(5), [0, 0.2, 0.4, -0.4, -0.2], atol: 1e-15, rtol: 0)
    expectClose(FFT.fftfreq(4, d: 0.5), [0, 0.5, -1, -0.5], atol: 1e-15, rtol: 0)
    expectClose(FFT.rfftfreq(5), [0, 0.2, 0.4], atol: 1e-15, rtol: 0)
    expectClose(FFT.rfftfreq(4, d: 2), [0, 0.125, 0.25], atol: 1e-15, rtol: 0)
    #expect(FFT.fftfreq(3, dtype: .float32).dtype == .float32)
    #expect(FFT.fftfreq(0).shape == [0])
    #expect(FFT.fftshift(FFT.fftfreq(5)).doubles == FFT.fftfreq(5).doubles.sorted())
    #expect(FFT.fftshift(FFT.fftfreq(6)).doubles == FFT.fftfreq(6).doubles.sorted())
    let x = grid([3, 4])
    #expect(FFT.fftshift(x).doubles == x.roll([1, 2], dims: [0, 1]).doubles)
    #expect(FFT.ifftshift(x).doubles == x.roll([2, 2], dims: [0, 1]).doubles)
    #expect(FFT.fftshift(x, dims: [-1]).doubles == x.roll(2, dim: 1).doubles)
    #expect(FFT.fftshift(Tensor(1.0)).shape == [])
    for shape in [[5], [4], [3, 6], [2, 5, 7]] {
      let y = grid(shape)
      #expect(FFT.ifftshift(FFT.fftshift(y)).doubles == y.doubles)
    }
  }

  @Test func misuseStops() async {
    await #expect(processExitsWith: .failure) { _ = FFT.rfft(randomComplex([4])) }
    await #expect(processExitsWith: .failure) { _ = FFT.fft(randomComplex([4]), n: 0) }
    await #expect(processExitsWith: .failure) { _ = FFT.irfft(randomComplex([1])) }
    await #expect(processExitsWith: .failure) { _ = FFT.fft(Tensor(Complex<Double>(1, 0))) }
    await #expect(processExitsWith: .failure) { _ = FFT.fftn(randomComplex([3, 4]), dims: [0, -2]) }
    await #expect(processExitsWith: .failure) { _ = FFT.fftn(randomComplex([3, 4]), s: [2, 2], dims: [0]) }
    await #expect(processExitsWith: .failure) { _ = FFT.rfftn(randomReal([3, 4]), dims: []) }
  }
}
