import ComplexModule
import RealModule

/// How the determinant ops factorise `A`: `det(Aᵀ) = det(A)`, so they factorise whichever of
/// `A` and `Aᵀ` is column-major in memory, and no transposing copy is made.
private func factorOfTranspose(_ a: Tensor) -> Bool { !a.hasColumnMajorMatrices }

/// `A` from the factorisation of `M` (`A = M`, or `Mᵀ` when `ofTranspose`), for results `R(M)`
/// with `R(Mᵀ) = R(M)ᵀ`.
private func undoTranspose(_ r: Tensor, _ ofTranspose: Bool) -> Tensor { ofTranspose ? LAPACK.transposedView(r) : r }

/// `tr(X Y) = Σᵢⱼ Xⱼᵢ Yᵢⱼ` for batches of square matrices: one pass over plain operands,
/// differentiable ops when either carries derivatives.
private func traceOfProduct(_ x: Tensor, _ y: Tensor) -> Tensor {
  if x.autodiff == nil && y.autodiff == nil && x.dtype == y.dtype { return LAPACK.traceOfProduct(x, y) }
  return (x.mT * y).sum(dims: [-2, -1])
}

/// The determinant of a batch of square matrices: outputs `[det, LU, pivots]`, the LU
/// factorisation kept for the rules (like PyTorch's `_linalg_det`).
///
/// Derivative (Jacobi's formula; Giles 2008, §2.2.4; PyTorch's `linalg_det_jvp` and
/// `linalg_det_backward`): `d det(A) = tr(adj(A) dA)`, where `adj(A) = det(A) A⁻¹` is the
/// adjugate, and the VJP is `gA = g · adj(A)ᴴ`. The adjugate is computed from the LU factors
/// without dividing by the pivots (see ``LAPACK/adjugate(lu:pivots:)``), so the derivatives
/// are exact at singular matrices too (PyTorch takes the adjugate of a singular matrix
/// through its SVD). With a constant `A` the saved factors give `adj(A)` (as `det(A) A⁻¹` by
/// `?getri` when no pivot is zero, the recurrence otherwise); otherwise it comes from
/// ``AdjugateOp``, whose own derivative gives the higher orders (at non-singular `A`).
struct DetOp: DifferentiableOp {
  let ofTranspose: Bool
  var name: String { "Linalg.det" }
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let (lu, pivots, _) = LAPACK.luFactor(inputs[0], ofTranspose: ofTranspose)
    return [LAPACK.determinant(lu: lu, pivots: pivots), lu, pivots]
  }

  /// `A⁻¹` from the saved factors (`?getri`), when `A` is a constant of the rule and not
  /// singular.
  func savedInverse(_ a: Tensor, _ outputs: [Tensor]) -> Tensor? {
    guard a.isConstantInRule, let inverse = LAPACK.luInverse(lu: outputs[1].detached, pivots: outputs[2]) else { return nil }
    return undoTranspose(inverse, ofTranspose)
  }

  /// `adj(A)`: from the saved factors when `A` is a constant of the rule, as `det(A) A⁻¹` when
  /// `A` is not singular (faster than the division-free recurrence).
  func adjugate(_ a: Tensor, _ outputs: [Tensor]) -> Tensor {
    if let inverse = savedInverse(a, outputs) { return asMatrixScale(outputs[0].detached) * inverse }
    if a.isConstantInRule {
      return undoTranspose(LAPACK.adjugate(lu: outputs[1].detached, pivots: outputs[2]), ofTranspose)
    }
    return Linalg.adjugate(a)
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let da = tangents[0] else { return [nil, nil, nil] }
    // With a constant, non-singular A: tr(adj(A) dA) = det(A) tr(A⁻¹ dA).
    if let inverse = savedInverse(inputs[0], outputs) {
      return [outputs[0].detached * traceOfProduct(inverse, da), nil, nil]
    }
    return [traceOfProduct(adjugate(inputs[0], outputs), da), nil, nil]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0], let g = cotangents[0] else { return [nil] }
    return [asMatrixScale(g) * adjugate(inputs[0], outputs).mH]
  }
}

/// The adjugate `adj(A)` (the transposed cofactor matrix, `det(A) A⁻¹` when `A` is
/// invertible), exact for singular matrices: the rules of ``DetOp`` differentiate through it.
///
/// Derivative: differentiating `A adj(A) = det(A) I` gives, for invertible `A`,
/// `d adj(A) = (tr(adj(A) dA) adj(A) − adj(A) dA adj(A)) / det(A)`; the VJP is the adjoint map,
/// `gA = (⟨adj(A), G⟩ adj(A)ᴴ − adj(A)ᴴ G adj(A)ᴴ) / conj(det(A))` with `⟨X, G⟩ = Σ conj(X)·G`.
/// At a singular `A` these second derivatives of the determinant are not finite.
struct AdjugateOp: UnaryOp {
  var name: String { "Linalg.adjugate" }
  var sparsity: SparsityRule { .slices(dims: [-2, -1], .nonlinear) }

