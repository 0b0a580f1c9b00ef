import Tangent

extension OpDatabase {
  /// A record whose samples call `f` on one input of each given shape.
  static func viewRecord(
    _ name: String, torch: [String], shapes: [[Int]], _ f: @escaping @Sendable (Tensor) -> [Tensor],
    golden: @escaping @Sendable (GoldenCall) throws -> [Tensor]
  ) -> OpInfo {
    OpInfo(name, torch: torch, samples: { dtype, rng in
      shapes.map { s in OpSample("\(s)", [rng.tensor(s, dtype: dtype)]) { f($0[0]) } }
        + [OpSample("\(shapes[0]) transposed", [rng.tensor(shapes[0].reversed(), dtype: dtype).permuted(Array((0..<shapes[0].count).reversed()))]) { f($0[0]) }]
    }, golden: golden)
  }

  /// Slicing, squeezing, diagonals, flips, joins and splits, and index selection.
  static let views: [OpInfo] = [
    viewRecord("narrowed", torch: ["narrow", "narrow_copy"], shapes: [[3, 5]], { [$0.narrowed(dim: 1, start: 1, length: 3)] }) { c in
      // PyTorch's `start` may be a 0-d integer tensor.
      let start = c.isTensor(2) ? try c.integerScalar(2, "start") : try c.int(2, "start")
      return [try c.tensor(0).narrowed(dim: try c.int(1, "dim"), start: start, length: try c.int(3, "length"))]
    },
    viewRecord("select", torch: ["select"], shapes: [[3, 4]], { [$0.select(dim: -1, index: 2)] }) { c in
      [try c.tensor(0).select(dim: try c.int(1, "dim"), index: try c.int(2, "index"))]
    },
    viewRecord("squeezed", torch: ["squeeze", "squeeze.multiple", "squeeze_copy"], shapes: [[3, 1, 4]], { [$0.squeezed(dim: 1)] }) { c in
      let x = try c.tensor(0)
      return [try c.ints(1, "dim").map { x.squeezed(dims: $0) } ?? x.squeezed()]
    },
    viewRecord("unsqueezed", torch: ["unsqueeze", "unsqueeze_copy"], shapes: [[3, 4]], { [$0.unsqueezed(dim: 1)] }) { c in
      [try c.tensor(0).unsqueezed(dim: try c.int(1, "dim"))]
    },
    viewRecord("flattened", torch: ["flatten", "ravel"], shapes: [[2, 3, 2]], { [$0.flattened(from: 1)] }) { c in
      [try c.tensor(0).flattened(from: try c.int(1, "start_dim", default: 0), through: try c.int(2, "end_dim", default: -1))]
    },
    viewRecord("diagonal", torch: ["diagonal", "diagonal_copy"], shapes: [[3, 4]], { [$0.diagonal(offset: 1)] }) { c in
      [try c.tensor(0).diagonal(
        offset: try c.int(1, "offset", default: 0), dim1: try c.int(2, "dim1", default: 0), dim2: try c.int(3, "dim2", default: 1))]
    },
    viewRecord("flipped", torch: ["flip"], shapes: [[3, 4]], { [$0.flipped(dims: [0, 1])] }) { c in
      [try c.tensor(0).flipped(dims: try c.requiredInts(1, "dims"))]
    },
    viewRecord("split", torch: ["split", "split.list_args", "split_with_sizes", "split_with_sizes_copy", "unsafe_split"], shapes: [[5, 3]], { $0.split(size: 2) }) { c in
      let x = try c.tensor(0)
      let dim = try c.int(2, "dim", default: 0)
      guard let v = c.value(1, "split_size_or_sections") ?? c.value(1, "split_sizes") else { throw ConformanceError.unsupportedArgument("split: no size") }
      if case .array = v { return x.split(sizes: try c.ints(1, "split_size_or_sections") ?? c.requiredInts(1, "split_sizes"), dim: dim) }
      return x.split(size: try c.int(1), dim: dim)
    },
    viewRecord("chunked", torch: ["chunk", "unsafe_chunk"], shapes: [[3, 6]], { $0.chunked(3, dim: 1) }) { c in
      try c.tensor(0).chunked(try c.int(1, "chunks"), dim: try c.int(2, "dim", default: 0))
    }.withEdgeSamples { dtype, rng in
      // An empty dim gives as many (empty) chunks as asked for, as in PyTorch.
      [OpSample("edge [0, 3] 3 chunks", [rng.tensor([0, 3], dtype: dtype)]) { $0[0].chunked(3) },
       OpSample("edge [2, 0] 2 chunks dim -1", [rng.tensor([2, 0], dtype: dtype)]) { $0[0].chunked(2, dim: -1) },
       OpSample("edge [1] 2 chunks", [rng.tensor([1], dtype: dtype)]) { $0[0].chunked(2) }]
    },
    viewRecord("unbind", torch: ["unbind", "unbind_copy"], shapes: [[3, 4]], { $0.unbind(dim: 1) }) { c in
      try c.tensor(0).unbind(dim: try c.int(1, "dim", default: 0))
    },
    viewRecord("contiguousCopy", torch: ["clone", "contiguous", "alias_copy", "positive", "resolve_conj", "resolve_neg"], shapes: [[3, 4]], { [$0.contiguousCopy()] }) { c in
      [try c.tensor(0).contiguousCopy()]
    },
    OpInfo("cat", torch: ["cat", "concat", "concatenate"], samples: { dtype, rng in
      [OpSample("[2, 3] ++ [4, 3]", [rng.tensor([2, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype)]) { [Tensor.cat($0, dim: 0)] },
       OpSample("dim -1", [rng.tensor([2, 3], dtype: dtype), rng.tensor([2, 1], dtype: dtype)]) { [Tensor.cat($0, dim: -1)] }]
    }, golden: { c in [Tensor.cat(try c.tensors(0), dim: try c.int(1, "dim", default: 0))] }),
    OpInfo("stack", torch: ["stack"], samples: { dtype, rng in
      [OpSample("3 × [2, 3] at 1", (0..<3).map { _ in rng.tensor([2, 3], dtype: dtype) }) { [Tensor.stack($0, dim: 1)] }]
    }, golden: { c in [Tensor.stack(try c.tensors(0), dim: try c.int(1, "dim", default: 0))] }),
    OpInfo("indexSelect", torch: ["index_select"], samples: { dtype, rng in
      let index = Tensor([Int64(2), 0, 2])
      return [OpSample("[4, 3] dim 0", [rng.tensor([4, 3], dtype: dtype)]) { [$0[0].indexSelect(dim: 0, index: index)] }]
    }, golden: { c in [try c.tensor(0).indexSelect(dim: try c.int(1, "dim"), index: try c.tensor(2))] })
    .withEdgeSamples { dtype, rng in
      // A 0-d tensor counts as one of size 1 along dim 0 or -1, as in PyTorch.
      [OpSample("edge 0-d dim 0, index [0]", [rng.tensor([], dtype: dtype)]) { [$0[0].indexSelect(dim: 0, index: indices([1], [0]))] },
       OpSample("edge 0-d dim -1, 0-d index", [rng.tensor([], dtype: dtype)]) { [$0[0].indexSelect(dim: -1, index: indices([], [0]))] },
       OpSample("edge [4, 3] no indices", [rng.tensor([4, 3], dtype: dtype)]) { [$0[0].indexSelect(dim: 0, index: indices([0], []))] },
       OpSample("edge [0, 3] dim 1", [rng.tensor([0, 3], dtype: dtype)]) { [$0[0].indexSelect(dim: 1, index: indices([2], [2, 2]))] },
       OpSample("edge [1, 3] dim 0", [rng.tensor([1, 3], dtype: dtype)]) { [$0[0].indexSelect(dim: 0, index: indices([3], [0, 0, 0]))] }]
    },
    OpInfo("indexAdd", torch: ["index_add"], samples: { dtype, rng in
      let index = Tensor([Int64(1), 0, 1])
      return [OpSample("[4, 3] dim 0", [rng.tensor([4, 3], dtype: dtype), rng.tensor([3, 3], dtype: dtype)]) {
        [$0[0].indexAdd(dim: 0, index: index, source: $0[1])]
      }]
    }, golden: { c in
      let alpha = try c.double(nil, "alpha", default: 1)
      let source = try c.tensor(3)
      return [try c.tensor(0).indexAdd(dim: try c.int(1, "dim"), index: try c.tensor(2), source: alpha == 1 ? source : source * alpha)]
    }).withEdgeSamples { dtype, rng in
      [OpSample("edge 0-d dim 0", [rng.tensor([], dtype: dtype), rng.tensor([], dtype: dtype)]) {
        [$0[0].indexAdd(dim: 0, index: indices([1], [0]), source: $0[1])]
      }, OpSample("edge 0-d dim -1, [1] source", [rng.tensor([], dtype: dtype), rng.tensor([1], dtype: dtype)]) {
        [$0[0].indexAdd(dim: -1, index: indices([], [0]), source: $0[1])]
      }, OpSample("edge [4, 3] no indices", [rng.tensor([4, 3], dtype: dtype), rng.tensor([0, 3], dtype: dtype)]) {
        [$0[0].indexAdd(dim: 0, index: indices([0], []), source: $0[1])]
      }, OpSample("edge [0, 3] dim 1", [rng.tensor([0, 3], dtype: dtype), rng.tensor([0, 2], dtype: dtype)]) {
        [$0[0].indexAdd(dim: 1, index: indices([2], [2, 0]), source: $0[1])]
      }]
    },
    OpInfo("where", torch: ["where"], samples: { dtype, rng in
      let cond = rng.tensor([3, 4]).gt(0)
      return [OpSample("[3, 4] with [4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
        [Tensor.where(cond, $0[0], $0[1])]
      }]
    }, golden: { c in
      // The values may be numbers (weakly typed scalars, as in PyTorch).
      let condition = try c.tensor(0)
      let a = c.isTensor(1) ? try c.tensor(1) : nil, b = c.isTensor(2) ? try c.tensor(2) : nil
      guard let like = a ?? b else { throw ConformanceError.unsupportedArgument("where: no tensor values") }
      let (x, y) = (try c.operand(1, "input", like: like), try c.operand(2, "other", like: like))
      try c.expectBroadcastable([condition, x, y])
      return [Tensor.where(condition, x, y)]
    }),
  ]
}
