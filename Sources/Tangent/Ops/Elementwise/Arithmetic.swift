import ComplexModule
import RealModule

// MARK: Kernels

enum AddFunction: BinaryFunction {
  static var name: String { "add" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { a + b }
  @inline(__always) static func complex<T: RealScalar>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> { a + b }
  @inline(__always) static func integer(_ a: Int64, _ b: Int64) -> Int64? { a &+ b }
  static var keepsIntegers: Bool { true }
}

enum SubtractFunction: BinaryFunction {
  static var name: String { "sub" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { a - b }
  @inline(__always) static func complex<T: RealScalar>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> { a - b }
  @inline(__always) static func integer(_ a: Int64, _ b: Int64) -> Int64? { a &- b }
  static var keepsIntegers: Bool { true }
}

enum MultiplyFunction: BinaryFunction {
  static var name: String { "mul" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { a * b }
  @inline(__always) static func complex<T: RealScalar>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> {
    // The textbook product: swift-numerics' `*` is the same, spelled out so it inlines.
    Complex(a.real * b.real - a.imaginary * b.imaginary, a.real * b.imaginary + a.imaginary * b.real)
  }
  @inline(__always) static func integer(_ a: Int64, _ b: Int64) -> Int64? { a &* b }
  static var keepsIntegers: Bool { true }
}

enum DivideFunction: BinaryFunction {
  static var name: String { "div" }
  @inline(__always) static func real<T: RealScalar>(_ a: T, _ b: T) -> T { a / b }
  @inline(__always) static func complex<T: RealScalar>(_ a: Complex<T>, _ b: Complex<T>) -> Complex<T> { a / b }
}

enum NegateFunction: UnaryFunction {
  static var name: String { "neg" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { -x }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { -z }
  @inline(__always) static func integer(_ x: Int64) -> Int64? { 0 &- x }
}

// MARK: Ops

/// Sum of two tensors, with broadcasting. Derivative: linear in both.
struct AddOp: BinaryOp {
  var name: String { "add" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(AddFunction.self, a, b) }
  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    let da = da.map { lift($0, primalRank: a.rank, outputRank: y.rank) }
    let db = db.map { lift($0, primalRank: b.rank, outputRank: y.rank) }
    return sumOfTerms(da, db)
  }
  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    (needA ? summed(gy, toInputShape: a.shape, outputRank: y.rank) : nil, needB ? summed(gy, toInputShape: b.shape, outputRank: y.rank) : nil)
  }
  var acceptsChunkedCotangents: Bool { true }
  var vjpReads: SavedValues { [] }
}

/// Difference of two tensors, with broadcasting. Derivative: linear in both.
struct SubtractOp: BinaryOp {
  var name: String { "sub" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(SubtractFunction.self, a, b) }
  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    let da = da.map { lift($0, primalRank: a.rank, outputRank: y.rank) }
    let db = db.map { lift($0, primalRank: b.rank, outputRank: y.rank) }
    return differenceOfTerms(da, db)
  }
  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    (needA ? summed(gy, toInputShape: a.shape, outputRank: y.rank) : nil, needB ? summed(-gy, toInputShape: b.shape, outputRank: y.rank) : nil)
  }
  var acceptsChunkedCotangents: Bool { true }
  var vjpReads: SavedValues { [] }
}

/// Elementwise product, with broadcasting.
///
/// Derivative (bilinear): d(a·b) = da·b + a·db; the VJP is ḡ·conj(b) and ḡ·conj(a), summed
/// over broadcast dimensions.
struct MultiplyOp: BinaryOp {
  var name: String { "mul" }
  var sparsity: SparsityRule { .elementwise(.bilinear) }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(MultiplyFunction.self, a, b) }
  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    // Both tangents of plain, unbroadcast operands (forward-over-reverse): one fused pass.
    if let da, let db, let fused = ElementwiseKernels.productTangent(a: a, b: b, da: da, db: db) { return fused }
    let ta = da.map { lift($0, primalRank: a.rank, outputRank: y.rank) * b }
    let tb = db.map { a * lift($0, primalRank: b.rank, outputRank: y.rank) }
    return sumOfTerms(ta, tb)
  }
  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    (needA ? summed(gy * b.conj(), toInputShape: a.shape, outputRank: y.rank) : nil,
     needB ? summed(gy * a.conj(), toInputShape: b.shape, outputRank: y.rank) : nil)
  }
  var acceptsChunkedCotangents: Bool { true }
  var vjpReads: SavedValues { .inputs }
  /// `ga` reads `b` and `gb` reads `a`.
  func vjpReadsInputs(needed: [Bool]) -> [Bool] { [needed[1], needed[0]] }
}

