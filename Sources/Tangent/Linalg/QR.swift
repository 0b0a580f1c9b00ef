import ComplexModule
import RealModule

/// `X R⁻¹` (or `X R⁻ᴴ` when `adjoint`) for an upper-triangular `R`, differentiable.
private func solveRight(_ r: Tensor, _ x: Tensor, adjoint: Bool = false) -> Tensor {
  Tensor.apply(TriangularSolveOp(upper: true, left: false, unitriangular: false, op: adjoint ? .adjoint : .none), [r, x])[0]
}

/// The upper triangle with a halved diagonal: `Φ(T + Tᴴ) = T` for upper-triangular `T` with a
/// real diagonal.
private func upperHalfDiagonal(_ x: Tensor) -> Tensor {
  x.triu() - x.diagonal(offset: 0, dim1: -2, dim2: -1).diagEmbed() / 2
}

/// The skew-Hermitian matrix with the strictly lower triangle of `B` and the imaginary part of
/// its diagonal: `tril(B, −1) − tril(B, −1)ᴴ + i Im diag(B)`.
private func skewFromLower(_ b: Tensor) -> Tensor {
  let l = b.tril(diagonal: -1)
  let s = l - l.mH
  guard b.dtype.isComplex else { return s }
  return s + timesI(b.diagonal(offset: 0, dim1: -2, dim2: -1).imag).diagEmbed()
}

/// The adjoint of ``skewFromLower(_:)``: `tril(G − Gᴴ, −1) + i Im diag(G)`.
private func skewFromLowerAdjoint(_ g: Tensor) -> Tensor {
  let s = (g - g.mH).tril(diagonal: -1)
  guard g.dtype.isComplex else { return s }
  return s + timesI(g.diagonal(offset: 0, dim1: -2, dim2: -1).imag).diagEmbed()
}

/// The QR factorisation of a batch of `m × n` matrices by Householder reflections (LAPACK's
/// `?geqrf` and `?orgqr`/`?ungqr`): outputs `[Q, R]`, `A = Q R`, `Q` with orthonormal columns
/// (`m × k`, `k = min(m, n)`, or `m × m` when `complete`), `R` upper triangular (`k × n`, or
/// `m × n`) with a real diagonal of any sign, as LAPACK (and PyTorch) give it.
///
/// Derivative (PyTorch's `linalg_qr_jvp` and `linalg_qr_backward`; Walter & Lehmann 2018):
/// - `m ≥ n`: `B = Qᴴ dA R⁻¹ = QᴴdQ + dR R⁻¹` splits into a skew-Hermitian part and an upper
///   triangular one with a real diagonal, `T = Φ(B + Bᴴ)` (`Φ`: the upper triangle with a halved
///   diagonal). So `dR = T R` and `dQ = dA R⁻¹ − Q T`. The VJP is the adjoint,
///   `gA = (gQ + Q sym(Φ(gR Rᴴ − Qᴴ gQ))) R⁻ᴴ`, `sym(X) = X + Xᴴ`.
/// - `m < n`: `A = Q [X | Y]` with square `X`; `Ω = QᴴdQ` is the skew-Hermitian matrix with the
///   strictly lower part (and imaginary diagonal) of `B = Qᴴ dA₁ X⁻¹`, `dQ = Q Ω` and
///   `dR = Qᴴ dA − Ω R`. The VJP is `gA = Q gR + [Q Ψ*(Qᴴ gQ − gR Rᴴ) X⁻ᴴ | 0]` with `Ψ*` the
///   adjoint of `B ↦ Ω`.
///
/// The complete factorisation of a tall matrix (`m > n`) has columns of `Q` that `A` does not
/// determine: it has no derivative (PyTorch raises too).
struct QROp: DifferentiableOp {
  let complete: Bool
  var name: String { "Linalg.qr" }
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let (q, r) = LAPACK.qr(inputs[0], complete: complete, wantQ: true)
    return [q!, r]
  }

  func checkDifferentiable(_ a: Tensor, _ mode: DerivativeMode) {
    if complete && a.shape[a.rank - 2] > a.shape[a.rank - 1] {
      unsupportedDerivative(
        name, mode, reason: "the complete QR of a tall \(a.shape) matrix has columns of Q that A does not determine; use mode .reduced")
    }
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let da = tangents[0] else { return [nil, nil] }
    let a = inputs[0]
    checkDifferentiable(a, .forward)
    let q = outputs[0], r = outputs[1]
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    if m >= n {
      let dar = solveRight(r, da)
      let b = q.mH.matmul(dar)
      let t = upperHalfDiagonal(b + b.mH)
      return [dar - q.matmul(t), t.matmul(r)]
    }
    let x = r.narrowed(dim: -1, start: 0, length: m)
    let b = q.mH.matmul(solveRight(x, da.narrowed(dim: -1, start: 0, length: m)))
    let omega = skewFromLower(b)
    return [q.matmul(omega), q.mH.matmul(da) - omega.matmul(r)]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0], cotangents[0] != nil || cotangents[1] != nil else { return [nil] }
    let a = inputs[0]
    checkDifferentiable(a, .reverse)
    let q = outputs[0], r = outputs[1], gq = cotangents[0], gr = cotangents[1]
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    // The cotangent of QᴴdQ-like terms: gR Rᴴ − Qᴴ gQ.
    var mt: Tensor? = gr.map { $0.matmul(r.mH) }
    if let gq {
      let t = q.mH.matmul(gq)
      mt = mt.map { $0 - t } ?? -t
    }
    if m >= n {
      let phi = upperHalfDiagonal(mt!)
      var inner = q.matmul(phi + phi.mH)
      if let gq { inner = inner + gq }
      return [solveRight(r, inner, adjoint: true)]
    }
    let x = r.narrowed(dim: -1, start: 0, length: m)
    let first = solveRight(x, q.matmul(skewFromLowerAdjoint(-mt!)), adjoint: true).padded([0, n - m])
    return [gr.map { q.matmul($0) + first } ?? first]
  }
}

