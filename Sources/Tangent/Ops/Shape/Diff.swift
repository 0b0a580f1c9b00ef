import ComplexModule
import RealModule

extension Tensor {
  /// The `n`-th forward difference along `dim`, like `torch.diff`:
  /// `y[i] = x[i + 1] − x[i]`, applied `n` times; each pass shortens the dim by one (down to
  /// zero). `prepend` and `append` are joined to the tensor along `dim` first, unless `n` is 0:
  /// then the tensor is returned as it is, without them, as PyTorch does. Boolean tensors
  /// give `x[i + 1] != x[i]`, as in PyTorch.
  ///
  /// - Parameters:
  ///   - n: the number of differences, `n >= 0`.
  ///   - dim: the dimension (negative counts from the end).
  ///   - prepend: values placed before the tensor along `dim`, with its sizes in the other dims.
  ///   - append: values placed after it, likewise.
  /// - Precondition: the rank is at least 1, `n >= 0`, and `prepend`/`append` fit.
  /// Derivative: linear; the VJP is the adjoint difference (differences of the cotangent
  /// padded with zeros, negated).
  public func diff(n: Int = 1, dim: Int = -1, prepend: Tensor? = nil, append: Tensor? = nil) -> Tensor {
    check(rank >= 1, "diff: needs at least 1 dimension, got shape \(shape)")
    check(n >= 0, "diff: the order n must be non-negative, got \(n)")
    let d = Shape.normalize(dim, rank: rank, op: "diff")
    for (label, t) in [("prepend", prepend), ("append", append)] {
      guard let t else { continue }
      check(
        t.rank == rank,
        "diff: \(label) must have the input's rank, got shape \(t.shape) for input shape \(shape)")
    }
    // PyTorch returns the input for n = 0 before it joins prepend and append (OpInfo diff#22).
    if n == 0 { return self }
    let parts = [prepend, self, append].compactMap { $0 }
    var result = parts.count == 1 ? self : Tensor.cat(parts, dim: d)
    for _ in 0..<Swift.min(n, result.shape[d]) {
      let len = result.shape[d] - 1
      let later = result.narrowed(dim: d, start: 1, length: len), earlier = result.narrowed(dim: d, start: 0, length: len)
      result = result.dtype == .bool ? later.ne(earlier) : later - earlier
    }
    return result
  }
}
