import ComplexModule
import RealModule

/// A triangular solve with a Cholesky factor, for the rules below.
private func triSolve(_ a: Tensor, _ b: Tensor, upper: Bool, left: Bool, op: LAPACK.MatrixOp = .none) -> Tensor {
  Tensor.apply(TriangularSolveOp(upper: upper, left: left, unitriangular: false, op: op), [a, b])[0]
}

/// The Cholesky factor of a batch of Hermitian positive-definite matrices: outputs
/// `[L, info]`, `A = L Lᴴ` (or `[U, info]`, `A = Uᴴ U`, when `upper`). Only the lower (upper)
/// triangle of `A` is read.
///
/// Derivative (Murray 2016, arXiv:1602.07527; PyTorch's `cholesky_jvp` and
/// `cholesky_backward`): from `dA = dL Lᴴ + L dLᴴ`, `L⁻¹ dA L⁻ᴴ = L⁻¹dL + (L⁻¹dL)ᴴ` with
/// `L⁻¹dL` lower triangular, so `dL = L Φ(L⁻¹ dA L⁻ᴴ)` where `Φ` keeps the lower triangle and
/// halves the diagonal. The VJP is the adjoint map, symmetrised as PyTorch does (the input is
/// taken to be Hermitian): with `M = Lᴴ gL`, `gA = L⁻ᴴ ½(tril(M) + tril(M, −1)ᴴ) L⁻¹`. For
/// `upper`, `L = Uᴴ`. The solves are triangular solves with the factor (no inverse is formed);
/// a first-order JVP runs them on BLAS in place (``LAPACK/choleskyTangent(factor:tangent:upper:)``).
struct CholeskyOp: DifferentiableOp {
  let upper: Bool
  var name: String { "Linalg.cholesky" }
  var sparsity: SparsityRule { .slices(dims: [-2, -1], .nonlinear) }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let (f, info) = LAPACK.cholesky(inputs[0], upper: upper)
    return [f, info]
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let da = tangents[0] else { return [nil, nil] }
    let f = outputs[0]
    // Plain operands (no higher derivative to record): BLAS on the factor, in place.
    if f.autodiff == nil && da.autodiff == nil { return [LAPACK.choleskyTangent(factor: f, tangent: da, upper: upper), nil] }
    // Y = L⁻¹ dA L⁻ᴴ, with L = f (lower) or L = fᴴ (upper), solving with f's own triangle.
    let y = upper
      ? triSolve(f, triSolve(f, da, upper: true, left: true, op: .adjoint), upper: true, left: false)
      : triSolve(f, triSolve(f, da, upper: false, left: true), upper: false, left: false, op: .adjoint)
    let phi = y.tril() - (y.diagonal(offset: 0, dim1: -2, dim2: -1) * 0.5).diagEmbed()
    return [upper ? phi.mH.matmul(f) : f.matmul(phi), nil]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0], let g = cotangents[0] else { return [nil] }
    let f = outputs[0]
    // M = Lᴴ gL (for upper: L = Uᴴ, gL = gUᴴ, so M = U gUᴴ).
    let m = (upper ? f.matmul(g.mH) : f.mH.matmul(g)).tril()
    let sym = (m + m.tril(diagonal: -1).mH) * 0.5
    // L⁻ᴴ S L⁻¹.
    let ga = upper
      ? triSolve(f, triSolve(f, sym, upper: true, left: true), upper: true, left: false, op: .adjoint)
      : triSolve(f, triSolve(f, sym, upper: false, left: true, op: .adjoint), upper: false, left: false)
    return [ga]
  }
}

/// Solves `A X = B` given the Cholesky factor of `A` (`A = L Lᴴ`, or `Uᴴ U` when `upper`):
/// inputs `[B, F]`, output `[X]`, like `torch.cholesky_solve`. The primal is two triangular
/// solves reading only `F`'s triangle.
///
/// Derivative (PyTorch's `cholesky_solve_jvp` and `cholesky_solve_backward`; Giles 2008,
/// §2.3.1): with `dA = dK + dKᴴ`, `dK = dL Lᴴ` (`dUᴴ U`), `dX = A⁻¹ (dB − dA X)`. The VJP is
/// `gB = A⁻¹ gX` (`A` is Hermitian) and, with `C = gB Xᴴ + X gBᴴ`, `gL = −C L` (`gU = −U C`).
/// Like PyTorch, these rules use the whole tangent of `F`, not only its triangle.
struct CholeskySolveOp: DifferentiableOp {
  let upper: Bool
  var name: String { "Linalg.choleskySolve" }
  var sparsity: SparsityRule { .batchedMatrices(.nonlinear) }

