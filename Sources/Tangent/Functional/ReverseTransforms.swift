/// Runs `body` on fresh gradient leaves at a new gradient level, with recording on (a
/// transform records its own pass even inside ``withoutDerivative(_:)``, as `torch.func` does).
/// `savingAllValues` keeps every op's inputs and outputs on the tape (for `linearize`).
func withGradientLeaves<In: TensorTree, R>(
  _ x: In, savingAllValues: Bool = false, _ body: (In, [Tensor], Int) throws -> R
) rethrows -> R {
  let level = nextLevelID()
  let leaves = x.leaves.map { $0.leaf(atLevel: level) }
  let context = AutodiffContext.current
  return try AutodiffContext.$current.withValue(context.with(isRecording: true, savesAllValues: savingAllValues || context.savesAllValues)) {
    try body(x.rebuilt(from: leaves), leaves, level)
  }
}

/// The cotangents of `leaves` (at gradient `level`) for outputs `ys` seeded with `seeds`
/// (zeros where none flows). With `chunk` K, every seed and result carries K cotangents at
/// once in a leading dimension.
///
/// The backward pass runs with the recording ceiling at `level`: the work that depends on
/// outer transforms' inputs is recorded for them (reverse-over-reverse, including through
/// values captured by closures), and nothing else is.
func pullBack(_ ys: [Tensor], seeds: [Tensor], to leaves: [Tensor], level: Int, chunk: Int? = nil) -> [Tensor] {
  var roots: [(Tensor, Tensor)] = []
  let prefix = chunk.map { [$0] } ?? []
  check(seeds.count == ys.count, "vjp: \(seeds.count) cotangents for \(ys.count) outputs")
  for (y, s) in zip(ys, seeds) {
    check(s.shape == prefix + y.shape, "vjp: a cotangent of shape \(s.shape) for an output of shape \(prefix + y.shape)")
    if y.requiresGrad { roots.append((y, s)) }
  }
  let context = AutodiffContext.current.with(
    isRecording: true, recordingCeiling: Swift.min(AutodiffContext.current.recordingCeiling, level))
  let grads = roots.isEmpty
    ? leaves.map { _ in nil }
    : AutodiffContext.$current.withValue(context) {
      Autodiff.backward(
        roots: roots, capture: leaves.map { $0.autodiff?.edge }, accumulateIntoLeaves: false,
        retainGraph: true, stopAtCaptures: true, chunk: chunk)
    }
  return zip(grads, leaves).map { g, x in g ?? Tensor.zeros(prefix + x.shape, dtype: x.dtype) }
}

/// The value of `f` at `x` and its pullback (vector-Jacobian product), like `torch.func.vjp`
/// and `jax.vjp`.
///
/// The pullback maps a cotangent of the output's structure to a cotangent of the input's
/// structure; it can be called more than once. Complex values follow PyTorch's convention
/// (the conjugate Wirtinger derivative). A function that throws is differentiated with `try`.
/// - Parameters:
///   - f: the function; its input and output are tensors or ``TensorTree`` values.
///   - x: the point.
///   - chunked: whether the pullback takes K cotangents at once: every leaf of its argument
///     has one leading chunk dimension of the same size K (`[K] + shape`), pulled back in one
///     pass, and every leaf of its result has it too (like `gradients(..., chunked: true)`).
/// - Returns: `f(x)` and the pullback, which maps a cotangent `u` to `J_f(x)ᵀ · u` (for real
///   values) of `x`'s structure.
/// - Precondition (of the pullback): each cotangent has its output's shape (`[K] + shape`
///   when `chunked`).
public func vjp<In: TensorTree, Out: TensorTree>(
  of f: (In) throws -> Out, at x: In, chunked: Bool = false
) rethrows -> (value: Out, pullback: (Out) -> In) {
  try withGradientLeaves(x) { xs, leaves, level in
    let y = try f(xs)
    let ys = y.leaves
    return (y, { u in x.rebuilt(from: pullBack(ys, cotangents: u.leaves, to: leaves, level: level, chunked: chunked)) })
  }
}

/// ``vjp(of:at:chunked:)`` for a function that also returns an auxiliary value (JAX's `has_aux`).
public func vjp<In: TensorTree, Out: TensorTree, Aux>(
  of f: (In) throws -> (Out, Aux), at x: In, chunked: Bool = false
) rethrows -> (value: Out, pullback: (Out) -> In, aux: Aux) {
  try withGradientLeaves(x) { xs, leaves, level in
    let (y, aux) = try f(xs)
    let ys = y.leaves
    return (y, { u in x.rebuilt(from: pullBack(ys, cotangents: u.leaves, to: leaves, level: level, chunked: chunked)) }, aux)
  }
}

