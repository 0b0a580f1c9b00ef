import Tangent

extension OpDatabase {
  /// The `nn.functional` ops of ``NN``.
  static let nn: [OpInfo] = (nnBasics + nnLosses + [nnLinearCrossEntropy] + nnMarginLosses + nnNormalization + nnNativeNormalization + nnConvolution + nnPooling + nnChannels + nnTransposed + nnRandom + nnLayers)
    .map { $0.deviating(nnPytorchDeviations[$0.name] ?? [:]) }

  /// Golden fields where PyTorch's value is wrong: its second forward derivative of the
  /// normalisations treats the saved mean and 1/σ as constants (a NumPy copy of its formula
  /// with them frozen reproduces its numbers exactly). The conformance runner checks Tangent
  /// against finite differences for these fields instead.
  static let nnPytorchDeviations: [String: [String: String]] = [
    "NN.layerNorm": ["jvp_of_jvp": frozenStatistics],
    "NN.batchNorm": ["jvp_of_jvp": frozenStatistics],
  ]
  static let frozenStatistics = "torch 2.13's forward-over-forward of the normalisation treats the saved mean and 1/σ as constants"

  /// Linear maps, normalisation to unit norm and distances.
  static let nnBasics: [OpInfo] = [
    OpInfo("NN.linear", torch: ["nn.functional.linear"], samples: { dtype, rng in
      [
        OpSample("[5, 4] with [3, 4] and bias", [rng.tensor([5, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype), rng.tensor([3], dtype: dtype)]) {
          [NN.linear($0[0], weight: $0[1], bias: $0[2])]
        },
        OpSample("[2, 3, 4] with [5, 4]", [rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([5, 4], dtype: dtype)]) {
          [NN.linear($0[0], weight: $0[1])]
        },
        OpSample("[4] with [3, 4]", [rng.tensor([4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) { [NN.linear($0[0], weight: $0[1])] },
        OpSample("1-d weight, 0-d bias", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype), rng.tensor([], dtype: dtype)]) {
          [NN.linear($0[0], weight: $0[1], bias: $0[2])]
        },
      ]
    }, golden: { c in
      [NN.linear(try c.tensor(0), weight: try c.tensor(1), bias: try c.optionalTensor(2, "bias"))]
    }),
    OpInfo("NN.bilinear", torch: ["nn.functional.bilinear"], samples: { dtype, rng in
      [
        OpSample("[5, 3], [5, 4], [2, 3, 4], bias", [
          rng.tensor([5, 3], dtype: dtype), rng.tensor([5, 4], dtype: dtype), rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([2], dtype: dtype),
        ]) { [NN.bilinear($0[0], $0[1], weight: $0[2], bias: $0[3])] },
        OpSample("batch [2, 2]", [rng.tensor([2, 2, 3], dtype: dtype), rng.tensor([2, 2, 2], dtype: dtype), rng.tensor([3, 3, 2], dtype: dtype)]) {
          [NN.bilinear($0[0], $0[1], weight: $0[2])]
        },
        OpSample("vectors", [rng.tensor([3], dtype: dtype), rng.tensor([2], dtype: dtype), rng.tensor([2, 3, 2], dtype: dtype)]) {
          [NN.bilinear($0[0], $0[1], weight: $0[2])]
        },
      ]
    }, golden: { c in
      [NN.bilinear(try c.tensor(0), try c.tensor(1), weight: try c.tensor(2), bias: try c.optionalTensor(3, "bias"))]
    }),
    OpInfo("NN.normalize", torch: ["nn.functional.normalize"], samples: { dtype, rng in
      [
        OpSample("[3, 4] dim -1", [rng.tensor([3, 4], dtype: dtype)]) { [NN.normalize($0[0], dim: -1)] },
        OpSample("[2, 3, 4] dim 1", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.normalize($0[0])] },
        OpSample("p 3, dim 0", [rng.tensor([3, 2], dtype: dtype, in: 0.5...2)]) { [NN.normalize($0[0], p: 3, dim: 0)] },
      ]
    }, golden: { c in
      try c.expectDefault("out") { _ in false }
      return [NN.normalize(
        try c.tensor(0), p: try c.double(1, "p", default: 2), dim: try c.int(2, "dim", default: 1),
        eps: try c.double(3, "eps", default: 1e-12))]
    }),
    OpInfo("NN.cosineSimilarity", torch: ["nn.functional.cosine_similarity"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4] dim -1", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) {
          [NN.cosineSimilarity($0[0], $0[1], dim: -1)]
        },
        OpSample("broadcast [2, 1, 4] with [3, 4]", [rng.tensor([2, 1, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) {
          [NN.cosineSimilarity($0[0], $0[1], dim: -1)]
        },
        OpSample("[4, 3] dim 1", [rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype)]) { [NN.cosineSimilarity($0[0], $0[1])] },
      ]
    }, golden: { c in
      [NN.cosineSimilarity(
        try c.tensor(0), try c.tensor(1), dim: try c.int(2, "dim", default: 1), eps: try c.double(3, "eps", default: 1e-8))]
    }),
    OpInfo("NN.pairwiseDistance", torch: ["nn.functional.pairwise_distance"], samples: { dtype, rng in
      [
        OpSample("[3, 4] with [3, 4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) {
          [NN.pairwiseDistance($0[0], $0[1])]
        },
        OpSample("broadcast [4] with [3, 4], keepdim", [rng.tensor([4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) {
          [NN.pairwiseDistance($0[0], $0[1], keepdim: true)]
        },
        OpSample("p 3", [rng.tensor([2, 5], dtype: dtype), rng.tensor([2, 5], dtype: dtype)]) { [NN.pairwiseDistance($0[0], $0[1], p: 3)] },
      ]
    }, golden: { c in
      [NN.pairwiseDistance(
        try c.tensor(0), try c.tensor(1), p: try c.double(2, "p", default: 2), eps: try c.double(3, "eps", default: 1e-6),
        keepdim: try c.bool(4, "keepdim", default: false))]
    }),
  ]
}

extension GoldenCall {
  /// PyTorch's `reduction` argument (the legacy `size_average` and `reduce` must be null).
  func reduction(_ index: Int) throws -> NN.Reduction {
    try expectDefault("size_average") { _ in false }
    try expectDefault("reduce") { _ in false }
    let text = try string(index, "reduction", default: "mean") ?? "mean"
    guard let r = NN.Reduction(rawValue: text) else { throw ConformanceError.unsupportedArgument("\(op): reduction \(text)") }
    return r
  }

  /// PyTorch's `int | tuple` size arguments, or `nil` when absent, null or empty.
  func sizes(_ index: Int, _ name: String) throws -> NN.Sizes? {
    guard let v = try ints(index, name), !v.isEmpty else { return nil }
    return NN.Sizes(v)
  }

  /// A convolution's `padding` given as a string (`"same"` or `"valid"`), or `nil` when it is
  /// a number or a list.
  func namedPadding(_ index: Int) throws -> NN.ConvolutionPadding? {
    guard case .string(let name)? = value(index, "padding") else { return nil }
    guard let mode = NN.ConvolutionPadding(rawValue: name) else {
      throw ConformanceError.unsupportedArgument("\(op): padding \"\(name)\" is not supported")
    }
    return mode
  }

  /// `interpolate`'s `scale_factor`: one number or a list (absent or null → nil).
  func scaleFactors(_ index: Int) throws -> [Double]? {
    switch value(index, "scale_factor") {
    case .number(let d)?: return [d]
    case .array(let a)?:
      return try a.map {
        guard let d = $0.number else { throw ConformanceError.unsupportedArgument("\(op): scale_factor has \($0)") }
        return d
      }
    case .null?, nil: return nil
    case let v?: throw ConformanceError.unsupportedArgument("\(op): scale_factor is \(v)")
    }
  }

  /// A size argument with a default.
  func sizes(_ index: Int, _ name: String, default value: Int) throws -> NN.Sizes { try sizes(index, name) ?? NN.Sizes(value) }

  /// An adaptive pool's `output_size` for `count` spatial dims: one number for all, or one
  /// per dim (null keeps the input's size).
  func outputSize(_ index: Int, count: Int) throws -> [Int?] {
    guard let sizes = try openSizes(index, "output_size", count: count) else {
      throw ConformanceError.invalidCase("\(op): missing output_size")
    }
    return sizes
  }

  /// The value of a single-valued size argument (an integer or a 1-tuple).
  func size(_ index: Int, _ name: String) throws -> Int? {
    guard let v = try sizes(index, name)?.values else { return nil }
    guard v.count == 1 else { throw ConformanceError.unsupportedArgument("\(op): \(name) \(v) must have one value") }
    return v[0]
  }

  /// A required single-valued size argument.
  func requiredSize(_ index: Int, _ name: String) throws -> Int {
    guard let v = try size(index, name) else { throw ConformanceError.invalidCase("\(op): missing \(name)") }
    return v
  }

  /// The positional tensor at `index`, or `nil` when it is absent or null.

  /// A fractional max pool's `_random_samples` (required: PyTorch's random stream cannot be
  /// reproduced) and `output_ratio` (one number or one per dim).
  func fractionalPoolArguments() throws -> (samples: Tensor, ratio: [Double]?) {
    try expectDefault("return_indices") { $0.bool == false }
    guard let samples = try optionalTensor(5) else {
      throw ConformanceError.unsupportedArgument("\(op): without _random_samples it draws from PyTorch's random stream")
    }
    let ratio = try doubles(3, "output_ratio")
    return (samples, ratio)
  }
}

extension TestRandom {
  /// An `int64` tensor of `shape` with entries uniform in `0..<bound`.
  mutating func classes(_ shape: [Int], below bound: Int) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Int64(next() % UInt64(bound)) })
  }

