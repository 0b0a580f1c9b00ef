/// Reductions and normalisations that ignore masked-out elements, like `torch.masked`.
///
/// Each op takes an optional `bool` mask that broadcasts to the input: elements where it is
/// false do not contribute (`nil` keeps every element). They are composed of `where` and the
/// ordinary reductions, so every mode of differentiation comes with them; masked-out elements
/// get zero derivatives.
public enum Masked {
  /// The input with masked-out elements replaced by `fill`.
  static func fill(_ x: Tensor, _ mask: Tensor?, _ fill: Double, op: String) -> Tensor {
    guard let mask else { return x }
    check(mask.dtype == .bool, "\(op): the mask must be a bool tensor, got \(mask.dtype)")
    return Tensor.where(mask, x, fill)
  }

  /// The dims a reduction over `dims` (all when `nil`) covers, normalised and sorted.
  static func reducedDims(_ dims: [Int]?, rank: Int, op: String) -> [Int] {
    (dims ?? Array(0..<rank)).map { Shape.normalize($0, rank: rank, op: op) }.sorted()
  }

  /// The number of kept elements per reduced slice (as `x`'s real dtype).
  static func count(_ x: Tensor, _ mask: Tensor?, dims: [Int], keepdim: Bool) -> Tensor {
    let ones = Tensor.ones(x.shape, dtype: x.dtype.real)
    return fill(ones, mask, 0, op: "Masked").sum(dims: dims, keepdim: keepdim)
  }

  /// The sum of the kept elements over `dims` (all when `nil`), like `torch.masked.sum`.
  ///
  /// - Precondition: the mask is `bool` and broadcasts to the input.
  /// Derivative: linear; the VJP broadcasts the cotangent to the kept elements.
  public static func sum(_ x: Tensor, dims: [Int]? = nil, keepdim: Bool = false, mask: Tensor? = nil) -> Tensor {
    fill(x, mask, 0, op: "Masked.sum").sum(dims: reducedDims(dims, rank: x.rank, op: "Masked.sum"), keepdim: keepdim)
  }

  /// The mean of the kept elements, like `torch.masked.mean`; `nan` where none is kept.
  ///
  /// - Precondition: the mask is `bool` and broadcasts to the input.
  /// Derivative: linear; the VJP spreads the cotangent evenly over the kept elements.
  public static func mean(_ x: Tensor, dims: [Int]? = nil, keepdim: Bool = false, mask: Tensor? = nil) -> Tensor {
    let d = reducedDims(dims, rank: x.rank, op: "Masked.mean")
    return sum(x, dims: d, keepdim: keepdim, mask: mask) / count(x, mask, dims: d, keepdim: keepdim)
  }

  /// The product of the kept elements, like `torch.masked.prod` (1 where none is kept).
  ///
  /// - Precondition: the mask is `bool` and broadcasts to the input.
  /// Derivative: that of `prod`, with zero for the masked-out elements.
  public static func prod(_ x: Tensor, dims: [Int]? = nil, keepdim: Bool = false, mask: Tensor? = nil) -> Tensor {
    var y = fill(x, mask, 1, op: "Masked.prod")
    if let mask { y = y.expanded(to: Shape.broadcast(x.shape, mask.shape, op: "Masked.prod")) }
    for d in reducedDims(dims, rank: y.rank, op: "Masked.prod").reversed() { y = y.prod(dim: d, keepdim: keepdim) }
    return y
  }

  /// The largest kept element, like `torch.masked.amax` (`-inf` where none is kept).
  ///
  /// - Precondition: real input; the mask is `bool` and broadcasts to the input.
  /// Derivative: that of `amax` (ties share the derivative evenly).
  public static func amax(_ x: Tensor, dims: [Int]? = nil, keepdim: Bool = false, mask: Tensor? = nil) -> Tensor {
    x.requireReal("Masked.amax")
    return fill(x, mask, -.infinity, op: "Masked.amax").amax(dims: reducedDims(dims, rank: x.rank, op: "Masked.amax"), keepdim: keepdim)
  }

  /// The smallest kept element, like `torch.masked.amin` (`inf` where none is kept).
  ///
  /// - Precondition: real input; the mask is `bool` and broadcasts to the input.
  /// Derivative: that of `amin` (ties share the derivative evenly).
  public static func amin(_ x: Tensor, dims: [Int]? = nil, keepdim: Bool = false, mask: Tensor? = nil) -> Tensor {
    x.requireReal("Masked.amin")
    return fill(x, mask, .infinity, op: "Masked.amin").amin(dims: reducedDims(dims, rank: x.rank, op: "Masked.amin"), keepdim: keepdim)
  }

