import Tangent

extension OpDatabase {
  /// The masks the `torch.masked` samples use: one of the input's shape with a kept element in
  /// every row and column, and one that broadcasts along the rows.
  static let maskedFull = mask([3, 4], [1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1])
  static let maskedRow = mask([4], [1, 1, 0, 1])

  /// The `mask` keyword of a `torch.masked` golden case: only its absence is supported (the
  /// runner passes tensors positionally).
  static func readMaskedMask(_ c: GoldenCall) throws -> Tensor? {
    try requireDefault(c, "mask")
    return nil
  }

  /// A record for a `torch.masked` reduction over dims: samples over all dims, one dim with
  /// a full mask, and two dims kept with a broadcast mask.
  static func maskedReduction(
    _ name: String, torch: String, dtypes: Set<DType> = [.float64, .complex128],
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
    })
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
    })
  }

  /// The `torch.masked` reductions and normalisations.
  static let masked: [OpInfo] = [
    maskedReduction("Masked.sum", torch: "masked.sum") { Masked.sum($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.mean", torch: "masked.mean") { Masked.mean($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.prod", torch: "masked.prod") { Masked.prod($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.amax", torch: "masked.amax", dtypes: [.float64]) { Masked.amax($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.amin", torch: "masked.amin", dtypes: [.float64]) { Masked.amin($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.var", torch: "masked.var") { Masked.var($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.std", torch: "masked.std") { Masked.std($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.norm", torch: "masked.norm") { Masked.norm($0, dims: $1, keepdim: $2, mask: $3) },
    maskedReduction("Masked.logSumExp", torch: "masked.logsumexp", dtypes: [.float64]) {
      Masked.logSumExp($0, dims: $1, keepdim: $2, mask: $3)
    },
    maskedAlongDim("Masked.softmax", torch: "masked.softmax") { Masked.softmax($0, dim: $1, mask: $2) },
    maskedAlongDim("Masked.logSoftmax", torch: "masked.log_softmax") { Masked.logSoftmax($0, dim: $1, mask: $2) },
    maskedAlongDim("Masked.softmin", torch: "masked.softmin") { Masked.softmin($0, dim: $1, mask: $2) },
    maskedAlongDim("Masked.cumsum", torch: "masked.cumsum", dtypes: [.float64, .complex128]) { Masked.cumsum($0, dim: $1, mask: $2) },
    maskedAlongDim("Masked.cumprod", torch: "masked.cumprod") { Masked.cumprod($0, dim: $1, mask: $2) },
    maskedAlongDim("Masked.normalize", torch: "masked.normalize") { Masked.normalize($0, dim: $1, mask: $2) },
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
