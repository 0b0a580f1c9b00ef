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
