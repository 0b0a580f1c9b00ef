import ComplexModule
import RealModule

/// The batched matrix product `op(a) @ op(b)` of operands with at least two dims, where `op`
/// conjugates the operand whose flag is set (complex dtypes; a no-op for real ones). Leading
/// dims broadcast. The primal is ``GEMM/matmul(_:_:conjugateA:conjugateB:)``.
///
/// Derivative (bilinear): the JVP is `op(da) @ op(b) + op(a) @ op(db)`, with chunked tangents
/// lifted so their chunk dim stays in front of the broadcast batch dims. The VJP, by PyTorch's
/// conjugate Wirtinger convention, is `gy @ op(b)ᴴ` for `op(a)` and `op(a)ᴴ @ gy` for `op(b)`,
/// conjugated back through `op` and summed to each operand's shape. The conjugations are
/// folded into the flags of the products (BLAS conjugate-transpose flags, no copies), and the
/// transposes are views.
struct MatmulOp: BinaryOp {
  /// Whether the first operand is conjugated.
  var conjugateA = false
  /// Whether the second operand is conjugated.
  var conjugateB = false
  /// Whether the second operand is a matrix stored column by column (a weight used as `w.mT`,
  /// as `NN.linear` does): its gradient is then computed in that layout (see the VJP). Taken
  /// when the op is built, since the VJP may not keep `b` itself.
  var bStoredTransposed = false
  var name: String { "matmul" }
  var sparsity: SparsityRule { .matmul }

  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    GEMM.matmul(a, b, conjugateA: conjugateA, conjugateB: conjugateB)
  }

  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    let ta = da.map { Tensor.apply(self, lift($0, primalRank: a.rank, outputRank: y.rank), b) }
    let tb = db.map { Tensor.apply(self, a, lift($0, primalRank: b.rank, outputRank: y.rank)) }
    return sumOfTerms(ta, tb)
  }

  /// With a constant `b`, the input and its tangent are stacked and multiplied once, so `b`
  /// is read once (for a weight times K chunked tangents this turns K+1 thin products into
  /// one).
  func primalAndTangent(a: Tensor, b: Tensor, da: Tensor?, db: Tensor?) -> (Tensor, Tensor?)? {
    guard let da, db == nil, a.rank >= b.rank, a.rank >= 2, da.dtype == a.dtype else { return nil }
    let tangents = da.rank == a.rank ? da.unsqueezed(dim: 0) : da
    let both = Tensor.cat([a.unsqueezed(dim: 0), tangents], dim: 0)
    let product = primal(both, b)
    let k = product.shape[0] - 1
    let y = product.select(dim: 0, index: 0)
    let t = product.narrowed(dim: 0, start: 1, length: k)
    return (y, da.rank == a.rank ? t.select(dim: 0, index: 0) : t)
  }

  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    // y = A @ B with A = op(a), B = op(b): gA = gy @ Bᴴ, gB = Aᴴ @ gy; ga = op(gA), gb = op(gB).
    // conj(gy @ X) = conj(gy) @ conj(X) moves every conjugation into the flags.
    let (cA, cB) = (conjugateA, conjugateB)
    // A chunked gy ([K] + y.shape) broadcasts through both products; the sums keep K.
    let ga = needA
      ? summed(Tensor.apply(MatmulOp(conjugateA: cA, conjugateB: cA ? cB : !cB), gy, b.mT), toInputShape: a.shape, outputRank: y.rank)
      : nil
    let gb: Tensor?
    if needB && bStoredTransposed && a.rank == 2 && b.rank == 2 && gy.rank == 2 && !b.dtype.isComplex {
      // `b` is a transposed view (a weight `w.mT`, as `NN.linear` passes it): gB = (gyᵀ a)ᵀ
      // puts the gradient in `b`'s own layout, so the gradient of `w` comes back contiguous
      // (as PyTorch's mm backward does) and an optimizer reads it without a copy.
      gb = Tensor.apply(MatmulOp(), gy.mT, a).mT
    } else {
      gb = needB
        ? summed(Tensor.apply(MatmulOp(conjugateA: cB ? cA : !cA, conjugateB: cB), a.mT, gy), toInputShape: b.shape, outputRank: y.rank)
        : nil
    }
    return (ga, gb)
  }

  /// Whether `t` is a matrix stored column by column (the transpose of a contiguous matrix),
  /// with more than one row and column.
  static func storedTransposed(_ t: Tensor) -> Bool {
    t.rank == 2 && t.shape[0] > 1 && t.shape[1] > 1 && t.strides[0] == 1 && t.strides[1] == t.shape[0]
  }

  var acceptsChunkedCotangents: Bool { true }
  var vjpReads: SavedValues { .inputs }
  /// `gA` reads `b` and `gB` reads `a`.
  func vjpReadsInputs(needed: [Bool]) -> [Bool] { [needed[1], needed[0]] }
}

