import Tangent

extension OpDatabase {
  /// The sections or indices argument of `hsplit`, `vsplit` and `dsplit`.
  static func directionalSplit(
    _ c: GoldenCall, sections: (Tensor, Int) -> [Tensor], indices: (Tensor, [Int]) -> [Tensor]
  ) throws -> [Tensor] {
    let x = try c.tensor(0)
    guard let v = c.value(1, "indices_or_sections") ?? c.value(nil, "sections") ?? c.value(nil, "indices") else {
      throw ConformanceError.unsupportedArgument("\(c.op): no sections or indices")
    }
    if case .array = v { return indices(x, try c.ints(1, "indices_or_sections") ?? c.requiredInts(nil, "indices")) }
    guard let n = v.number else { throw ConformanceError.unsupportedArgument("\(c.op): sections are \(v)") }
    return sections(x, try c.integer(.number(n), 1, "sections"))
  }

  /// Shape helpers, reshapes like another tensor, slicing and the out-of-place scatters into
  /// slices, diagonals and index sets, fills, and the legacy linalg names.
  static let shapeExtras: [OpInfo] = [
    viewRecord("reshapedAs", torch: ["reshape_as", "view_as"], shapes: [[3, 4]], { [$0.reshaped(as: Tensor.zeros([2, 6]))] }) { c in
      [try c.tensor(0).reshaped(as: try c.tensor(1))]
    },
    viewRecord("linalgDiagonal", torch: ["linalg.diagonal"], shapes: [[2, 3, 4]], { [$0.diagonal(offset: 1, dim1: -2, dim2: -1)] }) { c in
      [try c.tensor(0).diagonal(
        offset: try c.int(1, "offset", default: 0), dim1: try c.int(2, "dim1", default: -2), dim2: try c.int(3, "dim2", default: -1))]
    },
    viewRecord("sliced", torch: ["slice"], shapes: [[3, 5]], { x in
      [x.sliced(dim: 1, 1..<4, step: 2), x.sliced(dim: 0, 1...)]
    }) { c in
      let step = try c.int(4, "step", default: 1)
      let range = TensorIndex.range(from: try c.optionalInt(2, "start"), to: try c.optionalInt(3, "end"), step: step)
      return [try c.tensor(0).sliced(dim: try c.int(1, "dim", default: 0), range, step: step)]
    },
    indexingRecord("constantPadNd", torch: ["constant_pad_nd"], shapes: [[2, 3, 4]], { x in
      [x.padded([1, 2]), x.padded([1, -1, 2, 0], value: 0.5)]
    }) { c in
      [try c.tensor(0).padded(try c.requiredInts(1, "pad"), value: try c.double(2, "value", default: 0))]
    },
    indexingRecord("summedToSize", torch: ["sum_to_size"], shapes: [[3, 4]], { x in
      [x.summed(toShape: [1, 4]), x.summed(toShape: [3, 1]), x.summed(toShape: [1, 1])]
    }) { c in
      // PyTorch takes the size as one list or as varargs (`x.sum_to_size(1, 1)`).
      if c.arguments.count > 2 { return [try c.tensor(0).summed(toShape: try (1..<c.arguments.count).map { try c.int($0, nil) })] }
      return [try c.tensor(0).summed(toShape: try c.requiredInts(1, "size"))]
    },
    indexingRecord("atLeast1D", torch: ["atleast_1d"], shapes: [[], [3], [2, 3]], { [$0.atLeast1D()] }) { c in
      c.allTensors().map { $0.atLeast1D() }
    },
    indexingRecord("atLeast2D", torch: ["atleast_2d"], shapes: [[], [3], [2, 3]], { [$0.atLeast2D()] }) { c in
      c.allTensors().map { $0.atLeast2D() }
    },
    indexingRecord("atLeast3D", torch: ["atleast_3d"], shapes: [[], [3], [2, 3], [2, 3, 2]], { [$0.atLeast3D()] }) { c in
      c.allTensors().map { $0.atLeast3D() }
    },
    OpInfo("broadcastTensors", torch: ["broadcast_tensors"], samples: { dtype, rng in
      [OpSample("[3, 1], [4], []", [rng.tensor([3, 1], dtype: dtype), rng.tensor([4], dtype: dtype), rng.tensor([], dtype: dtype)]) {
        Tensor.broadcastTensors($0)
      }]
    }, golden: { c in Tensor.broadcastTensors(c.allTensors()) }),
    indexingRecord("hsplit", torch: ["hsplit"], shapes: [[3, 4], [6]], { x in x.hsplit(sections: 2) + x.hsplit(indices: [1, 3]) }) { c in
      try directionalSplit(c, sections: { $0.hsplit(sections: $1) }, indices: { $0.hsplit(indices: $1) })
    },
    indexingRecord("vsplit", torch: ["vsplit"], shapes: [[4, 3]], { x in x.vsplit(sections: 2) + x.vsplit(indices: [1, -1]) }) { c in
      try directionalSplit(c, sections: { $0.vsplit(sections: $1) }, indices: { $0.vsplit(indices: $1) })
    },
    indexingRecord("dsplit", torch: ["dsplit"], shapes: [[2, 3, 4]], { x in x.dsplit(sections: 2) + x.dsplit(indices: [3]) }) { c in
      try directionalSplit(c, sections: { $0.dsplit(sections: $1) }, indices: { $0.dsplit(indices: $1) })
    },
    OpInfo("meshgrid", torch: ["meshgrid.list_of_tensors", "meshgrid.variadic_tensors"], samples: { dtype, rng in
      [OpSample("[3], [], [2] ij", [rng.tensor([3], dtype: dtype), rng.tensor([], dtype: dtype), rng.tensor([2], dtype: dtype)]) {
        Tensor.meshgrid($0)
      }, OpSample("[3], [2] xy", [rng.tensor([3], dtype: dtype), rng.tensor([2], dtype: dtype)]) {
        Tensor.meshgrid($0, indexing: .xy)
      }]
    }, golden: { c in
      let name = try c.string(nil, "indexing", default: "ij") ?? "ij"
      guard let indexing = MeshgridIndexing(rawValue: name) else { throw ConformanceError.unsupportedArgument("meshgrid: indexing \(name)") }
      return Tensor.meshgrid(c.allTensors(), indexing: indexing)
    }),
    indexingRecord("diagflat", torch: ["diagflat"], shapes: [[2, 2], [3], []], { x in [x.diagflat(), x.diagflat(offset: -1)] }) { c in
      [try c.tensor(0).diagflat(offset: try c.int(1, "offset", default: 0))]
    },
    indexingRecord("unfold", torch: ["unfold", "unfold_copy"], shapes: [[3, 7], [5], []], { x in
      x.rank == 0 ? [x.unfold(dimension: 0, size: 1, step: 1)]
        : [x.unfold(dimension: -1, size: 3, step: 2), x.unfold(dimension: 0, size: 2, step: 1)]
    }) { c in
      [try c.tensor(0).unfold(dimension: try c.int(1, "dimension"), size: try c.int(2, "size"), step: try c.int(3, "step"))]
    },
    indexingRecord("combinations", torch: ["combinations"], shapes: [[4]], { x in
      [x.combinations(), x.combinations(r: 3, withReplacement: true), x.combinations(r: 0)]
    }) { c in
      [try c.tensor(0).combinations(r: try c.int(1, "r", default: 2), withReplacement: try c.bool(2, "with_replacement", default: false))]
    },
    OpInfo("filled", torch: ["fill"], samples: { dtype, rng in
      [OpSample("[3, 4] with 0-d", [rng.tensor([3, 4], dtype: dtype), rng.tensor([], dtype: dtype)]) { [$0[0].filled(with: $0[1])] },
       OpSample("[3, 4] transposed with 1.5", [rng.tensor([4, 3], dtype: dtype).transposed()]) { [$0[0].filled(with: 1.5)] }]
    }, golden: { c in
      let x = try c.tensor(0)
      if c.isTensor(1) { return [x.filled(with: try c.tensor(1))] }
      // A Python bool fills with 1 or 0, as in PyTorch.
      if case .bool(let b)? = try c.plainArgument(1, "value") { return [x.filled(with: b ? 1 : 0)] }
      return [x.filled(with: try c.double(1, "value"))]
    }),
    indexingRecord("zeroed", torch: ["zero_"], shapes: [[3, 4], []], { [$0.zeroed()] }) { c in [try c.tensor(0).zeroed()] },
    OpInfo("selectScatter", torch: ["select_scatter"], samples: { dtype, rng in
      [OpSample("[3, 4] dim 1 index -1", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3], dtype: dtype)]) {
        [$0[0].selectScatter($0[1], dim: 1, index: -1)]
      }, OpSample("[3, 4] transposed dim 0", [rng.tensor([4, 3], dtype: dtype).transposed(), rng.tensor([4], dtype: dtype)]) {
        [$0[0].selectScatter($0[1], dim: 0, index: 1)]
      }]
    }, golden: { c in [try c.tensor(0).selectScatter(try c.tensor(1), dim: try c.int(2, "dim"), index: try c.int(3, "index"))] }),
    OpInfo("sliceScatter", torch: ["slice_scatter"], samples: { dtype, rng in
      [OpSample("[5, 3] dim 0 1..<5 step 2", [rng.tensor([5, 3], dtype: dtype), rng.tensor([2, 3], dtype: dtype)]) {
        [$0[0].sliceScatter($0[1], dim: 0, start: 1, end: 5, step: 2)]
      }, OpSample("[3, 5] transposed dim 1 from -2", [rng.tensor([5, 3], dtype: dtype).transposed(), rng.tensor([3, 2], dtype: dtype)]) {
        [$0[0].sliceScatter($0[1], dim: 1, start: -2)]
      }]
    }, golden: { c in
      [try c.tensor(0).sliceScatter(
        try c.tensor(1), dim: try c.int(2, "dim", default: 0), start: try c.optionalInt(3, "start"), end: try c.optionalInt(4, "end"),
        step: try c.int(5, "step", default: 1))]
    }),
    OpInfo("diagonalScatter", torch: ["diagonal_scatter"], samples: { dtype, rng in
      [OpSample("[3, 4] offset 1", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3], dtype: dtype)]) {
        [$0[0].diagonalScatter($0[1], offset: 1)]
      }, OpSample("[2, 3, 3] dims 1, 2 offset -1", [rng.tensor([2, 3, 3], dtype: dtype), rng.tensor([2, 2], dtype: dtype)]) {
        [$0[0].diagonalScatter($0[1], offset: -1, dim1: 1, dim2: 2)]
      }]
    }, golden: { c in
      [try c.tensor(0).diagonalScatter(
        try c.tensor(1), offset: try c.int(2, "offset", default: 0), dim1: try c.int(3, "dim1", default: 0),
        dim2: try c.int(4, "dim2", default: 1))]
    }),
    OpInfo("indexCopy", torch: ["index_copy"], samples: { dtype, rng in
      [OpSample("[4, 3] dim 0", [rng.tensor([4, 3], dtype: dtype), rng.tensor([2, 3], dtype: dtype)]) {
        [$0[0].indexCopy(dim: 0, index: indices([2], [3, 1]), source: $0[1])]
      }, OpSample("[3, 4] transposed dim -1", [rng.tensor([4, 3], dtype: dtype).transposed(), rng.tensor([3, 3], dtype: dtype)]) {
        [$0[0].indexCopy(dim: -1, index: indices([3], [2, 0, 3]), source: $0[1])]
      }]
    }, golden: { c in [try c.tensor(0).indexCopy(dim: try c.int(1, "dim"), index: try c.tensor(2), source: try c.tensor(3))] })
    .withEdgeSamples { dtype, rng in
      [OpSample("edge 0-d dim 0", [rng.tensor([], dtype: dtype), rng.tensor([], dtype: dtype)]) {
        [$0[0].indexCopy(dim: 0, index: indices([], [0]), source: $0[1])]
      }, OpSample("edge [4, 3] no indices", [rng.tensor([4, 3], dtype: dtype), rng.tensor([0, 3], dtype: dtype)]) {
        [$0[0].indexCopy(dim: 0, index: indices([0], []), source: $0[1])]
      }, OpSample("edge [1, 3] dim 0", [rng.tensor([1, 3], dtype: dtype), rng.tensor([1, 3], dtype: dtype)]) {
        [$0[0].indexCopy(dim: 0, index: indices([1], [0]), source: $0[1])]
      }]
    },
    OpInfo("indexFill", torch: ["index_fill"], samples: { dtype, rng in
      [OpSample("[4, 3] dim 0 with 2", [rng.tensor([4, 3], dtype: dtype)]) {
        [$0[0].indexFill(dim: 0, index: indices([2], [3, 1]), value: 2)]
      }, OpSample("[3, 4] dim 1 with a 0-d tensor", [rng.tensor([3, 4], dtype: dtype), rng.tensor([], dtype: dtype)]) {
        [$0[0].indexFill(dim: 1, index: indices([3], [2, 0, 2]), value: $0[1])]
      }]
    }, golden: { c in
      let x = try c.tensor(0), dim = try c.int(1, "dim"), index = try c.tensor(2)
      if c.isTensor(3) { return [x.indexFill(dim: dim, index: index, value: try c.tensor(3))] }
      return [x.indexFill(dim: dim, index: index, value: try c.double(3, "value"))]
    }).withEdgeSamples { dtype, rng in
      [OpSample("edge 0-d dim 0 with 2", [rng.tensor([], dtype: dtype)]) { [$0[0].indexFill(dim: 0, index: indices([], [0]), value: 2)] },
       OpSample("edge 0-d dim -1 with a 0-d tensor", [rng.tensor([], dtype: dtype), rng.tensor([], dtype: dtype)]) {
         [$0[0].indexFill(dim: -1, index: indices([1], [-1]), value: $0[1])]
       },
       OpSample("edge [0, 3] dim 1", [rng.tensor([0, 3], dtype: dtype)]) { [$0[0].indexFill(dim: 1, index: indices([1], [1]), value: 2)] },
       OpSample("edge [4, 3] no indices", [rng.tensor([4, 3], dtype: dtype)]) { [$0[0].indexFill(dim: 0, index: indices([0], []), value: 2)] }]
    },
  ]

  /// The legacy names `torch.svd`, `torch.qr` and `torch.lu_solve`, the randomized
  /// `svd_lowrank` and `pca_lowrank`, and `torch.norm` with `p="nuc"`.
  static let legacyLinalg: [OpInfo] = [
    OpInfo("svd", torch: ["svd"], samples: { dtype, rng in
      [OpSample("[4, 3] some, |U|, S, |V|", [rng.tensor([4, 3], dtype: dtype)]) {
        let (u, s, vh) = try! Linalg.svd($0[0], fullMatrices: false)
        return [u.abs(), s, vh.mH.abs()]
      }, OpSample("[2, 3, 4] U diag(S²) Vᴴ", [rng.tensor([2, 3, 4], dtype: dtype)]) {
        let (u, s, vh) = try! Linalg.svd($0[0], fullMatrices: false)
        return [(u * s.square().converted(to: u.dtype).unsqueezed(dim: -2)).matmul(vh)]
      }]
    }, golden: { c in
      guard try c.bool(2, "compute_uv", default: true) else { throw ConformanceError.unsupportedArgument("svd: compute_uv = false") }
      let (u, s, vh) = try Linalg.svd(try c.tensor(0), fullMatrices: !(try c.bool(1, "some", default: true)))
      return [u, s, vh.mH]
    }),
    OpInfo("qr", torch: ["qr"], samples: { dtype, rng in
      [OpSample("[4, 3] some, |Q|, |R|", [rng.tensor([4, 3], dtype: dtype)]) {
        let (q, r) = Linalg.qr($0[0])
        return [q.abs(), r.abs()]
      }, OpSample("[3, 3] complete", [rng.tensor([3, 3], dtype: dtype)]) {
        let (q, r) = Linalg.qr($0[0], mode: .complete)
        return [q.abs(), r.abs()]
      }]
    }, golden: { c in
      let (q, r) = Linalg.qr(try c.tensor(0), mode: try c.bool(1, "some", default: true) ? .reduced : .complete)
      return [q, r]
    }),
    OpInfo("luSolve", torch: ["lu_solve"], samples: { dtype, rng in
      [OpSample("[3, 2] by factored [3, 3]", [rng.tensor([3, 2], dtype: dtype), wellConditioned([3, 3], dtype: dtype, &rng)]) {
        let (f, p) = try! Linalg.luFactor($0[1])
        return [Linalg.luSolve(f, p, $0[0])]
      }]
    }, golden: { c in
      [Linalg.luSolve(try c.tensor(1), try c.tensor(2), try c.tensor(0))]
    }),
    OpInfo("Linalg.svdLowRank", torch: ["svd_lowrank"], samples: { dtype, rng in
      @Sendable func product(_ u: Tensor, _ s: Tensor, _ v: Tensor) -> Tensor { (u * s.converted(to: u.dtype).unsqueezed(dim: -2)).matmul(v.mH) }
      return [OpSample("[4, 3] q 3: S and U diag(S) Vᴴ", [rng.tensor([4, 3], dtype: dtype)]) {
        var g = SeededGenerator(seed: 5)
        let (u, s, v) = try! Linalg.svdLowRank($0[0], q: 3, using: &g)
        return [s, product(u, s, v)]
      }, OpSample("rank 2 [5, 2] × [2, 4], q 2, no power iterations", [rng.tensor([5, 2], dtype: dtype), rng.tensor([2, 4], dtype: dtype)]) {
        var g = SeededGenerator(seed: 6)
        let (u, s, v) = try! Linalg.svdLowRank($0[0].matmul($0[1]), q: 2, niter: 0, using: &g)
        return [s, product(u, s, v)]
      }]
    }, golden: { c in
      // The random test matrix differs from PyTorch's, so only a full-rank q could match.
      throw ConformanceError.unsupportedArgument("\(c.op): random range finder does not match PyTorch's generator")
    }),
    OpInfo("Linalg.pcaLowRank", torch: ["pca_lowrank"], samples: { dtype, rng in
      [OpSample("[5, 3] q 3 centred: S and V diag(S²) Vᴴ", [rng.tensor([5, 3], dtype: dtype)]) {
        var g = SeededGenerator(seed: 8)
        let (_, s, v) = try! Linalg.pcaLowRank($0[0], q: 3, using: &g)
        return [s, (v * s.square().converted(to: v.dtype).unsqueezed(dim: -2)).matmul(v.mH)]
      }]
    }, golden: { c in
      throw ConformanceError.unsupportedArgument("\(c.op): random range finder does not match PyTorch's generator")
    }),
    OpInfo("normNuc", torch: ["norm.nuc"], samples: { dtype, rng in
      [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype)]) { [Linalg.matrixNorm($0[0], ord: .nuc)] },
       OpSample("[2, 3, 4] dims [0, 2], keepdim", [rng.tensor([2, 3, 4], dtype: dtype)]) {
         [Linalg.matrixNorm($0[0], ord: .nuc, dims: [0, 2], keepdim: true)]
       }]
    }, golden: { c in
      // torch.norm(x, p="nuc", dim, keepdim): p is read (the variant's only value).
      if let p = try c.string(1, "p"), p != "nuc" { throw ConformanceError.unsupportedArgument("\(c.op): p = \(p)") }
      return [Linalg.matrixNorm(try c.tensor(0), ord: .nuc, dims: try c.ints(2, "dim") ?? [-2, -1], keepdim: try c.bool(3, "keepdim", default: false))]
    }),
  ]
}
