import ComplexModule
import RealModule

/// The variance, in two passes (the mean, then the squared deviations), with its elementwise
/// kernels.
extension Reductions {
  /// The variance over `dims` (negative allowed), like `torch.var(x, dims, correction:,
  /// keepdim:)`: Σ|x − mean|² / (N − correction), computed in two passes (mean, then squared
  /// deviations). Complex inputs give the real variance of the same precision. With
  /// N − correction ≤ 0 the result is ∞ or NaN, as in PyTorch.
  ///
  /// - Precondition: the dtype is floating.
  static func variance(_ x: Tensor, dims: [Int], correction: Double = 1, keepdim: Bool) -> Tensor {
    check(x.dtype.isFloatingPoint, "var: expected a floating or complex tensor, got \(x.dtype)")
    let dims = normalizedDims(dims, rank: x.rank, op: "var")
    var n = 1
    for d in dims { n *= x.shape[d] }
    let total = sum(x, dims: dims, keepdim: true)
    let divisor = Swift.max(0, Double(n) - correction)
    switch x.dtype {
    case .float32: return varianceFinish(x, total, dims, n, divisor, keepdim, Float.self)
    case .float64: return varianceFinish(x, total, dims, n, divisor, keepdim, Double.self)
    case .complex64: return complexVarianceFinish(x, total, dims, n, divisor, keepdim, Float.self)
    default: return complexVarianceFinish(x, total, dims, n, divisor, keepdim, Double.self)
    }
  }

  static func varianceFinish<T: RealScalar>(
    _ x: Tensor, _ total: Tensor, _ dims: [Int], _ n: Int, _ divisor: Double, _ keepdim: Bool, _: T.Type
  ) -> Tensor {
    let inverseN = T(1) / T(Swift.max(n, 1))
    let mean = ElementwiseKernels.map(total, to: x.dtype, ScaleKernel(factor: inverseN))
    let shape = x.shape
    let squares = ElementwiseKernels.zip(x, mean, shape: shape, to: x.dtype, SquaredDifferenceKernel<T>())
    let s = sum(squares, dims: dims, keepdim: keepdim)
    return ElementwiseKernels.map(s, to: x.dtype, DivideByKernel(divisor: T(divisor)))
  }

  static func complexVarianceFinish<T: RealScalar>(
    _ x: Tensor, _ total: Tensor, _ dims: [Int], _ n: Int, _ divisor: Double, _ keepdim: Bool, _: T.Type
  ) -> Tensor {
    let inverseN = T(1) / T(Swift.max(n, 1))
    let mean = ElementwiseKernels.map(total, to: x.dtype, ComplexScaleKernel(factor: inverseN))
    let shape = x.shape
    let squares = ElementwiseKernels.zip(x, mean, shape: shape, to: x.dtype.real, ComplexSquaredDifferenceKernel<T>())
    let s = sum(squares, dims: dims, keepdim: keepdim)
    return ElementwiseKernels.map(s, to: x.dtype.real, DivideByKernel(divisor: T(divisor)))
  }
}

/// x·factor.
struct ScaleKernel<T: RealScalar>: UnaryElementKernel {
  let factor: T
  @inline(__always) func callAsFunction(_ x: T) -> T { x * factor }
}

/// z·factor for a complex z and a real factor.
struct ComplexScaleKernel<T: RealScalar>: UnaryElementKernel {
  let factor: T
  @inline(__always) func callAsFunction(_ z: Complex<T>) -> Complex<T> { Complex(z.real * factor, z.imaginary * factor) }
}

/// x / divisor.
struct DivideByKernel<T: RealScalar>: UnaryElementKernel {
  let divisor: T
  @inline(__always) func callAsFunction(_ x: T) -> T { x / divisor }
}

/// (a − b)².
struct SquaredDifferenceKernel<T: RealScalar>: BinaryElementKernel {
  @inline(__always) func callAsFunction(_ a: T, _ b: T) -> T {
    let d = a - b
    return d * d
  }
}

/// |a − b|² for complex a, b, as a real.
struct ComplexSquaredDifferenceKernel<T: RealScalar>: BinaryElementKernel {
  @inline(__always) func callAsFunction(_ a: Complex<T>, _ b: Complex<T>) -> T {
    let re = a.real - b.real, im = a.imaginary - b.imaginary
    return re * re + im * im
  }
}