/// Elementwise quotient, with broadcasting.
///
/// Derivative: d(a/b) = (da − y·db)/b with y = a/b; the VJP is ḡ/conj(b) for `a` and
/// −ḡ·conj(y)/conj(b) for `b`.
struct DivideOp: BinaryOp {
  var name: String { "div" }
  var sparsity: SparsityRule { .elementwise(.nonlinear) }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor { ElementwiseKernels.apply(DivideFunction.self, a, b) }
  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    let da = da.map { lift($0, primalRank: a.rank, outputRank: y.rank) }
    let db = db.map { lift($0, primalRank: b.rank, outputRank: y.rank) }
    switch (da, db) {
    case let (x?, d?): return (x - y * d) / b
    case let (x?, nil): return x / b
    case let (nil, d?): return -(y * d) / b
    default: return nil
    }
  }
  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    let g = gy / b.conj()
    return (needA ? summed(g, toInputShape: a.shape, outputRank: y.rank) : nil, needB ? summed(-(g * y.conj()), toInputShape: b.shape, outputRank: y.rank) : nil)
  }
  var acceptsChunkedCotangents: Bool { true }
}

/// Negation. Derivative: linear, −1.
struct NegateOp: LinearOp {
  var name: String { "neg" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(NegateFunction.self, x) }
  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor { -dx }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { -gy }
  var acceptsChunkedCotangents: Bool { true }
  var vjpReads: SavedValues { [] }
}

// MARK: Public API

extension Tensor {
  /// Elementwise sum with broadcasting and type promotion, like `torch.add`.
  public static func + (a: Tensor, b: Tensor) -> Tensor { apply(AddOp(), a, b) }
  /// Elementwise difference with broadcasting and type promotion, like `torch.sub`.
  public static func - (a: Tensor, b: Tensor) -> Tensor { apply(SubtractOp(), a, b) }
  /// Elementwise product with broadcasting and type promotion, like `torch.mul`.
  public static func * (a: Tensor, b: Tensor) -> Tensor { apply(MultiplyOp(), a, b) }
  /// Elementwise true division with broadcasting, like `torch.div`; integers give floats.
  public static func / (a: Tensor, b: Tensor) -> Tensor { apply(DivideOp(), a, b) }
  /// Elementwise negation.
  public static prefix func - (x: Tensor) -> Tensor { apply(NegateOp(), x) }

  /// A 0-d tensor holding `value` in the dtype a weakly typed floating scalar takes next to
  /// this tensor: this tensor's dtype when it is floating, otherwise `float64`.
  func scalarLike(_ value: Double) -> Tensor {
    Tensor.full([], value, dtype: dtype.isFloatingPoint ? dtype : .defaultFloating)
  }

  /// A 0-d tensor holding an integer scalar in the dtype it takes next to this tensor: this
  /// tensor's dtype, or `int64` next to booleans.
  func scalarLike(_ value: Int) -> Tensor {
    Tensor.full([], Double(value), dtype: dtype == .bool ? .int64 : dtype)
  }

