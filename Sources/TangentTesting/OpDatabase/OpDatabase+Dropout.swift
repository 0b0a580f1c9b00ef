import Tangent

extension OpDatabase {
  /// The dropouts of ``NN``. Every call draws from a fresh generator of one seed, so the
  /// mask is the same in each evaluation and the op is differentiable like a fixed mask.
  static let nnDropout: [OpInfo] = [
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
  ]

  /// The randomized leaky ReLU of ``NN`` (its slopes are drawn like the dropouts' masks).
  static let nnRrelu = OpInfo("NN.rrelu", torch: ["nn.functional.rrelu"], dtypes: [.float64], samples: { dtype, rng in
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
  })
}