/// The first `n` columns of the product `H₁ ⋯ H_k` of Householder reflectors
/// `Hᵢ = I − τᵢ vᵢ vᵢᴴ`, `vᵢ` with a unit `i`-th entry, zeros above it and column `i` of `A`
/// below it: inputs `[A, τ]`, output `[Q]`, like `torch.linalg.householder_product` (LAPACK's
/// `?orgqr`/`?ungqr`). Only the strictly lower part of the first `k` columns of `A` is read.
///
/// Derivative (the product rule through the reflectors, as in PyTorch's
/// `householder_product_jvp` and `householder_product_backward`): with `Yₖ = E` (the first `n`
/// columns of `I`) and `Yᵢ = Hᵢ Yᵢ₊₁`, `Q = Y₀` and `dYᵢ = Hᵢ dYᵢ₊₁ + dHᵢ Yᵢ₊₁`, where
/// `dHᵢ = −dτᵢ vᵢvᵢᴴ − τᵢ (dvᵢ vᵢᴴ + vᵢ dvᵢᴴ)`. The VJP runs the other way: from
/// `gY₀ = gQ`, `gYᵢ₊₁ = Hᵢᴴ gYᵢ`, and with `gHᵢ = gYᵢ Yᵢ₊₁ᴴ` (never formed),
/// `gτᵢ = −vᵢᴴ gHᵢ vᵢ` and `gvᵢ = −conj(τᵢ) gHᵢ vᵢ − τᵢ gHᵢᴴ vᵢ`, kept below the diagonal.
struct HouseholderProductOp: DifferentiableOp {
  var name: String { "Linalg.householderProduct" }
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }

  /// The batch is one more leading batch dim of `A` and `tau` (the unbatched one expanded).
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.leadingDim(self, inputs, isBatched: isBatched, batchSize: batchSize)
  }

  func primal(_ inputs: [Tensor]) -> [Tensor] { [LAPACK.householderProduct(inputs[0], tau: inputs[1])] }

  /// The reflector vectors `V` (`m × k`) from `A`, and the identity columns `E` (`m × n`).
  func vectors(_ a: Tensor, k: Int) -> (v: Tensor, e: Tensor) {
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    return (a.narrowed(dim: -1, start: 0, length: k).tril(diagonal: -1) + Tensor.eye(m, k, dtype: a.dtype), Tensor.eye(m, n, dtype: a.dtype))
  }

  /// Column `i` of `t` as `[..., m, 1]`, and entry `i` of `tau` as `[..., 1, 1]`.
  func column(_ t: Tensor, _ i: Int) -> Tensor { t.narrowed(dim: -1, start: i, length: 1) }
  func scalar(_ tau: Tensor, _ i: Int) -> Tensor { tau.narrowed(dim: -1, start: i, length: 1).unsqueezed(dim: -1) }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard tangents[0] != nil || tangents[1] != nil else { return [nil] }
    let a = inputs[0], tau = inputs[1], k = tau.shape[tau.rank - 1]
    let (v, e) = vectors(a, k: k)
    let dv = tangents[0].map { $0.narrowed(dim: -1, start: 0, length: k).tril(diagonal: -1) }
    var y = e.expanded(to: Array(a.shape.dropLast(2)) + e.shape)
    var dy: Tensor? = nil
    for i in (0..<k).reversed() {
      let vi = column(v, i), ti = scalar(tau, i)
      let w = vi.mH.matmul(y)
      var term: Tensor? = nil
      if let dtau = tangents[1] { term = -(scalar(dtau, i) * vi.matmul(w)) }
      if let dv {
        let dvi = column(dv, i)
        let t = -(ti * (dvi.matmul(w) + vi.matmul(dvi.mH.matmul(y))))
        term = term.map { $0 + t } ?? t
      }
      if let d = dy { dy = d - ti * vi.matmul(vi.mH.matmul(d)) }
      if let term { dy = dy.map { $0 + term } ?? term }
      y = y - ti * vi.matmul(w)
    }
    return [dy]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gq = cotangents[0], needed[0] || needed[1] else { return [nil, nil] }
    let a = inputs[0], tau = inputs[1], k = tau.shape[tau.rank - 1]
    let n = a.shape[a.rank - 1]
    if k == 0 {
      // No reflectors: the output is the identity's first columns, whatever A is.
      let prefix = Array(gq.shape.prefix(gq.rank - a.rank))
      return [
        needed[0] ? Tensor.zeros(prefix + a.shape, dtype: gq.dtype) : nil,
        needed[1] ? Tensor.zeros(prefix + tau.shape, dtype: gq.dtype) : nil,
      ]
    }
    let (v, e) = vectors(a, k: k)
    // Y₁ … Yₖ (Yᵢ₊₁ is needed at step i).
    var ys = [Tensor](repeating: e.expanded(to: Array(a.shape.dropLast(2)) + e.shape), count: k + 1)
    for i in (0..<k).reversed() {
      let vi = column(v, i)
      ys[i] = ys[i + 1] - scalar(tau, i) * vi.matmul(vi.mH.matmul(ys[i + 1]))
    }
    var g = gq
    var gv: [Tensor] = [], gtau: [Tensor] = []
    for i in 0..<k {
      let vi = column(v, i), ti = scalar(tau, i), yNext = ys[i + 1]
      let yv = yNext.mH.matmul(vi)  // Yᵢ₊₁ᴴ v
      let gvh = g.mH.matmul(vi)  // gYᵢᴴ v
      gtau.append(-(vi.mH.matmul(g).matmul(yv)))
      gv.append(-(ti.conj() * g.matmul(yv)) - ti * yNext.matmul(gvh))
      g = g - ti.conj() * vi.matmul(vi.mH.matmul(g))
    }
    let ga = needed[0] ? Tensor.cat(gv, dim: -1).tril(diagonal: -1).padded([0, n - k]) : nil
    let gt = needed[1] ? Tensor.cat(gtau, dim: -1).squeezed(dim: -2) : nil
    return [ga, gt]
  }
}

