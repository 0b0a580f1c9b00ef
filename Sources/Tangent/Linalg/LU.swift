import ComplexModule
import RealModule

/// The factors `L` (unit lower triangular) and `U` (upper triangular) of a packed square LU
/// factorisation, as differentiable functions of it.
func unpackSquareLU(_ lu: Tensor) -> (l: Tensor, u: Tensor) {
  let n = lu.shape[lu.rank - 1]
  return (lu.tril(diagonal: -1) + Tensor.eye(n, dtype: lu.dtype), lu.triu())
}

/// Solves with a packed LU factorisation `M = P L U`: `op(A) X = B` (`left`) or `X op(A) = B`,
/// where `A = M` (or `Mᵀ` when `factorOfTranspose`) and `op` is the identity or, when
/// `adjoint`, the conjugate transpose. Inputs `[LU, pivots, B]`, output `[X]`; the batch dims of
/// the factors and `B` broadcast. This is `torch.linalg.lu_solve`, and the solve that other
/// ops' rules run with a saved factorisation.
///
/// Derivative (PyTorch's `linalg_lu_solve_jvp` and `linalg_lu_solve_LU`; Giles 2008, §2.3.1):
/// the factors are functions of the packed tensor, `L = tril(LU, −1) + I` and `U = triu(LU)`,
/// so `dA = P (dL U + L dU)` with `dL = tril(dLU, −1)`, `dU = triu(dLU)`, and from
/// `op(A) X = B`, `dX = op(A)⁻¹ (dB − op(dA) X)` (one more solve with the same factors). The
/// VJP is `gB = op(A)⁻ᴴ gX` (the same solve with `adjoint` flipped), `g_op(A) = −gB Xᴴ`
/// (`−Xᴴ gB` on the right), taken back through `op` and the transpose to `gM`, and then
/// `gLU = tril(Pᵀ gM Uᴴ, −1) + triu(Lᴴ Pᵀ gM)`.
struct LUSolveOp: DifferentiableOp {
  let left: Bool
  let adjoint: Bool
  let factorOfTranspose: Bool
  var name: String { "Linalg.luSolve" }
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }

  /// The batch broadcasts in front of the batch dims of the factors, the pivots and `B` (each batched one
  /// lifted to the most batch dims among them).
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.broadcastingBatchDims(self, inputs, isBatched: isBatched, coreRanks: [2, 1, 2])
  }

  /// The op on the factored matrix `M`.
  var matrixOp: LAPACK.MatrixOp {
    let base: LAPACK.MatrixOp = adjoint ? .adjoint : .none
    return factorOfTranspose ? base.transposed : base
  }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    [LAPACK.luSolve(lu: inputs[0], pivots: inputs[1], b: inputs[2], left: left, op: matrixOp)]
  }

  /// `M = P L U` and the constant `P`.
  func factors(_ lu: Tensor, _ pivots: Tensor) -> (p: Tensor, l: Tensor, u: Tensor) {
    let (l, u) = unpackSquareLU(lu)
    return (LAPACK.permutation(pivots: pivots, rows: lu.shape[lu.rank - 1], dtype: lu.dtype), l, u)
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    let lu = inputs[0], x = outputs[0]
    var r = tangents[2].map { lift($0, primalRank: inputs[2].rank, outputRank: x.rank) }
    if let dlu = tangents[0] {
      let (p, l, u) = factors(lu, inputs[1])
      let d = lift(dlu, primalRank: lu.rank, outputRank: x.rank)
      let dm = p.matmul(d.tril(diagonal: -1).matmul(u) + l.matmul(d.triu()))
      let da = factorOfTranspose ? dm.mT : dm
      let opda = adjoint ? da.mH : da
      let term = left ? opda.matmul(x) : x.matmul(opda)
      r = r.map { $0 - term } ?? -term
    }
    guard let r else { return [nil] }
    return [Tensor.apply(self, [lu, inputs[1], r])[0]]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gx = cotangents[0], needed[0] || needed[2] else { return [nil, nil, nil] }
    let lu = inputs[0], x = outputs[0]
    let flipped = LUSolveOp(left: left, adjoint: !adjoint, factorOfTranspose: factorOfTranspose)
    let gb = Tensor.apply(flipped, [lu, inputs[1], gx])[0]
    var glu: Tensor? = nil
    if needed[0] {
      let gop = left ? -(gb.matmul(x.mH)) : -(x.mH.matmul(gb))
      let ga = adjoint ? gop.mH : gop
      let gm = factorOfTranspose ? ga.mT : ga
      let (p, l, u) = factors(lu, inputs[1])
      let pgm = p.mT.matmul(gm)
      glu = (pgm.matmul(u.mH).tril(diagonal: -1) + l.mH.matmul(pgm).triu()).summed(toShape: lu.shape)
    }
    return [glu, nil, needed[2] ? gb.summed(toShape: inputs[2].shape) : nil]
  }
}

