/// A point or direction in parameter space for the second-order optimizers: the leaves of a
/// ``TensorTree`` as plain tensors, with the vector-space operations those algorithms need.
///
/// Internal and deliberately small: a public tree map will replace it.
struct LeafVector {
  var tensors: [Tensor]

  init(_ tensors: [Tensor]) { self.tensors = tensors }

  /// The leaves of `tree`, without autodiff state.
  init<T: TensorTree>(leavesOf tree: T) { tensors = tree.leaves.map(\.detached) }

  /// The tree of `template`'s structure holding these tensors.
  func tree<T: TensorTree>(like template: T) -> T { template.rebuilt(from: tensors) }

  /// Zeros of this vector's shapes and dtypes.
  var zeros: LeafVector { LeafVector(tensors.map { Tensor.zeros(like: $0) }) }

  static func + (a: LeafVector, b: LeafVector) -> LeafVector { LeafVector(zip(a.tensors, b.tensors).map { $0 + $1 }) }
  static func - (a: LeafVector, b: LeafVector) -> LeafVector { LeafVector(zip(a.tensors, b.tensors).map { $0 - $1 }) }
  static func * (s: Double, a: LeafVector) -> LeafVector { LeafVector(a.tensors.map { $0 * s }) }
  static prefix func - (a: LeafVector) -> LeafVector { LeafVector(a.tensors.map { -$0 }) }

  /// a + s·b.
  func adding(_ b: LeafVector, scaledBy s: Double) -> LeafVector {
    LeafVector(zip(tensors, b.tensors).map { $0 + $1 * s })
  }

  /// The inner product Σᵢ ⟨aᵢ, bᵢ⟩ over all elements.
  func dot(_ b: LeafVector) -> Double {
    var s = 0.0
    for (x, y) in zip(tensors, b.tensors) where x.count > 0 { s += x.reshaped([-1]).vdot(y.reshaped([-1])).scalar }
    return s
  }

  /// The Euclidean norm.
  var norm: Double { dot(self).squareRoot() }

  /// The largest absolute element (0 for no elements); NaN when an element is NaN.
  var maxAbs: Double {
    var m = 0.0
    for x in tensors where x.count > 0 {
      let v = x.abs().max().scalar
      if v.isNaN { return .nan }
      m = Swift.max(m, v)
    }
    return m
  }

  /// The sum of absolute elements.
  var l1Norm: Double { tensors.reduce(0) { $0 + ($1.count > 0 ? $1.abs().sum().scalar : 0) } }

  /// The value of `f` and its gradient (by reverse mode) at `x`, a point of `template`'s
  /// structure.
  static func valueAndGradient<T: TensorTree>(
    of f: (T) throws -> Tensor, at x: LeafVector, like template: T
  ) rethrows -> (Double, LeafVector) {
    let (v, g) = try valueWithGradient(of: f, at: x.tree(like: template))
    return (v.scalar, LeafVector(leavesOf: g))
  }

  /// The number of scalars.
  var count: Int { tensors.reduce(0) { $0 + $1.count } }
}
