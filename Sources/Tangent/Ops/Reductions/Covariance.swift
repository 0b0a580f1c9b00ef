import ComplexModule
import RealModule

extension Tensor {
  /// The covariance matrix of the variables in the rows (observations in the columns), like
  /// `torch.cov(x, correction:, fweights:, aweights:)`; a 1-d tensor is one variable, and a
  /// single variable gives a 0-d result.
  ///
  /// With weights w = fweights·aweights, the mean is Σ w·x/Σ w and the divisor is
  /// Σ w − correction (Σ w − correction·Σ w·aweights/Σ w with aweights), clamped at 0.
  ///
  /// Derivative: that of Σₖ wₖ (xᵢₖ − x̄ᵢ) conj(xⱼₖ − x̄ⱼ)/divisor, bilinear in the deviations.
  /// - Precondition: the tensor is 1-d or 2-d and floating; the weights are 1-d with one entry
  ///   per observation.
  /// - Complexity: O(v²·n) for v variables and n observations.
  public func cov(correction: Int = 1, fweights: Tensor? = nil, aweights: Tensor? = nil) -> Tensor {
    check(rank <= 2, "cov: expected a 1-d or 2-d tensor, got shape \(shape)")
    check(dtype.isFloatingPoint, "cov: expected a floating or complex tensor, got \(dtype)")
    let x = rank == 2 ? self : reshaped([1, -1])
    let n = x.shape[1]
    let real = dtype.real
    var w: Tensor?
    if let f = fweights { w = f.converted(to: real) }
    if let a = aweights { w = w.map { $0 * a.converted(to: real) } ?? a.converted(to: real) }
    let mean: Tensor, divisor: Tensor
    if let w {
      check(w.shape == [n], "cov: weights must have shape [\(n)], got \(w.shape)")
      let total = w.sum()
      mean = (x * w).sum(dim: 1, keepdim: true) / total
      if correction == 0 {
        divisor = total
      } else if let a = aweights {
        divisor = total - Double(correction) * (w * a.converted(to: real)).sum() / total
      } else {
        divisor = total - Double(correction)
      }
    } else {
      mean = x.mean(dims: [1], keepdim: true)
      divisor = Tensor.full([], Double(n - correction), dtype: real)
    }
    let dev = x - mean
    let weighted = w.map { dev * $0 } ?? dev
    let c = (dev.unsqueezed(dim: 1) * weighted.conj().unsqueezed(dim: 0)).sum(dim: -1) / divisor.clamp(min: 0)
    return c.squeezed()
  }

  /// The Pearson correlation coefficients of the variables in the rows, like
  /// `torch.corrcoef`: cov(x)ᵢⱼ/√(cov(x)ᵢᵢ·cov(x)ⱼⱼ), clipped to [−1, 1] (each part, for
  /// complex inputs).
  ///
  /// Derivative: that of the covariance divided by the standard deviations, through the clip.
  /// - Precondition: the tensor is 1-d or 2-d and floating.
  public func corrcoef() -> Tensor {
    let c = cov()
    if c.rank == 0 { return c / c }
    let d = c.diagonal()
    let std = (d.dtype.isComplex ? d.real : d).sqrt()
    let r = c / std.unsqueezed(dim: 1) / std.unsqueezed(dim: 0)
    if r.dtype.isComplex {
      return Tensor.complex(real: r.real.clamp(min: -1, max: 1), imaginary: r.imag.clamp(min: -1, max: 1))
    }
    return r.clamp(min: -1, max: 1)
  }
}
