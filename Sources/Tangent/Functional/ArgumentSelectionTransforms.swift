// The transforms over functions of two or three arguments, differentiated with respect to the
// arguments `wrt:` selects (JAX's `argnums`); see ArgumentSelection.swift for the design. Each
// one closes over the unselected arguments and calls the one-argument transform on the
// selected part, so it costs what that transform costs.

/// The Jacobian by forward mode (`jacfwd`) of a function of two arguments with respect to those
/// `wrt` selects, like `jax.jacfwd(f, argnums=…)`.
///
/// - Parameters:
///   - f: the function.
///   - x: the arguments.
///   - wrt: the arguments to differentiate with respect to (`.first`, `.second`, …).
///   - chunkSize: directions (or cotangents) per pass, as in the one-argument form.
public func jacfwd<A, B, Out: TensorTree, S>(
  of f: (A, B) throws -> Out, at x: (A, B), wrt: TwoArgumentSelection<A, B, S>, chunkSize: Int? = nil
) rethrows -> TreeJacobian<Out, S> {
  try jacfwd(of: { s in
    let (a, b) = wrt.merge(s, x.0, x.1)
    return try f(a, b)
  }, at: wrt.select(x.0, x.1), chunkSize: chunkSize)
}

/// `jacfwd` of a function of two arguments with respect to those `wrt` selects, for a
/// function that also returns an auxiliary value (JAX's `has_aux` with `argnums`).
public func jacfwd<A, B, Out: TensorTree, S, Aux>(
  of f: (A, B) throws -> (Out, Aux), at x: (A, B), wrt: TwoArgumentSelection<A, B, S>, chunkSize: Int? = nil
) rethrows -> (jacobian: TreeJacobian<Out, S>, aux: Aux) {
  try jacfwd(of: { (s: S) throws -> (Out, Aux) in
    let (a, b) = wrt.merge(s, x.0, x.1)
    return try f(a, b)
  }, at: wrt.select(x.0, x.1), chunkSize: chunkSize)
}

/// The Jacobian by forward mode (`jacfwd`) of a function of three arguments with respect to those
/// `wrt` selects, like `jax.jacfwd(f, argnums=…)`.
///
/// - Parameters:
///   - f: the function.
///   - x: the arguments.
///   - wrt: the arguments to differentiate with respect to (`.first`, `.second`, …).
///   - chunkSize: directions (or cotangents) per pass, as in the one-argument form.
public func jacfwd<A, B, C, Out: TensorTree, S>(
  of f: (A, B, C) throws -> Out, at x: (A, B, C), wrt: ThreeArgumentSelection<A, B, C, S>, chunkSize: Int? = nil
) rethrows -> TreeJacobian<Out, S> {
  try jacfwd(of: { s in
    let (a, b, c) = wrt.merge(s, x.0, x.1, x.2)
    return try f(a, b, c)
  }, at: wrt.select(x.0, x.1, x.2), chunkSize: chunkSize)
}

/// `jacfwd` of a function of three arguments with respect to those `wrt` selects, for a
/// function that also returns an auxiliary value (JAX's `has_aux` with `argnums`).
public func jacfwd<A, B, C, Out: TensorTree, S, Aux>(
  of f: (A, B, C) throws -> (Out, Aux), at x: (A, B, C), wrt: ThreeArgumentSelection<A, B, C, S>, chunkSize: Int? = nil
) rethrows -> (jacobian: TreeJacobian<Out, S>, aux: Aux) {
  try jacfwd(of: { (s: S) throws -> (Out, Aux) in
    let (a, b, c) = wrt.merge(s, x.0, x.1, x.2)
    return try f(a, b, c)
  }, at: wrt.select(x.0, x.1, x.2), chunkSize: chunkSize)
}

/// The Jacobian by reverse mode (`jacrev`) of a function of two arguments with respect to those
/// `wrt` selects, like `jax.jacrev(f, argnums=…)`.
///
/// - Parameters:
///   - f: the function.
///   - x: the arguments.
///   - wrt: the arguments to differentiate with respect to (`.first`, `.second`, …).
///   - chunkSize: directions (or cotangents) per pass, as in the one-argument form.
public func jacrev<A, B, Out: TensorTree, S>(
  of f: (A, B) throws -> Out, at x: (A, B), wrt: TwoArgumentSelection<A, B, S>, chunkSize: Int? = nil
) rethrows -> TreeJacobian<Out, S> {
  try jacrev(of: { s in
    let (a, b) = wrt.merge(s, x.0, x.1)
    return try f(a, b)
  }, at: wrt.select(x.0, x.1), chunkSize: chunkSize)
}

/// `jacrev` of a function of two arguments with respect to those `wrt` selects, for a
/// function that also returns an auxiliary value (JAX's `has_aux` with `argnums`).
public func jacrev<A, B, Out: TensorTree, S, Aux>(
  of f: (A, B) throws -> (Out, Aux), at x: (A, B), wrt: TwoArgumentSelection<A, B, S>, chunkSize: Int? = nil
) rethrows -> (jacobian: TreeJacobian<Out, S>, aux: Aux) {
  try jacrev(of: { (s: S) throws -> (Out, Aux) in
    let (a, b) = wrt.merge(s, x.0, x.1)
    return try f(a, b)
  }, at: wrt.select(x.0, x.1), chunkSize: chunkSize)
}

