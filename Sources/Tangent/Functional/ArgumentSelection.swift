// Argument selection (JAX's `argnums`) for functions of two or three arguments; the design is
// explained on `TwoArgumentSelection`.

/// Two ``TensorTree`` values as one tree, `first`'s leaves then `second`'s: what a transform
/// differentiates when it differentiates two arguments at once (JAX's `argnums=(0, 1)`
/// tuple).
public struct TreePair<First: TensorTree, Second: TensorTree>: TensorTree {
  /// The first argument's part.
  public var first: First
  /// The second argument's part.
  public var second: Second

  /// Pairs two trees.
  public init(_ first: First, _ second: Second) {
    self.first = first
    self.second = second
  }

  /// `first`'s leaves, then `second`'s.
  public var leaves: [Tensor] { first.leaves + second.leaves }

  /// Rebuilds `first`, then `second`.
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> TreePair {
    let a = first.replacingLeaves(&leaves)
    return TreePair(a, second.replacingLeaves(&leaves))
  }
}

/// Three ``TensorTree`` values as one tree, leaves in argument order (JAX's
/// `argnums=(0, 1, 2)`).
public struct TreeTriple<First: TensorTree, Second: TensorTree, Third: TensorTree>: TensorTree {
  /// The first argument's part.
  public var first: First
  /// The second argument's part.
  public var second: Second
  /// The third argument's part.
  public var third: Third

  /// Groups three trees.
  public init(_ first: First, _ second: Second, _ third: Third) {
    self.first = first
    self.second = second
    self.third = third
  }

  /// The leaves of `first`, `second` and `third`, in order.
  public var leaves: [Tensor] { first.leaves + second.leaves + third.leaves }

  /// Rebuilds `first`, `second`, then `third`.
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> TreeTriple {
    let a = first.replacingLeaves(&leaves)
    let b = second.replacingLeaves(&leaves)
    return TreeTriple(a, b, third.replacingLeaves(&leaves))
  }
}

/// Which arguments of a function of two arguments a transform differentiates (JAX's
/// `argnums`): `.first`, `.second` or `.both`. `Selected` is the type the transform
/// differentiates with respect to, inferred from the choice.
///
/// ```swift
/// let jx = jacfwd(of: f, at: (x, y), wrt: .first)           // TreeJacobian<Out, X>
/// let (jx2, jy) = jacrev(of: f, at: (x, y), wrt: .both).perArgument()
/// let g = gradient(of: loss, at: (params, batch), wrt: .first)
/// ```
///
/// Design: the arguments are passed as a tuple, and each choice is a static member declared
/// only where `Selected` is the selected part's type (`A`, `B`, or ``TreePair`` of both), so
/// the compiler infers what the transform returns from the choice (`.first` gives a
/// `TreeJacobian<Out, A>`, `.both` one over `TreePair<A, B>`, split by `perArgument()` as JAX
/// returns a tuple for `argnums=(0, 1)`). A selection that does not exist is a compile error,
/// not a run-time index error as JAX's `argnums=2` on a two-argument function; unselected
/// arguments may be of any type (labels, sizes, a scale); and each transform needs one
/// generic overload per arity rather than one per selection. For one argument a closure
/// (`jacfwd(of: { f($0, y) }, at: x)`) does the same; the selection also differentiates
/// several arguments at once and reads like JAX.
public struct TwoArgumentSelection<A, B, Selected: TensorTree> {
  /// The selected part of the arguments.
  let select: (A, B) -> Selected
  /// The arguments with the selected part replaced.
  let merge: (Selected, A, B) -> (A, B)
}

extension TwoArgumentSelection where Selected == A {
  /// Differentiate with respect to the first argument (`argnums=0`).
  public static var first: TwoArgumentSelection { .init(select: { a, _ in a }, merge: { s, _, b in (s, b) }) }
}

extension TwoArgumentSelection where Selected == B {
  /// Differentiate with respect to the second argument (`argnums=1`).
  public static var second: TwoArgumentSelection { .init(select: { _, b in b }, merge: { s, a, _ in (a, s) }) }
}

extension TwoArgumentSelection where Selected == TreePair<A, B> {
  /// Differentiate with respect to both arguments (`argnums=(0, 1)`), as a ``TreePair``.
  public static var both: TwoArgumentSelection {
    .init(select: { TreePair($0, $1) }, merge: { s, _, _ in (s.first, s.second) })
  }
}

