import ComplexModule
import RealModule

extension Tensor {
  /// The Kronecker product with `other`, like `torch.kron`: for tensors of one rank (the
  /// smaller is padded with leading 1s), `y[i·s + j] = self[i] · other[j]` in every dim, where
  /// `s` is `other`'s shape; the result has shape `shape[d] · other.shape[d]`. Dtypes are
  /// promoted.
  ///
  /// Derivative: bilinear; the JVP is `kron(dA, B) + kron(A, dB)`, the VJP sums the
  /// cotangent against the other factor (conjugated).
  public func kron(_ other: Tensor) -> Tensor {
    let r = Swift.max(rank, other.rank)
    let a = Array(repeating: 1, count: r - rank) + shape
    let b = Array(repeating: 1, count: r - other.rank) + other.shape
    let left = reshaped(a.flatMap { [$0, 1] }), right = other.reshaped(b.flatMap { [1, $0] })
    return (left * right).reshaped(zip(a, b).map { $0 * $1 })
  }
}
