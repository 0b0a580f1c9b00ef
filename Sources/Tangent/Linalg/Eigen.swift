import ComplexModule
import RealModule

// MARK: Shared rules of eigh and eig

/// The derivative rules of an eigendecomposition `A V = V diag(L)`, shared by ``EighOp``
/// (Hermitian `A`, unitary `V`) and ``EigOp`` (general `A`, unit-norm columns of `V`).
///
/// Derivation (Giles 2008, §3.1; PyTorch's `linalg_eig_jvp` and `linalg_eig_backward`):
/// differentiating `A V = V Λ` gives `V⁻¹ dA V = Λ C − C Λ + dΛ` with `dV = V C`. With
/// `P = V⁻¹ dA V` (`Vᴴ dA V` when Hermitian) and `Eᵢⱼ = λⱼ − λᵢ`:
/// - `dΛ = diag(P)` (its real part when Hermitian);
/// - `Cᵢⱼ = Pᵢⱼ / Eᵢⱼ` off the diagonal. The diagonal is the gauge: zero for eigh (unitary
///   `V`, no phase change), and for eig the real part that keeps the columns at unit norm,
///   `Cⱼⱼ = −Re((Vᴴ V C₀)ⱼⱼ)` with `C₀` the off-diagonal part (PyTorch's choice: no phase change).
///
/// The VJP is the adjoint: with `W = Vᴴ gV`, projected onto what the JVP can produce
/// (`½(W − Wᴴ)` for eigh; `W − Vᴴ V diag(Re Wⱼⱼ)` for eig), `gP = W ⊘ conj(E)` off the
/// diagonal plus `diag(gL)`, and `gA = V⁻ᴴ gP Vᴴ` (`V gP Vᴴ` for eigh). Eigh's rules take the
/// input to be Hermitian, as PyTorch's do: they differentiate `eigh(½(A + Aᴴ))`, so the VJP is
/// Hermitian and both rules agree with PyTorch on Hermitian directions.
///
/// Repeated eigenvalues make `E` zero off the diagonal: the eigenvectors' derivatives are then
/// not defined, and the affected entries are `±inf` or NaN (as PyTorch's), never a wrong
/// finite number. The eigenvalues' derivatives need no division and stay exact.
enum EigenRules {
  /// The matrix `Eᵢⱼ = λⱼ − λᵢ` with ones on the diagonal (a safe divisor there).
  static func gaps(_ l: Tensor) -> Tensor {
    let n = l.shape[l.rank - 1]
    return l.unsqueezed(dim: -2) - l.unsqueezed(dim: -1) + Tensor.eye(n, dtype: l.dtype)
  }

  /// The off-diagonal part of a batch of matrices (the diagonal set to zero).
  static func offDiagonal(_ x: Tensor) -> Tensor {
    let n = x.shape[x.rank - 1]
    return x * (1 - Tensor.eye(n, dtype: x.dtype.real))
  }

  /// The tangents `(dL, dV)` for a tangent `dA`.
  static func jvp(_ da: Tensor, values l: Tensor, vectors v: Tensor, hermitian: Bool) -> (Tensor, Tensor) {
    let p: Tensor
    if hermitian {
      p = v.mH.matmul(((da + da.mH) / 2).matmul(v))
    } else {
      // A real dA times complex V: two real products instead of a complex one.
      let dav = da.dtype.isComplex ? da.matmul(v) : Tensor.complex(real: da.matmul(v.real), imaginary: da.matmul(v.imag))
      p = Linalg.solveEx(v, dav).result
    }
    var dl = p.diagonal(offset: 0, dim1: -2, dim2: -1)
    if hermitian && dl.dtype.isComplex { dl = dl.real }
    let c0 = offDiagonal(p / gaps(l))
    let vc0 = v.matmul(c0)
    if hermitian { return (dl, vc0) }
    // Keep the columns at unit norm: C = C₀ − diag(Re((Vᴴ V C₀)ⱼⱼ)), where
    // (Vᴴ V C₀)ⱼⱼ = Σₖ conj(Vₖⱼ) (V C₀)ₖⱼ.
    let drift = (v.conj() * vc0).sum(dim: -2).real
    return (dl, vc0 - v * drift.unsqueezed(dim: -2))
  }

