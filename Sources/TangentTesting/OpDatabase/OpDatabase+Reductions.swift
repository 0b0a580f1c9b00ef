import Tangent

extension OpDatabase {
  /// Reductions and scans.
  static let reductions: [OpInfo] = [
    OpInfo("sum", torch: ["sum"], samples: { dtype, rng in
      let x = rng.tensor([3, 4, 2], dtype: dtype)
      return [
        OpSample("all", [x]) { [$0[0].sum()] },
        OpSample("dim 1 keepdim", [x]) { [$0[0].sum(dim: 1, keepdim: true)] },
        OpSample("dims [0, -1]", [x]) { [$0[0].sum(dims: [0, -1])] },
        OpSample("0-d", [rng.tensor([], dtype: dtype)]) { [$0[0].sum()] },
        OpSample("empty", [rng.tensor([0, 3], dtype: dtype)]) { [$0[0].sum(dim: 0)] },
      ]
    }, golden: { call in
      let x = try call.tensor(0)
      let dims = try call.ints(1, "dim")
      let keep = try call.bool(2, "keepdim", default: false)
      return [dims.map { x.sum(dims: $0, keepdim: keep) } ?? x.sum()]
    }),
    OpInfo("mean", torch: ["mean"], samples: { dtype, rng in
      let x = rng.tensor([3, 4], dtype: dtype)
      return [OpSample("all", [x]) { [$0[0].mean()] }, OpSample("dim -1", [x]) { [$0[0].mean(dims: [-1])] }]
    }, golden: { call in
      let x = try call.tensor(0)
      let dims = try call.ints(1, "dim")
      let keep = try call.bool(2, "keepdim", default: false)
      return [dims.map { x.mean(dims: $0, keepdim: keep) } ?? x.mean()]
    }),
  ]
}
