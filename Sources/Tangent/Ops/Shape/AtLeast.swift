extension Tensor {
  /// This tensor with at least one dim, like `torch.atleast_1d`: a 0-d tensor becomes `[1]`,
  /// others are returned unchanged. A view.
  ///
  /// Derivative: linear (a reshape); the VJP reshapes the cotangent back.
  public func atLeast1D() -> Tensor { atLeast(1) }

  /// This tensor with at least two dims, like `torch.atleast_2d`: a 0-d tensor becomes
  /// `[1, 1]` and a vector `[n]` becomes `[1, n]`. A view.
  ///
  /// Derivative: linear (a reshape); the VJP reshapes the cotangent back.
  public func atLeast2D() -> Tensor { atLeast(2) }

  /// This tensor with at least three dims, like `torch.atleast_3d`: a 0-d tensor becomes
  /// `[1, 1, 1]`, a vector `[n]` becomes `[1, n, 1]` and a matrix `[m, n]` becomes `[m, n, 1]`.
  /// A view.
  ///
  /// Derivative: linear (a reshape); the VJP reshapes the cotangent back.
  public func atLeast3D() -> Tensor { atLeast(3) }

  /// The tensors expanded to their common broadcast shape, like `torch.broadcast_tensors`.
  ///
  /// - Precondition: the shapes broadcast together.
  /// Derivative: linear; the VJP of each output sums over its broadcast dimensions.
  public static func broadcastTensors(_ tensors: [Tensor]) -> [Tensor] {
    guard let first = tensors.first else { return [] }
    let shape = tensors.dropFirst().reduce(first.shape) { Shape.broadcast($0, $1.shape, op: "broadcastTensors") }
    return tensors.map { $0.expanded(to: shape) }
  }

  /// This tensor reshaped to the shape of `other`, like `Tensor.reshape_as`/`view_as`: the
  /// same as `reshaped(other.shape)`. `other` only gives the shape.
  ///
  /// - Precondition: `other` has as many elements as this tensor.
  /// Derivative: linear (a reshape); the VJP reshapes the cotangent back.
  public func reshaped(as other: Tensor) -> Tensor { reshaped(other.shape) }
}