  /// `int64` indices for max unpooling an input of spatial `size` (after `lead` dims) with
  /// windows `kernel` that tile the output: each element goes to a random place in its own
  /// window, so no two collide.
  mutating func unpoolIndices(lead: [Int], size: [Int], kernel: Int) -> Tensor {
    let out = size.map { $0 * kernel }, count = size.reduce(1, *)
    var values: [Int64] = []
    for _ in 0..<lead.reduce(1, *) {
      for flat in 0..<count {
        var rest = flat, position = 0, stride = 1
        for d in (0..<size.count).reversed() {
          position += (rest % size[d] * kernel + Int(next() % UInt64(kernel))) * stride
          rest /= size[d]
          stride *= out[d]
        }
        values.append(Int64(position))
      }
    }
    return Tensor(shape: lead + size, scalars: values)
  }

  /// A tensor of `shape` and `dtype` with entries ±1 (labels of the margin losses).
  mutating func signs(_ shape: [Int], dtype: DType) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in next() % 2 == 0 ? 1.0 : -1.0 }).converted(to: dtype)
  }
}

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
}

extension OpDatabase {
  /// The normalisation layers of ``NN``.
  ///
  /// PyTorch's forward-over-forward goldens of `layer_norm` and `batch_norm` (training) differ
  /// from ours: its nested forward mode treats the saved mean and 1/σ as constants. Ours agree
  /// with finite differences of the JVP (the generic checks and the nn tests check them).
  static let nnNormalization: [OpInfo] = [
    OpInfo("NN.layerNorm", torch: ["nn.functional.layer_norm"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4, 5] over [5], affine", [rng.tensor([3, 4, 5], dtype: dtype), rng.tensor([5], dtype: dtype), rng.tensor([5], dtype: dtype)]) {
          [NN.layerNorm($0[0], normalizedShape: [5], weight: $0[1], bias: $0[2])]
        },
        OpSample("[2, 3, 4] over [3, 4]", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.layerNorm($0[0], normalizedShape: [3, 4])] },
      ]
    }, golden: { c in
      [NN.layerNorm(
        try c.tensor(0), normalizedShape: try c.requiredInts(1, "normalized_shape"), weight: try c.optionalTensor(2),
        bias: try c.optionalTensor(3), eps: try c.double(4, "eps", default: 1e-5))]
    }),
    OpInfo("NN.rmsNorm", torch: ["nn.functional.rms_norm"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4, 5] over [5], weight", [rng.tensor([3, 4, 5], dtype: dtype), rng.tensor([5], dtype: dtype)]) {
          [NN.rmsNorm($0[0], normalizedShape: [5], weight: $0[1])]
        },
        OpSample("[2, 3, 4] over [3, 4], eps", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.rmsNorm($0[0], normalizedShape: [3, 4], eps: 1e-3)] },
      ]
    }, golden: { c in
      [NN.rmsNorm(
        try c.tensor(0), normalizedShape: try c.requiredInts(1, "normalized_shape"), weight: try c.optionalTensor(2),
        eps: try c.optionalNumber(3, "eps"))]
    }),
    OpInfo("NN.groupNorm", torch: ["nn.functional.group_norm"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 4, 3], 2 groups, affine", [rng.tensor([2, 4, 3], dtype: dtype), rng.tensor([4], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
          [NN.groupNorm($0[0], numGroups: 2, weight: $0[1], bias: $0[2])]
        },
        OpSample("[2, 6, 2, 2], 3 groups", [rng.tensor([2, 6, 2, 2], dtype: dtype)]) { [NN.groupNorm($0[0], numGroups: 3)] },
      ]
    }, golden: { c in
      [NN.groupNorm(
        try c.tensor(0), numGroups: try c.int(1, "num_groups"), weight: try c.optionalTensor(2), bias: try c.optionalTensor(3),
        eps: try c.double(4, "eps", default: 1e-5))]
    }),
    OpInfo("NN.batchNorm", torch: ["nn.functional.batch_norm", "nn.functional.batch_norm.without_cudnn"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[4, 3, 2] training, affine", [rng.tensor([4, 3, 2], dtype: dtype), rng.tensor([3], dtype: dtype), rng.tensor([3], dtype: dtype)]) {
          [NN.batchNorm($0[0], runningMean: nil, runningVar: nil, weight: $0[1], bias: $0[2], training: true)]
        },
        OpSample("[5, 2] training", [rng.tensor([5, 2], dtype: dtype)]) { [NN.batchNorm($0[0], runningMean: nil, runningVar: nil, training: true)] },
        OpSample("[2, 3, 2, 2] evaluation", [
          rng.tensor([2, 3, 2, 2], dtype: dtype), rng.tensor([3], dtype: dtype), rng.tensor([3], dtype: dtype, in: 0.5...2), rng.tensor([3], dtype: dtype),
        ]) { [NN.batchNorm($0[0], runningMean: $0[1], runningVar: $0[2], weight: $0[3])] },
      ]
    }, golden: { c in
      let training = try c.bool(5, "training", default: false)
      let (mean, variance) = (try c.optionalTensor(1), try c.optionalTensor(2))
      if training && (mean != nil || variance != nil) {
        throw ConformanceError.unsupportedArgument("\(c.op): running statistics in training mode are updated in place")
      }
      return [NN.batchNorm(
        try c.tensor(0), runningMean: mean, runningVar: variance, weight: try c.optionalTensor(3), bias: try c.optionalTensor(4),
        training: training, momentum: try c.double(6, "momentum", default: 0.1), eps: try c.double(7, "eps", default: 1e-5))]
    }),
  ]
}

extension OpDatabase {
  /// ATen's normalisations that also return their saved statistics.
  static let nnNativeNormalization: [OpInfo] = [
    OpInfo("NN.nativeBatchNorm", torch: ["native_batch_norm", "_native_batch_norm_legit"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[4, 3, 2] training, affine", [rng.tensor([4, 3, 2], dtype: dtype), rng.tensor([3], dtype: dtype), rng.tensor([3], dtype: dtype)]) {
          let r = NN.nativeBatchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true)
          return [r.output, r.saveMean, r.saveInvstd]
        },
        OpSample("[2, 3, 2, 2] evaluation", [
          rng.tensor([2, 3, 2, 2], dtype: dtype), rng.tensor([3], dtype: dtype), rng.tensor([3], dtype: dtype, in: 0.5...2),
        ]) {
          let r = NN.nativeBatchNorm($0[0], weight: nil, bias: nil, runningMean: $0[1], runningVar: $0[2], training: false)
          return [r.output, r.saveMean, r.saveInvstd]
        },
      ]
    }, golden: { c in
      let training = try c.bool(5, "training", default: false)
      let (mean, variance) = (try c.optionalTensor(3), try c.optionalTensor(4))
      if training && (mean != nil || variance != nil) {
        throw ConformanceError.unsupportedArgument("\(c.op): running statistics in training mode are updated in place")
      }
      let r = NN.nativeBatchNorm(
        try c.tensor(0), weight: try c.optionalTensor(1), bias: try c.optionalTensor(2), runningMean: mean, runningVar: variance,
        training: training, momentum: try c.double(6, "momentum", default: 0.1), eps: try c.double(7, "eps", default: 1e-5))
      return [r.output, r.saveMean, r.saveInvstd]
    }),
    OpInfo("NN.nativeGroupNorm", torch: ["native_group_norm"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 4, 3], 2 groups, affine", [rng.tensor([2, 4, 3], dtype: dtype), rng.tensor([4], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
          let r = NN.nativeGroupNorm($0[0], weight: $0[1], bias: $0[2], numGroups: 2, eps: 1e-5)
          return [r.output, r.mean, r.rstd]
        },
      ]
    }, golden: { c in
      let r = NN.nativeGroupNorm(
        try c.tensor(0), weight: try c.optionalTensor(1), bias: try c.optionalTensor(2), numGroups: try c.int(6, "group"),
        eps: try c.double(7, "eps"))
      return [r.output, r.mean, r.rstd]
    }),
  ]
}

