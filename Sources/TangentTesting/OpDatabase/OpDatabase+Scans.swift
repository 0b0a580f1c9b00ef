import Tangent

extension OpDatabase {
  /// Scans along a dim.
  static let scans: [OpInfo] = [
    scanRecord("cumsum", torch: ["cumsum"]) { $0.cumsum(dim: $1) },
    scanRecord("cumprod", torch: ["cumprod"], withZeros: true) { $0.cumprod(dim: $1) },
    scanRecord("logCumSumExp", torch: ["logcumsumexp"]) { $0.logCumSumExp(dim: $1) },
    runningExtremumRecord(max: true),
    runningExtremumRecord(max: false),
    OpInfo("cumulativeTrapezoid", torch: ["cumulative_trapezoid"], samples: { dtype, rng in
      [OpSample("dx 0.5", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].cumulativeTrapezoid(dx: 0.5)] },
       OpSample("x [4], dim -1", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
         [$0[0].cumulativeTrapezoid(x: $0[1])]
       },
       OpSample("x [3, 4], dim 0", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) {
         [$0[0].cumulativeTrapezoid(x: $0[1], dim: 0)]
       }]
    }, golden: { c in
      let y = try c.tensor(0)
      let dim = try c.int(nil, "dim", default: -1)
      if c.isTensor(1) { return [y.cumulativeTrapezoid(x: try c.tensor(1), dim: dim)] }
      return [y.cumulativeTrapezoid(dx: try c.optionalNumber(nil, "dx") ?? 1, dim: dim)]
    }),
  ]

  /// `cummax`/`cummin`: values and indices.
  static func runningExtremumRecord(max: Bool) -> OpInfo {
    let name = max ? "cummax" : "cummin"
    return OpInfo(name, torch: [name], dtypes: [.float64], samples: { dtype, rng in
      @Sendable func f(_ x: Tensor, _ d: Int) -> [Tensor] {
        let r = max ? x.cummax(dim: d) : x.cummin(dim: d)
        return [r.values, r.indices]
      }
      return [
        OpSample("dim 1", [rng.tensor([3, 4], dtype: dtype)]) { f($0[0], 1) },
        OpSample("dim 0", [rng.tensor([3, 4], dtype: dtype)]) { f($0[0], 0) },
        OpSample("transposed, dim -1", [rng.tensor([4, 3], dtype: dtype).transposed()]) { f($0[0], -1) },
        OpSample("0-d", [rng.tensor([], dtype: dtype)]) { f($0[0], 0) },
      ]
    }, golden: { c in
      let x = try c.tensor(0), d = try c.int(1, "dim")
      let r = max ? x.cummax(dim: d) : x.cummin(dim: d)
      return [r.values, r.indices]
    })
  }

  /// A record for a scan `f(x, dim)`.
  static func scanRecord(
    _ name: String, torch: [String], dtypes: Set<DType> = [.float64, .complex128], withZeros: Bool = false,
    _ f: @escaping @Sendable (Tensor, Int) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: dtypes, samples: { dtype, rng in
      var out = [
        OpSample("dim 1", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], 1)] },
        OpSample("dim 0", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], 0)] },
        OpSample("transposed, dim -1", [rng.tensor([4, 3], dtype: dtype).transposed()]) { [f($0[0], -1)] },
        OpSample("[5]", [rng.tensor([5], dtype: dtype)]) { [f($0[0], 0)] },
        OpSample("0-d", [rng.tensor([], dtype: dtype)]) { [f($0[0], 0)] },
        OpSample("empty", [rng.tensor([0, 3], dtype: dtype)]) { [f($0[0], 0)] },
      ]
      if withZeros {
        let z = Tensor(shape: [2, 4], scalars: [0.0, 1.5, 0.0, -0.7, 1.1, 0.0, -1.3, 0.9]).converted(to: dtype)
        out.append(OpSample("with zeros", [z]) { [f($0[0], 1)] })
      }
      return out
    }, golden: { c in
      [f(try c.tensor(0, convertedBy: "dtype"), try c.int(1, "dim"))]
    }).withEdgeSamples(EdgeShapes.alongDim(EdgeShapes.plain(withZeros ? 0.5...1.5 : -2...2), f))
  }
}
