import ComplexModule
import RealModule

// Products of vectors, composed from matmul, mul and sum: their rules come from those ops.

extension Tensor {
  /// The outer product of two vectors, like `torch.outer` (`torch.ger`): `y[i, j] = a[i]·b[j]`,
  /// without conjugation. Dtypes are promoted.
  ///
  /// Derivative: bilinear, `da[i]·b[j] + a[i]·db[j]` (the broadcast product's rule).
  /// - Precondition: both operands are 1-d.
  public func outer(_ other: Tensor) -> Tensor {
    check(rank == 1 && other.rank == 1, "outer: expected two 1-d tensors, got \(shape) and \(other.shape)")
    return reshaped([shape[0], 1]) * other.reshaped([1, other.shape[0]])
  }

  /// The inner product over the last dim, like `torch.inner`: `y[i…, j…] = Σₖ a[i…, k]·b[j…, k]`,
  /// without conjugation; the result has shape `a.shape.dropLast() + b.shape.dropLast()`. A 0-d
  /// operand multiplies the other elementwise.
  ///
  /// Derivative: bilinear, `da·b + a·db` contracted the same way (the rule of `tensordot`).
  /// - Precondition: the last dims have the same size and the dtypes agree (unless an operand
  ///   is 0-d).
  public func inner(_ other: Tensor) -> Tensor {
    if rank == 0 || other.rank == 0 { return self * other }
    check(
      shape[rank - 1] == other.shape[other.rank - 1],
      "inner: the last dims differ: \(shape) and \(other.shape)")
    if rank == 1 && other.rank == 1 { return dot(other) }
    return tensordot(other, dims: ([rank - 1], [other.rank - 1]))
  }

  /// The dot product of two vectors that conjugates the first, like `torch.vdot`:
  /// `Σᵢ conj(aᵢ)·bᵢ` (the plain dot product for real dtypes). One BLAS call with the
  /// conjugation folded into its flags.
  ///
  /// Derivative: `conj(da)·b + conj(a)·db`; the VJP is `conj(ḡ)·b` for `a` and `ḡ·a` for `b`.
  /// - Precondition: two 1-d operands of the same size and dtype.
  public func vdot(_ other: Tensor) -> Tensor {
    check(
      rank == 1 && other.rank == 1 && shape[0] == other.shape[0],
      "vdot: expected two vectors of the same size, got \(shape) · \(other.shape)")
    check(dtype == other.dtype, "vdot: dtypes differ: \(dtype) \(shape) · \(other.dtype) \(other.shape)")
    let k = shape[0]
    return Tensor.apply(MatmulOp(conjugateA: dtype.isComplex), reshaped([1, k]), other.reshaped([k, 1])).reshaped([])
  }

  /// The batched dot product along `dim` that conjugates the first operand, like
  /// `torch.linalg.vecdot(x, y, dim=dim)`: `Σ conj(x)·y` over `dim` of the broadcast operands.
  ///
  /// Derivative: `Σ (conj(dx)·y + conj(x)·dy)`; the VJP is `conj(ḡ)·y` for `x` and `ḡ·x`
  /// for `y`, summed over broadcast dims (the rules of conj, mul and sum).
  /// - Precondition: the operands are floating with the same dtype, their shapes broadcast,
  ///   and `dim` is a dim of the broadcast shape (negative counts from the end).
  public func vecdot(_ other: Tensor, dim: Int = -1) -> Tensor {
    check(
      dtype.isFloatingPoint && dtype == other.dtype,
      "linalg.vecdot: expected floating operands of one dtype, got \(dtype) \(shape) and \(other.dtype) \(other.shape)")
    let out = Shape.broadcast(shape, other.shape, op: "linalg.vecdot")
    let d = Shape.normalize(dim, rank: out.count, op: "linalg.vecdot")
    return (conj() * other).sum(dim: d)
  }

  /// The cross product of 3-vectors along `dim`, like `torch.linalg.cross(a, b, dim=dim)`
  /// (and `torch.cross` with an explicit `dim`): the operands broadcast, and each 3-vector of
  /// the result is `(a₁b₂ − a₂b₁, a₂b₀ − a₀b₂, a₀b₁ − a₁b₀)`, without conjugation.
  ///
  /// Derivative: bilinear, `da × b + a × db`; the VJP is `conj(b) × ḡ` for `a` and
  /// `ḡ × conj(a)` for `b` (from the rules of the slices, products and concatenation).
  /// - Precondition: the dtypes agree, the shapes broadcast and both have size 3 along `dim`
  ///   (negative counts from the end of the broadcast shape).
  public func cross(_ other: Tensor, dim: Int = -1) -> Tensor {
    check(
      dtype == other.dtype, "linalg.cross: dtypes differ: \(dtype) \(shape) and \(other.dtype) \(other.shape)")
    let out = Shape.broadcast(shape, other.shape, op: "linalg.cross")
    check(!out.isEmpty, "linalg.cross: expected at least 1-d operands, got \(shape) and \(other.shape)")
    let d = Shape.normalize(dim, rank: out.count, op: "linalg.cross")
    let fromEnd = d - out.count
    func sizeAlong(_ t: Tensor) -> Int { t.rank + fromEnd >= 0 ? t.shape[t.rank + fromEnd] : 1 }
    check(
      sizeAlong(self) == 3 && sizeAlong(other) == 3,
      "linalg.cross: both operands need size 3 along dim \(dim), got \(shape) and \(other.shape)")
    var outA = out, outB = out
    outA[d] = 3
    outB[d] = 3
    let a = expanded(to: outA), b = other.expanded(to: outB)
    func part(_ t: Tensor, _ i: Int) -> Tensor { t.narrowed(dim: d, start: i, length: 1) }
    let (a0, a1, a2) = (part(a, 0), part(a, 1), part(a, 2))
    let (b0, b1, b2) = (part(b, 0), part(b, 1), part(b, 2))
    return Tensor.cat([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], dim: d)
  }
}
