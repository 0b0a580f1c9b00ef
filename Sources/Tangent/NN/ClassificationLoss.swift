import ComplexModule
import RealModule

/// The parts of a class-index loss: the input at each target class, and each sample's weight
/// (the class weight, or 1; 0 for an ignored sample), both of the target's shape.
struct ClassSelection {
  /// `input[n, target[n], …]`; 0 at ignored samples.
  let picked: Tensor
  /// `weight[target[n]]` (1 without weights), 0 at ignored samples.
  let weights: Tensor
  /// True where the sample counts (its target is not `ignoreIndex`).
  let kept: Tensor

  /// Checks and selects. The class dim is 1 (0 for a 1-d input).
  init(_ input: Tensor, _ target: Tensor, weight: Tensor?, ignoreIndex: Int, op: String) {
    check(
      input.dtype.isFloatingPoint && !input.dtype.isComplex && input.rank >= 1,
      "\(op): expected a real floating input of at least 1 dim, got \(input.dtype) \(input.shape)")
    check(target.dtype == .int64, "\(op): class-index targets must be int64, got \(target.dtype) \(target.shape)")
    let classDim = input.rank == 1 ? 0 : 1
    let classes = input.shape[classDim]
    var expected = input.shape
    expected.remove(at: classDim)
    check(
      target.shape == expected,
      "\(op): target \(target.shape) does not fit input \(input.shape) (expected \(expected): the input without its class dim \(classDim))")
    if let weight {
      check(
        weight.shape == [classes] && weight.dtype == input.dtype,
        "\(op): weight must be a \(input.dtype) tensor of shape [\(classes)] (one per class), got \(weight.dtype) \(weight.shape)")
    }
    if target.isBatched {
      // Under vmap the targets differ across the batch and cannot be read: select the class
      // with a one-hot comparison instead (tensor ops, batched like any other). A target out
      // of range cannot be checked here; it matches no class and counts as ignored.
      let shape = Array(repeating: 1, count: input.rank).enumerated().map { $0.offset == classDim ? classes : $0.element }
      let oneHot = Tensor.arange(0, Double(classes), dtype: .int64).reshaped(shape).eq(target.unsqueezed(dim: classDim))
      let hot = oneHot.converted(to: input.dtype)
      kept = target.ne(Double(ignoreIndex))
      picked = (input * hot).sum(dim: classDim)
      weights = weight.map { (hot * $0.reshaped(shape)).sum(dim: classDim) } ?? hot.sum(dim: classDim)
      return
    }
    let labels = target.scalars(as: Int64.self).map { Int($0) }
    for t in labels where t != ignoreIndex {
      check(t >= 0 && t < classes, "\(op): target \(t) is out of bounds for \(classes) classes (input \(input.shape))")
    }
    let safe = labels.map { $0 == ignoreIndex ? 0 : $0 }
    let keptFlags = labels.map { $0 != ignoreIndex }
    kept = Tensor(shape: target.shape, scalars: keptFlags)
    let index = Tensor(shape: target.shape, scalars: safe.map { Int64($0) })
    picked = input.gather(dim: classDim, index: index.unsqueezed(dim: classDim)).squeezed(dim: classDim).keeping(kept)
    let mask = kept.maskValues(input.dtype)
    weights = weight.map { $0.indexSelect(dim: 0, index: index.reshaped([index.count])).reshaped(target.shape) * mask } ?? mask
  }
}

