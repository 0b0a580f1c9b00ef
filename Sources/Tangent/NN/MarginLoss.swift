import ComplexModule
import RealModule

extension NN {
  /// Checks the operands of a loss that takes ±1 labels (or any real targets): real floating
  /// tensors of one dtype whose shapes broadcast; returns the broadcast shape.
  @discardableResult
  static func checkOperands(_ tensors: [Tensor], op: String, allowComplex: Bool = false) -> [Int] {
    check(
      tensors.allSatisfy { $0.dtype.isFloatingPoint && (allowComplex || !$0.dtype.isComplex) && $0.dtype == tensors[0].dtype },
      "\(op): expected \(allowComplex ? "" : "real ")floating operands of one dtype, got \(tensors.map { "\($0.dtype) \($0.shape)" }.joined(separator: ", "))")
    return tensors.dropFirst().reduce(tensors[0].shape) { Shape.broadcast($0, $1.shape, op: op) }
  }

  /// The hinge embedding loss, like `torch.nn.functional.hinge_embedding_loss`: for a
  /// distance `x` and a label `y` (1 for similar pairs, −1 for dissimilar ones),
  /// ```
  /// x                    where y = 1
  /// max(0, margin − x)   where y = −1
  /// ```
  /// (a label that is neither contributes both terms, as in PyTorch).
  ///
  /// Derivative: 1 where `y ≠ −1`, plus −1 where `y ≠ 1` and `x < margin`; the labels have none.
  /// - Parameters:
  ///   - input: the distances.
  ///   - target: the labels; broadcasts with `input`.
  ///   - margin: the distance beyond which dissimilar pairs cost nothing.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating operands of one dtype whose shapes broadcast.
  public static func hingeEmbeddingLoss(_ input: Tensor, _ target: Tensor, margin: Double = 1, reduction: Reduction = .mean) -> Tensor {
    let op = "nn.functional.hinge_embedding_loss"
    checkOperands([input, target], op: op)
    let hinge = Tensor.where(target.mask(.notEqual, 1), (margin - input).relu(), 0)
    let linear = Tensor.where(target.mask(.notEqual, -1), input, 0)
    return reduce(hinge + linear, reduction, op: op)
  }

  /// The margin ranking loss, like `torch.nn.functional.margin_ranking_loss`:
  /// `max(0, −y·(x1 − x2) + margin)`, which asks `x1` to rank above `x2` by `margin` where
  /// `y = 1` and below where `y = −1`.
  ///
  /// Derivative: `−y` for `x1`, `y` for `x2` and `x2 − x1` for `y` where the hinge is active,
  /// 0 elsewhere.
  /// - Parameters:
  ///   - input1: the scores.
  ///   - input2: the scores.
  ///   - target: the labels ±1; the three operands broadcast together.
  ///   - margin: the required gap.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating operands of one dtype whose shapes broadcast.
  public static func marginRankingLoss(
    _ input1: Tensor, _ input2: Tensor, _ target: Tensor, margin: Double = 0, reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.margin_ranking_loss"
    checkOperands([input1, input2, target], op: op)
    return reduce((-target * (input1 - input2) + margin).relu(), reduction, op: op)
  }