/// A pullback's body: checks the cotangents' shapes (finding K when `chunked`) and pulls them
/// back.
func pullBack(_ ys: [Tensor], cotangents u: [Tensor], to leaves: [Tensor], level: Int, chunked: Bool) -> [Tensor] {
  check(u.count == ys.count, "vjp: \(u.count) cotangents for \(ys.count) outputs")
  let chunk = checkedChunk(points: ys.map(\.shape), directions: u.map(\.shape), chunked: chunked, op: "vjp", what: "cotangent")
  return pullBack(ys, seeds: u, to: leaves, level: level, chunk: chunk)
}

/// The value of a scalar function and its gradient, by reverse mode.
///
/// - Precondition: `f` returns a tensor with one element.
public func valueWithGradient<In: TensorTree>(of f: (In) throws -> Tensor, at x: In) rethrows -> (value: Tensor, gradient: In) {
  try scalarGradient(of: f, at: x, op: "gradient")
}

/// The body of ``valueWithGradient(of:at:)``; `op` names the transform in messages.
func scalarGradient<In: TensorTree>(of f: (In) throws -> Tensor, at x: In, op: String) rethrows -> (value: Tensor, gradient: In) {
  try withGradientLeaves(x) { xs, leaves, level in
    let y = try f(xs)
    check(
      y.count == 1,
      "\(op): the function must return a single element, got shape \(y.shape); use \(op == "hessian" ? "jacfwd of jacrev" : "vjp or jacrev")")
    let g = pullBack([y], seeds: [Tensor.ones(like: y.detached)], to: leaves, level: level)
    return (y, x.rebuilt(from: g))
  }
}

/// ``valueWithGradient(of:at:)`` for a function that also returns an auxiliary value.
public func valueWithGradient<In: TensorTree, Aux>(
  of f: (In) throws -> (Tensor, Aux), at x: In
) rethrows -> (value: Tensor, gradient: In, aux: Aux) {
  try withGradientLeaves(x) { xs, leaves, level in
    let (y, aux) = try f(xs)
    check(y.count == 1, "gradient: the function must return a single element, got shape \(y.shape)")
    let g = pullBack([y], seeds: [Tensor.ones(like: y.detached)], to: leaves, level: level)
    return (y, x.rebuilt(from: g), aux)
  }
}

/// The gradient of a scalar function by reverse mode, like `torch.func.grad` and `jax.grad`.
///
/// A function that throws (a `Linalg` call) is differentiated with `try`.
/// - Precondition: `f` returns a tensor with one element.
public func gradient<In: TensorTree>(of f: (In) throws -> Tensor, at x: In) rethrows -> In {
  try valueWithGradient(of: f, at: x).gradient
}

/// The Jacobian of `f` at `x` by reverse mode, like `torch.func.jacrev`.
///
/// The result has shape `f(x).shape + x.shape`. `f` runs once, recorded; each backward pass
/// pulls `chunkSize` cotangents back at once (chunked cotangents, as `torch.func.jacrev`
/// does with `vmap`), so f: Rⁿ → Rᵐ costs ⌈m / chunkSize⌉ passes. Ops whose rules do not
/// take chunked cotangents themselves run their rule once per pass under `vmap` over the chunk
/// (see ``DifferentiableOp/acceptsChunkedCotangents``).
/// - Parameters:
///   - f: the function.
///   - x: the point.
///   - chunkSize: cotangents per pass; by default all of them, up to 64.
/// - Complexity: one evaluation of f and ⌈m / chunkSize⌉ backward passes.
public func jacrev(of f: (Tensor) throws -> Tensor, at x: Tensor, chunkSize: Int? = nil) rethrows -> Tensor {
  check(chunkSize == nil || chunkSize! > 0, "jacrev: chunkSize must be positive, got \(chunkSize!)")
  return try withGradientLeaves(x) { xs, leaves, level in
    let y = try f(xs)
    let m = y.count
    let k = Swift.max(1, Swift.min(chunkSize ?? 64, Swift.max(m, 1)))
    var rows: [Tensor] = []
    var start = 0
    repeat {
      let width = Swift.min(k, m - start)
      let seeds = Tensor.basis(rows: width, offset: start, shape: y.shape, dtype: y.dtype)
      rows.append(pullBack([y], seeds: [seeds], to: leaves, level: level, chunk: width)[0])
      start += width
    } while start < m
    return Tensor.concatenatingLeading(rows, total: m, rest: x.shape).reshaped(y.shape + x.shape)
  }
}