extension OpDatabase {
  /// The convolutions, window ops and pooling of ``NN``.
  static let nnConvolution: [OpInfo] = [
    OpInfo("NN.conv2d", torch: ["nn.functional.conv2d"], samples: { dtype, rng in
      [
        OpSample("[2, 3, 5, 4] * [4, 3, 3, 2], bias, padding 1", [
          rng.tensor([2, 3, 5, 4], dtype: dtype), rng.tensor([4, 3, 3, 2], dtype: dtype), rng.tensor([4], dtype: dtype),
        ]) { [NN.conv2d($0[0], weight: $0[1], bias: $0[2], padding: 1)] },
        OpSample("groups 2, stride 2, dilation [1, 2]", [rng.tensor([1, 4, 6, 7], dtype: dtype), rng.tensor([6, 2, 2, 2], dtype: dtype)]) {
          [NN.conv2d($0[0], weight: $0[1], stride: 2, dilation: [1, 2], groups: 2)]
        },
        OpSample("unbatched [2, 4, 4], padding [0, 1]", [rng.tensor([2, 4, 4], dtype: dtype), rng.tensor([3, 2, 3, 3], dtype: dtype)]) {
          [NN.conv2d($0[0], weight: $0[1], padding: [0, 1])]
        },
      ]
    }, golden: { c in
      if let mode = try c.namedPadding(4) {
        return [NN.conv2d(
          try c.tensor(0), weight: try c.tensor(1), bias: try c.optionalTensor(2), stride: try c.sizes(3, "stride", default: 1),
          padding: mode, dilation: try c.sizes(5, "dilation", default: 1), groups: try c.int(6, "groups", default: 1))]
      }
      return [NN.conv2d(
        try c.tensor(0), weight: try c.tensor(1), bias: try c.optionalTensor(2), stride: try c.sizes(3, "stride", default: 1),
        padding: try c.sizes(4, "padding", default: 0), dilation: try c.sizes(5, "dilation", default: 1), groups: try c.int(6, "groups", default: 1))]
    }),
    OpInfo("NN.conv1d", torch: ["nn.functional.conv1d"], samples: { dtype, rng in
      [
        OpSample("[2, 3, 9] * [4, 3, 3], bias, stride 2, padding 1", [
          rng.tensor([2, 3, 9], dtype: dtype), rng.tensor([4, 3, 3], dtype: dtype), rng.tensor([4], dtype: dtype),
        ]) { [NN.conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1)] },
        OpSample("unbatched, groups 3, dilation 2", [rng.tensor([3, 8], dtype: dtype), rng.tensor([3, 1, 2], dtype: dtype)]) {
          [NN.conv1d($0[0], weight: $0[1], dilation: 2, groups: 3)]
        },
        OpSample("padding \"same\", even kernel 4", [rng.tensor([2, 3, 7], dtype: dtype), rng.tensor([2, 3, 4], dtype: dtype)]) {
          [NN.conv1d($0[0], weight: $0[1], padding: .same)]
        },
        // PyTorch's own sample: the padded width 8 is not covered by the windows' extent 7.
        OpSample("[1, 3, 4] * [3, 3, 3], bias, stride 2, padding 2", [
          rng.tensor([1, 3, 4], dtype: dtype), rng.tensor([3, 3, 3], dtype: dtype), rng.tensor([3], dtype: dtype),
        ]) { [NN.conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 2)] },
      ]
    }, golden: { c in
      if let mode = try c.namedPadding(4) {
        return [NN.conv1d(
          try c.tensor(0), weight: try c.tensor(1), bias: try c.optionalTensor(2), stride: try c.size(3, "stride") ?? 1,
          padding: mode, dilation: try c.size(5, "dilation") ?? 1, groups: try c.int(6, "groups", default: 1))]
      }
      // Sizes may come as 1-tuples (`stride=(2,)`), as in PyTorch's own samples.
      return [NN.conv1d(
        try c.tensor(0), weight: try c.tensor(1), bias: try c.optionalTensor(2), stride: try c.size(3, "stride") ?? 1,
        padding: try c.size(4, "padding") ?? 0, dilation: try c.size(5, "dilation") ?? 1, groups: try c.int(6, "groups", default: 1))]
    }),
    OpInfo("NN.convTranspose2d", torch: ["nn.functional.conv_transpose2d"], samples: { dtype, rng in
      [
        OpSample("[1, 3, 4, 4] * [3, 2, 3, 3], stride 2", [rng.tensor([1, 3, 4, 4], dtype: dtype), rng.tensor([3, 2, 3, 3], dtype: dtype)]) {
          [NN.convTranspose2d($0[0], weight: $0[1], stride: 2)]
        },
        OpSample("bias, padding 1, outputPadding 1, groups 2", [
          rng.tensor([2, 4, 3, 2], dtype: dtype), rng.tensor([4, 1, 2, 3], dtype: dtype), rng.tensor([2], dtype: dtype),
        ]) { [NN.convTranspose2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1, outputPadding: 1, groups: 2)] },
        OpSample("dilation 2, outputPadding [0, 1]", [rng.tensor([1, 2, 3, 3], dtype: dtype), rng.tensor([2, 2, 2, 2], dtype: dtype)]) {
          [NN.convTranspose2d($0[0], weight: $0[1], outputPadding: [0, 1], dilation: 2)]
        },
      ]
    }, golden: { c in
      [NN.convTranspose2d(
        try c.tensor(0), weight: try c.tensor(1), bias: try c.optionalTensor(2), stride: try c.sizes(3, "stride", default: 1),
        padding: try c.sizes(4, "padding", default: 0), outputPadding: try c.sizes(5, "output_padding", default: 0),
        groups: try c.int(6, "groups", default: 1), dilation: try c.sizes(7, "dilation", default: 1))]
    }),
    OpInfo("NN.unfold", torch: ["nn.functional.unfold"], samples: { dtype, rng in
      [
        OpSample("[1, 2, 4, 4] kernel 2", [rng.tensor([1, 2, 4, 4], dtype: dtype)]) { [NN.unfold($0[0], kernelSize: 2)] },
        OpSample("[2, 2, 5, 4] kernel [2, 3], dilation [2, 1], padding 1, stride [1, 2]", [rng.tensor([2, 2, 5, 4], dtype: dtype)]) {
          [NN.unfold($0[0], kernelSize: [2, 3], dilation: [2, 1], padding: 1, stride: [1, 2])]
        },
      ]
    }, golden: { c in
      [NN.unfold(
        try c.tensor(0), kernelSize: try c.sizes(1, "kernel_size", default: 1), dilation: try c.sizes(2, "dilation", default: 1),
        padding: try c.sizes(3, "padding", default: 0), stride: try c.sizes(4, "stride", default: 1))]
    }),
    OpInfo("NN.fold", torch: ["nn.functional.fold"], samples: { dtype, rng in
      [
        OpSample("[1, 8, 9] to [4, 4], kernel 2", [rng.tensor([1, 8, 9], dtype: dtype)]) { [NN.fold($0[0], outputSize: 4, kernelSize: 2)] },
        OpSample("[12, 6] to [3, 5], kernel [2, 3], padding 1, stride 2", [rng.tensor([12, 6], dtype: dtype)]) {
          [NN.fold($0[0], outputSize: [3, 5], kernelSize: [2, 3], padding: 1, stride: 2)]
        },
      ]
    }, golden: { c in
      [NN.fold(
        try c.tensor(0), outputSize: try c.sizes(1, "output_size", default: 1), kernelSize: try c.sizes(2, "kernel_size", default: 1),
        dilation: try c.sizes(3, "dilation", default: 1), padding: try c.sizes(4, "padding", default: 0), stride: try c.sizes(5, "stride", default: 1))]
    }),
    OpInfo("NN.maxPool2d", torch: ["nn.functional.max_pool2d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[1, 2, 6, 6] kernel 2", [rng.tensor([1, 2, 6, 6], dtype: dtype)]) { [NN.maxPool2d($0[0], kernelSize: 2)] },
        OpSample("kernel 3, stride 2, padding 1, ceil", [rng.tensor([2, 1, 6, 5], dtype: dtype)]) {
          [NN.maxPool2d($0[0], kernelSize: 3, stride: 2, padding: 1, ceilMode: true)]
        },
        OpSample("unbatched, kernel [2, 3], dilation 2", [rng.tensor([2, 5, 7], dtype: dtype)]) {
          [NN.maxPool2d($0[0], kernelSize: [2, 3], stride: 1, dilation: 2)]
        },
      ]
    }, golden: { c in
      let (x, kernel) = (try c.tensor(0), try c.sizes(1, "kernel_size", default: 1))
      let (stride, padding, dilation) = (try c.sizes(2, "stride"), try c.sizes(3, "padding", default: 0), try c.sizes(4, "dilation", default: 1))
      let ceilMode = try c.bool(5, "ceil_mode", default: false)
      let pooled = NN.maxPool2dWithIndices(x, kernelSize: kernel, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
      return try c.bool(6, "return_indices", default: false) ? [pooled.values, pooled.indices] : [pooled.values]
    }),
    OpInfo("NN.maxPool1d", torch: ["nn.functional.max_pool1d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 3, 8] kernel 3", [rng.tensor([2, 3, 8], dtype: dtype)]) { [NN.maxPool1d($0[0], kernelSize: 3)] },
        OpSample("[2, 3, 8] kernel 3, with indices", [rng.tensor([2, 3, 8], dtype: dtype)]) { [NN.maxPool1dWithIndices($0[0], kernelSize: 3).values] },
        OpSample("unbatched, kernel 2, stride 1, padding 1, dilation 2, ceil", [rng.tensor([2, 7], dtype: dtype)]) {
          [NN.maxPool1d($0[0], kernelSize: 2, stride: 2, padding: 1, dilation: 2, ceilMode: true)]
        },
      ]
    }, golden: { c in
      let pooled = NN.maxPool1dWithIndices(
        try c.tensor(0), kernelSize: try c.int(1, "kernel_size"), stride: try c.optionalInt(2, "stride"),
        padding: try c.int(3, "padding", default: 0), dilation: try c.int(4, "dilation", default: 1), ceilMode: try c.bool(5, "ceil_mode", default: false))
      return try c.bool(6, "return_indices", default: false) ? [pooled.values, pooled.indices] : [pooled.values]
    }),
    OpInfo("NN.avgPool2d", torch: ["nn.functional.avg_pool2d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[1, 2, 6, 6] kernel 3, stride 2, padding 1", [rng.tensor([1, 2, 6, 6], dtype: dtype)]) {
          [NN.avgPool2d($0[0], kernelSize: 3, stride: 2, padding: 1)]
        },
        OpSample("ceil, without padding in the count", [rng.tensor([2, 1, 5, 7], dtype: dtype)]) {
          [NN.avgPool2d($0[0], kernelSize: [2, 3], stride: 2, padding: 1, ceilMode: true, countIncludePad: false)]
        },
        OpSample("unbatched, divisor 5", [rng.tensor([2, 4, 4], dtype: dtype)]) { [NN.avgPool2d($0[0], kernelSize: 2, divisorOverride: 5)] },
      ]
    }, golden: { c in
      [NN.avgPool2d(
        try c.tensor(0), kernelSize: try c.sizes(1, "kernel_size", default: 1), stride: try c.sizes(2, "stride"),
        padding: try c.sizes(3, "padding", default: 0), ceilMode: try c.bool(4, "ceil_mode", default: false),
        countIncludePad: try c.bool(5, "count_include_pad", default: true), divisorOverride: try c.optionalInt(6, "divisor_override"))]
    }),
    OpInfo("NN.adaptiveAvgPool2d", torch: ["nn.functional.adaptive_avg_pool2d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[1, 2, 7, 5] to [3, 2]", [rng.tensor([1, 2, 7, 5], dtype: dtype)]) { [NN.adaptiveAvgPool2d($0[0], outputSize: [3, 2])] },
        OpSample("unbatched to [4, nil]", [rng.tensor([2, 3, 5], dtype: dtype)]) { [NN.adaptiveAvgPool2d($0[0], outputSize: [4, nil])] },
      ]
    }, golden: { c in
      let x = try c.tensor(0)
      return [NN.adaptiveAvgPool2d(x, outputSize: try c.outputSize(1, count: 2))]
    }),
  ]
}

