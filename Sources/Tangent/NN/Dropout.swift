extension NN {
  /// The uniform draws of a dropout mask: one per element of `shape`, in [0, 1).
  static func draws<G: RandomNumberGenerator>(_ shape: [Int], using generator: inout G) -> [Double] {
    Tensor.rand(shape, dtype: .float64, using: &generator).scalars(as: Double.self)
  }

  /// The shape of a dropout mask: the input's, or with `featureDims` trailing dims of size 1
  /// (one draw per channel) for the feature dropouts.
  static func maskShape(_ input: Tensor, featureDims: Int) -> [Int] {
    Array(input.shape.dropLast(featureDims)) + [Int](repeating: 1, count: featureDims)
  }

  /// Checks a dropout's input and probability.
  static func checkDropout(_ input: Tensor, p: Double, minimumRank: Int, op: String) {
    check((0...1).contains(p), "\(op): p must be in [0, 1], got \(p)")
    check(
      input.dtype.isFloatingPoint && input.rank >= minimumRank,
      "\(op): expected a floating input of at least \(minimumRank) dims, got \(input.dtype) \(input.shape)")
  }

  /// Zeroes elements of `input` at random, like `torch.nn.functional.dropout`: each is kept
  /// with probability `1 − p` and then scaled by `1/(1 − p)`, so the expectation is unchanged.
  /// Outside training, the input itself.
  ///
  /// The draws come from `generator` (a ``SeededGenerator`` makes them reproducible; they
  /// differ from PyTorch's stream).
  ///
  /// Derivative: the same mask and scale applied to the tangent (or cotangent).
  /// - Parameters:
  ///   - input: any floating tensor.
  ///   - p: the probability of zeroing, in [0, 1].
  ///   - training: whether to drop at all.
  ///   - generator: the source of randomness.
  /// - Precondition: a floating input; `p` in [0, 1].
  public static func dropout<G: RandomNumberGenerator>(
    _ input: Tensor, p: Double = 0.5, training: Bool = true, using generator: inout G
  ) -> Tensor {
    dropped(input, p: p, training: training, featureDims: 0, minimumRank: 0, op: "nn.functional.dropout", using: &generator)
  }

  /// ``dropout(_:p:training:using:)`` with the system's random numbers.
  public static func dropout(_ input: Tensor, p: Double = 0.5, training: Bool = true) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return dropout(input, p: p, training: training, using: &g)
  }

  /// Zeroes whole channels at random, like `torch.nn.functional.dropout2d`: for an input
  /// `[N, C, H, W]` (or `[C, H, W]`), each 2-d channel is kept with probability `1 − p` and
  /// scaled by `1/(1 − p)`. Outside training, the input itself.
  ///
  /// Derivative: the same channel mask and scale applied to the tangent (or cotangent).
  /// - Precondition: a floating input of at least 3 dims; `p` in [0, 1].
  public static func dropout2d<G: RandomNumberGenerator>(
    _ input: Tensor, p: Double = 0.5, training: Bool = true, using generator: inout G
  ) -> Tensor {
    dropped(input, p: p, training: training, featureDims: 2, minimumRank: 3, op: "nn.functional.dropout2d", using: &generator)
  }

  /// Zeroes whole channels at random, like `torch.nn.functional.dropout3d`: for an input
  /// `[N, C, D, H, W]` (or `[C, D, H, W]`), each 3-d channel is kept with probability `1 − p`
  /// and scaled by `1/(1 − p)`. Outside training, the input itself.
  ///
  /// Derivative: the same channel mask and scale applied to the tangent (or cotangent).
  /// - Precondition: a floating input of at least 4 dims; `p` in [0, 1].
  public static func dropout3d<G: RandomNumberGenerator>(
    _ input: Tensor, p: Double = 0.5, training: Bool = true, using generator: inout G
  ) -> Tensor {
    dropped(input, p: p, training: training, featureDims: 3, minimumRank: 4, op: "nn.functional.dropout3d", using: &generator)
  }

  /// ``dropout2d(_:p:training:using:)`` with the system's random numbers.
  public static func dropout2d(_ input: Tensor, p: Double = 0.5, training: Bool = true) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return dropout2d(input, p: p, training: training, using: &g)
  }

  /// ``dropout3d(_:p:training:using:)`` with the system's random numbers.
  public static func dropout3d(_ input: Tensor, p: Double = 0.5, training: Bool = true) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return dropout3d(input, p: p, training: training, using: &g)
  }

  /// The dropouts that scale the kept elements.
  static func dropped<G: RandomNumberGenerator>(
    _ input: Tensor, p: Double, training: Bool, featureDims: Int, minimumRank: Int, op: String, using generator: inout G
  ) -> Tensor {
    checkDropout(input, p: p, minimumRank: minimumRank, op: op)
    guard training && p > 0 else { return input }
    if p == 1 { return input * 0 }
    let shape = maskShape(input, featureDims: featureDims)
    let mask = Tensor(shape: shape, scalars: draws(shape, using: &generator).map { $0 < p ? 0 : 1 / (1 - p) })
    return input * mask.converted(to: input.dtype)
  }

  /// Alpha dropout, like `torch.nn.functional.alpha_dropout`, for self-normalising networks
  /// (``Tensor/selu()``): each element is kept with probability `1 − p`, dropped ones are set
  /// to SELU's negative saturation `−α′ = −1.7581…`, and an affine map `a·x + b` restores zero
  /// mean and unit variance:
  /// ```
  /// a = 1/√((α′²·p + 1)(1 − p)),   y = a·(keep ? x : −α′) + a·α′·p
  /// ```
  /// Outside training, the input itself.
  ///
  /// Derivative: `a` where kept, 0 where dropped.
  /// - Precondition: a real floating input; `p` in [0, 1].
  public static func alphaDropout<G: RandomNumberGenerator>(
    _ input: Tensor, p: Double = 0.5, training: Bool = false, using generator: inout G
  ) -> Tensor {
    alphaDropped(input, p: p, training: training, featureDims: 0, op: "nn.functional.alpha_dropout", using: &generator)
  }

  /// Feature alpha dropout, like `torch.nn.functional.feature_alpha_dropout`:
  /// ``alphaDropout(_:p:training:using:)`` of whole channels (one draw per channel of an
  /// input `[N, C, *]`). Outside training, the input itself.
  ///
  /// Derivative: `a` in kept channels, 0 in dropped ones.
  /// - Precondition: a real floating input of at least 2 dims; `p` in [0, 1].
  public static func featureAlphaDropout<G: RandomNumberGenerator>(
    _ input: Tensor, p: Double = 0.5, training: Bool = false, using generator: inout G
  ) -> Tensor {
    alphaDropped(
      input, p: p, training: training, featureDims: Swift.max(input.rank - 2, 0), op: "nn.functional.feature_alpha_dropout",
      using: &generator)
  }

  /// ``alphaDropout(_:p:training:using:)`` with the system's random numbers.
  public static func alphaDropout(_ input: Tensor, p: Double = 0.5, training: Bool = false) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return alphaDropout(input, p: p, training: training, using: &g)
  }

  /// ``featureAlphaDropout(_:p:training:using:)`` with the system's random numbers.
  public static func featureAlphaDropout(_ input: Tensor, p: Double = 0.5, training: Bool = false) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return featureAlphaDropout(input, p: p, training: training, using: &g)
  }

  /// The alpha dropouts.
  static func alphaDropped<G: RandomNumberGenerator>(
    _ input: Tensor, p: Double, training: Bool, featureDims: Int, op: String, using generator: inout G
  ) -> Tensor {
    checkDropout(input, p: p, minimumRank: featureDims > 0 ? 2 : 0, op: op)
    check(!input.dtype.isComplex, "\(op): expected a real floating input, got \(input.dtype) \(input.shape)")
    guard training && p > 0 else { return input }
    let alpha = 1.7580993408473766
    if p == 1 { return input * 0 }
    let a = 1 / ((alpha * alpha * p + 1) * (1 - p)).squareRoot()
    let shape = maskShape(input, featureDims: featureDims)
    let keep = draws(shape, using: &generator).map { $0 >= p }
    let scale = Tensor(shape: shape, scalars: keep.map { $0 ? a : 0 }).converted(to: input.dtype)
    let shift = Tensor(shape: shape, scalars: keep.map { ($0 ? 0 : -alpha * a) + alpha * a * p }).converted(to: input.dtype)
    return input * scale + shift
  }

  /// Randomised leaky ReLU, like `torch.nn.functional.rrelu`: `x` where `x ≥ 0`, else `a·x`,
  /// with `a` drawn uniformly from `[lower, upper]` for every element in training and
  /// `(lower + upper)/2` otherwise.
  ///
  /// Derivative: 1 where `x ≥ 0`, `a` elsewhere (the same draws).
  /// - Parameters:
  ///   - input: a real floating tensor.
  ///   - lower: the lower end of the range of the negative slope.
  ///   - upper: the upper end of the range of the negative slope.
  ///   - training: whether to draw the slopes.
  ///   - generator: the source of randomness.
  /// - Precondition: a real floating input; `lower ≤ upper`.
  public static func rrelu<G: RandomNumberGenerator>(
    _ input: Tensor, lower: Double = 1.0 / 8, upper: Double = 1.0 / 3, training: Bool = false, using generator: inout G
  ) -> Tensor {
    let op = "nn.functional.rrelu"
    check(
      input.dtype.isFloatingPoint && !input.dtype.isComplex, "\(op): expected a real floating input, got \(input.dtype) \(input.shape)")
    check(lower <= upper, "\(op): lower \(lower) must not exceed upper \(upper)")
    guard training else { return input.leakyRelu(negativeSlope: (lower + upper) / 2) }
    let slopes = Tensor(shape: input.shape, scalars: draws(input.shape, using: &generator).map { lower + (upper - lower) * $0 })
    return Tensor.where(input.mask(.greaterEqual, 0), input, input * slopes.converted(to: input.dtype))
  }

  /// ``rrelu(_:lower:upper:training:using:)`` with the system's random numbers.
  public static func rrelu(_ input: Tensor, lower: Double = 1.0 / 8, upper: Double = 1.0 / 3, training: Bool = false) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return rrelu(input, lower: lower, upper: upper, training: training, using: &g)
  }
}
