import Tangent

// Eigenvectors, singular vectors and QR factors are defined up to a sign (a phase for complex
// dtypes) per column, so the samples check functions that do not depend on that choice: the
// absolute values (as the goldens' `abs` process does) and products such as V diag(f(L)) Vᴴ.

extension OpDatabase {
  /// Eigen- and singular-value decompositions, QR, and the ops built on them.
  static let decompositions: [OpInfo] = (linalgEigen + linalgSVD + linalgQR + linalgMatrixFunctions + linalgNorms)
    .map { $0.deviating(pytorchDeviations[$0.name] ?? [:]) }

  /// The Hermitian part `(X + Xᴴ)/2` of a differentiable batch.
  static func hermitianPart(_ x: Tensor) -> Tensor { (x + x.mH) / 2 }

  /// Reads PyTorch's `UPLO` keyword.
  static func readUPLO(_ c: GoldenCall, _ index: Int) throws -> Linalg.Triangle {
    switch try c.string(index, "UPLO", default: "L") {
    case "L": return .lower
    case "U": return .upper
    case let other: throw ConformanceError.unsupportedArgument("\(c.op): UPLO \(other ?? "nil") is not L or U")
    }
  }

  /// Eigendecompositions.
  static let linalgEigen: [OpInfo] = [
    OpInfo("Linalg.eigh", torch: ["linalg.eigh"], samples: { dtype, rng in
      [
        OpSample("[4, 4] Hermitian, values and |V|", [rng.tensor([4, 4], dtype: dtype)]) {
          let (l, v) = try! Linalg.eigh(hermitianPart($0[0]))
          return [l, v.abs()]
        },
        OpSample("[2, 3, 3] upper, V diag(L³) Vᴴ", [rng.tensor([2, 3, 3], dtype: dtype)]) {
          let (l, v) = try! Linalg.eigh(hermitianPart($0[0]), uplo: .upper)
          return [(v * l.pow(3).converted(to: v.dtype).unsqueezed(dim: -2)).matmul(v.mH)]
        },
      ]
    }, golden: { c in
      let (l, v) = try Linalg.eigh(try c.tensor(0), uplo: try readUPLO(c, 1))
      return [l, v]
    }),
    OpInfo("Linalg.eigvalsh", torch: ["linalg.eigvalsh"], samples: { dtype, rng in
      [
        OpSample("[4, 4] Hermitian", [rng.tensor([4, 4], dtype: dtype)]) { [try! Linalg.eigvalsh(hermitianPart($0[0]))] },
        OpSample("[2, 3, 3] upper", [rng.tensor([2, 3, 3], dtype: dtype)]) { [try! Linalg.eigvalsh(hermitianPart($0[0]), uplo: .upper)] },
      ]
    }, golden: { c in [try Linalg.eigvalsh(try c.tensor(0), uplo: try readUPLO(c, 1))] }),
    OpInfo("Linalg.eig", torch: ["linalg.eig"], samples: { dtype, rng in
      [
        OpSample("[4, 4] values and |V|", [rng.tensor([4, 4], dtype: dtype)]) {
          let (l, v) = try! Linalg.eig($0[0])
          return [l, v.abs()]
        },
        OpSample("[2, 3, 3] V diag(L²) V⁻¹", [rng.tensor([2, 3, 3], dtype: dtype)]) {
          let (l, v) = try! Linalg.eig($0[0])
          return [try! Linalg.solve(v, (v * l.square().unsqueezed(dim: -2)), left: false)]
        },
      ]
    }, golden: { c in
      let (l, v) = try Linalg.eig(try c.tensor(0))
      return [l, v]
    }),
    OpInfo("Linalg.eigvals", torch: ["linalg.eigvals"], samples: { dtype, rng in
      [
        OpSample("[4, 4]", [rng.tensor([4, 4], dtype: dtype)]) { [try! Linalg.eigvals($0[0])] },
        OpSample("[2, 3, 3]", [rng.tensor([2, 3, 3], dtype: dtype)]) { [try! Linalg.eigvals($0[0])] },
      ]
    }, golden: { c in [try Linalg.eigvals(try c.tensor(0))] }),
  ]

