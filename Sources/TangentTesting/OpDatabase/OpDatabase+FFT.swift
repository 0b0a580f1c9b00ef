import Tangent

extension OpDatabase {
  /// Discrete Fourier transforms (`torch.fft`).
  static let fft: [OpInfo] = [
    fftRecord("fft", torch: ["fft.fft"], dtypes: [.float64, .complex128]) { FFT.fft($0, n: $1, dim: $2, norm: $3) },
    fftRecord("ifft", torch: ["fft.ifft"], dtypes: [.float64, .complex128]) { FFT.ifft($0, n: $1, dim: $2, norm: $3) },
    fftRecord("rfft", torch: ["fft.rfft"], dtypes: [.float64]) { FFT.rfft($0, n: $1, dim: $2, norm: $3) },
    fftRecord("ihfft", torch: ["fft.ihfft"], dtypes: [.float64]) { FFT.ihfft($0, n: $1, dim: $2, norm: $3) },
    hermitianRecord("irfft", torch: ["fft.irfft"]) { FFT.irfft($0, n: $1, dim: $2, norm: $3) },
    hermitianRecord("hfft", torch: ["fft.hfft"]) { FFT.hfft($0, n: $1, dim: $2, norm: $3) },
    fftnRecord("fft2", torch: ["fft.fft2"], dtypes: [.float64, .complex128], twoDims: true) {
      FFT.fft2($0, s: $1, dims: $2 ?? [-2, -1], norm: $3)
    },
    fftnRecord("ifft2", torch: ["fft.ifft2"], dtypes: [.float64, .complex128], twoDims: true) {
      FFT.ifft2($0, s: $1, dims: $2 ?? [-2, -1], norm: $3)
    },
    fftnRecord("rfft2", torch: ["fft.rfft2"], dtypes: [.float64], twoDims: true) {
      FFT.rfft2($0, s: $1, dims: $2 ?? [-2, -1], norm: $3)
    },
    fftnRecord("fftn", torch: ["fft.fftn"], dtypes: [.float64, .complex128], twoDims: false) {
      FFT.fftn($0, s: $1, dims: $2, norm: $3)
    },
    fftnRecord("ifftn", torch: ["fft.ifftn"], dtypes: [.float64, .complex128], twoDims: false) {
      FFT.ifftn($0, s: $1, dims: $2, norm: $3)
    },
    fftnRecord("rfftn", torch: ["fft.rfftn"], dtypes: [.float64], twoDims: false) {
      FFT.rfftn($0, s: $1, dims: $2, norm: $3)
    },
    hermitianNRecord("irfft2", torch: ["fft.irfft2"], twoDims: true) { FFT.irfft2($0, s: $1, dims: $2 ?? [-2, -1], norm: $3) },
    hermitianNRecord("irfftn", torch: ["fft.irfftn"], twoDims: false) { FFT.irfftn($0, s: $1, dims: $2, norm: $3) },
    fftnRecord("ihfft2", torch: ["fft.ihfft2"], dtypes: [.float64], twoDims: true) {
      FFT.ihfft2($0, s: $1, dims: $2 ?? [-2, -1], norm: $3)
    },
    fftnRecord("ihfftn", torch: ["fft.ihfftn"], dtypes: [.float64], twoDims: false) {
      FFT.ihfftn($0, s: $1, dims: $2, norm: $3)
    },
    hermitianNRecord("hfft2", torch: ["fft.hfft2"], twoDims: true) { FFT.hfft2($0, s: $1, dims: $2 ?? [-2, -1], norm: $3) },
    hermitianNRecord("hfftn", torch: ["fft.hfftn"], twoDims: false) { FFT.hfftn($0, s: $1, dims: $2, norm: $3) },
    shiftRecord("fftshift", torch: ["fft.fftshift"]) { FFT.fftshift($0, dims: $1) },
    shiftRecord("ifftshift", torch: ["fft.ifftshift"]) { FFT.ifftshift($0, dims: $1) },
  ]

  /// The `norm` argument of a golden case (position 3 or keyword).
  static func fftNorm(_ c: GoldenCall) throws -> FFT.Norm {
    guard let s = try c.string(3, "norm") else { return .backward }
    guard let norm = FFT.Norm(rawValue: s) else {
      throw ConformanceError.unsupportedArgument("\(c.op): norm \"\(s)\" is not backward, ortho or forward")
    }
    return norm
  }

