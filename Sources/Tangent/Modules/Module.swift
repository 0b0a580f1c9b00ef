/// A layer or a model: a value holding named parameters (trained), named buffers (state such
/// as running statistics, never differentiated) and child modules, like `torch.nn.Module`.
///
/// A module is a struct. Calling it (`model(x)`) runs ``forward(_:)`` on a copy, so a call
/// never changes the module: in training mode ``BatchNorm`` normalises with the batch's
/// statistics and leaves its running statistics as they were. The running statistics change
/// only through the mutating ``forward(_:)``, which needs `inout` access to the module, or as
/// the explicit output of ``functionalCall(_:parameters:buffers:_:)``. A transform of a
/// closure that calls a module therefore cannot update its state behind your back. This is how
/// Tangent avoids PyTorch's trap with `jacrev` or `vmap` through BatchNorm in training mode,
/// where the forward pass updates the running statistics in place, so `torch.func.grad`,
/// `jacrev` and `vmap` of `functional_call` stop with an error about mutating a captured
/// tensor (checked with PyTorch 2.13) unless the model is put in evaluation mode.
///
/// The parameters are ``parameters``, a ``NamedTensors`` (a ``TensorTree``) with PyTorch's
/// names (`"0.weight"`), which the optimizers and transforms take directly; setting it
/// replaces the module's tensors. ``functionalCall(_:parameters:_:)-(M,NamedTensors,M.Input)``
/// calls a module with other parameters, as `torch.func.functional_call` does; that is how
/// `jvp`, `jacfwd`, `hessian` and `vmap` are used with modules.
///
/// To write a module, store its parameters as `Tensor` (or `Tensor?`) fields, its buffers
/// likewise, its children as fields of module types, and list them in ``visit(_:)``:
///
/// ```swift
/// struct Residual: Module {
///   var inner: Linear
///   var scale: Tensor
///   mutating func forward(_ x: Tensor) -> Tensor { x + scale * inner.forward(x) }
///   mutating func visit(_ v: inout ModuleVisitor) {
///     v.child("inner", &inner)
///     v.parameter("scale", &scale)
///   }
/// }
/// ```
public protocol Module<Input, Output> {
  /// The module's input (a `Tensor` for most layers).
  associatedtype Input
  /// The module's output (a `Tensor` for most layers).
  associatedtype Output

  /// Runs the module. In training mode, a layer with running statistics (``BatchNorm``)
  /// updates them in `self` from the input's values (detached: they take no part in
  /// differentiation); ``callAsFunction(_:)`` runs this on a copy and so changes nothing.
  mutating func forward(_ input: Input) -> Output

  /// Shows the module's parameters, buffers, children and training flag to `visitor`, in a
  /// fixed order, each by name (the visitor's `parameter(_:_:)`, `buffer(_:_:)`,
  /// ``ModuleVisitor/child(_:_:)`` and ``ModuleVisitor/trainingFlag(_:)``). Every other
  /// member of the module builds on it.
  mutating func visit(_ visitor: inout ModuleVisitor)
}

extension Module {
  /// Runs ``forward(_:)`` on a copy: the output, without changing the module (running
  /// statistics included).
  public func callAsFunction(_ input: Input) -> Output {
    var copy = self
    return copy.forward(input)
  }

  /// The parameters, named as in PyTorch's `named_parameters()` (`"0.weight"`), in the order
  /// of ``visit(_:)``. Setting replaces them.
  ///
  /// - Precondition (set): the names are this module's, in its order (as the getter returns
  ///   them, or a tree rebuilt from it), and each tensor has its parameter's shape; the
  ///   message names the first that differs.
  public var parameters: NamedTensors {
    get { collect(.parameter) }
    set { load(newValue, .parameter) }
  }

  /// The buffers: tensors of state that are not trained, such as ``BatchNorm``'s running
  /// statistics, named as in PyTorch's `named_buffers()`. Setting replaces them.
  ///
  /// - Precondition (set): the names are this module's, in its order.
  public var buffers: NamedTensors {
    get { collect(.buffer) }
    set { load(newValue, .buffer) }
  }

  /// This module with its parameters replaced (the others unchanged).
  ///
  /// - Parameter parameters: all the parameters, with this module's names in its order.
  /// - Precondition: the names are this module's, in its order.
  public func withParameters(_ parameters: NamedTensors) -> Self {
    var copy = self
    copy.parameters = parameters
    return copy
  }

  /// This module with the named parameters replaced, the others unchanged.
  /// - Precondition: every name is one of this module's parameters.
  public func withParameters(_ parameters: [String: Tensor]) -> Self {
    var copy = self
    var visitor = ModuleVisitor(action: .replaceByName(parameters))
    copy.visit(&visitor)
    let unknown = Set(parameters.keys).subtracting(visitor.replaced).sorted()
    check(unknown.isEmpty, "functionalCall: no parameters named \(unknown) in \(Self.self); its parameters are \(self.parameters.names)")
    return copy
  }

