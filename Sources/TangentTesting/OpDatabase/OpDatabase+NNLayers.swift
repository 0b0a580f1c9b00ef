import Tangent

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
        OpSample("repeated indices (negative ones stop, as in PyTorch)", [Tensor([1, 3, 1, 0, 3] as [Int64]), rng.tensor([4, 3], dtype: dtype)]) {
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
      OpSample("edge [1, 1] table", [Tensor(shape: [2, 1], scalars: [Int64(0), 0]), rng.tensor([1, 1], dtype: dtype)]) {
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

  /// The channel shuffle of ``NN``.
  static let nnChannelShuffle = OpInfo("NN.channelShuffle", torch: ["nn.functional.channel_shuffle"], samples: { dtype, rng in
    [
      OpSample("[2, 6, 2] in 3 groups", [rng.tensor([2, 6, 2], dtype: dtype)]) { [NN.channelShuffle($0[0], groups: 3)] },
      OpSample("[1, 4, 2, 3] in 2 groups", [rng.tensor([1, 4, 2, 3], dtype: dtype)]) { [NN.channelShuffle($0[0], groups: 2)] },
    ]
  }, golden: { c in [NN.channelShuffle(try c.tensor(0), groups: try c.int(1, "groups"))] })

  /// The padding of ``NN`` (constant, reflect, replicate and circular).
  static let nnPad = OpInfo(
    "NN.pad", torch: ["nn.functional.pad.constant", "nn.functional.pad.reflect", "nn.functional.pad.replicate", "nn.functional.pad.circular",
                      "nn.functional.pad.replicate_negative"],
    samples: { dtype, rng in
    [
      OpSample("constant [1, 2, 0, 1], value 0.5", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.pad($0[0], [1, 2, 0, 1], value: 0.5)] },
      OpSample("reflect [2, 1, 1, 1]", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.pad($0[0], [2, 1, 1, 1], mode: .reflect)] },
      OpSample("replicate [2, 1, 0, 3]", [rng.tensor([1, 3, 5], dtype: dtype)]) { [NN.pad($0[0], [2, 1, 0, 3], mode: .replicate)] },
      OpSample("replicate cropping [-1, 2, 1, -1]", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.pad($0[0], [-1, 2, 1, -1], mode: .replicate)] },
      OpSample("circular [3, -1, 1, 2]", [rng.tensor([2, 3, 4], dtype: dtype)]) { [NN.pad($0[0], [3, -1, 1, 2], mode: .circular)] },
      // Crop, then wrap what is left (OpInfo `nn.functional.pad#169`).
      OpSample("circular [-1, 1, -2, 1]", [rng.tensor([1, 3, 4, 4], dtype: dtype)]) { [NN.pad($0[0], [-1, 1, -2, 1], mode: .circular)] },
    ]
  }, golden: { c in
    let modeName = try c.string(2, "mode", default: "constant") ?? "constant"
    guard let mode = PaddingMode(rawValue: modeName) else {
      throw ConformanceError.unsupportedArgument("\(c.op): mode \(modeName) is not supported")
    }
    return [NN.pad(try c.tensor(0), try c.requiredInts(1, "pad"), mode: mode, value: try c.optionalDouble(3, "value") ?? 0)]
  })
}
