import ComplexModule
import RealModule

/// The matrix exponential of a batch of square matrices, by Padé approximation with scaling
/// and squaring (Higham 2005, "The scaling and squaring method for the matrix exponential
/// revisited"): the degree `m ∈ {3, 5, 7, 9, 13}` (up to 7 in single precision) is the
/// smallest whose bound `θₘ` the largest 1-norm in the batch meets; beyond it each matrix is
/// scaled by its own `2⁻ˢ` and squared back `s` times.
///
/// Derivative (Mathias 1996; Higham 2008, §10.6; PyTorch's `linalg_matrix_exp_differential`):
/// the Fréchet derivative `L(A, E) = ∫₀¹ e^{sA} E e^{(1−s)A} ds` is the top-right block of
/// `exp([[A, E], [0, A]])`, so the JVP is `L(A, dA)` and the VJP its adjoint `L(Aᴴ, G)`. Both
/// are computed with this op, so higher derivatives follow.
struct MatrixExpOp: UnaryOp {
  var name: String { "Linalg.matrixExp" }
  var sparsity: SparsityRule { .slices(dims: [-2, -1], .nonlinear) }

  func primal(_ a: Tensor) -> Tensor { MatrixExpOp.pade(a) }

  /// The top-right block of `exp([[A, E], [0, A]])`; `E` may carry a leading chunk dim.
  static func frechet(_ a: Tensor, _ e: Tensor) -> Tensor {
    let n = a.shape[a.rank - 1]
    let ab = e.rank > a.rank ? a.expanded(to: e.shape) : a
    let zero = Tensor.zeros(like: ab.detached)
    let block = Tensor.cat([Tensor.cat([ab, e], dim: -1), Tensor.cat([zero, ab], dim: -1)], dim: -2)
    return Tensor.apply(MatrixExpOp(), block).narrowed(dim: -2, start: 0, length: n).narrowed(dim: -1, start: n, length: n)
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { MatrixExpOp.frechet(x, dx) }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { MatrixExpOp.frechet(x.mH, gy) }

  /// Padé coefficients `b₀ … bₘ` of degree `m`.
  static let coefficients: [Int: [Double]] = [
    3: [120, 60, 12, 1],
    5: [30240, 15120, 3360, 420, 30, 1],
    7: [17_297_280, 8_648_640, 1_995_840, 277_200, 25200, 1512, 56, 1],
    9: [17_643_225_600, 8_821_612_800, 2_075_673_600, 302_702_400, 30_270_240, 2_162_160, 110_880, 3960, 90, 1],
    13: [
      64_764_752_532_480_000, 32_382_376_266_240_000, 7_771_770_303_897_600, 1_187_353_796_428_800, 129_060_195_264_000,
      10_559_470_521_600, 670_442_572_800, 33_522_128_640, 1_323_241_920, 40_840_800, 960_960, 16380, 182, 1,
    ],
  ]

  /// The 1-norm bounds `θₘ` below which degree `m` is accurate to the unit roundoff (Higham
  /// 2005, Table 2.3 for double and single precision).
  static let doubleBounds: [(Int, Double)] = [
    (3, 1.495585217958292e-2), (5, 2.539398330063230e-1), (7, 9.504178996162932e-1), (9, 2.097847961257068e0), (13, 5.371920351148152e0),
  ]
  static let singleBounds: [(Int, Double)] = [(3, 4.258730016922831e-1), (5, 1.880152677804762e0), (7, 3.925724783138660e0)]

  /// The primal on plain tensors.
  static func pade(_ a: Tensor) -> Tensor {
    let n = a.shape[a.rank - 1]
    if a.count == 0 { return a.contiguousValues() }
    let batch = Array(a.shape.dropLast(2))
    let eye = Tensor.eye(n, dtype: a.dtype)
    let norms = a.abs().sum(dim: -2).amax(dim: -1).reshaped([-1]).doubles
    let bounds = a.dtype == .float32 || a.dtype == .complex64 ? singleBounds : doubleBounds
    let largest = norms.reduce(0) { Swift.max($0, $1.isFinite ? $1 : 0) }
    let (degree, theta) = bounds.first { largest <= $0.1 } ?? bounds.last!
    // Scaling: each matrix by its own 2⁻ˢ, so that its norm is at most θ.
    let steps = norms.map { v -> Int in
      guard v.isFinite, v > theta else { return 0 }
      return Swift.max(0, Int(Double.log2(v / theta).rounded(.up)))
    }
    let maxSteps = steps.max() ?? 0
    var x = a
    if maxSteps > 0 {
      let scales = Tensor(shape: batch + [1, 1], scalars: steps.map { Double.exp2(Double(-$0)) }).converted(to: a.dtype.real)
      x = a * scales
    }
    let b = coefficients[degree]!
    let x2 = x.matmul(x)
    let u: Tensor, v: Tensor
    if degree == 13 {
      let x4 = x2.matmul(x2), x6 = x4.matmul(x2)
      u = x.matmul(x6.matmul(x6 * b[13] + x4 * b[11] + x2 * b[9]) + x6 * b[7] + x4 * b[5] + x2 * b[3] + eye * b[1])
      v = x6.matmul(x6 * b[12] + x4 * b[10] + x2 * b[8]) + x6 * b[6] + x4 * b[4] + x2 * b[2] + eye * b[0]
    } else {
      // Even powers x⁰, x², x⁴, …
      var powers = [eye, x2]
      while powers.count <= degree / 2 { powers.append(powers[powers.count - 1].matmul(x2)) }
      var odd = eye * b[1], even = eye * b[0]
      for j in 1...(degree / 2) {
        odd = odd + powers[j] * b[2 * j + 1]
        even = even + powers[j] * b[2 * j]
      }
      u = x.matmul(odd)
      v = even
    }
    // (V − U) X = V + U.
    let (lu, pivots, _) = LAPACK.luFactor(v - u, ofTranspose: false)
    var r = LAPACK.luSolve(lu: lu, pivots: pivots, b: v + u, left: true, op: .none)
    // Squaring: matrix i is squared steps[i] times.
    for step in 0..<maxSteps {
      let squared = r.matmul(r)
      if steps.allSatisfy({ $0 > step }) {
        r = squared
      } else {
        let mask = Tensor(shape: batch + [1, 1], scalars: steps.map { $0 > step })
        r = Tensor.where(mask, squared, r)
      }
    }
    return r
  }
}

extension Linalg {
  /// The `n`-th power of each square matrix, like `torch.linalg.matrix_power`: the identity for
  /// `n = 0`, and for `n < 0` the power of the inverse.
  ///
  /// Derivative: through the products (repeated squaring, with ``inv(_:)`` for `n < 0`):
  /// `d(Aⁿ) = Σᵢ Aⁱ dA Aⁿ⁻¹⁻ⁱ`. The identity of `n = 0` is a constant.
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` for `n < 0` and a singular matrix.
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func matrixPower(_ a: Tensor, _ n: Int) throws(LinalgError) -> Tensor {
    requireSquare(a, "Linalg.matrixPower")
    if n == 0 { return Tensor.eye(a.shape[a.rank - 1], dtype: a.dtype).expanded(to: a.shape).contiguousValues() }
    var base = a
    if n < 0 {
      let (y, info) = invEx(a, op: "Linalg.matrixPower")
      try LinalgError.checkSingular(info, op: "Linalg.matrixPower")
      base = y
    }
    // Binary powering: the result accumulates the squares of the set bits.
    var e = n.magnitude
    var result: Tensor? = nil
    while true {
      if e & 1 == 1 { result = result.map { $0.matmul(base) } ?? base }
      e >>= 1
      if e == 0 { break }
      base = base.matmul(base)
    }
    return result!
  }

  /// The exponential `Σ Aᵏ/k!` of each square matrix, like `torch.linalg.matrix_exp`: Padé
  /// approximation with scaling and squaring (Higham 2005).
  ///
  /// Derivative: the Fréchet derivative, the top-right block of `exp([[A, dA], [0, A]])`; the
  /// VJP is that of `Aᴴ` applied to the cotangent.
  /// - Precondition: `a` is a floating batch of square matrices.
  public static func matrixExp(_ a: Tensor) -> Tensor {
    requireSquare(a, "Linalg.matrixExp")
    return Tensor.apply(MatrixExpOp(), a)
  }
}