/// The Jacobian by reverse mode (`jacrev`) of a function of three arguments with respect to those
/// `wrt` selects, like `jax.jacrev(f, argnums=…)`.
///
/// - Parameters:
///   - f: the function.
///   - x: the arguments.
///   - wrt: the arguments to differentiate with respect to (`.first`, `.second`, …).
///   - chunkSize: directions (or cotangents) per pass, as in the one-argument form.
public func jacrev<A, B, C, Out: TensorTree, S>(
  of f: (A, B, C) throws -> Out, at x: (A, B, C), wrt: ThreeArgumentSelection<A, B, C, S>, chunkSize: Int? = nil
) rethrows -> TreeJacobian<Out, S> {
  try jacrev(of: { s in
    let (a, b, c) = wrt.merge(s, x.0, x.1, x.2)
    return try f(a, b, c)
  }, at: wrt.select(x.0, x.1, x.2), chunkSize: chunkSize)
}

/// `jacrev` of a function of three arguments with respect to those `wrt` selects, for a
/// function that also returns an auxiliary value (JAX's `has_aux` with `argnums`).
public func jacrev<A, B, C, Out: TensorTree, S, Aux>(
  of f: (A, B, C) throws -> (Out, Aux), at x: (A, B, C), wrt: ThreeArgumentSelection<A, B, C, S>, chunkSize: Int? = nil
) rethrows -> (jacobian: TreeJacobian<Out, S>, aux: Aux) {
  try jacrev(of: { (s: S) throws -> (Out, Aux) in
    let (a, b, c) = wrt.merge(s, x.0, x.1, x.2)
    return try f(a, b, c)
  }, at: wrt.select(x.0, x.1, x.2), chunkSize: chunkSize)
}

/// The Hessian of a scalar function of two arguments with respect to those `wrt` selects, like
/// `jax.hessian(f, argnums=…)`.
///
/// - Parameters:
///   - f: the function.
///   - x: the arguments.
///   - wrt: the arguments to differentiate with respect to (`.first`, `.second`, …).
///   - chunkSize: directions (or cotangents) per pass, as in the one-argument form.
public func hessian<A, B, S>(
  of f: (A, B) throws -> Tensor, at x: (A, B), wrt: TwoArgumentSelection<A, B, S>, chunkSize: Int? = nil
) rethrows -> TreeJacobian<S, S> {
  try hessian(of: { s in
    let (a, b) = wrt.merge(s, x.0, x.1)
    return try f(a, b)
  }, at: wrt.select(x.0, x.1), chunkSize: chunkSize)
}

/// `hessian` of a function of two arguments with respect to those `wrt` selects, for a
/// function that also returns an auxiliary value (JAX's `has_aux` with `argnums`).
public func hessian<A, B, S, Aux>(
  of f: (A, B) throws -> (Tensor, Aux), at x: (A, B), wrt: TwoArgumentSelection<A, B, S>, chunkSize: Int? = nil
) rethrows -> (hessian: TreeJacobian<S, S>, aux: Aux) {
  try hessian(of: { (s: S) throws -> (Tensor, Aux) in
    let (a, b) = wrt.merge(s, x.0, x.1)
    return try f(a, b)
  }, at: wrt.select(x.0, x.1), chunkSize: chunkSize)
}

/// The Hessian of a scalar function of three arguments with respect to those `wrt` selects, like
/// `jax.hessian(f, argnums=…)`.
///
/// - Parameters:
///   - f: the function.
///   - x: the arguments.
///   - wrt: the arguments to differentiate with respect to (`.first`, `.second`, …).
///   - chunkSize: directions (or cotangents) per pass, as in the one-argument form.
public func hessian<A, B, C, S>(
  of f: (A, B, C) throws -> Tensor, at x: (A, B, C), wrt: ThreeArgumentSelection<A, B, C, S>, chunkSize: Int? = nil
) rethrows -> TreeJacobian<S, S> {
  try hessian(of: { s in
    let (a, b, c) = wrt.merge(s, x.0, x.1, x.2)
    return try f(a, b, c)
  }, at: wrt.select(x.0, x.1, x.2), chunkSize: chunkSize)
}

/// `hessian` of a function of three arguments with respect to those `wrt` selects, for a
/// function that also returns an auxiliary value (JAX's `has_aux` with `argnums`).
public func hessian<A, B, C, S, Aux>(
  of f: (A, B, C) throws -> (Tensor, Aux), at x: (A, B, C), wrt: ThreeArgumentSelection<A, B, C, S>, chunkSize: Int? = nil
) rethrows -> (hessian: TreeJacobian<S, S>, aux: Aux) {
  try hessian(of: { (s: S) throws -> (Tensor, Aux) in
    let (a, b, c) = wrt.merge(s, x.0, x.1, x.2)
    return try f(a, b, c)
  }, at: wrt.select(x.0, x.1, x.2), chunkSize: chunkSize)
}

