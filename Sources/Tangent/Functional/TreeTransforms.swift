/// The Jacobian of `f` at `x` by forward mode, for functions between ``TensorTree`` values
/// (structs of parameters, arrays, `[String: _]` dictionaries), like `jax.jacfwd` on pytrees.
///
/// The inputs' elements are numbered leaf by leaf (``ravel(_:)`` order) and pushed as one-hot
/// tangents, `chunkSize` per pass, so the cost is ⌈n / chunkSize⌉ evaluations of `f` on dual
/// tensors for n input elements. Leaves outside a pass's directions stay plain tensors.
/// The one-tensor form `jacfwd(of:at:chunkSize:)` is a separate, faster
/// path and returns a `Tensor`.
/// - Parameters:
///   - f: the function.
///   - x: the point.
///   - chunkSize: directions per pass; by default all of them, up to 64.
/// - Returns: one block per output and input leaf, block `(i, j)` of shape
///   `output leaf i's shape + input leaf j's shape` (see ``TreeJacobian``).
/// - Precondition: every leaf of `x` is floating (real or complex).
/// - Complexity: ⌈n / chunkSize⌉ evaluations of f on dual tensors.
public func jacfwd<In: TensorTree, Out: TensorTree>(
  of f: (In) throws -> Out, at x: In, chunkSize: Int? = nil
) rethrows -> TreeJacobian<Out, In> {
  try treeJacfwd(of: { (try f($0), ()) }, at: x, chunkSize: chunkSize, op: "jacfwd").jacobian
}

/// `jacfwd(of:at:chunkSize:)` for a function that also returns an auxiliary
/// value (JAX's `has_aux`): `f` returns `(output, aux)` and only the output is differentiated.
///
/// `f` runs once per pass; the aux of the first pass is returned. When the aux is a
/// ``TensorTree`` (a tensor, an array, a struct of tensors), this transform's tangents are
/// stripped from it, as JAX returns aux undifferentiated; another type is returned as it is,
/// so tensors inside it would still carry the closed dual level (put them in a tree).
public func jacfwd<In: TensorTree, Out: TensorTree, Aux>(
  of f: (In) throws -> (Out, Aux), at x: In, chunkSize: Int? = nil
) rethrows -> (jacobian: TreeJacobian<Out, In>, aux: Aux) {
  try treeJacfwd(of: f, at: x, chunkSize: chunkSize, op: "jacfwd")
}

/// `jacfwd(of:at:chunkSize:)` for a function of one tensor that also
/// returns an auxiliary value (JAX's `has_aux`); the aux is handled as in the tree form.
public func jacfwd<Aux>(
  of f: (Tensor) throws -> (Tensor, Aux), at x: Tensor, chunkSize: Int? = nil
) rethrows -> (jacobian: Tensor, aux: Aux) {
  let (j, aux) = try treeJacfwd(of: f, at: x, chunkSize: chunkSize, op: "jacfwd")
  return (j.blocks[0][0], aux)
}

/// The Jacobian of `f` at `x` by reverse mode, for functions between ``TensorTree`` values,
/// like `jax.jacrev` on pytrees.
///
/// `f` runs once, recorded; the output's elements are numbered leaf by leaf and pulled back
/// as one-hot cotangents, `chunkSize` per backward pass (only the output leaves a pass
/// touches are seeded), so f with m output elements costs ⌈m / chunkSize⌉ passes. Complex
/// values follow PyTorch's convention, as `vjp(of:at:chunked:)` does. The one-tensor form
/// `jacrev(of:at:chunkSize:)` is a separate, faster path.
/// - Parameters:
///   - f: the function.
///   - x: the point.
///   - chunkSize: cotangents per pass; by default all of them, up to 64.
/// - Returns: one block per output and input leaf, block `(i, j)` of shape
///   `output leaf i's shape + input leaf j's shape` (see ``TreeJacobian``).
/// - Precondition: every leaf of `x` and of `f(x)` is floating.
/// - Complexity: one evaluation of f and ⌈m / chunkSize⌉ backward passes.
public func jacrev<In: TensorTree, Out: TensorTree>(
  of f: (In) throws -> Out, at x: In, chunkSize: Int? = nil
) rethrows -> TreeJacobian<Out, In> {
  try treeJacrev(of: { (try f($0), ()) }, at: x, chunkSize: chunkSize, op: "jacrev").jacobian
}

