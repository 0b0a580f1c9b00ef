import Tangent

extension OpDatabase {
  /// Linear algebra: inverses, solves, determinants, Cholesky, triangular solves and LU.
  static let linalg: [OpInfo] = linalgSolves + linalgDeterminants

  /// A well-conditioned batch of square matrices: uniform entries in [-1, 1] plus n·I.
  static func wellConditioned(_ shape: [Int], dtype: DType, _ rng: inout TestRandom) -> Tensor {
    rng.tensor(shape, dtype: dtype) + Tensor.eye(shape[shape.count - 1], dtype: dtype) * Double(shape[shape.count - 1])
  }

  /// Reads PyTorch's `check_errors` keyword of the `*_ex` ops (only `False`, the default).
  static func readCheckErrors(_ c: GoldenCall) throws {
    try c.expectDefault("check_errors") { $0.bool == false }
  }

  /// Inverses and solves.
  static let linalgSolves: [OpInfo] = [
    OpInfo("Linalg.inv", torch: ["linalg.inv"], samples: { dtype, rng in
      [
        OpSample("[4, 4]", [wellConditioned([4, 4], dtype: dtype, &rng)]) { [try! Linalg.inv($0[0])] },
        OpSample("[2, 3, 3]", [wellConditioned([2, 3, 3], dtype: dtype, &rng)]) { [try! Linalg.inv($0[0])] },
      ]
    }, golden: { c in [try Linalg.inv(try c.tensor(0))] }),
    OpInfo("Linalg.invEx", torch: ["linalg.inv_ex"], samples: { dtype, rng in
      [OpSample("[2, 3, 3]", [wellConditioned([2, 3, 3], dtype: dtype, &rng)]) { [Linalg.invEx($0[0]).inverse] }]
    }, golden: { c in
      try readCheckErrors(c)
      let (y, info) = Linalg.invEx(try c.tensor(0))
      return [y, info]
    }),
    OpInfo("Linalg.solve", torch: ["linalg.solve"], samples: { dtype, rng in
      [
        OpSample("[4, 4] \\ [4, 2]", [wellConditioned([4, 4], dtype: dtype, &rng), rng.tensor([4, 2], dtype: dtype)]) {
          [try! Linalg.solve($0[0], $0[1])]
        },
        OpSample("[3, 3] \\ [3] vector", [wellConditioned([3, 3], dtype: dtype, &rng), rng.tensor([3], dtype: dtype)]) {
          [try! Linalg.solve($0[0], $0[1])]
        },
        OpSample("[2, 3, 3] \\ [3, 2] broadcast", [wellConditioned([2, 3, 3], dtype: dtype, &rng), rng.tensor([3, 2], dtype: dtype)]) {
          [try! Linalg.solve($0[0], $0[1])]
        },
        OpSample("[2, 4] / [4, 4] right", [wellConditioned([4, 4], dtype: dtype, &rng), rng.tensor([2, 4], dtype: dtype)]) {
          [try! Linalg.solve($0[0], $0[1], left: false)]
        },
      ]
    }, golden: { c in [try Linalg.solve(try c.tensor(0), try c.tensor(1), left: try c.bool(2, "left", default: true))] }),
    OpInfo("Linalg.solveEx", torch: ["linalg.solve_ex"], samples: { dtype, rng in
      [OpSample("[3, 3] \\ [3, 2]", [wellConditioned([3, 3], dtype: dtype, &rng), rng.tensor([3, 2], dtype: dtype)]) {
        [Linalg.solveEx($0[0], $0[1]).result]
      }]
    }, golden: { c in
      try readCheckErrors(c)
      let (x, info) = Linalg.solveEx(try c.tensor(0), try c.tensor(1), left: try c.bool(2, "left", default: true))
      return [x, info]
    }),
  ]

  /// Determinants.
  static let linalgDeterminants: [OpInfo] = [
    OpInfo("Linalg.det", torch: ["linalg.det", "det"], samples: { dtype, rng in
      // An exactly singular matrix: first derivatives are exact (the adjugate), higher ones
      // are checked at non-singular matrices.
      [
        OpSample("[4, 4]", [rng.tensor([4, 4], dtype: dtype) * 2]) { [Linalg.det($0[0])] },
        OpSample("[2, 3, 3]", [rng.tensor([2, 3, 3], dtype: dtype) * 2]) { [Linalg.det($0[0])] },
      ]
    }, golden: { c in [Linalg.det(try c.tensor(0))] }),
    OpInfo("Linalg.slogdet", torch: ["linalg.slogdet", "slogdet"], samples: { dtype, rng in
      [OpSample("[2, 3, 3]", [rng.tensor([2, 3, 3], dtype: dtype) * 2]) { let (s, l) = Linalg.slogdet($0[0]); return [s, l] }]
    }, golden: { c in
      let (s, l) = Linalg.slogdet(try c.tensor(0))
      return [s, l]
    }),
    OpInfo("Linalg.logdet", torch: ["logdet"], samples: { dtype, rng in
      let x = rng.tensor([2, 3, 3], dtype: dtype)
      let pd = x.matmul(x.mH) + Tensor.eye(3, dtype: dtype) * 3
      return [OpSample("[2, 3, 3] Hermitian positive definite", [pd]) { [Linalg.logdet(($0[0] + $0[0].mH) / 2)] }]
    }, golden: { c in [Linalg.logdet(try c.tensor(0))] }),
  ]
}
