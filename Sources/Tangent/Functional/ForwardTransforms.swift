/// Pairs each leaf of `x` with its tangent at `level`.
func makeDuals<T: TensorTree>(_ x: T, _ v: T, at level: DualLevel, op: String) -> T {
  let xs = x.leaves, vs = v.leaves
  precondition(xs.count == vs.count, "\(op): the tangent has \(vs.count) tensors, the point has \(xs.count)")
  return x.rebuilt(from: zip(xs, vs).map { $0.dual(tangent: $1, at: level) })
}

/// Splits each leaf of `y` into its primal and tangent at `level` (zero tangents made explicit,
/// with `chunk` leading directions when given).
func splitDuals<T: TensorTree>(_ y: T, at level: DualLevel, chunk: Int? = nil) -> (T, T) {
  var primals: [Tensor] = [], tangents: [Tensor] = []
  for leaf in y.leaves {
    let (p, t) = leaf.unpacked(at: level)
    primals.append(p)
    tangents.append(t ?? Tensor.zeros(like: p.detached, shape: (chunk.map { [$0] } ?? []) + p.shape))
  }
  return (y.rebuilt(from: primals), y.rebuilt(from: tangents))
}

/// The value of `f` at `x` and its Jacobian-vector product along `v`, by forward mode:
/// one evaluation of `f` on dual tensors.
///
/// Like `torch.func.jvp` and `jax.jvp`. Transforms nest: `jvp` inside `jvp` gives
/// forward-over-forward derivatives with no perturbation confusion.
/// - Parameters:
///   - f: the function; its input and output are tensors or ``TensorTree`` values.
///   - x: the point.
///   - v: the direction, of the same structure and shapes as `x` (or with one leading chunk
///     dimension on every leaf to push several directions at once).
/// - Returns: `f(x)` and `J_f(x) · v`.
public func jvp<In: TensorTree, Out: TensorTree>(
  of f: (In) -> Out, at x: In, along v: In
) -> (value: Out, tangent: Out) {
  withDualLevel { level in
    let chunk = Array(zip(x.leaves, v.leaves)).first.flatMap { $1.rank > $0.rank ? $1.shape[0] : nil }
    return splitDuals(f(makeDuals(x, v, at: level, op: "jvp")), at: level, chunk: chunk)
  }
}

/// ``jvp(of:at:along:)`` for a function that also returns an auxiliary value, which is
/// passed through undifferentiated (JAX's `has_aux`).
public func jvp<In: TensorTree, Out: TensorTree, Aux>(
  of f: (In) -> (Out, Aux), at x: In, along v: In
) -> (value: Out, tangent: Out, aux: Aux) {
  withDualLevel { level in
    let (y, aux) = f(makeDuals(x, v, at: level, op: "jvp"))
    let (p, t) = splitDuals(y, at: level)
    return (p, t, aux)
  }
}

/// The Jacobian of `f` at `x` by forward mode, like `torch.func.jacfwd`.
///
/// The result has shape `f(x).shape + x.shape`. Each pass pushes `chunkSize` tangent
/// directions at once (chunked tangents), so f: Rⁿ → Rᵐ costs ⌈n / chunkSize⌉ passes.
/// - Parameters:
///   - f: the function.
///   - x: the point.
///   - chunkSize: directions per pass; by default all of them, up to 64.
/// - Complexity: ⌈n / chunkSize⌉ evaluations of f on dual tensors.
public func jacfwd(of f: (Tensor) -> Tensor, at x: Tensor, chunkSize: Int? = nil) -> Tensor {
  let n = x.count
  let k = Swift.max(1, Swift.min(chunkSize ?? 64, Swift.max(n, 1)))
  precondition(chunkSize == nil || chunkSize! > 0, "jacfwd: chunkSize must be positive, got \(chunkSize!)")
  var columns: [Tensor] = []
  var outShape: [Int] = []
  var start = 0
  repeat {
    let width = Swift.min(k, n - start)
    let basis = Tensor.basis(rows: width, offset: start, shape: x.shape, dtype: x.dtype)
    let (y, t) = jvp(of: f, at: x, along: basis)
    outShape = y.shape
    columns.append(t)
    start += width
  } while start < n
  // Columns are [width] + outShape; the Jacobian is outShape + x.shape.
  let stacked = Tensor.concatenatingLeading(columns, total: n, rest: outShape)
  let moved = stacked.permuted(Array(1...outShape.count).map { $0 } + [0])
  return moved.reshaped(outShape + x.shape)
}

/// The value of `f` at `x` and a function that computes Jacobian-vector products at `x`,
/// like `jax.linearize`.
///
/// The returned function can be called many times, with any direction of `x`'s structure.
/// - Note: each call evaluates `f` once more on dual tensors; the primal is not cached.
public func linearize<In: TensorTree, Out: TensorTree>(
  of f: @escaping (In) -> Out, at x: In
) -> (value: Out, jvp: (In) -> Out) {
  let value = withoutDerivative { f(x) }
  return (value, { v in jvp(of: f, at: x, along: v).tangent })
}

extension Tensor {
  /// `rows` one-hot directions e_offset … e_(offset+rows−1) over a tensor of `shape`, as a
  /// tensor of shape `[rows] + shape`.
  static func basis(rows: Int, offset: Int, shape: [Int], dtype: DType) -> Tensor {
    let n = Shape.count(shape)
    var values = [Double](repeating: 0, count: rows * n)
    for r in 0..<rows { values[r * n + offset + r] = 1 }
    return Tensor(shape: [rows] + shape, scalars: values).converted(to: dtype)
  }

  /// Concatenates tensors of shape `[w_i] + rest` along their first dim (no autodiff).
  static func concatenatingLeading(_ parts: [Tensor], total: Int, rest: [Int]) -> Tensor {
    let dtype = parts.first?.dtype ?? .float64
    let out = Tensor(uninitializedShape: [total] + rest, dtype: dtype)
    var at = 0
    for p in parts {
      let c = p.detached.contiguousValues(dtype: dtype)
      let bytes = c.count * dtype.byteCount
      (out.storage.base + at).copyMemory(from: c.storage.base, byteCount: bytes)
      at += bytes
    }
    return out
  }
}
