import ComplexModule
import RealModule

/// The inverse of a batch of square matrices, with LAPACK's info: outputs `[A⁻¹, info]`.
///
/// Derivative (Giles 2008, §2.2.3; PyTorch's `linalg_inv_ex` formulas): from `A Y = I`,
/// `dA Y + A dY = 0`, so the JVP is `dY = −Y dA Y`. The VJP is the adjoint of that linear
/// map, `gA = −Yᴴ gY Yᴴ`. Both are products of the output, so a constant `A` costs nothing.
struct InvOp: DifferentiableOp {
  var name: String { "Linalg.inv" }
  var sparsity: SparsityRule { .slices(dims: [-2, -1], .nonlinear) }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let (y, info) = LAPACK.inverse(inputs[0])
    return [y, info]
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let da = tangents[0] else { return [nil, nil] }
    let y = outputs[0]
    // Plain operands (no higher derivative to record): two BLAS products, the sign in the
    // second one's α.
    if y.autodiff == nil && da.autodiff == nil { return [GEMM.matmul(GEMM.matmul(y, da), y, alpha: -1), nil] }
    return [-(y.matmul(da).matmul(y)), nil]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0], let gy = cotangents[0] else { return [nil] }
    let yh = outputs[0].mH
    return [-(yh.matmul(gy).matmul(yh))]
  }
}

/// Solves `A X = B` (`left`) or `X A = B` for square `A` and matrices `B` with broadcast batch
/// dims: outputs `[X, LU, pivots, info]`, where the packed LU factorisation (of `A`, or of `Aᵀ`
/// when `factorOfTranspose`) is kept for the derivative rules, like PyTorch's
/// `_linalg_solve_ex`.
///
/// The primal factorises `Aᵀ` when `A` is row-major (its storage is `Aᵀ` in column-major
/// order) and solves with the transpose flag, so no transposing copy is made.
///
/// Derivative (Giles 2008, §2.3.1; PyTorch's `linalg_solve_jvp` and `linalg_solve_backward`):
/// from `A X = B`, `dA X + A dX = dB`, so `dX = A⁻¹ (dB − dA X)` (and `dX = (dB − X dA) A⁻¹`
/// for `X A = B`). The VJP is `gB = A⁻ᴴ gX`, `gA = −gB Xᴴ` (`gB = gX A⁻ᴴ`, `gA = −Xᴴ gB`).
/// When `A` is a constant of the rule (no tangent, not recorded), the solves reuse the saved
/// factorisation, so a tangent or cotangent costs two triangular solves; otherwise they go
/// through a new differentiable solve, so higher derivatives see `A`.
struct SolveOp: DifferentiableOp {
  /// Whether `A` is on the left.
  let left: Bool
  /// Whether the factorisation is of `Aᵀ`.
  let factorOfTranspose: Bool
  var name: String { "Linalg.solve" }
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }

  /// The batch broadcasts in front of the batch dims of `A` and `B` (each batched one lifted
  /// to the most batch dims among them); the factorisation's outputs keep `A`'s member shape,
  /// expanded along the batch when `A` is not batched.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    let outs = Batching.broadcastingBatchDims(self, inputs, isBatched: isBatched, coreRanks: [2, 2])
    let a = Array(inputs[0].shape.dropFirst(isBatched[0] ? 1 : 0))
    let factorShapes = [a, Array(a.dropLast()), Array(a.dropLast(2))]
    return [outs[0]]
      + zip(outs.dropFirst(), factorShapes).map { y, shape in
        isBatched[0] ? y.reshaped([batchSize] + shape) : Batching.withLeadingBatch(y, isBatched: false, size: batchSize)
      }
  }

  /// A solve op for `a` in its cheapest layout.
  init(left: Bool, for a: Tensor) {
    self.left = left
    factorOfTranspose = !a.hasColumnMajorMatrices
  }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let (lu, pivots, info) = LAPACK.luFactor(inputs[0], ofTranspose: factorOfTranspose)
    let x = LAPACK.luSolve(lu: lu, pivots: pivots, b: inputs[1], left: left, op: factorOfTranspose ? .transpose : .none)
    return [x, lu, pivots, info]
  }

  /// `A⁻¹ R` (or `R A⁻¹`), or with `Aᴴ` when `adjoint`: through the saved factorisation when `A`
  /// is a constant of the rule, otherwise through a new differentiable solve.
  func solve(_ a: Tensor, _ outputs: [Tensor], _ r: Tensor, adjoint: Bool) -> Tensor {
    if a.isConstantInRule {
      let op = LUSolveOp(left: left, adjoint: adjoint, factorOfTranspose: factorOfTranspose)
      return Tensor.apply(op, [outputs[1].detached, outputs[2], r])[0]
    }
    let m = adjoint ? a.mH : a
    return Tensor.apply(SolveOp(left: left, for: m), [m, r])[0]
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    let a = inputs[0], x = outputs[0]
    let db = tangents[1].map { lift($0, primalRank: inputs[1].rank, outputRank: x.rank) }
    // −dA X alone (a constant B) on plain operands: the sign in the product's α.
    if db == nil, let da = tangents[0], da.autodiff == nil, x.autodiff == nil {
      let d = lift(da, primalRank: a.rank, outputRank: x.rank)
      let r = left ? GEMM.matmul(d, x, alpha: -1) : GEMM.matmul(x, d, alpha: -1)
      return [solve(a, outputs, r, adjoint: false), nil, nil, nil]
    }
    let term = tangents[0].map { da -> Tensor in
      let d = lift(da, primalRank: a.rank, outputRank: x.rank)
      return left ? d.matmul(x) : x.matmul(d)
    }
    let r = differenceOfTerms(db, term)
    guard let r else { return [nil, nil, nil, nil] }
    return [solve(a, outputs, r, adjoint: false), nil, nil, nil]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gx = cotangents[0], needed[0] || needed[1] else { return [nil, nil] }
    let a = inputs[0], x = outputs[0]
    let gb = solve(a, outputs, gx, adjoint: true)
    let ga = needed[0] ? (left ? -(gb.matmul(x.mH)) : -(x.mH.matmul(gb))).summed(toShape: a.shape) : nil
    return [ga, needed[1] ? gb.summed(toShape: inputs[1].shape) : nil]
  }
}

