import Tangent

extension OpDatabase {
  /// The `reduce` argument of `scatter_reduce`.
  static func readScatterReduction(_ c: GoldenCall) throws -> ScatterReduction {
    let name = try c.string(4, "reduce") ?? ""
    guard let r = ScatterReduction(rawValue: name) else { throw ConformanceError.unsupportedArgument("scatter_reduce: reduce \(name)") }
    return r
  }

  /// A record for a bitwise op (the reflected forms `other op self`): the samples turn their
  /// floating inputs into `bool` and `int64` tensors, so there is no derivative to check.
  static func bitwiseRecord(_ name: String, torch: [String], _ f: @escaping @Sendable (Tensor, Tensor) -> Tensor) -> OpInfo {
    OpInfo(name, torch: torch, dtypes: [.float64], modes: .none, limits: ["integer and boolean outputs: no derivative"], samples: { dtype, rng in
      [OpSample("bool [3, 4] with [4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) { [f($0[0].gt(0), $0[1].gt(0))] },
       OpSample("int64 [3, 4] with bool [4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
         [f(($0[0] * 10).converted(to: .int64), $0[1].gt(0))]
       }]
    }, golden: { c in
      let a = try c.tensor(0)
      let b = c.isTensor(1) ? try c.tensor(1) : Tensor(Int64(try c.int(1, "other")))
      return [f(a, b)]
    })
  }

  /// Masked, flat, strided and multi-dim index writes, scatter reductions, reversed-dims
  /// transposes, finite-difference gradients, the safe softmax, `nextafter`, dtype conversion
  /// and basic indexing.
  static let indexingExtras: [OpInfo] = [
    OpInfo("maskedScatter", torch: ["masked_scatter"], samples: { dtype, rng in
      [OpSample("[3, 4] full mask", [rng.tensor([3, 4], dtype: dtype), rng.tensor([8], dtype: dtype)]) {
        [$0[0].maskedScatter(maskedFull, source: $0[1])]
      }, OpSample("[3, 4] transposed, row mask, [2, 5] source", [rng.tensor([4, 3], dtype: dtype).transposed(), rng.tensor([2, 5], dtype: dtype)]) {
        [$0[0].maskedScatter(maskedRow, source: $0[1])]
      }]
    }, golden: { c in [try c.tensor(0).maskedScatter(try c.tensor(1), source: try c.tensor(2))] }),
    OpInfo("put", torch: ["put"], samples: { dtype, rng in
      [OpSample("[3, 4] at 3", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3], dtype: dtype)]) {
        [$0[0].put(indices([3], [0, -1, 5]), source: $0[1])]
      }, OpSample("[3, 4] transposed, accumulate with repeats", [rng.tensor([4, 3], dtype: dtype).transposed(), rng.tensor([2, 2], dtype: dtype)]) {
        [$0[0].put(indices([2, 2], [1, 7, 1, 2]), source: $0[1], accumulate: true)]
      }]
    }, golden: { c in
      [try c.tensor(0).put(try c.tensor(1), source: try c.tensor(2), accumulate: try c.bool(3, "accumulate", default: false))]
    }),
    OpInfo("indexPut", torch: ["index_put"], samples: { dtype, rng in
      [OpSample("[3, 4, 2] rows and columns", [rng.tensor([3, 4, 2], dtype: dtype), rng.tensor([2], dtype: dtype)]) {
        [$0[0].indexPut([indices([2], [0, 2]), indices([2], [3, -1])], values: $0[1])]
      }, OpSample("[3, 4] broadcast indices, accumulate", [rng.tensor([3, 4], dtype: dtype), rng.tensor([2, 2], dtype: dtype)]) {
        [$0[0].indexPut([indices([2, 1], [1, 1]), indices([2], [0, 3])], values: $0[1], accumulate: true)]
      }, OpSample("[3, 4] transposed, bool mask", [rng.tensor([4, 3], dtype: dtype).transposed(), rng.tensor([], dtype: dtype)]) {
        [$0[0].indexPut([maskedFull], values: $0[1])]
      }]
    }, golden: { c in
      [try c.tensor(0).indexPut(try c.tensors(1), values: try c.tensor(2), accumulate: try c.bool(3, "accumulate", default: false))]
    }),
    indexingRecord("asStrided", torch: ["as_strided", "as_strided_copy", "as_strided.partial_views"], shapes: [[3, 4]], { x in
      [x.asStrided(size: [2, 2], stride: [1, 2], storageOffset: 1), x.asStrided(size: [3, 3], stride: [1, 1])]
    }) { c in
      [try c.tensor(0).asStrided(
        size: try c.requiredInts(1, "size"), stride: try c.requiredInts(2, "stride"), storageOffset: try c.optionalInt(3, "storage_offset") ?? 0)]
    },
    OpInfo("asStridedScatter", torch: ["as_strided_scatter"], samples: { dtype, rng in
      [OpSample("[3, 4] strided [2, 2]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([2, 2], dtype: dtype)]) {
        [$0[0].asStridedScatter($0[1], size: [2, 2], stride: [1, 2], storageOffset: 1)]
      }]
    }, golden: { c in
      [try c.tensor(0).asStridedScatter(
        try c.tensor(1), size: try c.requiredInts(2, "size"), stride: try c.requiredInts(3, "stride"),
        storageOffset: try c.optionalInt(4, "storage_offset") ?? 0)]
    }),
    OpInfo("scatterReduce.sum", torch: ["scatter_reduce.sum"], samples: { dtype, rng in
      let index = indices([2, 3], [0, 2, 0, 0, 0, 3])
      return [OpSample("[3, 4] dim 1, repeats", [rng.tensor([3, 4], dtype: dtype), rng.tensor([2, 5], dtype: dtype)]) {
        [$0[0].scatterReduce(dim: 1, index: index, source: $0[1], reduce: .sum),
         $0[0].scatterReduce(dim: 1, index: index, source: $0[1], reduce: .sum, includeSelf: false)]
      }]
    }, golden: { c in
      [try c.tensor(0).scatterReduce(
        dim: try c.int(1, "dim"), index: try c.tensor(2), source: try c.tensor(3), reduce: try readScatterReduction(c),
        includeSelf: try c.bool(5, "include_self", default: true))]
    }),
    OpInfo("scatterReduce.mean", torch: ["scatter_reduce.mean"], samples: { dtype, rng in
      let index = indices([2, 3], [2, 2, 1, 0, 2, 1])
      return [OpSample("[3, 4] dim 0, repeats", [rng.tensor([3, 4], dtype: dtype), rng.tensor([2, 3], dtype: dtype)]) {
        [$0[0].scatterReduce(dim: 0, index: index, source: $0[1], reduce: .mean),
         $0[0].scatterReduce(dim: 0, index: index, source: $0[1], reduce: .mean, includeSelf: false)]
      }]
    }, golden: { c in
      [try c.tensor(0).scatterReduce(
        dim: try c.int(1, "dim"), index: try c.tensor(2), source: try c.tensor(3), reduce: try readScatterReduction(c),
        includeSelf: try c.bool(5, "include_self", default: true))]
    }),
    OpInfo("scatterReduce.amax", torch: ["scatter_reduce.amax"], dtypes: [.float64], samples: { dtype, rng in
      let index = indices([2, 3], [0, 2, 0, 0, 0, 3])
      return [OpSample("[3, 4] dim 1, repeats", [rng.tensor([3, 4], dtype: dtype), rng.tensor([2, 5], dtype: dtype)]) {
        [$0[0].scatterReduce(dim: 1, index: index, source: $0[1], reduce: .amax),
         $0[0].scatterReduce(dim: 1, index: index, source: $0[1], reduce: .amax, includeSelf: false)]
      }]
    }, golden: { c in
      [try c.tensor(0).scatterReduce(
        dim: try c.int(1, "dim"), index: try c.tensor(2), source: try c.tensor(3), reduce: try readScatterReduction(c),
        includeSelf: try c.bool(5, "include_self", default: true))]
    }),
    OpInfo("scatterReduce.amin", torch: ["scatter_reduce.amin"], dtypes: [.float64], samples: { dtype, rng in
      let index = indices([2, 3], [2, 2, 1, 0, 2, 1])
      return [OpSample("[3, 4] dim 0, repeats", [rng.tensor([3, 4], dtype: dtype), rng.tensor([2, 3], dtype: dtype)]) {
        [$0[0].scatterReduce(dim: 0, index: index, source: $0[1], reduce: .amin),
         $0[0].scatterReduce(dim: 0, index: index, source: $0[1], reduce: .amin, includeSelf: false)]
      }]
    }, golden: { c in
      [try c.tensor(0).scatterReduce(
        dim: try c.int(1, "dim"), index: try c.tensor(2), source: try c.tensor(3), reduce: try readScatterReduction(c),
        includeSelf: try c.bool(5, "include_self", default: true))]
    }),
    OpInfo("mode", torch: ["mode"], dtypes: [.float64], samples: { dtype, rng in
      [OpSample("[3, 4] dim 1", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].mode(dim: 1).values] },
       OpSample("[3, 4] transposed dim 0 keepdim", [rng.tensor([4, 3], dtype: dtype).transposed()]) {
         [$0[0].mode(dim: 0, keepdim: true).values]
       }]
    }, golden: { c in
      let (values, indices) = try c.tensor(0).mode(dim: try c.int(1, "dim", default: -1), keepdim: try c.bool(2, "keepdim", default: false))
      return [values, indices]
    }),
    OpInfo("bernoulli", torch: ["bernoulli"], dtypes: [.float64], modes: .none, limits: ["random samples: zero derivative"], samples: { dtype, rng in
      [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype, in: 0...1)]) {
        var g = SeededGenerator(seed: 7)
        return [$0[0].bernoulli(using: &g)]
      }]
    }, golden: { c in
      // Tangent's random streams differ from PyTorch's, so samples cannot match a golden case.
      throw ConformanceError.unsupportedArgument("\(c.op): random samples do not match PyTorch's generator")
    }),
    OpInfo("softmaxBackwardData", torch: ["_softmax_backward_data"], dtypes: [.float64], samples: { dtype, rng in
      [OpSample("[3, 4] dim 1", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) {
        [Tensor.softmaxBackwardData(gradOutput: $0[0], output: $0[1].softmax(dim: 1), dim: 1)]
      }]
    }, golden: { c in [Tensor.softmaxBackwardData(gradOutput: try c.tensor(0), output: try c.tensor(1), dim: try c.int(2, "dim"))] }),
    OpInfo("maskedIndex", torch: ["_unsafe_masked_index"], samples: { dtype, rng in
      [OpSample("[4, 3] rows [1, 5] with the second masked", [rng.tensor([4, 3], dtype: dtype)]) {
        [$0[0].maskedIndex(mask: mask([2, 1], [1, 0]), indices: [indices([2], [1, 5])], fill: 0.5)]
      }, OpSample("[4, 3] both dims", [rng.tensor([4, 3], dtype: dtype)]) {
        [$0[0].maskedIndex(mask: mask([3], [1, 1, 0]), indices: [indices([3], [0, 3, -9]), indices([3], [2, 2, 0])], fill: 0)]
      }]
    }, golden: { c in
      [try c.tensor(0).maskedIndex(mask: try c.tensor(1), indices: try c.tensors(2), fill: try c.double(3, "fill"))]
    }),
    OpInfo("maskedIndexPutAccumulate", torch: ["_unsafe_masked_index_put_accumulate"], samples: { dtype, rng in
      [OpSample("[4, 3] rows [3, -7, 3] with the second masked", [rng.tensor([4, 3], dtype: dtype), rng.tensor([3, 3], dtype: dtype)]) {
        [$0[0].maskedIndexPutAccumulate(mask: mask([3, 1], [1, 0, 1]), indices: [indices([3], [3, -7, 3])], values: $0[1])]
      }]
    }, golden: { c in
      [try c.tensor(0).maskedIndexPutAccumulate(mask: try c.tensor(1), indices: try c.tensors(2), values: try c.tensor(3))]
    }),
    indexingRecord("T", torch: ["T"], shapes: [[3, 4], [2, 3, 4], [5]], { [$0.T] }) { c in [try c.tensor(0).T] },
    indexingRecord("H", torch: ["H"], shapes: [[3, 4], [5]], { [$0.H] }) { c in [try c.tensor(0).H] },
    indexingRecord("gradient", torch: ["gradient"], shapes: [[3, 4], [5]], { x in
      x.gradient() + x.gradient(spacing: 0.5, dims: [-1]) + x.gradient(spacing: 2, edgeOrder: 2)
        + x.gradient(spacings: Array(repeating: 0.5, count: x.rank).enumerated().map { $1 + Double($0) })
    }) { c in
      let x = try c.tensor(0), dims = try c.dims(nil, "dim"), edgeOrder = try c.int(nil, "edge_order", default: 1)
      // `spacing` is one number or one number per dim (coordinate tensors are not supported).
      if let spacings = try c.doubles(nil, "spacing"), spacings.count > 1 {
        return x.gradient(spacings: spacings, dims: dims, edgeOrder: edgeOrder)
      }
      return x.gradient(spacing: try c.doubles(nil, "spacing")?.first ?? 1, dims: dims, edgeOrder: edgeOrder)
    },
    OpInfo("safeSoftmax", torch: ["torch.ops.aten._safe_softmax.default"], dtypes: [.float64], samples: { dtype, rng in
      let dead = mask([3, 1], [0, 1, 0])
      return [OpSample("[3, 4] dim 1, a fully masked row", [rng.tensor([3, 4], dtype: dtype)]) {
        [Tensor.where(dead, -Double.infinity, $0[0]).safeSoftmax(dim: 1)]
      }, OpSample("[3, 4] transposed dim 0", [rng.tensor([4, 3], dtype: dtype).transposed()]) { [$0[0].safeSoftmax(dim: 0)] }]
    }, golden: { c in [try c.tensor(0).safeSoftmax(dim: try c.int(1, "dim"))] }),
    OpInfo("nextAfter", torch: ["nextafter"], dtypes: [.float64], samples: { dtype, rng in
      [OpSample("[3, 4] with [4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) { [$0[0].nextAfter($0[1])] }]
    }, golden: { c in [try c.tensor(0).nextAfter(try c.tensor(1))] }),
    bitwiseRecord("bitwiseAnd", torch: ["__rand__"]) { $1.bitwiseAnd($0) },
    bitwiseRecord("bitwiseOr", torch: ["__ror__"]) { $1.bitwiseOr($0) },
    bitwiseRecord("bitwiseXor", torch: ["__rxor__"]) { $1.bitwiseXor($0) },
    indexingRecord("to", torch: ["to"], shapes: [[3, 4], []], { [$0.converted(to: $0.dtype)] }) { c in
      let x = try c.tensor(0)
      return [x.converted(to: try c.dtypeArgument(1, "dtype") ?? x.dtype)]
    },
    indexingRecord("subscript", torch: ["__getitem__"], shapes: [[3, 4]], { x in
      [x[[TensorIndex.index(1)]], x[0..<2, 1...], x[[TensorIndex.all, .range(from: 0, to: 4, step: 2)]], x[indices([2], [2, 0])],
       // PyTorch's x[[[2, 0, -1], [1, 3, 0]]] (OpInfo __getitem__#1), as the adapter computes it.
       try! indexingLeadingDims(x, [[2, 0, -1], [1, 3, 0]])]
    }) { c in
      let x = try c.tensor(0)
      if c.isTensor(1) { return [x[try c.tensor(1)]] }
      // A list of integers indexes dim 0 like an integer tensor, as in PyTorch.
      if let list = try? c.ints(1), case .array? = c.value(1, nil) {
        return [x[Tensor(shape: [list.count], scalars: list.map(Int64.init))]]
      }
      if case .array(let rows)? = c.value(1, nil), let lists = integerLists(rows) { return [try indexingLeadingDims(x, lists)] }
      guard let i = try? c.int(1) else { throw ConformanceError.unsupportedArgument("__getitem__: index \(String(describing: c.value(1, nil)))") }
      return [x[[TensorIndex.index(i)]]]
    },
  ]

  /// A JSON list whose entries are all lists of integers, or `nil`.
  static func integerLists(_ rows: [JSONValue]) -> [[Int]]? {
    var lists: [[Int]] = []
    for row in rows {
      guard case .array(let items) = row else { return nil }
      var list: [Int] = []
      for item in items {
        guard let d = item.number, let i = Int(exactly: d) else { return nil }
        list.append(i)
      }
      lists.append(list)
    }
    return lists.isEmpty ? nil : lists
  }

  /// PyTorch's `x[[a, b, …]]` with integer lists `a, b, …` of one length L: a list of lists is
  /// read as a tuple of index lists (NumPy's legacy rule), which index the leading dims
  /// together (advanced indexing), giving `[L] + the remaining dims`. Computed as one index
  /// into the leading dims flattened; negative entries count from the end of their dim.
  static func indexingLeadingDims(_ x: Tensor, _ lists: [[Int]]) throws -> Tensor {
    let length = lists[0].count
    guard lists.count <= x.rank, lists.allSatisfy({ $0.count == length }) else {
      throw ConformanceError.unsupportedArgument("__getitem__: \(lists.count) index lists of lengths \(lists.map(\.count)) for shape \(x.shape)")
    }
    var flat = [Int](repeating: 0, count: length)
    for (k, list) in lists.enumerated() {
      let n = x.shape[k]
      for (i, v) in list.enumerated() {
        guard v >= -n && v < n else {
          throw ConformanceError.invalidCase("__getitem__: index \(v) is out of range for dim \(k) of size \(n)")
        }
        flat[i] = flat[i] * n + (v < 0 ? v + n : v)
      }
    }
    let leading = x.shape.prefix(lists.count).reduce(1, *)
    return x.reshaped([leading] + Array(x.shape.dropFirst(lists.count)))[Tensor(shape: [length], scalars: flat.map(Int64.init))]
  }
}
