import ComplexModule
import RealModule

/// The Moore–Penrose pseudo-inverse `A⁺` of a batch of `m × n` matrices, from the SVD (or,
/// when `hermitian`, from eigh of the lower triangle), with singular values (absolute
/// eigenvalues) at most `max(atol, rtol · σ_max)` treated as zero, like `torch.linalg.pinv`.
///
/// Derivative (Golub & Pereyra 1973; PyTorch's `pinv_jvp` and `pinv_backward`):
/// for a matrix of locally constant rank,
/// `dA⁺ = −A⁺ dA A⁺ + A⁺A⁺ᴴ dAᴴ (I − A A⁺) + (I − A⁺A) dAᴴ A⁺ᴴ A⁺`, and the VJP is its adjoint
/// `gA = −A⁺ᴴ G A⁺ᴴ + (I − A A⁺) Gᴴ A⁺ A⁺ᴴ + A⁺ᴴ A⁺ Gᴴ (I − A⁺ A)`. Both are products with the
/// output, so they need no decomposition and no division by singular values. For `hermitian`
/// they are the derivatives along Hermitian directions, as in PyTorch.
struct PinvOp: UnaryOp {
  let hermitian: Bool
  let atol: Double
  let rtol: Double
  var name: String { "Linalg.pinv" }
  var sparsity: SparsityRule { .slices(dims: [-2, -1], .nonlinear) }

  func primal(_ a: Tensor) -> Tensor {
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    if a.count == 0 { return Tensor.zeros(Array(a.shape.dropLast(2)) + [n, m], dtype: a.dtype) }
    /// 1/x where x exceeds the cutoff, 0 elsewhere.
    func invertAboveCutoff(_ x: Tensor, magnitude: Tensor) -> Tensor {
      let cutoff = (magnitude.amax(dim: -1, keepdim: true) * rtol).maximum(Tensor.full([], atol, dtype: magnitude.dtype))
      return Tensor.where(magnitude.gt(cutoff), 1 / x, 0)
    }
    if hermitian {
      let (l, v, _) = LAPACK.eigh(a, upper: false, vectors: true)
      let inv = invertAboveCutoff(l, magnitude: l.abs())
      return (v! * inv.converted(to: a.dtype).unsqueezed(dim: -2)).matmul(v!.mH)
    }
    let (u, s, vh, _) = LAPACK.svd(a, full: false, vectors: true)
    let inv = invertAboveCutoff(s, magnitude: s).converted(to: a.dtype)
    return (vh!.mH * inv.unsqueezed(dim: -2)).matmul(u!.mH)
  }

  /// `dA⁺` for a tangent `dA` (which may carry a leading chunk dim), given `A` and `P = A⁺`.
  static func jvp(_ a: Tensor, _ p: Tensor, _ da: Tensor) -> Tensor {
    let dah = da.mH
    let t1 = -(p.matmul(da.matmul(p)))
    let t2 = p.matmul(p.mH).matmul(dah - dah.matmul(a).matmul(p))
    let t3 = (dah - p.matmul(a.matmul(dah))).matmul(p.mH.matmul(p))
    return t1 + t2 + t3
  }

  /// The cotangent of `A` for a cotangent `G` of `P = A⁺`.
  static func vjp(_ a: Tensor, _ p: Tensor, _ g: Tensor) -> Tensor {
    let gh = g.mH, ph = p.mH
    let t1 = -(ph.matmul(g.matmul(ph)))
    let t2 = (gh - a.matmul(p.matmul(gh))).matmul(p.matmul(ph))
    let t3 = ph.matmul(p).matmul(gh - gh.matmul(p).matmul(a))
    return t1 + t2 + t3
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { PinvOp.jvp(x, y, dx) }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { PinvOp.vjp(x, y, gy) }
}

/// The least-squares solution `X` minimising `‖A X − B‖` (the minimum-norm one for a
/// rank-deficient `A`): inputs `[A, B]`, outputs `[X, residuals, rank, singular values, info]`
/// (LAPACK's `?gels`, `?gelsy` or `?gelsd`), like `torch.linalg.lstsq`. `X` and the residuals
/// are differentiable, as in PyTorch.
///
/// Derivative of the solution (PyTorch's `linalg_lstsq_solution_jvp` and
/// `linalg_lstsq_backward`): `X = A⁺ B`, so `dX = dA⁺ B + A⁺ dB` with ``PinvOp``'s `dA⁺`; the
/// VJP is `gB = A⁺ᴴ gX` and `gA` the pseudo-inverse's VJP of `gX Bᴴ`. The rules compute `A⁺`
/// with the differentiable ``PinvOp``.
///
/// Derivative of the residuals (present only for a tall, full-column-rank `A`, so `X` is the
/// unique minimiser). Column `j` is `rⱼ = ‖eⱼ‖²` with `E = A X − B`. Then
/// `drⱼ = 2 Re⟨eⱼ, dA xⱼ + A dxⱼ − dbⱼ⟩`, and the normal equations `Aᴴ E = 0` remove the
/// `A dxⱼ` term (first-order optimality: the residual is orthogonal to the range of `A`), so
///
///     drⱼ = 2 Re Σᵢ conj(Eᵢⱼ) (dA X − dB)ᵢⱼ,
///
/// with no derivative of `X` needed. Its adjoint for a real cotangent `g` (one entry per
/// column) is `gA = 2 (E diag g) Xᴴ` and `gB = −2 E diag g`: indeed
/// `Re tr(gAᴴ dA) = Σⱼ 2 gⱼ Re(eⱼᴴ dA xⱼ)`. Because `Aᴴ E = 0` holds at every point where the
/// residuals exist, the rule may itself be differentiated (higher orders). `E` is recomputed
/// from `A`, `X` and `B` rather than read from LAPACK, so it carries the lower levels' tangents.
struct LstsqOp: DifferentiableOp {
  let rcond: Double
  let driver: LAPACK.LeastSquaresDriver
  var name: String { "Linalg.lstsq" }
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }

