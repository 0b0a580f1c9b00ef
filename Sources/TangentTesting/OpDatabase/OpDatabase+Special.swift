import Tangent

extension OpDatabase {
  /// Special functions: error functions, the gamma family, and `torch.special`.
  static let special: [OpInfo] = [
    .unary("erf", torch: ["erf", "special.erf"], dtypes: [.float64]) { $0.erf() },
    .unary("erfc", torch: ["erfc", "special.erfc"], dtypes: [.float64]) { $0.erfc() },
    .unary("erfinv", torch: ["erfinv", "special.erfinv"], dtypes: [.float64], domain: -0.9...0.9) { $0.erfinv() },
    // Positive arguments: the poles of Γ are at the non-positive integers.
    .unary("lgamma", torch: ["lgamma", "special.gammaln"], dtypes: [.float64], domain: 0.3...4) { $0.lgamma() },
    .unary("digamma", torch: ["digamma", "special.digamma", "special.psi"], dtypes: [.float64], domain: 0.3...4) { $0.digamma() },
    OpInfo("polygamma", torch: [
      "polygamma", "polygamma.polygamma_n_0", "polygamma.polygamma_n_1", "polygamma.polygamma_n_2", "polygamma.polygamma_n_3",
      "polygamma.polygamma_n_4", "special.polygamma", "special.polygamma.special_polygamma_n_0",
    ], dtypes: [.float64], samples: { dtype, rng in
      (0...3).map { n in
        OpSample("n = \(n)", [rng.tensor([3, 4], dtype: dtype, in: 0.5...3)]) { [$0[0].polygamma(n)] }
      }
    }, golden: { c in
      // torch.polygamma(n, x), or the method form x.polygamma(n).
      if c.isTensor(0) { return [try c.tensor(0).polygamma(try c.int(1, "n"))] }
      return [try c.tensor(1).polygamma(try c.int(0, "n"))]
    }),
    .binary("xlogy", torch: ["xlogy", "special.xlogy"], dtypes: [.float64], rhsDomain: 0.2...3) { $0.xlogy($1) },
    .binary("xlog1py", torch: ["special.xlog1py"], dtypes: [.float64], rhsDomain: -0.5...2) { $0.xlog1py($1) },
    OpInfo("mvlgamma", torch: [
      "mvlgamma", "mvlgamma.mvlgamma_p_1", "mvlgamma.mvlgamma_p_3", "mvlgamma.mvlgamma_p_5", "special.multigammaln",
    ], dtypes: [.float64], samples: { dtype, rng in
      // Every element must exceed (p − 1)/2.
      [1, 3, 5].map { p in
        OpSample("p = \(p)", [rng.tensor([3, 4], dtype: dtype, in: Double(p - 1) / 2 + 0.3...Double(p) + 1)]) { [$0[0].mvlgamma(p: p)] }
      }
    }, golden: { c in [try c.tensor(0).mvlgamma(p: try c.int(1, "p"))] }),
    OpInfo("logit", torch: ["logit", "special.logit"], dtypes: [.float64], samples: { dtype, rng in
      [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype, in: 0.05...0.95)]) { [$0[0].logit()] },
       OpSample("transposed", [rng.tensor([4, 3], dtype: dtype, in: 0.05...0.95).transposed()]) { [$0[0].logit()] },
       // eps 0.2 clamps to [0.2, 0.8]; the samples keep away from the clamp's corners.
       OpSample("eps 0.2", [rng.tensor([3, 4], dtype: dtype, in: 0.02...0.98, avoiding: [0.2, 0.8])]) { [$0[0].logit(eps: 0.2)] }]
    }, golden: { c in [try c.tensor(0).logit(eps: try c.optionalNumber(1, "eps"))] }),
    .unary("entr", torch: ["special.entr"], dtypes: [.float64], domain: 0.2...2) { $0.entr() },
    .unary("ndtr", torch: ["special.ndtr"], dtypes: [.float64], domain: -3...3) { $0.ndtr() },
    .unary("logNdtr", torch: ["special.log_ndtr"], dtypes: [.float64], domain: -6...3) { $0.logNdtr() },
    .unary("ndtri", torch: ["special.ndtri"], dtypes: [.float64], domain: 0.02...0.98) { $0.ndtri() },
    OpInfo("erfcx", torch: ["special.erfcx"], dtypes: [.float64], samples: { dtype, rng in
      // Both sides of zero, and the asymptotic series beyond 12.
      [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype, in: -2...3)]) { [$0[0].erfcx()] },
       OpSample("large", [rng.tensor([5], dtype: dtype, in: 10...40)]) { [$0[0].erfcx()] }]
    }, golden: { c in [try c.tensor(0).erfcx()] }),
    bessel("i0", torch: ["i0", "special.i0"]) { $0.i0() },
    bessel("i0e", torch: ["special.i0e"]) { $0.i0e() },
    bessel("i1", torch: ["special.i1"]) { $0.i1() },
    bessel("i1e", torch: ["special.i1e"]) { $0.i1e() },
  ]

  /// A modified Bessel function's record: the power series (|x| ≤ 30) and the asymptotic series
  /// beyond; samples keep away from 0, where the scaled forms have a kink.
  static func bessel(_ name: String, torch: [String], _ f: @escaping @Sendable (Tensor) -> Tensor) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: [.float64], samples: { dtype, rng in
      [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype, in: -4...4, avoiding: [0], gap: 0.1)]) { [f($0[0])] },
       OpSample("transposed", [rng.tensor([4, 3], dtype: dtype, in: -4...4, avoiding: [0], gap: 0.1).transposed()]) { [f($0[0])] },
       OpSample("large", [rng.tensor([6], dtype: dtype, in: -45...45, avoiding: [0], gap: 25)]) { [f($0[0])] }]
    }, golden: { c in [f(try c.tensor(0))] })
  }
}