extension Linalg {
  /// Which factors ``qr(_:mode:)`` computes, like PyTorch's `mode`.
  public enum QRMode: Sendable {
    /// `Q` is `m × k` and `R` `k × n`, `k = min(m, n)`.
    case reduced
    /// `Q` is `m × m` and `R` `m × n`.
    case complete
    /// Only `R` (`k × n`); `Q` is returned empty, as in PyTorch.
    case r
  }

  /// The QR factorisation of each matrix, like `torch.linalg.qr`: `A = Q R` with `Q` having
  /// orthonormal columns and `R` upper triangular with a real diagonal (of either sign, as
  /// LAPACK computes it: each column of `Q` and row of `R` is defined only up to that sign or
  /// phase, so compare through `|Q|`, `|R|`).
  ///
  /// Derivative: `dR = T R`, `dQ = dA R⁻¹ − Q T` with `T = Φ(B + Bᴴ)`, `B = Qᴴ dA R⁻¹` for
  /// `m ≥ n`, and the wide case of `QROp`. `R` of mode `.r` is differentiable too (its `Q`
  /// is computed internally). The complete factorisation of a tall matrix has no derivative
  /// (its extra columns of `Q` are not determined by `A`), as in PyTorch.
  /// - Precondition: `a` is a floating batch of matrices.
  public static func qr(_ a: Tensor, mode: QRMode = .reduced) -> (q: Tensor, r: Tensor) {
    requireMatrix(a, "Linalg.qr")
    let out = Tensor.apply(QROp(complete: mode == .complete), [a])
    if mode == .r { return (Tensor.zeros([0], dtype: a.dtype), out[1]) }
    return (out[0], out[1])
  }

  /// The first `n` columns of the product of Householder reflectors `H₁ ⋯ H_k`,
  /// `Hᵢ = I − τᵢ vᵢ vᵢᴴ`, like `torch.linalg.householder_product` (LAPACK's `?orgqr`): `vᵢ` has
  /// a unit `i`-th entry, zeros above it and column `i` of `a` below it (the output of a QR
  /// factorisation by reflectors). Only the strictly lower part of `a`'s first `k` columns is
  /// read.
  ///
  /// Derivative: the product rule through the reflectors (see `HouseholderProductOp`).
  /// - Precondition: `a` is `[..., m, n]` and `tau` `[..., k]` with the same batch dims and
  ///   floating dtype, `m ≥ n ≥ k`.
  public static func householderProduct(_ a: Tensor, _ tau: Tensor) -> Tensor {
    let op = "Linalg.householderProduct"
    requireMatrix(a, op)
    requireSameDType(a, tau, op)
    check(
      tau.rank == a.rank - 1 && Array(tau.shape.dropLast()) == Array(a.shape.dropLast(2)),
      "\(op): tau \(tau.shape) must have the batch dims of A \(a.shape) and one more")
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1], k = tau.shape[tau.rank - 1]
    check(m >= n && n >= k, "\(op): needs m ≥ n ≥ k, got A \(a.shape) and tau \(tau.shape)")
    return Tensor.apply(HouseholderProductOp(), [a, tau])[0]
  }
}
