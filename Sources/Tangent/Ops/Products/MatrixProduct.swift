/// The batched matrix product of tensors of rank ≥ 2, with batch broadcasting.
///
/// Derivative (bilinear): d(A·B) = dA·B + A·dB; the VJP is Ḡ·Bᴴ for A and Aᴴ·Ḡ for B, each
/// summed over the batch dims that were broadcast. A missing tangent skips its product, so
/// the JVP of `x·W` with a constant `W` costs one extra product.
struct MatmulOp: BinaryOp {
  var name: String { "matmul" }

  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    let t = DType.promoted(a.dtype, b.dtype)
    precondition(t.isFloatingPoint, "matmul: integer and boolean matrices are not supported (got \(a.dtype) and \(b.dtype))")
    return MatrixMultiply.matmul(a.converted(to: t), b.converted(to: t))
  }

  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    let ta = da.map { lift($0, primalRank: a.rank, outputRank: y.rank).matmul(b) }
    let tb = db.map { a.matmul(lift($0, primalRank: b.rank, outputRank: y.rank)) }
    switch (ta, tb) {
    case let (x?, z?): return x + z
    case let (x?, nil): return x
    case let (nil, z?): return z
    default: return nil
    }
  }

  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    (needA ? gy.matmul(b.mH).summed(toShape: a.shape) : nil,
     needB ? a.mH.matmul(gy).summed(toShape: b.shape) : nil)
  }
}

extension Tensor {
  /// The matrix product with PyTorch's `torch.matmul` rules: 1-D·1-D is a dot product, a 1-D
  /// operand is treated as a row (left) or column (right) vector and that dim removed, and
  /// leading dims are batch dims that broadcast. Runs on BLAS `?gemm`; transposed operands
  /// are passed with transpose flags, not copied.
  ///
  /// Derivative: bilinear; dA·B + A·dB, and Ḡ·Bᴴ, Aᴴ·Ḡ.
  /// - Precondition: the inner dims agree; the batch dims broadcast; floating dtypes.
  /// - Complexity: O(batch · m · k · n).
  public func matmul(_ other: Tensor) -> Tensor {
    precondition(rank >= 1 && other.rank >= 1, "matmul: both operands need at least 1 dimension, got shapes \(shape) and \(other.shape)")
    let k1 = shape[rank - 1], k2 = other.rank == 1 ? other.shape[0] : other.shape[other.rank - 2]
    precondition(k1 == k2, "matmul: inner dimensions differ: \(shape) @ \(other.shape)")
    let a = rank == 1 ? unsqueezed(dim: 0) : self
    let b = other.rank == 1 ? other.unsqueezed(dim: 1) : other
    var y = Tensor.apply(MatmulOp(), a, b)
    if other.rank == 1 { y = y.squeezed(dim: -1) }
    if rank == 1 { y = y.squeezed(dim: other.rank == 1 ? -1 : -2) }
    return y
  }

  /// The product of two matrices, like `torch.mm`.
  /// - Precondition: both are 2-D with matching inner dims.
  public func mm(_ other: Tensor) -> Tensor {
    precondition(rank == 2 && other.rank == 2, "mm: expected two matrices, got shapes \(shape) and \(other.shape)")
    return matmul(other)
  }

  /// The batched product of two 3-D tensors, like `torch.bmm`.
  public func bmm(_ other: Tensor) -> Tensor {
    precondition(rank == 3 && other.rank == 3 && shape[0] == other.shape[0], "bmm: expected [b, n, k] and [b, k, m], got \(shape) and \(other.shape)")
    return matmul(other)
  }

  /// The matrix-vector product, like `torch.mv`.
  public func mv(_ vector: Tensor) -> Tensor {
    precondition(rank == 2 && vector.rank == 1, "mv: expected a matrix and a vector, got shapes \(shape) and \(vector.shape)")
    return matmul(vector)
  }

  /// The dot product of two vectors (no conjugation), like `torch.dot`.
  public func dot(_ other: Tensor) -> Tensor {
    precondition(rank == 1 && other.rank == 1 && shape == other.shape, "dot: expected two vectors of one length, got \(shape) and \(other.shape)")
    return matmul(other)
  }
}
