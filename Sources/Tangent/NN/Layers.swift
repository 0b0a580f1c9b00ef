import ComplexModule
import RealModule

extension NN {
  /// The rows of an embedding table at integer indices, like `torch.nn.functional.embedding`:
  /// `y[i…, :] = weight[input[i…], :]`.
  ///
  /// Derivative: linear in `weight`; the VJP adds each output row's cotangent to the row it
  /// came from (repeated indices accumulate). The row at `paddingIndex` gets no gradient in
  /// reverse mode, as in PyTorch's backward. Forward mode follows PyTorch's forward AD: the
  /// output reads that row, so its JVP is the row's tangent (nonzero, as finite differences
  /// agree). `paddingIndex` is a training convention that keeps the row fixed, not a change
  /// of the function, so only the reverse rule honours it.
  /// - Parameters:
  ///   - input: `int64` indices of any shape, in `0..<V` (negative ones stop, as in PyTorch).
  ///   - weight: the table, `[V, D]`.
  ///   - paddingIndex: a row that is read but never trained (negative counts from the end).
  /// - Returns: `input.shape + [D]`.
  /// - Precondition: `int64` indices in `0..<V` and a 2-d floating weight; `paddingIndex` in
  ///   `-V..<V`.
  public static func embedding(_ input: Tensor, weight: Tensor, paddingIndex: Int? = nil) -> Tensor {
    let op = "nn.functional.embedding"
    check(input.dtype == .int64, "\(op): indices must be int64, got \(input.dtype) \(input.shape)")
    check(
      weight.rank == 2 && weight.dtype.isFloatingPoint, "\(op): expected a floating weight [V, D], got \(weight.dtype) \(weight.shape)")
    let rows = weight.shape[0]
    let indices = input.scalars(as: Int64.self).map { Int($0) }
    for i in indices {
      check(i >= 0 && i < rows, "\(op): index \(i) is out of range for a table of \(rows) rows (weight \(weight.shape))\(i < 0 ? "; negative indices are not accepted, as in PyTorch" : "")")
    }
    let y = weight[input]
    guard let paddingIndex else { return y }
    check(
      paddingIndex >= -rows && paddingIndex < rows,
      "\(op): paddingIndex \(paddingIndex) is out of range for a table of \(rows) rows")
    let padding = paddingIndex < 0 ? paddingIndex + rows : paddingIndex
    let isPadding = Tensor(shape: input.shape + [1], scalars: indices.map { $0 == padding })
    return Tensor.where(isPadding, Tensor.apply(PaddingRowOp(), y), y)
  }

  /// The gated linear unit, like `torch.nn.functional.glu`: `input` split in halves `a` and
  /// `b` along `dim`, giving `a ⊙ σ(b)`.
  ///
  /// Derivative: `σ(b)` for `a` and `a·σ(b)(1 − σ(b))` for `b` (the rules of mul and sigmoid).
  /// - Parameters:
  ///   - input: a real floating tensor whose size along `dim` is even.
  ///   - dim: the dim to split (negative counts from the end).
  /// - Returns: the input's shape with `dim` halved.
  /// - Precondition: a real floating input, at least 1-d, with an even size along `dim`.
  public static func glu(_ input: Tensor, dim: Int = -1) -> Tensor {
    let op = "nn.functional.glu"
    check(
      input.rank >= 1 && input.dtype.isFloatingPoint && !input.dtype.isComplex,
      "\(op): expected a real floating input of at least 1 dim, got \(input.dtype) \(input.shape)")
    let d = Shape.normalize(dim, rank: input.rank, op: op)
    let n = input.shape[d]
    check(n % 2 == 0, "\(op): halving dimension \(d) of input \(input.shape) needs an even size, got \(n)")
    return input.narrowed(dim: d, start: 0, length: n / 2) * input.narrowed(dim: d, start: n / 2, length: n / 2).sigmoid()
  }

