/// A first-order optimizer: it updates parameters in place from the gradient of a loss, as
/// `torch.optim.SGD`, `Adam` and `AdamW` do, one ``step(_:gradient:)`` at a time.
///
/// An optimizer is a value. It holds its hyperparameters as stored properties (change
/// `learningRate` between steps to schedule it) and its state, one value per parameter tensor
/// (a momentum buffer, Adam's moments), created at the first step with the parameters'
/// shapes and dtypes. Copying an optimizer copies its state (copy-on-write), so a saved copy
/// is a checkpoint. The parameters are any ``TensorTree`` (a tensor, arrays and dictionaries
/// of tensors, your own structs); the state follows their ``TensorTree/leaves`` in order, and
/// every later step must pass parameters of the same structure (or call ``resetState()``).
///
/// ```swift
/// var params: [String: Tensor] = ["w": Tensor.randn([784, 10]) * 0.01, "b": Tensor.zeros([10])]
/// var optimizer = Adam(learningRate: 1e-3)
/// for _ in 0..<100 {
///   let loss = optimizer.step(&params) { p in NN.crossEntropy(x.matmul(p["w"]!) + p["b"]!, labels) }
/// }
/// ```
///
/// The update of one tensor is one fused pass over its elements, on plain values: it reads
/// the parameter, its gradient and its state, writes a new parameter and updates the state
/// buffers in place when they are not shared. Updates are not differentiated (they act on the
/// parameters' values, like PyTorch's `torch.no_grad()` inside `optimizer.step()`). A parameter
/// that is a leaf requiring a gradient (the imperative style: ``Tensor/requiringGrad()``, then
/// ``Tensor/backward(seed:retainGraph:createGraph:)`` and ``Tensor/grad``) stays one after the
/// step, as a new leaf with no accumulated gradient.
public protocol Optimizer {
  /// The number of steps taken since creation or the last ``resetState()``.
  var stepCount: Int { get }

  /// Updates `parameters` by one step, given the gradient of the loss at them.
  ///
  /// - Parameters:
  ///   - parameters: the parameters, updated in place; `float32` or `float64` tensors.
  ///   - gradient: the gradient of the loss at `parameters`, of the same structure, shapes and
  ///     dtypes.
  /// - Precondition: `gradient` has the structure, shapes and dtypes of `parameters`, and
  ///   `parameters` has the structure of the first step's (the message names the optimizer
  ///   and the tensor).
  mutating func step<Parameters: TensorTree>(_ parameters: inout Parameters, gradient: Parameters)

  /// Forgets the per-tensor state and the step count, as a freshly created optimizer.
  mutating func resetState()
}

extension Optimizer {
  /// Computes the loss and its gradient at `parameters` by reverse mode, then takes one
  /// ``step(_:gradient:)``.
  ///
  /// - Parameters:
  ///   - parameters: the parameters, updated in place.
  ///   - loss: the scalar loss as a function of the parameters.
  /// - Returns: the loss at the parameters before the step.
  /// - Precondition: `loss` returns a single element.
  @discardableResult
  public mutating func step<Parameters: TensorTree>(
    _ parameters: inout Parameters, loss: (Parameters) throws -> Tensor
  ) rethrows -> Tensor {
    let (value, g) = try valueWithGradient(of: loss, at: parameters)
    step(&parameters, gradient: g)
    return value.detached
  }
}