/// `jacrev(of:at:chunkSize:)` for a function that also returns an auxiliary
/// value (JAX's `has_aux`). `f` runs once; its aux is returned as it is (a tensor in it still
/// carries the recording of this pass, like `vjp(of:at:chunked:)`'s aux).
public func jacrev<In: TensorTree, Out: TensorTree, Aux>(
  of f: (In) throws -> (Out, Aux), at x: In, chunkSize: Int? = nil
) rethrows -> (jacobian: TreeJacobian<Out, In>, aux: Aux) {
  try treeJacrev(of: f, at: x, chunkSize: chunkSize, op: "jacrev")
}

/// `jacrev(of:at:chunkSize:)` for a function of one tensor that also
/// returns an auxiliary value (JAX's `has_aux`).
public func jacrev<Aux>(
  of f: (Tensor) throws -> (Tensor, Aux), at x: Tensor, chunkSize: Int? = nil
) rethrows -> (jacobian: Tensor, aux: Aux) {
  let (j, aux) = try treeJacrev(of: f, at: x, chunkSize: chunkSize, op: "jacrev")
  return (j.blocks[0][0], aux)
}

/// The Hessian of a scalar function of a ``TensorTree`` value, by forward-over-reverse
/// (`jacfwd` of the gradient), like `jax.hessian` on pytrees.
///
/// Block `(i, j)` is ∂²f / ∂(leaf i) ∂(leaf j), of shape `leaf i's shape + leaf j's shape`.
/// - Precondition: `f` returns a single element.
/// - Complexity: ⌈n / chunkSize⌉ gradient evaluations on dual tensors.
public func hessian<In: TensorTree>(
  of f: (In) throws -> Tensor, at x: In, chunkSize: Int? = nil
) rethrows -> TreeJacobian<In, In> {
  try treeJacfwd(
    of: { (try scalarGradient(of: f, at: $0, op: "hessian").gradient, ()) }, at: x, chunkSize: chunkSize, op: "hessian"
  ).jacobian
}

/// `hessian(of:at:chunkSize:)` for a function that also returns an auxiliary
/// value (JAX's `has_aux`); the aux is handled as by the `has_aux` form of `jacfwd`.
public func hessian<In: TensorTree, Aux>(
  of f: (In) throws -> (Tensor, Aux), at x: In, chunkSize: Int? = nil
) rethrows -> (hessian: TreeJacobian<In, In>, aux: Aux) {
  try treeHessian(of: f, at: x, chunkSize: chunkSize)
}

/// `hessian(of:at:chunkSize:)` for a function of one tensor that also
/// returns an auxiliary value (JAX's `has_aux`).
public func hessian<Aux>(
  of f: (Tensor) throws -> (Tensor, Aux), at x: Tensor, chunkSize: Int? = nil
) rethrows -> (hessian: Tensor, aux: Aux) {
  let (h, aux) = try treeHessian(of: f, at: x, chunkSize: chunkSize)
  return (h.blocks[0][0], aux)
}

/// `linearize(of:at:chunked:)` for a function that also returns an auxiliary value (JAX's
/// `has_aux`): `f` runs once and its aux is returned as it is.
public func linearize<In: TensorTree, Out: TensorTree, Aux>(
  of f: (In) throws -> (Out, Aux), at x: In, chunked: Bool = false
) rethrows -> (value: Out, jvp: (In) -> Out, aux: Aux) {
  var aux: Aux? = nil
  let (value, jvp) = try linearize(of: { x -> Out in
    let (y, a) = try f(x)
    aux = a
    return y
  }, at: x, chunked: chunked)
  return (value, jvp, aux!)
}

