import ComplexModule
import RealModule

extension NN {
  /// Scaled dot-product attention, like `torch.nn.functional.scaled_dot_product_attention`
  /// (without dropout):
  /// ```
  /// y = softmax(q·kᵀ·scale + bias)·v
  /// ```
  /// the softmax over the keys. `bias` comes from the mask: 0 where a boolean mask is true and
  /// −∞ where it is false, the values of a floating mask, or the causal mask (query `i` sees
  /// keys `j ≤ i`). A query row that every key is masked from gives zeros, as PyTorch's safe
  /// softmax does (not NaN).
  ///
  /// Derivative: the rules of matmul and softmax: linear in `v`; through the softmax Jacobian
  /// for `q` and `k`; a floating mask is differentiable like the scores it is added to.
  /// - Parameters:
  ///   - query: `[…, L, E]`.
  ///   - key: `[…, S, E]`.
  ///   - value: `[…, S, Ev]`.
  ///   - attnMask: a `bool` mask (true takes part) or a floating bias of the query's dtype,
  ///     broadcasting to `[…, L, S]`.
  ///   - isCausal: mask key `j` from query `i` when `j > i` (no `attnMask` then).
  ///   - scale: the factor of the scores; `1/√E` by default.
  ///   - enableGQA: grouped-query attention: the key and value heads (dim −3) are repeated to
  ///     the query's number of heads, which they divide.
  /// - Returns: `[…, L, Ev]`, the batch dims broadcast.
  /// - Precondition: real floating tensors of one dtype, at least 2-d, with matching `E` and
  ///   `S`, batch dims that broadcast, and a mask that broadcasts to `[…, L, S]`.
  public static func scaledDotProductAttention(
    _ query: Tensor, _ key: Tensor, _ value: Tensor, attnMask: Tensor? = nil, isCausal: Bool = false, scale: Double? = nil,
    enableGQA: Bool = false
  ) -> Tensor {
    let op = "nn.functional.scaled_dot_product_attention"
    let shapes = "query \(query.shape), key \(key.shape), value \(value.shape)"
    check(
      query.dtype.isFloatingPoint && !query.dtype.isComplex && key.dtype == query.dtype && value.dtype == query.dtype,
      "\(op): expected real floating tensors of one dtype, got \(query.dtype), \(key.dtype), \(value.dtype)")
    check(
      query.rank >= 2 && key.rank >= 2 && value.rank >= 2 && query.shape.last == key.shape.last
        && key.shape[key.rank - 2] == value.shape[value.rank - 2],
      "\(op): expected query [..., L, E], key [..., S, E] and value [..., S, Ev], got \(shapes)")
    var (k, v) = (key, value)
    if enableGQA {
      check(query.rank >= 3 && key.rank >= 3 && value.rank >= 3, "\(op): grouped-query attention needs a heads dim -3 (\(shapes))")
      let heads = query.shape[query.rank - 3], kvHeads = key.shape[key.rank - 3]
      check(
        kvHeads == value.shape[value.rank - 3] && kvHeads > 0 && heads % kvHeads == 0,
        "\(op): the key and value heads must divide the \(heads) query heads (\(shapes))")
      k = k.repeatInterleave(heads / kvHeads, dim: -3)
      v = v.repeatInterleave(heads / kvHeads, dim: -3)
    }
    let (l, s, e) = (query.shape[query.rank - 2], k.shape[k.rank - 2], query.shape[query.rank - 1])
    let scores = query.matmul(k.mT) * (scale ?? 1 / Double(e).squareRoot())
    var bias: Tensor
    if isCausal {
      check(attnMask == nil, "\(op): give either attnMask or isCausal, not both")
      let allowed = (0..<l).flatMap { i in (0..<s).map { j in j <= i } }
      bias = maskBias(Tensor(shape: [l, s], scalars: allowed), dtype: query.dtype)
    } else if let attnMask {
      check(
        Shape.broadcast(attnMask.shape, [l, s]).map { Array($0.suffix(2)) } == [l, s],
        "\(op): attnMask \(attnMask.shape) does not broadcast to the scores [..., \(l), \(s)] (\(shapes))")
      check(
        attnMask.dtype == .bool || attnMask.dtype == query.dtype,
        "\(op): attnMask must be bool or \(query.dtype), got \(attnMask.dtype)")
      bias = attnMask.dtype == .bool ? maskBias(attnMask, dtype: query.dtype) : attnMask
    } else {
      return scores.softmax(dim: -1).matmul(v)
    }
    // Rows with every key masked: no bias there, and zeros out (PyTorch's _safe_softmax).
    let blocked = bias.detached.amax(dim: -1, keepdim: true).mask(.equal, -.infinity)
    guard blocked.valuesOfEveryMember.scalars(as: Bool.self).contains(true) else { return (scores + bias).softmax(dim: -1).matmul(v) }
    let open = blocked.maskNot
    bias = bias.keeping(open)
    return (scores + bias).softmax(dim: -1).keeping(open).matmul(v)
  }

  /// 0 where a boolean mask is true and −∞ where it is false, in `dtype`.
  static func maskBias(_ mask: Tensor, dtype: DType) -> Tensor {
    Tensor.where(mask, Tensor.zeros([], dtype: dtype), Tensor.full([], -.infinity, dtype: dtype))
  }
}
