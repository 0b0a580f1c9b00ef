import Tangent

extension OpDatabase {
  /// The 2-d max, average and adaptive average pooling and the 1-d max pooling of ``NN``.
  static let nnPooling2d: [OpInfo] = [
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
        try c.tensor(0), kernelSize: try c.requiredSize(1, "kernel_size"), stride: try c.size(2, "stride"),
        padding: try c.size(3, "padding") ?? 0, dilation: try c.size(4, "dilation") ?? 1, ceilMode: try c.bool(5, "ceil_mode", default: false))
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

  /// Max pooling's backward and max unpooling of ``NN``.
  static let nnUnpooling: [OpInfo] = [
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
    }, golden: { c in
      guard c.count == 1 else { return [NN.maxPool2dBackward(try c.tensor(0), input: try c.tensor(1), indices: try c.tensor(7))] }
      // OpInfo's entry calls a wrapper of the input alone: max_pool2d_with_indices with the
      // keyword arguments, then the ATen backward of a cotangent of ones with those indices
      // (each input element gets the number of windows whose maximum it is).
      let x = try c.tensor(0), kernel = try c.sizes(1, "kernel_size", default: 1)
      let (stride, padding, dilation) = (try c.sizes(2, "stride"), try c.sizes(3, "padding", default: 0), try c.sizes(4, "dilation", default: 1))
      let ceilMode = try c.bool(5, "ceil_mode", default: false)
      _ = try c.bool(6, "return_indices", default: true)
      let pooled = NN.maxPool2dWithIndices(x, kernelSize: kernel, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
      return [NN.maxPool2dBackward(Tensor.ones(pooled.values.shape, dtype: x.dtype), input: x, indices: pooled.indices)]
    }),
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

  /// The fractional max pooling of ``NN``. Every call draws from a fresh generator of one seed,
  /// so the windows are the same in each evaluation.
  static let nnFractionalPooling: [OpInfo] = [
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
  ]
}
