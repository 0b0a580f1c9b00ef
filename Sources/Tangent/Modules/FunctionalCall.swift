/// Calls `module` with other parameters, like `torch.func.functional_call`: the module's
/// output when its parameters are `parameters`. The module itself is not changed.
///
/// This is how transforms are used with modules: differentiate, linearize or map the function
/// of the parameters.
///
/// ```swift
/// let p = model.parameters
/// let g = gradient(of: { p in NN.mseLoss(functionalCall(model, parameters: p, x), y) }, at: p)
/// let (out, dOut) = jvp(of: { p in functionalCall(model, parameters: p, x) }, at: p, along: v)
/// ```
/// - Parameters:
///   - module: the module.
///   - parameters: all its parameters, with its names in its order (``Module/parameters``, or
///     a tree rebuilt from it).
///   - input: the input.
/// - Returns: the output.
/// - Precondition: the names are the module's, in its order.
public func functionalCall<M: Module>(_ module: M, parameters: NamedTensors, _ input: M.Input) -> M.Output {
  module.withParameters(parameters)(input)
}

/// Calls `module` with some of its parameters replaced by name, the others kept, like
/// `torch.func.functional_call` with a partial dictionary.
///
/// - Precondition: every name is one of the module's parameters.
public func functionalCall<M: Module>(_ module: M, parameters: [String: Tensor], _ input: M.Input) -> M.Output {
  module.withParameters(parameters)(input)
}

/// Calls `module` with other parameters and buffers, and returns the buffers as the call
/// left them: in training mode, ``BatchNorm``'s updated running statistics. This is the
/// explicit, functional form of a training-mode forward pass (as Flax's `mutable` outputs):
/// the new buffers are an output, and nothing changes until you assign them
/// (`model.buffers = result.buffers`).
///
/// The updated buffers are computed from the input's values only (detached); they carry no
/// derivative.
/// - Parameters:
///   - module: the module.
///   - parameters: all its parameters, with its names in its order.
///   - buffers: all its buffers, with its names in its order (``Module/buffers``).
///   - input: the input.
/// - Returns: the output and the buffers after the call.
/// - Precondition: the names are the module's, in its order.
public func functionalCall<M: Module>(
  _ module: M, parameters: NamedTensors, buffers: NamedTensors, _ input: M.Input
) -> (output: M.Output, buffers: NamedTensors) {
  var copy = module.withParameters(parameters)
  copy.buffers = buffers
  let output = copy.forward(input)
  return (output, copy.buffers)
}

extension Optimizer {
  /// Computes the loss of a module and its gradient with respect to the module's parameters
  /// by reverse mode, then takes one ``step(_:gradient:)`` on them.
  ///
  /// `loss` receives a copy of the module holding the parameters being differentiated. If it
  /// calls the mutating ``Module/forward(_:)`` (rather than `m(x)`), the buffers that call
  /// leaves (``BatchNorm``'s running statistics in training mode) are written back to
  /// `module` after the step: the update is explicit in the `inout` argument, and it is the
  /// only state the step changes besides the parameters.
  ///
  /// ```swift
  /// var adam = Adam(learningRate: 1e-2)
  /// for _ in 0..<100 {
  ///   adam.step(&model) { m in NN.crossEntropy(m.forward(x), labels) }
  /// }
  /// ```
  /// - Parameters:
  ///   - module: the module, whose parameters (and buffers, as above) are updated.
  ///   - loss: the scalar loss of the module.
  /// - Returns: the loss before the step.
  /// - Precondition: `loss` returns a single element.
  @discardableResult
  public mutating func step<M: Module>(_ module: inout M, loss: (inout M) throws -> Tensor) rethrows -> Tensor {
    let frozen = module
    let (value, g, buffers) = try valueWithGradient(
      of: { (p: NamedTensors) -> (Tensor, NamedTensors) in
        var m = frozen.withParameters(p)
        let l = try loss(&m)
        return (l, m.buffers)
      }, at: module.parameters)
    var p = module.parameters
    step(&p, gradient: g)
    module.parameters = p
    module.buffers = NamedTensors(zip(buffers.names, buffers.tensors.map(\.detached)).map { ($0, $1) })
    return value.detached
  }
}