extension NN {
  /// The negative log likelihood of class indices, like `torch.nn.functional.nll_loss`: for
  /// log-probabilities `input` and classes `target`,
  /// ```
  /// ℓₙ = −weight[targetₙ]·input[n, targetₙ]
  /// ```
  /// with ignored samples contributing 0. `.mean` divides the sum by the total weight of the
  /// samples that count (Σ weight[targetₙ]), not by their number.
  ///
  /// Derivative: linear in `input` (the VJP scatters `−weight[targetₙ]` to each target class);
  /// for `weight`, the rules of indexSelect, mul and div.
  /// - Parameters:
  ///   - input: `[C]`, `[N, C]` or `[N, C, d₁, …]` log-probabilities (the class dim is 1, or 0
  ///     for a 1-d input).
  ///   - target: `int64` classes in `0..<C`: `[]`, `[N]` or `[N, d₁, …]`.
  ///   - weight: `[C]`, a weight per class.
  ///   - ignoreIndex: a target value whose samples count for nothing.
  ///   - reduction: `.mean` (default), `.sum` or `.none` (the target's shape).
  /// - Precondition: real floating input; the shapes fit as above; every target is a class or
  ///   `ignoreIndex`.
  public static func nllLoss(
    _ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.nll_loss"
    let s = ClassSelection(input, target, weight: weight, ignoreIndex: ignoreIndex, op: op)
    return weightedNLL(s, reduction: reduction, op: op)
  }

  /// The reduced `−weight·picked` of a selection.
  static func weightedNLL(_ s: ClassSelection, reduction: Reduction, op: String) -> Tensor {
    let loss = -(s.picked * s.weights)
    return reduction == .mean ? loss.sum() / s.weights.sum() : reduce(loss, reduction, op: op)
  }

  /// The cross entropy between logits and targets, like `torch.nn.functional.cross_entropy`:
  /// ``nllLoss(_:_:weight:ignoreIndex:reduction:)`` of the log-softmax over the class dim for
  /// class-index targets, and `−Σ_c weight_c·target_c·log softmax(input)_c` for probability
  /// targets.
  ///
  /// With `labelSmoothing = ε` the target is mixed with the uniform distribution over the `C`
  /// classes: `(1 − ε)·target + ε/C`. For class indices this adds `ε/C` times the smoothing
  /// term `−Σ_c weight_c·log softmax(input)_c` (reduced as PyTorch does: `.mean` divides by
  /// the total weight of the samples that count).
  ///
  /// Derivative: through log-softmax, `softmax(input) − target` per sample (scaled by the
  /// weights) for `input`; for probability targets, `−weight·log softmax(input)` for `target`.
  /// - Parameters:
  ///   - input: `[C]`, `[N, C]` or `[N, C, d₁, …]` logits (the class dim is 1, or 0 for 1-d).
  ///   - target: `int64` classes of the input's shape without the class dim, or floating
  ///     probabilities of the input's shape.
  ///   - weight: `[C]`, a weight per class.
  ///   - ignoreIndex: a class-index target whose samples count for nothing.
  ///   - labelSmoothing: ε in [0, 1].
  ///   - reduction: `.mean` (default), `.sum` or `.none`.
  /// - Precondition: real floating input; the shapes fit; class-index targets are classes or
  ///   `ignoreIndex`; `labelSmoothing` is in [0, 1].
  public static func crossEntropy(
    _ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100, labelSmoothing: Double = 0,
    reduction: Reduction = .mean
  ) -> Tensor {
    let op = "nn.functional.cross_entropy"
    check(
      input.dtype.isFloatingPoint && !input.dtype.isComplex && input.rank >= 1,
      "\(op): expected a real floating input of at least 1 dim, got \(input.dtype) \(input.shape)")
    check(labelSmoothing >= 0 && labelSmoothing <= 1, "\(op): labelSmoothing must be in [0, 1], got \(labelSmoothing)")
    let classDim = input.rank == 1 ? 0 : 1
    let classes = input.shape[classDim]
    let logP = input.logSoftmax(dim: classDim)
    // The weight as a tensor that broadcasts along the class dim.
    let classWeight = weight.map { w -> Tensor in
      var shape = [Int](repeating: 1, count: input.rank)
      shape[classDim] = w.count
      return w.reshaped(shape)
    }
    if target.dtype.isFloatingPoint {
      check(
        target.shape == input.shape && target.dtype == input.dtype,
        "\(op): a floating target holds class probabilities and must have the input's shape and dtype \(input.dtype) \(input.shape), got \(target.dtype) \(target.shape); class-index targets must be int64")
      check(
        weight == nil || (weight!.shape == [classes] && weight!.dtype == input.dtype),
        "\(op): weight must be a \(input.dtype) tensor of shape [\(classes)], got \(weight!.dtype) \(weight!.shape)")
      let smoothed = labelSmoothing > 0 ? target * (1 - labelSmoothing) + labelSmoothing / Double(classes) : target
      var terms = logP * smoothed
      if let classWeight { terms = terms * classWeight }
      switch reduction {
      case .none: return -terms.sum(dim: classDim)
      case .sum: return -terms.sum()
      case .mean: return -terms.sum() / Double(input.count / Swift.max(classes, 1))
      case .batchMean: return reduce(terms, reduction, op: op)
      }
    }
    let s = ClassSelection(logP, target, weight: weight, ignoreIndex: ignoreIndex, op: op)
    let nll = weightedNLL(s, reduction: reduction, op: op)
    guard labelSmoothing > 0 else { return nll }
    let smooth = -(classWeight.map { logP * $0 } ?? logP).sum(dim: classDim).keeping(s.kept)
    let reduced = reduction == .mean ? smooth.sum() / s.weights.sum() : reduce(smooth, reduction, op: op)
    return (1 - labelSmoothing) * nll + reduced * (labelSmoothing / Double(classes))
  }
}

