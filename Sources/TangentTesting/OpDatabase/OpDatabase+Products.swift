import Tangent

extension OpDatabase {
  /// Matrix products.
  static let products: [OpInfo] = [
    OpInfo("matmul", torch: ["matmul", "__rmatmul__"], samples: { dtype, rng in
      let pairs: [([Int], [Int])] = [
        ([3, 4], [4, 2]), ([4], [4]), ([4], [4, 2]), ([3, 4], [4]), ([2, 3, 4], [4, 5]), ([3, 4], [2, 4, 5]),
        ([2, 1, 3, 4], [5, 4, 2]), ([0, 4], [4, 3]),
      ]
      var out = pairs.map { a, b in
        OpSample("\(a) @ \(b)", [rng.tensor(a, dtype: dtype), rng.tensor(b, dtype: dtype)]) { [$0[0].matmul($0[1])] }
      }
      out.append(OpSample("transposed operands", [rng.tensor([4, 3], dtype: dtype).mT, rng.tensor([2, 4], dtype: dtype).mT]) {
        [$0[0].matmul($0[1])]
      })
      return out
    }, golden: { c in [try c.tensor(0).matmul(try c.tensor(1))] }),
    OpInfo("mm", torch: ["mm"], samples: { dtype, rng in
      [OpSample("[3, 4] @ [4, 2]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4, 2], dtype: dtype)]) { [$0[0].mm($0[1])] }]
    }, golden: { c in [try c.tensor(0).mm(try c.tensor(1))] }),
    OpInfo("bmm", torch: ["bmm"], samples: { dtype, rng in
      [OpSample("[2, 3, 4] @ [2, 4, 2]", [rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([2, 4, 2], dtype: dtype)]) { [$0[0].bmm($0[1])] }]
    }, golden: { c in [try c.tensor(0).bmm(try c.tensor(1))] }),
    OpInfo("mv", torch: ["mv"], samples: { dtype, rng in
      [OpSample("[3, 4] @ [4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) { [$0[0].mv($0[1])] }]
    }, golden: { c in [try c.tensor(0).mv(try c.tensor(1))] }),
    OpInfo("dot", torch: ["dot"], samples: { dtype, rng in
      [OpSample("[4] · [4]", [rng.tensor([4], dtype: dtype), rng.tensor([4], dtype: dtype)]) { [$0[0].dot($0[1])] }]
    }, golden: { c in [try c.tensor(0).dot(try c.tensor(1))] }),
  ]
}
