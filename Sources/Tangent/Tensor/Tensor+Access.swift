import ComplexModule
import RealModule

extension Tensor {
  /// The elements in row-major order, as Swift values of type `T`.
  ///
  /// - Precondition: `T` is the Swift type of this tensor's dtype.
  public func scalars<T: TensorScalar>(as _: T.Type = T.self) -> [T] {
    check(T.dtype == dtype, "scalars(as:): the tensor holds \(dtype), not \(T.dtype)")
    checkNotBatched("scalars(as:)")
    let c = isContiguous ? self : contiguousValues()
    return Array(UnsafeBufferPointer(start: c.pointer(as: T.self), count: count))
  }

  /// The elements converted to `Double` (real part for complex tensors), in row-major order.
  public var doubles: [Double] {
    checkNotBatched("doubles")
    let c = contiguousValues(dtype: dtype.isComplex ? .complex128 : .float64)
    if dtype.isComplex {
      return UnsafeBufferPointer(start: c.pointer(as: Double.self), count: count * 2).enumerated()
        .filter { $0.offset % 2 == 0 }.map(\.element)
    }
    return Array(UnsafeBufferPointer(start: c.pointer(as: Double.self), count: count))
  }

  /// The elements converted to `Complex<Double>` (imaginary part zero for real dtypes), in
  /// row-major order.
  public var complexDoubles: [Complex<Double>] {
    checkNotBatched("complexDoubles")
    let c = contiguousValues(dtype: .complex128)
    return Array(UnsafeBufferPointer(start: c.pointer(as: Complex<Double>.self), count: count))
  }

  /// The value of a single-element tensor.
  ///
  /// - Precondition: the tensor has exactly one element and `T` matches the dtype.
  public func item<T: TensorScalar>(as _: T.Type = T.self) -> T {
    check(count == 1, "item: the tensor has \(count) elements (shape \(shape)); item needs exactly one")
    check(T.dtype == dtype, "item: the tensor holds \(dtype), not \(T.dtype)")
    checkNotBatched("item")
    return pointer(as: T.self)[0]
  }

  /// The value of a single-element real tensor as a `Double`.
  public var scalar: Double {
    check(count == 1, "scalar: the tensor has \(count) elements (shape \(shape)); scalar needs exactly one")
    return doubles[0]
  }

  /// Stops when this tensor is batched by vmap: its values differ across the batch, so a
  /// function being mapped cannot read them (as in PyTorch's vmap, which rejects `.item()`).
  func checkNotBatched(_ op: String) {
    if let r = ReplayRecorder.active { r.noteRead(self, op: op) }
    guard let b = autodiff?.batch else { return }
    if let log = Batching.ValueReadLog.current {
      log.note(op)
      return
    }
    misuse("\(op): cannot read the values of a tensor batched by vmap (logical shape \(shape), batch of \(b.value.shape.first ?? 0)): they differ across the batch; compute with tensor ops instead")
  }

  /// The element at a multi-index, as a (real, imaginary) pair of `Double`s.
  func element(at index: [Int]) -> (Double, Double) {
    if let r = ReplayRecorder.active { r.noteRead(self, op: "element(at:)") }
    var o = offset
    for (i, s) in zip(index, strides) { o += i * s }
    return dtype.visit(ReadVisitor(storage: storage, offset: o))
  }
}

/// Reads one element as a pair of doubles.
struct ReadVisitor: ScalarVisitor {
  let storage: Storage
  let offset: Int
  func visit<T: TensorScalar>(_: T.Type) -> (Double, Double) { storage.pointer(as: T.self)[offset].doublePair }
}