  /// The variance of the kept elements, like `torch.masked.var`: the sum of squared
  /// deviations from their mean (|x − mean|² for complex input) divided by
  /// `max(count - correction, 0)`. As in PyTorch, the result has the input's dtype: a complex
  /// input gives a complex result with zero imaginary part (`Tensor.var` gives a real one).
  ///
  /// - Precondition: the mask is `bool` and broadcasts to the input.
  /// Derivative: composed: `2 (x - mean) / (count - correction)` on the kept elements.
  public static func `var`(
    _ x: Tensor, dims: [Int]? = nil, correction: Double = 1, keepdim: Bool = false, mask: Tensor? = nil
  ) -> Tensor {
    let v = realVariance(x, dims: dims, correction: correction, keepdim: keepdim, mask: mask)
    return x.dtype.isComplex ? v.converted(to: x.dtype) : v
  }

  /// The masked variance as a real tensor (of a complex input too).
  static func realVariance(_ x: Tensor, dims: [Int]?, correction: Double, keepdim: Bool, mask: Tensor?) -> Tensor {
    let d = reducedDims(dims, rank: x.rank, op: "Masked.var")
    let n = count(x, mask, dims: d, keepdim: true)
    let centred = fill(x - sum(x, dims: d, keepdim: true, mask: mask) / n, mask, 0, op: "Masked.var")
    let squares = x.dtype.isComplex ? (centred * centred.conj()).real : centred.square()
    let total = squares.sum(dims: d, keepdim: keepdim)
    let dof = (keepdim ? n : n.squeezed(dims: d)) - correction
    return total / Tensor.where(dof.gt(0), dof, 0.0)
  }

  /// The standard deviation of the kept elements, like `torch.masked.std`: the square root
  /// of ``var(_:dims:correction:keepdim:mask:)`` (complex, with zero imaginary part, for a
  /// complex input, as in PyTorch).
  ///
  /// - Precondition: the mask is `bool` and broadcasts to the input.
  /// Derivative: `d var / (2 std)`, and 0 where std = 0 (a single kept element with
  /// correction 0, say), as for ``Tensor/std(dims:correction:keepdim:)`` and PyTorch's
  /// `std_backward`, not the 0/0 of the square root's rule.
  public static func std(
    _ x: Tensor, dims: [Int]? = nil, correction: Double = 1, keepdim: Bool = false, mask: Tensor? = nil
  ) -> Tensor {
    let v = realVariance(x, dims: dims, correction: correction, keepdim: keepdim, mask: mask)
    let positive = v.mask(.notEqual, 0)
    let std = Tensor.where(positive, Tensor.where(positive, v, 1.0).sqrt(), 0.0)
    return x.dtype.isComplex ? std.converted(to: x.dtype) : std
  }

  /// The vector `ord`-norm of the kept elements, like `torch.masked.norm`.
  ///
  /// Masked-out elements count as zeros, or as +∞ for `ord = −∞` (the identities of the sum
  /// and of the minimum, as in PyTorch).
  /// - Precondition: `ord ≥ 0` or `−∞`; the mask is `bool` and broadcasts to the input.
  /// Derivative: that of `vectorNorm` on the kept elements.
  public static func norm(_ x: Tensor, ord: Double = 2, dims: [Int]? = nil, keepdim: Bool = false, mask: Tensor? = nil) -> Tensor {
    check(ord >= 0 || ord == -.infinity, "Masked.norm: the order must be non-negative or -inf, got \(ord)")
    let identity = ord == -.infinity ? Double.infinity : 0
    return fill(x, mask, identity, op: "Masked.norm").vectorNorm(
      ord: ord, dims: reducedDims(dims, rank: x.rank, op: "Masked.norm"), keepdim: keepdim)
  }

  /// The kept elements divided by their `ord`-norm along `dim` (at least `eps`), like
  /// `torch.masked.normalize`; masked-out elements become 0.
  ///
  /// - Precondition: the mask is `bool` and broadcasts to the input.
  /// Derivative: composed of the masked norm, `maximum` and division.
  public static func normalize(_ x: Tensor, ord: Double = 2, dim: Int, eps: Double = 1e-12, mask: Tensor? = nil) -> Tensor {
    let n = norm(x, ord: ord, dims: [dim], keepdim: true, mask: mask)
    return fill(x, mask, 0, op: "Masked.normalize") / n.maximum(Tensor.full([], eps, dtype: n.dtype))
  }

  /// The softmax of the kept elements along `dim`, like `torch.masked.softmax`; masked-out
  /// elements get 0.
  ///
  /// - Precondition: real input; the mask is `bool` and broadcasts to the input.
  /// Derivative: that of `softmax`, with zero for the masked-out elements.
  public static func softmax(_ x: Tensor, dim: Int, mask: Tensor? = nil) -> Tensor {
    x.requireReal("Masked.softmax")
    return fill(x, mask, -.infinity, op: "Masked.softmax").softmax(dim: dim)
  }

