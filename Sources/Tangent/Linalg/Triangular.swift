import ComplexModule
import RealModule

extension LAPACK.MatrixOp {
  /// The op applied to a (tangent) tensor: `t`, `tᵀ`, `tᴴ` or `conj(t)` over the last two dims.
  func apply(_ t: Tensor) -> Tensor {
    switch self {
    case .none: t
    case .transpose: t.mT
    case .adjoint: t.mH
    case .conjugate: t.conj()
    }
  }

  /// The VJP of `t ↦ op(t)`: the adjoint map (`op` again for the transposes, `conj` for
  /// `conj`, both self-adjoint).
  func applyAdjoint(_ g: Tensor) -> Tensor { apply(g) }
}

/// The triangle of `A` a triangular solve reads: on and above (`upper`) or below the
/// diagonal, without the diagonal when it is a unit one.
func triangle(_ t: Tensor, upper: Bool, unitriangular: Bool) -> Tensor {
  upper ? t.triu(diagonal: unitriangular ? 1 : 0) : t.tril(diagonal: unitriangular ? -1 : 0)
}

/// Solves `op(A) X = B` (`left`) or `X op(A) = B` for a triangular `A`, reading only its
/// `upper` or lower triangle (without the diagonal when `unitriangular`): inputs `[A, B]`,
/// output `[X]`, batch dims broadcast. The primal is one BLAS `trsm` per matrix, in either
/// layout of `A` (no copies), and like PyTorch a zero on the diagonal gives infinities.
///
/// Derivative (PyTorch's `linalg_solve_triangular_forward_AD` and
/// `linalg_solve_triangular_backward`; Giles 2008, §2.3.1): only `A`'s triangle `T(dA)` moves
/// the solution, so `dX = op(A)⁻¹ (dB − op(T(dA)) X)` (`(dB − X op(T(dA))) op(A)⁻¹` on the
/// right). The VJP is `gB = op(A)⁻ᴴ gX` (one solve with the adjoint op) and
/// `gA = T(op*(−gB Xᴴ))` (`−Xᴴ gB` on the right), where `op*` is the adjoint of `t ↦ op(t)`.
///
/// `legacy` is `torch.triangular_solve`'s forward rule, which (unlike its reverse rule) uses
/// the whole tangent `dA` rather than its triangle; the two agree for triangular tangents.
struct TriangularSolveOp: DifferentiableOp {
  let upper: Bool
  let left: Bool
  let unitriangular: Bool
  let op: LAPACK.MatrixOp
  var legacy = false
  var name: String { legacy ? "Linalg.triangularSolve" : "Linalg.solveTriangular" }
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }

  /// The batch broadcasts in front of the batch dims of `A` and `B` (each batched one
  /// lifted to the most batch dims among them).
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.broadcastingBatchDims(self, inputs, isBatched: isBatched, coreRanks: [2, 2])
  }

  /// The legacy op has no consistent forward-over-reverse derivative: its forward rule uses
  /// the whole tangent of `A` (PyTorch's convention) while its reverse rule and the primal
  /// read one triangle, so the JVP of the VJP matches neither convention off the triangle.
  var unsupportedModes: [DerivativeMode: String] {
    legacy
      ? [.forwardOverReverse: "its forward rule uses the whole tangent of A, as PyTorch's does, while the reverse rule reads one triangle, so the two do not compose; use Linalg.solveTriangular"]
      : [:]
  }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    [LAPACK.triangularSolve(inputs[0], inputs[1], upper: upper, left: left, op: op, unitriangular: unitriangular)]
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    let a = inputs[0], x = outputs[0]
    let db = tangents[1].map { lift($0, primalRank: inputs[1].rank, outputRank: x.rank) }
    let term = tangents[0].map { da -> Tensor in
      let d = lift(da, primalRank: a.rank, outputRank: x.rank)
      let t = op.apply(legacy ? d : triangle(d, upper: upper, unitriangular: unitriangular))
      return left ? t.matmul(x) : x.matmul(t)
    }
    let r = differenceOfTerms(db, term)
    guard let r else { return [nil] }
    return [Tensor.apply(self, [a, r])[0]]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gx = cotangents[0], needed[0] || needed[1] else { return [nil, nil] }
    let a = inputs[0], x = outputs[0]
    let adjoint = TriangularSolveOp(upper: upper, left: left, unitriangular: unitriangular, op: op.adjointed, legacy: legacy)
    let gb = Tensor.apply(adjoint, [a, gx])[0]
    var ga: Tensor? = nil
    if needed[0] {
      let gop = left ? -(gb.matmul(x.mH)) : -(x.mH.matmul(gb))
      ga = triangle(op.applyAdjoint(gop), upper: upper, unitriangular: unitriangular).summed(toShape: a.shape)
    }
    return [ga, needed[1] ? gb.summed(toShape: inputs[1].shape) : nil]
  }
}

