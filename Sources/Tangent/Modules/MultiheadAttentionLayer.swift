/// Multi-head attention, like `torch.nn.MultiheadAttention` without dropout, extra key/value
/// biases or separate key and value sizes (``NN/multiHeadAttentionForward(query:key:value:numHeads:inProjWeight:inProjBias:outProjWeight:outProjBias:separateProjWeights:keyPaddingMask:attnMask:needWeights:averageAttnWeights:)``).
///
/// The input is `(query, key, value)`, sequence first (`[L, N, E]`) unless `batchFirst`
/// (`[N, L, E]`), or unbatched `[L, E]`. Parameters, with PyTorch's names and
/// initialisation: `"in_proj_weight"` `[3E, E]` (Xavier uniform), `"in_proj_bias"` `[3E]`
/// (zeros), `"out_proj.weight"` `[E, E]` (the ``Linear`` default) and `"out_proj.bias"` `[E]`
/// (zeros).
public struct MultiheadAttention: Module {
  /// The stacked query, key and value projections, `[3E, E]`.
  public var inProjWeight: Tensor
  /// The stacked projection biases, `[3E]`, or `nil`.
  public var inProjBias: Tensor?
  /// The output projection.
  public var outProj: Linear
  /// The number of heads `H` (which divides `E`).
  public let numHeads: Int
  /// Whether inputs and outputs are `[N, L, E]` rather than `[L, N, E]`.
  public let batchFirst: Bool

  /// A layer with PyTorch's initialisation, drawn from `generator`.
  /// - Parameters:
  ///   - embedDim: `E`.
  ///   - numHeads: `H`, which divides `E`.
  ///   - bias: whether the projections have biases.
  ///   - batchFirst: whether the batch comes first.
  ///   - dtype: the parameters' dtype.
  ///   - generator: the source of the initial values.
  /// - Precondition: `E > 0` and `H` divides it.
  public init<G: RandomNumberGenerator>(
    embedDim: Int, numHeads: Int, bias: Bool = true, batchFirst: Bool = false, dtype: DType = .float64,
    using generator: inout G
  ) {
    check(
      embedDim > 0 && numHeads > 0 && embedDim % numHeads == 0,
      "nn.MultiheadAttention: numHeads \(numHeads) must divide embedDim \(embedDim)")
    inProjWeight = NN.Init.xavierUniform([3 * embedDim, embedDim], dtype: dtype, using: &generator)
    inProjBias = bias ? Tensor.zeros([3 * embedDim], dtype: dtype) : nil
    outProj = Linear(embedDim, embedDim, bias: bias, dtype: dtype, using: &generator)
    if bias { outProj.bias = Tensor.zeros([embedDim], dtype: dtype) }
    self.numHeads = numHeads
    self.batchFirst = batchFirst
  }

  /// The attention output and, with `needWeights`, the attention weights (averaged over the
  /// heads unless `averageAttnWeights` is false).
  /// - Parameters:
  ///   - query: `[L, N, E]` (`[N, L, E]` when `batchFirst`) or `[L, E]`.
  ///   - key: `[S, N, E]` (`[N, S, E]`) or `[S, E]`.
  ///   - value: as `key`.
  ///   - keyPaddingMask: `[N, S]`: `bool`, true for keys to ignore, or a floating bias.
  ///   - attnMask: `[L, S]` or `[N·H, L, S]`.
  ///   - needWeights: whether to return the weights.
  ///   - averageAttnWeights: whether to average them over the heads.
  /// - Returns: the output, shaped as `query`, and the weights `[N, L, S]` (or `nil`).
  public func callAsFunction(
    query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor? = nil, attnMask: Tensor? = nil,
    needWeights: Bool = true, averageAttnWeights: Bool = true
  ) -> (output: Tensor, weights: Tensor?) {
    let swap = batchFirst && query.rank == 3
    let t = { (x: Tensor) in swap ? x.transposed(0, 1) : x }
    let (out, weights) = NN.multiHeadAttentionForward(
      query: t(query), key: t(key), value: t(value), numHeads: numHeads, inProjWeight: inProjWeight, inProjBias: inProjBias,
      outProjWeight: outProj.weight, outProjBias: outProj.bias, keyPaddingMask: keyPaddingMask, attnMask: attnMask,
      needWeights: needWeights, averageAttnWeights: averageAttnWeights)
    return (t(out), weights)
  }

  /// The attention output for `(query, key, value)`, without weights.
  public mutating func forward(_ input: (Tensor, Tensor, Tensor)) -> Tensor {
    self(query: input.0, key: input.1, value: input.2, needWeights: false).output
  }

  /// The parameters `in_proj_weight`, `in_proj_bias` and those of `out_proj`.
  public mutating func visit(_ visitor: inout ModuleVisitor) {
    visitor.parameter("in_proj_weight", &inProjWeight)
    visitor.parameter("in_proj_bias", &inProjBias)
    visitor.child("out_proj", &outProj)
  }
}
