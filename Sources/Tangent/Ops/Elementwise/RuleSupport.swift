import ComplexModule
import RealModule

// Building blocks of the derivative rules of the math ops: constant masks, a differentiable
// selection by a mask, and the plumbing shared by binary elementwise ops.
//
// Masks are `bool` tensors computed from primal values. They carry no autodiff state: the
// piecewise structure of a function (which branch an element is on) has a zero derivative.

/// A comparison used to build a mask.
enum MaskComparison {
  case less, lessEqual, greater, greaterEqual, equal, notEqual
}

private enum MaskLess: ComparisonFunction {
  static var name: String { "mask(<)" }
  static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a < b }
}

private enum MaskLessEqual: ComparisonFunction {
  static var name: String { "mask(<=)" }
  static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a <= b }
}

private enum MaskGreater: ComparisonFunction {
  static var name: String { "mask(>)" }
  static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a > b }
}

private enum MaskGreaterEqual: ComparisonFunction {
  static var name: String { "mask(>=)" }
  static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a >= b }
}

private enum MaskEqual: ComparisonFunction {
  static var name: String { "mask(==)" }
  static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a == b }
  static var allowsComplex: Bool { true }
}

private enum MaskNotEqual: ComparisonFunction {
  static var name: String { "mask(!=)" }
  static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a != b }
  static var allowsComplex: Bool { true }
}

extension Tensor {
  /// A constant `bool` mask `self ⊙ other`, broadcast (no autodiff state).
  func mask(_ c: MaskComparison, _ other: Tensor) -> Tensor {
    let a = detached, b = other.detached
    switch c {
    case .less: return ElementwiseKernels.compare(MaskLess.self, a, b)
    case .lessEqual: return ElementwiseKernels.compare(MaskLessEqual.self, a, b)
    case .greater: return ElementwiseKernels.compare(MaskGreater.self, a, b)
    case .greaterEqual: return ElementwiseKernels.compare(MaskGreaterEqual.self, a, b)
    case .equal: return ElementwiseKernels.compare(MaskEqual.self, a, b)
    case .notEqual: return ElementwiseKernels.compare(MaskNotEqual.self, a, b)
    }
  }

  /// A constant `bool` mask comparing every element with a scalar.
  func mask(_ c: MaskComparison, _ value: Double) -> Tensor {
    mask(c, Tensor.full([], value, dtype: dtype.isFloatingPoint ? dtype : .float64))
  }

  /// The elementwise logical and of two masks.
  func maskAnd(_ other: Tensor) -> Tensor {
    let shape = Shape.broadcast(self.shape, other.shape, op: "mask(&&)")
    return ElementwiseKernels.zip(self, other, shape: shape, Bool.self, to: .bool, Bool.self) { $0 && $1 }
  }

  /// The elementwise logical or of two masks.
  func maskOr(_ other: Tensor) -> Tensor {
    let shape = Shape.broadcast(self.shape, other.shape, op: "mask(||)")
    return ElementwiseKernels.zip(self, other, shape: shape, Bool.self, to: .bool, Bool.self) { $0 || $1 }
  }

  /// The elementwise logical not of a mask.
  var maskNot: Tensor { ElementwiseKernels.map(self, Bool.self, to: .bool, Bool.self) { !$0 } }

  /// A mask as 0/1 values of a floating dtype.
  func maskValues(_ dtype: DType) -> Tensor { contiguousValues(dtype: dtype) }

  /// This tensor where `mask` is true and zero elsewhere, like `torch.where(mask, self, 0)`.
  ///
  /// A selection, so infinities and NaNs under a false mask give zero. Differentiable in
  /// `self` (the mask is constant): the same selection applies to tangents and cotangents.
  func keeping(_ mask: Tensor) -> Tensor {
    let shape = Shape.broadcast(self.shape, mask.shape, op: "keeping")
    let x = shape == self.shape ? self : expanded(to: shape)
    return Tensor.apply(KeepWhereOp(mask: mask), x)
  }

  /// `self / d` where `d ≠ 0`, and zero where `d = 0`, broadcast.
  ///
  /// The division is by `d` where it is nonzero and by 1 elsewhere, then masked (the "double
  /// where"): dividing by `d` itself would put ±∞ or NaN in the masked-off lanes, which the
  /// mask hides from the value but not from the quotient's own derivative, where they become
  /// 0·∞ = NaN at the next order (a rule differentiated again: third derivatives of `std`,
  /// of `abs` and `sgn` of complex zeros, second derivatives of a norm at zero).
  func dividedWhereNonzero(by d: Tensor) -> Tensor {
    let nonzero = d.mask(.notEqual, 0)
    let safe = d.keeping(nonzero) + nonzero.maskNot.maskValues(d.dtype)
    return (self / safe).keeping(nonzero)
  }