  /// Puts the module and its children in training mode (`true`, the default of a new layer)
  /// or evaluation mode, like `module.train(mode)`: ``Dropout`` drops only in training, and
  /// ``BatchNorm`` uses the batch's statistics in training and its running ones otherwise.
  public mutating func train(_ training: Bool = true) {
    var visitor = ModuleVisitor(action: .setTraining(training))
    visit(&visitor)
  }

  /// Puts the module and its children in evaluation mode, like `module.eval()`.
  public mutating func eval() { train(false) }

  /// Whether any layer of the module is in training mode (`false` for a module with no
  /// layer that depends on the mode).
  public var isTrainingAnywhere: Bool {
    var visitor = ModuleVisitor(action: .readTraining)
    var copy = self
    copy.visit(&visitor)
    return visitor.trainingFlags.contains(true)
  }

  func collect(_ kind: ModuleVisitor.Kind) -> NamedTensors {
    var visitor = ModuleVisitor(action: .collect(kind))
    var copy = self
    copy.visit(&visitor)
    return visitor.collected
  }

  mutating func load(_ values: NamedTensors, _ kind: ModuleVisitor.Kind) {
    var visitor = ModuleVisitor(action: .load(kind, values.names[...], values.tensors[...]))
    visit(&visitor)
    if case .load(_, let names, _) = visitor.action {
      check(
        names.isEmpty,
        "Module: \(values.count) \(kind)s given to \(Self.self), which has \(values.count - names.count); the extra ones start at \(names.first ?? "")")
    }
  }
}

/// The walk over a module's parameters, buffers, children and training flags that
/// ``Module/visit(_:)`` drives: a module calls one method per member, and the visitor reads
/// or replaces it.
public struct ModuleVisitor {
  enum Kind: String { case parameter, buffer }

  enum Action {
    case collect(Kind)
    case load(Kind, ArraySlice<String>, ArraySlice<Tensor>)
    case replaceByName([String: Tensor])
    case setTraining(Bool)
    case readTraining
  }

  var action: Action
  var prefix = ""
  var collected = NamedTensors()
  var replaced: Set<String> = []
  var trainingFlags: [Bool] = []

  init(action: Action) { self.action = action }

  /// A parameter: a tensor that is trained and differentiated.
  public mutating func parameter(_ name: String, _ tensor: inout Tensor) { member(.parameter, name, &tensor) }

  /// An optional parameter (a layer's bias, when it has one); `nil` is skipped.
  public mutating func parameter(_ name: String, _ tensor: inout Tensor?) {
    guard var t = tensor else { return }
    member(.parameter, name, &t)
    tensor = t
  }

  /// A buffer: state that is not trained (running statistics).
  public mutating func buffer(_ name: String, _ tensor: inout Tensor) { member(.buffer, name, &tensor) }

  /// An optional buffer; `nil` is skipped.
  public mutating func buffer(_ name: String, _ tensor: inout Tensor?) {
    guard var t = tensor else { return }
    member(.buffer, name, &t)
    tensor = t
  }

  /// A child module; its members are named `name.member`.
  public mutating func child<M: Module>(_ name: String, _ module: inout M) {
    let saved = prefix
    prefix += name + "."
    module.visit(&self)
    prefix = saved
  }

  /// The module's training flag (`true` in training mode), for a layer whose behaviour
  /// depends on the mode.
  public mutating func trainingFlag(_ flag: inout Bool) {
    switch action {
    case .setTraining(let value): flag = value
    case .readTraining: trainingFlags.append(flag)
    default: break
    }
  }

  mutating func member(_ kind: Kind, _ name: String, _ tensor: inout Tensor) {
    let full = prefix + name
    switch action {
    case .collect(let k) where k == kind:
      collected.append(full, tensor)
    case .load(let k, var names, var tensors) where k == kind:
      check(
        names.first == full,
        "Module: expected the \(kind) \(full) next, got \(names.first.map { "\($0)" } ?? "none"); set \(kind)s with this module's names in its order")
      names.removeFirst()
      let t = tensors.removeFirst()
      check(t.shape == tensor.shape, "Module: the \(kind) \(full) has shape \(tensor.shape), got \(t.shape)")
      tensor = t
      action = .load(k, names, tensors)
    case .replaceByName(let values) where kind == .parameter:
      if let t = values[full] {
        check(t.shape == tensor.shape, "functionalCall: the parameter \(full) has shape \(tensor.shape), got \(t.shape)")
        tensor = t
        replaced.insert(full)
      }
    default: break
    }
  }
}