// MARK: Implementation

/// Where each leaf's elements sit in the leaf-by-leaf numbering of a tree's elements.
struct LeafLayout {
  let shapes: [[Int]]
  let offsets: [Int]
  let counts: [Int]
  let total: Int

  init(_ shapes: [[Int]]) {
    self.shapes = shapes
    counts = shapes.map { Shape.count($0) }
    var at = 0
    var offsets: [Int] = []
    for c in counts { offsets.append(at); at += c }
    self.offsets = offsets
    total = at
  }

  /// The one-hot directions for elements `start ..< start + rows` restricted to leaf `j`, as
  /// a tensor of shape `[rows] + shapes[j]`, or `nil` when the range misses the leaf.
  func basis(rows: Int, start: Int, leaf j: Int, dtype: DType) -> Tensor? {
    let lo = offsets[j], n = counts[j]
    guard rows > 0, start < lo + n, start + rows > lo else { return nil }
    var values = [Double](repeating: 0, count: rows * n)
    for r in 0..<rows where start + r >= lo && start + r < lo + n { values[r * n + start + r - lo] = 1 }
    return Tensor(shape: [rows] + shapes[j], scalars: values).converted(to: dtype)
  }
}

/// Stops unless every leaf is floating (only floating tensors carry derivatives).
func checkFloatingLeaves(_ leaves: [Tensor], _ what: String, op: String) {
  for (i, leaf) in leaves.enumerated() where !leaf.dtype.isFloatingPoint {
    misuse("\(op): \(what) leaf \(i) has dtype \(leaf.dtype); only floating (real or complex) tensors can be differentiated")
  }
}

/// `aux` with the tangents of dual `level` removed, when it is a ``TensorTree``; otherwise
/// `aux` unchanged.
func strippingLevel<Aux>(_ aux: Aux, _ level: DualLevel) -> Aux {
  guard let tree = aux as? any TensorTree else { return aux }
  func strip<T: TensorTree>(_ t: T) -> T { t.mapLeaves { $0.removingLevel(level.id) } }
  return strip(tree) as! Aux
}

/// The body of the tree `jacfwd` and `hessian`: the blocks and the first pass's aux.
func treeJacfwd<In: TensorTree, Out: TensorTree, Aux>(
  of f: (In) throws -> (Out, Aux), at x: In, chunkSize: Int?, op: String
) rethrows -> (jacobian: TreeJacobian<Out, In>, aux: Aux) {
  check(chunkSize == nil || chunkSize! > 0, "\(op): chunkSize must be positive, got \(chunkSize!)")
  let xs = x.leaves
  checkFloatingLeaves(xs, "input", op: op)
  let layout = LeafLayout(xs.map(\.shape))
  let n = layout.total
  let k = Swift.max(1, Swift.min(chunkSize ?? 64, Swift.max(n, 1)))
  var passes: [[Tensor]] = []   // per pass, per output leaf: [width] + output shape
  var output: Out? = nil
  var firstAux: Aux? = nil
  var start = 0
  repeat {
    let width = Swift.min(k, n - start)
    let (y, tangents, aux) = try withDualLevel { level -> (Out, [Tensor], Aux) in
      let duals = xs.indices.map { j in
        layout.basis(rows: width, start: start, leaf: j, dtype: xs[j].dtype).map { xs[j].dual(tangent: $0, at: level) } ?? xs[j]
      }
      let (y, aux) = try f(x.rebuilt(from: duals))
      var primals: [Tensor] = [], tangents: [Tensor] = []
      for leaf in y.leaves {
        let (p, t) = leaf.unpacked(at: level)
        primals.append(p)
        tangents.append(t ?? Tensor.zeros(like: p.detached, shape: [width] + p.shape))
      }
      return (y.rebuilt(from: primals), tangents, firstAux == nil ? strippingLevel(aux, level) : aux)
    }
    if output == nil { output = y; firstAux = aux }
    passes.append(tangents)
    start += width
  } while start < n
  let ys = output!.leaves
  let blocks = ys.indices.map { i -> [Tensor] in
    let outShape = ys[i].shape
    // [n] + outShape, then each input leaf's rows moved behind the output dims.
    let columns = Tensor.concatenatingLeading(passes.map { $0[i] }, total: n, rest: outShape)
    return xs.indices.map { j in
      let inShape = layout.shapes[j]
      let part = columns.narrowed(dim: 0, start: layout.offsets[j], length: layout.counts[j])
      let moved = part.reshaped(inShape + outShape)
        .permuted(Array(inShape.count..<(inShape.count + outShape.count)) + Array(0..<inShape.count))
      return moved.reshaped(outShape + inShape)
    }
  }
  return (TreeJacobian(blocks: blocks, output: output!, input: x), firstAux!)
}