/// A triangular solve with the packed factors, for the rules below: `L` is the strictly lower
/// part with a unit diagonal, `U` the upper part, both read from the packed tensor itself.
private func solveL(_ lu: Tensor, _ b: Tensor, left: Bool = true, op: LAPACK.MatrixOp = .none) -> Tensor {
  Tensor.apply(TriangularSolveOp(upper: false, left: left, unitriangular: true, op: op), [lu, b])[0]
}

private func solveU(_ lu: Tensor, _ b: Tensor, left: Bool = true, op: LAPACK.MatrixOp = .none) -> Tensor {
  Tensor.apply(TriangularSolveOp(upper: true, left: left, unitriangular: false, op: op), [lu, b])[0]
}

/// The LU factorisation with partial pivoting `A = P L U` of a batch of `m × n` matrices:
/// outputs `[LU, pivots, info]` with `L` (`m × k`, unit lower trapezoidal, `k = min(m, n)`)
/// and `U` (`k × n`, upper trapezoidal) packed in one `m × n` tensor, like
/// `torch.linalg.lu_factor_ex`. `LU` is column-major in memory, LAPACK's own layout, so the
/// solves that use it read it without copies.
///
/// Derivative (PyTorch's `linalg_lu_jvp`/`lu_factor_ex_jvp` and `linalg_lu_backward`;
/// Giles 2008): with `P` fixed, `Pᵀ dA = dL U + L dU`. For square `A`,
/// `dK = L⁻¹ Pᵀ dA U⁻¹ = L⁻¹dL + dU U⁻¹` splits into its strictly lower and upper parts, so
/// `dL = L tril(dK, −1)` and `dU = triu(dK) U`. A wide `A = P L [U₁ U₂]` adds
/// `dU₂ = L⁻¹ Pᵀ dA₂ − tril(dK, −1) U₂`; a tall `A = P [L₁; L₂] U` adds
/// `dL₂ = Pᵀ dA₂ U⁻¹ − L₂ triu(dK)`. The VJP is the adjoint of these maps:
/// `gA = P L⁻ᴴ Φ U⁻ᴴ` with `Φ = tril(Lᴴ gL, −1) + triu(gU Uᴴ)` for square `A`, and the blocks
/// for rectangular ones (see the code). The triangular solves read the packed factors
/// directly.
struct LUFactorOp: DifferentiableOp {
  var name: String { "Linalg.luFactor" }
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let (lu, pivots, info) = LAPACK.luFactor(inputs[0], ofTranspose: false)
    return [lu, pivots, info]
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let da = tangents[0] else { return [nil, nil, nil] }
    let lu = outputs[0]
    let r = lu.rank, m = lu.shape[r - 2], n = lu.shape[r - 1], k = Swift.min(m, n)
    if k == 0 { return [Tensor.zeros(like: da.detached), nil, nil] }
    let pda = LAPACK.permutation(pivots: outputs[1], rows: m, dtype: lu.dtype).mT.matmul(da)
    // The square k × k block holds L₁ and U₁.
    let square = m == n ? lu : (m < n ? lu.narrowed(dim: -1, start: 0, length: k) : lu.narrowed(dim: -2, start: 0, length: k))
    let (l1, u1) = unpackSquareLU(square)
    let pda1 = m == n ? pda : (m < n ? pda.narrowed(dim: -1, start: 0, length: k) : pda.narrowed(dim: -2, start: 0, length: k))
    let dk = solveU(square, solveL(square, pda1), left: false)
    let lower = dk.tril(diagonal: -1), upper = dk.triu()
    let d1 = l1.matmul(lower) + upper.matmul(u1)
    if m == n { return [d1, nil, nil] }
    if m < n {
      let u2 = lu.narrowed(dim: -1, start: k, length: n - k)
      let du2 = solveL(square, pda.narrowed(dim: -1, start: k, length: n - k)) - lower.matmul(u2)
      return [Tensor.cat([d1, du2], dim: -1), nil, nil]
    }
    let l2 = lu.narrowed(dim: -2, start: k, length: m - k)
    let dl2 = solveU(square, pda.narrowed(dim: -2, start: k, length: m - k), left: false) - l2.matmul(upper)
    return [Tensor.cat([d1, dl2], dim: -2), nil, nil]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0], let g = cotangents[0] else { return [nil] }
    let lu = outputs[0]
    let r = lu.rank, m = lu.shape[r - 2], n = lu.shape[r - 1], k = Swift.min(m, n)
    if k == 0 { return [Tensor.zeros(like: g.detached)] }
    let square = m == n ? lu : (m < n ? lu.narrowed(dim: -1, start: 0, length: k) : lu.narrowed(dim: -2, start: 0, length: k))
    let (l1, u1) = unpackSquareLU(square)
    let g1 = m == n ? g : (m < n ? g.narrowed(dim: -1, start: 0, length: k) : g.narrowed(dim: -2, start: 0, length: k))
    let gl = g1.tril(diagonal: -1), gu = g1.triu()
    let gpa: Tensor
    if m == n {
      let phi = l1.mH.matmul(gl).tril(diagonal: -1) + gu.matmul(u1.mH).triu()
      gpa = solveU(square, solveL(square, phi, op: .adjoint), left: false, op: .adjoint)
    } else if m < n {
      let u2 = lu.narrowed(dim: -1, start: k, length: n - k), gu2 = g.narrowed(dim: -1, start: k, length: n - k)
      let phi = (l1.mH.matmul(gl) - gu2.matmul(u2.mH)).tril(diagonal: -1) + gu.matmul(u1.mH).triu()
      gpa = solveL(square, Tensor.cat([solveU(square, phi, left: false, op: .adjoint), gu2], dim: -1), op: .adjoint)
    } else {
      let l2 = lu.narrowed(dim: -2, start: k, length: m - k), gl2 = g.narrowed(dim: -2, start: k, length: m - k)
      let phi = l1.mH.matmul(gl).tril(diagonal: -1) + (gu.matmul(u1.mH) - l2.mH.matmul(gl2)).triu()
      gpa = solveU(square, Tensor.cat([solveL(square, phi, op: .adjoint), gl2], dim: -2), left: false, op: .adjoint)
    }
    return [LAPACK.permutation(pivots: outputs[1], rows: m, dtype: lu.dtype).matmul(gpa)]
  }
}

