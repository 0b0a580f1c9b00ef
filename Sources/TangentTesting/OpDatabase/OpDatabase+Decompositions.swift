import Tangent

// Eigenvectors, singular vectors and QR factors are defined up to a sign (a phase for complex
// dtypes) per column, so the samples check functions that do not depend on that choice: the
// absolute values (as the goldens' `abs` process does) and products such as V diag(f(L)) Vᴴ.

extension OpDatabase {
  /// Eigen- and singular-value decompositions, QR, and the ops built on them.
  static let decompositions: [OpInfo] = (linalgEigen + linalgSVD + linalgQR)
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
        OpSample("[4, 3] mode r", [rng.tensor([4, 3], dtype: dtype)]) { [Linalg.qr($0[0], mode: .r).R.abs()] },
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
    }, golden: { c in [Linalg.householderProduct(try c.tensor(0), try c.tensor(1))] }),
  ]
}
