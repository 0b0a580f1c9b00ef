import Tangent

extension OpDatabase {
  /// Reductions that select by order: sort, top-k, k-th value, median. Values are
  /// differentiated; indices are integers.
  static let sorting: [OpInfo] = [
    OpInfo("sort", torch: ["sort"], dtypes: [.float64], samples: { dtype, rng in
      @Sendable func f(_ x: Tensor, _ d: Int, _ descending: Bool) -> [Tensor] {
        let r = x.sort(dim: d, descending: descending)
        return [r.values, r.indices]
      }
      return [
        OpSample("dim -1", [rng.tensor([3, 4], dtype: dtype)]) { f($0[0], -1, false) },
        OpSample("dim 0 descending", [rng.tensor([3, 4], dtype: dtype)]) { f($0[0], 0, true) },
        OpSample("transposed, dim 1", [rng.tensor([4, 3], dtype: dtype).transposed()]) { f($0[0], 1, false) },
        OpSample("0-d", [rng.tensor([], dtype: dtype)]) { f($0[0], 0, false) },
        OpSample("empty", [rng.tensor([0, 3], dtype: dtype)]) { f($0[0], 1, false) },
      ]
    }, golden: { c in
      try c.expectDefault("stable") { $0.bool != nil }
      let r = try c.tensor(0).sort(dim: try c.int(1, "dim", default: -1), descending: try c.bool(2, "descending", default: false))
      return [r.values, r.indices]
    }),
    OpInfo("msort", torch: ["msort"], dtypes: [.float64], samples: { dtype, rng in
      [OpSample("[4, 3]", [rng.tensor([4, 3], dtype: dtype)]) { [$0[0].msort()] }]
    }, golden: { c in [try c.tensor(0).msort()] }),
    OpInfo("argsort", torch: ["argsort"], dtypes: [.float64], modes: .none, limits: ["integer output: no derivative"], samples: { dtype, rng in
      [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].argsort()] }]
    }, golden: { c in
      try c.expectDefault("stable") { $0.bool != nil }
      return [try c.tensor(0).argsort(dim: try c.int(1, "dim", default: -1), descending: try c.bool(2, "descending", default: false))]
    }),
    OpInfo("topk", torch: ["topk"], dtypes: [.float64], samples: { dtype, rng in
      @Sendable func f(_ x: Tensor, _ k: Int, _ d: Int, _ largest: Bool) -> [Tensor] {
        let r = x.topk(k, dim: d, largest: largest)
        return [r.values, r.indices]
      }
      return [
        OpSample("k 2", [rng.tensor([3, 4], dtype: dtype)]) { f($0[0], 2, -1, true) },
        OpSample("k 1, dim 0, smallest", [rng.tensor([3, 4], dtype: dtype)]) { f($0[0], 1, 0, false) },
        OpSample("k 3, transposed", [rng.tensor([4, 3], dtype: dtype).transposed()]) { f($0[0], 3, 1, true) },
      ]
    }, golden: { c in
      // Tangent's topk always sorts; `sorted=False` leaves PyTorch's order unspecified.
      guard try c.bool(4, "sorted", default: true) else { throw ConformanceError.unsupportedArgument("topk: sorted = false") }
      let r = try c.tensor(0).topk(
        try c.int(1, "k"), dim: try c.int(2, "dim", default: -1), largest: try c.bool(3, "largest", default: true))
      return [r.values, r.indices]
    }),
    OpInfo("kthvalue", torch: ["kthvalue"], dtypes: [.float64], samples: { dtype, rng in
      @Sendable func f(_ x: Tensor, _ k: Int, _ d: Int, _ keep: Bool) -> [Tensor] {
        let r = x.kthvalue(k, dim: d, keepdim: keep)
        return [r.values, r.indices]
      }
      return [
        OpSample("k 2", [rng.tensor([3, 4], dtype: dtype)]) { f($0[0], 2, -1, false) },
        OpSample("k 3, dim 0, keepdim", [rng.tensor([3, 4], dtype: dtype)]) { f($0[0], 3, 0, true) },
        OpSample("0-d", [rng.tensor([], dtype: dtype)]) { f($0[0], 1, 0, false) },
      ]
    }, golden: { c in
      let r = try c.tensor(0).kthvalue(
        try c.int(1, "k"), dim: try c.int(2, "dim", default: -1), keepdim: try c.bool(3, "keepdim", default: false))
      return [r.values, r.indices]
    }),
    medianRecord(ignoringNaN: false),
    medianRecord(ignoringNaN: true),
    quantileRecord(ignoringNaN: false),
    quantileRecord(ignoringNaN: true),
  ]

  /// `quantile`/`nanquantile` with a number or a tensor of q.
  static func quantileRecord(ignoringNaN: Bool) -> OpInfo {
    let name = ignoringNaN ? "nanquantile" : "quantile"
    return OpInfo(name, torch: [name], dtypes: [.float64], samples: { dtype, rng in
      @Sendable func f(_ x: Tensor, _ q: Double, _ d: Int?, _ keep: Bool, _ mode: QuantileInterpolation) -> [Tensor] {
        [ignoringNaN ? x.nanquantile(q, dim: d, keepdim: keep, interpolation: mode) : x.quantile(q, dim: d, keepdim: keep, interpolation: mode)]
      }
      let qs = Tensor([0.2, 0.5, 0.9])
      var out = [
        OpSample("q 0.3, dim 1", [rng.tensor([3, 5], dtype: dtype)]) { f($0[0], 0.3, 1, false, .linear) },
        OpSample("q 0.7, all, keepdim", [rng.tensor([3, 4], dtype: dtype)]) { f($0[0], 0.7, nil, true, .linear) },
        OpSample("q [0.2, 0.5, 0.9], dim 0", [rng.tensor([4, 3], dtype: dtype)]) {
          [ignoringNaN ? $0[0].nanquantile(qs, dim: 0) : $0[0].quantile(qs, dim: 0)]
        },
        // q as a differentiable input, as PyTorch differentiates it (OpInfo `quantile#37`).
        OpSample("q a differentiable [2] tensor, dim 1", [rng.tensor([3, 5], dtype: dtype), rng.tensor([2], dtype: dtype, in: 0.05...0.95)]) {
          [ignoringNaN ? $0[0].nanquantile($0[1], dim: 1) : $0[0].quantile($0[1], dim: 1)]
        },
        OpSample("q a differentiable 0-d tensor, all", [rng.tensor([2, 3], dtype: dtype), rng.tensor([], dtype: dtype, in: 0.05...0.95)]) {
          [ignoringNaN ? $0[0].nanquantile($0[1]) : $0[0].quantile($0[1])]
        },
        OpSample("lower", [rng.tensor([3, 5], dtype: dtype)]) { f($0[0], 0.3, 1, false, .lower) },
        OpSample("higher", [rng.tensor([3, 5], dtype: dtype)]) { f($0[0], 0.3, 1, false, .higher) },
        OpSample("nearest", [rng.tensor([3, 5], dtype: dtype)]) { f($0[0], 0.3, 1, false, .nearest) },
        OpSample("midpoint, transposed", [rng.tensor([5, 3], dtype: dtype).transposed()]) { f($0[0], 0.3, 1, false, .midpoint) },
      ]
      if ignoringNaN {
        let x = Tensor(shape: [2, 4], scalars: [0.3, .nan, -1.2, 0.8, .nan, 1.5, 0.1, -0.4])
        out.append(OpSample("with NaN, dim 1", [x]) { f($0[0], 0.4, 1, false, .linear) })
      }
      return out
    }, golden: { c in
      let x = try c.tensor(0)
      let dim = try c.optionalInt(2, "dim"), keep = try c.bool(3, "keepdim", default: false)
      let mode = try c.string(nil, "interpolation", default: "linear") ?? "linear"
      guard let interpolation = QuantileInterpolation(rawValue: mode) else {
        throw ConformanceError.unsupportedArgument("\(c.op): interpolation \(mode)")
      }
      if c.isTensor(1) {
        let q = try c.tensor(1)
        return [ignoringNaN
          ? x.nanquantile(q, dim: dim, keepdim: keep, interpolation: interpolation)
          : x.quantile(q, dim: dim, keepdim: keep, interpolation: interpolation)]
      }
      let q = try c.double(1, "q")
      return [ignoringNaN
        ? x.nanquantile(q, dim: dim, keepdim: keep, interpolation: interpolation)
        : x.quantile(q, dim: dim, keepdim: keep, interpolation: interpolation)]
    })
  }

  /// `median`/`nanmedian`: the whole-tensor median, or values and indices along a dim.
  static func medianRecord(ignoringNaN: Bool) -> OpInfo {
    let name = ignoringNaN ? "nanmedian" : "median"
    return OpInfo(name, torch: [name], dtypes: [.float64], samples: { dtype, rng in
      @Sendable func along(_ x: Tensor, _ d: Int, _ keep: Bool) -> [Tensor] {
        let r = ignoringNaN ? x.nanmedian(dim: d, keepdim: keep) : x.median(dim: d, keepdim: keep)
        return [r.values, r.indices]
      }
      @Sendable func whole(_ x: Tensor) -> [Tensor] { [ignoringNaN ? x.nanmedian() : x.median()] }
      var out = [
        OpSample("all", [rng.tensor([3, 5], dtype: dtype)]) { whole($0[0]) },
        OpSample("all, even count", [rng.tensor([3, 4], dtype: dtype)]) { whole($0[0]) },
        OpSample("dim 1", [rng.tensor([3, 5], dtype: dtype)]) { along($0[0], 1, false) },
        OpSample("dim 0 keepdim", [rng.tensor([4, 3], dtype: dtype)]) { along($0[0], 0, true) },
        OpSample("transposed, dim -1", [rng.tensor([4, 3], dtype: dtype).transposed()]) { along($0[0], -1, false) },
      ]
      if ignoringNaN {
        let x = Tensor(shape: [2, 4], scalars: [0.3, .nan, -1.2, 0.8, .nan, 1.5, 0.1, -0.4])
        out.append(OpSample("with NaN, dim 1", [x]) { along($0[0], 1, false) })
      }
      return out
    }, golden: { c in
      let x = try c.tensor(0)
      guard let d = try c.optionalInt(1, "dim") else { return [ignoringNaN ? x.nanmedian() : x.median()] }
      let keep = try c.bool(2, "keepdim", default: false)
      let r = ignoringNaN ? x.nanmedian(dim: d, keepdim: keep) : x.median(dim: d, keepdim: keep)
      return [r.values, r.indices]
    })
  }
}
