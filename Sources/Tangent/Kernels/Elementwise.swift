import ComplexModule
import RealModule

/// The drivers that run elementwise functions over tensors of any layout.
///
/// Each driver is one generic loop, specialised per dtype by the compiler. Contiguous inputs
/// run as flat loops (which the compiler vectorises when the function is branch-free),
/// broadcast scalars run as flat loops with a constant, and everything else runs row by row
/// through a ``StridedRows`` plan. Large loops are split across cores.
public enum ElementwiseKernels {
  /// Applies `f` to each element of `x`, producing a new contiguous tensor of `outDType`.
  static func map<T: TensorScalar, U: TensorScalar>(
    _ x: Tensor, _: T.Type, to outDType: DType, _: U.Type, _ f: (T) -> U
  ) -> Tensor {
    let out = Tensor(uninitializedShape: x.shape, dtype: outDType)
    let n = out.count
    if n == 0 { return out }
    let src = UnsafePointer(x.pointer(as: T.self))
    let dst = out.pointer(as: U.self)
    if x.isContiguous {
      Parallel.forChunks(n) { r in
        for i in r { dst[i] = f(src[i]) }
      }
      return out
    }
    let plan = StridedRows(shape: x.shape, strides: [x.strides, out.strides])
    let len = plan.length
    let (s0, s1, _) = plan.step
    Parallel.forChunks(plan.rowCount, cost: len) { rows in
      plan.forEachRow(in: rows) { o0, o1, _ in
        let a = src + o0
        let b = dst + o1
        for i in 0..<len { b[i &* s1] = f(a[i &* s0]) }
      }
    }
    return out
  }

