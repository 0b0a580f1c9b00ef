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
    }, golden: { c in
      // `a.__rmatmul__(b)` is `b @ a`: the receiver is the right operand.
      if c.op == "__rmatmul__" { return [try c.tensor(1).matmul(try c.tensor(0))] }
      return [try c.tensor(0).matmul(try c.tensor(1))]
    }).withEdgeSamples(productEdges([([2, 0], [0, 3]), ([0], [0]), ([4], [4, 0]), ([0, 4], [4]), ([1, 1], [1, 1]), ([0, 2, 3], [3, 1]), ([1], [1, 2])]) { $0.matmul($1) }),
    OpInfo("mm", torch: ["mm"], samples: { dtype, rng in
      [OpSample("[3, 4] @ [4, 2]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4, 2], dtype: dtype)]) { [$0[0].mm($0[1])] }]
    }, golden: { c in [try c.tensor(0).mm(try c.tensor(1))] }).withEdgeSamples(productEdges([([2, 0], [0, 3]), ([0, 3], [3, 2]), ([1, 1], [1, 1])]) { $0.mm($1) }),
    OpInfo("bmm", torch: ["bmm"], samples: { dtype, rng in
      [OpSample("[2, 3, 4] @ [2, 4, 2]", [rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([2, 4, 2], dtype: dtype)]) { [$0[0].bmm($0[1])] }]
    }, golden: { c in [try c.tensor(0).bmm(try c.tensor(1))] }).withEdgeSamples(productEdges([([0, 2, 3], [0, 3, 4]), ([2, 0, 3], [2, 3, 1]), ([1, 2, 0], [1, 0, 3])]) { $0.bmm($1) }),
    OpInfo("mv", torch: ["mv"], samples: { dtype, rng in
      [OpSample("[3, 4] @ [4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) { [$0[0].mv($0[1])] }]
    }, golden: { c in [try c.tensor(0).mv(try c.tensor(1))] }).withEdgeSamples(productEdges([([2, 0], [0]), ([0, 3], [3]), ([1, 1], [1])]) { $0.mv($1) }),
    OpInfo("dot", torch: ["dot"], samples: { dtype, rng in
      [OpSample("[4] · [4]", [rng.tensor([4], dtype: dtype), rng.tensor([4], dtype: dtype)]) { [$0[0].dot($0[1])] }]
    }, golden: { c in [try c.tensor(0).dot(try c.tensor(1))] }).withEdgeSamples(productEdges([([0], [0]), ([1], [1])]) { $0.dot($1) }),
    OpInfo("outer", torch: ["outer"], samples: { dtype, rng in
      [OpSample("[3] ⊗ [4]", [rng.tensor([3], dtype: dtype), rng.tensor([4], dtype: dtype)]) { [$0[0].outer($0[1])] }]
    }, golden: { c in [try c.tensor(0).outer(try c.tensor(1))] }).withEdgeSamples(productEdges([([0], [3]), ([1], [1]), ([2], [0])]) { $0.outer($1) }),
    OpInfo("inner", torch: ["inner"], samples: { dtype, rng in
      let pairs: [([Int], [Int])] = [([3, 4], [2, 4]), ([4], [4]), ([], [2, 3]), ([2, 3, 4], [4])]
      return pairs.map { a, b in
        OpSample("\(a) · \(b)", [rng.tensor(a, dtype: dtype), rng.tensor(b, dtype: dtype)]) { [$0[0].inner($0[1])] }
      }
    }, golden: { c in [try c.tensor(0).inner(try c.tensor(1))] }),
    OpInfo("vdot", torch: ["vdot"], samples: { dtype, rng in
      [OpSample("[5] · [5]", [rng.tensor([5], dtype: dtype), rng.tensor([5], dtype: dtype)]) { [$0[0].vdot($0[1])] }]
    }, golden: { c in [try c.tensor(0).vdot(try c.tensor(1))] }),
    OpInfo("addmm", torch: ["addmm", "addmm.decomposed"], samples: { dtype, rng in
      [
        OpSample("β 0.5, α 2", [rng.tensor([3, 5], dtype: dtype), rng.tensor([3, 4], dtype: dtype), rng.tensor([4, 5], dtype: dtype)]) {
          [$0[0].addmm($0[1], $0[2], beta: 0.5, alpha: 2)]
        },
        OpSample("broadcast input", [rng.tensor([5], dtype: dtype), rng.tensor([3, 4], dtype: dtype), rng.tensor([4, 5], dtype: dtype)]) {
          [$0[0].addmm($0[1], $0[2])]
        },
        OpSample("β 0", [rng.tensor([3, 1], dtype: dtype), rng.tensor([3, 2], dtype: dtype), rng.tensor([2, 4], dtype: dtype)]) {
          [$0[0].addmm($0[1], $0[2], beta: 0)]
        },
      ]
    }, golden: { c in
      [try c.tensor(0).addmm(try c.tensor(1), try c.tensor(2), beta: try c.double(nil, "beta", default: 1), alpha: try c.double(nil, "alpha", default: 1))]
    }),
    OpInfo("addmv", torch: ["addmv"], samples: { dtype, rng in
      [
        OpSample("β 0.5, α 2", [rng.tensor([3], dtype: dtype), rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
          [$0[0].addmv($0[1], $0[2], beta: 0.5, alpha: 2)]
        },
        OpSample("0-d input", [rng.tensor([], dtype: dtype), rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
          [$0[0].addmv($0[1], $0[2])]
        },
      ]
    }, golden: { c in
      [try c.tensor(0).addmv(try c.tensor(1), try c.tensor(2), beta: try c.double(nil, "beta", default: 1), alpha: try c.double(nil, "alpha", default: 1))]
    }),
    OpInfo("addr", torch: ["addr"], samples: { dtype, rng in
      [
        OpSample("[3, 4] + [3] ⊗ [4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
          [$0[0].addr($0[1], $0[2])]
        },
        OpSample("broadcast input, β 2, α 0.5", [rng.tensor([1, 4], dtype: dtype), rng.tensor([3], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
          [$0[0].addr($0[1], $0[2], beta: 2, alpha: 0.5)]
        },
      ]
    }, golden: { c in
      [try c.tensor(0).addr(try c.tensor(1), try c.tensor(2), beta: try c.double(nil, "beta", default: 1), alpha: try c.double(nil, "alpha", default: 1))]
    }),
    OpInfo("baddbmm", torch: ["baddbmm"], samples: { dtype, rng in
      [
        OpSample("[2, 3, 5] + [2, 3, 4] @ [2, 4, 5]", [rng.tensor([2, 3, 5], dtype: dtype), rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([2, 4, 5], dtype: dtype)]) {
          [$0[0].baddbmm($0[1], $0[2])]
        },
        OpSample("broadcast input, β 0.5, α 2", [rng.tensor([3, 5], dtype: dtype), rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([2, 4, 5], dtype: dtype)]) {
          [$0[0].baddbmm($0[1], $0[2], beta: 0.5, alpha: 2)]
        },
      ]
    }, golden: { c in
      [try c.tensor(0).baddbmm(try c.tensor(1), try c.tensor(2), beta: try c.double(nil, "beta", default: 1), alpha: try c.double(nil, "alpha", default: 1))]
    }),
    OpInfo("addbmm", torch: ["addbmm"], samples: { dtype, rng in
      [
        OpSample("[3, 5] + Σ [2, 3, 4] @ [2, 4, 5]", [rng.tensor([3, 5], dtype: dtype), rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([2, 4, 5], dtype: dtype)]) {
          [$0[0].addbmm($0[1], $0[2])]
        },
        OpSample("broadcast input, β 0.5, α 2", [rng.tensor([5], dtype: dtype), rng.tensor([3, 3, 2], dtype: dtype), rng.tensor([3, 2, 5], dtype: dtype)]) {
          [$0[0].addbmm($0[1], $0[2], beta: 0.5, alpha: 2)]
        },
      ]
    }, golden: { c in
      [try c.tensor(0).addbmm(try c.tensor(1), try c.tensor(2), beta: try c.double(nil, "beta", default: 1), alpha: try c.double(nil, "alpha", default: 1))]
    }),
    OpInfo("tensordot", torch: ["tensordot"], samples: { dtype, rng in
      [
        OpSample("dims 2", [rng.tensor([3, 4, 5], dtype: dtype), rng.tensor([4, 5, 2], dtype: dtype)]) { [$0[0].tensordot($0[1], dims: 2)] },
        OpSample("dims 0", [rng.tensor([2], dtype: dtype), rng.tensor([3], dtype: dtype)]) { [$0[0].tensordot($0[1], dims: 0)] },
        OpSample("dims ([0, 2], [2, 0])", [rng.tensor([3, 4, 2], dtype: dtype), rng.tensor([2, 5, 3], dtype: dtype)]) {
          [$0[0].tensordot($0[1], dims: ([0, 2], [2, 0]))]
        },
        OpSample("size-1 contracted dim", [rng.tensor([3, 1], dtype: dtype), rng.tensor([4, 2], dtype: dtype)]) {
          [$0[0].tensordot($0[1], dims: ([-1], [0]))]
        },
      ]
    }, golden: { c in
      let a = try c.tensor(0), b = try c.tensor(1)
      guard let dims = c.value(2, "dims") else { return [a.tensordot(b)] }
      if dims.number != nil { return [a.tensordot(b, dims: try c.int(2, "dims"))] }
      guard let pair = dims.array, pair.count == 2 else {
        throw ConformanceError.unsupportedArgument("tensordot: dims = \(dims) is not a number or a pair of lists")
      }
      func list(_ v: JSONValue) throws -> [Int] {
        if v.number != nil { return [try c.integer(v, 2, "dims")] }
        guard let items = v.array else {
          throw ConformanceError.invalidCase("tensordot: dims = \(dims) is not a pair of integer lists")
        }
        return try items.map { try c.integer($0, 2, "dims") }
      }
      return [a.tensordot(b, dims: (try list(pair[0]), try list(pair[1])))]
    }),
    OpInfo("vecdot", torch: ["linalg.vecdot"], samples: { dtype, rng in
      [
        OpSample("[3, 4] · [3, 4]", [rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) { [$0[0].vecdot($0[1])] },
        OpSample("broadcast [2, 1, 4] · [3, 4]", [rng.tensor([2, 1, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)]) {
          [$0[0].vecdot($0[1])]
        },
        OpSample("dim 0", [rng.tensor([3, 2], dtype: dtype), rng.tensor([3, 2], dtype: dtype)]) { [$0[0].vecdot($0[1], dim: 0)] },
      ]
    }, golden: { c in [try c.tensor(0).vecdot(try c.tensor(1), dim: try c.int(nil, "dim", default: -1))] }),
    OpInfo("cross", torch: ["cross", "linalg.cross"], samples: { dtype, rng in
      [
        OpSample("[4, 3] × [4, 3]", [rng.tensor([4, 3], dtype: dtype), rng.tensor([4, 3], dtype: dtype)]) { [$0[0].cross($0[1])] },
        OpSample("broadcast [3] × [2, 3]", [rng.tensor([3], dtype: dtype), rng.tensor([2, 3], dtype: dtype)]) { [$0[0].cross($0[1])] },
        OpSample("dim 0", [rng.tensor([3, 2], dtype: dtype), rng.tensor([3, 1], dtype: dtype)]) { [$0[0].cross($0[1], dim: 0)] },
      ]
    }, golden: { c in
      let a = try c.tensor(0), b = try c.tensor(1)
      if let dim = try c.optionalInt(2, "dim") { return [a.cross(b, dim: dim)] }
      if c.op == "linalg.cross" { return [a.cross(b)] }
      // torch.cross without a dim takes the first dim of size 3 of the broadcast shape.
      let shape = Shape.broadcast(a.shape, b.shape, op: "cross")
      guard let dim = shape.firstIndex(of: 3) else {
        throw ConformanceError.unsupportedArgument("cross: no dim of size 3 in \(shape)")
      }
      return [a.cross(b, dim: dim)]
    }),
    OpInfo("multiDot", torch: ["linalg.multi_dot"], samples: { dtype, rng in
      let chains: [[[Int]]] = [[[3, 4], [4, 5], [5, 2]], [[4], [4, 5], [5, 3], [3]], [[2, 3], [3, 6], [6, 1], [1, 4]], [[3], [3, 2]]]
      return chains.map { shapes in
        OpSample("\(shapes)", shapes.map { rng.tensor($0, dtype: dtype) }) { [Tensor.multiDot($0)] }
      }
    }, golden: { c in [Tensor.multiDot(try c.tensors(0))] }),
    OpInfo("einsum", torch: ["einsum"], samples: { dtype, rng in
      let cases: [(String, [[Int]])] = [
        ("bij,bjk->bik", [[2, 3, 4], [2, 4, 2]]), ("ii->i", [[4, 4]]), ("ii", [[3, 3]]), ("ij->ji", [[2, 3]]),
        ("i,j->ij", [[3], [2]]), ("i,i", [[4], [4]]), ("...ij,...jk", [[2, 1, 3, 4], [5, 4, 2]]),
        ("bn,anm,bm->ba", [[2, 3], [4, 3, 5], [2, 5]]), ("ij,ij->i", [[3, 4], [3, 4]]), ("iji->j", [[3, 2, 3]]),
        ("...ii->...i", [[2, 3, 3]]), ("ab,b...->a...", [[2, 3], [3, 2, 2]]), ("ij,kj->ik", [[3, 1], [2, 4]]),
        ("ij,jk,kl->il", [[2, 3], [3, 4], [4, 2]]), ("...", [[2, 3]]), ("ijk->", [[2, 3, 2]]),
      ]
      return cases.map { equation, shapes in
        OpSample("\"\(equation)\" \(shapes)", shapes.map { rng.tensor($0, dtype: dtype) }) { [Tensor.einsum(equation, $0)] }
      }
    }, golden: { c in
      guard let equation = try c.string(0) else { throw ConformanceError.unsupportedArgument("einsum: no equation") }
      return [Tensor.einsum(equation, c.allTensors())]
    }),
  ]

  /// Edge samples of a product of two tensors: empty inner or outer dims, empty batches and
  /// size-1 operands (PyTorch gives zeros where the inner dim is empty).
  static func productEdges(
    _ pairs: [([Int], [Int])], _ f: @escaping @Sendable (Tensor, Tensor) -> Tensor
  ) -> @Sendable (DType, inout TestRandom) -> [OpSample] {
    { dtype, rng in
      pairs.map { a, b in
        OpSample("edge \(a) with \(b)", [rng.tensor(a, dtype: dtype), rng.tensor(b, dtype: dtype)]) { [f($0[0], $0[1])] }
      }
    }
  }
}
