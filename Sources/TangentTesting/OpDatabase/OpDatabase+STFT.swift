import Tangent

extension OpDatabase {
  /// The window argument of `stft` and `istft`: a tensor or absent.
  static func stftWindowArgument(_ c: GoldenCall) throws -> Tensor? {
    if c.isTensor(4) { return try c.tensor(4) }
    try requireDefault(c, "window")
    return nil
  }

  /// The short-time Fourier transform and its inverse.
  static let shortTime: [OpInfo] = [
    OpInfo("FFT.stft", torch: ["stft"], dtypes: [.float64, .complex128], samples: { dtype, rng in
      [OpSample("[16] nFFT 8 hop 2 with a window", [rng.tensor([16], dtype: dtype), rng.tensor([8], dtype: dtype)]) {
        [FFT.stft($0[0], nFFT: 8, hopLength: 2, window: $0[1])]
      }, OpSample("[2, 12] nFFT 4, window 3, not centred, normalized", [rng.tensor([2, 12], dtype: dtype)]) {
        [FFT.stft($0[0], nFFT: 4, hopLength: 3, winLength: 3, center: false, normalized: true)]
      }, OpSample("[10] nFFT 4, two-sided, constant padding", [rng.tensor([10], dtype: dtype)]) {
        [FFT.stft($0[0], nFFT: 4, hopLength: 1, padMode: .constant, onesided: false)]
      }, OpSample("[12] nFFT 4 as a real view (return_complex false)", [rng.tensor([12], dtype: dtype)]) {
        [FFT.stft($0[0], nFFT: 4, hopLength: 2).viewAsReal()]
      }]
    }, golden: { c in
      // return_complex=False gives the real view [..., 2] of the complex result, as PyTorch.
      let returnComplex = try c.bool(9, "return_complex", default: true)
      let modeName = try c.string(6, "pad_mode", default: "reflect") ?? "reflect"
      guard let mode = PaddingMode(rawValue: modeName) else { throw ConformanceError.unsupportedArgument("stft: pad_mode \(modeName)") }
      let spectrum = FFT.stft(
        try c.tensor(0), nFFT: try c.int(1, "n_fft"), hopLength: try c.optionalInt(2, "hop_length"), winLength: try c.optionalInt(3, "win_length"),
        window: try stftWindowArgument(c), center: try c.bool(5, "center", default: true), padMode: mode,
        normalized: try c.bool(7, "normalized", default: false), onesided: try c.plainArgument(8, "onesided") == nil ? nil : try c.bool(8, "onesided", default: true))
      return [returnComplex ? spectrum : spectrum.viewAsReal()]
    }),
    // PyTorch's istft takes a complex spectrum: the complex128 samples pass it directly (the
    // float64 ones build it from real and imaginary parts).
    OpInfo("FFT.istft", torch: ["istft"], dtypes: [.float64, .complex128], samples: { dtype, rng in
      if dtype.isComplex {
        return [OpSample("complex [5, 5] spectrum, nFFT 8 hop 2", [rng.tensor([5, 5], dtype: dtype)]) {
          [FFT.istft($0[0], nFFT: 8, hopLength: 2)]
        }, OpSample("two-sided [4, 6] spectrum, complex output", [rng.tensor([4, 6], dtype: dtype)]) {
          [FFT.istft($0[0], nFFT: 4, hopLength: 1, returnComplex: true)]
        }, OpSample("two-sided [6, 3] spectrum, real output (the non-negative bins)", [rng.tensor([6, 3], dtype: dtype)]) {
          [FFT.istft($0[0], nFFT: 6, hopLength: 2, onesided: false)]
        }]
      }
      return [OpSample("[5, 5] spectrum, nFFT 8 hop 2", [rng.tensor([5, 5], dtype: dtype), rng.tensor([5, 5], dtype: dtype)]) {
        [FFT.istft(Tensor.complex(real: $0[0], imaginary: $0[1]), nFFT: 8, hopLength: 2)]
      }, OpSample("[2, 3, 4] spectrum with a window, length 9, not centred", [
        rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([4], dtype: dtype, in: 1...2),
      ]) {
        [FFT.istft(Tensor.complex(real: $0[0], imaginary: $0[1]), nFFT: 4, hopLength: 2, window: $0[2], center: false, length: 9)]
      }]
    }, golden: { c in
      let onesided: Bool? = try c.value(7, "onesided").flatMap { v in
        if case .null = v { return nil }
        return try c.bool(7, "onesided", default: true)
      }
      return [FFT.istft(
        try c.tensor(0), nFFT: try c.int(1, "n_fft"), hopLength: try c.optionalInt(2, "hop_length"), winLength: try c.optionalInt(3, "win_length"),
        window: try stftWindowArgument(c), center: try c.bool(5, "center", default: true), normalized: try c.bool(6, "normalized", default: false),
        length: try c.optionalInt(8, "length"), onesided: onesided, returnComplex: try c.bool(9, "return_complex", default: false))]
    }),
  ]
}