/// The body of the tree `jacrev`: the blocks and the aux.
func treeJacrev<In: TensorTree, Out: TensorTree, Aux>(
  of f: (In) throws -> (Out, Aux), at x: In, chunkSize: Int?, op: String
) rethrows -> (jacobian: TreeJacobian<Out, In>, aux: Aux) {
  check(chunkSize == nil || chunkSize! > 0, "\(op): chunkSize must be positive, got \(chunkSize!)")
  checkFloatingLeaves(x.leaves, "input", op: op)
  return try withGradientLeaves(x) { xs, leaves, level in
    let (y, aux) = try f(xs)
    let ys = y.leaves
    checkFloatingLeaves(ys, "output", op: op)
    let layout = LeafLayout(ys.map(\.shape))
    let m = layout.total
    let k = Swift.max(1, Swift.min(chunkSize ?? 64, Swift.max(m, 1)))
    var passes: [[Tensor]] = []   // per pass, per input leaf: [width] + input shape
    var start = 0
    while start < m {
      let width = Swift.min(k, m - start)
      var roots: [Tensor] = [], seeds: [Tensor] = []
      for i in ys.indices {
        if let s = layout.basis(rows: width, start: start, leaf: i, dtype: ys[i].dtype) { roots.append(ys[i]); seeds.append(s) }
      }
      passes.append(pullBack(roots, seeds: seeds, to: leaves, level: level, chunk: width))
      start += width
    }
    let inputs = x.leaves
    let blocks = ys.indices.map { i in
      inputs.indices.map { j -> Tensor in
        let shape = layout.shapes[i] + inputs[j].shape
        if m == 0 { return Tensor.zeros(like: inputs[j].detached, shape: shape) }
        let rows = Tensor.concatenatingLeading(passes.map { $0[j] }, total: m, rest: inputs[j].shape)
        return rows.narrowed(dim: 0, start: layout.offsets[i], length: layout.counts[i]).reshaped(shape)
      }
    }
    return (TreeJacobian(blocks: blocks, output: y, input: x), aux)
  }
}

/// The body of the `has_aux` Hessians: `jacfwd` of the gradient, the aux passed out.
func treeHessian<In: TensorTree, Aux>(
  of f: (In) throws -> (Tensor, Aux), at x: In, chunkSize: Int?
) rethrows -> (hessian: TreeJacobian<In, In>, aux: Aux) {
  let (h, aux) = try treeJacfwd(
    of: { x -> (In, Aux) in
      let (_, g, aux) = try scalarGradientWithAux(of: f, at: x, op: "hessian")
      return (g, aux)
    }, at: x, chunkSize: chunkSize, op: "hessian")
  return (h, aux)
}

/// `valueWithGradient(of:at:)` with an aux and a named transform for messages.
func scalarGradientWithAux<In: TensorTree, Aux>(
  of f: (In) throws -> (Tensor, Aux), at x: In, op: String
) rethrows -> (value: Tensor, gradient: In, aux: Aux) {
  var aux: Aux? = nil
  let (v, g) = try scalarGradient(of: { x -> Tensor in
    let (y, a) = try f(x)
    aux = a
    return y
  }, at: x, op: op)
  return (v, g, aux!)
}
