import ComplexModule
import RealModule

/// Concatenation along a dim. Derivative: linear; the JVP concatenates the tangents (zeros for
/// inputs without one) and the VJP hands each input its slice of the cotangent.
struct ConcatenateOp: DifferentiableOp {
  /// A non-negative dim of the inputs.
  let dim: Int
  var name: String { "cat" }
  var sparsity: SparsityRule { .indexMap }

  /// Batching: every input with the batch in front (unbatched ones expanded), joined along
  /// the dim after it.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Batching.leadingDim(ConcatenateOp(dim: dim + 1), inputs, isBatched: isBatched, batchSize: batchSize)
  }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let dtype = inputs.dropFirst().reduce(inputs[0].dtype) { DType.promoted($0, $1.dtype) }
    var shape = inputs[0].shape
    shape[dim] = inputs.reduce(0) { $0 + $1.shape[dim] }
    let out = Tensor(uninitializedShape: shape, dtype: dtype)
    var start = 0
    for x in inputs {
      let n = x.shape[dim]
      narrowView(out, start: start, length: n, extra: 0).writeValues(from: x)
      start += n
    }
    return [out]
  }

  /// `x` narrowed along `dim` (after `extra` leading dims), with no autodiff state.
  func narrowView(_ x: Tensor, start: Int, length: Int, extra: Int) -> Tensor {
    let items = (0..<(dim + extra)).map { SliceRegion.Item.range(start: 0, count: x.shape[$0], step: 1) }
      + [.range(start: start, count: length, step: 1)]
    return SliceRegion(items: items, name: name).view(of: x, extra: 0)
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let k = tangents.firstIndex(where: { $0 != nil }), let like = tangents[k] else { return [nil] }
    let more = like.rank - inputs[k].rank
    let prefix = Array(like.shape.prefix(more))
    let parts = zip(inputs, tangents).map { x, t in t ?? Tensor.zeros(prefix + x.shape, dtype: like.dtype) }
    return [Tensor.cat(parts, dim: dim + more)]
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard let gy = cotangents[0] else { return inputs.map { _ in nil } }
    var start = 0
    return inputs.indices.map { i in
      let n = inputs[i].shape[dim]
      defer { start += n }
      return needed[i] ? gy.narrowed(dim: dim, start: start, length: n) : nil
    }
  }
}

extension Tensor {
  /// The tensors joined along an existing dim, like `torch.cat`. Dtypes are promoted.
  ///
  /// As in PyTorch, 1-d empty tensors (shape `[0]`) are skipped, so they can start an
  /// accumulation.
  /// - Precondition: the list is not empty, and the tensors have one rank and the same sizes
  ///   outside `dim` (negative counts from the end).
  /// Derivative: linear; the VJP slices the cotangent back into the inputs' parts.
  public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
    check(!tensors.isEmpty, "cat: expected a non-empty list of tensors")
    var parts = tensors.filter { $0.shape != [0] }
    if parts.isEmpty { parts = [tensors[0]] }
    let first = parts[0]
    check(first.rank > 0, "cat: zero-dimensional tensors cannot be concatenated (tensor shape [])")
    let d = Shape.normalize(dim, rank: first.rank, op: "cat")
    for (i, t) in parts.enumerated().dropFirst() {
      check(t.rank == first.rank, "cat: tensors must have the same rank, got shapes \(first.shape) and \(t.shape) (tensor \(i))")
      for j in 0..<first.rank where j != d && t.shape[j] != first.shape[j] {
        misuse(
          "cat: sizes must match except in dimension \(d), got shapes \(first.shape) and \(t.shape) (tensor \(i), dimension \(j))")
      }
    }
    if parts.count == 1 { return first }
    return apply(ConcatenateOp(dim: d), parts)[0]
  }

  /// The tensors joined along a new dim, like `torch.stack`.
  ///
  /// - Precondition: the list is not empty and the tensors have one shape; `dim` is in
  ///   `-(rank + 1)...rank`.
  /// Derivative: linear; the VJP unbinds the cotangent.
  public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
    check(!tensors.isEmpty, "stack: expected a non-empty list of tensors")
    let shape = tensors[0].shape
    for (i, t) in tensors.enumerated() where t.shape != shape {
      misuse("stack: tensors must have the same shape, got \(shape) (tensor 0) and \(t.shape) (tensor \(i))")
    }
    let d = Shape.normalize(dim, rank: shape.count + 1, op: "stack")
    let parts = tensors.map { $0.unsqueezed(dim: d) }
    if parts.count == 1 { return parts[0] }
    return apply(ConcatenateOp(dim: d), parts)[0]
  }
}

// MARK: Taylor rule

extension ConcatenateOp {
  /// Linear: the JVP on each coefficient.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByLinearity(inputs: inputs, outputs: outputs, series: series)
  }
}