  /// Applies `f` to pairs of elements of `a` and `b` (already of type `T`, broadcast to `shape`).
  static func zip<T: TensorScalar, U: TensorScalar>(
    _ a: Tensor, _ b: Tensor, shape: [Int], _: T.Type, to outDType: DType, _: U.Type, _ f: (T, T) -> U
  ) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: outDType)
    let n = out.count
    if n == 0 { return out }
    let pa = UnsafePointer(a.pointer(as: T.self))
    let pb = UnsafePointer(b.pointer(as: T.self))
    let dst = out.pointer(as: U.self)
    let aFull = a.shape == shape && a.isContiguous
    let bFull = b.shape == shape && b.isContiguous
    if aFull && bFull {
      Parallel.forChunks(n) { r in for i in r { dst[i] = f(pa[i], pb[i]) } }
      return out
    }
    if aFull && b.count == 1 {
      let s = pb[0]
      Parallel.forChunks(n) { r in for i in r { dst[i] = f(pa[i], s) } }
      return out
    }
    if bFull && a.count == 1 {
      let s = pa[0]
      Parallel.forChunks(n) { r in for i in r { dst[i] = f(s, pb[i]) } }
      return out
    }
    let plan = StridedRows(
      shape: shape,
      strides: [a.broadcastStrides(to: shape), b.broadcastStrides(to: shape), out.strides])
    let len = plan.length
    let (s0, s1, s2) = plan.step
    Parallel.forChunks(plan.rowCount, cost: len) { rows in
      plan.forEachRow(in: rows) { o0, o1, o2 in
        let x = pa + o0
        let y = pb + o1
        let z = dst + o2
        if s0 == 1 && s1 == 1 && s2 == 1 {
          for i in 0..<len { z[i] = f(x[i], y[i]) }
        } else if s0 == 0 && s1 == 1 && s2 == 1 {
          let c = x[0]
          for i in 0..<len { z[i] = f(c, y[i]) }
        } else if s0 == 1 && s1 == 0 && s2 == 1 {
          let c = y[0]
          for i in 0..<len { z[i] = f(x[i], c) }
        } else {
          for i in 0..<len { z[i &* s2] = f(x[i &* s0], y[i &* s1]) }
        }
      }
    }
    return out
  }

  /// Applies a ``UnaryFunction`` to a tensor of any dtype (integers are promoted unless the
  /// function keeps them).
  public static func apply<F: UnaryFunction>(_: F.Type, _ x: Tensor) -> Tensor {
    switch x.dtype {
    case .float32: return map(x, Float.self, to: .float32, Float.self, F.real)
    case .float64: return map(x, Double.self, to: .float64, Double.self, F.real)
    case .complex64:
      precondition(F.supportsComplex, "\(F.name): complex inputs (complex64) are not supported")
      return map(x, Complex<Float>.self, to: .complex64, Complex<Float>.self, F.complex)
    case .complex128:
      precondition(F.supportsComplex, "\(F.name): complex inputs (complex128) are not supported")
      return map(x, Complex<Double>.self, to: .complex128, Complex<Double>.self, F.complex)
    case .int64, .bool:
      if F.integer(0) != nil {
        let xi = x.dtype == .int64 ? x : x.contiguousValues(dtype: .int64)
        return map(xi, Int64.self, to: .int64, Int64.self) { F.integer($0)! }
      }
      return apply(F.self, x.contiguousValues(dtype: .defaultFloating))
    }
  }

  /// The dtype a binary function computes in for these inputs.
  public static func resultDType<F: BinaryFunction>(_: F.Type, _ a: DType, _ b: DType) -> DType {
    let t = DType.promoted(a, b)
    if !t.isFloatingPoint && !(F.keepsIntegers && F.integer(1, 1) != nil) { return .defaultFloating }
    return t == .bool && F.keepsIntegers ? .int64 : t
  }

  /// Applies a ``BinaryFunction`` with broadcasting and type promotion.
  public static func apply<F: BinaryFunction>(_: F.Type, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = Shape.broadcast(a.shape, b.shape, op: F.name)
    let t = resultDType(F.self, a.dtype, b.dtype)
    let a = a.dtype == t ? a : a.contiguousValues(dtype: t)
    let b = b.dtype == t ? b : b.contiguousValues(dtype: t)
    switch t {
    case .float32: return zip(a, b, shape: shape, Float.self, to: t, Float.self, F.real)
    case .float64: return zip(a, b, shape: shape, Double.self, to: t, Double.self, F.real)
    case .complex64:
      precondition(F.supportsComplex, "\(F.name): complex inputs (complex64) are not supported")
      return zip(a, b, shape: shape, Complex<Float>.self, to: t, Complex<Float>.self, F.complex)
    case .complex128:
      precondition(F.supportsComplex, "\(F.name): complex inputs (complex128) are not supported")
      return zip(a, b, shape: shape, Complex<Double>.self, to: t, Complex<Double>.self, F.complex)
    case .int64, .bool:
      return zip(a, b, shape: shape, Int64.self, to: .int64, Int64.self) { F.integer($0, $1)! }
    }
  }

  /// Applies a ``ComparisonFunction`` with broadcasting and type promotion, giving `bool`.
  public static func compare<F: ComparisonFunction>(_: F.Type, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = Shape.broadcast(a.shape, b.shape, op: F.name)
    let t = DType.promoted(a.dtype, b.dtype)
    let a = a.dtype == t ? a : a.contiguousValues(dtype: t)
    let b = b.dtype == t ? b : b.contiguousValues(dtype: t)
    switch t {
    case .bool:
      return zip(a, b, shape: shape, Bool.self, to: .bool, Bool.self) { F.compare($0 ? 1 : 0, $1 ? 1 : 0) }
    case .int64: return zip(a, b, shape: shape, Int64.self, to: .bool, Bool.self, F.compare)
    case .float32: return zip(a, b, shape: shape, Float.self, to: .bool, Bool.self, F.compare)
    case .float64: return zip(a, b, shape: shape, Double.self, to: .bool, Bool.self, F.compare)
    case .complex64:
      precondition(F.allowsComplex, "\(F.name): complex numbers have no ordering")
      return zip(a, b, shape: shape, Complex<Float>.self, to: .bool, Bool.self) {
        F.compare(0, $0.rawStorage.x == $1.rawStorage.x && $0.rawStorage.y == $1.rawStorage.y ? 0 : 1)
      }
    case .complex128:
      precondition(F.allowsComplex, "\(F.name): complex numbers have no ordering")
      return zip(a, b, shape: shape, Complex<Double>.self, to: .bool, Bool.self) {
        F.compare(0, $0.rawStorage.x == $1.rawStorage.x && $0.rawStorage.y == $1.rawStorage.y ? 0 : 1)
      }
    }
  }
}

extension Tensor {
  /// Strides that read this tensor as if it had been expanded to `shape` (0 along broadcast dims).
  func broadcastStrides(to shape: [Int]) -> [Int] {
    let lead = shape.count - self.shape.count
    var out = [Int](repeating: 0, count: shape.count)
    for i in 0..<self.shape.count where self.shape[i] != 1 {
      out[lead + i] = strides[i]
    }
    return out
  }
}
