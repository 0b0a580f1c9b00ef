extension Tensor {
  /// A sample of 0s and 1s with this tensor's elements as the probabilities of 1, like
  /// `torch.bernoulli`: element `i` is 1 when a uniform draw from `generator` is below
  /// `p[i]`. Same shape and dtype as this tensor.
  ///
  /// - Precondition: a real floating dtype and probabilities in [0, 1].
  /// Derivative: zero (the sample is piecewise constant in the probabilities); the result is
  /// detached.
  public func bernoulli(using generator: inout some RandomNumberGenerator) -> Tensor {
    check(dtype.isFloatingPoint && !dtype.isComplex, "bernoulli: expected real probabilities, got \(dtype)")
    let p = detached.doubles
    check(p.allSatisfy { $0 >= 0 && $0 <= 1 }, "bernoulli: probabilities must be in [0, 1]")
    let u = Tensor.rand(shape, using: &generator).doubles
    return Tensor(shape: shape, scalars: zip(u, p).map { $0 < $1 ? 1.0 : 0.0 }).converted(to: dtype)
  }

  /// ``bernoulli(using:)`` with the system's random number generator.
  public func bernoulli() -> Tensor {
    var g = SystemRandomNumberGenerator()
    return bernoulli(using: &g)
  }
}
