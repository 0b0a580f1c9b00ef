/// Operations over ``TensorTree`` values leaf by leaf, like JAX's `jax.tree` module.
public enum Tree {
  /// `a` with every leaf replaced by `transform` of it, like `jax.tree.map(f, a)`.
  public static func map<A: TensorTree>(_ a: A, _ transform: (Tensor) throws -> Tensor) rethrows -> A {
    a.rebuilt(from: try a.leaves.map(transform))
  }

  /// A tree of `a`'s structure whose leaf i is `transform` of the trees' leaves i, like
  /// `jax.tree.map(f, a, b)`. The trees may be of different types (parameters and their
  /// gradients in a `[String: Tensor]`, say) but must have the same structure.
  ///
  /// ```swift
  /// let updated = Tree.map(params, grads) { p, g in p - 0.01 * g }
  /// ```
  /// - Parameters:
  ///   - a: the first tree, whose structure (and type) the result has.
  ///   - b: the second tree.
  ///   - requiringEqualShapes: whether leaf i must have one shape in every tree (the
  ///     default); pass `false` when `transform` broadcasts or reshapes.
  ///   - transform: the function of the trees' leaves i, giving the result's leaf i.
  /// - Precondition: the trees have the same number of leaves (and, by default, shapes);
  ///   the message names `Tree.map`, the tree and the leaf.
  public static func map<A: TensorTree, B: TensorTree>(
    _ a: A, _ b: B, requiringEqualShapes: Bool = true, _ transform: (Tensor, Tensor) throws -> Tensor
  ) rethrows -> A {
    let (la, lb) = (a.leaves, b.leaves)
    checkSameStructure([la, lb], requiringEqualShapes)
    return a.rebuilt(from: try la.indices.map { try transform(la[$0], lb[$0]) })
  }

  /// `jax.tree.map(f, a, b, c)`: see ``map(_:_:requiringEqualShapes:_:)``.
  public static func map<A: TensorTree, B: TensorTree, C: TensorTree>(
    _ a: A, _ b: B, _ c: C, requiringEqualShapes: Bool = true,
    _ transform: (Tensor, Tensor, Tensor) throws -> Tensor
  ) rethrows -> A {
    let (la, lb, lc) = (a.leaves, b.leaves, c.leaves)
    checkSameStructure([la, lb, lc], requiringEqualShapes)
    return a.rebuilt(from: try la.indices.map { try transform(la[$0], lb[$0], lc[$0]) })
  }

  /// `jax.tree.map(f, a, b, c, d)`: see ``map(_:_:requiringEqualShapes:_:)``.
  public static func map<A: TensorTree, B: TensorTree, C: TensorTree, D: TensorTree>(
    _ a: A, _ b: B, _ c: C, _ d: D, requiringEqualShapes: Bool = true,
    _ transform: (Tensor, Tensor, Tensor, Tensor) throws -> Tensor
  ) rethrows -> A {
    let (la, lb, lc, ld) = (a.leaves, b.leaves, c.leaves, d.leaves)
    checkSameStructure([la, lb, lc, ld], requiringEqualShapes)
    return a.rebuilt(from: try la.indices.map { try transform(la[$0], lb[$0], lc[$0], ld[$0]) })
  }

  /// Stops unless every tree has the first one's leaf count (and leaf shapes).
  static func checkSameStructure(_ trees: [[Tensor]], _ shapes: Bool) {
    let first = trees[0]
    for (t, leaves) in trees.enumerated().dropFirst() {
      check(
        leaves.count == first.count,
        "Tree.map: tree \(t + 1) has \(leaves.count) leaves and tree 1 has \(first.count); the trees must have the same structure")
      guard shapes else { continue }
      for (i, (p, q)) in zip(first, leaves).enumerated() where p.shape != q.shape {
        misuse("Tree.map: leaf \(i) has shape \(q.shape) in tree \(t + 1) and \(p.shape) in tree 1; the trees must have the same leaf shapes (pass requiringEqualShapes: false to allow others)")
      }
    }
  }
}
