import Tangent

extension OpDatabase {
  /// The masks the `torch.masked` samples use: one of the input's shape with a kept element in
  /// every row and column, and one that broadcasts along the rows.
  static let maskedFull = mask([3, 4], [1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1])
  static let maskedRow = mask([4], [1, 1, 0, 1])

  /// The `mask` keyword of a `torch.masked` golden case: only its absence is supported (the
  /// runner passes tensors positionally).
  /// `torch.masked.var`/`std(input, dim, unbiased, keepdim, *, dtype, mask, correction)`:
  /// `unbiased` absent or null means correction 1, and `correction` overrides it, as in PyTorch.
  static func maskedMoment(
    _ c: GoldenCall, _ f: (Tensor, [Int]?, Double, Bool, Tensor?) -> Tensor
  ) throws -> [Tensor] {
    let mask = try readMaskedMask(c)
    var correction = 1.0
    switch try c.plainArgument(2, "unbiased") {
    case nil, .null?: break
    case .bool(let unbiased)?: correction = unbiased ? 1 : 0
    case let v?: throw ConformanceError.unsupportedArgument("\(c.op): unbiased is \(v)")
    }
    if let given = try c.optionalNumber(nil, "correction") { correction = given }
    return [f(try c.tensor(0), try c.dims(1, "dim"), correction, try c.bool(3, "keepdim", default: false), mask)]
  }

  static func readMaskedMask(_ c: GoldenCall) throws -> Tensor? {
    try requireDefault(c, "mask")
    return nil
  }