  /// The cotangent of `A` (complex for eig; the caller takes the real part for a real input).
  static func vjp(gl: Tensor?, gv: Tensor?, values l: Tensor, vectors v: Tensor, hermitian: Bool) -> Tensor? {
    guard gl != nil || gv != nil else { return nil }
    var gp: Tensor? = nil
    if let gv {
      var w = v.mH.matmul(gv.converted(to: v.dtype))
      if hermitian {
        w = (w - w.mH) / 2
      } else {
        let re = w.diagonal(offset: 0, dim1: -2, dim2: -1).real
        w = w - v.mH.matmul(v * re.unsqueezed(dim: -2))
      }
      gp = offDiagonal(w / gaps(l).conj())
    }
    if let gl { gp = gp.map { $0 + gl.diagEmbed() } ?? gl.diagEmbed() }
    let g = gp!.converted(to: v.dtype)
    if hermitian { return v.matmul(g.matmul(v.mH)) }
    return Linalg.solveEx(v.mH, g.matmul(v.mH)).result
  }
}

// MARK: Ops

/// The outputs of ``EighOp`` and ``EigOp``, by name: the eigenvalues `L` and eigenvectors `V`.
///
/// LAPACK's info is not an output: the kernels fill a failed matrix's outputs with NaN, and
/// eigenvalues of a finite matrix that converged are finite, so NaN eigenvalues are the
/// failure flag (``Linalg/checkConvergence(eigenvalues:op:)``).
struct Eigenpairs {
  /// `L`.
  let values: Tensor
  /// `V` (its columns).
  let vectors: Tensor

  init(values: Tensor, vectors: Tensor) {
    self.values = values
    self.vectors = vectors
  }

  /// Reads an op's outputs.
  init(_ outputs: [Tensor]) { self.init(values: outputs[0], vectors: outputs[1]) }

  /// An op's outputs.
  var outputs: [Tensor] { [values, vectors] }
}

/// The eigendecomposition of a batch of Hermitian matrices read from one triangle: outputs
/// ``Eigenpairs`` with `A = V diag(L) Vᴴ`, `L` ascending and real, `V` unitary (columns
/// defined up to a sign or phase). LAPACK's `?syevd`/`?heevd`.
///
/// Derivative: ``EigenRules`` (Giles 2008, §3.1; PyTorch's `linalg_eig_jvp` and
/// `linalg_eig_backward` with `is_hermitian`). `eigvalsh` uses the op too, with `V` hidden:
/// its JVP still gives `V`'s tangent, which the eigenvalues' higher derivatives need.
struct EighOp: DifferentiableOp {
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }
  let upper: Bool
  /// `Linalg.eigh` or `Linalg.eigvalsh`.
  let name: String

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let r = LAPACK.eigh(inputs[0], upper: upper, vectors: true)
    return Eigenpairs(values: r.values, vectors: r.vectors!).outputs
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let da = tangents[0] else { return [nil, nil] }
    let y = Eigenpairs(outputs)
    let (dl, dv) = EigenRules.jvp(da, values: y.values, vectors: y.vectors, hermitian: true)
    return Eigenpairs(values: dl, vectors: dv).outputs
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0] else { return [nil] }
    let y = Eigenpairs(outputs)
    return [EigenRules.vjp(gl: cotangents[0], gv: cotangents[1], values: y.values, vectors: y.vectors, hermitian: true)]
  }
}