/// Which arguments of a function of three arguments a transform differentiates (JAX's
/// `argnums`). `Selected` is the type the transform differentiates with respect to: one
/// argument's type, a ``TreePair`` or a ``TreeTriple``.
public struct ThreeArgumentSelection<A, B, C, Selected: TensorTree> {
  /// The selected part of the arguments.
  let select: (A, B, C) -> Selected
  /// The arguments with the selected part replaced.
  let merge: (Selected, A, B, C) -> (A, B, C)
}

extension ThreeArgumentSelection where Selected == A {
  /// The first argument (`argnums=0`).
  public static var first: ThreeArgumentSelection { .init(select: { a, _, _ in a }, merge: { s, _, b, c in (s, b, c) }) }
}

extension ThreeArgumentSelection where Selected == B {
  /// The second argument (`argnums=1`).
  public static var second: ThreeArgumentSelection { .init(select: { _, b, _ in b }, merge: { s, a, _, c in (a, s, c) }) }
}

extension ThreeArgumentSelection where Selected == C {
  /// The third argument (`argnums=2`).
  public static var third: ThreeArgumentSelection { .init(select: { _, _, c in c }, merge: { s, a, b, _ in (a, b, s) }) }
}

extension ThreeArgumentSelection where Selected == TreePair<A, B> {
  /// The first and second arguments (`argnums=(0, 1)`).
  public static var firstAndSecond: ThreeArgumentSelection {
    .init(select: { a, b, _ in TreePair(a, b) }, merge: { s, _, _, c in (s.first, s.second, c) })
  }
}

extension ThreeArgumentSelection where Selected == TreePair<A, C> {
  /// The first and third arguments (`argnums=(0, 2)`).
  public static var firstAndThird: ThreeArgumentSelection {
    .init(select: { a, _, c in TreePair(a, c) }, merge: { s, _, b, _ in (s.first, b, s.second) })
  }
}

extension ThreeArgumentSelection where Selected == TreePair<B, C> {
  /// The second and third arguments (`argnums=(1, 2)`).
  public static var secondAndThird: ThreeArgumentSelection {
    .init(select: { _, b, c in TreePair(b, c) }, merge: { s, a, _, _ in (a, s.first, s.second) })
  }
}

extension ThreeArgumentSelection where Selected == TreeTriple<A, B, C> {
  /// All three arguments (`argnums=(0, 1, 2)`), as a ``TreeTriple``.
  public static var all: ThreeArgumentSelection {
    .init(select: { TreeTriple($0, $1, $2) }, merge: { s, _, _, _ in (s.first, s.second, s.third) })
  }
}

extension TreeJacobian {
  /// A Jacobian with respect to two arguments at once (`wrt: .both`) split into one Jacobian
  /// per argument, as JAX returns a tuple for `argnums=(0, 1)`.
  public func perArgument<A, B>() -> (TreeJacobian<Output, A>, TreeJacobian<Output, B>) where Input == TreePair<A, B> {
    let k = inputSkeleton.first.leaves.count
    return (columns(0..<k, inputSkeleton.first), columns(k..<inputShapes.count, inputSkeleton.second))
  }

  /// A Jacobian with respect to three arguments at once (`wrt: .all`) split into one
  /// Jacobian per argument.
  public func perArgument<A, B, C>() -> (TreeJacobian<Output, A>, TreeJacobian<Output, B>, TreeJacobian<Output, C>)
  where Input == TreeTriple<A, B, C> {
    let k1 = inputSkeleton.first.leaves.count, k2 = k1 + inputSkeleton.second.leaves.count
    return (
      columns(0..<k1, inputSkeleton.first), columns(k1..<k2, inputSkeleton.second),
      columns(k2..<inputShapes.count, inputSkeleton.third))
  }

  /// The Jacobian with respect to the input leaves in `range`, which make up `skeleton`.
  func columns<T: TensorTree>(_ range: Range<Int>, _ skeleton: T) -> TreeJacobian<Output, T> {
    TreeJacobian<Output, T>(
      blocks: blocks.map { Array($0[range]) }, outputSkeleton: outputSkeleton, inputSkeleton: skeleton,
      outputShapes: outputShapes, inputShapes: Array(inputShapes[range]))
  }
}
