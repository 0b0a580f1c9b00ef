import Tangent

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
    OpInfo("NN.rmsNorm", torch: ["nn.functional.rms_norm"], dtypes: [.float64, .complex128], samples: { dtype, rng in
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
      let (mean, variance) = (try c.optionalTensor(1, "running_mean"), try c.optionalTensor(2, "running_var"))
      if training, var runningMean = mean, var runningVar = variance {
        // Training mode with running statistics: PyTorch updates them in place, and the
        // output does not read them. Tangent's explicit update (the `inout` form) does the same;
        // the case observes only the output.
        return [NN.batchNorm(
          try c.tensor(0), runningMean: &runningMean, runningVar: &runningVar, weight: try c.optionalTensor(3, "weight"), bias: try c.optionalTensor(4, "bias"),
          momentum: try c.double(6, "momentum", default: 0.1), eps: try c.double(7, "eps", default: 1e-5))]
      }
      return [NN.batchNorm(
        try c.tensor(0), runningMean: mean, runningVar: variance, weight: try c.optionalTensor(3, "weight"), bias: try c.optionalTensor(4, "bias"),
        training: training, momentum: try c.double(6, "momentum", default: 0.1), eps: try c.double(7, "eps", default: 1e-5))]
    }),
  ]

  /// ATen's normalisations that also return their saved statistics.
  static let nnNativeNormalization: [OpInfo] = [
    OpInfo("NN.nativeBatchNorm", torch: ["native_batch_norm", "_native_batch_norm_legit", "_batch_norm_with_update"], dtypes: [.float64], samples: { dtype, rng in
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
      // `_batch_norm_with_update(input, weight, bias, running_mean, running_var, momentum, eps)`:
      // training mode, the running statistics updated in place (Tangent's explicit update;
      // no output reads them), and an empty reserve buffer as a fourth output (uint8 in
      // PyTorch, int64 in the case).
      if c.op == "_batch_norm_with_update" {
        let (x, weight, bias) = (try c.tensor(0), try c.optionalTensor(1, "weight"), try c.optionalTensor(2, "bias"))
        var (runningMean, runningVar) = (try c.tensor(3), try c.tensor(4))
        let momentum = try c.double(5, "momentum"), eps = try c.double(6, "eps")
        _ = NN.batchNorm(x.detached, runningMean: &runningMean, runningVar: &runningVar, momentum: momentum, eps: eps)
        let r = NN.nativeBatchNorm(x, weight: weight, bias: bias, runningMean: nil, runningVar: nil, training: true, momentum: momentum, eps: eps)
        return [r.output, r.saveMean, r.saveInvstd, Tensor.zeros([0], dtype: .int64)]
      }
      // `_native_batch_norm_legit` has a second signature without running statistics:
      // (input, weight, bias, training, momentum, eps), told apart by a bool at position 3.
      if c.op == "_native_batch_norm_legit", c.count > 3, case .value(.bool) = c.arguments[3] {
        let r = NN.nativeBatchNorm(
          try c.tensor(0), weight: try c.optionalTensor(1), bias: try c.optionalTensor(2), runningMean: nil, runningVar: nil,
          training: try c.bool(3, "training", default: false), momentum: try c.double(4, "momentum", default: 0.1),
          eps: try c.double(5, "eps", default: 1e-5))
        return [r.output, r.saveMean, r.saveInvstd]
      }
      let training = try c.bool(5, "training", default: false)
      let (mean, variance) = (try c.optionalTensor(3), try c.optionalTensor(4))
      let momentum = try c.double(6, "momentum", default: 0.1), eps = try c.double(7, "eps", default: 1e-5)
      let (x, weight, bias) = (try c.tensor(0), try c.optionalTensor(1), try c.optionalTensor(2))
      if training, var runningMean = mean, var runningVar = variance {
        // Training mode with running statistics: PyTorch updates them in place and no output
        // reads them (the saved mean and 1/σ are the batch's). The explicit update is
        // `NN.batchNorm`'s `inout` form; the case observes only the outputs.
        _ = NN.batchNorm(x.detached, runningMean: &runningMean, runningVar: &runningVar, momentum: momentum, eps: eps)
        let r = NN.nativeBatchNorm(x, weight: weight, bias: bias, runningMean: nil, runningVar: nil, training: true, momentum: momentum, eps: eps)
        return [r.output, r.saveMean, r.saveInvstd]
      }
      let r = NN.nativeBatchNorm(
        x, weight: weight, bias: bias, runningMean: mean, runningVar: variance, training: training, momentum: momentum, eps: eps)
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
      // ATen's N, C and HxW restate the input's shape: read them and require that they do.
      let x = try c.tensor(0)
      let stated = [try c.int(3, "N"), try c.int(4, "C"), try c.int(5, "HxW")]
      let actual = x.rank >= 2 ? [x.shape[0], x.shape[1], x.shape.dropFirst(2).reduce(1, *)] : []
      guard stated == actual else {
        throw ConformanceError.unsupportedArgument("native_group_norm: N, C, HxW \(stated) do not match the input \(x.shape)")
      }
      let r = NN.nativeGroupNorm(
        x, weight: try c.optionalTensor(1), bias: try c.optionalTensor(2), numGroups: try c.int(6, "group"),
        eps: try c.double(7, "eps"))
      return [r.output, r.mean, r.rstd]
    }),
  ]

  /// Instance and local response normalisation of ``NN``.
  static let nnInstanceNormalization: [OpInfo] = [
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
      let (mean, variance) = (try c.optionalTensor(1, "running_mean"), try c.optionalTensor(2, "running_var"))
      if useInputStats && (mean != nil || variance != nil) {
        // PyTorch updates the running statistics in place and the output does not read them
        // (it uses each instance's statistics): the case observes only the output, which is
        // Tangent's functional form without them.
        return [NN.instanceNorm(
          try c.tensor(0), weight: try c.optionalTensor(3, "weight"), bias: try c.optionalTensor(4, "bias"), useInputStats: true,
          momentum: try c.double(6, "momentum", default: 0.1), eps: try c.double(7, "eps", default: 1e-5))]
      }
      return [NN.instanceNorm(
        try c.tensor(0), runningMean: mean, runningVar: variance, weight: try c.optionalTensor(3, "weight"), bias: try c.optionalTensor(4, "bias"),
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
  ]
}
