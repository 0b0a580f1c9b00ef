import ComplexModule
import RealModule

extension Tensor {
  /// Elementwise closeness, like `torch.isclose`: `a` and `b` are close when they are equal
  /// (infinities of the same sign included) or when
  /// `|a − b| ≤ atol + rtol·|b|` with `|a − b|` finite.
  ///
  /// Complex values are compared by the modulus of the difference, and count as NaN when
  /// either part is NaN. The inputs broadcast; unlike PyTorch, different dtypes are promoted
  /// instead of rejected. Integers are compared in `float64` arithmetic.
  /// Derivative: none (the result is `bool`).
  /// - Parameters:
  ///   - other: the reference values (`b`; the test is not symmetric).
  ///   - rtol: relative tolerance (PyTorch's default `1e-5`).
  ///   - atol: absolute tolerance (PyTorch's default `1e-8`).
  ///   - equalNaN: whether two NaNs count as close.
  /// - Returns: a `bool` tensor of the broadcast shape.
  /// - Precondition: the shapes broadcast and the tolerances are non-negative.
  public func isClose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8, equalNaN: Bool = false) -> Tensor {
    check(rtol >= 0 && atol >= 0, "isClose: tolerances must be non-negative, got rtol \(rtol) and atol \(atol)")
    let shape = Shape.broadcast(self.shape, other.shape, op: "isClose")
    let t = DType.promoted(dtype, other.dtype)
    let a = dtype == t ? detached : contiguousValues(dtype: t)
    let b = other.dtype == t ? other.detached : other.contiguousValues(dtype: t)
    let tolerant = rtol != 0 || atol != 0
    switch t {
    case .bool:
      return ElementwiseKernels.zip(a, b, shape: shape, Bool.self, to: .bool, Bool.self) { x, y in
        x == y || (tolerant && Swift.abs((x ? 1.0 : 0) - (y ? 1.0 : 0)) <= atol + rtol * (y ? 1 : 0))
      }
    case .int64:
      return ElementwiseKernels.zip(a, b, shape: shape, Int64.self, to: .bool, Bool.self) { x, y in
        x == y || (tolerant && Swift.abs(Double(x) - Double(y)) <= atol + rtol * Swift.abs(Double(y)))
      }
    case .float32: return ElementwiseKernels.zip(a, b, shape: shape, Float.self, to: .bool, Bool.self, Closeness.real(rtol, atol, equalNaN))
    case .float64: return ElementwiseKernels.zip(a, b, shape: shape, Double.self, to: .bool, Bool.self, Closeness.real(rtol, atol, equalNaN))
    case .complex64:
      return ElementwiseKernels.zip(a, b, shape: shape, Complex<Float>.self, to: .bool, Bool.self, Closeness.complex(rtol, atol, equalNaN))
    case .complex128:
      return ElementwiseKernels.zip(a, b, shape: shape, Complex<Double>.self, to: .bool, Bool.self, Closeness.complex(rtol, atol, equalNaN))
    }
  }

  /// Whether every element is close to `other`'s, like `torch.allclose`. See
  /// ``isClose(_:rtol:atol:equalNaN:)`` for the test. Empty tensors are all close.
  ///
  /// Derivative: none.
  /// - Precondition: the shapes broadcast and the tolerances are non-negative.
  public func allClose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8, equalNaN: Bool = false) -> Bool {
    isClose(other, rtol: rtol, atol: atol, equalNaN: equalNaN).scalars(as: Bool.self).allSatisfy { $0 }
  }
}

/// The closeness tests per scalar kind.
enum Closeness {
  static func real<T: RealScalar>(_ rtol: Double, _ atol: Double, _ equalNaN: Bool) -> (T, T) -> Bool {
    let r = T(rtol), a = T(atol), tolerant = rtol != 0 || atol != 0
    return { x, y in
      if x == y { return true }
      if equalNaN && x.isNaN && y.isNaN { return true }
      if !tolerant { return false }
      let err = Swift.abs(x - y)
      return err.isFinite && err <= a + r * Swift.abs(y)
    }
  }

  static func complex<T: RealScalar>(_ rtol: Double, _ atol: Double, _ equalNaN: Bool) -> (Complex<T>, Complex<T>) -> Bool {
    let r = T(rtol), a = T(atol), tolerant = rtol != 0 || atol != 0
    return { x, y in
      // Componentwise, on the raw parts: swift-numerics' `==` treats every non-finite value as
      // equal, and its `real`/`imaginary` are NaN for every non-finite value.
      let (xr, xi) = x.rawStorage, (yr, yi) = y.rawStorage
      if xr == yr && xi == yi { return true }
      if equalNaN && (xr.isNaN || xi.isNaN) && (yr.isNaN || yi.isNaN) { return true }
      if !tolerant { return false }
      let err = (x - y).length
      return err.isFinite && err <= a + r * y.length
    }
  }
}