  /// The soft margin loss, like `torch.nn.functional.soft_margin_loss`:
  /// `log(1 + exp(−y·x))`, the logistic loss of labels ±1.
  ///
  /// Derivative: `−y·σ(−y·x)` for `x`, `−x·σ(−y·x)` for `y`.
  /// - Parameters:
  ///   - input: the scores.
  ///   - target: the labels ±1; broadcasts with `input`.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating operands of one dtype whose shapes broadcast.
  public static func softMarginLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    let op = "nn.functional.soft_margin_loss"
    checkOperands([input, target], op: op)
    return reduce(-(target * input).logSigmoid(), reduction, op: op)
  }

  /// The multi-label soft margin loss, like `torch.nn.functional.multilabel_soft_margin_loss`:
  /// the binary logistic loss of every class, averaged over the classes (the last dim):
  /// ```
  /// −(1/C)·Σ_c weight[c]·(y[c]·log σ(x[c]) + (1 − y[c])·log σ(−x[c]))
  /// ```
  ///
  /// Derivative: `weight·(σ(x) − y)/C` for `x`; `−weight·x/C` for `y`; the loss terms for
  /// `weight`.
  /// - Parameters:
  ///   - input: `[N, C]` or `[C]` logits.
  ///   - target: the input's shape, usually 0 or 1.
  ///   - weight: a per-class rescaling that broadcasts to the input's shape.
  ///   - reduction: `.mean` (default, over the samples), `.sum` or `.none` (one loss per sample).
  /// - Returns: a 0-d tensor, or the input's shape without the class dim for `.none`.
  /// - Precondition: real floating tensors of one dtype with at least 1 dim; `target` has the
  ///   input's shape and `weight` broadcasts to it.
  public static func multilabelSoftMarginLoss(
    _ input: Tensor, _ target: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.multilabel_soft_margin_loss"
    checkOperands([input, target], op: op)
    check(
      input.rank >= 1 && input.shape == target.shape,
      "\(op): expected an input [N, C] or [C] and a target of its shape, got \(input.shape) and \(target.shape)")
    checkWeight(weight, like: input, op: op)
    var loss = -(target * input.logSigmoid() + (1 - target) * (-input).logSigmoid())
    if let weight { loss = loss * weight }
    return reduce(loss.sum(dim: -1) / Double(Swift.max(input.shape[input.rank - 1], 1)), reduction, op: op)
  }

  /// The cosine embedding loss, like `torch.nn.functional.cosine_embedding_loss`: with the
  /// cosine `cos = Σ x1·x2 / √((Σ x1² + ε)(Σ x2² + ε))` over the last dim (ε = 10⁻¹²),
  /// ```
  /// 1 − cos                 where y = 1
  /// max(0, cos − margin)    where y = −1
  /// ```
  ///
  /// Derivative: the quotient rule through the cosine, on the active branch; the labels have
  /// none.
  /// - Parameters:
  ///   - input1: `[N, D]` or `[D]` embeddings.
  ///   - input2: `[N, D]` or `[D]` embeddings.
  ///   - target: the labels ±1, `[N]` (or 0-d).
  ///   - margin: the cosine below which dissimilar pairs cost nothing, in [−1, 1].
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Returns: a 0-d tensor, or `[N]` for `.none`.
  /// - Precondition: real floating tensors of one dtype; the inputs `[N, D]` or `[D]` of one
  ///   shape and the target their shape without the last dim.
  public static func cosineEmbeddingLoss(
    _ input1: Tensor, _ input2: Tensor, _ target: Tensor, margin: Double = 0, reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.cosine_embedding_loss"
    check(
      (input1.rank == 1 || input1.rank == 2) && input1.shape == input2.shape && target.shape == Array(input1.shape.dropLast()),
      "\(op): expected inputs [N, D] or [D] of one shape and a target [N] (or 0-d), got \(input1.shape), \(input2.shape) and \(target.shape)")
    checkOperands([input1, input2, target.unsqueezed(dim: -1)], op: op)
    let eps = 1e-12
    let product = (input1 * input2).sum(dim: -1)
    let norms = (((input1.square().sum(dim: -1) + eps) * (input2.square().sum(dim: -1) + eps))).sqrt()
    let cos = product / norms
    let loss = Tensor.where(target.mask(.equal, 1), 1 - cos, 0) + Tensor.where(target.mask(.equal, -1), (cos - margin).relu(), 0)
    return reduce(loss, reduction, op: op)
  }

  /// The triplet margin loss, like `torch.nn.functional.triplet_margin_loss`:
  /// `max(0, d(a, p) − d(a, n) + margin)` with `d` the
  /// ``pairwiseDistance(_:_:p:eps:keepdim:)`` over the last dim. With `swap`, `d(a, n)` is
  /// replaced by `min(d(a, n), d(p, n))` (the distance swap of Balntas et al. 2016).
  ///
  /// Derivative: that of the distances on the active hinge (and the chosen branch of the swap).
  /// - Parameters:
  ///   - anchor: `[N, D]` or `[D]` embeddings.
  ///   - positive: `[N, D]` or `[D]` embeddings.
  ///   - negative: `[N, D]` or `[D]` embeddings.
  ///   - margin: the required gap; positive.
  ///   - p: the norm's exponent.
  ///   - eps: added to the differences, as in `pairwiseDistance`.
  ///   - swap: use the distance swap.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Returns: a 0-d tensor, or `[N]` for `.none`.
  /// - Precondition: floating tensors (complex too, as in PyTorch: the distances are norms of
  ///   complex differences) of one dtype and one rank (1 or 2) whose shapes broadcast;
  ///   `margin > 0`.
  public static func tripletMarginLoss(
    _ anchor: Tensor, _ positive: Tensor, _ negative: Tensor, margin: Double = 1, p: Double = 2, eps: Double = 1e-6,
    swap: Bool = false, reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.triplet_margin_loss"
    return tripletLoss(anchor, positive, negative, margin: margin, swap: swap, reduction: reduction, op: op, allowComplex: true) {
      pairwiseDistance($0, $1, p: p, eps: eps)
    }
  }

  /// The triplet margin loss with a distance of your choice, like
  /// `torch.nn.functional.triplet_margin_with_distance_loss`:
  /// `max(0, d(a, p) − d(a, n) + margin)`, with `min(d(a, n), d(p, n))` for `d(a, n)` when
  /// `swap`.
  ///
  /// Derivative: that of `distance` on the active hinge.
  /// - Parameters:
  ///   - anchor: embeddings.
  ///   - positive: embeddings.
  ///   - negative: embeddings.
  ///   - distance: maps two embeddings to their distances (one per sample);
  ///     ``pairwiseDistance(_:_:p:eps:keepdim:)`` by default.
  ///   - margin: the required gap; positive.
  ///   - swap: use the distance swap.
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating tensors of one dtype and one rank (1 or 2) whose shapes
  ///   broadcast; `margin > 0`.
  public static func tripletMarginWithDistanceLoss(
    _ anchor: Tensor, _ positive: Tensor, _ negative: Tensor, distance: ((Tensor, Tensor) -> Tensor)? = nil, margin: Double = 1,
    swap: Bool = false, reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.triplet_margin_with_distance_loss"
    return tripletLoss(anchor, positive, negative, margin: margin, swap: swap, reduction: reduction, op: op) {
      distance?($0, $1) ?? pairwiseDistance($0, $1)
    }
  }

  /// The triplet losses with the distance `d`.
  static func tripletLoss(
    _ anchor: Tensor, _ positive: Tensor, _ negative: Tensor, margin: Double, swap: Bool, reduction: Reduction, op: String,
    allowComplex: Bool = false, _ d: (Tensor, Tensor) -> Tensor
  ) -> Tensor {
    checkOperands([anchor, positive, negative], op: op, allowComplex: allowComplex)
    check(
      (anchor.rank == 1 || anchor.rank == 2) && positive.rank == anchor.rank && negative.rank == anchor.rank,
      "\(op): expected anchor, positive and negative [N, D] or [D] of one rank, got \(anchor.shape), \(positive.shape) and \(negative.shape)")
    check(margin > 0, "\(op): margin must be positive, got \(margin)")
    var negativeDistance = d(anchor, negative)
    if swap { negativeDistance = negativeDistance.minimum(d(positive, negative)) }
    return reduce((d(anchor, positive) - negativeDistance + margin).relu(), reduction, op: op)
  }
}