extension OpDatabase {
  /// Embedding, gates, pixel shuffles, resampling and attention in ``NN``.
  static let nnLayers: [OpInfo] = [
    OpInfo("NN.embedding", torch: ["nn.functional.embedding"], samples: { dtype, rng in
      [
        OpSample("[3, 2] indices into [6, 4]", [rng.classes([3, 2], below: 6), rng.tensor([6, 4], dtype: dtype)]) {
          [NN.embedding($0[0], weight: $0[1])]
        },
        // paddingIndex is left out: it stops the gradient of a row on purpose, so finite
        // differences disagree (the nn tests check it).
        OpSample("repeated and negative indices", [Tensor([1, 3, 1, 0, -1] as [Int64]), rng.tensor([4, 3], dtype: dtype)]) {
          [NN.embedding($0[0], weight: $0[1])]
        },
      ]
    }, golden: { c in
      for name in ["max_norm", "scale_grad_by_freq", "sparse"] { try c.expectDefault(name) { $0.bool == false } }
      try c.expectDefault("norm_type") { $0.number == 2 }
      return [NN.embedding(try c.tensor(0), weight: try c.tensor(1), paddingIndex: try c.optionalInt(2, "padding_idx"))]
    }).withEdgeSamples { dtype, rng in
      // No indices, a 0-d index, a one-row table and an empty embedding dim.
      [OpSample("edge [0] indices", [Tensor(shape: [0], scalars: [Int64]()), rng.tensor([4, 3], dtype: dtype)]) {
        [NN.embedding($0[0], weight: $0[1])]
      }, OpSample("edge 0-d index", [Tensor(Int64(2)), rng.tensor([4, 3], dtype: dtype)]) { [NN.embedding($0[0], weight: $0[1])] },
      OpSample("edge [1, 1] table", [Tensor(shape: [2, 1], scalars: [Int64(0), -1]), rng.tensor([1, 1], dtype: dtype)]) {
        [NN.embedding($0[0], weight: $0[1])]
      }, OpSample("edge [4, 0] table", [Tensor(shape: [3], scalars: [Int64(1), 3, 1]), rng.tensor([4, 0], dtype: dtype)]) {
        [NN.embedding($0[0], weight: $0[1])]
      }]
    },
    OpInfo("NN.glu", torch: ["nn.functional.glu"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype)]) { [NN.glu($0[0])] },
        OpSample("[4, 3, 2] dim 0", [rng.tensor([4, 3, 2], dtype: dtype)]) { [NN.glu($0[0], dim: 0)] },
      ]
    }, golden: { c in [NN.glu(try c.tensor(0), dim: try c.int(1, "dim", default: -1))] }),
    OpInfo("NN.prelu", torch: ["nn.functional.prelu"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 3, 4] with [3]", [rng.tensor([2, 3, 4], dtype: dtype, in: -2...2, avoiding: [0]), rng.tensor([3], dtype: dtype)]) {
          [NN.prelu($0[0], weight: $0[1])]
        },
        OpSample("[5] with [1]", [rng.tensor([5], dtype: dtype, in: -2...2, avoiding: [0]), rng.tensor([1], dtype: dtype)]) {
          [NN.prelu($0[0], weight: $0[1])]
        },
      ]
    }, golden: { c in [NN.prelu(try c.tensor(0), weight: try c.tensor(1))] }),
    OpInfo("NN.pixelShuffle", torch: ["nn.functional.pixel_shuffle"], samples: { dtype, rng in
      [
        OpSample("[1, 4, 2, 3] by 2", [rng.tensor([1, 4, 2, 3], dtype: dtype)]) { [NN.pixelShuffle($0[0], upscaleFactor: 2)] },
        OpSample("[2, 2, 9, 1, 2] by 3", [rng.tensor([2, 2, 9, 1, 2], dtype: dtype)]) { [NN.pixelShuffle($0[0], upscaleFactor: 3)] },
      ]
    }, golden: { c in [NN.pixelShuffle(try c.tensor(0), upscaleFactor: try c.int(1, "upscale_factor"))] }),
    OpInfo("NN.pixelUnshuffle", torch: ["nn.functional.pixel_unshuffle"], samples: { dtype, rng in
      [OpSample("[1, 2, 4, 6] by 2", [rng.tensor([1, 2, 4, 6], dtype: dtype)]) { [NN.pixelUnshuffle($0[0], downscaleFactor: 2)] }]
    }, golden: { c in [NN.pixelUnshuffle(try c.tensor(0), downscaleFactor: try c.int(1, "downscale_factor"))] }),
    OpInfo("NN.interpolate", torch: [
      "nn.functional.interpolate", "nn.functional.interpolate.nearest", "nn.functional.interpolate.nearest-exact",
      "nn.functional.interpolate.linear", "nn.functional.interpolate.bilinear", "nn.functional.interpolate.bicubic",
      "nn.functional.interpolate.trilinear", "nn.functional.interpolate.area", "nn.functional.upsample_nearest",
      "nn.functional.upsample_bilinear",
    ], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("bilinear × 2", [rng.tensor([1, 2, 3, 4], dtype: dtype)]) { [NN.interpolate($0[0], scaleFactor: [2], mode: .bilinear)] },
        OpSample("bilinear to [5, 3], corners aligned", [rng.tensor([2, 1, 3, 4], dtype: dtype)]) {
          [NN.interpolate($0[0], size: [5, 3], mode: .bilinear, alignCorners: true)]
        },
        OpSample("linear to 8", [rng.tensor([1, 2, 5], dtype: dtype)]) { [NN.interpolate($0[0], size: 8, mode: .linear)] },
        OpSample("nearest × [2, 1.5]", [rng.tensor([1, 2, 3, 4], dtype: dtype)]) { [NN.interpolate($0[0], scaleFactor: [2, 1.5])] },
        OpSample("nearest-exact to 7", [rng.tensor([2, 1, 5], dtype: dtype)]) { [NN.interpolate($0[0], size: 7, mode: .nearestExact)] },
        OpSample("bicubic to [5, 6]", [rng.tensor([1, 1, 4, 3], dtype: dtype)]) { [NN.interpolate($0[0], size: [5, 6], mode: .bicubic)] },
        OpSample("trilinear × 1.5", [rng.tensor([1, 1, 2, 3, 2], dtype: dtype)]) { [NN.interpolate($0[0], scaleFactor: [1.5], mode: .trilinear)] },
        OpSample("area to [2, 3]", [rng.tensor([1, 2, 5, 4], dtype: dtype)]) { [NN.interpolate($0[0], size: [2, 3], mode: .area)] },
        OpSample("upsample_bilinear × 2 (corners aligned)", [rng.tensor([1, 2, 3, 2], dtype: dtype)]) { [NN.upsampleBilinear($0[0], scaleFactor: [2])] },
      ]
    }, golden: { c in
      // upsample_bilinear(input, size, scale_factor) is bilinear with aligned corners;
      // upsample_nearest(input, size, scale_factor) is nearest. Neither takes a mode.
      if c.op == "nn.functional.upsample_bilinear" || c.op == "nn.functional.upsample_nearest" {
        let size = try c.sizes(1, "size"), factors = try c.scaleFactors(2)
        if c.op == "nn.functional.upsample_nearest" { return [NN.interpolate(try c.tensor(0), size: size, scaleFactor: factors)] }
        return [NN.upsampleBilinear(try c.tensor(0), size: size, scaleFactor: factors)]
      }
      try c.expectDefault("antialias") { $0.bool == false }
      let modeName = try c.string(3, "mode", default: "nearest") ?? "nearest"
      guard let mode = NN.InterpolationMode(rawValue: modeName) else {
        throw ConformanceError.unsupportedArgument("\(c.op): mode \(modeName) is not supported")
      }
      let factors = try c.doubles(2, "scale_factor")
      let alignCorners: Bool? = try c.plainArgument(4, "align_corners") == nil ? nil : try c.bool(4, "align_corners", default: false)
      return [NN.interpolate(
        try c.tensor(0), size: try c.sizes(1, "size"), scaleFactor: factors, mode: mode, alignCorners: alignCorners,
        recomputeScaleFactor: try c.bool(5, "recompute_scale_factor", default: false))]
    }),
    OpInfo("NN.multiHeadAttentionForward", torch: ["nn.functional.multi_head_attention_forward"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 2, 4], 2 heads, biases, weights", [
          rng.tensor([3, 2, 4], dtype: dtype), rng.tensor([5, 2, 4], dtype: dtype), rng.tensor([5, 2, 4], dtype: dtype),
          rng.tensor([12, 4], dtype: dtype), rng.tensor([12], dtype: dtype), rng.tensor([4, 4], dtype: dtype), rng.tensor([4], dtype: dtype),
        ]) {
          let r = NN.multiHeadAttentionForward(
            query: $0[0], key: $0[1], value: $0[2], numHeads: 2, inProjWeight: $0[3], inProjBias: $0[4], outProjWeight: $0[5], outProjBias: $0[6])
          return [r.output, r.weights!]
        },
        OpSample("unbatched, float mask, key padding, per-head weights", [
          rng.tensor([3, 4], dtype: dtype), rng.tensor([4, 4], dtype: dtype), rng.tensor([4, 4], dtype: dtype),
          rng.tensor([12, 4], dtype: dtype), rng.tensor([4, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype),
        ]) {
          let padding = Tensor(shape: [4], scalars: [false, false, true, false])
          let r = NN.multiHeadAttentionForward(
            query: $0[0], key: $0[1], value: $0[2], numHeads: 4, inProjWeight: $0[3], inProjBias: nil, outProjWeight: $0[4], outProjBias: nil,
            keyPaddingMask: padding, attnMask: $0[5], averageAttnWeights: false)
          return [r.output, r.weights!]
        },
        OpSample("separate projections, bool mask, no weights", [
          rng.tensor([2, 1, 2], dtype: dtype), rng.tensor([3, 1, 2], dtype: dtype), rng.tensor([3, 1, 2], dtype: dtype),
          rng.tensor([2, 2], dtype: dtype), rng.tensor([2, 2], dtype: dtype), rng.tensor([2, 2], dtype: dtype), rng.tensor([2, 2], dtype: dtype),
        ]) {
          let mask = Tensor(shape: [2, 3], scalars: [false, true, false, false, false, true])
          return [NN.multiHeadAttentionForward(
            query: $0[0], key: $0[1], value: $0[2], numHeads: 1, inProjWeight: nil, inProjBias: nil, outProjWeight: $0[6], outProjBias: nil,
            separateProjWeights: ($0[3], $0[4], $0[5]), attnMask: mask, needWeights: false).output]
        },
      ]
    }, golden: { c in
      for i in [7, 8, 21, 22] where c.isTensor(i) {
        throw ConformanceError.unsupportedArgument("\(c.op): bias_k, bias_v and static keys are not supported")
      }
      if try c.bool(9, "add_zero_attn", default: false) { throw ConformanceError.unsupportedArgument("\(c.op): add_zero_attn is not supported") }
      if try c.double(10, "dropout_p", default: 0) > 0, try c.bool(13, "training", default: true) {
        throw ConformanceError.unsupportedArgument("\(c.op): dropout draws from PyTorch's random stream")
      }
      let separate = try c.bool(17, "use_separate_proj_weight", default: false)
      let r = NN.multiHeadAttentionForward(
        query: try c.tensor(0), key: try c.tensor(1), value: try c.tensor(2), numHeads: try c.int(4, "num_heads"),
        inProjWeight: separate ? nil : try c.optionalTensor(5), inProjBias: try c.optionalTensor(6), outProjWeight: try c.tensor(11),
        outProjBias: try c.optionalTensor(12), separateProjWeights: separate ? (try c.tensor(18), try c.tensor(19), try c.tensor(20)) : nil,
        keyPaddingMask: try c.optionalTensor(14), attnMask: try c.optionalTensor(16), needWeights: try c.bool(15, "need_weights", default: true),
        averageAttnWeights: try c.bool(23, "average_attn_weights", default: true))
      return [r.output] + (r.weights.map { [$0] } ?? [])
    }),
    OpInfo("NN.scaledDotProductAttention", torch: ["nn.functional.scaled_dot_product_attention"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 3, 4] attending [2, 5, 4]", [rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([2, 5, 4], dtype: dtype), rng.tensor([2, 5, 4], dtype: dtype)]) {
          [NN.scaledDotProductAttention($0[0], $0[1], $0[2])]
        },
        OpSample("causal, scale 0.3", [rng.tensor([1, 4, 3], dtype: dtype), rng.tensor([1, 4, 3], dtype: dtype), rng.tensor([1, 4, 2], dtype: dtype)]) {
          [NN.scaledDotProductAttention($0[0], $0[1], $0[2], isCausal: true, scale: 0.3)]
        },
        OpSample("float mask [3, 5]", [
          rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([2, 5, 4], dtype: dtype), rng.tensor([2, 5, 3], dtype: dtype), rng.tensor([3, 5], dtype: dtype),
        ]) { [NN.scaledDotProductAttention($0[0], $0[1], $0[2], attnMask: $0[3])] },
        OpSample("bool mask with a blocked row, grouped heads", [
          rng.tensor([1, 4, 3, 2], dtype: dtype), rng.tensor([1, 2, 3, 2], dtype: dtype), rng.tensor([1, 2, 3, 2], dtype: dtype),
          Tensor(shape: [3, 3], scalars: [true, false, true, false, false, false, true, true, false]),
        ]) { [NN.scaledDotProductAttention($0[0], $0[1], $0[2], attnMask: $0[3], enableGQA: true)] },
      ]
    }, golden: { c in
      guard try c.double(4, "dropout_p", default: 0) == 0 else {
        throw ConformanceError.unsupportedArgument("\(c.op): dropout_p other than 0 draws from PyTorch's random stream")
      }
      let mask = try c.optionalTensor(3, "attn_mask")
      return [NN.scaledDotProductAttention(
        try c.tensor(0), try c.tensor(1), try c.tensor(2), attnMask: mask, isCausal: try c.bool(5, "is_causal", default: false),
        scale: try c.optionalNumber(6, "scale"), enableGQA: try c.bool(7, "enable_gqa", default: false))]
    }),
  ]
}