  /// Stops unless the tensor is real (or integer): for ops that complex numbers do not fit.
  func requireReal(_ op: String) {
    check(!dtype.isComplex, "\(op): complex inputs (\(dtype)) are not supported")
  }

  /// A 0-d constant of this tensor's real floating dtype (the default floating dtype for
  /// integers).
  func realScalar(_ value: Double) -> Tensor {
    Tensor.full([], value, dtype: dtype.isFloatingPoint ? dtype.real : .defaultFloating)
  }
}

/// `x` where a constant mask is true, zero elsewhere. Derivative: linear, and self-adjoint.
struct KeepWhereOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  let mask: Tensor
  var tensorParameters: [Tensor] { [mask] }
  var hasBatchedParameters: Bool { mask.autodiff?.batch != nil }
  func replacingTensorParameters(_ parameters: [Tensor]) -> Self { KeepWhereOp(mask: parameters[0]) }
  var name: String { "keeping" }
  var sparsity: SparsityRule { .indexMap }
  func primal(_ x: Tensor) -> Tensor { OpElementwiseKernels.keep(x, where: mask) }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { Tensor.apply(self, gy) }

  /// Under vmap with a batched mask: the input gets the batch (expanded when unbatched) and
  /// the mask's batch lines up with it.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchedParameters: [Tensor?], batchSize: Int) -> [Tensor]? {
    guard let m = batchedParameters[0] else { return nil }
    let shape = isBatched[0] ? Array(inputs[0].shape.dropFirst()) : inputs[0].shape
    let x = Batching.withLeadingBatch(inputs[0], isBatched: isBatched[0], size: batchSize)
    return [Tensor.apply(KeepWhereOp(mask: lift(m, primalRank: mask.rank, outputRank: shape.count)), x)]
  }
}

/// A binary elementwise op whose rules follow from its two partial derivatives ∂y/∂a and
/// ∂y/∂b (holomorphic, or real): the JVP is `da·∂a + db·∂b` and the VJP is
/// `gy·conj(∂a)` and `gy·conj(∂b)`, summed over broadcast dimensions.
protocol ElementwiseBinaryOp: BinaryOp {
  /// The partial derivatives, as tensors that broadcast to the output; `nil` when not asked
  /// for (or zero).
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?)
}

extension ElementwiseBinaryOp {
  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    let (pa, pb) = partials(a: a, b: b, y: y, wantA: da != nil, wantB: db != nil)
    let ta = da.flatMap { d in pa.map { lift(d, primalRank: a.rank, outputRank: y.rank) * $0 } }
    let tb = db.flatMap { d in pb.map { lift(d, primalRank: b.rank, outputRank: y.rank) * $0 } }
    return sumOfTerms(ta, tb)
  }

  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    let (pa, pb) = partials(a: a, b: b, y: y, wantA: needA, wantB: needB)
    return (
      needA ? pa.map { (gy * $0.conj()).summed(toShape: a.shape) } : nil,
      needB ? pb.map { (gy * $0.conj()).summed(toShape: b.shape) } : nil
    )
  }
}

/// Constants used by the derivative rules, in double precision.
enum MathConstants {
  /// ln 2.
  static let ln2 = 0.693_147_180_559_945_309_417_232_121_458_176_568
  /// ln 10.
  static let ln10 = 2.302_585_092_994_045_684_017_991_454_684_364_208
  /// 2/√π, the slope of erf at zero.
  static let twoOverSqrtPi = 1.128_379_167_095_512_573_896_158_903_121_545_172
  /// √π/2, the slope of erfinv at zero.
  static let sqrtPiOverTwo = 0.886_226_925_452_758_013_649_083_741_671_290
  /// 1/√(2π), the standard normal density at zero.
  static let invSqrtTwoPi = 0.398_942_280_401_432_677_939_946_059_934_381_868
  /// √(2/π), the scale inside the tanh approximation of GELU.
  static let sqrtTwoOverPi = 0.797_884_560_802_865_355_879_892_119_868_763_737
  /// 1/√2.
  static let invSqrt2 = 0.707_106_781_186_547_524_400_844_362_104_849_039
}