extension Linalg {
  /// Solves `A X = B` (`left`, the default) or `X A = B` for a triangular `A`, like
  /// `torch.linalg.solve_triangular`. Only the `upper` (or lower) triangle of `A` is read,
  /// and with `unitriangular` its diagonal is taken to be ones and not read either. The batch
  /// dims of `A` and `B` broadcast. A zero on the diagonal gives infinities or NaN, not an
  /// error (as in PyTorch and BLAS).
  ///
  /// Derivative: `dX = A⁻¹ (dB − T(dA) X)`, where `T` keeps the triangle that is read; the VJP
  /// is `gB = A⁻ᴴ gX`, `gA = T(−gB Xᴴ)`.
  /// - Parameters:
  ///   - a: the triangular matrices `[..., n, n]`.
  ///   - b: `[..., n, k]` (`[..., k, n]` when not `left`).
  ///   - upper: whether `A` is upper triangular (else lower).
  ///   - left: solve `A X = B` (the default) or, when false, `X A = B`.
  ///   - unitriangular: take `A`'s diagonal to be ones, without reading it.
  /// - Precondition: `a` is a batch of square matrices, `b` matches it and has its floating
  ///   dtype, and the batch dims broadcast.
  public static func solveTriangular(_ a: Tensor, _ b: Tensor, upper: Bool, left: Bool = true, unitriangular: Bool = false) -> Tensor {
    triangularOp(a, b, upper: upper, left: left, unitriangular: unitriangular, op: .none, "Linalg.solveTriangular")
  }

  /// Solves `A X = b` (or `Aᵀ X = b` when `transpose`) for a triangular `A`, like the legacy
  /// `torch.triangular_solve(b, A, upper, transpose, unitriangular)` (note the argument order
  /// and that `upper` defaults to `true`). Returns the solution and a copy of `A` (broadcast to
  /// the batch shape), as PyTorch does.
  ///
  /// Derivative: as ``solveTriangular(_:_:upper:left:unitriangular:)``, except that the
  /// forward rule uses the whole tangent of `A`, as PyTorch's does; the copy of `A` has the
  /// identity derivative.
  public static func triangularSolve(
    _ b: Tensor, _ a: Tensor, upper: Bool = true, transpose: Bool = false, unitriangular: Bool = false
  ) -> (solution: Tensor, clonedCoefficient: Tensor) {
    let x = triangularOp(a, b, upper: upper, left: true, unitriangular: unitriangular, op: transpose ? .transpose : .none,
      "Linalg.triangularSolve", legacy: true)
    let batch = Array(x.shape.dropLast(2))
    let n = a.shape[a.rank - 1]
    return (x, a.expanded(to: batch + [n, n]).contiguousCopy())
  }

  static func triangularOp(
    _ a: Tensor, _ b: Tensor, upper: Bool, left: Bool, unitriangular: Bool, op: LAPACK.MatrixOp, _ name: String,
    legacy: Bool = false
  ) -> Tensor {
    requireSquare(a, name)
    requireSameDType(a, b, name)
    check(b.rank >= 2, "\(name): B must have at least 2 dimensions, got shape \(b.shape)")
    let n = a.shape[a.rank - 1]
    check(
      b.shape[b.rank - (left ? 2 : 1)] == n,
      "\(name): A \(a.shape) and B \(b.shape) do not match (B needs \(n) \(left ? "rows" : "columns"))")
    requireBroadcastBatch(a, b, name)
    let solve = TriangularSolveOp(upper: upper, left: left, unitriangular: unitriangular, op: op, legacy: legacy)
    return Tensor.apply(solve, [a, b])[0]
  }
}
