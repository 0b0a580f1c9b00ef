extension Tensor {
  /// This tensor with its dims reversed, like PyTorch's `x.T`: the transpose of a matrix, the
  /// tensor itself for rank ≤ 1. A view.
  ///
  /// Derivative: linear; the VJP reverses the dims back.
  public var T: Tensor { rank < 2 ? self : permuted(Array((0..<rank).reversed())) }

  /// The conjugate transpose of a matrix (the tensor itself, conjugated, for rank ≤ 1), like
  /// PyTorch's `x.H`.
  ///
  /// - Precondition: rank ≤ 2.
  /// Derivative: linear (conjugate-linear for complex); the VJP takes the conjugate
  /// transpose back.
  public var H: Tensor {
    check(rank <= 2, "H: expected a tensor with at most 2 dims, got shape \(shape) (use mH for batches)")
    return T.conj()
  }
}
