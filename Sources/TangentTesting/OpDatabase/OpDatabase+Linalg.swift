import Tangent

// Known differences from the PyTorch goldens (torch 2.13), where Tangent follows the
// mathematics (finite differences, and PyTorch's own reverse rules) rather than PyTorch:
// - jvp_of_jvp of linalg.solve, linalg.det, linalg.slogdet and logdet: PyTorch's forward rules
//   solve with the LU factors, an output it marks non-differentiable, so its second forward
//   derivative drops the dependence of A⁻¹ on A (the goldens equal the formula without that
//   term to 1e-15; e.g. for det it gives det·tr(A⁻¹E)tr(A⁻¹F) instead of
//   det·(tr(A⁻¹E)tr(A⁻¹F) − tr(A⁻¹FA⁻¹E))).
// - jvp (and so jvp_of_vjp, jvp_of_jvp) of cholesky_inverse: PyTorch's cholesky_inverse_jvp
//   computes −X dL X Lᴴ where the derivative is −X dL Lᴴ X; it disagrees with finite
//   differences and with PyTorch's own VJP. Tangent differentiates the function it computes,
//   which reads only the factor's triangle and the real part of its diagonal (as LAPACK and
//   PyTorch's primal do), so its VJP is zero off that part, where PyTorch's is not.
// - jvp_of_vjp of triangular_solve: PyTorch's triangular_solve_jvp ignores `transpose`
//   (uses dA for Aᵀ), and its backward solves with transpose flipped.
// - jvp_of_jvp of householder_product: PyTorch's second forward derivative disagrees with
//   finite differences of the function (golden case #336, entry Q[0, 0]: 0 by central
//   differences of the explicit product of reflectors and by Tangent, 2.83 + 5.59i in torch);
//   its first derivatives agree.

extension OpDatabase {
  /// Linear algebra: inverses, solves, determinants, Cholesky, triangular solves and LU.
  static let linalg: [OpInfo] = (linalgSolves + linalgDeterminants + linalgCholesky + linalgTriangular + linalgLU)
    .map { $0.deviating(pytorchDeviations[$0.name] ?? [:]) }

  /// Golden fields where PyTorch's value is wrong (see the note at the top of this file). The
  /// conformance runner checks Tangent against finite differences for these instead.
  static let pytorchDeviations: [String: [String: String]] = [
    "Linalg.solve": ["jvp_of_jvp": secondOrderLU],
    "Linalg.det": ["jvp_of_jvp": secondOrderLU],
    "Linalg.slogdet": ["jvp_of_jvp": secondOrderLU],
    "Linalg.logdet": ["jvp_of_jvp": secondOrderLU],
    "Linalg.choleskyInverse": [
      "jvp": choleskyInverseJVP, "jvp_of_vjp": choleskyInverseJVP, "jvp_of_jvp": choleskyInverseJVP,
      "vjp": "torch 2.13's reverse rule uses the whole factor, not the triangle (and real diagonal) the op reads",
    ],
    "Linalg.householderProduct": [
      "jvp_of_jvp": "torch 2.13's second forward derivative of householder_product disagrees with finite differences of the product of reflectors"
    ],
  ]
  static let secondOrderLU = "torch 2.13's forward rule treats its LU factors as constants, dropping d(A⁻¹)"
  static let choleskyInverseJVP = "torch 2.13's cholesky_inverse_jvp computes −X·dL·X·Lᴴ, not −X·dL·Lᴴ·X"

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

  /// A Hermitian positive-definite batch `X Xᴴ + n·I` from a differentiable `x`.
  static func hermitianPD(_ x: Tensor) -> Tensor {
    let n = x.shape[x.rank - 1]
    return x.matmul(x.mH) + Tensor.eye(n, dtype: x.dtype) * Double(n)
  }

  /// A lower-triangular Cholesky-like factor with a real, positive diagonal (LAPACK's
  /// `?potri` reads the real part of a complex diagonal), from a differentiable `x`.
  static func lowerFactor(_ x: Tensor) -> Tensor {
    let d = x.diagonal(offset: 0, dim1: -2, dim2: -1)
    return x.tril(diagonal: -1) + (x.dtype.isComplex ? d.real : d).diagEmbed()
  }

