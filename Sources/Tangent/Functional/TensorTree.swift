/// A value made of tensors, such as a model's parameters, that the functional transforms can
/// take apart and rebuild, as JAX does with pytrees.
///
/// `Tensor` is a tree with one leaf; arrays and string-keyed dictionaries of trees are trees.
/// A struct conforms by declaring it (`struct MLP: TensorTree { ... }`): the default
/// implementations find its stored tensor and tree fields by reflection (see ``TreeStatic``
/// for fields that are not parameters). A type can instead list its tensors' key paths with
/// ``KeyPathTensorTree``, or implement the two requirements.
public protocol TensorTree {
  /// The tensors, in a fixed order.
  var leaves: [Tensor] { get }
  /// A copy of this value with its tensors replaced by the next ones from `leaves`, taken in
  /// the order of ``leaves``.
  func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> Self
}

extension TensorTree {
  /// A copy of this value with all its tensors replaced, in the order of ``leaves``.
  /// - Precondition: exactly as many tensors as this value has leaves.
  public func rebuilt(from leaves: [Tensor]) -> Self {
    var slice = leaves[...]
    let r = replacingLeaves(&slice)
    check(slice.isEmpty, "TensorTree: \(leaves.count) tensors given for a value with \(leaves.count - slice.count) leaves")
    return r
  }

  /// This value with every tensor mapped by `transform`.
  public func mapLeaves(_ transform: (Tensor) -> Tensor) -> Self { rebuilt(from: leaves.map(transform)) }
}

extension Tensor: TensorTree {
  /// A tensor is its own single leaf.
  public var leaves: [Tensor] { [self] }
  /// Takes the next tensor.
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> Tensor {
    check(!leaves.isEmpty, "TensorTree: too few tensors to rebuild the value")
    return leaves.removeFirst()
  }
}

extension Array: TensorTree where Element: TensorTree {
  /// The leaves of the elements, in order.
  // A closure, not the key path `\.leaves`: a key path through the generic `Element` is
  // instantiated at run time on every call, which cost microseconds per transform.
  public var leaves: [Tensor] { flatMap { $0.leaves } }
  /// Rebuilds each element in order.
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> [Element] {
    map { $0.replacingLeaves(&leaves) }
  }
}

extension Dictionary: TensorTree where Key == String, Value: TensorTree {
  /// The leaves of the values, in the order of the sorted keys.
  public var leaves: [Tensor] { keys.sorted().flatMap { self[$0]!.leaves } }
  /// Rebuilds each value, in the order of the sorted keys.
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> [String: Value] {
    var out: [String: Value] = [:]
    for k in keys.sorted() { out[k] = self[k]!.replacingLeaves(&leaves) }
    return out
  }
}

/// A struct of tensors that is a ``TensorTree`` by listing the key paths of its tensors.
///
/// ```swift
/// struct Layer: KeyPathTensorTree {
///   var weight: Tensor
///   var bias: Tensor
///   static var tensorKeyPaths: [WritableKeyPath<Layer, Tensor>] { [\.weight, \.bias] }
/// }
/// ```
public protocol KeyPathTensorTree: TensorTree {
  /// The key paths of the tensors, in a fixed order.
  static var tensorKeyPaths: [WritableKeyPath<Self, Tensor>] { get }
}

extension KeyPathTensorTree {
  /// The tensors at ``tensorKeyPaths``.
  public var leaves: [Tensor] { Self.tensorKeyPaths.map { self[keyPath: $0] } }
  /// Replaces the tensors at ``tensorKeyPaths``.
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> Self {
    var copy = self
    for kp in Self.tensorKeyPaths {
      check(!leaves.isEmpty, "TensorTree: too few tensors to rebuild \(Self.self)")
      copy[keyPath: kp] = leaves.removeFirst()
    }
    return copy
  }
}
