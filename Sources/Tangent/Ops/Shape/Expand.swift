import ComplexModule
import RealModule

/// Broadcasting views and their adjoint, the sum back to a shape.
struct ExpandOp: LinearOp {
  let shape: [Int]
  var name: String { "expand" }
  var sparsity: SparsityRule { .indexMap }

  func primal(_ x: Tensor) -> Tensor { x.expandedView(to: shape, op: name) }

  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor {
    // A chunked tangent gets the new dims after its chunk dim (`lift`), so that the chunk does
    // not broadcast against the output's dims (`[K, 1]` for `[1]` → `[3, 2]` is `[K, 1, 1]`).
    let prefix = Array(dx.shape.prefix(dx.rank - inputShape.count))
    return lift(dx, primalRank: inputShape.count, outputRank: shape.count).expanded(to: prefix + shape)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { gy.summed(toShape: inputShape) }
}

/// Sums a tensor down to a shape it broadcasts to (the adjoint of ``ExpandOp``), keeping
/// `leading` chunk dimensions in front: the one sum-to-shape of the engine, behind
/// ``Tensor/summed(toShape:)`` and the chunk-aware ``summed(_:toInputShape:outputRank:)``.
struct SumToShapeOp: LinearOp {
  let shape: [Int]
  var leading = 0
  var name: String { "sumToShape" }
  var sparsity: SparsityRule { .adjointIndexMap }

  func primal(_ x: Tensor) -> Tensor { Reductions.sumToShape(x, shape, keepingLeading: leading) }

  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor {
    let extra = dx.rank - inputShape.count
    return Tensor.apply(SumToShapeOp(shape: shape, leading: leading + extra), dx)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    if leading == 0 { return gy.expanded(to: inputShape) }
    let lead = Array(inputShape.prefix(leading))
    let expandedShape = lead + Array(repeating: 1, count: inputShape.count - leading - shape.count) + shape
    return gy.reshaped(expandedShape).expanded(to: inputShape)
  }
}

extension Tensor {
  /// A view of this tensor broadcast to `shape`, like `torch.expand`. Copies nothing.
  ///
  /// Derivative: linear; the VJP sums over the broadcast dimensions.
  /// - Precondition: the shape is a broadcast of this tensor's shape.
  public func expanded(to shape: [Int]) -> Tensor {
    if shape == self.shape { return self }
    return Tensor.apply(ExpandOp(shape: shape), self)
  }

  /// The same as ``expanded(to:)``, named as in `torch.broadcast_to`.
  public func broadcast(to shape: [Int]) -> Tensor { expanded(to: shape) }

  /// Sums this tensor down to `shape`, which must broadcast to this tensor's shape: the
  /// adjoint of broadcasting.
  ///
  /// Derivative: linear; the VJP broadcasts back.
  public func summed(toShape shape: [Int]) -> Tensor {
    if shape == self.shape { return self }
    return Tensor.apply(SumToShapeOp(shape: shape), self)
  }

  /// The broadcast view with no autodiff state.
  func expandedView(to shape: [Int], op: String) -> Tensor {
    check(
      shape.count >= rank && Shape.broadcast(self.shape, shape) == shape,
      "\(op): shape \(self.shape) cannot be expanded to \(shape)")
    _ = Shape.count(shape, op: op)
    return view(shape: shape, strides: broadcastStrides(to: shape), offset: offset)
  }
}
