/// A contiguous copy. Derivative: the identity.
struct ContiguousOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  var name: String { "contiguous" }
  var sparsity: SparsityRule { .indexMap }
  func primal(_ x: Tensor) -> Tensor { x.isContiguous ? x : x.contiguousValues() }
  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor { dx }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { gy }
}

/// A fresh copy. Derivative: the identity.
struct CloneOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  var name: String { "clone" }
  var sparsity: SparsityRule { .indexMap }
  func primal(_ x: Tensor) -> Tensor { x.contiguousValues() }
  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor { dx }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { gy }
}

extension Tensor {
  /// This tensor laid out contiguously in row-major order: itself when it already is, else a
  /// copy, like `torch.Tensor.contiguous`.
  ///
  /// Derivative: the identity.
  public func contiguous() -> Tensor { isContiguous ? self : Tensor.apply(ContiguousOp(), self) }

  /// A contiguous copy with its own storage, always (like `torch.clone`).
  ///
  /// Derivative: the identity.
  public func contiguousCopy() -> Tensor { Tensor.apply(CloneOp(), self) }
}
