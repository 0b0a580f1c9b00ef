import Tangent

extension OpDatabase {
  /// A real activation with parameters: samples at the default parameters and at `variant`,
  /// inputs in `domain` away from `kinks`.
  static func activation(
    _ name: String, torch: [String], dtypes: Set<DType> = [.float64], domain: ClosedRange<Double> = -3...3,
    kinks: [Double] = [], modes: DerivativeModes = .all, limits: [String] = [],
    _ f: @escaping @Sendable (Tensor) -> Tensor, variant: (String, @Sendable (Tensor) -> Tensor)? = nil,
    golden: @escaping @Sendable (GoldenCall) throws -> [Tensor]
  ) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: dtypes, modes: modes, limits: limits, samples: { dtype, rng in
      var out = OpInfo.sampleShapes.map { s in
        OpSample("\(s)", [rng.tensor(s, dtype: dtype, in: domain, avoiding: kinks)]) { [f($0[0])] }
      }
      out.append(OpSample("[4, 3] transposed", [rng.tensor([4, 3], dtype: dtype, in: domain, avoiding: kinks).transposed()]) {
        [f($0[0])]
      })
      if let (label, g) = variant {
        out.append(OpSample(label, [rng.tensor([3, 4], dtype: dtype, in: domain, avoiding: kinks)]) { [g($0[0])] })
      }
      return out
    }, golden: golden)
    .withEdgeSamples(EdgeShapes.unary({ shape, dtype, rng in rng.tensor(shape, dtype: dtype, in: domain, avoiding: kinks) }, f))
  }

  /// Activation functions (`torch.nn.functional`).
  static let activations: [OpInfo] = [
    activation("sigmoid", torch: ["sigmoid", "special.expit", "nn.functional.sigmoid"], dtypes: [.float64, .complex128],
               domain: -2...2, { $0.sigmoid() }) { c in [try c.tensor(0).sigmoid()] },
    activation("logSigmoid", torch: ["nn.functional.logsigmoid"], { $0.logSigmoid() }) { c in [try c.tensor(0).logSigmoid()] },
    activation("relu", torch: ["nn.functional.relu", "relu"], kinks: [0], { $0.relu() }) { c in
      try c.readInplace()
      return [try c.tensor(0).relu()]
    },
    // The variant's threshold sits at x = 2.5, which the samples avoid.
    activation("softplus", torch: ["nn.functional.softplus"], kinks: [2.5], { $0.softplus() },
               variant: ("beta 2, threshold 5", { $0.softplus(beta: 2, threshold: 5) })) { c in
      [try c.tensor(0).softplus(beta: try c.double(1, "beta", default: 1), threshold: try c.double(2, "threshold", default: 20))]
    },
    activation("silu", torch: ["nn.functional.silu"], dtypes: [.float64, .complex128], domain: -2...2, { $0.silu() }) { c in
      try c.readInplace()
      return [try c.tensor(0).silu()]
    },
    activation("gelu", torch: ["nn.functional.gelu"], { $0.gelu() }, variant: ("tanh", { $0.gelu(approximate: .tanh) })) { c in
      let name = try c.string(nil, "approximate", default: "none") ?? "none"
      guard let approximate = GeluApproximation(rawValue: name) else {
        throw ConformanceError.unsupportedArgument("gelu: approximate = \(name)")
      }
      return [try c.tensor(0).gelu(approximate: approximate)]
    },
    activation("elu", torch: ["nn.functional.elu"], kinks: [0], { $0.elu() }, variant: ("alpha 0.7", { $0.elu(alpha: 0.7) })) { c in
      try c.readInplace()
      return [try c.tensor(0).elu(alpha: try c.double(1, "alpha", default: 1))]
    },
    activation("selu", torch: ["nn.functional.selu"], kinks: [0], { $0.selu() }) { c in
      try c.readInplace()
      return [try c.tensor(0).selu()]
    },
    activation("celu", torch: ["nn.functional.celu"], kinks: [0], { $0.celu() }, variant: ("alpha 0.7", { $0.celu(alpha: 0.7) })) { c in
      try c.readInplace()
      return [try c.tensor(0).celu(alpha: try c.double(1, "alpha", default: 1))]
    },
    activation("leakyRelu", torch: ["nn.functional.leaky_relu"], kinks: [0], { $0.leakyRelu() },
               variant: ("slope 0.2", { $0.leakyRelu(negativeSlope: 0.2) })) { c in
      try c.readInplace()
      return [try c.tensor(0).leakyRelu(negativeSlope: try c.double(1, "negative_slope", default: 0.01))]
    },
    activation("hardtanh", torch: ["nn.functional.hardtanh"], kinks: [-1, 1, -0.5, 2], { $0.hardtanh() },
               variant: ("[−0.5, 2]", { $0.hardtanh(min: -0.5, max: 2) })) { c in
      try c.readInplace()
      return [try c.tensor(0).hardtanh(min: try c.double(1, "min_val", default: -1), max: try c.double(2, "max_val", default: 1))]
    },
    activation("hardsigmoid", torch: ["nn.functional.hardsigmoid"], domain: -4...4, kinks: [-3, 3], { $0.hardsigmoid() }) { c in
      try c.readInplace()
      return [try c.tensor(0).hardsigmoid()]
    },
    activation("hardswish", torch: ["nn.functional.hardswish"], domain: -4...4, kinks: [-3, 3], { $0.hardswish() }) { c in
      try c.readInplace()
      return [try c.tensor(0).hardswish()]
    },
    activation("mish", torch: ["nn.functional.mish"], { $0.mish() }) { c in
      try c.readInplace()
      return [try c.tensor(0).mish()]
    },
    activation("relu6", torch: ["nn.functional.relu6"], domain: -2...8, kinks: [0, 6], { $0.relu6() }) { c in
      try c.readInplace()
      return [try c.tensor(0).relu6()]
    },
    activation("softsign", torch: ["nn.functional.softsign"], dtypes: [.float64, .complex128], kinks: [0], { $0.softsign() }) { c in [try c.tensor(0).softsign()] },
    activation("tanhshrink", torch: ["nn.functional.tanhshrink"], dtypes: [.float64, .complex128], domain: -2...2, { $0.tanhshrink() }) { c in
      [try c.tensor(0).tanhshrink()]
    },
    activation("softshrink", torch: ["nn.functional.softshrink"], kinks: [-0.5, 0.5, -1, 1], { $0.softshrink() },
               variant: ("lambda 1", { $0.softshrink(lambda: 1) })) { c in
      [try c.tensor(0).softshrink(lambda: try c.double(1, "lambd", default: 0.5))]
    },
    activation("hardshrink", torch: ["nn.functional.hardshrink"], kinks: [-0.5, 0.5, -1, 1], { $0.hardshrink() },
               variant: ("lambda 1", { $0.hardshrink(lambda: 1) })) { c in
      [try c.tensor(0).hardshrink(lambda: try c.double(1, "lambd", default: 0.5))]
    },
    activation("threshold", torch: ["nn.functional.threshold"], kinks: [0.1], { $0.threshold(0.1, value: -1) }) { c in
      try c.readInplace()
      return [try c.tensor(0).threshold(try c.double(1, "threshold"), value: try c.double(2, "value"))]
    },
  ]
}
