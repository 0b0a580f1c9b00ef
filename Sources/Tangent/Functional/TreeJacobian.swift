/// The Jacobian of a function between ``TensorTree`` values: one block per pair of an output
/// leaf and an input leaf, as JAX's `jacfwd`/`jacrev` return a tree of trees for pytrees.
///
/// Block `(i, j)` is ∂(output leaf i) / ∂(input leaf j), of shape
/// `outputShapes[i] + inputShapes[j]` (JAX's layout: output dims first). Ask for blocks by leaf
/// index or by key path, or regroup them:
///
/// ```swift
/// let J = jacrev(of: { (p: MLP) in p.predict(x) }, at: params)   // TreeJacobian<Tensor, MLP>
/// J[output: 0, input: 2]                  // by leaf indices
/// J[output: \.self, input: \.hidden.weight]   // by key paths
/// J.inputTree                             // an MLP whose leaves are the blocks (JAX's result)
/// J.matrix()                              // one [m, n] matrix, in `ravel` order
/// ```
///
/// `inputTree(forOutput:)` is JAX's nesting (the output's structure outside, the input's
/// inside: `jax.jacfwd` of a dict gives a dict of dicts); Swift cannot spell "an `Output` whose
/// leaves are `Input`s" as one type, so the outer level is a leaf index or key path.
/// A `TreeJacobian` is itself a ``TensorTree`` (its blocks, output-major), so it can be
/// differentiated again, raveled or mapped.
public struct TreeJacobian<Output: TensorTree, Input: TensorTree> {
  /// The blocks, `blocks[i][j]` = ∂(output leaf i) / ∂(input leaf j), of shape
  /// `outputShapes[i] + inputShapes[j]`.
  public internal(set) var blocks: [[Tensor]]
  /// The shapes of the output's leaves, in ``TensorTree/leaves`` order.
  public let outputShapes: [[Int]]
  /// The shapes of the input's leaves, in ``TensorTree/leaves`` order.
  public let inputShapes: [[Int]]
  /// The output's structure, with placeholder leaves (rebuilt with blocks on request).
  let outputSkeleton: Output
  /// The input's structure, with placeholder leaves.
  let inputSkeleton: Input

  /// Wraps the blocks for output `y` and input `x` (their leaves are not kept).
  init(blocks: [[Tensor]], output y: Output, input x: Input) {
    self.blocks = blocks
    outputShapes = y.leaves.map(\.shape)
    inputShapes = x.leaves.map(\.shape)
    outputSkeleton = treeSkeleton(y)
    inputSkeleton = treeSkeleton(x)
  }

  /// Wraps blocks with the structures and shapes they belong to.
  init(blocks: [[Tensor]], outputSkeleton: Output, inputSkeleton: Input, outputShapes: [[Int]], inputShapes: [[Int]]) {
    self.blocks = blocks
    self.outputSkeleton = outputSkeleton
    self.inputSkeleton = inputSkeleton
    self.outputShapes = outputShapes
    self.inputShapes = inputShapes
  }

  /// The block ∂(output leaf `i`) / ∂(input leaf `j`), of shape
  /// `outputShapes[i] + inputShapes[j]`.
  /// - Precondition: both indices are in range.
  public subscript(output i: Int, input j: Int) -> Tensor {
    check(
      blocks.indices.contains(i) && inputShapes.indices.contains(j),
      "TreeJacobian: block (output \(i), input \(j)) is out of range for \(blocks.count) output and \(inputShapes.count) input leaves")
    return blocks[i][j]
  }

  /// The block for the output leaf at `output` and the input leaf at `input`, key paths into
  /// the output and input values (`\.self` for a tensor).
  /// - Precondition: each key path leads to a leaf of its tree (a stored tensor that the
  ///   tree lists among its ``TensorTree/leaves``).
  public subscript(output output: KeyPath<Output, Tensor>, input input: KeyPath<Input, Tensor>) -> Tensor {
    let i = leafIndex(of: output, in: outputSkeleton, shapes: outputShapes, op: "TreeJacobian")
    let j = leafIndex(of: input, in: inputSkeleton, shapes: inputShapes, op: "TreeJacobian")
    return blocks[i][j]
  }

  /// The Jacobian of output leaf `i`, as a value of the input's structure whose leaf `j` is
  /// the block `(i, j)` (JAX's inner tree).
  /// - Precondition: `i` is in range.
  public func inputTree(forOutput i: Int) -> Input {
    check(blocks.indices.contains(i), "TreeJacobian: output leaf \(i) is out of range for \(blocks.count) output leaves")
    return inputSkeleton.rebuilt(from: blocks[i])
  }

  /// The Jacobian of the output leaf at `output`, in the input's structure.
  public subscript(output output: KeyPath<Output, Tensor>) -> Input {
    inputTree(forOutput: leafIndex(of: output, in: outputSkeleton, shapes: outputShapes, op: "TreeJacobian"))
  }

