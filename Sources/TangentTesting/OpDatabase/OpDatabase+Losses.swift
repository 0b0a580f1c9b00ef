import Tangent

extension OpDatabase {
  /// The losses of ``NN``.
  static let nnLosses: [OpInfo] = [
    pointwiseLoss("NN.mseLoss", torch: "nn.functional.mse_loss", reductionIndex: 4) { NN.mseLoss($0, $1, reduction: $2) },
    pointwiseLoss("NN.l1Loss", torch: "nn.functional.l1_loss", dtypes: [.float64, .complex128], reductionIndex: 4) {
      NN.l1Loss($0, $1, reduction: $2)
    },
    pointwiseLoss("NN.huberLoss", torch: "nn.functional.huber_loss", reductionIndex: 2, extra: { c in
      let delta = try c.double(3, "delta", default: 1)
      return { NN.huberLoss($0, $1, delta: delta, reduction: $2) }
    }) { NN.huberLoss($0, $1, delta: 0.7, reduction: $2) },
    pointwiseLoss("NN.smoothL1Loss", torch: "nn.functional.smooth_l1_loss", reductionIndex: 4, extra: { c in
      let beta = try c.double(5, "beta", default: 1)
      return { NN.smoothL1Loss($0, $1, beta: beta, reduction: $2) }
    }) { NN.smoothL1Loss($0, $1, beta: 0.6, reduction: $2) },
    OpInfo("NN.binaryCrossEntropy", torch: ["nn.functional.binary_cross_entropy"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4] mean", [rng.tensor([3, 4], dtype: dtype, in: 0.1...0.9), rng.tensor([3, 4], dtype: dtype, in: 0...1)]) {
          [NN.binaryCrossEntropy($0[0], $0[1])]
        },
        OpSample("weight [4], sum", [
          rng.tensor([3, 4], dtype: dtype, in: 0.1...0.9), rng.tensor([3, 4], dtype: dtype, in: 0...1), rng.tensor([4], dtype: dtype, in: 0.5...2),
        ]) { [NN.binaryCrossEntropy($0[0], $0[1], weight: $0[2], reduction: .sum)] },
        OpSample("[5] none", [rng.tensor([5], dtype: dtype, in: 0.1...0.9), rng.tensor([5], dtype: dtype, in: 0...1)]) {
          [NN.binaryCrossEntropy($0[0], $0[1], reduction: .none)]
        },
      ]
    }, golden: { c in
      [NN.binaryCrossEntropy(try c.tensor(0), try c.tensor(1), weight: try c.optionalTensor(2), reduction: try c.reduction(5))]
    }),
    OpInfo("NN.binaryCrossEntropyWithLogits", torch: ["nn.functional.binary_cross_entropy_with_logits"], dtypes: [.float64],
           samples: { dtype, rng in
      [
        OpSample("[3, 4] mean", [rng.tensor([3, 4], dtype: dtype, in: -3...3), rng.tensor([3, 4], dtype: dtype, in: 0...1)]) {
          [NN.binaryCrossEntropyWithLogits($0[0], $0[1])]
        },
        OpSample("weight and posWeight [4], none", [
          rng.tensor([3, 4], dtype: dtype, in: -3...3), rng.tensor([3, 4], dtype: dtype, in: 0...1),
          rng.tensor([3, 1], dtype: dtype, in: 0.5...2), rng.tensor([4], dtype: dtype, in: 0.5...3),
        ]) { [NN.binaryCrossEntropyWithLogits($0[0], $0[1], weight: $0[2], posWeight: $0[3], reduction: .none)] },
      ]
    }, golden: { c in
      let posWeight = try c.optionalTensor(6)
      return [NN.binaryCrossEntropyWithLogits(
        try c.tensor(0), try c.tensor(1), weight: try c.optionalTensor(2), posWeight: posWeight, reduction: try c.reduction(5))]
    }),
    OpInfo("NN.klDiv", torch: ["nn.functional.kl_div"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4] batchmean", [rng.tensor([3, 4], dtype: dtype, in: -2...0), rng.tensor([3, 4], dtype: dtype, in: 0.05...1)]) {
          [NN.klDiv($0[0], $0[1], reduction: .batchMean)]
        },
        OpSample("logTarget, none", [rng.tensor([2, 3], dtype: dtype, in: -2...0), rng.tensor([2, 3], dtype: dtype, in: -2...0)]) {
          [NN.klDiv($0[0], $0[1], logTarget: true, reduction: .none)]
        },
        OpSample("broadcast target, mean", [rng.tensor([2, 3], dtype: dtype, in: -2...0), rng.tensor([3], dtype: dtype, in: 0.05...1)]) {
          [NN.klDiv($0[0], $0[1])]
        },
      ]
    }, golden: { c in
      [NN.klDiv(try c.tensor(0), try c.tensor(1), logTarget: try c.bool(5, "log_target", default: false), reduction: try c.reduction(4))]
    }),
    OpInfo("NN.nllLoss", torch: ["nn.functional.nll_loss"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[5, 4] mean", [rng.tensor([5, 4], dtype: dtype), rng.classes([5], below: 4)]) { [NN.nllLoss($0[0], $0[1])] },
        OpSample("weight, ignoreIndex 2, mean", [rng.tensor([6, 3], dtype: dtype), Tensor([0, 2, 1, 2, 0, 1] as [Int64]), rng.tensor([3], dtype: dtype, in: 0.5...2)]) {
          [NN.nllLoss($0[0], $0[1], weight: $0[2], ignoreIndex: 2)]
        },
        OpSample("[2, 3, 4] none", [rng.tensor([2, 3, 4], dtype: dtype), rng.classes([2, 4], below: 3)]) {
          [NN.nllLoss($0[0], $0[1], reduction: .none)]
        },
        OpSample("[4] sum", [rng.tensor([4], dtype: dtype), Tensor(Int64(2))]) { [NN.nllLoss($0[0], $0[1], reduction: .sum)] },
      ]
    }, golden: { c in
      [NN.nllLoss(
        try c.tensor(0), try c.tensor(1), weight: try c.optionalTensor(2), ignoreIndex: try c.int(4, "ignore_index", default: -100),
        reduction: try c.reduction(6))]
    }).withEdgeSamples(classLossEdges { NN.nllLoss($0, $1, reduction: $2) }),
    OpInfo("NN.crossEntropy", torch: ["nn.functional.cross_entropy"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[5, 4] classes", [rng.tensor([5, 4], dtype: dtype), rng.classes([5], below: 4)]) { [NN.crossEntropy($0[0], $0[1])] },
        OpSample("classes, weight, ignoreIndex, smoothing", [
          rng.tensor([6, 3], dtype: dtype), Tensor([0, 2, 1, 2, 0, 1] as [Int64]), rng.tensor([3], dtype: dtype, in: 0.5...2),
        ]) { [NN.crossEntropy($0[0], $0[1], weight: $0[2], ignoreIndex: 1, labelSmoothing: 0.2)] },
        OpSample("[2, 3, 2] classes, smoothing, none", [rng.tensor([2, 3, 2], dtype: dtype), rng.classes([2, 2], below: 3)]) {
          [NN.crossEntropy($0[0], $0[1], labelSmoothing: 0.1, reduction: .none)]
        },
        OpSample("[4, 3] probabilities, weight, smoothing", [
          rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype, in: 0...1), rng.tensor([3], dtype: dtype, in: 0.5...2),
        ]) { [NN.crossEntropy($0[0], $0[1], weight: $0[2], labelSmoothing: 0.1)] },
        OpSample("[3] probabilities, sum", [rng.tensor([3], dtype: dtype), rng.tensor([3], dtype: dtype, in: 0...1)]) {
          [NN.crossEntropy($0[0], $0[1], reduction: .sum)]
        },
      ]
    }, golden: { c in
      [NN.crossEntropy(
        try c.tensor(0), try c.tensor(1), weight: try c.optionalTensor(2), ignoreIndex: try c.int(4, "ignore_index", default: -100),
        labelSmoothing: try c.double(7, "label_smoothing", default: 0), reduction: try c.reduction(6))]
    }).withEdgeSamples(classLossEdges { NN.crossEntropy($0, $1, reduction: $2) }),
  ]

  /// Edge samples of a loss with class-index targets: an empty batch (`sum` and `none`; its
  /// mean is NaN, as in PyTorch), one sample of one class, and empty spatial dims.
  static func classLossEdges(
    _ f: @escaping @Sendable (Tensor, Tensor, NN.Reduction) -> Tensor
  ) -> @Sendable (DType, inout TestRandom) -> [OpSample] {
    { dtype, rng in
      let cases: [([Int], [Int], NN.Reduction)] = [
        ([0, 4], [0], .sum), ([0, 4], [0], .none), ([1, 1], [1], .mean), ([1], [], .mean), ([2, 3, 0], [2, 0], .none),
      ]
      return cases.map { input, target, reduction in
        OpSample("edge \(input) with \(target) targets, \(reduction)", [rng.tensor(input, dtype: dtype), rng.classes(target, below: input.count == 1 ? input[0] : input[1])]) {
          [f($0[0], $0[1], reduction)]
        }
      }
    }
  }

  /// The cross entropy of a linear map of the inputs (after `nnLosses`' cross entropy).
  static let nnLinearCrossEntropy = OpInfo(
    "NN.linearCrossEntropy", torch: ["nn.functional.linear_cross_entropy"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[5, 4] with [3, 4], classes", [rng.tensor([5, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype), rng.classes([5], below: 3)]) {
          [NN.linearCrossEntropy($0[0], linearWeight: $0[1], target: $0[2])]
        },
        OpSample("bias, class weight, smoothing, sum", [
          rng.tensor([4, 3], dtype: dtype), rng.tensor([2, 3], dtype: dtype), Tensor([0, 1, 1, 0] as [Int64]), rng.tensor([2], dtype: dtype),
          rng.tensor([2], dtype: dtype, in: 0.5...2),
        ]) { [NN.linearCrossEntropy($0[0], linearWeight: $0[1], target: $0[2], linearBias: $0[3], weight: $0[4], labelSmoothing: 0.1, reduction: .sum)] },
        OpSample("[3, 2] with [4, 2], probabilities, none", [
          rng.tensor([3, 2], dtype: dtype), rng.tensor([4, 2], dtype: dtype), rng.tensor([3, 4], dtype: dtype, in: 0...1),
        ]) { [NN.linearCrossEntropy($0[0], linearWeight: $0[1], target: $0[2], reduction: .none)] },
      ]
    }, golden: { c in
      // Golden cases carry tensors positionally only; the keyword-only bias and class weight
      // are not read.
      for name in ["options", "linear_bias", "weight"] { try c.expectDefault(name) { _ in false } }
      return [NN.linearCrossEntropy(
        try c.tensor(0), linearWeight: try c.tensor(1), target: try c.tensor(2), ignoreIndex: try c.optionalInt(nil, "ignore_index") ?? -100,
        labelSmoothing: try c.double(nil, "label_smoothing", default: 0), reduction: try c.reduction(3))]
    })

  /// A record for a loss of two broadcasting operands: samples with each reduction and a
  /// broadcast target. `extra` reads the loss's own keywords from a golden case.
  static func pointwiseLoss(
    _ name: String, torch: String, dtypes: Set<DType> = [.float64], reductionIndex: Int,
    extra: (@Sendable (GoldenCall) throws -> @Sendable (Tensor, Tensor, NN.Reduction) -> Tensor)? = nil,
    _ f: @escaping @Sendable (Tensor, Tensor, NN.Reduction) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: [torch], dtypes: dtypes, samples: { dtype, rng in
      [
        OpSample("[3, 4] mean", [rng.tensor([3, 4], dtype: dtype, in: -2...2), rng.tensor([3, 4], dtype: dtype, in: -2...2)]) {
          [f($0[0], $0[1], .mean)]
        },
        OpSample("[3, 4] with [4], sum", [rng.tensor([3, 4], dtype: dtype, in: -2...2), rng.tensor([4], dtype: dtype, in: -2...2)]) {
          [f($0[0], $0[1], .sum)]
        },
        OpSample("[2, 3] none", [rng.tensor([2, 3], dtype: dtype, in: -2...2), rng.tensor([2, 3], dtype: dtype, in: -2...2)]) {
          [f($0[0], $0[1], .none)]
        },
      ]
    }, golden: { c in
      let g = try extra?(c) ?? f
      return [g(try c.tensor(0), try c.tensor(1), try c.reduction(reductionIndex))]
    }).withEdgeSamples { dtype, rng in
      // 0-d and size-1 operands; empty ones with `sum` and `none` (their mean is NaN, as in PyTorch).
      let cases: [([Int], [Int], NN.Reduction)] = [([], [], .mean), ([1], [1], .mean), ([0, 3], [0, 3], .sum), ([0, 3], [3], .none), ([2, 1], [], .sum)]
      return cases.map { a, b, reduction in
        OpSample("edge \(a) with \(b), \(reduction)", [rng.tensor(a, dtype: dtype, in: -2...2), rng.tensor(b, dtype: dtype, in: -2...2)]) {
          [f($0[0], $0[1], reduction)]
        }
      }
    }
  }

  /// The margin, embedding and likelihood losses of ``NN``. Labels ±1 that the losses only
  /// compare are constants of the samples, not inputs (perturbing them changes the branch).
  static let nnMarginLosses: [OpInfo] = [
    OpInfo("NN.hingeEmbeddingLoss", torch: ["nn.functional.hinge_embedding_loss"], dtypes: [.float64], samples: { dtype, rng in
      let y = rng.signs([3, 4], dtype: dtype), row = rng.signs([4], dtype: dtype)
      return [
        OpSample("[3, 4] mean", [rng.tensor([3, 4], dtype: dtype, in: -2...2, avoiding: [1])]) { [NN.hingeEmbeddingLoss($0[0], y)] },
        OpSample("broadcast labels, margin 0.5, sum", [rng.tensor([3, 4], dtype: dtype, in: -2...2, avoiding: [0.5])]) {
          [NN.hingeEmbeddingLoss($0[0], row, margin: 0.5, reduction: .sum)]
        },
        OpSample("none", [rng.tensor([3, 4], dtype: dtype, in: -2...2, avoiding: [1])]) { [NN.hingeEmbeddingLoss($0[0], y, reduction: .none)] },
      ]
    }, golden: { c in
      [NN.hingeEmbeddingLoss(try c.tensor(0), try c.tensor(1), margin: try c.double(2, "margin", default: 1), reduction: try c.reduction(5))]
    }),
    OpInfo("NN.marginRankingLoss", torch: ["nn.functional.margin_ranking_loss"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[5] mean", [rng.tensor([5], dtype: dtype, in: -2...2), rng.tensor([5], dtype: dtype, in: -2...2), rng.signs([5], dtype: dtype)]) {
          [NN.marginRankingLoss($0[0], $0[1], $0[2], margin: 0.1)]
        },
        OpSample("[3, 4] none, margin 0.5", [
          rng.tensor([3, 4], dtype: dtype, in: -2...2), rng.tensor([3, 4], dtype: dtype, in: -2...2), rng.signs([3, 4], dtype: dtype),
        ]) { [NN.marginRankingLoss($0[0], $0[1], $0[2], margin: 0.5, reduction: .none)] },
      ]
    }, golden: { c in
      [NN.marginRankingLoss(
        try c.tensor(0), try c.tensor(1), try c.tensor(2), margin: try c.double(3, "margin", default: 0), reduction: try c.reduction(6))]
    }),
    OpInfo("NN.softMarginLoss", torch: ["nn.functional.soft_margin_loss"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4] mean", [rng.tensor([3, 4], dtype: dtype, in: -2...2), rng.signs([3, 4], dtype: dtype)]) { [NN.softMarginLoss($0[0], $0[1])] },
        OpSample("[2, 3] with [3], none", [rng.tensor([2, 3], dtype: dtype, in: -2...2), rng.signs([3], dtype: dtype)]) {
          [NN.softMarginLoss($0[0], $0[1], reduction: .none)]
        },
      ]
    }, golden: { c in [NN.softMarginLoss(try c.tensor(0), try c.tensor(1), reduction: try c.reduction(4))] }),
    OpInfo("NN.multilabelSoftMarginLoss", torch: ["nn.functional.multilabel_soft_margin_loss"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4] mean", [rng.tensor([3, 4], dtype: dtype, in: -2...2), rng.tensor([3, 4], dtype: dtype, in: 0...1)]) {
          [NN.multilabelSoftMarginLoss($0[0], $0[1])]
        },
        OpSample("weight [4], none", [
          rng.tensor([3, 4], dtype: dtype, in: -2...2), rng.tensor([3, 4], dtype: dtype, in: 0...1), rng.tensor([4], dtype: dtype, in: 0.5...2),
        ]) { [NN.multilabelSoftMarginLoss($0[0], $0[1], weight: $0[2], reduction: .none)] },
        OpSample("[5] sum", [rng.tensor([5], dtype: dtype, in: -2...2), rng.tensor([5], dtype: dtype, in: 0...1)]) {
          [NN.multilabelSoftMarginLoss($0[0], $0[1], reduction: .sum)]
        },
      ]
    }, golden: { c in
      [NN.multilabelSoftMarginLoss(try c.tensor(0), try c.tensor(1), weight: try c.optionalTensor(2), reduction: try c.reduction(5))]
    }),
    OpInfo("NN.cosineEmbeddingLoss", torch: ["nn.functional.cosine_embedding_loss"], dtypes: [.float64], samples: { dtype, rng in
      let y = rng.signs([4], dtype: dtype)
      return [
        OpSample("[4, 3] mean", [rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype)]) { [NN.cosineEmbeddingLoss($0[0], $0[1], y)] },
        OpSample("[4, 3] margin -0.5, none", [rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype)]) {
          [NN.cosineEmbeddingLoss($0[0], $0[1], y, margin: -0.5, reduction: .none)]
        },
        OpSample("[5] with label -1", [rng.tensor([5], dtype: dtype), rng.tensor([5], dtype: dtype)]) {
          [NN.cosineEmbeddingLoss($0[0], $0[1], Tensor(-1.0).converted(to: dtype), margin: -1)]
        },
      ]
    }, golden: { c in
      [NN.cosineEmbeddingLoss(
        try c.tensor(0), try c.tensor(1), try c.tensor(2), margin: try c.double(3, "margin", default: 0), reduction: try c.reduction(6))]
    }),
    OpInfo("NN.tripletMarginLoss", torch: ["nn.functional.triplet_margin_loss"], dtypes: [.float64, .complex128], samples: { dtype, rng in
      [
        OpSample("[4, 3] mean, margin 2", [rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype)]) {
          [NN.tripletMarginLoss($0[0], $0[1], $0[2], margin: 2)]
        },
        OpSample("p 1, swap, margin 3, none", [rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype)]) {
          [NN.tripletMarginLoss($0[0], $0[1], $0[2], margin: 3, p: 1, swap: true, reduction: .none)]
        },
        OpSample("[3] sum", [rng.tensor([3], dtype: dtype), rng.tensor([3], dtype: dtype), rng.tensor([3], dtype: dtype)]) {
          [NN.tripletMarginLoss($0[0], $0[1], $0[2], margin: 4, reduction: .sum)]
        },
      ]
    }, golden: { c in
      [NN.tripletMarginLoss(
        try c.tensor(0), try c.tensor(1), try c.tensor(2), margin: try c.double(3, "margin", default: 1), p: try c.double(4, "p", default: 2),
        eps: try c.double(5, "eps", default: 1e-6), swap: try c.bool(6, "swap", default: false), reduction: try c.reduction(9))]
    }),
    OpInfo("NN.tripletMarginWithDistanceLoss", torch: ["nn.functional.triplet_margin_with_distance_loss"], dtypes: [.float64],
           samples: { dtype, rng in
      [
        OpSample("[4, 3] default distance, margin 2", [rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype)]) {
          [NN.tripletMarginWithDistanceLoss($0[0], $0[1], $0[2], margin: 2)]
        },
        OpSample("1 − cosine similarity, swap, none", [
          rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype),
        ]) {
          [NN.tripletMarginWithDistanceLoss($0[0], $0[1], $0[2], distance: { 1 - NN.cosineSimilarity($0, $1) }, margin: 3, swap: true, reduction: .none)]
        },
      ]
    }, golden: { c in
      try c.expectDefault("distance_function") { _ in false }
      return [NN.tripletMarginWithDistanceLoss(
        try c.tensor(0), try c.tensor(1), try c.tensor(2), margin: try c.double(nil, "margin", default: 1),
        swap: try c.bool(nil, "swap", default: false), reduction: try c.reduction(3))]
    }),
    OpInfo("NN.poissonNLLLoss", torch: ["nn.functional.poisson_nll_loss"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4] log input, mean", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype, in: 0...4)]) {
          [NN.poissonNLLLoss($0[0], $0[1])]
        },
        OpSample("rates, full, none", [rng.tensor([3, 4], dtype: dtype, in: 0.2...3), rng.tensor([3, 4], dtype: dtype, in: 0.2...4, avoiding: [1])]) {
          [NN.poissonNLLLoss($0[0], $0[1], logInput: false, full: true, reduction: .none)]
        },
        OpSample("full, broadcast target, sum", [rng.tensor([2, 3], dtype: dtype), rng.tensor([3], dtype: dtype, in: 0.2...4, avoiding: [1])]) {
          [NN.poissonNLLLoss($0[0], $0[1], full: true, reduction: .sum)]
        },
      ]
    }, golden: { c in
      [NN.poissonNLLLoss(
        try c.tensor(0), try c.tensor(1), logInput: try c.bool(2, "log_input", default: true), full: try c.bool(3, "full", default: false),
        eps: try c.double(5, "eps", default: 1e-8), reduction: try c.reduction(7))]
    }),
    OpInfo("NN.gaussianNLLLoss", torch: ["nn.functional.gaussian_nll_loss"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4] mean", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype, in: 0.3...2)]) {
          [NN.gaussianNLLLoss($0[0], $0[1], variance: $0[2])]
        },
        OpSample("variance [3, 1], full, none", [
          rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 1], dtype: dtype, in: 0.3...2),
        ]) { [NN.gaussianNLLLoss($0[0], $0[1], variance: $0[2], full: true, reduction: .none)] },
        OpSample("variance [3], sum", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype), rng.tensor([3], dtype: dtype, in: 0.3...2)]) {
          [NN.gaussianNLLLoss($0[0], $0[1], variance: $0[2], reduction: .sum)]
        },
      ]
    }, golden: { c in
      [NN.gaussianNLLLoss(
        try c.tensor(0), try c.tensor(1), variance: try c.tensor(2), full: try c.bool(3, "full", default: false),
        eps: try c.double(4, "eps", default: 1e-6), reduction: try c.reduction(5))]
    }),
  ]
}