  /// Singular value decompositions.
  static let linalgSVD: [OpInfo] = [
    OpInfo("Linalg.svd", torch: ["linalg.svd"], samples: { dtype, rng in
      [
        OpSample("[4, 3] reduced, |U|, S, |Vh|", [rng.tensor([4, 3], dtype: dtype)]) {
          let (u, s, vh) = try! Linalg.svd($0[0], fullMatrices: false)
          return [u.abs(), s, vh.abs()]
        },
        OpSample("[2, 3, 4] U diag(S²) Vh", [rng.tensor([2, 3, 4], dtype: dtype)]) {
          let (u, s, vh) = try! Linalg.svd($0[0], fullMatrices: false)
          return [(u * s.square().converted(to: u.dtype).unsqueezed(dim: -2)).matmul(vh)]
        },
        OpSample("[3, 3] full", [rng.tensor([3, 3], dtype: dtype)]) {
          let (u, s, vh) = try! Linalg.svd($0[0])
          return [u.abs(), s, vh.abs()]
        },
      ]
    }, golden: { c in
      let (u, s, vh) = try Linalg.svd(try c.tensor(0), fullMatrices: try c.bool(1, "full_matrices", default: true))
      return [u, s, vh]
    }),
    OpInfo("Linalg.svdvals", torch: ["linalg.svdvals"], samples: { dtype, rng in
      [[4, 3], [2, 3, 5]].map { shape in OpSample("\(shape)", [rng.tensor(shape, dtype: dtype)]) { [try! Linalg.svdvals($0[0])] } }
    }, golden: { c in [try Linalg.svdvals(try c.tensor(0))] }),
  ]

  /// Reads PyTorch's QR `mode`.
  static func readQRMode(_ c: GoldenCall, _ index: Int) throws -> Linalg.QRMode {
    switch try c.string(index, "mode", default: "reduced") {
    case "reduced": return .reduced
    case "complete": return .complete
    case "r": return .r
    case let other: throw ConformanceError.unsupportedArgument("\(c.op): mode \(other ?? "nil")")
    }
  }

  /// QR and products of Householder reflectors.
  static let linalgQR: [OpInfo] = [
    OpInfo("Linalg.qr", torch: ["linalg.qr"], samples: { dtype, rng in
      [
        OpSample("[4, 3] |Q|, |R|", [rng.tensor([4, 3], dtype: dtype)]) {
          let (q, r) = Linalg.qr($0[0])
          return [q.abs(), r.abs()]
        },
        OpSample("[2, 3, 4] wide", [rng.tensor([2, 3, 4], dtype: dtype)]) {
          let (q, r) = Linalg.qr($0[0])
          return [q.abs(), r.abs()]
        },
        OpSample("[3, 3] complete", [rng.tensor([3, 3], dtype: dtype)]) {
          let (q, r) = Linalg.qr($0[0], mode: .complete)
          return [q.abs(), r.abs()]
        },
        OpSample("[4, 3] mode r", [rng.tensor([4, 3], dtype: dtype)]) { [Linalg.qr($0[0], mode: .r).r.abs()] },
      ]
    }, golden: { c in
      let (q, r) = Linalg.qr(try c.tensor(0), mode: try readQRMode(c, 1))
      return [q, r]
    }),
    OpInfo("Linalg.householderProduct", torch: ["linalg.householder_product"], samples: { dtype, rng in
      [
        OpSample("[4, 3] with [3]", [rng.tensor([4, 3], dtype: dtype), rng.tensor([3], dtype: dtype)]) {
          [Linalg.householderProduct($0[0], $0[1])]
        },
        OpSample("[2, 4, 3] with [2, 2]", [rng.tensor([2, 4, 3], dtype: dtype), rng.tensor([2, 2], dtype: dtype)]) {
          [Linalg.householderProduct($0[0], $0[1])]
        },
      ]
    }, golden: { c in [Linalg.householderProduct(try c.tensor(0), try c.tensor(1))] })
    .withEdgeSamples { dtype, rng in
      // No reflectors (k = 0), empty matrices and an empty batch.
      let cases: [([Int], [Int])] = [([4, 3], [0]), ([3, 3], [0]), ([0, 0], [0]), ([4, 0], [0]), ([0, 3, 2], [0, 2]), ([1, 1], [1])]
      return cases.map { a, t in
        OpSample("edge \(a) with \(t)", [rng.tensor(a, dtype: dtype), rng.tensor(t, dtype: dtype)]) {
          [Linalg.householderProduct($0[0], $0[1])]
        }
      }
    },
  ]