  /// A Cholesky factor to sample with: that of a well-conditioned positive-definite matrix.
  static func sampleFactor(_ shape: [Int], dtype: DType, _ rng: inout TestRandom) -> Tensor {
    try! Linalg.cholesky(hermitianPD(rng.tensor(shape, dtype: dtype)))
  }

  /// Cholesky factorisation and its solves.
  static let linalgCholesky: [OpInfo] = [
    OpInfo("Linalg.cholesky", torch: ["linalg.cholesky"], samples: { dtype, rng in
      [
        OpSample("X Xᴴ + nI, [2, 3, 3]", [rng.tensor([2, 3, 3], dtype: dtype)]) { [try! Linalg.cholesky(hermitianPD($0[0]))] },
        OpSample("upper, [4, 4]", [rng.tensor([4, 4], dtype: dtype)]) { [try! Linalg.cholesky(hermitianPD($0[0]), upper: true)] },
      ]
    }, golden: { c in [try Linalg.cholesky(try c.tensor(0), upper: try c.bool(nil, "upper", default: false))] }),
    OpInfo("Linalg.choleskyEx", torch: ["linalg.cholesky_ex"], samples: { dtype, rng in
      [OpSample("X Xᴴ + nI, [2, 3, 3]", [rng.tensor([2, 3, 3], dtype: dtype)]) { [Linalg.choleskyEx(hermitianPD($0[0])).factor] }]
    }, golden: { c in
      try readCheckErrors(c)
      let (f, info) = Linalg.choleskyEx(try c.tensor(0), upper: try c.bool(nil, "upper", default: false))
      return [f, info]
    }),
    OpInfo("Linalg.choleskySolve", torch: ["cholesky_solve"], samples: { dtype, rng in
      [
        OpSample("[3, 2] with a [3, 3] factor", [rng.tensor([3, 2], dtype: dtype), sampleFactor([3, 3], dtype: dtype, &rng)]) {
          [Linalg.choleskySolve($0[0], $0[1].tril())]
        },
        OpSample("[2, 3, 1] with an upper factor, broadcast", [rng.tensor([2, 3, 1], dtype: dtype), sampleFactor([3, 3], dtype: dtype, &rng).mH]) {
          [Linalg.choleskySolve($0[0], $0[1].triu(), upper: true)]
        },
      ]
    }, golden: { c in
      [Linalg.choleskySolve(try c.tensor(0), try c.tensor(1), upper: try c.bool(2, "upper", default: false))]
    }),
    OpInfo("Linalg.choleskyInverse", torch: ["cholesky_inverse"], samples: { dtype, rng in
      [
        OpSample("[3, 3] factor", [sampleFactor([3, 3], dtype: dtype, &rng)]) { [Linalg.choleskyInverse(lowerFactor($0[0]))] },
        OpSample("[2, 3, 3] upper factor", [sampleFactor([2, 3, 3], dtype: dtype, &rng).mH]) {
          [Linalg.choleskyInverse(lowerFactor($0[0].mH).mH, upper: true)]
        },
      ]
    }, golden: { c in
      let f = try c.tensor(0)
      if f.dtype.isComplex, f.detached.diagonal(offset: 0, dim1: -2, dim2: -1).imag.abs().amax().scalar != 0 {
        // A Cholesky factor has a real diagonal; LAPACK's result for another matrix is not
        // even Hermitian, and no derivative describes it.
        throw ConformanceError.unsupportedArgument("cholesky_inverse: the factor's diagonal is not real (not a Cholesky factor)")
      }
      return [Linalg.choleskyInverse(f, upper: try c.bool(1, "upper", default: false))]
    }),
  ]

  /// A well-conditioned triangular matrix to sample with (the other triangle is random too:
  /// the solves do not read it).
  static func triangularSample(_ shape: [Int], dtype: DType, _ rng: inout TestRandom) -> Tensor {
    wellConditioned(shape, dtype: dtype, &rng)
  }

