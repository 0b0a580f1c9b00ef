import ComplexModule
import RealModule

enum ConjugateFunction: UnaryFunction {
  static var name: String { "conj" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T { x }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> { z.conjugate }
}

/// Complex conjugation. Derivative: real-linear and self-adjoint, so the JVP conjugates the
/// tangent and the VJP conjugates the cotangent.
struct ConjugateOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  var name: String { "conj" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(ConjugateFunction.self, x) }
  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor { dx.conj() }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { gy.conj() }
}

/// The real or imaginary part of a complex tensor, as a view of its storage.
///
/// Derivative: real-linear. The JVP takes the same part of the tangent; the VJP embeds the
/// real cotangent ḡ as ḡ (real part) or i·ḡ (imaginary part), PyTorch's convention.
struct ComplexPartOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  let imaginary: Bool
  var name: String { imaginary ? "imag" : "real" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ x: Tensor) -> Tensor {
    let r = x.dtype.real
    return Tensor(
      storage: x.storage, shape: x.shape, strides: x.strides.map { $0 * 2 },
      offset: x.offset * 2 + (imaginary ? 1 : 0), dtype: r)
  }
  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor { imaginary ? dx.imag : dx.real }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    let zero = Tensor.zeros(like: gy.detached)
    return imaginary ? Tensor.complex(real: zero, imaginary: gy) : Tensor.complex(real: gy, imaginary: zero)
  }
}

/// Builds a complex tensor from real and imaginary parts (`torch.complex`).
///
/// Derivative: linear; the VJP of a complex cotangent ḡ is (Re ḡ, Im ḡ).
struct MakeComplexOp: BinaryOp {
  var name: String { "complex" }
  var sparsity: SparsityRule { .elementwise(.linear) }
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    check(
      a.dtype == b.dtype && !a.dtype.isComplex && a.dtype.isFloatingPoint,
      "complex: real and imaginary parts must be real floating tensors of one dtype, got \(a.dtype) and \(b.dtype)")
    let shape = Shape.broadcast(a.shape, b.shape, op: name)
    return a.dtype.visitReal(ComplexFromPartsKernel(a: a, b: b, shape: shape), op: name)
  }

  /// `a + i·b`, for the parts' real dtype.
  private struct ComplexFromPartsKernel: RealVisitor {
    let a, b: Tensor
    let shape: [Int]
    func visit<T: RealScalar>(_: T.Type) -> Tensor {
      ElementwiseKernels.zip(a, b, shape: shape, T.self, to: a.dtype.complex, Complex<T>.self) { Complex($0, $1) }
    }
  }
  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    if da == nil && db == nil { return nil }
    let re = da.map { lift($0, primalRank: a.rank, outputRank: y.rank) }
    let im = db.map { lift($0, primalRank: b.rank, outputRank: y.rank) }
    let like = (re ?? im)!.detached
    return Tensor.complex(real: re ?? Tensor.zeros(like: like), imaginary: im ?? Tensor.zeros(like: like))
  }
  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    (needA ? gy.real.summed(toShape: a.shape) : nil, needB ? gy.imag.summed(toShape: b.shape) : nil)
  }
}

extension Tensor {
  /// The complex conjugate; the tensor itself for real dtypes.
  ///
  /// Derivative: self-adjoint real-linear map.
  public func conj() -> Tensor { dtype.isComplex ? Tensor.apply(ConjugateOp(), self) : self }

  /// The real part: a view for complex tensors, the tensor itself for real ones.
  ///
  /// Derivative: real-linear; the VJP embeds the cotangent as the real part.
  public var real: Tensor { dtype.isComplex ? Tensor.apply(ComplexPartOp(imaginary: false), self) : self }

  /// The imaginary part: a view for complex tensors.
  ///
  /// Derivative: real-linear; the VJP embeds the cotangent ḡ as i·ḡ.
  /// - Precondition: the tensor is complex.
  public var imag: Tensor {
    check(dtype.isComplex, "imag: the tensor is \(dtype), not complex")
    return Tensor.apply(ComplexPartOp(imaginary: true), self)
  }

  /// A complex tensor `real + i·imaginary`, like `torch.complex`.
  public static func complex(real: Tensor, imaginary: Tensor) -> Tensor {
    apply(MakeComplexOp(), real, imaginary)
  }
}

// MARK: Taylor rule

extension MakeComplexOp {
  /// Linear in both parts: the JVP on each coefficient.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByLinearity(inputs: inputs, outputs: outputs, series: series)
  }
}
