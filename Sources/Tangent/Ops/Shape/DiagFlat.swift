extension Tensor {
  /// The matrix with this tensor's elements, flattened, on diagonal `offset`, like
  /// `torch.diagflat`: a square matrix of size `count + |offset|`.
  ///
  /// Derivative: linear; the VJP reads the diagonal back and reshapes it.
  public func diagflat(offset: Int = 0) -> Tensor { flattened().diag(diagonal: offset) }
}
