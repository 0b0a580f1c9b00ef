/// Layers applied one after another, like `torch.nn.Sequential`: the children are named
/// `"0"`, `"1"`, …, so the first layer's weight is `"0.weight"`.
///
/// ```swift
/// var gen = SeededGenerator(seed: 0)
/// let model = Sequential(Linear(4, 16, using: &gen), Activation.tanh, Linear(16, 3, using: &gen))
/// ```
public struct Sequential: Module {
  /// The layers, in order.
  public var layers: [any Module<Tensor, Tensor>]

  /// The given layers.
  public init(_ layers: [any Module<Tensor, Tensor>]) { self.layers = layers }

  /// The given layers.
  public init(_ layers: any Module<Tensor, Tensor>...) { self.layers = layers }

  /// A multilayer perceptron: `Linear` layers between consecutive `widths`, each but the
  /// last followed by `activation`, as torchvision's `MLP` (without dropout or norm layers).
  /// With `widths: [4, 32, 32, 3]` the children are `Linear(4, 32)`, the activation,
  /// `Linear(32, 32)`, the activation, `Linear(32, 3)`, named `"0"` to `"4"`.
  /// - Parameters:
  ///   - widths: the input size, the hidden sizes, the output size (at least 2 numbers).
  ///   - activation: the nonlinearity between layers.
  ///   - bias: whether the linear layers have a bias.
  ///   - dtype: the parameters' dtype.
  ///   - generator: the source of the initial values (PyTorch's default initialisation).
  /// - Precondition: at least 2 positive widths.
  public static func mlp<G: RandomNumberGenerator>(
    widths: [Int], activation: Activation = .relu, bias: Bool = true, dtype: DType = .float64, using generator: inout G
  ) -> Sequential {
    check(widths.count >= 2, "nn.MLP: expected at least an input and an output width, got \(widths)")
    var layers: [any Module<Tensor, Tensor>] = []
    for i in 0..<(widths.count - 1) {
      if i > 0 { layers.append(activation) }
      layers.append(Linear(widths[i], widths[i + 1], bias: bias, dtype: dtype, using: &generator))
    }
    return Sequential(layers)
  }

  /// The layers' outputs, each fed to the next.
  public mutating func forward(_ input: Tensor) -> Tensor {
    var x = input
    for i in layers.indices { x = layers[i].forward(x) }
    return x
  }

  /// The layers, as children `"0"`, `"1"`, ….
  public mutating func visit(_ visitor: inout ModuleVisitor) {
    for i in layers.indices { visitor.child(String(i), &layers[i]) }
  }
}

/// An elementwise nonlinearity as a layer with no parameters (`torch.nn.ReLU`, `Tanh`, …).
public struct Activation: Module, Sendable {
  /// The function's name, as shown in descriptions.
  public let name: String
  let function: @Sendable (Tensor) -> Tensor

  /// A layer applying `function`.
  public init(_ name: String, _ function: @escaping @Sendable (Tensor) -> Tensor) {
    self.name = name
    self.function = function
  }

  /// `max(x, 0)`.
  public static let relu = Activation("relu") { $0.relu() }
  /// `tanh(x)`.
  public static let tanh = Activation("tanh") { $0.tanh() }
  /// `1/(1 + e⁻ˣ)`.
  public static let sigmoid = Activation("sigmoid") { $0.sigmoid() }
  /// `x·σ(x)`.
  public static let silu = Activation("silu") { $0.silu() }
  /// The exact GELU, `x·Φ(x)`.
  public static let gelu = Activation("gelu") { $0.gelu() }

  /// The function of the input.
  public mutating func forward(_ input: Tensor) -> Tensor { function(input) }

  /// Nothing: no parameters.
  public mutating func visit(_ visitor: inout ModuleVisitor) {}
}
