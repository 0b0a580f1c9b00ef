import ComplexModule
import RealModule

// Complex numbers from polar coordinates, and the real view of complex storage.

/// A complex tensor seen as a real one with a trailing dim of 2 (real, imaginary), sharing
/// its storage.
///
/// Derivative: linear; the VJP views the real cotangent as complex again (``ViewAsComplexOp``).
struct ViewAsRealOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  var name: String { "viewAsReal" }
  var sparsity: SparsityRule { .indexMap }
  func primal(_ x: Tensor) -> Tensor {
    Tensor(
      storage: x.storage, shape: x.shape + [2], strides: x.strides.map { $0 * 2 } + [1], offset: x.offset * 2,
      dtype: x.dtype.real)
  }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { Tensor.apply(ViewAsComplexOp(), gy) }
}

/// A real tensor with a trailing dim of 2 seen as a complex one (a view when the layout
/// allows, a copy otherwise).
///
/// Derivative: linear; the VJP is the real view of the cotangent (``ViewAsRealOp``).
struct ViewAsComplexOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  var name: String { "viewAsComplex" }
  var sparsity: SparsityRule { .indexMap }
  func primal(_ x: Tensor) -> Tensor {
    let viewable = x.strides.last == 1 && x.offset % 2 == 0 && x.strides.dropLast().allSatisfy { $0 % 2 == 0 }
    let c = viewable ? x : x.contiguousValues()
    return Tensor(
      storage: c.storage, shape: Array(c.shape.dropLast()), strides: c.strides.dropLast().map { $0 / 2 },
      offset: c.offset / 2, dtype: c.dtype.complex)
  }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { Tensor.apply(ViewAsRealOp(), gy) }
}

extension Tensor {
  /// The complex tensor abs·(cos θ + i·sin θ) from magnitudes and angles, with broadcasting,
  /// like `torch.polar(abs, angle)`.
  ///
  /// Derivative: d(abs)·e^(iθ) + i·abs·e^(iθ)·dθ (the VJP takes the real parts of the
  /// corresponding products with the complex cotangent).
  /// - Precondition: both are real floating tensors of one dtype whose shapes broadcast.
  public static func polar(abs: Tensor, angle: Tensor) -> Tensor {
    check(
      !abs.dtype.isComplex && !angle.dtype.isComplex && abs.dtype.isFloatingPoint && abs.dtype == angle.dtype,
      "polar: abs and angle must be real floating tensors of one dtype, got \(abs.dtype) and \(angle.dtype)")
    return complex(real: abs * angle.cos(), imaginary: abs * angle.sin())
  }

  /// A complex tensor's values as a real tensor with a trailing dim of 2 holding the real and
  /// imaginary parts, sharing the storage, like `torch.view_as_real`.
  ///
  /// Derivative: linear; the VJP turns the real cotangent back into a complex one.
  /// - Precondition: the tensor is complex.
  public func viewAsReal() -> Tensor {
    check(dtype.isComplex, "viewAsReal: the tensor is \(dtype), not complex")
    return Tensor.apply(ViewAsRealOp(), self)
  }

  /// A real tensor whose last dim has size 2 (real, imaginary) as a complex tensor, like
  /// `torch.view_as_complex` (a copy when the layout does not allow a view).
  ///
  /// Derivative: linear; the VJP is the real view of the cotangent.
  /// - Precondition: the tensor is real floating with a last dim of size 2.
  public func viewAsComplex() -> Tensor {
    check(
      dtype.isFloatingPoint && !dtype.isComplex && shape.last == 2,
      "viewAsComplex: expected a real floating tensor whose last dim is 2, got \(dtype) of shape \(shape)")
    return Tensor.apply(ViewAsComplexOp(), self)
  }
}
