/// The Hessian of a scalar function, by forward-over-reverse: `jacfwd` of the gradient.
///
/// Like `torch.func.hessian`. The result has shape `x.shape + x.shape`. The gradient runs
/// on dual tensors carrying `chunkSize` directions at once, so the cost is ⌈n / chunkSize⌉
/// gradient evaluations, with memory of one.
/// - Precondition: `f` returns a single element.
public func hessian(of f: @escaping (Tensor) -> Tensor, at x: Tensor, chunkSize: Int? = nil) -> Tensor {
  jacfwd(of: { gradient(of: requiringSingleElement(f, op: "hessian"), at: $0) }, at: x, chunkSize: chunkSize)
}

/// `f`, checking that each value it returns has a single element, with a message naming `op`
/// (so a second-order transform names itself, not the `gradient` it is built on).
func requiringSingleElement<In>(_ f: @escaping (In) -> Tensor, op: String) -> (In) -> Tensor {
  { x in
    let y = f(x)
    check(y.count == 1, "\(op): the function must return a single element, got shape \(y.shape)")
    return y
  }
}

/// The Hessian-vector product of a scalar function, by forward-over-reverse: the JVP of the
/// gradient along `v` (Pearlmutter 1994). It never uses double backward, so its memory is
/// that of one gradient.
///
/// - Returns: the gradient at `x` and H(x)·v, both of `x`'s structure.
/// - Precondition: `f` returns a single element.
public func hvp<In: TensorTree>(of f: (In) -> Tensor, at x: In, along v: In) -> (gradient: In, hvp: In) {
  let (g, hv) = withoutActuallyEscaping(f) { f in
    jvp(of: { gradient(of: requiringSingleElement(f, op: "hvp"), at: $0) }, at: x, along: v)
  }
  return (g, hv)
}