  /// Triangular solves.
  static let linalgTriangular: [OpInfo] = [
    OpInfo("Linalg.solveTriangular", torch: ["linalg.solve_triangular"], samples: { dtype, rng in
      [
        OpSample("upper [3, 3] \\ [3, 2]", [triangularSample([3, 3], dtype: dtype, &rng), rng.tensor([3, 2], dtype: dtype)]) {
          [Linalg.solveTriangular($0[0], $0[1], upper: true)]
        },
        OpSample("lower, right, [2, 3] / [3, 3]", [triangularSample([3, 3], dtype: dtype, &rng), rng.tensor([2, 3], dtype: dtype)]) {
          [Linalg.solveTriangular($0[0], $0[1], upper: false, left: false)]
        },
        OpSample("unitriangular, broadcast [2, 3, 3] \\ [3, 1]", [triangularSample([2, 3, 3], dtype: dtype, &rng), rng.tensor([3, 1], dtype: dtype)]) {
          [Linalg.solveTriangular($0[0], $0[1], upper: false, unitriangular: true)]
        },
      ]
    }, golden: { c in
      [Linalg.solveTriangular(
        try c.tensor(0), try c.tensor(1), upper: try c.bool(nil, "upper", default: false), left: try c.bool(nil, "left", default: true),
        unitriangular: try c.bool(nil, "unitriangular", default: false))]
    }),
    OpInfo(
      "Linalg.triangularSolve", torch: ["triangular_solve"], samples: { dtype, rng in
      // The legacy forward rule uses the whole tangent of A, so A enters through its triangle.
      [
        OpSample("[3, 2] with upper [3, 3]", [rng.tensor([3, 2], dtype: dtype), triangularSample([3, 3], dtype: dtype, &rng)]) {
          let (x, m) = Linalg.triangularSolve($0[0], $0[1].triu())
          return [x, m]
        },
        OpSample("transpose, lower, unitriangular", [rng.tensor([3, 2], dtype: dtype), triangularSample([3, 3], dtype: dtype, &rng)]) {
          [Linalg.triangularSolve($0[0], $0[1].tril(diagonal: -1), upper: false, transpose: true, unitriangular: true).solution]
        },
      ]
    }, golden: { c in
      let (x, m) = Linalg.triangularSolve(
        try c.tensor(0), try c.tensor(1), upper: try c.bool(2, "upper", default: true), transpose: try c.bool(3, "transpose", default: false),
        unitriangular: try c.bool(4, "unitriangular", default: false))
      return [x, m]
    }),
  ]

  /// The packed factors and pivots an LU op is called with, and the index of the next
  /// argument. A call from a golden case with the `lu_factor` transform has the matrix X in
  /// place of the pair (see ``applyTransform(_:_:)``): it is factored here, inside the
  /// differentiated function, as PyTorch's transform does.
  static func luPair(_ c: GoldenCall) throws -> (lu: Tensor, pivots: Tensor, next: Int) {
    let first = try c.tensor(0)
    if c.isTensor(1), try c.tensor(1).dtype == .int64 { return (first, try c.tensor(1), 2) }
    let (lu, pivots) = try Linalg.luFactor(first)
    return (lu, pivots, 1)
  }

  /// PyTorch's `pivot` argument of the LU ops (a keyword, or `torch.lu`'s second positional
  /// argument). `pivot=False` is a skipped case: PyTorch's CPU backend rejects it too, and
  /// Tangent stops on it (see ``Linalg/luFactor(_:pivot:)``).
  static func luPivot(_ c: GoldenCall, index: Int?) throws -> Bool {
    let pivot = try c.bool(index, "pivot", default: true)
    if !pivot { throw ConformanceError.unsupportedArgument("\(c.op): pivot=False (LU without pivoting) is not supported, as in PyTorch on the CPU") }
    return pivot
  }