extension OpDatabase {
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
    OpInfo("NN.pad", torch: ["nn.functional.pad.constant", "nn.functional.pad.reflect", "nn.functional.pad.replicate", "nn.functional.pad.circular",
                     "nn.functional.pad.replicate_negative"],
           samples: { dtype, rng in
      [
        OpSample("constant [1, 2, 0, 1], value 0.5", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.pad($0[0], [1, 2, 0, 1], value: 0.5)] },
        OpSample("reflect [2, 1, 1, 1]", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.pad($0[0], [2, 1, 1, 1], mode: .reflect)] },
        OpSample("replicate [2, 1, 0, 3]", [rng.tensor([1, 3, 5], dtype: dtype)]) { [NN.pad($0[0], [2, 1, 0, 3], mode: .replicate)] },
        OpSample("replicate cropping [-1, 2, 1, -1]", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.pad($0[0], [-1, 2, 1, -1], mode: .replicate)] },
        OpSample("circular [3, -1, 1, 2]", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.pad($0[0], [3, -1, 1, 2], mode: .circular)] },
      ]
    }, golden: { c in
      let modeName = try c.string(2, "mode", default: "constant") ?? "constant"
      guard let mode = PaddingMode(rawValue: modeName) else {
        throw ConformanceError.unsupportedArgument("\(c.op): mode \(modeName) is not supported")
      }
      return [NN.pad(try c.tensor(0), try c.requiredInts(1, "pad"), mode: mode, value: try c.optionalDouble(3, "value") ?? 0)]
    }),
  ]
}