/// The eigendecomposition of a batch of general square matrices: outputs ``Eigenpairs``, both
/// complex (for real inputs too), `A V = V diag(L)`, every column of `V` of unit norm with its
/// largest component real (LAPACK's `?geev`, as PyTorch's).
///
/// Derivative: ``EigenRules`` (Giles 2008, §3.1; PyTorch's `linalg_eig_jvp` and
/// `linalg_eig_backward`); for a real input the VJP is the real part (PyTorch's convention for
/// real-to-complex functions). `eigvals` uses the op too, with `V` hidden.
struct EigOp: DifferentiableOp {
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }
  /// `Linalg.eig` or `Linalg.eigvals`.
  let name: String

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let r = LAPACK.eig(inputs[0], vectors: true)
    return Eigenpairs(values: r.values, vectors: r.vectors!).outputs
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let da = tangents[0] else { return [nil, nil] }
    let y = Eigenpairs(outputs)
    let (dl, dv) = EigenRules.jvp(da, values: y.values, vectors: y.vectors, hermitian: false)
    return Eigenpairs(values: dl, vectors: dv).outputs
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0] else { return [nil] }
    let y = Eigenpairs(outputs)
    guard let ga = EigenRules.vjp(gl: cotangents[0], gv: cotangents[1], values: y.values, vectors: y.vectors, hermitian: false) else {
      return [nil]
    }
    return [inputs[0].dtype.isComplex ? ga : ga.real]
  }
}

// MARK: Public API

extension Linalg {
  /// Which triangle of a Hermitian matrix an op reads, like PyTorch's `UPLO`.
  public enum Triangle: Sendable {
    /// The lower triangle (`UPLO='L'`).
    case lower
    /// The upper triangle (`UPLO='U'`).
    case upper
  }

  /// Throws ``LinalgError/noConvergence(op:batchIndex:)`` for the first non-zero info.
  static func checkConvergence(_ info: Tensor, op: String) throws(LinalgError) {
    if let f = LinalgError.firstFailure(info) { throw .noConvergence(op: op, batchIndex: f.index) }
  }

  /// Throws ``LinalgError/noConvergence(op:batchIndex:)`` for the first matrix whose
  /// eigenvalues are NaN: the eigen kernels fill a matrix that failed (no convergence, or
  /// non-finite entries) with NaN, and a finite matrix that converged has finite eigenvalues.
  static func checkConvergence(eigenvalues l: Tensor, op: String) throws(LinalgError) {
    let n = l.shape[l.rank - 1]
    guard n > 0, let i = l.detached.isNaN().valuesOfEveryMember.contiguousValues().scalars(as: Bool.self).firstIndex(of: true) else { return }
    throw .noConvergence(op: op, batchIndex: i / n)
  }

  /// The eigenvalues and eigenvectors of each Hermitian (real symmetric) matrix, like
  /// `torch.linalg.eigh`: `A = V diag(L) Vᴴ` with real eigenvalues `L` in ascending order and
  /// orthonormal eigenvectors (the columns of `V`). Only the `uplo` triangle of `A` is read
  /// (the imaginary part of its diagonal is ignored).
  ///
  /// Each eigenvector is defined only up to a sign (a unit phase for complex dtypes), so use
  /// functions that do not depend on that choice (`V diag(f(L)) Vᴴ`, `|V|`).
  ///
  /// Derivative: `dL = Re diag(Vᴴ dA V)`, `dV = V ((Vᴴ dA V) ⊘ E)` with `Eᵢⱼ = λⱼ − λᵢ` off
  /// the diagonal, taking the input Hermitian (as PyTorch: the rules differentiate
  /// `eigh(½(A + Aᴴ))`). At repeated eigenvalues the eigenvectors' derivatives are not defined:
  /// the affected entries are `±inf` or NaN, as in PyTorch (the eigenvalues' stay exact).
  /// - Throws: ``LinalgError/noConvergence(op:batchIndex:)`` when LAPACK does not converge.
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func eigh(_ a: Tensor, uplo: Triangle = .lower) throws(LinalgError) -> (eigenvalues: Tensor, eigenvectors: Tensor) {
    requireSquare(a, "Linalg.eigh")
    let y = Eigenpairs(Tensor.apply(EighOp(upper: uplo == .upper, name: "Linalg.eigh"), [a]))
    try checkConvergence(eigenvalues: y.values, op: "Linalg.eigh")
    return (y.values, y.vectors)
  }

