import ComplexModule
import RealModule

extension Tensor {
  /// A tensor from a flat array of scalars and a shape.
  ///
  /// - Precondition: `scalars.count` equals the product of `shape`.
  public init<T: TensorScalar>(shape: [Int], scalars: [T]) {
    let n = Shape.count(shape, op: "Tensor(shape:scalars:)")
    check(
      n == scalars.count,
      "Tensor(shape:scalars:): \(scalars.count) scalars do not fill shape \(shape) (\(n) elements)")
    self.init(uninitializedShape: shape, dtype: T.dtype)
    let p = pointer(as: T.self)
    scalars.withUnsafeBufferPointer { b in
      if let base = b.baseAddress { p.initialize(from: base, count: b.count) }
    }
    if let r = ReplayRecorder.active { r.noteConstant(self) }
  }

  /// A 1-d tensor from an array of scalars, with the dtype of `T`.
  ///
  /// With literal elements, integers alone give `int64` (the `[Int]` overload, like
  /// `torch.tensor([0, 1, 2])`), and any floating literal gives `float64`.
  public init<T: TensorScalar>(_ scalars: [T]) { self.init(shape: [scalars.count], scalars: scalars) }

  /// A 0-d tensor holding one scalar, with the dtype of `T`: `Tensor(2.0)` is `float64`,
  /// `Tensor(2)` is `int64` (the `Int` overload).
  public init<T: TensorScalar>(_ scalar: T) { self.init(shape: [], scalars: [scalar]) }

  /// A tensor of `shape` filled with `value` converted to `dtype`.
  public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float64) -> Tensor {
    let t = Tensor(uninitializedShape: shape, dtype: dtype, op: "full")
    dtype.visit(FillVisitor(tensor: t, pair: (value, 0)))
    if let r = ReplayRecorder.active { r.noteConstant(t) }
    return t
  }

  /// A tensor of `shape` filled with a complex value (`dtype` must be complex).
  public static func full(_ shape: [Int], complex value: Complex<Double>, dtype: DType = .complex128) -> Tensor {
    check(dtype.isComplex, "full: a complex fill value needs a complex dtype, got \(dtype)")
    let t = Tensor(uninitializedShape: shape, dtype: dtype, op: "full")
    dtype.visit(FillVisitor(tensor: t, pair: (value.real, value.imaginary)))
    if let r = ReplayRecorder.active { r.noteConstant(t) }
    return t
  }

  /// Zeros of `shape`.
  public static func zeros(_ shape: [Int], dtype: DType = .float64) -> Tensor {
    let n = Shape.count(shape, op: "zeros")
    let t = Tensor(
      storage: Storage(zeroedByteCount: Shape.byteCount(n, dtype, shape: shape, op: "zeros")), shape: shape,
      strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    if let r = ReplayRecorder.active { r.noteConstant(t) }
    return t
  }

  /// Ones of `shape`.
  public static func ones(_ shape: [Int], dtype: DType = .float64) -> Tensor { full(shape, 1, dtype: dtype) }

  /// Zeros with the dtype of `other` and its shape (or `shape`).
  public static func zeros(like other: Tensor, shape: [Int]? = nil) -> Tensor {
    zeros(shape ?? other.shape, dtype: other.dtype)
  }

  /// Ones with the dtype and shape of `other`.
  public static func ones(like other: Tensor) -> Tensor { full(other.shape, 1, dtype: other.dtype) }

  /// Ones like `other`, checking that it has a single element when `requireSingle` is set
  /// (the implicit seed of `backward`).
  static func onesLike(_ other: Tensor, requireSingle: Bool, op: String) -> Tensor {
    check(
      !requireSingle || other.count == 1,
      "\(op): a seed is needed for an output of shape \(other.shape); only single-element outputs get the implicit seed 1")
    return ones(like: other)
  }

  /// The n×m identity matrix (m defaults to n).
  public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float64) -> Tensor {
    let m = m ?? n
    check(n >= 0 && m >= 0, "eye: negative size \(n)×\(m)")
    let t = zeros([n, m], dtype: dtype)
    dtype.visit(DiagonalOneVisitor(tensor: t))
    return t
  }

  /// Values from `start` up to (not including) `end`, spaced by `step`, like `torch.arange`.
  ///
  /// The dtype is `int64` when every argument is integral and `dtype` is not given, otherwise `float64`.
  /// - Precondition: `start`, `end` and `step` are finite, `step` is non-zero and points from
  ///   `start` toward `end` (like PyTorch, which rejects such ranges too).
  public static func arange(_ start: Double = 0, _ end: Double, step: Double = 1, dtype: DType? = nil) -> Tensor {
    check(
      start.isFinite && end.isFinite && step.isFinite,
      "arange: start, end and step must be finite, got \(start)..<\(end) step \(step)")
    check(step != 0, "arange: step must be non-zero, got \(start)..<\(end) step \(step)")
    check((end - start) / step >= 0 || start == end, "arange: the range \(start)..<\(end) with step \(step) is empty in the wrong direction")
    let steps = ((end - start) / step).rounded(.up)
    check(
      steps < 0x1p48,
      "arange: the range \(start)..<\(end) with step \(step) has \(steps) elements, more than a tensor can hold")
    let n = Swift.max(0, Int(steps))
    let integral = start.rounded() == start && end.rounded() == end && step.rounded() == step
    let dtype = dtype ?? (integral ? .int64 : .float64)
    let values = (0..<n).map { start + Double($0) * step }
    return Tensor(values).converted(to: dtype)
  }

  /// `count` values evenly spaced from `start` to `end` inclusive, like `torch.linspace`.
  ///
  /// - Precondition: `count ≥ 0`; for a non-floating `dtype`, `start` and `end` are finite.
  public static func linspace(_ start: Double, _ end: Double, count: Int, dtype: DType = .float64) -> Tensor {
    check(count >= 0, "linspace: count must be non-negative, got \(count)")
    check(
      dtype.isFloatingPoint || (start.isFinite && end.isFinite),
      "linspace: the bounds \(start) and \(end) must be finite for dtype \(dtype)")
    if count == 1 { return Tensor([start]).converted(to: dtype) }
    let step = (end - start) / Double(Swift.max(count - 1, 1))
    return Tensor((0..<count).map { i in i == count - 1 ? end : start + Double(i) * step }).converted(to: dtype)
  }
}

/// Fills a tensor with one value.
struct FillVisitor: ScalarVisitor {
  let tensor: Tensor
  let pair: (Double, Double)
  func visit<T: TensorScalar>(_: T.Type) {
    let v = T(doublePair: pair)
    tensor.pointer(as: T.self).initialize(repeating: v, count: tensor.count)
  }
}

/// Writes ones on the main diagonal of a zeroed matrix.
struct DiagonalOneVisitor: ScalarVisitor {
  let tensor: Tensor
  func visit<T: TensorScalar>(_: T.Type) {
    let p = tensor.pointer(as: T.self)
    let one = T(doublePair: (1, 0))
    for i in 0..<Swift.min(tensor.shape[0], tensor.shape[1]) { p[i * tensor.shape[1] + i] = one }
  }
}
