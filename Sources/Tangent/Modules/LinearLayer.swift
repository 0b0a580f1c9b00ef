/// A fully connected layer, `y = x·Wᵀ + b`, like `torch.nn.Linear`.
///
/// Parameters `weight` `[out, in]` and `bias` `[out]` (named `"weight"` and `"bias"`),
/// initialised as PyTorch does: both from U(−1/√in, 1/√in) (``NN/Init/kaimingUniform(_:a:mode:nonlinearity:dtype:using:)``
/// at `a = √5` for the weight).
public struct Linear: Module {
  /// The weight, `[out, in]`.
  public var weight: Tensor
  /// The bias, `[out]`, or `nil` for a layer without one.
  public var bias: Tensor?

  /// A layer with PyTorch's default initialisation, drawn from `generator`.
  /// - Parameters:
  ///   - inFeatures: the input size.
  ///   - outFeatures: the output size.
  ///   - bias: whether the layer adds a bias.
  ///   - dtype: the parameters' dtype.
  ///   - generator: the source of the initial values.
  /// - Precondition: positive sizes and a real floating dtype.
  public init<G: RandomNumberGenerator>(
    _ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType = .float64, using generator: inout G
  ) {
    check(inFeatures > 0 && outFeatures > 0, "nn.Linear: sizes must be positive, got \(inFeatures) and \(outFeatures)")
    check(dtype.isFloatingPoint && !dtype.isComplex, "nn.Linear: expected a real floating dtype, got \(dtype)")
    (weight, self.bias) = NN.Init.layerDefault(weight: [outFeatures, inFeatures], bias: bias, dtype: dtype, using: &generator)
  }

  /// A layer with PyTorch's default initialisation from the system's random numbers.
  public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType = .float64) {
    var g = SystemRandomNumberGenerator()
    self.init(inFeatures, outFeatures, bias: bias, dtype: dtype, using: &g)
  }

  /// A layer with the given parameters.
  /// - Precondition: `weight` is 2-d and `bias`, when given, is `[out]`.
  public init(weight: Tensor, bias: Tensor?) {
    check(weight.rank == 2, "nn.Linear: the weight must be [out, in], got \(weight.shape)")
    check(bias == nil || bias!.shape == [weight.shape[0]], "nn.Linear: the bias must be [\(weight.shape[0])], got \(bias?.shape ?? [])")
    self.weight = weight
    self.bias = bias
  }

  /// `input·weightᵀ + bias` over the last dim of `input` (``NN/linear(_:weight:bias:)``).
  public mutating func forward(_ input: Tensor) -> Tensor { NN.linear(input, weight: weight, bias: bias) }

  /// The parameters `weight` and `bias`.
  public mutating func visit(_ visitor: inout ModuleVisitor) {
    visitor.parameter("weight", &weight)
    visitor.parameter("bias", &bias)
  }
}