  /// The batch broadcasts in front of the batch dims of `A` and `B` (each batched one lifted
  /// to the most batch dims among them); an output the driver does not compute (an empty
  /// placeholder, shape `[0]`) becomes the stack of the members' placeholders, `[K, 0]`. An
  /// empty batch loops, where a placeholder could not be told from a result.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    guard batchSize > 0 else { return nil }
    return Batching.broadcastingBatchDims(self, inputs, isBatched: isBatched, coreRanks: [2, 2]).map {
      $0.shape == [0] ? Tensor.zeros([batchSize, 0], dtype: $0.dtype) : $0
    }
  }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let a = inputs[0]
    let r = LAPACK.leastSquares(a, inputs[1], rcond: rcond, driver: driver)
    return [r.solution, r.residuals, r.rank ?? Tensor.zeros([0], dtype: .int64), r.singularValues ?? Tensor.zeros([0], dtype: a.dtype.real), r.info]
  }

  func pinv(_ a: Tensor) -> Tensor {
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    return Tensor.apply(PinvOp(hermitian: false, atol: 0, rtol: Linalg.defaultRtol(a.dtype, m, n)), a)
  }

  /// Whether the residuals were computed (a tall full-rank `A` with `gels` or `gelsd`).
  func hasResiduals(_ outputs: [Tensor]) -> Bool { outputs[1].count > 0 }

  /// `E = A X − B`, the residual matrix of the solution.
  func residualMatrix(_ inputs: [Tensor], _ outputs: [Tensor]) -> Tensor {
    inputs[0].matmul(outputs[0]) - inputs[1]
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    let none: [Tensor?] = [nil, nil, nil, nil, nil]
    guard tangents[0] != nil || tangents[1] != nil else { return none }
    let a = inputs[0], b = inputs[1], x = outputs[0]
    let p = pinv(a)
    var dx: Tensor? = tangents[1].map { p.matmul(lift($0, primalRank: b.rank, outputRank: x.rank)) }
    if let da = tangents[0] {
      let t = PinvOp.jvp(a, p, lift(da, primalRank: a.rank, outputRank: x.rank)).matmul(b)
      dx = dx.map { $0 + t } ?? t
    }
    var dr: Tensor?
    if hasResiduals(outputs) {
      // dE restricted to the terms that survive Aᴴ E = 0: dA X − dB.
      var de: Tensor? = tangents[0].map { lift($0, primalRank: a.rank, outputRank: x.rank).matmul(x) }
      if let db = tangents[1] {
        let t = lift(db, primalRank: b.rank, outputRank: x.rank)
        de = de.map { $0 - t } ?? -t
      }
      let e = residualMatrix(inputs, outputs)
      dr = 2 * (e.conj() * de!).real.sum(dim: -2)
    }
    return [dx, dr, nil, nil, nil]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0] || needed[1] else { return [nil, nil] }
    let a = inputs[0], b = inputs[1]
    var ga: Tensor?, gb: Tensor?
    func add(_ x: Tensor?, _ y: Tensor) -> Tensor { x.map { $0 + y } ?? y }
    if let gx = cotangents[0] {
      let p = pinv(a)
      if needed[1] { gb = p.mH.matmul(gx) }
      if needed[0] { ga = PinvOp.vjp(a, p, gx.matmul(b.mH)) }
    }
    if let gr = cotangents[1], hasResiduals(outputs) {
      // 2 E diag(g): each column of E scaled by its cotangent.
      let scaled = 2 * residualMatrix(inputs, outputs) * gr.unsqueezed(dim: -2).converted(to: a.dtype)
      if needed[1] { gb = add(gb, -scaled) }
      if needed[0] { ga = add(ga, scaled.matmul(outputs[0].mH)) }
    }
    return [ga?.summed(toShape: a.shape), gb?.summed(toShape: b.shape)]
  }
}

extension Linalg {
  /// The machine epsilon of a dtype's precision times `max(m, n)`: PyTorch's default relative
  /// tolerance for ranks (`pinv`, `lstsq`'s `rcond`).
  static func defaultRtol(_ dtype: DType, _ m: Int, _ n: Int) -> Double {
    let eps = dtype == .float32 || dtype == .complex64 ? Double(Float.ulpOfOne) : Double.ulpOfOne
    return eps * Double(Swift.max(m, n))
  }

