extension FFT {
  /// The window padded to `nFFT` points, centred, as in PyTorch (`nil` is a rectangular window
  /// of `winLength` points).
  static func stftWindow(_ window: Tensor?, nFFT: Int, winLength: Int, dtype: DType, op: String) -> Tensor {
    check(winLength > 0 && winLength <= nFFT, "\(op): winLength \(winLength) is not in 1...\(nFFT)")
    let w = window ?? Tensor.ones([winLength], dtype: dtype)
    check(w.shape == [winLength], "\(op): the window has shape \(w.shape), expected [\(winLength)]")
    let left = (nFFT - winLength) / 2
    return w.padded([left, nFFT - winLength - left])
  }

  /// The short-time Fourier transform, like `torch.stft(..., return_complex=True)`: the
  /// `nFFT`-point transform of each frame of the signal, `hopLength` apart, times `window`.
  /// The result is `[…, nFFT / 2 + 1 (one-sided) or nFFT, frames]`, complex; PyTorch's
  /// `return_complex=False` is `stft(…).viewAsReal()` (a trailing dim of 2).
  ///
  /// - Parameters:
  ///   - x: a signal `[L]` or a batch `[B, L]`.
  ///   - nFFT: the length of each frame's transform.
  ///   - hopLength: the step between frames; `nFFT / 4` by default.
  ///   - winLength: the window's length (at most `nFFT`; it is zero-padded to `nFFT`,
  ///     centred); `nFFT` by default.
  ///   - window: a `[winLength]` tensor; rectangular by default.
  ///   - center: pads `nFFT / 2` points on both sides with `padMode` first, so that frame
  ///     `t` is centred at `t · hopLength`.
  ///   - padMode: how `center` pads the signal (``PaddingMode/reflect`` by default).
  ///   - normalized: scales by `1/√nFFT`.
  ///   - onesided: keeps only the non-negative frequencies; the default is true for real
  ///     signals and windows.
  /// - Precondition: rank 1 or 2, `nFFT` at most the (padded) length, `hopLength > 0`.
  /// Derivative: linear in the signal (composed of padding, `unfold`, a product with the
  /// window and `rfft`/`fft`), and in the window.
  public static func stft(
    _ x: Tensor, nFFT: Int, hopLength: Int? = nil, winLength: Int? = nil, window: Tensor? = nil, center: Bool = true,
    padMode: PaddingMode = .reflect, normalized: Bool = false, onesided: Bool? = nil
  ) -> Tensor {
    check(x.rank == 1 || x.rank == 2, "FFT.stft: expected a signal [L] or a batch [B, L], got shape \(x.shape)")
    check(nFFT > 0, "FFT.stft: nFFT must be positive, got \(nFFT)")
    let hop = hopLength ?? nFFT / 4
    check(hop > 0, "FFT.stft: hopLength must be positive, got \(hop)")
    let w = stftWindow(window, nFFT: nFFT, winLength: winLength ?? nFFT, dtype: x.dtype.real, op: "FFT.stft")
    var signal = x
    if center {
      let batched = x.rank == 1 ? x.unsqueezed(dim: 0) : x
      signal = batched.padded([nFFT / 2, nFFT / 2], mode: padMode)
      if x.rank == 1 { signal = signal.squeezed(dim: 0) }
    }
    check(signal.shape[signal.rank - 1] >= nFFT, "FFT.stft: nFFT \(nFFT) exceeds the signal's length \(signal.shape[signal.rank - 1])")
    let frames = signal.unfold(dimension: -1, size: nFFT, step: hop) * w
    let oneSided = onesided ?? (!x.dtype.isComplex && !w.dtype.isComplex)
    check(!oneSided || (!x.dtype.isComplex && !w.dtype.isComplex), "FFT.stft: a one-sided transform needs a real signal and window")
    let norm: Norm = normalized ? .ortho : .backward
    let spectrum = oneSided ? rfft(frames, dim: -1, norm: norm) : fft(frames, dim: -1, norm: norm)
    return spectrum.transposed(-1, -2)
  }