  /// The derivatives of every output leaf with respect to input leaf `j`, as a value of the
  /// output's structure whose leaf `i` is the block `(i, j)`.
  /// - Precondition: `j` is in range.
  public func outputTree(forInput j: Int) -> Output {
    check(inputShapes.indices.contains(j), "TreeJacobian: input leaf \(j) is out of range for \(inputShapes.count) input leaves")
    return outputSkeleton.rebuilt(from: blocks.map { $0[j] })
  }

  /// The derivatives with respect to the input leaf at `input`, in the output's structure.
  public subscript(input input: KeyPath<Input, Tensor>) -> Output {
    outputTree(forInput: leafIndex(of: input, in: inputSkeleton, shapes: inputShapes, op: "TreeJacobian"))
  }

  /// The whole Jacobian as one matrix of shape `[m, n]`: m and n are the numbers of elements
  /// of the output and the input, rows and columns in ``ravel(_:)`` order (leaf by leaf,
  /// row-major), in the blocks' promoted dtype.
  public func matrix() -> Tensor {
    let m = outputShapes.reduce(0) { $0 + Shape.count($1) }
    let n = inputShapes.reduce(0) { $0 + Shape.count($1) }
    let dtypes = blocks.joined().map(\.dtype)
    let dtype = dtypes.dropFirst().reduce(dtypes.first ?? .float64) { DType.promoted($0, $1) }
    if m == 0 || n == 0 { return Tensor.zeros([m, n], dtype: dtype) }
    let rows = blocks.enumerated().compactMap { i, row -> Tensor? in
      let mi = Shape.count(outputShapes[i])
      if mi == 0 { return nil }
      let parts = row.enumerated().compactMap { j, b in
        Shape.count(inputShapes[j]) == 0 ? nil : b.converted(to: dtype).reshaped([mi, Shape.count(inputShapes[j])])
      }
      return parts.count == 1 ? parts[0] : Tensor.cat(parts, dim: 1)
    }
    return rows.count == 1 ? rows[0] : Tensor.cat(rows, dim: 0)
  }
}

extension TreeJacobian where Output == Tensor {
  /// For a tensor output: the Jacobian in the input's structure, each leaf of shape
  /// `output.shape + leaf.shape` (what `jax.jacrev` returns for an array-valued function of
  /// a pytree).
  public var inputTree: Input { inputTree(forOutput: 0) }
}

extension TreeJacobian where Input == Tensor {
  /// For a tensor input: the Jacobian in the output's structure, each leaf of shape
  /// `leaf.shape + input.shape`.
  public var outputTree: Output { outputTree(forInput: 0) }
}

extension TreeJacobian: TensorTree {
  /// The blocks, output-major: `(0, 0), (0, 1), …, (1, 0), …`.
  public var leaves: [Tensor] { Array(blocks.joined()) }

  /// The same Jacobian with its blocks replaced, in the order of ``leaves``.
  public func replacingLeaves(_ leaves: inout ArraySlice<Tensor>) -> TreeJacobian {
    var copy = self
    for i in copy.blocks.indices {
      for j in copy.blocks[i].indices {
        check(!leaves.isEmpty, "TensorTree: too few tensors to rebuild a TreeJacobian")
        copy.blocks[i][j] = leaves.removeFirst()
      }
    }
    return copy
  }
}

/// `tree` with every leaf replaced by one shared empty placeholder: its structure (and any
/// non-tensor fields) without keeping its tensors alive.
func treeSkeleton<T: TensorTree>(_ tree: T) -> T {
  let placeholder = Tensor.zeros([0])
  return tree.rebuilt(from: Array(repeating: placeholder, count: tree.leaves.count))
}

/// The index, in `tree.leaves`, of the leaf that `keyPath` reads; `shapes` are the leaves'
/// shapes.
///
/// Found by rebuilding `tree` with distinct marker tensors of the leaves' shapes (broadcast
/// views of one element each) and seeing which one the key path returns (same storage and
/// layout), so it works for every ``TensorTree``.
/// - Precondition: `keyPath` reads a leaf, not a computed or derived tensor.
func leafIndex<T: TensorTree>(of keyPath: KeyPath<T, Tensor>, in tree: T, shapes: [[Int]], op: String) -> Int {
  let markers = shapes.map { Tensor.zeros([]).expandedView(to: $0, op: op) }
  let found = tree.rebuilt(from: markers)[keyPath: keyPath]
  let index = markers.firstIndex {
    $0.storage === found.storage && $0.offset == found.offset && $0.shape == found.shape && $0.strides == found.strides
  }
  guard let index else {
    misuse("\(op): the key path \(keyPath) does not lead to a leaf of \(T.self) (it must read a stored tensor that the tree lists among its leaves)")
  }
  return index
}

extension TreeJacobian: CustomStringConvertible {
  /// The structure and the blocks' shapes, e.g.
  /// `TreeJacobian<Tensor, MLP>(1 × 4 blocks: [[16, 1, 8, 3], [16, 1, 8], [16, 1, 1, 8], [16, 1, 1]])`.
  public var description: String {
    let shapes = blocks.map { $0.map { "\($0.shape)" }.joined(separator: ", ") }.joined(separator: "; ")
    return "TreeJacobian<\(Output.self), \(Input.self)>(\(outputShapes.count) × \(inputShapes.count) blocks: [\(shapes)])"
  }
}