  /// A record for a `torch.masked` reduction over dims: samples over all dims, one dim with
  /// a full mask, and two dims kept with a broadcast mask.
  ///
  /// `edge` calls the op on the edge shapes (``EdgeShapes/reductions(emptyDims:)``), when
  /// `f` would not do (the variances take correction 0 there, so that size-1 dims stay finite).
  static func maskedReduction(
    _ name: String, torch: String, dtypes: Set<DType> = [.float64, .complex128],
    edge: (@Sendable (Tensor, [Int], Bool) -> Tensor)? = nil,
    _ f: @escaping @Sendable (Tensor, [Int]?, Bool, Tensor?) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: [torch], dtypes: dtypes, samples: { dtype, rng in
      [OpSample("[3, 4] all, full mask", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], nil, false, maskedFull)] },
       OpSample("[3, 4] dim 1, full mask", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], [1], false, maskedFull)] },
       OpSample("[3, 4] transposed dim 1 keepdim, row mask", [rng.tensor([4, 3], dtype: dtype).transposed()]) {
         [f($0[0], [1], true, maskedRow)]
       },
       OpSample("[3, 4] dim -1, no mask", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], [-1], false, nil)] }]
    }, golden: { c in
      let mask = try readMaskedMask(c)
      return [f(try c.tensor(0), try c.dims(1, "dim"), try c.bool(nil, "keepdim", default: false), mask)]
    }).withEdgeSamples(EdgeShapes.reduction(emptyDims: false, EdgeShapes.plain(0.5...1.5), edge ?? { f($0, $1, $2, nil) }))
  }

  /// A record for a `torch.masked` op along one dim; masked-out outputs are zeroed in the
  /// samples (`log_softmax` gives them `-inf`).
  static func maskedAlongDim(
    _ name: String, torch: String, dtypes: Set<DType> = [.float64], _ f: @escaping @Sendable (Tensor, Int, Tensor?) -> Tensor
  ) -> OpInfo {
    OpInfo(name, torch: [torch], dtypes: dtypes, samples: { dtype, rng in
      [OpSample("[3, 4] dim 1, full mask", [rng.tensor([3, 4], dtype: dtype)]) {
        [Tensor.where(maskedFull, f($0[0], 1, maskedFull), 0.0)]
      }, OpSample("[3, 4] transposed dim 1, row mask", [rng.tensor([4, 3], dtype: dtype).transposed()]) {
        [Tensor.where(maskedRow, f($0[0], 1, maskedRow), 0.0)]
      }, OpSample("[3, 4] dim -1, no mask", [rng.tensor([3, 4], dtype: dtype)]) { [f($0[0], -1, nil)] }]
    }, golden: { c in
      let mask = try readMaskedMask(c)
      return [f(try c.tensor(0), try c.int(1, "dim"), mask)]
    }).withEdgeSamples(EdgeShapes.alongDim(EdgeShapes.plain(0.5...1.5)) { f($0, $1, nil) })
  }

  /// `torch.masked.norm(input, ord, dim, keepdim)`: the order comes before the dims. Samples
  /// cover orders 2, 1, ∞, −∞ and 0, and 0-d and 1-d inputs (as PyTorch's own samples do).
  static let maskedNorm = OpInfo("Masked.norm", torch: ["masked.norm"], dtypes: [.float64], samples: { dtype, rng in
    var out: [OpSample] = [
      OpSample("[3, 4] all, full mask", [rng.tensor([3, 4], dtype: dtype)]) { [Masked.norm($0[0], mask: maskedFull)] },
      OpSample("[3, 4] ord 1 dim 1, full mask", [rng.tensor([3, 4], dtype: dtype)]) {
        [Masked.norm($0[0], ord: 1, dims: [1], mask: maskedFull)]
      },
      OpSample("[3, 4] transposed ord 3 dim 1 keepdim, row mask", [rng.tensor([4, 3], dtype: dtype).transposed()]) {
        [Masked.norm($0[0], ord: 3, dims: [1], keepdim: true, mask: maskedRow)]
      },
      OpSample("[3, 4] ord ∞ dim -1, full mask", [rng.tensor([3, 4], dtype: dtype)]) {
        [Masked.norm($0[0], ord: .infinity, dims: [-1], mask: maskedFull)]
      },
      OpSample("[3, 4] ord −∞ dim 0, full mask", [rng.tensor([3, 4], dtype: dtype)]) {
        [Masked.norm($0[0], ord: -.infinity, dims: [0], mask: maskedFull)]
      },
    ]
    for ord in [2.0, 1] {
      out.append(OpSample("0-d ord \(ord) dim 0", [rng.tensor([], dtype: dtype)]) { [Masked.norm($0[0], ord: ord, dims: [0])] })
      out.append(OpSample("[5] ord \(ord) dim -1, mask", [rng.tensor([5], dtype: dtype)]) {
        [Masked.norm($0[0], ord: ord, dims: [-1], mask: mask([5], [1, 0, 1, 1, 0]))]
      })
    }
    return out
  }, golden: { c in
    let mask = try readMaskedMask(c)
    return [Masked.norm(
      try c.tensor(0), ord: try c.double(1, "ord", default: 2), dims: try c.dims(2, "dim"),
      keepdim: try c.bool(3, "keepdim", default: false), mask: mask)]
  }).withEdgeSamples(EdgeShapes.reduction(emptyDims: true, { shape, dtype, rng in
    rng.tensor(shape, dtype: dtype, in: 0.5...2)
  }) { Masked.norm($0, ord: 2, dims: $1, keepdim: $2) })

  /// `torch.masked.normalize(input, ord, dim, eps)`: the order comes before the dim. Samples
  /// include 0-d and 1-d inputs (as PyTorch's own samples do).
  static let maskedNormalize = OpInfo("Masked.normalize", torch: ["masked.normalize"], dtypes: [.float64, .complex128], samples: { dtype, rng in
    [OpSample("[3, 4] dim 1, full mask", [rng.tensor([3, 4], dtype: dtype)]) {
      [Masked.normalize($0[0], dim: 1, mask: maskedFull)]
    }, OpSample("[3, 4] transposed ord 1 dim 1, row mask", [rng.tensor([4, 3], dtype: dtype).transposed()]) {
      [Masked.normalize($0[0], ord: 1, dim: 1, mask: maskedRow)]
    }, OpSample("[3, 4] dim -1, no mask", [rng.tensor([3, 4], dtype: dtype)]) { [Masked.normalize($0[0], dim: -1)] },
    OpSample("0-d dim 0", [rng.tensor([], dtype: dtype, in: 0.5...2)]) { [Masked.normalize($0[0], dim: 0)] },
    OpSample("[5] ord 3 dim -1, mask", [rng.tensor([5], dtype: dtype)]) {
      [Masked.normalize($0[0], ord: 3, dim: -1, mask: mask([5], [1, 1, 0, 1, 1]))]
    }]
  }, golden: { c in
    let mask = try readMaskedMask(c)
    return [Masked.normalize(
      try c.tensor(0), ord: try c.double(1, "ord", default: 2), dim: try c.int(2, "dim"),
      eps: try c.double(nil, "eps", default: 1e-12), mask: mask)]
  }).withEdgeSamples(EdgeShapes.alongDim(EdgeShapes.plain(0.5...2)) { Masked.normalize($0, dim: $1) })

  /// The `torch.masked` reductions and normalisations.
  static let masked: [OpInfo] = [
    maskedReduction("Masked.sum", torch: "masked.sum") { Masked.sum($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.mean", torch: "masked.mean") { Masked.mean($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.prod", torch: "masked.prod") { Masked.prod($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.amax", torch: "masked.amax", dtypes: [.float64]) { Masked.amax($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.amin", torch: "masked.amin", dtypes: [.float64]) { Masked.amin($0, dims: $1, keepdim: $2, mask: $3) },
    withGolden(maskedReduction("Masked.var", torch: "masked.var", edge: { Masked.var($0, dims: $1, correction: 0, keepdim: $2) }) {
      Masked.var($0, dims: $1, keepdim: $2, mask: $3)
    }) { c in try maskedMoment(c) { Masked.var($0, dims: $1, correction: $2, keepdim: $3, mask: $4) } },
    withGolden(maskedReduction("Masked.std", torch: "masked.std", edge: { Masked.std($0, dims: $1, correction: 0, keepdim: $2) }) {
      Masked.std($0, dims: $1, keepdim: $2, mask: $3)
    }) { c in try maskedMoment(c) { Masked.std($0, dims: $1, correction: $2, keepdim: $3, mask: $4) } },
    maskedNorm,
    maskedReduction("Masked.logSumExp", torch: "masked.logsumexp") {
      Masked.logSumExp($0, dims: $1, keepdim: $2, mask: $3)
    },
    maskedAlongDim("Masked.softmax", torch: "masked.softmax") { Masked.softmax($0, dim: $1, mask: $2) },
    maskedAlongDim("Masked.logSoftmax", torch: "masked.log_softmax") { Masked.logSoftmax($0, dim: $1, mask: $2) },
    maskedAlongDim("Masked.softmin", torch: "masked.softmin") { Masked.softmin($0, dim: $1, mask: $2) },
    maskedAlongDim("Masked.cumsum", torch: "masked.cumsum", dtypes: [.float64, .complex128]) { Masked.cumsum($0, dim: $1, mask: $2) },
    maskedAlongDim("Masked.cumprod", torch: "masked.cumprod") { Masked.cumprod($0, dim: $1, mask: $2) },
    maskedNormalize,
    OpInfo("Masked.median", torch: ["masked.median"], dtypes: [.float64], samples: { dtype, rng in
      [OpSample("[3, 4] dim 1, full mask", [rng.tensor([3, 4], dtype: dtype)]) { [Masked.median($0[0], dim: 1, mask: maskedFull)] },
       OpSample("[3, 4] transposed dim 1 keepdim, row mask", [rng.tensor([4, 3], dtype: dtype).transposed()]) {
         [Masked.median($0[0], dim: 1, keepdim: true, mask: maskedRow)]
       },
       OpSample("[3, 4] dim 0, no mask", [rng.tensor([3, 4], dtype: dtype)]) { [Masked.median($0[0], dim: 0)] }]
    }, golden: { c in
      let mask = try readMaskedMask(c)
      return [Masked.median(try c.tensor(0), dim: try c.int(1, "dim", default: -1), keepdim: try c.bool(nil, "keepdim", default: false), mask: mask)]
    }),
    OpInfo("Masked.logAddExp", torch: ["masked.logaddexp"], dtypes: [.float64], samples: { dtype, rng in
      [OpSample("[3, 4] with [4], masks", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
        [Masked.logAddExp($0[0], $0[1], maskA: maskedFull, maskB: mask([3, 4], [1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0]))]
      }, OpSample("[3, 4] with [3, 4], no masks", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) {
        [Masked.logAddExp($0[0], $0[1])]
      }]
    }, golden: { c in
      try requireDefault(c, "input_mask")
      try requireDefault(c, "other_mask")
      return [Masked.logAddExp(try c.tensor(0), try c.tensor(1))]
    }),
  ]
}
