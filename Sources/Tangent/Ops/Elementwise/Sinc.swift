import ComplexModule
import RealModule

enum SincFunction: UnaryFunction {
  static var name: String { "sinc" }
  @inline(__always) static func real<T: RealScalar>(_ x: T) -> T {
    if x == 0 { return 1 }
    let px = T.pi * x
    return VectorMath.sin(px) / px
  }
  @inline(__always) static func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> {
    if z.isZero { return .one }
    let pz = z.multiplied(by: T.pi)
    return Complex.sin(pz) / pz
  }
}

/// The normalized sinc function sin(πx)/(πx), 1 at 0 (holomorphic for complex inputs).
///
/// Derivative: (cos(πx) − sinc(x))/x, reusing the output, and 0 at x = 0 (PyTorch's
/// `sinc_backward`).
struct SincOp: ElementwiseOp {
  var name: String { "sinc" }
  func primal(_ x: Tensor) -> Tensor { ElementwiseKernels.apply(SincFunction.self, x) }
  func derivative(x: Tensor, y: Tensor) -> Tensor {
    (((x * Double.pi).cos() - y) / x).keeping(x.mask(.notEqual, 0))
  }
}

extension Tensor {
  /// The normalized sinc function sin(πx)/(πx), with 1 at 0, elementwise, like `torch.sinc`.
  ///
  /// Derivative: (cos(πx) − sinc(x))/x, and 0 at x = 0.
  public func sinc() -> Tensor { Tensor.apply(SincOp(), self) }
}