  /// The parametric ReLU, like `torch.nn.functional.prelu`: `x` where `x > 0`, `weight·x`
  /// elsewhere, with one slope for all channels or one per channel (dim 1).
  ///
  /// Derivative: 1 or `weight` for `input` (the slope at 0); `x` where `x ≤ 0` for `weight`,
  /// summed over the elements each slope applies to.
  /// - Parameters:
  ///   - input: a real floating tensor; its channels are dim 1 (a tensor of fewer than 2 dims
  ///     has one channel).
  ///   - weight: one slope (`[1]` or 0-d) or `[C]`.
  /// - Returns: the input's shape.
  /// - Precondition: real floating tensors of one dtype; `weight` has 1 or `C` elements.
  public static func prelu(_ input: Tensor, weight: Tensor) -> Tensor {
    let op = "nn.functional.prelu"
    check(
      input.dtype.isFloatingPoint && !input.dtype.isComplex && input.dtype == weight.dtype,
      "\(op): expected real floating tensors of one dtype, got \(input.dtype) \(input.shape) and \(weight.dtype) \(weight.shape)")
    let channels = input.rank >= 2 ? input.shape[1] : 1
    check(
      weight.rank <= 1 && (weight.count == 1 || weight.count == channels),
      "\(op): weight \(weight.shape) must have 1 element or one per channel (\(channels) in input \(input.shape))")
    let slope = weight.count == 1 || input.rank < 2
      ? weight.reshaped([])
      : weight.reshaped([channels] + [Int](repeating: 1, count: input.rank - 2))
    return Tensor.where(input.mask(.greater, 0), input, slope * input)
  }

  /// Rearranges channels into space, like `torch.nn.functional.pixel_shuffle`:
  /// `[…, C·r², H, W]` becomes `[…, C, H·r, W·r]` with
  /// `y[…, c, h·r + i, w·r + j] = x[…, (c·r + i)·r + j, h, w]`.
  ///
  /// Derivative: a permutation of the elements (linear); the VJP is ``pixelUnshuffle(_:downscaleFactor:)``.
  /// - Parameters:
  ///   - input: at least 3 dims, with dim −3 a multiple of `r²`.
  ///   - r: the upscale factor, positive.
  /// - Returns: `[…, C, H·r, W·r]`.
  /// - Precondition: as above.
  public static func pixelShuffle(_ input: Tensor, upscaleFactor r: Int) -> Tensor {
    let op = "nn.functional.pixel_shuffle"
    check(input.rank >= 3 && r > 0, "\(op): expected an input of at least 3 dims and a positive factor, got \(input.shape) and \(r)")
    let lead = Array(input.shape.dropLast(3)), k = lead.count
    let (c, h, w) = (input.shape[k], input.shape[k + 1], input.shape[k + 2])
    check(c % (r * r) == 0, "\(op): the \(c) channels of input \(input.shape) are not a multiple of \(r)² = \(r * r)")
    return input.reshaped(lead + [c / (r * r), r, r, h, w])
      .permuted(Array(0..<k) + [k, k + 3, k + 1, k + 4, k + 2])
      .reshaped(lead + [c / (r * r), h * r, w * r])
  }

  /// Rearranges space into channels, like `torch.nn.functional.pixel_unshuffle`: the inverse
  /// of ``pixelShuffle(_:upscaleFactor:)``, `[…, C, H·r, W·r]` to `[…, C·r², H, W]`.
  ///
  /// Derivative: a permutation of the elements (linear); the VJP is `pixelShuffle`.
  /// - Parameters:
  ///   - input: at least 3 dims, with the last two multiples of `r`.
  ///   - r: the downscale factor, positive.
  /// - Returns: `[…, C·r², H, W]`.
  /// - Precondition: as above.
  public static func pixelUnshuffle(_ input: Tensor, downscaleFactor r: Int) -> Tensor {
    let op = "nn.functional.pixel_unshuffle"
    check(input.rank >= 3 && r > 0, "\(op): expected an input of at least 3 dims and a positive factor, got \(input.shape) and \(r)")
    let lead = Array(input.shape.dropLast(3)), k = lead.count
    let (c, h, w) = (input.shape[k], input.shape[k + 1], input.shape[k + 2])
    check(h % r == 0 && w % r == 0, "\(op): the spatial size [\(h), \(w)] of input \(input.shape) is not a multiple of \(r)")
    return input.reshaped(lead + [c, h / r, r, w / r, r])
      .permuted(Array(0..<k) + [k, k + 2, k + 4, k + 1, k + 3])
      .reshaped(lead + [c * r * r, h / r, w / r])
  }
}

/// The identity on the rows `embedding` reads at its padding index, with a zero reverse rule:
/// the row is kept out of training (PyTorch's `padding_idx` in `embedding_backward`), while
/// forward mode still sees that the output reads it (PyTorch's forward AD does too).
///
/// Derivative: JVP `dx` (the output is the row); VJP 0 by convention. The two rules are not
/// adjoint on purpose; only `embedding` uses this op.
struct PaddingRowOp: UnaryOp {
  var name: String { "embeddingPaddingRow" }
  var sparsity: SparsityRule { .indexMap }
  func primal(_ x: Tensor) -> Tensor { x }
  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { dx }
  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { Tensor.zeros(like: gy) }
}
