import Tangent

extension OpDatabase {
  /// The `nn.functional` ops of ``NN``, one file per topic (this order is the order of
  /// ``OpDatabase/all``).
  static let nn: [OpInfo] = (
    nnBasics + nnLosses + [nnLinearCrossEntropy] + nnMarginLosses + [nnPad] + nnNormalization + nnNativeNormalization
    + nnConvolution + nnPooling2d + nnPooling + nnInstanceNormalization + [nnChannelShuffle] + nnConvolutionExtras + nnUnpooling
    + nnDropout + nnFractionalPooling + [nnRrelu] + nnLayers)
    .map { $0.deviating(nnPytorchDeviations[$0.name] ?? [:]) }

  /// Golden fields where PyTorch's value is wrong: its second forward derivative of the
  /// normalisations treats the saved mean and 1/σ as constants (a NumPy copy of its formula
  /// with them frozen reproduces its numbers exactly; for instance norm, on OpInfo's
  /// `instance_norm#8`, to 1e-11). The conformance runner checks Tangent against finite
  /// differences for these fields instead.
  static let nnPytorchDeviations: [String: [String: String]] = [
    "NN.layerNorm": ["jvp_of_jvp": frozenStatistics],
    "NN.batchNorm": ["jvp_of_jvp": frozenStatistics],
    "NN.instanceNorm": ["jvp_of_jvp": frozenStatistics],
    // OpInfo's `native_batch_norm#9`: torch's JVP of the saved mean is 0 and its VJP ignores
    // the saved statistics' cotangents; finite differences agree with Tangent.
    "NN.nativeBatchNorm": [
      "jvp": savedStatistics, "vjp": savedStatistics, "jvp_of_vjp": savedStatistics, "jvp_of_jvp": frozenStatistics,
    ],
  ]
  static let savedStatistics =
    "torch 2.13 does not differentiate native_batch_norm's saved mean and 1/σ outputs (zero tangents, their cotangents dropped)"
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
