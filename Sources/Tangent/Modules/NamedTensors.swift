/// Tensors with names, in a fixed order: a module's parameters or buffers, like the
/// `(name, tensor)` pairs of PyTorch's `named_parameters()` and `named_buffers()`.
///
/// A name is the path of the tensor in the module, with dots between the parts:
/// `"0.weight"` for the weight of the first layer of a ``Sequential``, `"layers.2.bias"` for
/// a field `layers` holding one. The names are PyTorch's state-dict keys for the same model.
///
/// `NamedTensors` is a ``TensorTree`` whose leaves are the tensors in order, so every
/// transform, `ravel`, `Tree.map` and the optimizers take it as it is; a tree rebuilt from new
/// leaves keeps the names.
///
/// ```swift
/// var p = model.parameters             // NamedTensors
/// p["0.weight"]                        // a Tensor?
/// for (name, t) in p { print(name, t.shape) }
/// ```
public struct NamedTensors: TensorTree, Sequence, CustomStringConvertible {
  /// The names, in order.
  public private(set) var names: [String]
  /// The tensors, in the order of ``names``.
  public private(set) var tensors: [Tensor]

  /// Empty.
  public init() {
    names = []
    tensors = []
  }

  /// The given pairs, in order.
  /// - Precondition: the names are distinct.
  public init(_ pairs: [(String, Tensor)]) {
    names = pairs.map(\.0)
    tensors = pairs.map(\.1)
    check(Set(names).count == names.count, "NamedTensors: duplicate names in \(names)")
  }

  /// The number of tensors.
  public var count: Int { tensors.count }

  /// The total number of elements of the tensors (the model's parameter count).
  public var scalarCount: Int { tensors.reduce(0) { $0 + $1.count } }

  /// The tensor with this name, or `nil`. Setting replaces an existing tensor or appends a
  /// new one; setting `nil` removes it.
  public subscript(name: String) -> Tensor? {
    get { names.firstIndex(of: name).map { tensors[$0] } }
    set {
      if let i = names.firstIndex(of: name) {
        if let newValue { tensors[i] = newValue } else { names.remove(at: i); tensors.remove(at: i) }
      } else if let newValue {
        names.append(name)
        tensors.append(newValue)
      }
    }
  }

  /// The pairs as a dictionary (a ``TensorTree`` too, ordered by sorted name).
  public var dictionary: [String: Tensor] { Dictionary(uniqueKeysWithValues: zip(names, tensors)) }

  /// Iterates over `(name, tensor)` pairs in order.
  public func makeIterator() -> Zip2Sequence<[String], [Tensor]>.Iterator { zip(names, tensors).makeIterator() }

  /// The tensors, in order.
  public var leaves: [Tensor] { tensors }

  /// The same names with the next tensors.
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> NamedTensors {
    check(leaves.count >= tensors.count, "TensorTree: too few tensors to rebuild NamedTensors of \(tensors.count)")
    var copy = self
    copy.tensors = Array(leaves.prefix(tensors.count))
    leaves.removeFirst(tensors.count)
    return copy
  }

  /// One line per tensor: its name, shape and dtype.
  public var description: String {
    zip(names, tensors).map { "\($0): \($1.shape) \($1.dtype)" }.joined(separator: "\n")
  }

  /// Appends a pair (used by the module visitor).
  mutating func append(_ name: String, _ tensor: Tensor) {
    names.append(name)
    tensors.append(tensor)
  }
}
