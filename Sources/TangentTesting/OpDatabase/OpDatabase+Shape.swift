import Tangent

extension OpDatabase {
  /// Views, reshapes and joins.
  static let shape: [OpInfo] = [
    OpInfo("reshape", torch: ["reshape", "view", "view_copy"], samples: { dtype, rng in
      [OpSample("[3, 4] → [2, 6]", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].reshaped([2, 6])] },
       OpSample("transposed → [-1]", [rng.tensor([4, 3], dtype: dtype).transposed()]) { [$0[0].reshaped([-1])] }]
    }, golden: { call in [try call.tensor(0).reshaped(try call.ints(1, "shape") ?? call.requiredInts(1, "size"))] }),
    OpInfo("permute", torch: ["permute", "permute_copy"], samples: { dtype, rng in
      [OpSample("[2, 3, 4]", [rng.tensor([2, 3, 4], dtype: dtype)]) { [$0[0].permuted([2, 0, 1])] }]
    }, golden: { call in [try call.tensor(0).permuted(try call.requiredInts(1, "dims"))] }),
    OpInfo("transpose", torch: ["transpose", "swapaxes", "swapdims", "transpose_copy"], samples: { dtype, rng in
      [OpSample("[2, 3, 4] 0↔2", [rng.tensor([2, 3, 4], dtype: dtype)]) { [$0[0].transposed(0, 2)] }]
    }, golden: { call in [try call.tensor(0).transposed(try call.int(1, "dim0"), try call.int(2, "dim1"))] }),
    OpInfo("t", torch: ["t", "t_copy"], samples: { dtype, rng in
      [OpSample("[3, 4]", [rng.tensor([3, 4], dtype: dtype)]) { [$0[0].transposed()] }]
    }, golden: { call in [try call.tensor(0).transposed()] }),
    OpInfo("mT", torch: ["mT"], samples: { dtype, rng in
      [OpSample("[2, 3, 4]", [rng.tensor([2, 3, 4], dtype: dtype)]) { [$0[0].mT] }]
    }, golden: { call in [try call.tensor(0).mT] }),
    OpInfo("mH", torch: ["mH", "adjoint"], samples: { dtype, rng in
      [OpSample("[2, 3, 4]", [rng.tensor([2, 3, 4], dtype: dtype)]) { [$0[0].mH] }]
    }, golden: { call in [try call.tensor(0).mH] }),
    OpInfo("expand", torch: ["expand", "broadcast_to", "expand_as", "expand_copy"], samples: { dtype, rng in
      let cases: [([Int], [Int])] = [([3, 1], [2, 3, 4]), ([5, 1, 1], [5, 5, 5]), ([], [1, 1])]
      return cases.map { from, to in
        OpSample("\(from) → \(to)", [rng.tensor(from, dtype: dtype)]) { [$0[0].expanded(to: to)] }
      }
    }, golden: { call in
      let x = try call.tensor(0)
      // expand_as takes the target shape from a tensor.
      if call.op == "expand_as" { return [x.expanded(to: try call.tensor(1).shape)] }
      var shape = try call.ints(1, "size") ?? call.requiredInts(1, "shape")
      // PyTorch's -1 keeps the existing size.
      for i in shape.indices where shape[i] == -1 { shape[i] = x.shape[i - (shape.count - x.rank)] }
      return [x.expanded(to: shape)]
    }).withEdgeSamples { dtype, rng in
      let cases: [([Int], [Int])] = [([], []), ([], [0]), ([1], [0]), ([0], [2, 0]), ([1, 1], [3, 1, 1])]
      return cases.map { from, to in
        OpSample("edge \(from) → \(to)", [rng.tensor(from, dtype: dtype)]) { [$0[0].expanded(to: to)] }
      }
    },
  ]
}
