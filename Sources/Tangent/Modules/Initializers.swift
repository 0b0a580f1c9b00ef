extension NN {
  /// Parameter initialisers with `torch.nn.init`'s formulas, drawing from any generator (a
  /// ``SeededGenerator`` makes them reproducible; the streams differ from PyTorch's).
  ///
  /// For a weight of shape `[out, in, k…]`, `fanIn = in·∏k` and `fanOut = out·∏k`. The
  /// layers' defaults are PyTorch's: ``Linear`` and the convolutions draw their weight with
  /// ``kaimingUniform(_:a:mode:nonlinearity:dtype:using:)`` at `a = √5` (which gives
  /// U(−1/√fanIn, 1/√fanIn)) and their bias from U(−1/√fanIn, 1/√fanIn).
  public enum Init {
    /// Which fan a Kaiming initialiser divides by: `fanIn` keeps the forward pass's variance,
    /// `fanOut` the backward pass's.
    public enum FanMode: Sendable { case fanIn, fanOut }

    /// The nonlinearity whose gain a Kaiming initialiser uses, as `torch.nn.init.calculate_gain`.
    public enum Nonlinearity: Sendable {
      /// Gain 1 (also for convolutions and sigmoid).
      case linear
      /// Gain 1.
      case sigmoid
      /// Gain 5/3.
      case tanh
      /// Gain √2.
      case relu
      /// Gain √(2/(1 + a²)), with `a` the negative slope.
      case leakyRelu
      /// Gain 3/4.
      case selu
    }

    /// The recommended gain of a nonlinearity, as `torch.nn.init.calculate_gain`.
    /// - Parameters:
    ///   - nonlinearity: the nonlinearity.
    ///   - a: the negative slope of the leaky ReLU (ignored otherwise).
    public static func gain(_ nonlinearity: Nonlinearity, a: Double = 0.01) -> Double {
      switch nonlinearity {
      case .linear, .sigmoid: 1
      case .tanh: 5.0 / 3
      case .relu: 2.0.squareRoot()
      case .leakyRelu: (2 / (1 + a * a)).squareRoot()
      case .selu: 0.75
      }
    }

    /// The fans of a weight shape `[out, in, k…]`: `(in·∏k, out·∏k)`, as PyTorch's
    /// `_calculate_fan_in_and_fan_out`.
    /// - Precondition: at least 2 dims.
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
      check(shape.count >= 2, "nn.init: fans need a shape of at least 2 dims, got \(shape)")
      let receptive = shape.dropFirst(2).reduce(1, *)
      return (shape[1] * receptive, shape[0] * receptive)
    }

    /// Samples of U(low, high), like `torch.nn.init.uniform_`.
    /// - Precondition: a floating dtype and `low ≤ high`.
    public static func uniform<G: RandomNumberGenerator>(
      _ shape: [Int], low: Double = 0, high: Double = 1, dtype: DType = .float64, using generator: inout G
    ) -> Tensor {
      check(low <= high, "nn.init.uniform: expected low <= high, got \(low) and \(high)")
      return Tensor.rand(shape, dtype: dtype, using: &generator) * (high - low) + low
    }

    /// Samples of N(mean, std²), like `torch.nn.init.normal_`.
    /// - Precondition: a floating dtype and `std ≥ 0`.
    public static func normal<G: RandomNumberGenerator>(
      _ shape: [Int], mean: Double = 0, std: Double = 1, dtype: DType = .float64, using generator: inout G
    ) -> Tensor {
      check(std >= 0, "nn.init.normal: expected std >= 0, got \(std)")
      return Tensor.randn(shape, dtype: dtype, using: &generator) * std + mean
    }

    /// Zeros, like `torch.nn.init.zeros_`.
    public static func zeros(_ shape: [Int], dtype: DType = .float64) -> Tensor { Tensor.zeros(shape, dtype: dtype) }

    /// Ones, like `torch.nn.init.ones_`.
    public static func ones(_ shape: [Int], dtype: DType = .float64) -> Tensor { Tensor.ones(shape, dtype: dtype) }

    /// Xavier (Glorot) uniform samples, like `torch.nn.init.xavier_uniform_`:
    /// U(−b, b) with `b = gain·√(6/(fanIn + fanOut))`.
    /// - Precondition: a shape of at least 2 dims.
    public static func xavierUniform<G: RandomNumberGenerator>(
      _ shape: [Int], gain: Double = 1, dtype: DType = .float64, using generator: inout G
    ) -> Tensor {
      let (fanIn, fanOut) = fans(shape)
      let bound = gain * (6 / Double(fanIn + fanOut)).squareRoot()
      return uniform(shape, low: -bound, high: bound, dtype: dtype, using: &generator)
    }

    /// Xavier (Glorot) normal samples, like `torch.nn.init.xavier_normal_`:
    /// N(0, σ²) with `σ = gain·√(2/(fanIn + fanOut))`.
    /// - Precondition: a shape of at least 2 dims.
    public static func xavierNormal<G: RandomNumberGenerator>(
      _ shape: [Int], gain: Double = 1, dtype: DType = .float64, using generator: inout G
    ) -> Tensor {
      let (fanIn, fanOut) = fans(shape)
      return normal(shape, std: gain * (2 / Double(fanIn + fanOut)).squareRoot(), dtype: dtype, using: &generator)
    }

    /// Kaiming (He) uniform samples, like `torch.nn.init.kaiming_uniform_`: U(−b, b) with
    /// `b = √3·gain/√fan`, the gain of `nonlinearity` at slope `a`. PyTorch's layers use
    /// `a = √5` (leaky ReLU), which gives `b = 1/√fanIn`.
    /// - Precondition: a shape of at least 2 dims with a nonzero fan.
    public static func kaimingUniform<G: RandomNumberGenerator>(
      _ shape: [Int], a: Double = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu,
      dtype: DType = .float64, using generator: inout G
    ) -> Tensor {
      let bound = 3.0.squareRoot() * kaimingStd(shape, a: a, mode: mode, nonlinearity: nonlinearity, op: "kaiming_uniform")
      return uniform(shape, low: -bound, high: bound, dtype: dtype, using: &generator)
    }

    /// Kaiming (He) normal samples, like `torch.nn.init.kaiming_normal_`: N(0, σ²) with
    /// `σ = gain/√fan`.
    /// - Precondition: a shape of at least 2 dims with a nonzero fan.
    public static func kaimingNormal<G: RandomNumberGenerator>(
      _ shape: [Int], a: Double = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu,
      dtype: DType = .float64, using generator: inout G
    ) -> Tensor {
      normal(shape, std: kaimingStd(shape, a: a, mode: mode, nonlinearity: nonlinearity, op: "kaiming_normal"), dtype: dtype, using: &generator)
    }

    static func kaimingStd(_ shape: [Int], a: Double, mode: FanMode, nonlinearity: Nonlinearity, op: String) -> Double {
      let (fanIn, fanOut) = fans(shape)
      let fan = mode == .fanIn ? fanIn : fanOut
      check(fan > 0, "nn.init.\(op): the fan of shape \(shape) is 0")
      return gain(nonlinearity, a: a) / Double(fan).squareRoot()
    }

    /// PyTorch's default initialisation of a layer with this weight shape (`Linear`, `ConvNd`):
    /// the weight from ``kaimingUniform(_:a:mode:nonlinearity:dtype:using:)`` at `a = √5` and
    /// the bias from U(−1/√fanIn, 1/√fanIn).
    /// - Returns: the weight and a `[out]` bias (`nil` when `bias` is false).
    static func layerDefault<G: RandomNumberGenerator>(
      weight shape: [Int], bias: Bool, dtype: DType, using generator: inout G
    ) -> (weight: Tensor, bias: Tensor?) {
      let weight = kaimingUniform(shape, a: 5.0.squareRoot(), dtype: dtype, using: &generator)
      guard bias else { return (weight, nil) }
      let fanIn = fans(shape).fanIn
      let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
      return (weight, uniform([shape[0]], low: -bound, high: bound, dtype: dtype, using: &generator))
    }
  }
}
