/// The leaves of `tree` joined into one flat vector, and the function that rebuilds a tree of
/// the same structure from such a vector, like `jax.flatten_util.ravel_pytree` and PyTorch's
/// `parameters_to_vector` / `vector_to_parameters`.
///
/// The vector holds each leaf's elements in row-major order, leaf after leaf in
/// ``TensorTree/leaves`` order. Its dtype is the leaves' common dtype, promoted by PyTorch's
/// rules (``DType/promoted(_:_:)``) as `ravel_pytree` promotes to the leaves' result type:
/// `float32` with `float64` gives `float64`, a real with a complex leaf gives complex;
/// `float64` for a tree with no leaves. `unravel` converts each piece back to its leaf's
/// dtype (complex to real keeps the real part, as ``Tensor/converted(to:)`` does).
///
/// Both directions are built from reshapes, conversions, `cat` and slices, so derivatives
/// flow through them in every mode: `gradient(of: { loss(unravel($0)) }, at: vector)` is the
/// flat gradient.
///
/// ```swift
/// let (theta, unravel) = ravel(params)      // theta: [n]
/// let step = unravel(theta - 0.1 * ravel(grads).vector)
/// ```
/// - Parameter tree: the value to flatten.
/// - Returns: the vector, of shape `[n]` for n elements in all, and `unravel`.
/// - Precondition (of `unravel`): its argument has shape `[n]`; the message names `ravel`
///   and both lengths.
public func ravel<T: TensorTree>(_ tree: T) -> (vector: Tensor, unravel: (Tensor) -> T) {
  let leaves = tree.leaves
  let layout = LeafLayout(leaves.map(\.shape))
  let dtypes = leaves.map(\.dtype)
  let common = dtypes.dropFirst().reduce(dtypes.first ?? .float64) { DType.promoted($0, $1) }
  let vector = leaves.isEmpty
    ? Tensor.zeros([0], dtype: common)
    : Tensor.cat(leaves.map { $0.converted(to: common).reshaped([$0.count]) }, dim: 0)
  let skeleton = treeSkeleton(tree)
  let n = layout.total
  return (vector, { v in
    check(
      v.shape == [n],
      "ravel: unravel expects a vector of \(n) elements (shape [\(n)]), the length of the raveled tree, but got shape \(v.shape)\(v.rank == 1 ? " (\(v.count) elements)" : "")")
    let parts = layout.shapes.indices.map { j in
      v.narrowed(dim: 0, start: layout.offsets[j], length: layout.counts[j]).reshaped(layout.shapes[j]).converted(to: dtypes[j])
    }
    return skeleton.rebuilt(from: parts)
  })
}