extension Linalg {
  /// The inverse of each square matrix, like `torch.linalg.inv`.
  ///
  /// Derivative: `d(A⁻¹) = −A⁻¹ dA A⁻¹`; the VJP is `−A⁻ᴴ G A⁻ᴴ`.
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` for the first singular matrix.
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func inv(_ a: Tensor) throws(LinalgError) -> Tensor {
    let (y, info) = invEx(a, op: "Linalg.inv")
    try LinalgError.checkSingular(info, op: "Linalg.inv")
    return y
  }

  /// The inverse of each square matrix with LAPACK's info instead of an error, like
  /// `torch.linalg.inv_ex`: `info[i] = k > 0` when matrix `i` is singular (its LU factor has a
  /// zero at diagonal position `k`); its inverse is then NaN.
  ///
  /// Derivative: see ``inv(_:)``; `info` is an `int64` tensor of the batch shape with no
  /// derivative.
  public static func invEx(_ a: Tensor) -> (inverse: Tensor, info: Tensor) { invEx(a, op: "Linalg.invEx") }

  static func invEx(_ a: Tensor, op: String) -> (inverse: Tensor, info: Tensor) {
    requireSquare(a, op)
    let out = Tensor.apply(InvOp(), [a])
    return (out[0], out[1])
  }

  /// The solution `X` of `A X = B` (`left`, the default) or `X A = B` for square `A`, like
  /// `torch.linalg.solve`.
  ///
  /// `B` is a batch of matrices `[..., n, k]` (`[..., k, n]` when not `left`) or of vectors:
  /// a 1-d `B`, or one with the shape `A.shape[:-1]`, is a vector (a column; a row when not
  /// `left`), as in PyTorch. The batch dims of `A` and `B` broadcast.
  ///
  /// Derivative: `dX = A⁻¹ (dB − dA X)`; the VJP is `gB = A⁻ᴴ gX`, `gA = −gB Xᴴ`. With a
  /// constant `A`, derivatives reuse the primal's LU factorisation.
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` for the first singular `A` (index over
  ///   `A`'s batch dims).
  /// - Precondition: `a` is a batch of square matrices, `b` has the matching size and the same
  ///   floating dtype, and the batch dims broadcast.
  public static func solve(_ a: Tensor, _ b: Tensor, left: Bool = true) throws(LinalgError) -> Tensor {
    let (x, info) = solveEx(a, b, left: left, op: "Linalg.solve")
    try LinalgError.checkSingular(info, op: "Linalg.solve")
    return x
  }

  /// ``solve(_:_:left:)`` with LAPACK's info (of `A`'s LU factorisation, per matrix of `A`'s
  /// batch) instead of an error, like `torch.linalg.solve_ex`.
  public static func solveEx(_ a: Tensor, _ b: Tensor, left: Bool = true) -> (result: Tensor, info: Tensor) {
    solveEx(a, b, left: left, op: "Linalg.solveEx")
  }

  static func solveEx(_ a: Tensor, _ b: Tensor, left: Bool, op: String) -> (result: Tensor, info: Tensor) {
    requireSquare(a, op)
    requireSameDType(a, b, op)
    let n = a.shape[a.rank - 1]
    let vector = isVectorRHS(a, b)
    let rhs = vector ? b.unsqueezed(dim: left ? -1 : -2) : b
    check(rhs.rank >= 2, "\(op): B must be at least 1-d, got shape \(b.shape)")
    check(
      rhs.shape[rhs.rank - (left ? 2 : 1)] == n,
      "\(op): A \(a.shape) and B \(b.shape) do not match (B needs \(n) \(left ? "rows" : "columns"))")
    requireBroadcastBatch(a, rhs, op)
    let out = Tensor.apply(SolveOp(left: left, for: a), [a, rhs])
    return (vector ? out[0].squeezed(dim: left ? -1 : -2) : out[0], out[3])
  }
}
