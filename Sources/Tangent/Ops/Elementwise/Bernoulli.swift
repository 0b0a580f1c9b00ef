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
    // Every member of a vmap batch is checked; the draw is one uniform tensor compared with
    // the probabilities, so under vmap it follows the randomness mode like `rand`.
    let p = detached
    check(p.valuesOfEveryMember.doubles.allSatisfy { $0 >= 0 && $0 <= 1 }, "bernoulli: probabilities must be in [0, 1]")
    return Tensor.rand(shape, using: &generator).lt(p).converted(to: dtype)
  }

  /// ``bernoulli(using:)`` with the system's random number generator.
  public func bernoulli() -> Tensor {
    var g = SystemRandomNumberGenerator()
    return bernoulli(using: &g)
  }
}
