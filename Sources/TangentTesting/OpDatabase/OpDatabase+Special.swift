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
  ]
}