extension OpDatabase {
  /// The pooling of 1 and 3 spatial dims and the adaptive max pooling of ``NN``.
  static let nnPooling: [OpInfo] = [
    OpInfo("NN.avgPool1d", torch: ["nn.functional.avg_pool1d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 3, 8] kernel 3", [rng.tensor([2, 3, 8], dtype: dtype)]) { [NN.avgPool1d($0[0], kernelSize: 3)] },
        OpSample("unbatched, stride 2, padding 1, ceil, without padding in the count", [rng.tensor([2, 8], dtype: dtype)]) {
          [NN.avgPool1d($0[0], kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)]
        },
      ]
    }, golden: { c in
      [NN.avgPool1d(
        try c.tensor(0), kernelSize: try c.requiredSize(1, "kernel_size"), stride: try c.size(2, "stride"), padding: try c.size(3, "padding") ?? 0,
        ceilMode: try c.bool(4, "ceil_mode", default: false), countIncludePad: try c.bool(5, "count_include_pad", default: true))]
    }),
    OpInfo("NN.avgPool3d", torch: ["nn.functional.avg_pool3d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[1, 2, 4, 4, 5] kernel 2", [rng.tensor([1, 2, 4, 4, 5], dtype: dtype)]) { [NN.avgPool3d($0[0], kernelSize: 2)] },
        OpSample("unbatched, kernel [3, 2, 2], stride 2, padding 1, ceil, without padding in the count", [rng.tensor([2, 5, 4, 5], dtype: dtype)]) {
          [NN.avgPool3d($0[0], kernelSize: [3, 2, 2], stride: 2, padding: 1, ceilMode: true, countIncludePad: false)]
        },
        OpSample("padding 1, divisor 5", [rng.tensor([1, 1, 3, 4, 3], dtype: dtype)]) { [NN.avgPool3d($0[0], kernelSize: 2, padding: 1, divisorOverride: 5)] },
      ]
    }, golden: { c in
      [NN.avgPool3d(
        try c.tensor(0), kernelSize: try c.sizes(1, "kernel_size", default: 1), stride: try c.sizes(2, "stride"),
        padding: try c.sizes(3, "padding", default: 0), ceilMode: try c.bool(4, "ceil_mode", default: false),
        countIncludePad: try c.bool(5, "count_include_pad", default: true), divisorOverride: try c.optionalInt(6, "divisor_override"))]
    }),
    OpInfo("NN.maxPool3d", torch: ["nn.functional.max_pool3d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[1, 2, 4, 4, 4] kernel 2", [rng.tensor([1, 2, 4, 4, 4], dtype: dtype)]) { [NN.maxPool3d($0[0], kernelSize: 2)] },
        OpSample("[1, 2, 4, 4, 4] kernel 2, with indices", [rng.tensor([1, 2, 4, 4, 4], dtype: dtype)]) {
          [NN.maxPool3dWithIndices($0[0], kernelSize: 2).values]
        },
        OpSample("unbatched, kernel [3, 2, 2], stride [2, 1, 2], padding 1, dilation [1, 2, 1], ceil", [rng.tensor([2, 5, 4, 5], dtype: dtype)]) {
          [NN.maxPool3d($0[0], kernelSize: [3, 2, 2], stride: [2, 1, 2], padding: 1, dilation: [1, 2, 1], ceilMode: true)]
        },
      ]
    }, golden: { c in
      let pooled = NN.maxPool3dWithIndices(
        try c.tensor(0), kernelSize: try c.sizes(1, "kernel_size", default: 1), stride: try c.sizes(2, "stride"),
        padding: try c.sizes(3, "padding", default: 0), dilation: try c.sizes(4, "dilation", default: 1),
        ceilMode: try c.bool(5, "ceil_mode", default: false))
      return try c.bool(6, "return_indices", default: false) ? [pooled.values, pooled.indices] : [pooled.values]
    }),
    OpInfo("NN.adaptiveAvgPool1d", torch: ["nn.functional.adaptive_avg_pool1d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 3, 7] to 3", [rng.tensor([2, 3, 7], dtype: dtype)]) { [NN.adaptiveAvgPool1d($0[0], outputSize: 3)] },
        OpSample("unbatched [2, 3] to 5", [rng.tensor([2, 3], dtype: dtype)]) { [NN.adaptiveAvgPool1d($0[0], outputSize: 5)] },
      ]
    }, golden: { c in [NN.adaptiveAvgPool1d(try c.tensor(0), outputSize: try c.requiredSize(1, "output_size"))] }),
    OpInfo("NN.adaptiveAvgPool3d", torch: ["nn.functional.adaptive_avg_pool3d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[1, 2, 5, 4, 3] to [2, 3, 2]", [rng.tensor([1, 2, 5, 4, 3], dtype: dtype)]) { [NN.adaptiveAvgPool3d($0[0], outputSize: [2, 3, 2])] },
        OpSample("unbatched to [nil, 2, 4]", [rng.tensor([2, 3, 4, 3], dtype: dtype)]) { [NN.adaptiveAvgPool3d($0[0], outputSize: [nil, 2, 4])] },
      ]
    }, golden: { c in [NN.adaptiveAvgPool3d(try c.tensor(0), outputSize: try c.outputSize(1, count: 3))] }),
    OpInfo("NN.adaptiveMaxPool1d", torch: ["nn.functional.adaptive_max_pool1d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 3, 7] to 3", [rng.tensor([2, 3, 7], dtype: dtype)]) { [NN.adaptiveMaxPool1d($0[0], outputSize: 3)] },
        OpSample("[2, 3, 7] to 3, with indices", [rng.tensor([2, 3, 7], dtype: dtype)]) { [NN.adaptiveMaxPool1dWithIndices($0[0], outputSize: 3).values] },
        OpSample("unbatched [2, 3] to 5", [rng.tensor([2, 3], dtype: dtype)]) { [NN.adaptiveMaxPool1d($0[0], outputSize: 5)] },
      ]
    }, golden: { c in
      let pooled = NN.adaptiveMaxPool1dWithIndices(try c.tensor(0), outputSize: try c.requiredSize(1, "output_size"))
      return try c.bool(2, "return_indices", default: false) ? [pooled.values, pooled.indices] : [pooled.values]
    }),
    OpInfo("NN.adaptiveMaxPool2d", torch: ["nn.functional.adaptive_max_pool2d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[1, 2, 7, 5] to [3, 2]", [rng.tensor([1, 2, 7, 5], dtype: dtype)]) { [NN.adaptiveMaxPool2d($0[0], outputSize: [3, 2])] },
        OpSample("[1, 2, 7, 5] to [3, 2], with indices", [rng.tensor([1, 2, 7, 5], dtype: dtype)]) {
          [NN.adaptiveMaxPool2dWithIndices($0[0], outputSize: [3, 2]).values]
        },
        OpSample("unbatched to [4, nil]", [rng.tensor([2, 3, 5], dtype: dtype)]) { [NN.adaptiveMaxPool2d($0[0], outputSize: [4, nil])] },
      ]
    }, golden: { c in
      let pooled = NN.adaptiveMaxPool2dWithIndices(try c.tensor(0), outputSize: try c.outputSize(1, count: 2))
      return try c.bool(2, "return_indices", default: false) ? [pooled.values, pooled.indices] : [pooled.values]
    }),
    OpInfo("NN.adaptiveMaxPool3d", torch: ["nn.functional.adaptive_max_pool3d"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[1, 2, 5, 4, 3] to [2, 3, 2]", [rng.tensor([1, 2, 5, 4, 3], dtype: dtype)]) { [NN.adaptiveMaxPool3d($0[0], outputSize: [2, 3, 2])] },
        OpSample("unbatched to 2", [rng.tensor([2, 3, 4, 3], dtype: dtype)]) { [NN.adaptiveMaxPool3d($0[0], outputSize: 2)] },
      ]
    }, golden: { c in
      let pooled = NN.adaptiveMaxPool3dWithIndices(try c.tensor(0), outputSize: try c.outputSize(1, count: 3))
      return try c.bool(2, "return_indices", default: false) ? [pooled.values, pooled.indices] : [pooled.values]
    }),
  ]
}