  /// LU factorisation, unpacking and solves.
  static let linalgLU: [OpInfo] = [
    // torch.lu(A, pivot=True, get_infos=False) returns (LU, pivots), or (LU, pivots, infos)
    // with get_infos (PyTorch's lu_factor_ex).
    OpInfo("Linalg.luFactor", torch: ["linalg.lu_factor", "lu"], samples: { dtype, rng in
      [[3, 3], [2, 3, 3], [3, 5], [5, 3]].map { shape in
        OpSample("\(shape)", [rng.tensor(shape, dtype: dtype)]) { [try! Linalg.luFactor($0[0]).lu] }
      }
    }, golden: { c in
      let pivot = try luPivot(c, index: c.op == "lu" ? 1 : nil)
      if c.op == "lu", try c.bool(2, "get_infos", default: false) {
        let (lu, pivots, info) = Linalg.luFactorEx(try c.tensor(0), pivot: pivot)
        return [lu, pivots, info]
      }
      let (lu, pivots) = try Linalg.luFactor(try c.tensor(0), pivot: pivot)
      return [lu, pivots]
    }),
    OpInfo("Linalg.luFactorEx", torch: ["linalg.lu_factor_ex"], samples: { dtype, rng in
      [OpSample("[2, 3, 3]", [rng.tensor([2, 3, 3], dtype: dtype)]) { [Linalg.luFactorEx($0[0]).lu] }]
    }, golden: { c in
      try readCheckErrors(c)
      let (lu, pivots, info) = Linalg.luFactorEx(try c.tensor(0), pivot: try luPivot(c, index: nil))
      return [lu, pivots, info]
    }),
    OpInfo("Linalg.lu", torch: ["linalg.lu"], samples: { dtype, rng in
      [[3, 3], [2, 3, 3], [3, 4], [4, 2]].map { shape in
        OpSample("\(shape)", [rng.tensor(shape, dtype: dtype)]) { let (p, l, u) = Linalg.lu($0[0]); return [p, l, u] }
      }
    }, golden: { c in
      let (p, l, u) = Linalg.lu(try c.tensor(0), pivot: try luPivot(c, index: nil))
      return [p, l, u]
    }),
    OpInfo("Linalg.luUnpack", torch: ["lu_unpack"], samples: { dtype, rng in
      let (lu, pivots) = try! Linalg.luFactor(rng.tensor([2, 3, 4], dtype: dtype))
      return [OpSample("[2, 3, 4] packed factors", [lu]) { let (_, l, u) = Linalg.luUnpack($0[0], pivots); return [l, u] }]
    }, golden: { c in
      let (lu, pivots, next) = try luPair(c)
      let (p, l, u) = Linalg.luUnpack(
        lu, pivots, unpackData: try c.bool(next, "unpack_data", default: true), unpackPivots: try c.bool(next + 1, "unpack_pivots", default: true))
      return [p, l, u]
    }),
    OpInfo("Linalg.luSolve", torch: ["linalg.lu_solve"], samples: { dtype, rng in
      let (lu, pivots) = try! Linalg.luFactor(wellConditioned([3, 3], dtype: dtype, &rng))
      return [
        OpSample("factored [3, 3] with [3, 2]", [wellConditioned([3, 3], dtype: dtype, &rng), rng.tensor([3, 2], dtype: dtype)]) {
          let (f, p) = try! Linalg.luFactor($0[0])
          return [Linalg.luSolve(f, p, $0[1])]
        },
        OpSample("packed factors, adjoint, broadcast [2, 3, 1]", [lu, rng.tensor([2, 3, 1], dtype: dtype)]) {
          [Linalg.luSolve($0[0], pivots, $0[1], adjoint: true)]
        },
        OpSample("packed factors, right, [2, 3]", [lu, rng.tensor([2, 3], dtype: dtype)]) {
          [Linalg.luSolve($0[0], pivots, $0[1], left: false)]
        },
        OpSample("packed factors, right adjoint, [2, 3]", [lu, rng.tensor([2, 3], dtype: dtype)]) {
          [Linalg.luSolve($0[0], pivots, $0[1], left: false, adjoint: true)]
        },
      ]
    }, golden: { c in
      let (lu, pivots, next) = try luPair(c)
      return [Linalg.luSolve(
        lu, pivots, try c.tensor(next), left: try c.bool(next + 1, "left", default: true), adjoint: try c.bool(next + 2, "adjoint", default: false))]
    }),
  ]
}