  /// The batch broadcasts in front of the batch dims of `B` and the factor (each batched one
  /// lifted to the most batch dims among them).
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.broadcastingBatchDims(self, inputs, isBatched: isBatched, coreRanks: [2, 2])
  }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let b = inputs[0], f = inputs[1]
    if upper {
      let y = LAPACK.triangularSolve(f, b, upper: true, left: true, op: .adjoint, unitriangular: false)
      return [LAPACK.triangularSolve(f, y, upper: true, left: true, op: .none, unitriangular: false)]
    }
    let y = LAPACK.triangularSolve(f, b, upper: false, left: true, op: .none, unitriangular: false)
    return [LAPACK.triangularSolve(f, y, upper: false, left: true, op: .adjoint, unitriangular: false)]
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    let f = inputs[1], x = outputs[0]
    var r = tangents[0].map { lift($0, primalRank: inputs[0].rank, outputRank: x.rank) }
    if let df = tangents[1] {
      let d = lift(df, primalRank: f.rank, outputRank: x.rank)
      let dk = upper ? d.mH.matmul(f) : d.matmul(f.mH)
      let term = (dk + dk.mH).matmul(x)
      r = r.map { $0 - term } ?? -term
    }
    guard let r else { return [nil] }
    return [Tensor.apply(self, [r, f])[0]]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gx = cotangents[0], needed[0] || needed[1] else { return [nil, nil] }
    let f = inputs[1], x = outputs[0]
    let gb = Tensor.apply(self, [gx, f])[0]
    var gf: Tensor? = nil
    if needed[1] {
      let c0 = gb.matmul(x.mH)
      let c = c0 + c0.mH
      gf = (upper ? -(f.matmul(c)) : -(c.matmul(f))).summed(toShape: f.shape)
    }
    return [needed[0] ? gb.summed(toShape: inputs[0].shape) : nil, gf]
  }
}

/// The inverse of `A = L Lᴴ` (or `Uᴴ U` when `upper`) from its Cholesky factor, like
/// `torch.cholesky_inverse`: LAPACK's `?potri`, reading only the factor's triangle.
///
/// Derivative (PyTorch's `cholesky_inverse_jvp` and `cholesky_inverse_backward`): with
/// `X = A⁻¹`, `dX = −X dA X` and `dA = dL Lᴴ + L dLᴴ`, so `dX = P + Pᴴ` with
/// `P = −X dL Lᴴ X` (`−X dUᴴ U X`). The VJP is `gL = −X (gX + gXᴴ) X L` (`−U X (gX + gXᴴ) X`).
/// Like PyTorch, these rules use the whole tangent of the factor.
struct CholeskyInverseOp: UnaryOp {
  let upper: Bool
  var name: String { "Linalg.choleskyInverse" }
  var sparsity: SparsityRule { .slices(dims: [-2, -1], .nonlinear) }

  func primal(_ f: Tensor) -> Tensor { LAPACK.choleskyInverse(f, upper: upper) }

  /// The part of a matrix that LAPACK's `?potri` reads: the factor's triangle, with the
  /// imaginary part of the diagonal dropped (a Cholesky factor's diagonal is real).
  func projected(_ t: Tensor) -> Tensor {
    let triangle = upper ? t.triu() : t.tril()
    guard t.dtype.isComplex else { return triangle }
    let im = triangle.diagonal(offset: 0, dim1: -2, dim2: -1).imag
    return triangle - Tensor.complex(real: Tensor.zeros(like: im.detached), imaginary: im).diagEmbed()
  }

  func jvp(x f: Tensor, y: Tensor, dx df: Tensor) -> Tensor {
    let (f, df) = (projected(f), projected(df))
    let p = upper ? -(y.matmul(df.mH).matmul(f).matmul(y)) : -(y.matmul(df).matmul(f.mH).matmul(y))
    return p + p.mH
  }

