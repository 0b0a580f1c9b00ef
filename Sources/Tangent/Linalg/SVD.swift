import ComplexModule
import RealModule

/// `i·x` for a real `x`, as a complex tensor.
func timesI(_ x: Tensor) -> Tensor { Tensor.complex(real: Tensor.zeros([], dtype: x.dtype), imaginary: x) }

/// The singular value decomposition of a batch of `m × n` matrices: outputs `[U, S, Vᴴ, info]`,
/// `A = U diag(S) Vᴴ`, `S` descending and real, `k = min(m, n)`; `U` is `m × k` and `Vᴴ`
/// `k × n`, or `m × m` and `n × n` when `full` (LAPACK's `?gesdd`). Each pair of singular
/// vectors is defined up to a sign (a phase for complex dtypes).
///
/// Derivative (Giles 2008, §3.2; PyTorch's `linalg_svd_jvp` and `svd_backward`; Townsend 2016
/// for the rectangular terms): with `dP = Uᴴ dA V` (`k × k`) and `Eᵢⱼ = Sⱼ² − Sᵢ²`,
/// - `dS = Re diag(dP)`;
/// - `dU = U (sym(dP S) ⊘ E + D) + (I − U Uᴴ) dA V S⁻¹` (the last term when `m > n`);
/// - `dVᴴ = (−sym(S dP) ⊘ E + D) Vᴴ + S⁻¹ Uᴴ dA (I − V Vᴴ)` (the last term when `m < n`),
///
/// where `sym(X) = X + Xᴴ` taken off the diagonal and `D = i Im diag(dP) / 2S` splits the phase
/// change between `U` and `V` (PyTorch's gauge). The extra columns of the full factors get a
/// zero tangent, as in PyTorch (they are not determined by `A`). The VJP is the adjoint: with
/// `M = Uᴴ gU`, `N = gVᴴ V`,
/// `gA = U [diag(gS) + (skew(M) S − S skew(N)) ⊘ E + i diag(Im Mᵢᵢ + Im Nᵢᵢ) / 2S] Vᴴ`
/// plus `(I − U Uᴴ) gU S⁻¹ Vᴴ` (`m > n`) or `U S⁻¹ gVᴴ (I − V Vᴴ)` (`m < n`), `skew(X) = X − Xᴴ`.
/// Repeated (or, for rectangular matrices, zero) singular values make the singular vectors'
/// derivatives non-finite, as in PyTorch; the singular values' own are exact.
struct SVDOp: DifferentiableOp {
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }
  let full: Bool
  /// `Linalg.svd` or `Linalg.svdvals`.
  let name: String

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let (u, s, vh, info) = LAPACK.svd(inputs[0], full: full, vectors: true)
    return [u!, s, vh!, info]
  }

  /// The reduced factors (the first `k` columns of `U`, rows of `Vᴴ`).
  func reduced(_ outputs: [Tensor]) -> (u: Tensor, s: Tensor, vh: Tensor) {
    let s = outputs[1], k = s.shape[s.rank - 1]
    guard full else { return (outputs[0], s, outputs[2]) }
    return (outputs[0].narrowed(dim: -1, start: 0, length: k), s, outputs[2].narrowed(dim: -2, start: 0, length: k))
  }

  /// `Sⱼ² − Sᵢ²`, with ones on the diagonal (a safe divisor there).
  static func gaps(_ s: Tensor) -> Tensor {
    let s2 = s * s
    return s2.unsqueezed(dim: -2) - s2.unsqueezed(dim: -1) + Tensor.eye(s.shape[s.rank - 1], dtype: s.dtype)
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let da = tangents[0] else { return [nil, nil, nil, nil] }
    let (u, s, vh) = reduced(outputs)
    let m = u.shape[u.rank - 2], n = vh.shape[vh.rank - 1], k = s.shape[s.rank - 1]
    let v = vh.mH
    let complex = da.dtype.isComplex
    let dp = m >= n ? u.mH.matmul(da.matmul(v)) : u.mH.matmul(da).matmul(v)
    let dpDiagonal = dp.diagonal(offset: 0, dim1: -2, dim2: -1)
    let ds = complex ? dpDiagonal.real : dpDiagonal
    let e = SVDOp.gaps(s)
    // The off-diagonal part of dP: sym(·) of it then has a zero diagonal.
    let dpo = EigenRules.offDiagonal(dp)
    let phase = complex ? timesI(dpDiagonal.imag / (s * 2)) : nil
    func sym(_ x: Tensor) -> Tensor { x + x.mH }
    var du0 = sym(dpo * s.unsqueezed(dim: -2)) / e
    var dvh0 = sym(dpo * (-s).unsqueezed(dim: -1)) / e
    if let phase {
      du0 = du0 + phase.diagEmbed()
      dvh0 = dvh0 + phase.diagEmbed()
    }
    var du = u.matmul(du0)
    var dvh = dvh0.matmul(vh)
    if m > n {
      let dav = da.matmul(v / s.unsqueezed(dim: -2))
      du = du + dav - u.matmul(u.mH.matmul(dav))
      if full { du = du.padded([0, m - k]) }
    } else if m < n {
      let uda = (u.mH / s.unsqueezed(dim: -1)).matmul(da)
      dvh = dvh + uda - uda.matmul(v).matmul(vh)
      if full { dvh = dvh.padded([0, 0, 0, n - k]) }
    }
    return [du, ds, dvh, nil]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0] else { return [nil] }
    let (u, s, vh) = reduced(outputs)
    let m = u.shape[u.rank - 2], n = vh.shape[vh.rank - 1], k = s.shape[s.rank - 1]
    var gu = cotangents[0], gvh = cotangents[2]
    let gs = cotangents[1]
    if full {
      gu = gu?.narrowed(dim: -1, start: 0, length: k)
      gvh = gvh?.narrowed(dim: -2, start: 0, length: k)
    }
    if gu == nil && gvh == nil {
      guard let gs else { return [nil] }
      // svdvals: gA = U diag(gS) Vᴴ.
      let g = gs.converted(to: u.dtype)
      return [m >= n ? u.matmul(g.unsqueezed(dim: -1) * vh) : (u * g.unsqueezed(dim: -2)).matmul(vh)]
    }
    let complex = u.dtype.isComplex
    let e = SVDOp.gaps(s)
    func skew(_ x: Tensor) -> Tensor { x - x.mH }
    var core: Tensor? = nil
    var imaginaryDiagonal: Tensor? = nil
    if let gu {
      let mm = u.mH.matmul(gu)
      core = skew(mm) * s.unsqueezed(dim: -2)
      if complex { imaginaryDiagonal = mm.diagonal(offset: 0, dim1: -2, dim2: -1).imag }
    }
    if let gvh {
      let nn = gvh.matmul(vh.mH)
      let t = -(s.unsqueezed(dim: -1) * skew(nn))
      core = core.map { $0 + t } ?? t
      if complex {
        let d = nn.diagonal(offset: 0, dim1: -2, dim2: -1).imag
        imaginaryDiagonal = imaginaryDiagonal.map { $0 + d } ?? d
      }
    }
    var inner = EigenRules.offDiagonal(core! / e)
    if let gs { inner = inner + gs.diagEmbed() }
    if let imaginaryDiagonal { inner = inner + timesI(imaginaryDiagonal / (s * 2)).diagEmbed() }
    inner = inner.converted(to: u.dtype)
    var ga: Tensor
    if m > n, let gu {
      let gus = gu / s.unsqueezed(dim: -2)
      ga = (u.matmul(inner) + gus - u.matmul(u.mH.matmul(gus))).matmul(vh)
    } else if m < n, let gvh {
      let sgvh = gvh / s.unsqueezed(dim: -1)
      ga = u.matmul(inner.matmul(vh) + sgvh - sgvh.matmul(vh.mH).matmul(vh))
    } else {
      ga = m >= n ? u.matmul(inner.matmul(vh)) : u.matmul(inner).matmul(vh)
    }
    return [ga]
  }
}

