extension Tensor {
  /// The next representable value after each element in the direction of `other`, with
  /// broadcasting, like `torch.nextafter`. Real `float64` or `float32` tensors of one dtype.
  ///
  /// Derivative: none, as in PyTorch (its derivatives.yaml marks both inputs not
  /// implemented): a dual input stops with a message, and so does a backward pass that
  /// reaches the op (see `NextAfterOp`).
  /// - Precondition: both tensors have the same real floating dtype.
  public func nextAfter(_ other: Tensor) -> Tensor {
    check(dtype == other.dtype && (dtype == .float64 || dtype == .float32),
      "nextAfter: expected two float64 or two float32 tensors, got \(dtype) and \(other.dtype)")
    return Tensor.apply(NextAfterOp(), self, other)
  }
}

/// `nextafter(a, b)`: no derivative in either mode, declared in ``unsupportedModes`` so the
/// engine stops where PyTorch raises.
struct NextAfterOp: BinaryOp {
  var name: String { "nextAfter" }
  var sparsity: SparsityRule { .elementwise(.nonlinear) }

  var unsupportedModes: [DerivativeMode: String] {
    let reason = "PyTorch does not implement it either; detach the inputs to use the values"
    return [.forward: reason, .reverse: reason]
  }

  func jvp(a: Tensor, b: Tensor, y: Tensor, da: Tensor?, db: Tensor?) -> Tensor? {
    unsupportedDerivative(name, .forward, reason: unsupportedModes[.forward]!)
  }

  func vjp(a: Tensor, b: Tensor, y: Tensor, gy: Tensor, needA: Bool, needB: Bool) -> (Tensor?, Tensor?) {
    unsupportedDerivative(name, .reverse, reason: unsupportedModes[.reverse]!)
  }

  func primal(_ lhs: Tensor, _ rhs: Tensor) -> Tensor {
    let dtype = lhs.dtype
    let shape = Shape.broadcast(lhs.shape, rhs.shape, op: "nextAfter")
    let a = lhs.expanded(to: shape), b = rhs.expanded(to: shape)
    func step<T: BinaryFloatingPoint>(_ x: T, _ y: T) -> T { x == y || x.isNaN || y.isNaN ? (x.isNaN ? x : y) : (y > x ? x.nextUp : x.nextDown) }
    if dtype == .float32 {
      return Tensor(shape: shape, scalars: zip(a.scalars(as: Float.self), b.scalars(as: Float.self)).map(step))
    }
    return Tensor(shape: shape, scalars: zip(a.scalars(as: Double.self), b.scalars(as: Double.self)).map(step))
  }
}