/// The gradient of a scalar function of two arguments with respect to those `wrt` selects, like
/// `jax.grad(f, argnums=…)`; for two or three arguments the gradient is a ``TreePair`` or
/// ``TreeTriple``.
///
/// - Parameters:
///   - f: the function.
///   - x: the arguments.
///   - wrt: the arguments to differentiate with respect to (`.first`, `.second`, …).
public func gradient<A, B, S>(
  of f: (A, B) throws -> Tensor, at x: (A, B), wrt: TwoArgumentSelection<A, B, S>
) rethrows -> S {
  try gradient(of: { s in
    let (a, b) = wrt.merge(s, x.0, x.1)
    return try f(a, b)
  }, at: wrt.select(x.0, x.1))
}

/// The gradient of a scalar function of three arguments with respect to those `wrt` selects, like
/// `jax.grad(f, argnums=…)`; for two or three arguments the gradient is a ``TreePair`` or
/// ``TreeTriple``.
///
/// - Parameters:
///   - f: the function.
///   - x: the arguments.
///   - wrt: the arguments to differentiate with respect to (`.first`, `.second`, …).
public func gradient<A, B, C, S>(
  of f: (A, B, C) throws -> Tensor, at x: (A, B, C), wrt: ThreeArgumentSelection<A, B, C, S>
) rethrows -> S {
  try gradient(of: { s in
    let (a, b, c) = wrt.merge(s, x.0, x.1, x.2)
    return try f(a, b, c)
  }, at: wrt.select(x.0, x.1, x.2))
}

/// The value and the linearized function (`linearize`) of a function of two arguments with respect
/// to those `wrt` selects, like `jax.linearize` of a closure over the others.
///
/// - Parameters:
///   - f: the function.
///   - x: the arguments.
///   - wrt: the arguments to differentiate with respect to (`.first`, `.second`, …).
///   - chunked: whether the returned function takes K directions at once, as in the one-argument form.
public func linearize<A, B, Out: TensorTree, S>(
  of f: (A, B) throws -> Out, at x: (A, B), wrt: TwoArgumentSelection<A, B, S>, chunked: Bool = false
) rethrows -> (value: Out, jvp: (S) -> Out) {
  try linearize(of: { s in
    let (a, b) = wrt.merge(s, x.0, x.1)
    return try f(a, b)
  }, at: wrt.select(x.0, x.1), chunked: chunked)
}

/// `linearize` of a function of two arguments with respect to those `wrt` selects, for a
/// function that also returns an auxiliary value (JAX's `has_aux` with `argnums`).
public func linearize<A, B, Out: TensorTree, S, Aux>(
  of f: (A, B) throws -> (Out, Aux), at x: (A, B), wrt: TwoArgumentSelection<A, B, S>, chunked: Bool = false
) rethrows -> (value: Out, jvp: (S) -> Out, aux: Aux) {
  try linearize(of: { (s: S) throws -> (Out, Aux) in
    let (a, b) = wrt.merge(s, x.0, x.1)
    return try f(a, b)
  }, at: wrt.select(x.0, x.1), chunked: chunked)
}

/// The value and the linearized function (`linearize`) of a function of three arguments with
/// respect to those `wrt` selects, like `jax.linearize` of a closure over the others.
///
/// - Parameters:
///   - f: the function.
///   - x: the arguments.
///   - wrt: the arguments to differentiate with respect to (`.first`, `.second`, …).
///   - chunked: whether the returned function takes K directions at once, as in the one-argument form.
public func linearize<A, B, C, Out: TensorTree, S>(
  of f: (A, B, C) throws -> Out, at x: (A, B, C), wrt: ThreeArgumentSelection<A, B, C, S>, chunked: Bool = false
) rethrows -> (value: Out, jvp: (S) -> Out) {
  try linearize(of: { s in
    let (a, b, c) = wrt.merge(s, x.0, x.1, x.2)
    return try f(a, b, c)
  }, at: wrt.select(x.0, x.1, x.2), chunked: chunked)
}

/// `linearize` of a function of three arguments with respect to those `wrt` selects, for a
/// function that also returns an auxiliary value (JAX's `has_aux` with `argnums`).
public func linearize<A, B, C, Out: TensorTree, S, Aux>(
  of f: (A, B, C) throws -> (Out, Aux), at x: (A, B, C), wrt: ThreeArgumentSelection<A, B, C, S>, chunked: Bool = false
) rethrows -> (value: Out, jvp: (S) -> Out, aux: Aux) {
  try linearize(of: { (s: S) throws -> (Out, Aux) in
    let (a, b, c) = wrt.merge(s, x.0, x.1, x.2)
    return try f(a, b, c)
  }, at: wrt.select(x.0, x.1, x.2), chunked: chunked)
}
