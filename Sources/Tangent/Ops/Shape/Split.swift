import ComplexModule
import RealModule

/// Splits a tensor into consecutive pieces along a dim, as views. Derivative: linear; the JVP
/// splits the tangent and the VJP concatenates the cotangents (zeros for missing ones).
struct SplitOp: DifferentiableOp {
  /// A non-negative dim.
  let dim: Int
  let sizes: [Int]
  var name: String { "split" }
  var sparsity: SparsityRule { .indexMap }

  /// Batching: the same split along the dim after the batch.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Tensor.apply(SplitOp(dim: dim + 1, sizes: sizes), inputs)
  }

  var starts: [Int] {
    var s = 0
    return sizes.map { n in defer { s += n }; return s }
  }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let x = inputs[0]
    let head = (0..<dim).map { SliceRegion.Item.range(start: 0, count: x.shape[$0], step: 1) }
    return zip(starts, sizes).map { s, n in
      SliceRegion(items: head + [.range(start: s, count: n, step: 1)], name: name).view(of: x, extra: 0)
    }
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let dx = tangents[0] else { return sizes.map { _ in nil } }
    let more = dx.rank - inputs[0].rank
    return zip(starts, sizes).map { s, n in dx.narrowed(dim: dim + more, start: s, length: n) }
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0], let like = cotangents.first(where: { $0 != nil }) ?? nil else { return [nil] }
    let parts = outputs.indices.map { i in cotangents[i] ?? Tensor.zeros(outputs[i].shape, dtype: like.dtype) }
    return [parts.count == 1 ? parts[0] : Tensor.cat(parts, dim: dim)]
  }
}

/// Splits a tensor into its slices along a dim, with the dim removed, as views. Derivative:
/// linear; the JVP selects from the tangent and the VJP stacks the cotangents.
struct UnbindOp: DifferentiableOp {
  /// A non-negative dim.
  let dim: Int
  var name: String { "unbind" }
  var sparsity: SparsityRule { .indexMap }

  /// Batching: the same unbind along the dim after the batch.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? {
    Tensor.apply(UnbindOp(dim: dim + 1), inputs)
  }

  func primal(_ inputs: [Tensor]) -> [Tensor] {
    let x = inputs[0]
    let head = (0..<dim).map { SliceRegion.Item.range(start: 0, count: x.shape[$0], step: 1) }
    return (0..<x.shape[dim]).map { SliceRegion(items: head + [.index($0)], name: name).view(of: x, extra: 0) }
  }

  func jvp(inputs: [Tensor], outputs: [Tensor], tangents: [Tensor?]) -> [Tensor?] {
    guard let dx = tangents[0] else { return outputs.map { _ in nil } }
    let more = dx.rank - inputs[0].rank
    return outputs.indices.map { dx.select(dim: dim + more, index: $0) }
  }

  func vjp(inputs: [Tensor], outputs: [Tensor], cotangents: [Tensor?], needed: [Bool]) -> [Tensor?] {
    guard needed[0], let like = cotangents.first(where: { $0 != nil }) ?? nil else { return [nil] }
    let parts = outputs.indices.map { i in cotangents[i] ?? Tensor.zeros(outputs[i].shape, dtype: like.dtype) }
    return [Tensor.stack(parts, dim: dim)]
  }
}

extension Tensor {
  /// Consecutive pieces of the given sizes along `dim`, like `torch.split(x, sizes, dim)`;
  /// views.
  ///
  /// - Precondition: the sizes are non-negative and add up to the size of `dim`.
  /// Derivative: linear; the VJP concatenates the cotangents.
  public func split(sizes: [Int], dim: Int = 0) -> [Tensor] {
    check(rank > 0, "split: cannot split a 0-d tensor")
    let d = Shape.normalize(dim, rank: rank, op: "split")
    check(sizes.allSatisfy { $0 >= 0 }, "split: negative size in \(sizes)")
    check(
      sizes.reduce(0, +) == shape[d],
      "split: sizes \(sizes) add up to \(sizes.reduce(0, +)), not to the size \(shape[d]) of dimension \(d) (shape \(shape))")
    return Tensor.apply(SplitOp(dim: d, sizes: sizes), [self])
  }

  /// Pieces of `size` elements along `dim` (the last may be smaller), like
  /// `torch.split(x, size, dim)`; views.
  ///
  /// - Precondition: `size > 0` (or the dim is empty).
  /// Derivative: linear; the VJP concatenates the cotangents.
  public func split(size: Int, dim: Int = 0) -> [Tensor] {
    check(rank > 0, "split: cannot split a 0-d tensor")
    let d = Shape.normalize(dim, rank: rank, op: "split")
    let n = shape[d]
    check(size > 0 || (size == 0 && n == 0), "split: size must be positive, got \(size)")
    if n == 0 { return [self] }
    let sizes = stride(from: 0, to: n, by: size).map { Swift.min(size, n - $0) }
    return split(sizes: sizes, dim: d)
  }

  /// `chunks` pieces of (nearly) equal size along `dim`, like `torch.chunk`: each has
  /// ⌈n / chunks⌉ elements except the last, so fewer pieces may come back. Views. An empty
  /// dim gives `chunks` empty pieces, as in PyTorch.
  ///
  /// - Precondition: `chunks > 0`.
  /// Derivative: linear; the VJP concatenates the cotangents.
  public func chunked(_ chunks: Int, dim: Int = 0) -> [Tensor] {
    check(chunks > 0, "chunk: the number of chunks must be positive, got \(chunks)")
    check(rank > 0, "chunk: cannot chunk a 0-d tensor")
    let d = Shape.normalize(dim, rank: rank, op: "chunk")
    let n = shape[d]
    if n == 0 { return split(sizes: [Int](repeating: 0, count: chunks), dim: d) }
    return split(size: (n + chunks - 1) / chunks, dim: d)
  }

  /// The slices along `dim`, with that dim removed, like `torch.unbind`; views.
  ///
  /// Derivative: linear; the VJP stacks the cotangents.
  public func unbind(dim: Int = 0) -> [Tensor] {
    check(rank > 0, "unbind: cannot unbind a 0-d tensor")
    let d = Shape.normalize(dim, rank: rank, op: "unbind")
    return Tensor.apply(UnbindOp(dim: d), [self])
  }
}

// MARK: Taylor rules

extension SplitOp {
  /// Linear: the JVP on each coefficient.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByLinearity(inputs: inputs, outputs: outputs, series: series)
  }
}

extension UnbindOp {
  /// Linear: the JVP on each coefficient.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByLinearity(inputs: inputs, outputs: outputs, series: series)
  }
}