  /// The eigenvalues of each Hermitian matrix in ascending order, like
  /// `torch.linalg.eigvalsh`. Only the `uplo` triangle is read.
  ///
  /// Derivative: `dL = Re diag(Vᴴ dA V)`; the VJP is `V diag(gL) Vᴴ`. Both are exact at
  /// repeated eigenvalues too. The eigenvectors are computed only when `a` is differentiated.
  /// - Throws: ``LinalgError/noConvergence(op:batchIndex:)`` when LAPACK does not converge.
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func eigvalsh(_ a: Tensor, uplo: Triangle = .lower) throws(LinalgError) -> Tensor {
    requireSquare(a, "Linalg.eigvalsh")
    if a.autodiff == nil {
      let (l, _, info) = LAPACK.eigh(a, upper: uplo == .upper, vectors: false)
      try checkConvergence(info, op: "Linalg.eigvalsh")
      return l
    }
    let y = Eigenpairs(Tensor.apply(EighOp(upper: uplo == .upper, name: "Linalg.eigvalsh"), [a]))
    try checkConvergence(eigenvalues: y.values, op: "Linalg.eigvalsh")
    return y.values
  }

  /// The eigenvalues and right eigenvectors of each square matrix, like `torch.linalg.eig`:
  /// `A V = V diag(L)`. Both are complex, for real inputs too. Each eigenvector has unit norm
  /// and its largest component real (LAPACK's normalisation, as in PyTorch), which leaves a
  /// sign (real eigenvalue of a real matrix) or phase free: use functions that do not depend
  /// on it (`|V|`, or `V diag(f(L)) V⁻¹`).
  ///
  /// Derivative: `dL = diag(V⁻¹ dA V)`, `dV = V C` with `C = (V⁻¹ dA V) ⊘ E` off the diagonal
  /// and a real diagonal that keeps the columns at unit norm (PyTorch's gauge). A real input
  /// gets the real part of the VJP. At repeated eigenvalues the eigenvectors' derivatives
  /// are `±inf` or NaN, as in PyTorch.
  /// - Throws: ``LinalgError/noConvergence(op:batchIndex:)`` when LAPACK does not converge.
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func eig(_ a: Tensor) throws(LinalgError) -> (eigenvalues: Tensor, eigenvectors: Tensor) {
    requireSquare(a, "Linalg.eig")
    let y = Eigenpairs(Tensor.apply(EigOp(name: "Linalg.eig"), [a]))
    try checkConvergence(eigenvalues: y.values, op: "Linalg.eig")
    return (y.values, y.vectors)
  }

  /// The eigenvalues of each square matrix (complex, for real inputs too), in LAPACK's order,
  /// like `torch.linalg.eigvals`.
  ///
  /// Derivative: `dL = diag(V⁻¹ dA V)`; the VJP is `V⁻ᴴ diag(gL) Vᴴ` (real part for a real
  /// input). The eigenvectors are computed only when `a` is differentiated.
  /// - Throws: ``LinalgError/noConvergence(op:batchIndex:)`` when LAPACK does not converge.
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func eigvals(_ a: Tensor) throws(LinalgError) -> Tensor {
    requireSquare(a, "Linalg.eigvals")
    if a.autodiff == nil {
      let (l, _, info) = LAPACK.eig(a, vectors: false)
      try checkConvergence(info, op: "Linalg.eigvals")
      return l
    }
    let y = Eigenpairs(Tensor.apply(EigOp(name: "Linalg.eigvals"), [a]))
    try checkConvergence(eigenvalues: y.values, op: "Linalg.eigvals")
    return y.values
  }
}
