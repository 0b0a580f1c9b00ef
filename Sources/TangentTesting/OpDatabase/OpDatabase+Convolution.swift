import Tangent

extension OpDatabase {
  /// The 1-d and 2-d convolutions, the 2-d transposed convolution and the window ops
  /// (`unfold`, `fold`) of ``NN``.
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
  ]

  /// The 1-d and 3-d transposed convolutions and the 3-d convolution of ``NN``.
  static let nnConvolutionExtras: [OpInfo] = [
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
  ]
}
