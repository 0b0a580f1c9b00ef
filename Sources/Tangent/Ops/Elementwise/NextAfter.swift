extension Tensor {
  /// The next representable value after each element in the direction of `other`, with
  /// broadcasting, like `torch.nextafter`. Real `float64` or `float32` tensors of one dtype.
  ///
  /// - Precondition: both tensors have the same real floating dtype.
  /// Derivative: none (PyTorch's derivatives.yaml marks both inputs not implemented); the
  /// result is detached.
  public func nextAfter(_ other: Tensor) -> Tensor {
    check(dtype == other.dtype && (dtype == .float64 || dtype == .float32),
      "nextAfter: expected two float64 or two float32 tensors, got \(dtype) and \(other.dtype)")
    let shape = Shape.broadcast(self.shape, other.shape, op: "nextAfter")
    let a = detached.expanded(to: shape), b = other.detached.expanded(to: shape)
    func step<T: BinaryFloatingPoint>(_ x: T, _ y: T) -> T { x == y || x.isNaN || y.isNaN ? (x.isNaN ? x : y) : (y > x ? x.nextUp : x.nextDown) }
    if dtype == .float32 {
      return Tensor(shape: shape, scalars: zip(a.scalars(as: Float.self), b.scalars(as: Float.self)).map(step))
    }
    return Tensor(shape: shape, scalars: zip(a.scalars(as: Double.self), b.scalars(as: Double.self)).map(step))
  }
}