extension NN {
  /// The cross entropy of linearly transformed inputs, like
  /// `torch.nn.functional.linear_cross_entropy`: with `linearWeight` `[C, d₁…, in]`,
  /// ```
  /// logits = linear(input, linearWeight as [C·d₁…, in], linearBias) as [*, C, d₁…]
  /// loss   = crossEntropy(logits, target, …)
  /// ```
  /// (PyTorch's reference implementation, without its chunked path).
  ///
  /// Derivative: the rules of ``linear(_:weight:bias:)`` and
  /// ``crossEntropy(_:_:weight:ignoreIndex:labelSmoothing:reduction:)``.
  /// - Parameters:
  ///   - input: `[*, in]`.
  ///   - linearWeight: `[C, in]` or `[C, d₁…, in]` for a K-dimensional loss.
  ///   - target: class indices or probabilities, as for `crossEntropy` of the logits.
  ///   - linearBias: `[C]` or `[C, d₁…]`.
  ///   - weight: as for `crossEntropy`.
  ///   - ignoreIndex: as for `crossEntropy`.
  ///   - labelSmoothing: as for `crossEntropy`.
  ///   - reduction: as for `crossEntropy`.
  /// - Precondition: a weight of at least 2 dims whose last matches the input's; the
  ///   preconditions of `linear` and `crossEntropy`.
  public static func linearCrossEntropy(
    _ input: Tensor, linearWeight: Tensor, target: Tensor, linearBias: Tensor? = nil, weight: Tensor? = nil, ignoreIndex: Int = -100,
    labelSmoothing: Double = 0, reduction: Reduction = .mean
  ) -> Tensor {
    check(
      linearWeight.rank >= 2 && input.rank >= 1 && input.shape.last == linearWeight.shape.last
        && (linearBias == nil || linearBias!.shape == Array(linearWeight.shape.dropLast())),
      "nn.functional.linear_cross_entropy: expected an input [*, in], a linear weight [C, d…, in] and a bias [C, d…], got \(input.shape), \(linearWeight.shape) and \(linearBias.map { "\($0.shape)" } ?? "none")")
    let features = linearWeight.shape[linearWeight.rank - 1]
    let logits = linear(input, weight: linearWeight.reshaped([-1, features]), bias: linearBias?.reshaped([-1]))
      .reshaped(Array(input.shape.dropLast()) + Array(linearWeight.shape.dropLast()))
    return crossEntropy(logits, target, weight: weight, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing, reduction: reduction)
  }
}
