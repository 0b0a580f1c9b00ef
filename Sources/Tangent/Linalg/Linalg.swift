import ComplexModule
import RealModule

/// Linear algebra, like `torch.linalg`: factorisations, solves, inverses and determinants of
/// batches of matrices (the last two dims; leading dims are batch dims and broadcast where
/// an op takes two operands), in `float32`, `float64`, `complex64` and `complex128`.
///
/// Every op has forward- and reverse-mode rules written with differentiable Tensor ops, so
/// derivatives of any order follow. Complex derivatives follow PyTorch's conventions (the
/// conjugate Wirtinger VJP).
///
/// Misuse (a non-square matrix where a square one is needed, mismatched shapes or dtypes)
/// stops with a message naming the op and the shapes. A failure that depends on the
/// values (a singular matrix, one that is not positive definite) throws a ``LinalgError``;
/// the `…Ex` variants return LAPACK's info per matrix instead, like PyTorch's `*_ex` ops.
public enum Linalg {}

/// A data-dependent failure of a ``Linalg`` op.
public enum LinalgError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The matrix at `batchIndex` (the flat index over the batch dims, row-major) is singular:
  /// its LU factorisation has an exactly zero pivot.
  case singular(op: String, batchIndex: Int)
  /// The matrix at `batchIndex` is not (Hermitian) positive definite: its leading minor of
  /// order `order` is not.
  case notPositiveDefinite(op: String, batchIndex: Int, order: Int)
  /// An iterative algorithm did not converge for the matrix at `batchIndex`.
  case noConvergence(op: String, batchIndex: Int)

  public var description: String {
    switch self {
    case let .singular(op, i):
      return "\(op): the matrix at batch index \(i) is singular (its LU factorisation has a zero pivot)"
    case let .notPositiveDefinite(op, i, k):
      return "\(op): the matrix at batch index \(i) is not positive definite (its leading minor of order \(k) is not)"
    case let .noConvergence(op, i):
      return "\(op): the algorithm did not converge for the matrix at batch index \(i)"
    }
  }

  /// The first failure recorded in an `int64` info tensor, or `nil` when every entry is 0.
  static func firstFailure(_ info: Tensor) -> (index: Int, code: Int)? {
    let values = info.valuesOfEveryMember.contiguousValues().scalars(as: Int64.self)
    guard let i = values.firstIndex(where: { $0 != 0 }) else { return nil }
    return (i, Int(values[i]))
  }

  /// Throws ``singular(op:batchIndex:)`` for the first matrix whose info is non-zero.
  static func checkSingular(_ info: Tensor, op: String) throws(LinalgError) {
    if let f = firstFailure(info) { throw .singular(op: op, batchIndex: f.index) }
  }
}

// MARK: Argument checks

extension Linalg {
  /// Checks that `a` is a batch of square floating matrices.
  static func requireSquare(_ a: Tensor, _ op: String, name: String = "A") {
    check(a.rank >= 2, "\(op): \(name) must have at least 2 dimensions, got shape \(a.shape)")
    check(
      a.shape[a.rank - 1] == a.shape[a.rank - 2],
      "\(op): \(name) must be a batch of square matrices, got shape \(a.shape)")
    requireFloating(a, op)
  }

  /// Checks that `a` is floating.
  static func requireFloating(_ a: Tensor, _ op: String) {
    check(a.dtype.isFloatingPoint, "\(op): expected a floating tensor (float32, float64, complex64 or complex128), got \(a.dtype)")
  }

  /// Checks that two operands have one dtype.
  static func requireSameDType(_ a: Tensor, _ b: Tensor, _ op: String) {
    check(a.dtype == b.dtype, "\(op): the operands have different dtypes, \(a.dtype) \(a.shape) and \(b.dtype) \(b.shape)")
  }

  /// Checks that the batch dims of two operands broadcast.
  static func requireBroadcastBatch(_ a: Tensor, _ b: Tensor, _ op: String) {
    check(
      Shape.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2))) != nil,
      "\(op): the batch dimensions of \(a.shape) and \(b.shape) do not broadcast")
  }

  /// Whether `b` is a (batch of) vector(s) for the square `a`, by NumPy's rule as PyTorch
  /// applies it: `b` is 1-d, or has one dim less than `a` and the shape `a.shape[:-1]`.
  static func isVectorRHS(_ a: Tensor, _ b: Tensor) -> Bool {
    b.rank == 1 || (b.rank == a.rank - 1 && b.shape == Array(a.shape.dropLast()))
  }
}

// MARK: Rule support

extension Tensor {
  /// Whether a derivative rule may treat this input as a constant: it carries no tangent and
  /// no tape link that the current context records. Rules then reuse a factorisation saved by
  /// the primal instead of differentiating through a new one.
  var isConstantInRule: Bool {
    guard let state = autodiff else { return true }
    if !state.tangents.isEmpty { return false }
    guard let edge = state.edge else { return true }
    let context = AutodiffContext.current
    return !(context.isRecording && edge.node.level < context.recordingCeiling)
  }

  /// Whether the matrices (last two dims) are column-contiguous, so that LAPACK reads them in
  /// column-major order without a transposing copy.
  var hasColumnMajorMatrices: Bool {
    let r = rank
    let l = GEMM.layout(rows: shape[r - 2], cols: shape[r - 1], rowStride: strides[r - 2], colStride: strides[r - 1], conjugate: false)
    return l?.isTransposed == true && !(shape[r - 1] == 1 || shape[r - 2] == 1)
  }
}

/// A `[..., 1, 1]` view of a batch of scalars, to scale a batch of matrices.
func asMatrixScale(_ t: Tensor) -> Tensor { t.unsqueezed(dim: -1).unsqueezed(dim: -1) }
