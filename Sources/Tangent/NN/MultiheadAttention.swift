extension NN {
  /// The forward pass of a multi-head attention layer, like
  /// `torch.nn.functional.multi_head_attention_forward` (PyTorch's `nn.MultiheadAttention`),
  /// without dropout, extra key/value biases, zero attention or static keys:
  /// ```
  /// q, k, v = query·W_qᵀ + b_q, key·W_kᵀ + b_k, value·W_vᵀ + b_v     split into H heads of E/H
  /// A = softmax(q·kᵀ/√(E/H) + mask)                                   per head
  /// output = concat_heads(A·v)·W_oᵀ + b_o
  /// ```
  /// The sequences come first: `[L, N, E]` (or unbatched `[L, E]`).
  ///
  /// Derivative: the rules of linear, matmul and softmax (a floating mask is differentiable
  /// like the scores it is added to).
  /// - Parameters:
  ///   - query: `[L, N, E]` or `[L, E]`.
  ///   - key: `[S, N, E]` or `[S, E]`.
  ///   - value: `[S, N, E]` or `[S, E]`.
  ///   - numHeads: `H`, which divides `E`.
  ///   - inProjWeight: `[3E, E]`, the stacked `W_q`, `W_k`, `W_v`; or
  ///   - separateProjWeights: the three `[E, E]` weights.
  ///   - inProjBias: `[3E]`, the stacked biases.
  ///   - outProjWeight: `[E, E]`.
  ///   - outProjBias: `[E]`.
  ///   - keyPaddingMask: `[N, S]` (or `[S]`): `bool`, true for keys to ignore, or a floating
  ///     bias.
  ///   - attnMask: `[L, S]` or `[N·H, L, S]`: `bool`, true for pairs to ignore, or a floating
  ///     bias.
  ///   - needWeights: also return the attention weights.
  ///   - averageAttnWeights: average the weights over the heads.
  /// - Returns: the output `[L, N, E]` (or `[L, E]`) and, with `needWeights`, the weights
  ///   `[N, L, S]` (`[N, H, L, S]` without averaging; no `N` unbatched).
  /// - Precondition: real floating tensors of one dtype with the shapes above; exactly one of
  ///   `inProjWeight` and `separateProjWeights`.
  public static func multiHeadAttentionForward(
    query: Tensor, key: Tensor, value: Tensor, numHeads: Int, inProjWeight: Tensor?, inProjBias: Tensor?, outProjWeight: Tensor,
    outProjBias: Tensor?, separateProjWeights: (q: Tensor, k: Tensor, v: Tensor)? = nil, keyPaddingMask: Tensor? = nil,
    attnMask: Tensor? = nil, needWeights: Bool = true, averageAttnWeights: Bool = true
  ) -> (output: Tensor, weights: Tensor?) {
    let op = "nn.functional.multi_head_attention_forward"
    let batched = query.rank == 3
    check(
      (query.rank == 2 || query.rank == 3) && key.rank == query.rank && value.rank == query.rank
        && query.dtype.isFloatingPoint && !query.dtype.isComplex && key.dtype == query.dtype && value.dtype == query.dtype,
      "\(op): expected real floating query, key and value [L, N, E] or [L, E] of one dtype, got \(query.shape), \(key.shape) and \(value.shape)")
    let q3 = batched ? query : query.unsqueezed(dim: 1), k3 = batched ? key : key.unsqueezed(dim: 1)
    let v3 = batched ? value : value.unsqueezed(dim: 1)
    let (l, n, e) = (q3.shape[0], q3.shape[1], q3.shape[2]), s = k3.shape[0]
    check(
      k3.shape == [s, n, e] && v3.shape == [s, n, e],
      "\(op): key \(key.shape) and value \(value.shape) must be [S, N, E] like the query \(query.shape)")
    check(numHeads > 0 && e % numHeads == 0, "\(op): \(numHeads) heads do not divide the embedding size \(e)")
    check((inProjWeight == nil) != (separateProjWeights == nil), "\(op): give exactly one of inProjWeight and separateProjWeights")
    let weights: [Tensor]
    if let inProjWeight {
      check(inProjWeight.shape == [3 * e, e], "\(op): inProjWeight \(inProjWeight.shape) must be [\(3 * e), \(e)]")
      weights = inProjWeight.chunked(3)
    } else {
      let w = separateProjWeights!
      weights = [w.q, w.k, w.v]
      check(weights.allSatisfy { $0.shape == [e, e] }, "\(op): the projection weights must be [\(e), \(e)]")
    }
    check(inProjBias == nil || inProjBias!.shape == [3 * e], "\(op): inProjBias \(inProjBias!.shape) must be [\(3 * e)]")
    check(outProjWeight.shape == [e, e], "\(op): outProjWeight \(outProjWeight.shape) must be [\(e), \(e)]")
    let biases: [Tensor?] = inProjBias.map { $0.chunked(3).map { Optional($0) } } ?? [nil, nil, nil]
    let h = numHeads, d = e / h
    /// `[T, N, E]` projected and split into heads `[N·H, T, E/H]`.
    func heads(_ x: Tensor, _ i: Int) -> Tensor {
      let t = x.shape[0]
      return linear(x, weight: weights[i], bias: biases[i]).reshaped([t, n * h, d]).transposed(0, 1)
    }
    let q = heads(q3, 0), k = heads(k3, 1), v = heads(v3, 2)
    var scores = (q * (1 / Double(d).squareRoot())).matmul(k.mT)  // [N·H, L, S]
    /// A mask as a bias: −∞ where a boolean mask is true.
    func bias(_ m: Tensor) -> Tensor {
      m.dtype == .bool ? Tensor.zeros(m.shape, dtype: query.dtype).maskedFill(m, value: -.infinity) : m
    }
    if let attnMask {
      check(
        attnMask.shape == [l, s] || attnMask.shape == [n * h, l, s],
        "\(op): attnMask \(attnMask.shape) must be [\(l), \(s)] or [\(n * h), \(l), \(s)]")
      scores = scores + bias(attnMask)
    }
    if let keyPaddingMask {
      let m = batched ? keyPaddingMask : keyPaddingMask.unsqueezed(dim: 0)
      check(m.shape == [n, s], "\(op): keyPaddingMask \(keyPaddingMask.shape) must be [\(n), \(s)] (or [\(s)] unbatched)")
      scores = scores + bias(m).reshaped([n, 1, 1, s]).expanded(to: [n, h, 1, s]).reshaped([n * h, 1, s])
    }
    let attention = scores.softmax(dim: -1)
    let merged = attention.matmul(v).transposed(0, 1).reshaped([l * n, e])
    var output = linear(merged, weight: outProjWeight, bias: outProjBias).reshaped([l, n, e])
    if !batched { output = output.squeezed(dim: 1) }
    guard needWeights else { return (output, nil) }
    var w = attention.reshaped([n, h, l, s])
    if averageAttnWeights { w = w.mean(dims: [1]) }
    return (output, batched ? w : w.squeezed(dim: 0))
  }
}
