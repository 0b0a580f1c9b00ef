import ComplexModule
import RealModule

/// A unary elementwise function with run-time parameters (a slope, a threshold, a bound),
/// written once for every floating dtype.
///
/// The counterpart of ``UnaryFunction`` for functions that are not fixed at compile time:
/// conformers are small structs holding their parameters, and the driver specialises the loop
/// for each of them.
protocol ParametricUnaryFunction {
  /// The op's name, used in error messages.
  var name: String { get }
  /// The function on a real scalar.
  func real<T: RealScalar>(_ x: T) -> T
  /// The function on a complex scalar. The default stops: the op is real-only.
  func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T>
  /// Whether ``complex(_:)`` is implemented (default `false`).
  var supportsComplex: Bool { get }
}

extension ParametricUnaryFunction {
  var supportsComplex: Bool { false }
  func complex<T: RealScalar>(_ z: Complex<T>) -> Complex<T> {
    misuse("\(name): complex inputs are not supported")
  }
}

/// Elementwise drivers used by the math ops, next to ``ElementwiseKernels``: parametric
/// functions, loops over operands of different element types, and selection by a mask.
enum OpElementwiseKernels {
  /// Applies a ``ParametricUnaryFunction``; integer and boolean inputs are promoted to the
  /// default floating dtype.
  static func apply<F: ParametricUnaryFunction>(_ f: F, _ x: Tensor) -> Tensor {
    switch x.dtype {
    case .float32: return ElementwiseKernels.map(x, Float.self, to: .float32, Float.self) { f.real($0) }
    case .float64: return ElementwiseKernels.map(x, Double.self, to: .float64, Double.self) { f.real($0) }
    case .complex64:
      check(f.supportsComplex, "\(f.name): complex inputs (complex64) are not supported")
      return ElementwiseKernels.map(x, Complex<Float>.self, to: .complex64, Complex<Float>.self) { f.complex($0) }
    case .complex128:
      check(f.supportsComplex, "\(f.name): complex inputs (complex128) are not supported")
      return ElementwiseKernels.map(x, Complex<Double>.self, to: .complex128, Complex<Double>.self) { f.complex($0) }
    case .int64, .bool:
      return apply(f, x.contiguousValues(dtype: .defaultFloating))
    }
  }

  /// Applies `f` to pairs of elements of two tensors of different element types, broadcast
  /// to `shape`, giving a new contiguous tensor of `outDType`.
  static func zipMixed<A: TensorScalar, B: TensorScalar, U: TensorScalar>(
    _ a: Tensor, _ b: Tensor, shape: [Int], _: A.Type, _: B.Type, to outDType: DType, _: U.Type,
    _ f: (A, B) -> U
  ) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: outDType)
    if out.count == 0 { return out }
    let pa = UnsafePointer(a.pointer(as: A.self))
    let pb = UnsafePointer(b.pointer(as: B.self))
    let dst = out.pointer(as: U.self)
    let plan = StridedRows(
      shape: shape, strides: [a.broadcastStrides(to: shape), b.broadcastStrides(to: shape), out.strides])
    let len = plan.length
    let (s0, s1, s2) = plan.step
    Parallel.forChunks(plan.rowCount, cost: len) { rows in
      plan.forEachRow(in: rows) { o0, o1, o2 in
        let x = pa + o0
        let m = pb + o1
        let z = dst + o2
        for i in 0..<len { z[i &* s2] = f(x[i &* s0], m[i &* s1]) }
      }
    }
    return out
  }

  /// `x` where `mask` (a `bool` tensor that broadcasts to `x.shape`) is true, zero elsewhere.
  ///
  /// A selection, not a product: infinities and NaNs of `x` under a false mask give zero.
  static func keep(_ x: Tensor, where mask: Tensor) -> Tensor {
    check(mask.dtype == .bool, "keep(where:): the mask must be bool, got \(mask.dtype)")
    let shape = x.shape
    switch x.dtype {
    case .float32: return zipMixed(x, mask, shape: shape, Float.self, Bool.self, to: x.dtype, Float.self) { $1 ? $0 : 0 }
    case .float64: return zipMixed(x, mask, shape: shape, Double.self, Bool.self, to: x.dtype, Double.self) { $1 ? $0 : 0 }
    case .complex64:
      return zipMixed(x, mask, shape: shape, Complex<Float>.self, Bool.self, to: x.dtype, Complex<Float>.self) {
        $1 ? $0 : .zero
      }
    case .complex128:
      return zipMixed(x, mask, shape: shape, Complex<Double>.self, Bool.self, to: x.dtype, Complex<Double>.self) {
        $1 ? $0 : .zero
      }
    case .int64: return zipMixed(x, mask, shape: shape, Int64.self, Bool.self, to: x.dtype, Int64.self) { $1 ? $0 : 0 }
    case .bool: return zipMixed(x, mask, shape: shape, Bool.self, Bool.self, to: x.dtype, Bool.self) { $1 && $0 }
    }
  }

  /// Maps a complex tensor to a real one of the same precision (`abs`, `angle`).
  static func complexToReal(
    _ x: Tensor, _ f32: (Complex<Float>) -> Float, _ f64: (Complex<Double>) -> Double
  ) -> Tensor {
    switch x.dtype {
    case .complex64: return ElementwiseKernels.map(x, Complex<Float>.self, to: .float32, Float.self, f32)
    case .complex128: return ElementwiseKernels.map(x, Complex<Double>.self, to: .float64, Double.self, f64)
    default: misuse("complexToReal: expected a complex tensor, got \(x.dtype)")
    }
  }

  /// A `bool` tensor that is true where an element is finite (both parts, for complex).
  static func isFinite(_ x: Tensor) -> Tensor {
    switch x.dtype {
    case .float32: return ElementwiseKernels.map(x, Float.self, to: .bool, Bool.self) { $0.isFinite }
    case .float64: return ElementwiseKernels.map(x, Double.self, to: .bool, Bool.self) { $0.isFinite }
    case .complex64: return ElementwiseKernels.map(x, Complex<Float>.self, to: .bool, Bool.self) { $0.isFinite }
    case .complex128: return ElementwiseKernels.map(x, Complex<Double>.self, to: .bool, Bool.self) { $0.isFinite }
    case .int64, .bool: return Tensor.full(x.shape, 1, dtype: .bool)
    }
  }
}