extension OpDatabase {
  /// Instance and local response normalisation, channel shuffles, and the 1-d transposed and
  /// 3-d convolutions of ``NN``.
  static let nnChannels: [OpInfo] = [
    OpInfo("NN.instanceNorm", torch: ["nn.functional.instance_norm"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 3, 4], affine", [rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([3], dtype: dtype), rng.tensor([3], dtype: dtype)]) {
          [NN.instanceNorm($0[0], weight: $0[1], bias: $0[2])]
        },
        OpSample("[2, 2, 3, 2]", [rng.tensor([2, 2, 3, 2], dtype: dtype)]) { [NN.instanceNorm($0[0])] },
        OpSample("running statistics", [
          rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([3], dtype: dtype), rng.tensor([3], dtype: dtype, in: 0.5...2), rng.tensor([3], dtype: dtype),
        ]) { [NN.instanceNorm($0[0], runningMean: $0[1], runningVar: $0[2], weight: $0[3], useInputStats: false)] },
      ]
    }, golden: { c in
      let useInputStats = try c.bool(5, "use_input_stats", default: true)
      let (mean, variance) = (try c.optionalTensor(1), try c.optionalTensor(2))
      if useInputStats && (mean != nil || variance != nil) {
        throw ConformanceError.unsupportedArgument("\(c.op): running statistics with input statistics are updated in place")
      }
      return [NN.instanceNorm(
        try c.tensor(0), runningMean: mean, runningVar: variance, weight: try c.optionalTensor(3), bias: try c.optionalTensor(4),
        useInputStats: useInputStats, momentum: try c.double(6, "momentum", default: 0.1), eps: try c.double(7, "eps", default: 1e-5))]
    }),
    OpInfo("NN.localResponseNorm", torch: ["nn.functional.local_response_norm"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 5, 3] size 3, alpha 0.5", [rng.tensor([2, 5, 3], dtype: dtype)]) { [NN.localResponseNorm($0[0], size: 3, alpha: 0.5)] },
        OpSample("[1, 4, 2, 3] size 2, beta 1.5, k 2", [rng.tensor([1, 4, 2, 3], dtype: dtype)]) {
          [NN.localResponseNorm($0[0], size: 2, alpha: 0.3, beta: 1.5, k: 2)]
        },
      ]
    }, golden: { c in
      [NN.localResponseNorm(
        try c.tensor(0), size: try c.int(1, "size"), alpha: try c.double(2, "alpha", default: 1e-4), beta: try c.double(3, "beta", default: 0.75),
        k: try c.double(4, "k", default: 1))]
    }),
    OpInfo("NN.channelShuffle", torch: ["nn.functional.channel_shuffle"], samples: { dtype, rng in
      [
        OpSample("[2, 6, 2] in 3 groups", [rng.tensor([2, 6, 2], dtype: dtype)]) { [NN.channelShuffle($0[0], groups: 3)] },
        OpSample("[1, 4, 2, 3] in 2 groups", [rng.tensor([1, 4, 2, 3], dtype: dtype)]) { [NN.channelShuffle($0[0], groups: 2)] },
      ]
    }, golden: { c in [NN.channelShuffle(try c.tensor(0), groups: try c.int(1, "groups"))] }),
    OpInfo("NN.convTranspose1d", torch: ["nn.functional.conv_transpose1d"], samples: { dtype, rng in
      [
        OpSample("[2, 3, 4] * [3, 2, 3], stride 2, bias", [
          rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([3, 2, 3], dtype: dtype), rng.tensor([2], dtype: dtype),
        ]) { [NN.convTranspose1d($0[0], weight: $0[1], bias: $0[2], stride: 2)] },
        OpSample("unbatched, padding 1, outputPadding 1, groups 2, dilation 2", [rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 1, 2], dtype: dtype)]) {
          [NN.convTranspose1d($0[0], weight: $0[1], stride: 2, padding: 1, outputPadding: 1, groups: 2, dilation: 2)]
        },
      ]
    }, golden: { c in
      [NN.convTranspose1d(
        try c.tensor(0), weight: try c.tensor(1), bias: try c.optionalTensor(2), stride: try c.size(3, "stride") ?? 1,
        padding: try c.size(4, "padding") ?? 0, outputPadding: try c.size(5, "output_padding") ?? 0, groups: try c.int(6, "groups", default: 1),
        dilation: try c.size(7, "dilation") ?? 1)]
    }),
    OpInfo("NN.conv3d", torch: ["nn.functional.conv3d"], samples: { dtype, rng in
      [
        OpSample("[1, 2, 4, 3, 3] * [3, 2, 2, 2, 2], bias, padding 1", [
          rng.tensor([1, 2, 4, 3, 3], dtype: dtype), rng.tensor([3, 2, 2, 2, 2], dtype: dtype), rng.tensor([3], dtype: dtype),
        ]) { [NN.conv3d($0[0], weight: $0[1], bias: $0[2], padding: 1)] },
        OpSample("padding \"same\", kernel [3, 2, 2], dilation [1, 2, 1]", [rng.tensor([1, 2, 4, 3, 5], dtype: dtype), rng.tensor([2, 2, 3, 2, 2], dtype: dtype)]) {
          [NN.conv3d($0[0], weight: $0[1], padding: .same, dilation: [1, 2, 1])]
        },
        OpSample("unbatched, groups 2, stride [2, 1, 1], dilation [2, 1, 1]", [rng.tensor([2, 5, 3, 2], dtype: dtype), rng.tensor([4, 1, 2, 2, 1], dtype: dtype)]) {
          [NN.conv3d($0[0], weight: $0[1], stride: [2, 1, 1], dilation: [2, 1, 1], groups: 2)]
        },
      ]
    }, golden: { c in
      if let mode = try c.namedPadding(4) {
        return [NN.conv3d(
          try c.tensor(0), weight: try c.tensor(1), bias: try c.optionalTensor(2), stride: try c.sizes(3, "stride", default: 1),
          padding: mode, dilation: try c.sizes(5, "dilation", default: 1), groups: try c.int(6, "groups", default: 1))]
      }
      return [NN.conv3d(
        try c.tensor(0), weight: try c.tensor(1), bias: try c.optionalTensor(2), stride: try c.sizes(3, "stride", default: 1),
        padding: try c.sizes(4, "padding", default: 0), dilation: try c.sizes(5, "dilation", default: 1), groups: try c.int(6, "groups", default: 1))]
    }),
  ]
}

extension OpDatabase {
  /// The 3-d transposed convolution and max unpooling of ``NN``.
  static let nnTransposed: [OpInfo] = [
    OpInfo("NN.convTranspose3d", torch: ["nn.functional.conv_transpose3d"], samples: { dtype, rng in
      [
        OpSample("[1, 2, 2, 3, 2] * [2, 3, 2, 2, 2], bias, stride 2", [
          rng.tensor([1, 2, 2, 3, 2], dtype: dtype), rng.tensor([2, 3, 2, 2, 2], dtype: dtype), rng.tensor([3], dtype: dtype),
        ]) { [NN.convTranspose3d($0[0], weight: $0[1], bias: $0[2], stride: 2)] },
        OpSample("unbatched, padding [1, 0, 0], outputPadding [1, 0, 0], groups 2, dilation [2, 1, 1]", [
          rng.tensor([2, 3, 2, 2], dtype: dtype), rng.tensor([2, 1, 2, 2, 1], dtype: dtype),
        ]) { [NN.convTranspose3d($0[0], weight: $0[1], stride: [2, 1, 1], padding: [1, 0, 0], outputPadding: [1, 0, 0], groups: 2, dilation: [2, 1, 1])] },
      ]
    }, golden: { c in
      [NN.convTranspose3d(
        try c.tensor(0), weight: try c.tensor(1), bias: try c.optionalTensor(2), stride: try c.sizes(3, "stride", default: 1),
        padding: try c.sizes(4, "padding", default: 0), outputPadding: try c.sizes(5, "output_padding", default: 0),
        groups: try c.int(6, "groups", default: 1), dilation: try c.sizes(7, "dilation", default: 1))]
    }),
    OpInfo("NN.maxPool2dBackward", torch: ["max_pool2d_with_indices_backward"], dtypes: [.float64], samples: { dtype, rng in
      let pooled = NN.maxPool2dWithIndices(rng.tensor([1, 2, 5, 5], dtype: dtype), kernelSize: 3, stride: 2, padding: 1)
      let unbatched = NN.maxPool2dWithIndices(rng.tensor([2, 4, 6], dtype: dtype), kernelSize: 2)
      return [
        OpSample("overlapping windows, kernel 3, stride 2, padding 1", [rng.tensor(pooled.values.shape, dtype: dtype), rng.tensor([1, 2, 5, 5], dtype: dtype)]) {
          [NN.maxPool2dBackward($0[0], input: $0[1], indices: pooled.indices)]
        },
        OpSample("unbatched, kernel 2", [rng.tensor([2, 2, 3], dtype: dtype), rng.tensor([2, 4, 6], dtype: dtype)]) {
          [NN.maxPool2dBackward($0[0], input: $0[1], indices: unbatched.indices)]
        },
      ]
    }, golden: { c in [NN.maxPool2dBackward(try c.tensor(0), input: try c.tensor(1), indices: try c.tensor(7))] }),
    OpInfo("NN.maxUnpool1d", torch: ["nn.functional.max_unpool1d", "nn.functional.max_unpool1d.grad"], samples: { dtype, rng in
      [
        OpSample("[2, 3, 4] kernel 2", [rng.tensor([2, 3, 4], dtype: dtype), rng.unpoolIndices(lead: [2, 3], size: [4], kernel: 2)]) {
          [NN.maxUnpool1d($0[0], indices: $0[1], kernelSize: 2)]
        },
        OpSample("unbatched, kernel 3, output size 10", [rng.tensor([2, 3], dtype: dtype), rng.unpoolIndices(lead: [2], size: [3], kernel: 3)]) {
          [NN.maxUnpool1d($0[0], indices: $0[1], kernelSize: 3, outputSize: [10])]
        },
      ]
    }, golden: { c in
      [NN.maxUnpool1d(
        try c.tensor(0), indices: try c.tensor(1), kernelSize: try c.requiredSize(2, "kernel_size"), stride: try c.size(3, "stride"),
        padding: try c.size(4, "padding") ?? 0, outputSize: try c.ints(5, "output_size"))]
    }),
    OpInfo("NN.maxUnpool2d", torch: ["nn.functional.max_unpool2d", "nn.functional.max_unpool2d.grad"], samples: { dtype, rng in
      [
        OpSample("[1, 2, 2, 3] kernel 2", [rng.tensor([1, 2, 2, 3], dtype: dtype), rng.unpoolIndices(lead: [1, 2], size: [2, 3], kernel: 2)]) {
          [NN.maxUnpool2d($0[0], indices: $0[1], kernelSize: 2)]
        },
        OpSample("unbatched, kernel 3, output size [7, 6]", [rng.tensor([2, 2, 2], dtype: dtype), rng.unpoolIndices(lead: [2], size: [2, 2], kernel: 3)]) {
          [NN.maxUnpool2d($0[0], indices: $0[1], kernelSize: 3, outputSize: [7, 6])]
        },
      ]
    }, golden: { c in
      [NN.maxUnpool2d(
        try c.tensor(0), indices: try c.tensor(1), kernelSize: try c.sizes(2, "kernel_size", default: 1), stride: try c.sizes(3, "stride"),
        padding: try c.sizes(4, "padding", default: 0), outputSize: try c.ints(5, "output_size"))]
    }),
    OpInfo("NN.maxUnpool3d", torch: ["nn.functional.max_unpool3d", "nn.functional.max_unpool3d.grad"], samples: { dtype, rng in
      [
        OpSample("[1, 2, 2, 2, 3] kernel 2", [rng.tensor([1, 2, 2, 2, 3], dtype: dtype), rng.unpoolIndices(lead: [1, 2], size: [2, 2, 3], kernel: 2)]) {
          [NN.maxUnpool3d($0[0], indices: $0[1], kernelSize: 2)]
        },
      ]
    }, golden: { c in
      [NN.maxUnpool3d(
        try c.tensor(0), indices: try c.tensor(1), kernelSize: try c.sizes(2, "kernel_size", default: 1), stride: try c.sizes(3, "stride"),
        padding: try c.sizes(4, "padding", default: 0), outputSize: try c.ints(5, "output_size"))]
    }),
  ]
}