  func vjp(x f: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    let f = projected(f)
    let c = y.matmul(gy + gy.mH).matmul(y)
    return projected(upper ? -(f.matmul(c)) : -(c.matmul(f)))
  }
}

extension Linalg {
  /// The Cholesky factor of each Hermitian positive-definite matrix, like
  /// `torch.linalg.cholesky`: lower triangular `L` with `A = L Lᴴ`, or with `upper` the upper
  /// triangular `U = Lᴴ` with `A = Uᴴ U`. Only that triangle of `A` is read.
  ///
  /// Derivative: `dL = L Φ(L⁻¹ dA L⁻ᴴ)`, `Φ` the lower triangle with a halved diagonal; the
  /// VJP is Hermitian (PyTorch's convention).
  /// - Throws: ``LinalgError/notPositiveDefinite(op:batchIndex:order:)`` for the first matrix
  ///   that is not positive definite.
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func cholesky(_ a: Tensor, upper: Bool = false) throws(LinalgError) -> Tensor {
    let (f, info) = choleskyEx(a, upper: upper, op: "Linalg.cholesky")
    if let failure = LinalgError.firstFailure(info) {
      throw .notPositiveDefinite(op: "Linalg.cholesky", batchIndex: failure.index, order: failure.code)
    }
    return f
  }

  /// ``cholesky(_:upper:)`` with LAPACK's info instead of an error, like
  /// `torch.linalg.cholesky_ex`: `info[i] = k > 0` when the leading minor of order `k` of
  /// matrix `i` is not positive definite (its factor is then incomplete).
  public static func choleskyEx(_ a: Tensor, upper: Bool = false) -> (factor: Tensor, info: Tensor) {
    choleskyEx(a, upper: upper, op: "Linalg.choleskyEx")
  }

  static func choleskyEx(_ a: Tensor, upper: Bool, op: String) -> (factor: Tensor, info: Tensor) {
    requireSquare(a, op)
    let out = Tensor.apply(CholeskyOp(upper: upper), [a])
    return (out[0], out[1])
  }

  /// Solves `A X = B` for `A = L Lᴴ` given its Cholesky factor (or `A = Uᴴ U` when `upper`),
  /// like `torch.cholesky_solve(B, L, upper)` (note the argument order). Only the factor's
  /// triangle is read; the batch dims of `b` and `l` broadcast.
  ///
  /// Derivative: `dX = A⁻¹ (dB − dA X)` with `dA = dL Lᴴ + L dLᴴ`; the rules use the whole
  /// tangent of the factor, as PyTorch's do.
  /// - Precondition: `l` is a batch of square matrices, `b` is `[..., n, k]` of the same
  ///   floating dtype, and the batch dims broadcast.
  public static func choleskySolve(_ b: Tensor, _ l: Tensor, upper: Bool = false) -> Tensor {
    let op = "Linalg.choleskySolve"
    requireSquare(l, op, name: "the factor")
    requireSameDType(b, l, op)
    check(b.rank >= 2, "\(op): B must have at least 2 dimensions, got shape \(b.shape)")
    check(b.shape[b.rank - 2] == l.shape[l.rank - 1], "\(op): B \(b.shape) does not match the factor \(l.shape)")
    requireBroadcastBatch(b, l, op)
    return Tensor.apply(CholeskySolveOp(upper: upper), [b, l])[0]
  }

  /// The inverse of `A = L Lᴴ` (or `Uᴴ U` when `upper`) from its Cholesky factor, like
  /// `torch.cholesky_inverse`; the result is Hermitian. Like LAPACK (and PyTorch), only the
  /// factor's triangle is read, and the real part of its diagonal.
  ///
  /// Derivative: `dX = P + Pᴴ` with `P = −X dL Lᴴ X`, where `dL` is the tangent's part that
  /// the op reads (its triangle, real diagonal): the derivative of the function computed.
  /// PyTorch's rules use the whole tangent instead, so its VJP differs off the triangle.
  /// - Precondition: `l` is a floating batch of square matrices.
  public static func choleskyInverse(_ l: Tensor, upper: Bool = false) -> Tensor {
    requireSquare(l, "Linalg.choleskyInverse", name: "the factor")
    return Tensor.apply(CholeskyInverseOp(upper: upper), l)
  }
}
