import Tangent

extension OpDatabase {
  /// A record with one floating input per sample, from the given shapes, plus the first
  /// shape through a transposed (non-contiguous) view.
  static func indexingRecord(
    _ name: String, torch: [String], shapes: [[Int]], _ f: @escaping @Sendable (Tensor) -> [Tensor],
    golden: @escaping @Sendable (GoldenCall) throws -> [Tensor]
  ) -> OpInfo {
    OpInfo(name, torch: torch, samples: { dtype, rng in
      let first = shapes[0]
      var out = shapes.map { s in OpSample("\(s)", [rng.tensor(s, dtype: dtype)]) { f($0[0]) } }
      if first.count >= 2 {
        let t = rng.tensor(first.reversed(), dtype: dtype).permuted(Array((0..<first.count).reversed()))
        out.append(OpSample("\(first) transposed", [t]) { f($0[0]) })
      }
      return out
    }, golden: golden)
  }

  /// An `int64` tensor of `shape` from a flat list.
  static func indices(_ shape: [Int], _ values: [Int64]) -> Tensor { Tensor(shape: shape, scalars: values) }

  /// A `bool` tensor of `shape` from a flat list of 0/1.
  static func mask(_ shape: [Int], _ values: [Int]) -> Tensor { Tensor(shape: shape, scalars: values.map { $0 != 0 }) }

  /// Fails a golden case whose keyword is set to anything but its default (`nil`, or the
  /// given value), and marks it read otherwise.
  static func requireDefault(_ c: GoldenCall, _ name: String, _ allowed: JSONValue? = nil) throws {
    guard let v = c.keywords[name] else { return }
    c.markRead(name)
    if case .null = v { return }
    if let allowed, "\(v)" == "\(allowed)" { return }
    throw ConformanceError.unsupportedArgument("\(c.op): \(name) = \(v) is not supported")
  }