  /// The log-softmax of the kept elements along `dim`, like `torch.masked.log_softmax`;
  /// masked-out elements get `-inf`.
  ///
  /// - Precondition: real input; the mask is `bool` and broadcasts to the input.
  /// Derivative: that of `logSoftmax`, with zero for the masked-out elements.
  public static func logSoftmax(_ x: Tensor, dim: Int, mask: Tensor? = nil) -> Tensor {
    x.requireReal("Masked.logSoftmax")
    return fill(x, mask, -.infinity, op: "Masked.logSoftmax").logSoftmax(dim: dim)
  }

  /// The softmin of the kept elements along `dim`, like `torch.masked.softmin`; masked-out
  /// elements get 0.
  ///
  /// - Precondition: real input; the mask is `bool` and broadcasts to the input.
  /// Derivative: that of `softmin`, with zero for the masked-out elements.
  public static func softmin(_ x: Tensor, dim: Int, mask: Tensor? = nil) -> Tensor {
    x.requireReal("Masked.softmin")
    return fill(x, mask, .infinity, op: "Masked.softmin").softmin(dim: dim)
  }

  /// `log Σ exp` of the kept elements, like `torch.masked.logsumexp` (`-inf` where none is
  /// kept); for complex input the principal logarithm, as ``Tensor/logSumExp(dims:keepdim:)``.
  ///
  /// - Precondition: the mask is `bool` and broadcasts to the input.
  /// Derivative: the softmax of the kept elements.
  public static func logSumExp(_ x: Tensor, dims: [Int]? = nil, keepdim: Bool = false, mask: Tensor? = nil) -> Tensor {
    if x.dtype.isComplex, let mask {
      // A complex −∞ fill is one point at infinity to swift-numerics (its exp and products
      // give NaN), so the masked-out terms are zeroed after the exp instead, with the shift by
      // the largest kept real part that keeps the exp from overflowing.
      let d = reducedDims(dims, rank: x.rank, op: "Masked.logSumExp")
      let largest = fill(x.real.detached, mask, -.infinity, op: "Masked.logSumExp").amax(dims: d, keepdim: true)
      let shift = Tensor.where(largest.isFinite(), largest, 0.0)
      let total = fill((x - shift.converted(to: x.dtype)).exp(), mask, 0, op: "Masked.logSumExp").sum(dims: d, keepdim: true)
      let result = total.log() + shift.converted(to: x.dtype)
      return keepdim ? result : result.squeezed(dims: d)
    }
    return fill(x, mask, -.infinity, op: "Masked.logSumExp").logSumExp(dims: reducedDims(dims, rank: x.rank, op: "Masked.logSumExp"), keepdim: keepdim)
  }

  /// The running sum of the kept elements along `dim`, like `torch.masked.cumsum`
  /// (masked-out elements add nothing).
  ///
  /// - Precondition: the mask is `bool` and broadcasts to the input.
  /// Derivative: linear; that of `cumsum` on the kept elements.
  public static func cumsum(_ x: Tensor, dim: Int, mask: Tensor? = nil) -> Tensor {
    fill(x, mask, 0, op: "Masked.cumsum").cumsum(dim: dim)
  }

  /// The running product of the kept elements along `dim`, like `torch.masked.cumprod`
  /// (masked-out elements multiply by 1).
  ///
  /// - Precondition: the mask is `bool` and broadcasts to the input.
  /// Derivative: that of `cumprod` on the kept elements.
  public static func cumprod(_ x: Tensor, dim: Int, mask: Tensor? = nil) -> Tensor {
    fill(x, mask, 1, op: "Masked.cumprod").cumprod(dim: dim)
  }

  /// The median of the kept elements along `dim`, like `torch.masked.median` (the lower of the
  /// two middle values for an even count; `nan` where none is kept).
  ///
  /// - Precondition: real input; the mask is `bool` and broadcasts to the input.
  /// Derivative: that of `nanmedian`: the cotangent goes to the chosen element.
  public static func median(_ x: Tensor, dim: Int, keepdim: Bool = false, mask: Tensor? = nil) -> Tensor {
    x.requireReal("Masked.median")
    return fill(x, mask, .nan, op: "Masked.median").nanmedian(dim: dim, keepdim: keepdim).values
  }

  /// `log(exp a + exp b)` of the kept elements, like `torch.masked.logaddexp`: masked-out
  /// elements of either operand count as `-inf`.
  ///
  /// - Precondition: real inputs; the masks are `bool` and broadcast to their inputs.
  /// Derivative: that of `logAddExp`, with zero for the masked-out elements.
  public static func logAddExp(_ a: Tensor, _ b: Tensor, maskA: Tensor? = nil, maskB: Tensor? = nil) -> Tensor {
    a.requireReal("Masked.logAddExp")
    b.requireReal("Masked.logAddExp")
    return fill(a, maskA, -.infinity, op: "Masked.logAddExp").logAddExp(fill(b, maskB, -.infinity, op: "Masked.logAddExp"))
  }
}