extension Tensor {
  /// The matrix product, like `torch.matmul`, for every rank combination it allows:
  ///
  /// - 1-d · 1-d: the dot product (a 0-d tensor);
  /// - 1-d @ n-d: the vector is a row (`[1, k]`) and the added dim is removed;
  /// - n-d @ 1-d: the vector is a column (`[k, 1]`) and the added dim is removed;
  /// - otherwise a batched product over the last two dims, the leading dims broadcast.
  ///
  /// Floating dtypes run on BLAS (transposed views and batches need no copies), `int64` on a
  /// plain loop.
  ///
  /// Derivative: bilinear, `d(a @ b) = da @ b + a @ db`; the VJP is `gy @ bᴴ` and `aᴴ @ gy`,
  /// summed over broadcast batch dims.
  /// - Precondition: both operands are at least 1-d with the same dtype, the inner dimensions
  ///   agree and the batch dims broadcast.
  public func matmul(_ other: Tensor) -> Tensor {
    let a = self, b = other
    check(a.rank >= 1 && b.rank >= 1, "matmul: both operands must be at least 1-d, got \(a.shape) @ \(b.shape)")
    check(a.dtype == b.dtype, "matmul: dtypes differ: \(a.dtype) \(a.shape) @ \(b.dtype) \(b.shape)")
    let k = a.shape[a.rank - 1]
    let kb = b.rank == 1 ? b.shape[0] : b.shape[b.rank - 2]
    check(k == kb, "matmul: inner dimensions differ: \(a.shape) @ \(b.shape)")
    switch (a.rank, b.rank) {
    case (1, 1):
      return Tensor.apply(MatmulOp(), a.reshaped([1, k]), b.reshaped([k, 1])).reshaped([])
    case (1, _):
      let y = Tensor.apply(MatmulOp(), a.reshaped([1, k]), b)
      var shape = y.shape
      shape.remove(at: shape.count - 2)
      return y.reshaped(shape)
    case (_, 1):
      let y = Tensor.apply(MatmulOp(), a, b.reshaped([k, 1]))
      return y.reshaped(Array(y.shape.dropLast()))
    default:
      return Tensor.apply(MatmulOp(bStoredTransposed: MatmulOp.storedTransposed(b)), a, b)
    }
  }

  /// The product of two matrices, like `torch.mm` (no broadcasting).
  ///
  /// Derivative: see ``matmul(_:)``.
  /// - Precondition: both operands are 2-d with the same dtype and matching inner dimensions.
  public func mm(_ other: Tensor) -> Tensor {
    check(rank == 2 && other.rank == 2, "mm: expected two matrices, got \(shape) @ \(other.shape)")
    return matmul(other)
  }

  /// The batched product of two stacks of matrices, like `torch.bmm` (no broadcasting).
  ///
  /// Derivative: see ``matmul(_:)``.
  /// - Precondition: both operands are 3-d with equal batch sizes, the same dtype and
  ///   matching inner dimensions.
  public func bmm(_ other: Tensor) -> Tensor {
    check(
      rank == 3 && other.rank == 3 && shape[0] == other.shape[0],
      "bmm: expected two 3-d tensors with equal batch sizes, got \(shape) @ \(other.shape)")
    return matmul(other)
  }

  /// The product of a matrix and a vector, like `torch.mv`.
  ///
  /// Derivative: see ``matmul(_:)``.
  /// - Precondition: a 2-d and a 1-d operand of the same dtype with matching sizes.
  public func mv(_ vector: Tensor) -> Tensor {
    check(rank == 2 && vector.rank == 1, "mv: expected a matrix and a vector, got \(shape) @ \(vector.shape)")
    return matmul(vector)
  }

  /// The dot product of two vectors, like `torch.dot`: Σ aᵢbᵢ, without conjugation.
  ///
  /// Derivative: see ``matmul(_:)``.
  /// - Precondition: two 1-d operands of the same size and dtype.
  public func dot(_ other: Tensor) -> Tensor {
    check(
      rank == 1 && other.rank == 1 && shape[0] == other.shape[0],
      "dot: expected two vectors of the same size, got \(shape) · \(other.shape)")
    return matmul(other)
  }
}

// MARK: Taylor rule

extension MatmulOp {
  /// Bilinear: y_k = Σ_{j=0}^{k} op(a_j) @ op(b_{k−j}) (see ``BinaryOp/taylorByBilinearity(inputs:outputs:series:)``).
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByBilinearity(inputs: inputs, outputs: outputs, series: series)
  }
}