extension GoldenCall {
  /// Throws unless the random op runs in evaluation mode (or with p = 0): PyTorch's random
  /// stream cannot be reproduced.
  func expectDeterministic(trainingIndex: Int, default training: Bool, pIndex: Int) throws {
    if try bool(trainingIndex, "training", default: training), try double(pIndex, "p", default: 0.5) > 0 {
      throw ConformanceError.unsupportedArgument("\(op): training draws from PyTorch's random stream")
    }
  }
}

extension OpDatabase {
  /// The random ops of ``NN``. Every call draws from a fresh generator of one seed, so the
  /// mask is the same in each evaluation and the op is differentiable like a fixed mask.
  static let nnRandom: [OpInfo] = [
    OpInfo("NN.dropout", torch: ["nn.functional.dropout"], samples: { dtype, rng in
      [
        OpSample("[4, 5] p 0.4", [rng.tensor([4, 5], dtype: dtype)]) {
          var g = SeededGenerator(seed: 3)
          return [NN.dropout($0[0], p: 0.4, using: &g)]
        },
        OpSample("evaluation", [rng.tensor([3], dtype: dtype)]) {
          var g = SeededGenerator(seed: 3)
          return [NN.dropout($0[0], training: false, using: &g)]
        },
      ]
    }, golden: { c in
      try c.expectDeterministic(trainingIndex: 2, default: true, pIndex: 1)
      try c.expectDefault("inplace") { $0.bool == false }
      return [try c.tensor(0)]
    }),
    OpInfo("NN.dropout2d", torch: ["nn.functional.dropout2d"], samples: { dtype, rng in
      [OpSample("[2, 3, 2, 2] p 0.5", [rng.tensor([2, 3, 2, 2], dtype: dtype)]) {
        var g = SeededGenerator(seed: 4)
        return [NN.dropout2d($0[0], using: &g)]
      }]
    }, golden: { c in
      try c.expectDeterministic(trainingIndex: 2, default: true, pIndex: 1)
      try c.expectDefault("inplace") { $0.bool == false }
      return [try c.tensor(0)]
    }),
    OpInfo("NN.dropout3d", torch: ["nn.functional.dropout3d"], samples: { dtype, rng in
      [OpSample("[2, 3, 2, 1, 2] p 0.3", [rng.tensor([2, 3, 2, 1, 2], dtype: dtype)]) {
        var g = SeededGenerator(seed: 5)
        return [NN.dropout3d($0[0], p: 0.3, using: &g)]
      }]
    }, golden: { c in
      try c.expectDeterministic(trainingIndex: 2, default: true, pIndex: 1)
      try c.expectDefault("inplace") { $0.bool == false }
      return [try c.tensor(0)]
    }),
    OpInfo("NN.alphaDropout", torch: ["nn.functional.alpha_dropout"], dtypes: [.float64], samples: { dtype, rng in
      [OpSample("[4, 5] p 0.3, training", [rng.tensor([4, 5], dtype: dtype)]) {
        var g = SeededGenerator(seed: 6)
        return [NN.alphaDropout($0[0], p: 0.3, training: true, using: &g)]
      }]
    }, golden: { c in
      try c.expectDeterministic(trainingIndex: 2, default: false, pIndex: 1)
      try c.expectDefault("inplace") { $0.bool == false }
      return [try c.tensor(0)]
    }),
    OpInfo("NN.featureAlphaDropout", torch: ["nn.functional.feature_alpha_dropout.with_train", "nn.functional.feature_alpha_dropout.without_train"],
           dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[2, 4, 3] p 0.5, training", [rng.tensor([2, 4, 3], dtype: dtype)]) {
          var g = SeededGenerator(seed: 7)
          return [NN.featureAlphaDropout($0[0], training: true, using: &g)]
        },
        OpSample("evaluation", [rng.tensor([2, 4, 3], dtype: dtype)]) {
          var g = SeededGenerator(seed: 7)
          return [NN.featureAlphaDropout($0[0], using: &g)]
        },
      ]
    }, golden: { c in
      try c.expectDeterministic(trainingIndex: 2, default: false, pIndex: 1)
      try c.expectDefault("inplace") { $0.bool == false }
      return [try c.tensor(0)]
    }),
    OpInfo("NN.fractionalMaxPool2d", torch: ["nn.functional.fractional_max_pool2d"], dtypes: [.float64], samples: { dtype, rng in
      let samples = rng.tensor([2, 3, 2], in: 0...1)
      return [
        OpSample("[2, 3, 7, 6] kernel 2 to [4, 3]", [rng.tensor([2, 3, 7, 6], dtype: dtype)]) {
          [NN.fractionalMaxPool2d($0[0], kernelSize: 2, outputSize: [4, 3], randomSamples: samples)]
        },
        OpSample("unbatched, kernel [3, 2], ratio 0.5, seeded", [rng.tensor([2, 8, 6], dtype: dtype)]) {
          var g = SeededGenerator(seed: 9)
          return [NN.fractionalMaxPool2d($0[0], kernelSize: [3, 2], outputRatio: [0.5], using: &g)]
        },
      ]
    }, golden: { c in
      let (samples, ratio) = try c.fractionalPoolArguments()
      return [NN.fractionalMaxPool2d(
        try c.tensor(0), kernelSize: try c.sizes(1, "kernel_size", default: 1), outputSize: try c.ints(2, "output_size"),
        outputRatio: ratio, randomSamples: samples)]
    }),
    OpInfo("NN.fractionalMaxPool3d", torch: ["nn.functional.fractional_max_pool3d"], dtypes: [.float64], samples: { dtype, rng in
      let samples = rng.tensor([1, 2, 3], in: 0...1)
      return [
        OpSample("[1, 2, 5, 4, 6] kernel 2 to [3, 2, 4]", [rng.tensor([1, 2, 5, 4, 6], dtype: dtype)]) {
          [NN.fractionalMaxPool3d($0[0], kernelSize: 2, outputSize: [3, 2, 4], randomSamples: samples)]
        },
      ]
    }, golden: { c in
      let (samples, ratio) = try c.fractionalPoolArguments()
      return [NN.fractionalMaxPool3d(
        try c.tensor(0), kernelSize: try c.sizes(1, "kernel_size", default: 1), outputSize: try c.ints(2, "output_size"),
        outputRatio: ratio, randomSamples: samples)]
    }),
    OpInfo("NN.rrelu", torch: ["nn.functional.rrelu"], dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("[3, 4] training", [rng.tensor([3, 4], dtype: dtype, in: -2...2, avoiding: [0])]) {
          var g = SeededGenerator(seed: 8)
          return [NN.rrelu($0[0], training: true, using: &g)]
        },
        OpSample("evaluation, [0.1, 0.5]", [rng.tensor([5], dtype: dtype, in: -2...2, avoiding: [0])]) {
          var g = SeededGenerator(seed: 8)
          return [NN.rrelu($0[0], lower: 0.1, upper: 0.5, using: &g)]
        },
      ]
    }, golden: { c in
      if try c.bool(3, "training", default: false) {
        throw ConformanceError.unsupportedArgument("\(c.op): training draws from PyTorch's random stream")
      }
      try c.expectDefault("inplace") { $0.bool == false }
      var g = SystemRandomNumberGenerator()
      return [NN.rrelu(
        try c.tensor(0), lower: try c.double(1, "lower", default: 1.0 / 8), upper: try c.double(2, "upper", default: 1.0 / 3), using: &g)]
    }),
  ]
}
