/// The Hessian of a scalar function, by forward-over-reverse: `jacfwd` of the gradient.
///
/// Like `torch.func.hessian`. The result has shape `x.shape + x.shape`. The gradient runs
/// on dual tensors carrying `chunkSize` directions at once, so the cost is ⌈n / chunkSize⌉
/// gradient evaluations, with memory of one. A function that throws is differentiated with
/// `try`.
/// - Precondition: `f` returns a single element (the message names `hessian` and the shape).
public func hessian(of f: (Tensor) throws -> Tensor, at x: Tensor, chunkSize: Int? = nil) rethrows -> Tensor {
  try jacfwd(of: { try scalarGradient(of: f, at: $0, op: "hessian").gradient }, at: x, chunkSize: chunkSize)
}

/// The Hessian-vector product of a scalar function, by forward-over-reverse: the JVP of the
/// gradient along `v` (Pearlmutter 1994). It never uses double backward, so its memory is
/// that of one gradient.
///
/// - Parameters:
///   - f: the scalar function; its input is a tensor or a ``TensorTree`` value.
///   - x: the point.
///   - v: the direction, of `x`'s structure and shapes.
///   - chunked: whether `v` carries K directions in a leading chunk dimension on every leaf;
///     `hvp` then has it too.
/// - Returns: the gradient at `x` and H(x)·v, both of `x`'s structure.
/// - Precondition: `f` returns a single element; `v` has `x`'s shapes (`[K] + shape` when
///   `chunked`).
public func hvp<In: TensorTree>(
  of f: (In) throws -> Tensor, at x: In, along v: In, chunked: Bool = false
) rethrows -> (gradient: In, hvp: In) {
  let (g, hv) = try jvp(of: { try scalarGradient(of: f, at: $0, op: "hvp").gradient }, at: x, along: v, chunked: chunked)
  return (g, hv)
}