  /// The inverse short-time Fourier transform, like `torch.istft`: the frames' inverse
  /// transforms, times the window, overlap-added and divided by the summed squared window,
  /// then trimmed (by `nFFT / 2` at each end with `center`) or zero-padded to `length`.
  ///
  /// - Parameters:
  ///   - spectrum: `[…, nFFT / 2 + 1, frames]` (one-sided) or `[…, nFFT, frames]`
  ///     (two-sided) complex, as ``stft(_:nFFT:hopLength:winLength:window:center:padMode:normalized:onesided:)`` gives.
  ///   - nFFT: the length of each frame's transform, as given to `stft`.
  ///   - hopLength: the step between frames; `nFFT / 4` by default.
  ///   - winLength: the window's length (at most `nFFT`); `nFFT` by default.
  ///   - window: a `[winLength]` tensor; rectangular by default.
  ///   - center: whether `stft` padded the signal by `nFFT / 2` on both sides; those points
  ///     are trimmed.
  ///   - normalized: whether `stft` scaled by `1/√nFFT`; the scaling is undone.
  ///   - onesided: whether the spectrum is one-sided; by default, whether it has
  ///     `nFFT / 2 + 1` frequencies (PyTorch's default).
  ///   - length: the output length: the signal is trimmed or zero-padded to it; by default
  ///     all the samples the frames cover (less what `center` trims).
  ///   - returnComplex: return the complex signal (of a two-sided spectrum, e.g. the `stft` of a
  ///     complex signal); otherwise the signal is real: the `irfft` of the first `nFFT / 2 + 1`
  ///     frequencies (of a two-sided spectrum the negative frequencies are not read, as in
  ///     PyTorch).
  /// - Precondition: a spectrum of rank 2 or 3 with `nFFT / 2 + 1` (one-sided) or `nFFT`
  ///   frequencies; `returnComplex` only with a two-sided spectrum; a window whose squares
  ///   overlap without gaps (PyTorch's NOLA condition) over the kept samples.
  /// Derivative: linear in the spectrum (composed of `irfft`, products, padding and sums),
  /// and differentiable in the window through both the overlap-add and the normalising
  /// envelope.
  public static func istft(
    _ spectrum: Tensor, nFFT: Int, hopLength: Int? = nil, winLength: Int? = nil, window: Tensor? = nil, center: Bool = true,
    normalized: Bool = false, length: Int? = nil, onesided: Bool? = nil, returnComplex: Bool = false
  ) -> Tensor {
    check(spectrum.rank == 2 || spectrum.rank == 3, "FFT.istft: expected [F, frames] or [B, F, frames], got shape \(spectrum.shape)")
    let frequencies = spectrum.shape[spectrum.rank - 2]
    let oneSided = onesided ?? (frequencies == nFFT / 2 + 1)
    check(
      frequencies == (oneSided ? nFFT / 2 + 1 : nFFT),
      "FFT.istft: \(frequencies) frequencies, expected the \(oneSided ? "one-sided \(nFFT / 2 + 1)" : "two-sided \(nFFT)")")
    check(!(returnComplex && oneSided), "FFT.istft: returnComplex needs a two-sided spectrum (onesided: false)")
    let hop = hopLength ?? nFFT / 4
    check(hop > 0, "FFT.istft: hopLength must be positive, got \(hop)")
    let w = stftWindow(window, nFFT: nFFT, winLength: winLength ?? nFFT, dtype: spectrum.dtype.real, op: "FFT.istft")
    let norm: Norm = normalized ? .ortho : .backward
    // A real signal is the `irfft` of the non-negative frequencies, as PyTorch computes it: of a
    // two-sided spectrum only the first `nFFT / 2 + 1` bins are read (the real part of the
    // full inverse would average them with the conjugates of the negative ones instead).
    let inverse = returnComplex
      ? ifft(spectrum.transposed(-1, -2), n: nFFT, dim: -1, norm: norm)
      : irfft(spectrum.narrowed(dim: -2, start: 0, length: nFFT / 2 + 1).transposed(-1, -2), n: nFFT, dim: -1, norm: norm)
    let frames = inverse * (inverse.dtype.isComplex ? w.converted(to: inverse.dtype) : w)
    let count = frames.shape[frames.rank - 2]
    let total = nFFT + hop * Swift.max(count - 1, 0)
    // Overlap-add of the frames and of the squared window (the normalising envelope).
    let squared = w * w
    var sum: Tensor? = nil, envelope: Tensor? = nil
    for t in 0..<count {
      let pad = [t * hop, total - nFFT - t * hop]
      let placed = frames.select(dim: -2, index: t).padded(pad), window = squared.padded(pad)
      sum = sum.map { $0 + placed } ?? placed
      envelope = envelope.map { $0 + window } ?? window
    }
    let start = center ? nFFT / 2 : 0
    let end = length.map { start + $0 } ?? (center ? total - nFFT / 2 : total)
    let kept = Swift.min(end, total) - start
    check(kept >= 0, "FFT.istft: nothing is left after trimming \(total) samples")
    let signal = sum ?? Tensor.zeros(Array(frames.shape.dropLast(2)) + [total], dtype: frames.dtype)
    let env = (envelope ?? Tensor.zeros([total], dtype: w.dtype)).narrowed(dim: 0, start: start, length: kept)
    check(env.detached.valuesOfEveryMember.doubles.allSatisfy { $0 > 1e-11 }, "FFT.istft: the window does not satisfy the NOLA condition")
    let out = signal.narrowed(dim: -1, start: start, length: kept) / env.converted(to: signal.dtype)
    return end > total ? out.padded([0, end - total]) : out
  }
}