  func primal(_ a: Tensor) -> Tensor {
    let t = factorOfTranspose(a)
    let (lu, pivots, _) = LAPACK.luFactor(a, ofTranspose: t)
    return undoTranspose(LAPACK.adjugate(lu: lu, pivots: pivots), t)
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    if x.shape[x.rank - 1] == 1 { return Tensor.zeros(like: dx.detached) }
    let trace = asMatrixScale((y.mT * dx).sum(dims: [-2, -1]))
    return (trace * y - y.matmul(dx).matmul(y)) / asMatrixScale(Linalg.det(x))
  }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    if x.shape[x.rank - 1] == 1 { return Tensor.zeros(like: gy.detached) }
    let yh = y.mH
    let inner = asMatrixScale((y.conj() * gy).sum(dims: [-2, -1]))
    return (inner * yh - yh.matmul(gy).matmul(yh)) / asMatrixScale(Linalg.det(x).conj())
  }
}

/// The sign (a unit phase for complex dtypes) and the log of the absolute value of the
/// determinant: outputs `[sign, logabsdet, LU, pivots]`.
///
/// Derivative (PyTorch's `slogdet_jvp` and `slogdet_backward`; Giles 2008, §2.2.4): with
/// `τ = d log det(A) = tr(A⁻¹ dA)`, `d logabsdet = Re τ` and `d sign = i Im(τ) · sign` (zero
/// for real dtypes). The VJP follows from `dL = g_l Re τ + Re(conj(g_s) d sign)`:
/// `gA = (g_l + i Im(g_s conj(sign))) A⁻ᴴ`. `A⁻¹` comes from the saved factors when `A` is a
/// constant of the rule, otherwise from the differentiable ``InvOp``.
struct SlogdetOp: DifferentiableOp {
  let ofTranspose: Bool
  var name: String { "Linalg.slogdet" }
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let (lu, pivots, _) = LAPACK.luFactor(inputs[0], ofTranspose: ofTranspose)
    let (sign, logAbs) = LAPACK.signAndLogAbsDet(lu: lu, pivots: pivots)
    return [sign, logAbs, lu, pivots]
  }

  /// `A⁻¹`: from the saved factors when `A` is a constant of the rule.
  func inverse(_ a: Tensor, _ outputs: [Tensor]) -> Tensor {
    if a.isConstantInRule {
      if let inverse = LAPACK.luInverse(lu: outputs[2].detached, pivots: outputs[3]) { return undoTranspose(inverse, ofTranspose) }
      // A singular A: the solve gives the infinities of A⁻¹.
      let n = a.shape[a.rank - 1]
      return LAPACK.luSolve(
        lu: outputs[2].detached, pivots: outputs[3], b: Tensor.eye(n, dtype: a.dtype), left: true,
        op: ofTranspose ? .transpose : .none)
    }
    return Tensor.apply(InvOp(), [a])[0]
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let da = tangents[0] else { return [nil, nil, nil, nil] }
    let tau = traceOfProduct(inverse(inputs[0], outputs), da)
    let dsign = inputs[0].dtype.isComplex ? outputs[0] * ((tau - tau.conj()) / 2) : nil
    return [dsign, tau.real, nil, nil]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0] else { return [nil] }
    var g = cotangents[1]
    if inputs[0].dtype.isComplex, let gs = cotangents[0] {
      let w = gs * outputs[0].conj()
      let phase = (w - w.conj()) / 2
      g = g.map { $0 + phase } ?? phase
    }
    guard let g else { return [nil] }
    return [asMatrixScale(g) * inverse(inputs[0], outputs).mH]
  }
}

extension Linalg {
  /// The determinant of each square matrix, like `torch.linalg.det`, from an LU factorisation.
  ///
  /// A singular matrix has determinant 0 and no error is raised.
  ///
  /// Derivative: `d det(A) = tr(adj(A) dA)`; the VJP is `g · adj(A)ᴴ`. Both are exact at
  /// singular matrices (the adjugate is computed without dividing by the pivots).
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func det(_ a: Tensor) -> Tensor {
    requireSquare(a, "Linalg.det")
    return Tensor.apply(DetOp(ofTranspose: factorOfTranspose(a)), [a])[0]
  }

  /// The sign and the natural log of the absolute value of the determinant, like
  /// `torch.linalg.slogdet`: `det(A) = sign · exp(logAbsDet)`. For complex dtypes `sign` is
  /// the unit phase `det/|det|`; `logAbsDet` is always real. A singular matrix gives sign 0
  /// and `logAbsDet = −∞`.
  ///
  /// Derivative: with `τ = tr(A⁻¹ dA)`, `d logAbsDet = Re τ` and `d sign = i Im(τ) sign`.
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func slogdet(_ a: Tensor) -> (sign: Tensor, logAbsDet: Tensor) {
    requireSquare(a, "Linalg.slogdet")
    let out = Tensor.apply(SlogdetOp(ofTranspose: factorOfTranspose(a)), [a])
    return (out[0], out[1])
  }

  /// The natural log of the determinant, like `torch.logdet`: `logAbsDet + log(sign)`, so a
  /// real matrix with a negative determinant gives NaN, a singular one −∞, and a complex one
  /// the principal log.
  ///
  /// Derivative: `d log det(A) = tr(A⁻¹ dA)`; the VJP is `g · A⁻ᴴ`.
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func logdet(_ a: Tensor) -> Tensor {
    requireSquare(a, "Linalg.logdet")
    let (sign, logAbs) = slogdet(a)
    return logAbs + sign.log()
  }

  /// The adjugate `adj(A) = det(A) A⁻¹`, exact for singular matrices. See ``AdjugateOp``.
  static func adjugate(_ a: Tensor) -> Tensor {
    requireSquare(a, "Linalg.adjugate")
    return Tensor.apply(AdjugateOp(), a)
  }
}