extension Linalg {
  /// The singular value decomposition of each matrix, like `torch.linalg.svd`:
  /// `A = U diag(S) Vᴴ` with real singular values `S` in descending order. With
  /// `fullMatrices` (the default, as in PyTorch) `U` is `m × m` and `Vᴴ` `n × n`; otherwise
  /// `m × k` and `k × n`, `k = min(m, n)`.
  ///
  /// Each pair of singular vectors is defined only up to a sign (a phase for complex dtypes),
  /// so use functions that do not depend on that choice (`|U|`, `U diag(f(S)) Vᴴ`).
  ///
  /// Derivative: `dS = Re diag(Uᴴ dA V)` and the singular vectors' rules of Giles 2008 and
  /// PyTorch (see `SVDOp`); the extra columns of the full factors get zero tangents (they
  /// are not determined by `A`). Repeated singular values (or a zero one of a rectangular
  /// matrix) make the singular vectors' derivatives non-finite, as in PyTorch.
  /// - Throws: ``LinalgError/noConvergence(op:batchIndex:)`` when LAPACK does not converge
  ///   (also for a matrix with NaN or infinite entries).
  /// - Precondition: `a` is a floating batch of matrices.
  public static func svd(_ a: Tensor, fullMatrices: Bool = true) throws(LinalgError) -> (u: Tensor, s: Tensor, vh: Tensor) {
    requireMatrix(a, "Linalg.svd")
    let out = Tensor.apply(SVDOp(full: fullMatrices, name: "Linalg.svd"), [a])
    try checkConvergence(out[3], op: "Linalg.svd")
    return (out[0], out[1], out[2])
  }

  /// The singular values of each matrix in descending order, like `torch.linalg.svdvals`.
  ///
  /// Derivative: `dS = Re diag(Uᴴ dA V)`; the VJP is `U diag(gS) Vᴴ`, exact at repeated
  /// singular values too. The singular vectors are computed only when `a` is differentiated.
  /// - Throws: ``LinalgError/noConvergence(op:batchIndex:)`` when LAPACK does not converge.
  /// - Precondition: `a` is a floating batch of matrices.
  public static func svdvals(_ a: Tensor) throws(LinalgError) -> Tensor {
    requireMatrix(a, "Linalg.svdvals")
    let (s, info) = svdvalsEx(a)
    try checkConvergence(info, op: "Linalg.svdvals")
    return s
  }

  /// The singular values with LAPACK's info (NaN where the SVD did not converge), for the ops
  /// built on them.
  static func svdvalsEx(_ a: Tensor) -> (Tensor, Tensor) {
    if a.autodiff == nil {
      let (_, s, _, info) = LAPACK.svd(a, full: false, vectors: false)
      return (s, info)
    }
    let out = Tensor.apply(SVDOp(full: false, name: "Linalg.svdvals"), [a])
    return (out[1], out[3])
  }

  /// Checks that `a` is a floating batch of matrices.
  static func requireMatrix(_ a: Tensor, _ op: String, name: String = "A") {
    check(a.rank >= 2, "\(op): \(name) must have at least 2 dimensions, got shape \(a.shape)")
    requireFloating(a, op)
  }
}
