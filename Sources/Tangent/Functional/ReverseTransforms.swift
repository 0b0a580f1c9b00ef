/// Runs `body` on fresh gradient leaves at a new gradient level, with recording on (a
/// transform records its own pass even inside ``withoutDerivative(_:)``, as `torch.func` does).
func withGradientLeaves<In: TensorTree, R>(_ x: In, _ body: (In, [Tensor], Int) -> R) -> R {
  let level = nextLevelID()
  let leaves = x.leaves.map { $0.leaf(atLevel: level) }
  return AutodiffContext.$current.withValue(AutodiffContext.current.with(isRecording: true)) {
    body(x.rebuilt(from: leaves), leaves, level)
  }
}

/// The cotangents of `leaves` (at gradient `level`) for outputs `ys` seeded with `seeds`
/// (zeros where none flows).
///
/// The backward pass runs with the recording ceiling at `level`: the work that depends on
/// outer transforms' inputs is recorded for them (reverse-over-reverse, including through
/// values captured by closures), and nothing else is.
func pullBack(_ ys: [Tensor], seeds: [Tensor], to leaves: [Tensor], level: Int) -> [Tensor] {
  var roots: [(Tensor, Tensor)] = []
  for (y, s) in zip(ys, seeds) where y.requiresGrad {
    precondition(s.shape == y.shape, "vjp: a cotangent of shape \(s.shape) for an output of shape \(y.shape)")
    roots.append((y, s))
  }
  let context = AutodiffContext.current.with(
    isRecording: true, recordingCeiling: Swift.min(AutodiffContext.current.recordingCeiling, level))
  let grads = roots.isEmpty
    ? leaves.map { _ in nil }
    : AutodiffContext.$current.withValue(context) {
      Autodiff.backward(
        roots: roots, capture: leaves.map { $0.autodiff?.edge }, accumulateIntoLeaves: false,
        retainGraph: true, stopAtCaptures: true)
    }
  return zip(grads, leaves).map { g, x in g ?? Tensor.zeros(like: x.detached) }
}

/// The value of `f` at `x` and its pullback (vector-Jacobian product), like `torch.func.vjp`
/// and `jax.vjp`.
///
/// The pullback maps a cotangent of the output's structure to a cotangent of the input's
/// structure; it can be called more than once. Complex values follow PyTorch's convention
/// (the conjugate Wirtinger derivative).
public func vjp<In: TensorTree, Out: TensorTree>(
  of f: (In) -> Out, at x: In
) -> (value: Out, pullback: (Out) -> In) {
  withGradientLeaves(x) { xs, leaves, level in
    let y = f(xs)
    let ys = y.leaves
    return (y, { u in x.rebuilt(from: pullBack(ys, seeds: u.leaves, to: leaves, level: level)) })
  }
}

/// ``vjp(of:at:)`` for a function that also returns an auxiliary value (JAX's `has_aux`).
public func vjp<In: TensorTree, Out: TensorTree, Aux>(
  of f: (In) -> (Out, Aux), at x: In
) -> (value: Out, pullback: (Out) -> In, aux: Aux) {
  withGradientLeaves(x) { xs, leaves, level in
    let (y, aux) = f(xs)
    let ys = y.leaves
    return (y, { u in x.rebuilt(from: pullBack(ys, seeds: u.leaves, to: leaves, level: level)) }, aux)
  }
}

/// The value of a scalar function and its gradient, by reverse mode.
///
/// - Precondition: `f` returns a tensor with one element.
public func valueWithGradient<In: TensorTree>(of f: (In) -> Tensor, at x: In) -> (value: Tensor, gradient: In) {
  withGradientLeaves(x) { xs, leaves, level in
    let y = f(xs)
    precondition(y.count == 1, "gradient: the function must return a single element, got shape \(y.shape); use vjp or jacrev")
    let g = pullBack([y], seeds: [Tensor.ones(like: y.detached)], to: leaves, level: level)
    return (y, x.rebuilt(from: g))
  }
}

/// ``valueWithGradient(of:at:)`` for a function that also returns an auxiliary value.
public func valueWithGradient<In: TensorTree, Aux>(
  of f: (In) -> (Tensor, Aux), at x: In
) -> (value: Tensor, gradient: In, aux: Aux) {
  withGradientLeaves(x) { xs, leaves, level in
    let (y, aux) = f(xs)
    precondition(y.count == 1, "gradient: the function must return a single element, got shape \(y.shape)")
    let g = pullBack([y], seeds: [Tensor.ones(like: y.detached)], to: leaves, level: level)
    return (y, x.rebuilt(from: g), aux)
  }
}

/// The gradient of a scalar function by reverse mode, like `torch.func.grad` and `jax.grad`.
///
/// - Precondition: `f` returns a tensor with one element.
public func gradient<In: TensorTree>(of f: (In) -> Tensor, at x: In) -> In {
  valueWithGradient(of: f, at: x).gradient
}

/// The Jacobian of `f` at `x` by reverse mode, like `torch.func.jacrev`: one backward pass
/// per output element, over one recorded forward pass.
///
/// The result has shape `f(x).shape + x.shape`.
/// - Complexity: one evaluation of f and m backward passes, for m output elements.
public func jacrev(of f: (Tensor) -> Tensor, at x: Tensor) -> Tensor {
  let (y, pullback) = vjp(of: f, at: x)
  let m = y.count
  var rows: [Tensor] = []
  for i in 0..<m {
    rows.append(pullback(Tensor.basis(rows: 1, offset: i, shape: y.shape, dtype: y.dtype).reshaped(y.shape)))
  }
  return Tensor.concatenatingLeading(rows, total: m, rest: x.shape).reshaped(y.shape + x.shape)
}
