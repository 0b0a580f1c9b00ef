import ComplexModule
import RealModule

// Activations built from clamping and selection: relu6, softsign, tanhshrink, the shrinkage
// functions and threshold.

extension Tensor {
  /// min(max(x, 0), 6), like `torch.nn.functional.relu6`.
  ///
  /// Derivative: 1 strictly between 0 and 6, 0 elsewhere (as ``hardtanh(min:max:)``).
  /// - Precondition: the tensor is not complex.
  public func relu6() -> Tensor { hardtanh(min: 0, max: 6) }

  /// x/(1 + |x|), like `torch.nn.functional.softsign` (complex inputs too, with the modulus
  /// |x|, as in PyTorch).
  ///
  /// Derivative: 1/(1 + |x|)² for real inputs; for complex ones, the composition's.
  public func softsign() -> Tensor {
    self / (1 + abs()).converted(to: dtype)
  }

  /// x − tanh x, like `torch.nn.functional.tanhshrink`.
  ///
  /// Derivative: tanh²x.
  public func tanhshrink() -> Tensor { self - tanh() }

  /// x − λ above λ, x + λ below −λ, 0 between, like `torch.nn.functional.softshrink`.
  ///
  /// Derivative: 1 outside [−λ, λ], 0 on it.
  /// - Precondition: λ ≥ 0; the tensor is not complex.
  public func softshrink(lambda: Double = 0.5) -> Tensor {
    check(lambda >= 0, "softshrink: lambda must be non-negative, got \(lambda)")
    requireReal("softshrink")
    return self - clamp(min: -lambda, max: lambda)
  }

  /// x where |x| > λ, 0 elsewhere, like `torch.nn.functional.hardshrink`.
  ///
  /// Derivative: 1 where |x| > λ, 0 elsewhere.
  /// - Precondition: the tensor is not complex.
  public func hardshrink(lambda: Double = 0.5) -> Tensor {
    requireReal("hardshrink")
    let x = floatingForReduction
    return x.keeping(x.mask(.greater, lambda).maskOr(x.mask(.less, -lambda)))
  }

  /// x where x > threshold, `value` elsewhere, like `torch.nn.functional.threshold`.
  ///
  /// Derivative: 1 where x > threshold, 0 elsewhere.
  /// - Precondition: the tensor is not complex.
  public func threshold(_ threshold: Double, value: Double) -> Tensor {
    requireReal("threshold")
    let x = floatingForReduction
    let above = x.mask(.greater, threshold)
    return x.keeping(above) + above.maskNot.maskValues(x.dtype) * value
  }
}
