import Testing
import TangentTesting
@testable import Tangent

@Suite struct STFTTests {
  @Test func framesAreTransformed() {
    let x = Tensor.arange(0, 8)
    let s = FFT.stft(x, nFFT: 4, hopLength: 2, center: false)
    #expect(s.shape == [3, 3])
    // Frame 1 is x[2..<6]; its transform's first entry is the sum.
    #expect(s.real.select(dim: -1, index: 1).doubles[0] == 14)
    #expect(s.real.select(dim: -1, index: 2).allClose(FFT.rfft(Tensor([4.0, 5, 6, 7])).real))
    #expect(FFT.stft(x, nFFT: 4, hopLength: 1).shape == [3, 9])
    #expect(FFT.stft(x, nFFT: 4, onesided: false).shape == [4, 9])
  }

  @Test func inverseRoundTrips() {
    var rng = TestRandom(seed: 9)
    let x = rng.tensor([2, 20])
    let w = 0.6 - 0.5 * (Tensor.arange(0, 8) * (2 * Double.pi / 8)).cos()
    let s = FFT.stft(x, nFFT: 8, hopLength: 2, window: w)
    #expect(FFT.istft(s, nFFT: 8, hopLength: 2, window: w, length: 20).allClose(x, atol: 1e-10))
    let t = FFT.stft(x, nFFT: 8, hopLength: 4, center: false)
    #expect(FFT.istft(t, nFFT: 8, hopLength: 4, center: false).allClose(x, atol: 1e-10))
  }

  /// A real signal from a two-sided spectrum reads only its non-negative frequencies, as
  /// PyTorch's `istft` does (OpInfo `istft#0`): the same as the one-sided inverse of its first
  /// `nFFT / 2 + 1` rows, not the real part of the full inverse.
  @Test func twoSidedRealInverseReadsTheNonNegativeFrequencies() {
    var rng = TestRandom(seed: 4)
    let s = rng.tensor([10, 3], dtype: .complex128)
    let twoSided = FFT.istft(s, nFFT: 10, hopLength: 2)
    let oneSided = FFT.istft(s.narrowed(dim: 0, start: 0, length: 6), nFFT: 10, hopLength: 2, onesided: true)
    #expect(twoSided.dtype == .float64)
    #expect(twoSided.allClose(oneSided, atol: 1e-12))
    // The negative frequencies are not read: changing them leaves the signal as it is.
    let changed = Tensor.cat([s.narrowed(dim: 0, start: 0, length: 6), rng.tensor([4, 3], dtype: .complex128)], dim: 0)
    #expect(FFT.istft(changed, nFFT: 10, hopLength: 2).allClose(twoSided, atol: 1e-12))
  }

  @Test func misuseStops() async {
    await #expect(processExitsWith: .failure) { _ = FFT.stft(Tensor.zeros([2, 2, 8]), nFFT: 4) }
    await #expect(processExitsWith: .failure) { _ = FFT.istft(Tensor.zeros([3, 2], dtype: .complex128), nFFT: 8) }
  }
}
