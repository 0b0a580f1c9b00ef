import CLapack
import ComplexModule
import RealModule

/// Batched dense linear algebra on LAPACK and BLAS: the primal kernels of ``Linalg``.
///
/// Every routine takes tensors of any layout with leading batch dims, and avoids transposing
/// copies: a row-major matrix is its transpose in column-major order, so LAPACK factorises the
/// transpose when that is as good (the determinant, the inverse), and the triangular solves take
/// either layout through their transpose flags. Outputs are new tensors; inputs are never
/// written.
enum LAPACK {
  /// The operation applied to a matrix in a solve: `op(M) X = B`.
  enum MatrixOp: Sendable {
    /// `M`.
    case none
    /// `Mᵀ`.
    case transpose
    /// `Mᴴ`.
    case adjoint
    /// `conj(M)`.
    case conjugate

    /// The op whose result is the adjoint of this one's: `(op(M))ᴴ = op.adjointed(M)`.
    var adjointed: MatrixOp {
      switch self {
      case .none: .adjoint
      case .transpose: .conjugate
      case .adjoint: .none
      case .conjugate: .transpose
      }
    }

    /// The op whose result is the transpose of this one's; also `op(Mᵀ) = op.transposed(M)`.
    var transposed: MatrixOp {
      switch self {
      case .none: .transpose
      case .transpose: .none
      case .adjoint: .conjugate
      case .conjugate: .adjoint
      }
    }

    /// Whether the op transposes.
    var transposes: Bool { self == .transpose || self == .adjoint }

    /// The BLAS flag (conjugations dropped for real dtypes).
    func cblas(complex: Bool) -> CBLAS_TRANSPOSE {
      switch self {
      case .none: CblasNoTrans
      case .transpose: CblasTrans
      case .adjoint: complex ? CblasConjTrans : CblasTrans
      case .conjugate: complex ? CblasConjNoTrans : CblasNoTrans
      }
    }
  }

  // MARK: Helpers

  /// Checks that LAPACK's 32-bit integers hold a size.
  static func lapackInt(_ v: Int, _ op: String) -> Int32 {
    guard let i = Int32(exactly: v) else { misuse("\(op): size \(v) exceeds the 32-bit sizes of LAPACK") }
    return i
  }

  /// The element offsets of `t`'s items (its last `inner` dims) for every index of the broadcast
  /// batch shape `batch`, in row-major order of the batch.
  static func batchOffsets(_ t: Tensor, inner: Int, batch: [Int]) -> [Int] {
    StridedRows.offsets(shape: batch, t.broadcastBatchStrides(to: batch, inner: inner))
  }

  /// A square matrix operand that BLAS reads in row-major order: the tensor itself when its
  /// matrices are row- or column-contiguous (then `flipped`: the row-major matrix is the
  /// transpose), or a contiguous copy.
  struct Operand {
    let tensor: Tensor
    let ld: Int
    let flipped: Bool

    init(_ t: Tensor) {
      let r = t.rank, n = t.shape[r - 1]
      if let l = GEMM.layout(rows: t.shape[r - 2], cols: n, rowStride: t.strides[r - 2], colStride: t.strides[r - 1], conjugate: false) {
        tensor = t
        ld = Swift.max(l.ld, 1)
        flipped = l.isTransposed
      } else {
        tensor = t.contiguousValues()
        ld = Swift.max(n, 1)
        flipped = false
      }
    }

    /// The triangle and op BLAS sees for `op(A)` with `A`'s `upper` triangle.
    func flags(upper: Bool, op: MatrixOp, complex: Bool) -> (CBLAS_UPLO, CBLAS_TRANSPOSE) {
      let u = flipped ? !upper : upper
      let o = flipped ? op.transposed : op
      return (u ? CblasUpper : CblasLower, o.cblas(complex: complex))
    }
  }

  /// Runs `body` over the batch, in parallel for small matrices.
  static func forBatch(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
    if work < GEMM.smallProduct {
      Parallel.forChunks(count, cost: Swift.max(work / 8, 1), body)
    } else {
      body(0..<count)
    }
  }

  /// A view with the last two dims swapped (no autodiff state).
  static func transposedView(_ t: Tensor) -> Tensor {
    // A tensor batched by vmap (a rule's kernel output) transposes through the op, which
    // keeps its batch.
    if t.isBatched { return t.transposed(t.rank - 2, t.rank - 1) }
    var s = t.shape, st = t.strides
    s.swapAt(t.rank - 1, t.rank - 2)
    st.swapAt(t.rank - 1, t.rank - 2)
    return t.view(shape: s, strides: st, offset: t.offset)
  }

  /// The batch dims of a tensor whose last `inner` dims form one item.
  static func batchShape(_ t: Tensor, inner: Int = 2) -> [Int] { Array(t.shape.dropLast(inner)) }

  /// Whether the `count` values at `p` are all finite.
  static func allFinite<T: FloatingScalar>(_ p: UnsafePointer<T>, count: Int) -> Bool {
    for i in 0..<count where !(p[i].realPart.isFinite && p[i].imaginaryPart.isFinite) { return false }
    return true
  }

  /// A workspace size that LAPACK reported in a scalar.
  static func workspaceSize<T: FloatingScalar>(_ v: T, minimum: Int = 1) -> Int { Swift.max(Int(v.realPart.rounded(.up)), minimum) }
}

extension Tensor {
  /// A narrowed view without autodiff state (for kernels).
  func narrowedView(dim: Int, start: Int, length: Int) -> Tensor {
    let d = Shape.normalize(dim, rank: rank, op: "narrow")
    var s = shape
    s[d] = length
    return view(shape: s, strides: strides, offset: offset + start * strides[d])
  }
}
