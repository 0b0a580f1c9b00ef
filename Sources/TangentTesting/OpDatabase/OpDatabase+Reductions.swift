import Tangent

extension OpDatabase {
  /// Reductions: sums, products, extrema, moments, norms, log-sum-exp and softmax.
  static let reductions: [OpInfo] = sums + extrema + moments + norms + softmaxes + differences + statistics

  /// Sums, means and products.
  static let sums: [OpInfo] = [
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
      let x = try call.tensor(0, convertedBy: "dtype")
      let dims = try call.dims(1, "dim")
      let keep = try call.bool(2, "keepdim", default: false)
      return [dims.map { x.sum(dims: $0, keepdim: keep) } ?? x.sum()]
    }).withEdgeSamples(EdgeShapes.reduction(emptyDims: true, EdgeShapes.plain()) { $0.sum(dims: $1, keepdim: $2) }),
    OpInfo("mean", torch: ["mean"], samples: { dtype, rng in
      let x = rng.tensor([3, 4], dtype: dtype)
      return [OpSample("all", [x]) { [$0[0].mean()] }, OpSample("dim -1", [x]) { [$0[0].mean(dims: [-1])] }]
    }, golden: { call in
      let x = try call.tensor(0, convertedBy: "dtype")
      let dims = try call.dims(1, "dim")
      let keep = try call.bool(2, "keepdim", default: false)
      return [dims.map { x.mean(dims: $0, keepdim: keep) } ?? x.mean()]
    }).withEdgeSamples(EdgeShapes.reduction(emptyDims: false, EdgeShapes.plain()) { $0.mean(dims: $1, keepdim: $2) }),
    OpInfo("prod", torch: ["prod"], samples: { dtype, rng in
      let x = rng.tensor([3, 4], dtype: dtype, in: 0.5...1.5)
      // Exact zeros: the rules use products of the others, not y/x.
      let zeros = Tensor(shape: [2, 3], scalars: [0.0, 1.5, -0.7, 0.0, 0.0, 1.2]).converted(to: dtype)
      return [
        OpSample("all", [x]) { [$0[0].prod()] },
        OpSample("dim 0", [x]) { [$0[0].prod(dim: 0)] },
        OpSample("dim -1 keepdim", [x]) { [$0[0].prod(dim: -1, keepdim: true)] },
        OpSample("with zeros, dim 1", [zeros]) { [$0[0].prod(dim: 1)] },
        OpSample("with zeros, all", [zeros]) { [$0[0].prod()] },
        OpSample("0-d", [rng.tensor([], dtype: dtype)]) { [$0[0].prod()] },
      ]
    }, golden: { c in
      let x = try c.tensor(0, convertedBy: "dtype")
      guard let d = try c.optionalInt(1, "dim") else { return [x.prod()] }
      return [x.prod(dim: d, keepdim: try c.bool(2, "keepdim", default: false))]
    }).withEdgeSamples(EdgeShapes.reduction(emptyDims: true, EdgeShapes.plain(0.5...1.5)) { $0.prod(dim: $1[0], keepdim: $2) }),
  ]

  /// Maxima and minima, with and without indices.
  static let extrema: [OpInfo] = [
    reduction("amax", torch: ["amax"], dtypes: [.float64], { $0.amax() }, { $0.amax(dims: $1, keepdim: $2) }),
    reduction("amin", torch: ["amin"], dtypes: [.float64], { $0.amin() }, { $0.amin(dims: $1, keepdim: $2) }),
    extremumRecord(max: true),
    extremumRecord(max: false),
    indexRecord("argmax", { $0.argmax() }, { $0.argmax(dim: $1, keepdim: $2) }),
    indexRecord("argmin", { $0.argmin() }, { $0.argmin(dim: $1, keepdim: $2) }),
  ]

  /// A reduction over a list of dims (every dim by default), with `keepdim`.
  static func reduction(
    _ name: String, torch: [String], dtypes: Set<DType> = [.float64, .complex128], domain: ClosedRange<Double> = -2...2,
    _ whole: @escaping @Sendable (Tensor) -> Tensor, _ f: @escaping @Sendable (Tensor, [Int], Bool) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: dtypes, samples: { dtype, rng in
      [
        OpSample("all", [rng.tensor([3, 4], dtype: dtype, in: domain)]) { [whole($0[0])] },
        OpSample("dim 1", [rng.tensor([3, 4], dtype: dtype, in: domain)]) { [f($0[0], [1], false)] },
        OpSample("dims [0, 2] keepdim", [rng.tensor([2, 3, 4], dtype: dtype, in: domain)]) { [f($0[0], [0, 2], true)] },
        OpSample("transposed, dim 0", [rng.tensor([4, 3], dtype: dtype, in: domain).transposed()]) { [f($0[0], [0], false)] },
        OpSample("0-d", [rng.tensor([], dtype: dtype, in: domain)]) { [whole($0[0])] },
      ]
    }, golden: { c in
      let x = try c.tensor(0)
      let dims = try c.dims(1, "dim")
      let keep = try c.bool(2, "keepdim", default: false)
      return [dims.map { f(x, $0, keep) } ?? (keep ? f(x, Array(0..<x.rank), true) : whole(x))]
    }).withEdgeSamples(EdgeShapes.reduction(emptyDims: false, EdgeShapes.plain(domain), f))
  }

  /// `max`/`min`: the whole-tensor extreme, the extreme along a dim with its indices, or the
  /// elementwise extreme of two tensors.
  static func extremumRecord(max: Bool) -> OpInfo {
    let name = max ? "max" : "min"
    return OpInfo(name, torch: [name, "\(name).reduction_no_dim", "\(name).reduction_with_dim", "\(name).binary"], dtypes: [.float64],
                  samples: { dtype, rng in
      let x = rng.tensor([3, 4], dtype: dtype)
      @Sendable func along(_ t: Tensor, _ d: Int, _ keep: Bool) -> [Tensor] {
        let r = max ? t.max(dim: d, keepdim: keep) : t.min(dim: d, keepdim: keep)
        return [r.values, r.indices]
      }
      return [
        OpSample("all", [x]) { [max ? $0[0].max() : $0[0].min()] },
        OpSample("dim 1", [x]) { along($0[0], 1, false) },
        OpSample("dim -1 keepdim", [x]) { along($0[0], -1, true) },
        OpSample("transposed, dim 0", [rng.tensor([4, 3], dtype: dtype).transposed()]) { along($0[0], 0, false) },
        OpSample("binary", [x, rng.tensor([4], dtype: dtype)]) { [max ? $0[0].maximum($0[1]) : $0[0].minimum($0[1])] },
      ]
    }, golden: { c in
      let x = try c.tensor(0)
      if c.isTensor(1) {
        let y = try c.tensor(1)
        return [max ? x.maximum(y) : x.minimum(y)]
      }
      guard let d = try c.optionalInt(1, "dim") else { return [max ? x.max() : x.min()] }
      let keep = try c.bool(2, "keepdim", default: false)
      let r = max ? x.max(dim: d, keepdim: keep) : x.min(dim: d, keepdim: keep)
      return [r.values, r.indices]
    })
  }

  /// `argmax`/`argmin`: integer outputs, no derivative.
  static func indexRecord(
    _ name: String, _ whole: @escaping @Sendable (Tensor) -> Tensor, _ f: @escaping @Sendable (Tensor, Int, Bool) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: [name], dtypes: [.float64], modes: .none, limits: ["integer output: no derivative"], samples: { dtype, rng in
      let x = rng.tensor([3, 4], dtype: dtype)
      return [OpSample("all", [x]) { [whole($0[0])] }, OpSample("dim 1 keepdim", [x]) { [f($0[0], 1, true)] }]
    }, golden: { c in
      let x = try c.tensor(0)
      guard let d = try c.optionalInt(1, "dim") else { return [whole(x)] }
      return [f(x, d, try c.bool(2, "keepdim", default: false))]
    })
  }

  /// PyTorch's variance arguments: `(dim, unbiased, keepdim)` positionally, or `unbiased` alone
  /// as the first argument; `correction` and `keepdim` keywords.
  static func varianceArguments(_ c: GoldenCall) throws -> (dims: [Int]?, correction: Double, keepdim: Bool) {
    var dims: [Int]?, correction = 1.0, keep = false
    if let v = c.value(1, nil), case .bool(let unbiased) = v {
      correction = unbiased ? 1 : 0
      dims = try c.dims(nil, "dim")
      keep = try c.bool(nil, "keepdim", default: false)
    } else {
      dims = try c.dims(1, "dim")
      if let v = c.value(2, "unbiased") {
        guard let unbiased = v.bool else { throw ConformanceError.unsupportedArgument("\(c.op): unbiased is \(v)") }
        correction = unbiased ? 1 : 0
      }
      keep = try c.bool(3, "keepdim", default: false)
    }
    if let v = try c.optionalNumber(nil, "correction") { correction = v }
    return (dims, correction, keep)
  }

  /// Variances and standard deviations, alone and with the mean.
  static let moments: [OpInfo] = [
    moment("var", torch: ["var", "var.unbiased"]) { [$0.var(dims: $1, correction: $2, keepdim: $3)] },
    moment("std", torch: ["std", "std.unbiased"]) { [$0.std(dims: $1, correction: $2, keepdim: $3)] },
    moment("varMean", torch: ["var_mean", "var_mean.unbiased"]) {
      let r = $0.varMean(dims: $1, correction: $2, keepdim: $3)
      return [r.var, r.mean]
    },
    moment("stdMean", torch: ["std_mean", "std_mean.unbiased"]) {
      let r = $0.stdMean(dims: $1, correction: $2, keepdim: $3)
      return [r.std, r.mean]
    },
  ]

  /// A variance-like record: `f(x, dims, correction, keepdim)`.
  static func moment(
    _ name: String, torch: [String], _ f: @escaping @Sendable (Tensor, [Int]?, Double, Bool) -> [Tensor]
  ) -> OpInfo {
    OpInfo(name, torch: torch, samples: { dtype, rng in
      let x = rng.tensor([3, 4], dtype: dtype)
      return [
        OpSample("all", [x]) { f($0[0], nil, 1, false) },
        OpSample("dim 1", [x]) { f($0[0], [1], 1, false) },
        OpSample("dim 0, correction 0, keepdim", [x]) { f($0[0], [0], 0, true) },
        OpSample("dims [0, 2], correction 2", [rng.tensor([3, 2, 4], dtype: dtype)]) { f($0[0], [0, 2], 2, false) },
        OpSample("transposed, dim -1", [rng.tensor([4, 3], dtype: dtype).transposed()]) { f($0[0], [-1], 1, false) },
      ]
    }, golden: { c in
      let x = try c.tensor(0)
      let (dims, correction, keep) = try varianceArguments(c)
      return f(x, dims, correction, keep)
    }).withEdgeSamples { dtype, rng in
      // Correction 0 keeps size-1 dims finite; the empty-dim cases are NaN, as in PyTorch, and
      // their derivatives must still be 0 (`EdgeShapeTests` checks that).
      EdgeShapes.reductions(emptyDims: false).map { r in
        OpSample("edge \(r.shape) dims \(r.dims), correction 0", [rng.tensor(r.shape, dtype: dtype)]) {
          f($0[0], r.dims, 0, r.keepdim)
        }
      }
    }
  }

  /// Norms and log-sum-exp.
  static let norms: [OpInfo] = [
    OpInfo("logSumExp", torch: ["logsumexp", "special.logsumexp"], dtypes: [.float64, .complex128], samples: { dtype, rng in
      let x = rng.tensor([3, 4], dtype: dtype)
      return [
        OpSample("dim 1", [x]) { [$0[0].logSumExp(dim: 1)] },
        OpSample("dims [0, 1] keepdim", [x]) { [$0[0].logSumExp(dims: [0, 1], keepdim: true)] },
        OpSample("transposed, dim 0", [rng.tensor([4, 3], dtype: dtype).transposed()]) { [$0[0].logSumExp(dim: 0)] },
        OpSample("0-d", [rng.tensor([], dtype: dtype)]) { [$0[0].logSumExp(dim: 0)] },
      ]
    }, golden: { c in
      [try c.tensor(0).logSumExp(dims: try c.dims(1, "dim"), keepdim: try c.bool(2, "keepdim", default: false))]
    }),
    normRecord("norm", torch: ["norm", "norm.fro", "norm.inf"]) { x, p, dims, keep in x.norm(p: p, dims: dims, keepdim: keep) },
    normRecord("vectorNorm", torch: ["linalg.vector_norm"]) { x, p, dims, keep in x.vectorNorm(ord: p, dims: dims, keepdim: keep) },
    OpInfo("dist", torch: ["dist"], samples: { dtype, rng in
      [OpSample("p 2", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) { [$0[0].dist($0[1])] },
       OpSample("p 3", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) { [$0[0].dist($0[1], p: 3)] }]
    }, golden: { c in [try c.tensor(0).dist(try c.tensor(1), p: try c.double(2, "p", default: 2))] }),
    OpInfo("renorm", torch: ["renorm"], samples: { dtype, rng in
      // Row norms near 0.4, 1.7 and 3.5 around maxnorm 1: some rescaled, some not.
      let scale = Tensor(shape: [3, 1], scalars: [0.3, 1.5, 3]).converted(to: dtype.real)
      return [OpSample("p 2, dim 0, maxnorm 1", [rng.tensor([3, 4], dtype: dtype) * scale]) { [$0[0].renorm(p: 2, dim: 0, maxnorm: 1)] },
              OpSample("p 1, dim 1, maxnorm 2", [(rng.tensor([3, 4], dtype: dtype) * scale).transposed()]) {
                [$0[0].renorm(p: 1, dim: 1, maxnorm: 2)]
              }]
    }, golden: { c in
      [try c.tensor(0).renorm(p: try c.double(1, "p"), dim: try c.int(2, "dim"), maxnorm: try c.double(3, "maxnorm"))]
    }),
  ]

  /// A p-norm record. Samples keep the elements away from zero, where |x| has a kink.
  static func normRecord(
    _ name: String, torch: [String], _ f: @escaping @Sendable (Tensor, Double, [Int]?, Bool) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: torch, samples: { dtype, rng in
      func x(_ s: [Int]) -> Tensor { rng.tensor(s, dtype: dtype, in: -2...2, avoiding: [0], gap: 0.1) }
      return [
        OpSample("p 2, all", [x([3, 4])]) { [f($0[0], 2, nil, false)] },
        OpSample("p 1, dim 1", [x([3, 4])]) { [f($0[0], 1, [1], false)] },
        OpSample("p 3, dim -1 keepdim", [x([3, 4])]) { [f($0[0], 3, [-1], true)] },
        OpSample("p 0.5, dims [0, 1]", [x([3, 4])]) { [f($0[0], 0.5, [0, 1], false)] },
        OpSample("p ∞, dim 0", [x([3, 4])]) { [f($0[0], .infinity, [0], false)] },
        OpSample("p 2, transposed, dim 0", [x([4, 3]).transposed()]) { [f($0[0], 2, [0], false)] },
      ]
    }, golden: { c in
      let x = try c.tensor(0)
      var p = 2.0
      if let v = c.value(1, c.op == "linalg.vector_norm" ? "ord" : "p") {
        switch v {
        case .string("nuc") where c.op != "linalg.vector_norm":
          // torch.norm(x, p="nuc"): the nuclear norm of the matrices in dims (the last two).
          try c.expectDefault("dtype") { _ in false }
          return [Linalg.matrixNorm(x, ord: .nuc, dims: try c.dims(2, "dim") ?? [-2, -1], keepdim: try c.bool(3, "keepdim", default: false))]
        case .null, .string("fro"): p = 2
        default:
          guard let d = v.extendedNumber else { throw ConformanceError.unsupportedArgument("\(c.op): p = \(v)") }
          p = d
        }
      }
      let dtype = try c.dtypeArgument(nil, "dtype")
      return [f(dtype.map { x.converted(to: $0) } ?? x, p, try c.dims(2, "dim"), try c.bool(3, "keepdim", default: false))]
    }).withEdgeSamples(EdgeShapes.reduction(emptyDims: true, { shape, dtype, rng in
      rng.tensor(shape, dtype: dtype, in: -2...2, avoiding: [0], gap: 0.1)
    }) { f($0, 2, $1, $2) })
  }

  /// Softmax, log-softmax and softmin along a dim.
  static let softmaxes: [OpInfo] = [
    softmaxRecord("softmax", torch: ["softmax", "softmax.with_dtype", "nn.functional.softmax", "special.softmax"]) { $0.softmax(dim: $1) },
    softmaxRecord("logSoftmax", torch: ["log_softmax", "log_softmax.with_dtype", "nn.functional.log_softmax", "special.log_softmax"]) { $0.logSoftmax(dim: $1) },
    softmaxRecord("softmin", torch: ["nn.functional.softmin", "nn.functional.softmin.with_dtype"]) { $0.softmin(dim: $1) },
  ]

  /// A record for an op along one dim of a real tensor.
  static func softmaxRecord(_ name: String, torch: [String], _ f: @escaping @Sendable (Tensor, Int) -> Tensor) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: [.float64], samples: { dtype, rng in
      [
        OpSample("dim -1", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], -1)] },
        OpSample("dim 0", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], 0)] },
        OpSample("transposed, dim 1", [rng.tensor([4, 3], dtype: dtype).transposed()]) { [f($0[0], 1)] },
        OpSample("0-d", [rng.tensor([], dtype: dtype)]) { [f($0[0], 0)] },
      ]
    }, golden: { c in
      c.markRead("_stacklevel")
      return [f(try c.tensor(0, convertedBy: "dtype"), try c.int(1, "dim"))]
    }).withEdgeSamples(EdgeShapes.alongDim(EdgeShapes.plain(), f))
  }

  /// Differences, trapezoidal integrals and the trace.
  static let differences: [OpInfo] = [
    OpInfo("trapezoid", torch: ["trapezoid", "trapz"], samples: { dtype, rng in
      [
        OpSample("dx 1", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].trapezoid()] },
        OpSample("dx 0.5, dim 0", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].trapezoid(dx: 0.5, dim: 0)] },
        OpSample("x [4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) { [$0[0].trapezoid(x: $0[1])] },
        OpSample("x [3, 4], dim 0", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) {
          [$0[0].trapezoid(x: $0[1], dim: 0)]
        },
      ]
    }, golden: { c in
      let y = try c.tensor(0)
      if c.isTensor(1) { return [y.trapezoid(x: try c.tensor(1), dim: try c.int(2, "dim", default: -1))] }
      // trapezoid(y, *, dx, dim) and trapz(y, dx, dim).
      let dx = try c.optionalNumber(c.op == "trapz" ? 1 : nil, "dx") ?? 1
      return [y.trapezoid(dx: dx, dim: try c.int(c.op == "trapz" ? 2 : nil, "dim", default: -1))]
    }),
  ]

  /// NaN-skipping reductions, minimum and maximum together, covariance and correlation.
  static let statistics: [OpInfo] = [
    nanReduction("nansum", torch: ["nansum"]) { $0.nansum(dims: $1, keepdim: $2) },
    nanReduction("nanmean", torch: ["nanmean"]) { $0.nanmean(dims: $1, keepdim: $2) },
    OpInfo("aminmax", torch: ["aminmax"], dtypes: [.float64], samples: { dtype, rng in
      [OpSample("all", [rng.tensor([3, 4], dtype: dtype)]) { let r = $0[0].aminmax(); return [r.min, r.max] },
       OpSample("dim 0", [rng.tensor([3, 4], dtype: dtype)]) { let r = $0[0].aminmax(dim: 0); return [r.min, r.max] },
       OpSample("dim -1 keepdim", [rng.tensor([3, 4], dtype: dtype)]) { let r = $0[0].aminmax(dim: -1, keepdim: true); return [r.min, r.max] }]
    }, golden: { c in
      let r = try c.tensor(0).aminmax(dim: try c.optionalInt(nil, "dim"), keepdim: try c.bool(nil, "keepdim", default: false))
      return [r.min, r.max]
    }),
    OpInfo("cov", torch: ["cov"], samples: { dtype, rng in
      let fw = Tensor([Int64(1), 3, 2, 1, 2, 4])
      let aw = Tensor(shape: [6], scalars: [0.5, 1.2, 0.8, 1.5, 0.3, 1.0])
      return [
        OpSample("[3, 6]", [rng.tensor([3, 6], dtype: dtype)]) { [$0[0].cov()] },
        OpSample("[6], correction 0", [rng.tensor([6], dtype: dtype)]) { [$0[0].cov(correction: 0)] },
        OpSample("weights", [rng.tensor([2, 6], dtype: dtype)]) { [$0[0].cov(fweights: fw, aweights: aw)] },
        OpSample("transposed", [rng.tensor([6, 3], dtype: dtype).transposed()]) { [$0[0].cov(correction: 2)] },
      ]
    }, golden: { c in
      for name in ["fweights", "aweights"] { try c.expectDefault(name) { _ in false } }
      return [try c.tensor(0).cov(correction: try c.int(nil, "correction", default: 1))]
    }),
    OpInfo("corrcoef", torch: ["corrcoef"], samples: { dtype, rng in
      [OpSample("[3, 6]", [rng.tensor([3, 6], dtype: dtype)]) { [$0[0].corrcoef()] },
       OpSample("transposed", [rng.tensor([5, 2], dtype: dtype).transposed()]) { [$0[0].corrcoef()] }]
    }, golden: { c in [try c.tensor(0).corrcoef()] }),
  ]

  /// A NaN-skipping reduction; one sample has NaNs, whose derivative is zero.
  static func nanReduction(
    _ name: String, torch: [String], _ f: @escaping @Sendable (Tensor, [Int]?, Bool) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: torch, samples: { dtype, rng in
      let nans = Tensor(shape: [2, 4], scalars: [0.3, .nan, -1.2, 0.8, .nan, 1.5, 0.1, -0.4]).converted(to: dtype)
      return [
        OpSample("all", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], nil, false)] },
        OpSample("dim 1 keepdim", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], [1], true)] },
        OpSample("with NaN, dim 1", [nans]) { [f($0[0], [1], false)] },
      ]
    }, golden: { c in
      return [f(try c.tensor(0, convertedBy: "dtype"), try c.dims(1, "dim"), try c.bool(2, "keepdim", default: false))]
    }).withEdgeSamples(EdgeShapes.reduction(emptyDims: false, EdgeShapes.plain()) { f($0, $1, $2) })
  }
}
