extension Tensor {
  /// The softmax along `dim` with slices that are entirely `-inf` giving zeros instead of
  /// `nan`, like PyTorch's `aten._safe_softmax` (used by attention with fully masked rows).
  ///
  /// Derivative: that of `softmax` on the other slices; zero on the fully masked ones.
  public func safeSoftmax(dim: Int) -> Tensor {
    let dead = eq(-.infinity).all(dims: [dim], keepdim: true)
    return Tensor.where(dead, 0.0, Tensor.where(dead, 0.0, self).softmax(dim: dim))
  }
}

extension Tensor {
  /// The VJP of `softmax` along `dim` as an op, like PyTorch's `aten._softmax_backward_data`:
  /// `output * (gradOutput - Σ_dim gradOutput * output)`, for the softmax `output`.
  ///
  /// Derivative: bilinear in `gradOutput` and `output` (composed of products and a sum).
  public static func softmaxBackwardData(gradOutput: Tensor, output: Tensor, dim: Int) -> Tensor {
    output * (gradOutput - (gradOutput * output).sum(dim: dim, keepdim: true))
  }
}