  /// The `(x, n, dim, norm)` of a one-dim transform's golden case.
  static func oneDimFFTCall(
    _ c: GoldenCall, _ f: @Sendable (Tensor, Int?, Int, FFT.Norm) -> Tensor
  ) throws -> [Tensor] {
    [f(try c.tensor(0), try c.optionalInt(1, "n"), try c.int(2, "dim", default: -1), try fftNorm(c))]
  }

  /// The `(x, s, dim, norm)` of a multi-dim transform's golden case.
  static func multiDimFFTCall(
    _ c: GoldenCall, _ f: @Sendable (Tensor, [Int]?, [Int]?, FFT.Norm) -> Tensor
  ) throws -> [Tensor] {
    [f(try c.tensor(0), try c.ints(1, "s"), try c.ints(2, "dim"), try fftNorm(c))]
  }

  /// A one-dim transform whose signal length is the input's size (`fft`, `ifft`, `rfft`,
  /// `ihfft`). Samples: a power of two, odd and prime lengths (Bluestein), cropping and
  /// zero-padding by `n`, another dim, every norm, and a transposed input.
  static func fftRecord(
    _ name: String, torch: [String], dtypes: Set<DType>, _ f: @escaping @Sendable (Tensor, Int?, Int, FFT.Norm) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: dtypes, samples: { dtype, rng in
      [
        OpSample("[8]", [rng.tensor([8], dtype: dtype)]) { [f($0[0], nil, -1, .backward)] },
        OpSample("[3, 5] (odd)", [rng.tensor([3, 5], dtype: dtype)]) { [f($0[0], nil, -1, .backward)] },
        OpSample("[2, 7] n 4 (cropped), ortho", [rng.tensor([2, 7], dtype: dtype)]) { [f($0[0], 4, -1, .ortho)] },
        OpSample("[2, 6] n 11 (padded), forward", [rng.tensor([2, 6], dtype: dtype)]) { [f($0[0], 11, 1, .forward)] },
        OpSample("[6, 2] dim 0", [rng.tensor([6, 2], dtype: dtype)]) { [f($0[0], nil, 0, .backward)] },
        OpSample("[4, 3] transposed, ortho", [rng.tensor([4, 3], dtype: dtype).transposed()]) { [f($0[0], nil, -1, .ortho)] },
        OpSample("[1] n 1", [rng.tensor([1], dtype: dtype)]) { [f($0[0], 1, -1, .backward)] },
      ]
    }, golden: { c in try oneDimFFTCall(c, f) })
    .withEdgeSamples { dtype, rng in
      // PyTorch takes size-1 transforms and empty batches, not 0-d inputs or empty transforms.
      let cases: [([Int], Int)] = [([1], -1), ([0, 4], -1), ([1, 1], 0), ([3, 1], -1), ([2, 0, 3], 2)]
      return cases.map { shape, dim in
        OpSample("edge \(shape) dim \(dim)", [rng.tensor(shape, dtype: dtype)]) { [f($0[0], nil, dim, .ortho)] }
      }
    }
  }

  /// A one-dim Hermitian complex-to-real transform (`irfft`, `hfft`), whose input holds
  /// n/2 + 1 bins. Samples: even and odd output lengths, bins cropped and zero-padded by `n`,
  /// another dim, every norm, and a transposed input.
  static func hermitianRecord(
    _ name: String, torch: [String], _ f: @escaping @Sendable (Tensor, Int?, Int, FFT.Norm) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: [.float64, .complex128], samples: { dtype, rng in
      [
        OpSample("[5] (n 8)", [rng.tensor([5], dtype: dtype)]) { [f($0[0], nil, -1, .backward)] },
        OpSample("[3, 4] n 7 (odd)", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], 7, -1, .backward)] },
        OpSample("[2, 6] n 5 (cropped), ortho", [rng.tensor([2, 6], dtype: dtype)]) { [f($0[0], 5, -1, .ortho)] },
        OpSample("[2, 3] n 12 (padded), forward", [rng.tensor([2, 3], dtype: dtype)]) { [f($0[0], 12, -1, .forward)] },
        OpSample("[4, 2] dim 0 n 6", [rng.tensor([4, 2], dtype: dtype)]) { [f($0[0], 6, 0, .backward)] },
        OpSample("[4, 3] transposed (n 6), ortho", [rng.tensor([4, 3], dtype: dtype).transposed()]) {
          [f($0[0], nil, -1, .ortho)]
        },
        OpSample("[2] n 1", [rng.tensor([2], dtype: dtype)]) { [f($0[0], 1, -1, .backward)] },
      ]
    }, golden: { c in try oneDimFFTCall(c, f) })
  }

  /// A multi-dim transform (`fft2`, `fftn`, `rfftn`, …). Samples: the default dims, sizes
  /// `s` that crop and pad (with −1 keeping a size), explicit dims out of order, every norm,
  /// and a transposed input; `fftn`-style records also transform every dim of a 3-d input.
  static func fftnRecord(
    _ name: String, torch: [String], dtypes: Set<DType>, twoDims: Bool,
    _ f: @escaping @Sendable (Tensor, [Int]?, [Int]?, FFT.Norm) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: dtypes, samples: { dtype, rng in
      var out = [
        OpSample("[4, 6]", [rng.tensor([4, 6], dtype: dtype)]) { [f($0[0], nil, nil, .backward)] },
        OpSample("[3, 5] s [4, 3], ortho", [rng.tensor([3, 5], dtype: dtype)]) { [f($0[0], [4, 3], nil, .ortho)] },
        OpSample("[2, 3, 5] s [-1, 7] dims [2, 0], forward", [rng.tensor([2, 3, 5], dtype: dtype)]) {
          [f($0[0], [-1, 7], [2, 0], .forward)]
        },
        OpSample("[5, 4] transposed", [rng.tensor([5, 4], dtype: dtype).transposed()]) { [f($0[0], nil, nil, .backward)] },
      ]
      if !twoDims {
        out.append(OpSample("[2, 3, 4] every dim, ortho", [rng.tensor([2, 3, 4], dtype: dtype)]) {
          [f($0[0], nil, nil, .ortho)]
        })
        out.append(OpSample("[3, 4] dims [0]", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], nil, [0], .backward)] })
      }
      return out
    }, golden: { c in try multiDimFFTCall(c, f) })
  }

  /// A multi-dim Hermitian complex-to-real transform (`irfft2`, `irfftn`). Samples as for
  /// ``fftnRecord(_:torch:dtypes:twoDims:_:)``, with even and odd last output sizes.
  static func hermitianNRecord(
    _ name: String, torch: [String], twoDims: Bool, _ f: @escaping @Sendable (Tensor, [Int]?, [Int]?, FFT.Norm) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: [.float64, .complex128], samples: { dtype, rng in
      var out = [
        OpSample("[4, 5] (last 8)", [rng.tensor([4, 5], dtype: dtype)]) { [f($0[0], nil, nil, .backward)] },
        OpSample("[3, 4] s [5, 7], ortho", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], [5, 7], nil, .ortho)] },
        OpSample("[2, 3, 4] s [-1, 5] dims [2, 0], forward", [rng.tensor([2, 3, 4], dtype: dtype)]) {
          [f($0[0], [-1, 5], [2, 0], .forward)]
        },
        OpSample("[5, 3] transposed", [rng.tensor([5, 3], dtype: dtype).transposed()]) { [f($0[0], nil, nil, .backward)] },
      ]
      if !twoDims {
        out.append(OpSample("[2, 3, 4] every dim, ortho", [rng.tensor([2, 3, 4], dtype: dtype)]) {
          [f($0[0], nil, nil, .ortho)]
        })
        out.append(OpSample("[3, 4] dims [0] s [6]", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], [6], [0], .backward)] })
      }
      return out
    }, golden: { c in try multiDimFFTCall(c, f) })
  }

  /// `fftshift` or `ifftshift`. Samples: every dim of even and odd sizes, and chosen dims.
  static func shiftRecord(_ name: String, torch: [String], _ f: @escaping @Sendable (Tensor, [Int]?) -> Tensor) -> OpInfo {
    OpInfo(name, torch: torch, samples: { dtype, rng in
      [
        OpSample("[4, 5]", [rng.tensor([4, 5], dtype: dtype)]) { [f($0[0], nil)] },
        OpSample("[7]", [rng.tensor([7], dtype: dtype)]) { [f($0[0], nil)] },
        OpSample("[2, 3, 5] dims [0, -1]", [rng.tensor([2, 3, 5], dtype: dtype)]) { [f($0[0], [0, -1])] },
      ]
    }, golden: { c in [f(try c.tensor(0), try c.ints(1, "dim"))] })
  }
}