extension Linalg {
  /// The LU factorisation with partial pivoting `A = P L U` of each `m × n` matrix, packed,
  /// like `torch.linalg.lu_factor`: `LU` holds `L` below the diagonal (its unit diagonal
  /// implied) and `U` on and above it; `pivots` (`int64`, `[..., min(m, n)]`, 1-based, as in
  /// LAPACK and PyTorch) says that row `i` was interchanged with row `pivots[i]`.
  ///
  /// Derivative: see `LUFactorOp` (square and rectangular matrices).
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` when a `U` has an exact zero on its
  ///   diagonal (solving with it would divide by zero); ``luFactorEx(_:pivot:)`` and ``lu(_:pivot:)``
  ///   factor such matrices without an error.
  /// - Parameters:
  ///   - a: the matrices `[..., m, n]`, floating.
  ///   - pivot: PyTorch's `pivot`. Only `true` (partial pivoting) is supported, as in
  ///     PyTorch on the CPU: LU without pivoting breaks down on a zero leading minor and is
  ///     unstable in floating point, so LAPACK (and Tangent) offer only the pivoted form.
  /// - Returns: the packed factors `LU` (`[..., m, n]`) and the 1-based `pivots`
  ///   (`int64`, `[..., min(m, n)]`).
  /// - Precondition: `a` is a floating tensor with at least 2 dims; `pivot` is `true`.
  public static func luFactor(_ a: Tensor, pivot: Bool = true) throws(LinalgError) -> (lu: Tensor, pivots: Tensor) {
    requirePivoting(pivot, "Linalg.luFactor")
    let (lu, pivots, info) = luFactorEx(a, op: "Linalg.luFactor")
    try LinalgError.checkSingular(info, op: "Linalg.luFactor")
    return (lu, pivots)
  }

  /// ``luFactor(_:pivot:)`` with LAPACK's info instead of an error, like
  /// `torch.linalg.lu_factor_ex` (and `torch.lu(A, get_infos=True)`): `info[i] = k > 0` when
  /// `U[k−1, k−1]` of matrix `i` is zero.
  ///
  /// Derivative: as ``luFactor(_:pivot:)``; `pivots` and `info` have none.
  /// - Parameters:
  ///   - a: the matrices `[..., m, n]`, floating.
  ///   - pivot: only `true` is supported, as in PyTorch on the CPU.
  /// - Returns: the packed factors, the 1-based pivots and LAPACK's `info` (`int64`, one per
  ///   matrix; `0` when `U` has no zero on its diagonal).
  /// - Precondition: `a` is a floating tensor with at least 2 dims; `pivot` is `true`.
  public static func luFactorEx(_ a: Tensor, pivot: Bool = true) -> (lu: Tensor, pivots: Tensor, info: Tensor) {
    requirePivoting(pivot, "Linalg.luFactorEx")
    return luFactorEx(a, op: "Linalg.luFactorEx")
  }

  /// Stops when LU without pivoting is asked for (PyTorch's CPU backend raises too).
  static func requirePivoting(_ pivot: Bool, _ op: String) {
    check(pivot, "\(op): pivot: false (LU without pivoting) is not supported; only partial pivoting (pivot: true) is, as in PyTorch on the CPU")
  }

  static func luFactorEx(_ a: Tensor, op: String) -> (lu: Tensor, pivots: Tensor, info: Tensor) {
    check(a.rank >= 2, "\(op): A must have at least 2 dimensions, got shape \(a.shape)")
    requireFloating(a, op)
    let out = Tensor.apply(LUFactorOp(), [a])
    return (out[0], out[1], out[2])
  }

  /// The LU factorisation with partial pivoting `A = P L U` of each `m × n` matrix, like
  /// `torch.linalg.lu`: the permutation `P` (`m × m`), `L` (`m × k`, unit lower trapezoidal)
  /// and `U` (`k × n`, upper trapezoidal), `k = min(m, n)`. Singular matrices are factored
  /// without an error.
  ///
  /// Derivative: through ``luFactorEx(_:pivot:)`` and ``luUnpack(_:_:unpackData:unpackPivots:)``;
  /// `P` has none.
  /// - Parameters:
  ///   - a: the matrices `[..., m, n]`, floating.
  ///   - pivot: only `true` is supported, as in PyTorch on the CPU.
  /// - Returns: `P` (`[..., m, m]`), `L` (`[..., m, k]`) and `U` (`[..., k, n]`).
  /// - Precondition: `a` is a floating tensor with at least 2 dims; `pivot` is `true`.
  public static func lu(_ a: Tensor, pivot: Bool = true) -> (p: Tensor, l: Tensor, u: Tensor) {
    requirePivoting(pivot, "Linalg.lu")
    let (packed, pivots, _) = luFactorEx(a, op: "Linalg.lu")
    return luUnpack(packed, pivots)
  }

  /// The factors of a packed LU factorisation, like `torch.lu_unpack`: `P` (`m × m`) from the
  /// pivots, `L = tril(LU, −1) + I` (`m × k`) and `U = triu(LU)` (`k × n`). With
  /// `unpackData: false` (or `unpackPivots: false`), `L` and `U` (or `P`) are empty, as in
  /// PyTorch.
  ///
  /// Derivative: `L` and `U` are linear in `LU` (`dL = tril(dLU, −1)`, `dU = triu(dLU)`);
  /// `P` has none.
  /// - Precondition: `lu` is a floating tensor with at least 2 dims and `pivots` an `int64`
  ///   tensor of shape `[..., min(m, n)]` with valid 1-based pivots.
  public static func luUnpack(
    _ lu: Tensor, _ pivots: Tensor, unpackData: Bool = true, unpackPivots: Bool = true
  ) -> (p: Tensor, l: Tensor, u: Tensor) {
    let op = "Linalg.luUnpack"
    check(lu.rank >= 2, "\(op): LU must have at least 2 dimensions, got shape \(lu.shape)")
    requireFloating(lu, op)
    let m = lu.shape[lu.rank - 2], n = lu.shape[lu.rank - 1], k = Swift.min(m, n)
    check(
      pivots.dtype == .int64 && pivots.shape == Array(lu.shape.dropLast(2)) + [k],
      "\(op): pivots must be int64 of shape \(Array(lu.shape.dropLast(2)) + [k]) for LU \(lu.shape), got \(pivots.dtype) \(pivots.shape)")
    if unpackPivots { requireValidPivots(pivots, rows: m, op) }
    let empty = Tensor.zeros([0], dtype: lu.dtype)
    let p = unpackPivots ? LAPACK.permutation(pivots: pivots, rows: m, dtype: lu.dtype) : empty
    guard unpackData else { return (p, empty, empty) }
    let l = (k == n ? lu : lu.narrowed(dim: -1, start: 0, length: k)).tril(diagonal: -1) + Tensor.eye(m, k, dtype: lu.dtype)
    let u = (k == m ? lu : lu.narrowed(dim: -2, start: 0, length: k)).triu()
    return (p, l, u)
  }

  /// Solves `A X = B` from the packed LU factorisation of a square `A` (``luFactor(_:pivot:)``), like
  /// `torch.linalg.lu_solve`: `X A = B` when not `left`, and with `Aᴴ` when `adjoint`. The
  /// batch dims of the factors and `B` broadcast. No error is raised for a singular `U`.
  ///
  /// Derivative: see `LUSolveOp`; with respect to `LU` through `A = P (tril(LU, −1) + I) triu(LU)`.
  /// - Parameters:
  ///   - lu: the packed factors `[..., n, n]`, as ``luFactor(_:pivot:)`` returns them.
  ///   - pivots: the 1-based row interchanges `[..., n]` (`int64`), as ``luFactor(_:pivot:)``
  ///     returns them.
  ///   - b: `[..., n, k]` (`[..., k, n]` when not `left`).
  ///   - left: solve `A X = B` (the default) or, when false, `X A = B`.
  ///   - adjoint: solve with `Aᴴ` instead of `A`.
  /// - Precondition: `lu` is a batch of square matrices with matching `pivots` (`int64`,
  ///   `[..., n]`), and `b` matches and has `lu`'s floating dtype.
  public static func luSolve(_ lu: Tensor, _ pivots: Tensor, _ b: Tensor, left: Bool = true, adjoint: Bool = false) -> Tensor {
    let op = "Linalg.luSolve"
    requireSquare(lu, op, name: "LU")
    requireSameDType(lu, b, op)
    let n = lu.shape[lu.rank - 1]
    check(
      pivots.dtype == .int64 && pivots.shape == Array(lu.shape.dropLast(2)) + [n],
      "\(op): pivots must be int64 of shape \(Array(lu.shape.dropLast(2)) + [n]) for LU \(lu.shape), got \(pivots.dtype) \(pivots.shape)")
    requireValidPivots(pivots, rows: n, op)
    check(b.rank >= 2, "\(op): B must have at least 2 dimensions, got shape \(b.shape)")
    check(
      b.shape[b.rank - (left ? 2 : 1)] == n,
      "\(op): LU \(lu.shape) and B \(b.shape) do not match (B needs \(n) \(left ? "rows" : "columns"))")
    requireBroadcastBatch(lu, b, op)
    return Tensor.apply(LUSolveOp(left: left, adjoint: adjoint, factorOfTranspose: false), [lu, pivots, b])[0]
  }
}

extension Linalg {
  /// Checks 1-based LU pivots (`int64`, `[..., k]`) against a matrix of `rows` rows before any
  /// kernel reads them: every pivot must lie in `1...rows`, since the kernels swap row `i` with
  /// row `pivot − 1` without a bound check. Stops with a message naming `op`, the batch, the
  /// position and the value otherwise.
  static func requireValidPivots(_ pivots: Tensor, rows: Int, _ op: String) {
    let values = pivots.valuesOfEveryMember.scalars(as: Int64.self)
    let k = pivots.shape.last ?? 1
    for (p, v) in values.enumerated() where v < 1 || v > Int64(rows) {
      misuse(
        "\(op): pivot \(v) at position \(p % Swift.max(k, 1) + 1) of batch \(p / Swift.max(k, 1)) is out of range 1...\(rows) "
          + "(pivots \(pivots.shape)); pass the pivots returned by Linalg.luFactor")
    }
  }
}