  /// The Moore–Penrose pseudo-inverse of each matrix, like `torch.linalg.pinv`: from the SVD,
  /// or when `hermitian` from the eigendecomposition of the lower triangle (for Hermitian
  /// matrices, faster). Singular values (absolute eigenvalues) at most
  /// `max(atol, rtol · σ_max)` count as zero. As in PyTorch, `rtol` defaults to
  /// `ε · max(m, n)`, or to 0 when a positive `atol` is given.
  ///
  /// Derivative: `dA⁺ = −A⁺ dA A⁺ + A⁺A⁺ᴴ dAᴴ (I − AA⁺) + (I − A⁺A) dAᴴ A⁺ᴴA⁺` (Golub &
  /// Pereyra), valid where the rank is locally constant; for `hermitian`, along Hermitian
  /// directions. Where the SVD (eigh) does not converge the result is NaN.
  /// - Precondition: `a` is a floating batch of matrices (square when `hermitian`).
  public static func pinv(_ a: Tensor, atol: Double? = nil, rtol: Double? = nil, hermitian: Bool = false) -> Tensor {
    let op = "Linalg.pinv"
    if hermitian { requireSquare(a, op) } else { requireMatrix(a, op) }
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    let r = rtol ?? ((atol ?? 0) > 0 ? 0 : defaultRtol(a.dtype, m, n))
    return Tensor.apply(PinvOp(hermitian: hermitian, atol: atol ?? 0, rtol: r), a)
  }

  /// The LAPACK driver of ``lstsq(_:_:rcond:driver:)``, like PyTorch's `driver`.
  public enum LstsqDriver: Sendable {
    /// QR or LQ (`?gels`): full-rank matrices only.
    case gels
    /// QR with column pivoting (`?gelsy`), PyTorch's default on the CPU: gives the rank.
    case gelsy
    /// The SVD by divide and conquer (`?gelsd`): gives the rank and the singular values.
    case gelsd
  }

  /// The least-squares solution of `A X ≈ B` for each `m × n` matrix `A`, like
  /// `torch.linalg.lstsq`: the `X` minimising `‖A X − B‖_F`, the minimum-norm one when `A` is
  /// rank-deficient (not with `gels`). `B` is `[..., m, k]` or a batch of vectors
  /// (`A.shape[:-1]`); batch dims broadcast.
  ///
  /// Besides the solution, as in PyTorch (empty tensors when not computed):
  /// - `residuals`: the squared residual norms `‖A x − b‖²` of each column, for `m > n` and a
  ///   full-rank `A`, with the `gels` and `gelsd` drivers;
  /// - `rank`: the effective rank (`gelsy`, `gelsd`), singular values at most `rcond · σ_max`
  ///   counting as zero (`rcond` defaults to `ε · max(m, n)`);
  /// - `singularValues`: with `gelsd`.
  ///
  /// Derivative: of the solution, `X = A⁺ B` (see ``pinv(_:atol:rtol:hermitian:)``); of the
  /// residuals, `drⱼ = 2 Re⟨eⱼ, dA xⱼ − dbⱼ⟩` with `E = A X − B` (the normal equations remove
  /// the `dX` term), like PyTorch. The rank and singular values are not differentiable.
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` for a rank-deficient `A` with `gels`,
  ///   ``LinalgError/noConvergence(op:batchIndex:)`` when `gelsd`'s SVD does not converge.
  /// - Precondition: `a` is a floating batch of matrices; `b` matches it.
  public static func lstsq(_ a: Tensor, _ b: Tensor, rcond: Double? = nil, driver: LstsqDriver = .gelsy) throws(LinalgError) -> (
    solution: Tensor, residuals: Tensor, rank: Tensor, singularValues: Tensor
  ) {
    let op = "Linalg.lstsq"
    requireMatrix(a, op)
    requireSameDType(a, b, op)
    let m = a.shape[a.rank - 2], n = a.shape[a.rank - 1]
    let vector = isVectorRHS(a, b)
    let rhs = vector ? b.unsqueezed(dim: -1) : b
    check(rhs.rank >= 2 && rhs.shape[rhs.rank - 2] == m, "\(op): A \(a.shape) and B \(b.shape) do not match (B needs \(m) rows)")
    requireBroadcastBatch(a, rhs, op)
    let lapackDriver: LAPACK.LeastSquaresDriver = switch driver {
    case .gels: .gels
    case .gelsy: .gelsy
    case .gelsd: .gelsd
    }
    let out = Tensor.apply(LstsqOp(rcond: rcond ?? defaultRtol(a.dtype, m, n), driver: lapackDriver), [a, rhs])
    if let f = LinalgError.firstFailure(out[4]) {
      throw driver == .gels ? .singular(op: op, batchIndex: f.index) : .noConvergence(op: op, batchIndex: f.index)
    }
    let residuals = vector && out[1].count > 0 ? out[1].squeezed(dim: -1) : out[1]
    return (vector ? out[0].squeezed(dim: -1) : out[0], residuals, out[2], out[3].detached)
  }
}