  /// Reads a norm order (`ord` or `p`): a number, `inf`, `fro` or `nuc`; `nil` when absent.
  static func readNormOrder(_ c: GoldenCall, _ index: Int?, _ name: String) throws -> Linalg.NormOrder? {
    guard let v = c.value(index, name) else { return nil }
    switch v {
    case .null: return nil
    case .number(let d): return .p(d)
    case .string("fro"): return .fro
    case .string("nuc"): return .nuc
    case .string("inf"), .string("Infinity"): return .p(.infinity)
    case .string("-inf"), .string("-Infinity"): return .p(-.infinity)
    default: throw ConformanceError.unsupportedArgument("\(c.op): \(name) \(v) is not a norm order")
    }
  }

  /// Rejects PyTorch's `dtype` keyword of the norms (only the default is supported).
  static func readNoDType(_ c: GoldenCall) throws {
    if let v = c.value(nil, "dtype") {
      if case .null = v { return }
      throw ConformanceError.unsupportedArgument("\(c.op): dtype \(v) is not supported")
    }
  }

  /// Matrix powers and exponentials, the pseudo-inverse and least squares.
  static let linalgMatrixFunctions: [OpInfo] = [
    OpInfo("Linalg.matrixPower", torch: ["linalg.matrix_power", "matrix_power"], samples: { dtype, rng in
      [
        OpSample("[3, 3] ^ 3", [rng.tensor([3, 3], dtype: dtype)]) { [try! Linalg.matrixPower($0[0], 3)] },
        OpSample("[2, 3, 3] ^ -2", [wellConditioned([2, 3, 3], dtype: dtype, &rng)]) { [try! Linalg.matrixPower($0[0], -2)] },
        OpSample("[3, 3] ^ 0", [rng.tensor([3, 3], dtype: dtype)]) { [try! Linalg.matrixPower($0[0], 0)] },
      ]
    }, golden: { c in [try Linalg.matrixPower(try c.tensor(0), try c.int(1, "n"))] }),
    OpInfo("Linalg.matrixExp", torch: ["linalg.matrix_exp", "matrix_exp"], samples: { dtype, rng in
      [
        OpSample("[3, 3] small", [rng.tensor([3, 3], dtype: dtype) * 0.2]) { [Linalg.matrixExp($0[0])] },
        OpSample("[2, 3, 3] scaled and squared", [rng.tensor([2, 3, 3], dtype: dtype) * 3]) { [Linalg.matrixExp($0[0])] },
      ]
    }, golden: { c in [Linalg.matrixExp(try c.tensor(0))] }),
    OpInfo("Linalg.pinv", torch: ["linalg.pinv", "linalg.pinv.hermitian", "linalg.pinv.singular", "pinverse"], samples: { dtype, rng in
      [
        OpSample("[4, 3]", [rng.tensor([4, 3], dtype: dtype)]) { [Linalg.pinv($0[0])] },
        OpSample("[2, 3, 4] wide", [rng.tensor([2, 3, 4], dtype: dtype)]) { [Linalg.pinv($0[0])] },
        OpSample("[3, 3] hermitian", [rng.tensor([3, 3], dtype: dtype)]) { [Linalg.pinv(hermitianPart($0[0]), hermitian: true)] },
      ]
    }, golden: { c in
      let x = try c.tensor(0)
      if c.op == "pinverse" { return [Linalg.pinv(x, rtol: try c.double(1, "rcond", default: 1e-15))] }
      return [Linalg.pinv(
        x, atol: try c.optionalDouble(nil, "atol"), rtol: try c.optionalDouble(nil, "rtol"), hermitian: try c.bool(nil, "hermitian", default: false))]
    }),
    OpInfo("Linalg.lstsq", torch: ["linalg.lstsq", "linalg.lstsq.grad_oriented"], samples: { dtype, rng in
      [
        OpSample("[5, 3] with [5, 2]", [rng.tensor([5, 3], dtype: dtype), rng.tensor([5, 2], dtype: dtype)]) {
          [try! Linalg.lstsq($0[0], $0[1]).solution]
        },
        OpSample("[2, 3, 4] wide with [3, 2] broadcast", [rng.tensor([2, 3, 4], dtype: dtype), rng.tensor([3, 2], dtype: dtype)]) {
          [try! Linalg.lstsq($0[0], $0[1]).solution]
        },
        OpSample("[4, 2] with a vector, gelsd", [rng.tensor([4, 2], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
          [try! Linalg.lstsq($0[0], $0[1], driver: .gelsd).solution]
        },
        // Residuals exist for a tall full-rank A with gels and gelsd (PyTorch's convention).
        OpSample("[5, 3] with [5, 2], gelsd, residuals", [rng.tensor([5, 3], dtype: dtype), rng.tensor([5, 2], dtype: dtype)]) {
          let r = try! Linalg.lstsq($0[0], $0[1], driver: .gelsd)
          return [r.solution, r.residuals]
        },
        OpSample("[2, 4, 2] with [4, 3] broadcast, gels, residuals only", [rng.tensor([2, 4, 2], dtype: dtype), rng.tensor([4, 3], dtype: dtype)]) {
          [try! Linalg.lstsq($0[0], $0[1], driver: .gels).residuals]
        },
        OpSample("[4, 2] with a vector, gels, residuals", [rng.tensor([4, 2], dtype: dtype), rng.tensor([4], dtype: dtype)]) {
          [try! Linalg.lstsq($0[0], $0[1], driver: .gels).residuals]
        },
      ]
    }, golden: { c in
      let driver: Linalg.LstsqDriver
      switch try c.string(nil, "driver", default: "gelsy") {
      case "gels": driver = .gels
      case "gelsy": driver = .gelsy
      case "gelsd": driver = .gelsd
      case let other: throw ConformanceError.unsupportedArgument("\(c.op): driver \(other ?? "nil") is not supported")
      }
      let r = try Linalg.lstsq(try c.tensor(0), try c.tensor(1), rcond: try c.optionalDouble(2, "rcond"), driver: driver)
      return [r.solution, r.residuals, r.rank, r.singularValues]
    }),
  ]

  /// Norms, condition numbers, tensor inverses and solves, Vandermonde matrices.
  static let linalgNorms: [OpInfo] = [
    OpInfo("Linalg.matrixNorm", torch: ["linalg.matrix_norm"], samples: { dtype, rng in
      let orders: [Linalg.NormOrder] = [.fro, .nuc, .p(2), .p(-2), .p(1), .p(-1), .p(.infinity), .p(-.infinity)]
      return orders.map { ord in
        OpSample("[2, 3, 4] \(ord)", [rng.tensor([2, 3, 4], dtype: dtype)]) { [Linalg.matrixNorm($0[0], ord: ord)] }
      } + [OpSample("[3, 2, 4] nuc over dims [0, 2], keepdim", [rng.tensor([3, 2, 4], dtype: dtype)]) {
        [Linalg.matrixNorm($0[0], ord: .nuc, dims: [0, 2], keepdim: true)]
      }]
    }, golden: { c in
      try readNoDType(c)
      return [Linalg.matrixNorm(
        try c.tensor(0), ord: try readNormOrder(c, 1, "ord") ?? .fro, dims: try c.ints(2, "dim") ?? [-2, -1],
        keepdim: try c.bool(3, "keepdim", default: false))]
    }).withEdgeSamples { dtype, rng in
      // Empty matrices have norm 0 in every order, as in PyTorch.
      let orders: [Linalg.NormOrder] = [.fro, .nuc, .p(2), .p(-2), .p(1), .p(-1), .p(.infinity), .p(-.infinity)]
      return orders.map { ord in
        OpSample("edge [0, 0] \(ord)", [rng.tensor([0, 0], dtype: dtype)]) { [Linalg.matrixNorm($0[0], ord: ord)] }
      } + [
        OpSample("edge [2, 0, 3] 1", [rng.tensor([2, 0, 3], dtype: dtype)]) { [Linalg.matrixNorm($0[0], ord: .p(1))] },
        OpSample("edge [0, 3, 3] fro", [rng.tensor([0, 3, 3], dtype: dtype)]) { [Linalg.matrixNorm($0[0])] },
        OpSample("edge [1, 1] 2 keepdim", [rng.tensor([1, 1], dtype: dtype)]) { [Linalg.matrixNorm($0[0], ord: .p(2), keepdim: true)] },
      ]
    },
    OpInfo("Linalg.norm", torch: ["linalg.norm", "linalg.norm.subgradients_at_zero"], samples: { dtype, rng in
      [
        OpSample("[2, 3, 4] all elements", [rng.tensor([2, 3, 4], dtype: dtype)]) { [Linalg.norm($0[0])] },
        OpSample("[3, 4] ord 1", [rng.tensor([3, 4], dtype: dtype)]) { [Linalg.norm($0[0], ord: .p(1))] },
        OpSample("[2, 3, 4] ord 3 over dim 1", [rng.tensor([2, 3, 4], dtype: dtype)]) { [Linalg.norm($0[0], ord: .p(3), dims: [1])] },
        OpSample("[2, 3, 4] ord 2 over dims [1, 2]", [rng.tensor([2, 3, 4], dtype: dtype)]) {
          [Linalg.norm($0[0], ord: .p(2), dims: [1, 2], keepdim: true)]
        },
      ]
    }, golden: { c in
      try readNoDType(c)
      return [Linalg.norm(
        try c.tensor(0), ord: try readNormOrder(c, 1, "ord"), dims: try c.ints(2, "dim"), keepdim: try c.bool(3, "keepdim", default: false))]
    }),
    OpInfo("Linalg.cond", torch: ["linalg.cond"], samples: { dtype, rng in
      let orders: [Linalg.NormOrder?] = [nil, .p(-2), .fro, .nuc, .p(1), .p(-.infinity)]
      return orders.map { p in
        OpSample("[2, 3, 3] \(p.map { "\($0)" } ?? "2")", [wellConditioned([2, 3, 3], dtype: dtype, &rng)]) { [Linalg.cond($0[0], p: p)] }
      } + [OpSample("[3, 5]", [rng.tensor([3, 5], dtype: dtype)]) { [Linalg.cond($0[0])] }]
    }, golden: { c in [Linalg.cond(try c.tensor(0), p: try readNormOrder(c, 1, "p"))] })
    .withEdgeSamples { dtype, rng in
      // No elements: 0, as in PyTorch.
      let orders: [Linalg.NormOrder?] = [nil, .p(-2), .fro, .nuc, .p(1), .p(-.infinity)]
      return orders.map { p in
        OpSample("edge [0, 0] \(p.map { "\($0)" } ?? "2")", [rng.tensor([0, 0], dtype: dtype)]) { [Linalg.cond($0[0], p: p)] }
      } + [
        OpSample("edge [0, 3, 3] fro", [rng.tensor([0, 3, 3], dtype: dtype)]) { [Linalg.cond($0[0], p: .fro)] },
        OpSample("edge [1, 1] 2", [rng.tensor([1, 1], dtype: dtype, in: 0.5...2)]) { [Linalg.cond($0[0])] },
      ]
    },
    OpInfo("Linalg.tensorinv", torch: ["linalg.tensorinv"], samples: { dtype, rng in
      [
        OpSample("[6, 2, 3] ind 1", [wellConditioned([6, 6], dtype: dtype, &rng).reshaped([6, 2, 3])]) { [try! Linalg.tensorinv($0[0], ind: 1)] },
        OpSample("[2, 2, 4] ind 2", [wellConditioned([4, 4], dtype: dtype, &rng).reshaped([2, 2, 4])]) { [try! Linalg.tensorinv($0[0])] },
      ]
    }, golden: { c in [try Linalg.tensorinv(try c.tensor(0), ind: try c.int(1, "ind", default: 2))] }),
    OpInfo("Linalg.tensorsolve", torch: ["linalg.tensorsolve"], samples: { dtype, rng in
      [
        OpSample("[2, 3, 6] with [2, 3]", [wellConditioned([6, 6], dtype: dtype, &rng).reshaped([2, 3, 6]), rng.tensor([2, 3], dtype: dtype)]) {
          [try! Linalg.tensorsolve($0[0], $0[1])]
        },
        OpSample("[2, 4, 2] dims [0] with [4]", [wellConditioned([4, 4], dtype: dtype, &rng).reshaped([4, 2, 2]).movedim(2, to: 0), rng.tensor([4], dtype: dtype)]) {
          [try! Linalg.tensorsolve($0[0], $0[1], dims: [0])]
        },
        // PyTorch's own sample: after moving dims 0 and 2 to the end, A is [3, 2, 6] while B is
        // [2, 3]: only the element counts agree.
        OpSample("[2, 3, 6] dims [0, 2] with [2, 3]", [
          wellConditioned([6, 6], dtype: dtype, &rng).reshaped([3, 2, 6]).permuted([1, 0, 2]), rng.tensor([2, 3], dtype: dtype),
        ]) {
          [try! Linalg.tensorsolve($0[0], $0[1], dims: [0, 2])]
        },
      ]
    }, golden: { c in [try Linalg.tensorsolve(try c.tensor(0), try c.tensor(1), dims: try c.ints(2, "dims"))] }),
    OpInfo("Linalg.vander", torch: ["linalg.vander"], samples: { dtype, rng in
      [
        OpSample("[4]", [rng.tensor([4], dtype: dtype)]) { [Linalg.vander($0[0])] },
        OpSample("[2, 3] n 5", [rng.tensor([2, 3], dtype: dtype)]) { [Linalg.vander($0[0], n: 5)] },
        OpSample("0-d n 3", [rng.tensor([], dtype: dtype)]) { [Linalg.vander($0[0], n: 3)] },
      ]
    }, golden: { c in [Linalg.vander(try c.tensor(0), n: try c.optionalInt(nil, "N"))] })
    .withEdgeSamples { dtype, rng in
      // A 0-d x is one point (PyTorch's own samples include it).
      [OpSample("edge 0-d", [rng.tensor([], dtype: dtype)]) { [Linalg.vander($0[0])] },
       OpSample("edge 0-d n 2", [rng.tensor([], dtype: dtype)]) { [Linalg.vander($0[0], n: 2)] },
       OpSample("edge [0]", [rng.tensor([0], dtype: dtype)]) { [Linalg.vander($0[0])] },
       OpSample("edge [0, 3] n 2", [rng.tensor([0, 3], dtype: dtype)]) { [Linalg.vander($0[0], n: 2)] },
       OpSample("edge [1]", [rng.tensor([1], dtype: dtype)]) { [Linalg.vander($0[0])] }]
    },
  ]
}