  /// Rearranging, repeating, rolling, triangles and diagonals, differences, gather and
  /// scatter, masks, stacking variants, block and Kronecker products, and padding.
  static let indexing: [OpInfo] = [
    indexingRecord("movedim", torch: ["movedim", "moveaxis"], shapes: [[2, 3, 4]], { [$0.movedim([0, -1], to: [2, 0])] }) { c in
      [try c.tensor(0).movedim(try c.requiredInts(1, "source"), to: try c.requiredInts(2, "destination"))]
    },
    indexingRecord("unflattened", torch: ["unflatten"], shapes: [[3, 4]], { [$0.unflattened(dim: -1, sizes: [2, -1])] }) { c in
      [try c.tensor(0).unflattened(dim: try c.int(1, "dim"), sizes: try c.requiredInts(2, "sizes"))]
    },
    indexingRecord("repeated", torch: ["repeat"], shapes: [[2, 3], []], { [$0.repeated([2, 1, 2])] }) { c in
      [try c.tensor(0).repeated(try c.requiredInts(1, "repeats"))]
    },
    indexingRecord("tiled", torch: ["tile"], shapes: [[2, 3]], { [$0.tiled([2])] }) { c in
      [try c.tensor(0).tiled(try c.requiredInts(1, "dims"))]
    },
    indexingRecord("repeatInterleave", torch: ["repeat_interleave"], shapes: [[2, 3], [4]], { x in
      [x.repeatInterleave(2, dim: -1), x.repeatInterleave(3)]
    }) { c in
      let x = try c.tensor(0)
      try requireDefault(c, "output_size")
      return [x.repeatInterleave(try c.int(1, "repeats"), dim: try c.optionalInt(2, "dim"))]
    },
    indexingRecord("roll", torch: ["roll"], shapes: [[3, 4], [5]], { x in
      [x.roll(-1), x.roll(x.rank == 2 ? [1, 5] : [2], dims: x.rank == 2 ? [0, -1] : [0])]
    }) { c in
      [try c.tensor(0).roll(try c.requiredInts(1, "shifts"), dims: try c.ints(2, "dims") ?? [])]
    },
    indexingRecord("rot90", torch: ["rot90"], shapes: [[3, 4], [2, 3, 4]], { x in
      [x.rot90(), x.rot90(2), x.rot90(-1, dims: [-1, 0])]
    }) { c in
      [try c.tensor(0).rot90(try c.int(1, "k", default: 1), dims: try c.ints(2, "dims") ?? [0, 1])]
    },
    indexingRecord("fliplr", torch: ["fliplr"], shapes: [[3, 4]], { [$0.fliplr()] }) { c in [try c.tensor(0).fliplr()] },
    indexingRecord("flipud", torch: ["flipud"], shapes: [[3, 4], [5]], { [$0.flipud()] }) { c in [try c.tensor(0).flipud()] },
    indexingRecord("tril", torch: ["tril"], shapes: [[4, 4], [2, 3, 4]], { [$0.tril(), $0.tril(diagonal: -1)] }) { c in
      [try c.tensor(0).tril(diagonal: try c.int(1, "diagonal", default: 0))]
    },
    indexingRecord("triu", torch: ["triu"], shapes: [[4, 4], [2, 4, 3]], { [$0.triu(), $0.triu(diagonal: 1)] }) { c in
      [try c.tensor(0).triu(diagonal: try c.int(1, "diagonal", default: 0))]
    },
    indexingRecord("diag", torch: ["diag"], shapes: [[4], [3, 4]], { x in [x.diag(), x.diag(diagonal: x.rank == 1 ? -2 : 1)] }) { c in
      [try c.tensor(0).diag(diagonal: try c.int(1, "diagonal", default: 0))]
    },
    indexingRecord("diagEmbed", torch: ["diag_embed"], shapes: [[2, 3], [3]], { x in
      [x.diagEmbed(), x.diagEmbed(offset: 1, dim1: 0, dim2: -1)]
    }) { c in
      [try c.tensor(0).diagEmbed(
        offset: try c.int(1, "offset", default: 0), dim1: try c.int(2, "dim1", default: -2), dim2: try c.int(3, "dim2", default: -1))]
    },
    indexingRecord("trace", torch: ["trace"], shapes: [[4, 4], [3, 5]], { [$0.trace()] }) { c in [try c.tensor(0).trace()] },
    OpInfo("diff", torch: ["diff"], samples: { dtype, rng in
      [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].diff(), $0[0].diff(n: 2, dim: 0)] },
       OpSample("[3, 4] with prepend and append", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 1], dtype: dtype), rng.tensor([3, 2], dtype: dtype)]) {
         [$0[0].diff(n: 2, dim: -1, prepend: $0[1], append: $0[2])]
       },
       // n = 0 returns the input without prepend and append, as PyTorch (OpInfo diff#22).
       OpSample("[5, 5] n 0 with prepend and append", [rng.tensor([5, 5], dtype: dtype), rng.tensor([1, 5], dtype: dtype), rng.tensor([2, 5], dtype: dtype)]) {
         [$0[0].diff(n: 0, dim: 0, prepend: $0[1], append: $0[2])]
       }]
    }, golden: { c in
      let prepend = try c.optionalTensor(3, "prepend")
      let append = try c.optionalTensor(4, "append")
      if prepend == nil { try requireDefault(c, "prepend") }
      if append == nil { try requireDefault(c, "append") }
      return [try c.tensor(0).diff(
        n: try c.int(1, "n", default: 1), dim: try c.int(2, "dim", default: -1), prepend: prepend, append: append)]
    }),
    OpInfo("gather", torch: ["gather"], samples: { dtype, rng in
      let index = indices([3, 2], [1, 3, 0, 0, 3, 2])
      return [OpSample("[3, 4] dim 1", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].gather(dim: 1, index: index)] },
              OpSample("[4, 3] dim 0, repeats", [rng.tensor([4, 3], dtype: dtype)]) { [$0[0].gather(dim: -2, index: index.transposed())] }]
    }, golden: { c in
      try requireDefault(c, "sparse_grad", .bool(false))
      return [try c.tensor(0).gather(dim: try c.int(1, "dim"), index: try c.tensor(2))]
    }),
    OpInfo("scatter", torch: ["scatter"], samples: { dtype, rng in
      let index = indices([2, 3], [0, 2, 1, 1, 0, 3])
      return [OpSample("[3, 4] dim 0", [rng.tensor([3, 4], dtype: dtype), rng.tensor([2, 3], dtype: dtype)]) {
        [$0[0].scatter(dim: 0, index: indices([2, 3], [0, 2, 1, 1, 0, 2]), source: $0[1])]
      }, OpSample("[3, 4] dim -1, larger source", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) {
        [$0[0].scatter(dim: -1, index: index, source: $0[1])]
      }, OpSample("[3, 4] dim 1, reduce multiply, repeats", [rng.tensor([3, 4], dtype: dtype), rng.tensor([2, 5], dtype: dtype)]) {
        [$0[0].scatterMultiply(dim: 1, index: indices([2, 3], [0, 2, 0, 0, 0, 3]), source: $0[1])]
      }]
    }, golden: { c in
      // scatter(input, dim, index, src | value, *, reduce=None | "add" | "multiply").
      let x = try c.tensor(0), dim = try c.int(1, "dim"), index = try c.tensor(2)
      let source = c.isTensor(3) ? try c.tensor(3) : Tensor.full(index.shape, try c.double(3, "value"), dtype: x.dtype)
      switch try c.string(nil, "reduce") {
      case nil: return [x.scatter(dim: dim, index: index, source: source)]
      case "add": return [x.scatterAdd(dim: dim, index: index, source: source)]
      case "multiply": return [x.scatterMultiply(dim: dim, index: index, source: source)]
      case let other: throw ConformanceError.unsupportedArgument("\(c.op): reduce=\"\(other!)\" is not supported")
      }
    }),
    OpInfo("scatterAdd", torch: ["scatter_add"], samples: { dtype, rng in
      let index = indices([2, 3], [0, 2, 0, 0, 0, 3])
      return [OpSample("[3, 4] dim 1, repeats", [rng.tensor([3, 4], dtype: dtype), rng.tensor([2, 5], dtype: dtype)]) {
        [$0[0].scatterAdd(dim: 1, index: index, source: $0[1])]
      }, OpSample("[3, 4] dim 0", [rng.tensor([3, 4], dtype: dtype), rng.tensor([2, 3], dtype: dtype)]) {
        [$0[0].scatterAdd(dim: 0, index: indices([2, 3], [2, 2, 1, 0, 2, 1]), source: $0[1])]
      }]
    }, golden: { c in [try c.tensor(0).scatterAdd(dim: try c.int(1, "dim"), index: try c.tensor(2), source: try c.tensor(3))] }),
    indexingRecord("take", torch: ["take"], shapes: [[3, 4]], { [$0.take(indices([2, 2], [0, -1, 5, 5]))] }) { c in
      [try c.tensor(0).take(try c.tensor(1))]
    },
    indexingRecord("takeAlongDim", torch: ["take_along_dim"], shapes: [[3, 4]], { x in
      [x.takeAlongDim(indices([3, 2], [3, 0, 1, 1, 2, 0]), dim: 1), x.takeAlongDim(indices([1, 4], [2, 0, 1, 2]), dim: 0),
       x.takeAlongDim(indices([3], [11, 0, 4]))]
    }) { c in
      [try c.tensor(0).takeAlongDim(try c.tensor(1), dim: try c.optionalInt(2, "dim"))]
    },
    OpInfo("maskedFill", torch: ["masked_fill"], samples: { dtype, rng in
      let m = mask([3, 4], [1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1])
      return [OpSample("[3, 4] scalar", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].maskedFill(m, value: 2)] },
              OpSample("[3, 4] broadcast mask, 0-d value", [rng.tensor([3, 4], dtype: dtype), rng.tensor([], dtype: dtype)]) {
                [$0[0].maskedFill(mask([4], [0, 1, 1, 0]), value: $0[1])]
              }]
    }, golden: { c in
      let x = try c.tensor(0), m = try c.tensor(1)
      if let v = try? c.tensor(2) { return [x.maskedFill(m, value: v)] }
      return [x.maskedFill(m, value: try c.double(2, "value"))]
    }),
    indexingRecord("maskedSelect", torch: ["masked_select"], shapes: [[3, 4], [4]], { x in
      [x.maskedSelect(mask([3, 4], [1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1])), x.maskedSelect(mask([2, 1, 4], [0, 1, 1, 0, 1, 0, 0, 1]))]
    }) { c in [try c.tensor(0).maskedSelect(try c.tensor(1))] },
    OpInfo("hstack", torch: ["hstack"], samples: { dtype, rng in
      [OpSample("[2, 3] ++ [2, 1]", [rng.tensor([2, 3], dtype: dtype), rng.tensor([2, 1], dtype: dtype)]) { [Tensor.hstack($0)] },
       OpSample("[3] ++ [] ++ [2]", [rng.tensor([3], dtype: dtype), rng.tensor([], dtype: dtype), rng.tensor([2], dtype: dtype)]) {
         [Tensor.hstack($0)]
       }]
    }, golden: { c in [Tensor.hstack(try c.tensors(0))] }),
    OpInfo("vstack", torch: ["vstack", "row_stack"], samples: { dtype, rng in
      [OpSample("[2, 3] ++ [3]", [rng.tensor([2, 3], dtype: dtype), rng.tensor([3], dtype: dtype)]) { [Tensor.vstack($0)] }]
    }, golden: { c in [Tensor.vstack(try c.tensors(0))] }),
    OpInfo("dstack", torch: ["dstack"], samples: { dtype, rng in
      [OpSample("[2, 3] ++ [2, 3, 2]", [rng.tensor([2, 3], dtype: dtype), rng.tensor([2, 3, 2], dtype: dtype)]) { [Tensor.dstack($0)] },
       OpSample("[3] ++ [3]", [rng.tensor([3], dtype: dtype), rng.tensor([3], dtype: dtype)]) { [Tensor.dstack($0)] }]
    }, golden: { c in [Tensor.dstack(try c.tensors(0))] }),
    OpInfo("columnStack", torch: ["column_stack"], samples: { dtype, rng in
      [OpSample("[3] ++ [3, 2] ++ [3]", [rng.tensor([3], dtype: dtype), rng.tensor([3, 2], dtype: dtype), rng.tensor([3], dtype: dtype)]) {
        [Tensor.columnStack($0)]
      }]
    }, golden: { c in [Tensor.columnStack(try c.tensors(0))] }),
    indexingRecord("tensorSplit", torch: ["tensor_split"], shapes: [[7, 2]], { x in
      x.tensorSplit(sections: 3) + x.tensorSplit(indices: [1, -2, 2], dim: 0) + x.tensorSplit(sections: 3, dim: -1)
    }) { c in
      let x = try c.tensor(0)
      let dim = try c.int(2, "dim", default: 0)
      let arg: JSONValue
      if c.count > 1, let t = try? c.tensor(1) {
        let values = t.scalars(as: Int64.self).map(Int.init)
        return t.rank == 0 ? x.tensorSplit(sections: values[0], dim: dim) : x.tensorSplit(indices: values, dim: dim)
      } else if let v = c.value(1, "indices_or_sections") ?? c.value(nil, "sections") ?? c.value(nil, "indices") {
        arg = v
      } else {
        throw ConformanceError.unsupportedArgument("tensor_split: no sections or indices")
      }
      if case .array = arg { return x.tensorSplit(indices: try c.ints(1, "indices_or_sections") ?? c.requiredInts(nil, "indices"), dim: dim) }
      guard let n = arg.number else { throw ConformanceError.unsupportedArgument("tensor_split: sections are \(arg)") }
      return x.tensorSplit(sections: try c.integer(.number(n), 1, "sections"), dim: dim)
    },
    OpInfo("blockDiag", torch: ["block_diag"], samples: { dtype, rng in
      [OpSample("[2, 2], [1, 3], [], [2]", [
        rng.tensor([2, 2], dtype: dtype), rng.tensor([1, 3], dtype: dtype), rng.tensor([], dtype: dtype), rng.tensor([2], dtype: dtype),
      ]) { [Tensor.blockDiag($0)] }]
    }, golden: { c in [Tensor.blockDiag(c.allTensors())] }),
    OpInfo("kron", torch: ["kron"], samples: { dtype, rng in
      [OpSample("[2, 3] ⊗ [3, 2]", [rng.tensor([2, 3], dtype: dtype), rng.tensor([3, 2], dtype: dtype)]) { [$0[0].kron($0[1])] },
       OpSample("[2] ⊗ [2, 1, 3]", [rng.tensor([2], dtype: dtype), rng.tensor([2, 1, 3], dtype: dtype)]) { [$0[0].kron($0[1])] }]
    }, golden: { c in [try c.tensor(0).kron(try c.tensor(1))] }),
    OpInfo("cartesianProd", torch: ["cartesian_prod"], samples: { dtype, rng in
      [OpSample("[3] × [2] × [2]", [rng.tensor([3], dtype: dtype), rng.tensor([2], dtype: dtype), rng.tensor([2], dtype: dtype)]) {
        [Tensor.cartesianProd($0)]
      }]
    }, golden: { c in [Tensor.cartesianProd(c.allTensors())] }),
    indexingRecord("padded", torch: ["nn.functional.pad"], shapes: [[2, 3, 4], [3, 5]], { x in
      [x.padded([1, 2]), x.padded([1, -1, 2, 0], value: 0.5), x.padded([2, 1, 1, 1], mode: .reflect),
       x.padded([2, 1, 0, 3], mode: .replicate), x.padded([3, -1, 1, 2], mode: .circular)]
    }) { c in
      let x = try c.tensor(0)
      let modeName = try c.string(2, "mode", default: "constant") ?? "constant"
      guard let mode = PaddingMode(rawValue: modeName) else {
        throw ConformanceError.unsupportedArgument("nn.functional.pad: mode \(modeName) is not supported")
      }
      return [x.padded(try c.requiredInts(1, "pad"), mode: mode, value: try c.optionalDouble(3, "value") ?? 0)]
    },
  ]
}