  /// Adds a scalar (a weakly typed scalar: it does not change a floating dtype).
  public static func + (a: Tensor, b: Double) -> Tensor { a + a.scalarLike(b) }
  /// Adds a scalar.
  public static func + (a: Double, b: Tensor) -> Tensor { b.scalarLike(a) + b }
  /// Subtracts a scalar.
  public static func - (a: Tensor, b: Double) -> Tensor { a - a.scalarLike(b) }
  /// Subtracts from a scalar.
  public static func - (a: Double, b: Tensor) -> Tensor { b.scalarLike(a) - b }
  /// Multiplies by a scalar.
  public static func * (a: Tensor, b: Double) -> Tensor { a * a.scalarLike(b) }
  /// Multiplies by a scalar.
  public static func * (a: Double, b: Tensor) -> Tensor { b.scalarLike(a) * b }
  /// Divides by a scalar.
  public static func / (a: Tensor, b: Double) -> Tensor { a / a.scalarLike(b) }
  /// Divides a scalar.
  public static func / (a: Double, b: Tensor) -> Tensor { b.scalarLike(a) / b }

  /// Adds an integer scalar (keeps an integer dtype).
  public static func + (a: Tensor, b: Int) -> Tensor { a + a.scalarLike(b) }
  /// Adds an integer scalar.
  public static func + (a: Int, b: Tensor) -> Tensor { b.scalarLike(a) + b }
  /// Subtracts an integer scalar.
  public static func - (a: Tensor, b: Int) -> Tensor { a - a.scalarLike(b) }
  /// Subtracts from an integer scalar.
  public static func - (a: Int, b: Tensor) -> Tensor { b.scalarLike(a) - b }
  /// Multiplies by an integer scalar.
  public static func * (a: Tensor, b: Int) -> Tensor { a * a.scalarLike(b) }
  /// Multiplies by an integer scalar.
  public static func * (a: Int, b: Tensor) -> Tensor { b.scalarLike(a) * b }
  /// Divides by an integer scalar (true division).
  public static func / (a: Tensor, b: Int) -> Tensor { a / a.scalarLike(b) }
  /// Divides an integer scalar (true division).
  public static func / (a: Int, b: Tensor) -> Tensor { b.scalarLike(a) / b }

  /// Adds in place.
  public static func += (a: inout Tensor, b: Tensor) { a = a + b }
  /// Subtracts in place.
  public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
  /// Multiplies in place.
  public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
  /// Divides in place.
  public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
}

// MARK: Taylor rules (normalized coefficients, see TaylorSeries; Griewank & Walther, ch. 13)

extension MultiplyOp {
  /// The Cauchy (Leibniz) product y_k = Σ_{j=0}^{k} a_j·b_{k−j}; with one constant operand,
  /// y_k = a_k·b.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    let (a, b, y) = (inputs[0], inputs[1], outputs[0])
    let sa = series[0]?.lifted(primalRank: a.rank, outputRank: y.rank)
    let sb = series[1]?.lifted(primalRank: b.rank, outputRank: y.rank)
    switch (sa, sb) {
    case let (sa?, sb?):
      let fa = [a] + sa.coefficients, fb = [b] + sb.coefficients
      return [TaylorSeries((1...sa.order).map { TaylorRecurrence.cauchy(fa, fb, $0)! })]
    case let (sa?, nil): return [TaylorSeries(sa.coefficients.map { $0 * b })]
    case let (nil, sb?): return [TaylorSeries(sb.coefficients.map { a * $0 })]
    default: return [nil]
    }
  }
}

extension DivideOp {
  /// y_k = (a_k − Σ_{j=1}^{k} b_j·y_{k−j}) / b₀, from y·b = a.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    let (a, b, y) = (inputs[0], inputs[1], outputs[0])
    let sa = series[0]?.lifted(primalRank: a.rank, outputRank: y.rank)
    let sb = series[1]?.lifted(primalRank: b.rank, outputRank: y.rank)
    guard let order = sa?.order ?? sb?.order else { return [nil] }
    var fy = [y]
    let fb = sb.map { [b] + $0.coefficients }
    for k in 1...order {
      let carried = fb.flatMap { TaylorRecurrence.cauchy($0, fy, k, from: 1) }
      let numerator = differenceOfTerms(sa?[k], carried)!
      fy.append(numerator / b)
    }
    return [TaylorRecurrence.series(fy)]
  }
}
