import ComplexModule
import RealModule

/// Reshaping: a view when the layout allows, otherwise a copy. Derivative: linear; the VJP
/// reshapes back.
struct ReshapeOp: LinearOp {
  let shape: [Int]
  var name: String { "reshape" }
  var sparsity: SparsityRule { .indexMap }

  func primal(_ x: Tensor) -> Tensor {
    if let v = x.reshapedView(shape) { return v }
    return x.contiguousValues().reshapedView(shape)!
  }

  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor {
    dx.reshaped(Array(dx.shape.prefix(dx.rank - inputShape.count)) + shape)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    gy.reshaped(Array(gy.shape.prefix(gy.rank - shape.count)) + inputShape)
  }

  var acceptsChunkedCotangents: Bool { true }
  var vjpReads: SavedValues { [] }
}

extension Tensor {
  /// The same elements with a new shape, like `torch.reshape`. One dimension may be `-1`, to
  /// be inferred. A view when the strides allow (always for contiguous tensors), else a copy.
  ///
  /// Derivative: linear; the VJP reshapes back.
  /// - Precondition: the shape holds the same number of elements.
  public func reshaped(_ shape: [Int]) -> Tensor {
    let shape = inferShape(shape, op: "reshape")
    if shape == self.shape { return self }
    return Tensor.apply(ReshapeOp(shape: shape), self)
  }

  /// Flattens dims `start...end` into one, like `torch.flatten`.
  public func flattened(from start: Int = 0, through end: Int = -1) -> Tensor {
    if rank == 0 { return reshaped([1]) }
    let s = Shape.normalize(start, rank: rank, op: "flatten"), e = Shape.normalize(end, rank: rank, op: "flatten")
    check(s <= e, "flatten: start dim \(start) comes after end dim \(end)")
    let merged = shape[s...e].reduce(1, *)
    return reshaped(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
  }

  /// Resolves a `-1` and checks the element count.
  func inferShape(_ shape: [Int], op: String) -> [Int] {
    let unknown = shape.indices.filter { shape[$0] == -1 }
    check(unknown.count <= 1, "\(op): only one dimension can be -1, got \(shape)")
    check(shape.allSatisfy { $0 >= -1 }, "\(op): invalid shape \(shape)")
    var s = shape
    if let u = unknown.first {
      let known = Shape.count(shape.enumerated().filter { $0.offset != u }.map(\.element), op: op)
      check(known != 0 && count % known == 0, "\(op): shape \(shape) is invalid for a tensor of \(count) elements (shape \(self.shape))")
      s[u] = count / known
    }
    check(Shape.count(s, op: op) == count, "\(op): shape \(shape) is invalid for a tensor of \(count) elements (shape \(self.shape))")
    return s
  }

  /// A view with the new shape when the strides allow one, like PyTorch's `computeStride`.
  func reshapedView(_ newShape: [Int]) -> Tensor? {
    // An empty tensor has no elements to lay out, so any strides will do.
    if isContiguous || count == 0 {
      return view(shape: newShape, strides: Shape.contiguousStrides(newShape), offset: offset)
    }
    // Split the old dims into chunks that are contiguous among themselves, and map the new
    // dims onto them.
    var newStrides = [Int](repeating: 0, count: newShape.count)
    let oldShape = shape.filter { $0 != 1 }
    let oldStrides = zip(shape, strides).filter { $0.0 != 1 }.map(\.1)
    var oi = 0, ni = 0
    while ni < newShape.count || oi < oldShape.count {
      // Skip size-1 new dims.
      if ni < newShape.count && newShape[ni] == 1 { newStrides[ni] = 1; ni += 1; continue }
      guard oi < oldShape.count, ni < newShape.count else { return nil }
      // Grow a chunk of old dims that is contiguous in itself.
      var chunkSize = oldShape[oi]
      var oj = oi
      while oj + 1 < oldShape.count && oldStrides[oj] == oldStrides[oj + 1] * oldShape[oj + 1] && chunkSizeNeedsMore(newShape, ni, chunkSize) {
        oj += 1
        chunkSize *= oldShape[oj]
      }
      // Consume new dims that multiply to the chunk.
      var acc = 1
      var nj = ni
      while nj < newShape.count && acc < chunkSize { acc *= newShape[nj]; nj += 1 }
      if acc != chunkSize { return nil }
      var s = oldStrides[oj]
      var k = nj - 1
      while k >= ni { newStrides[k] = s; s *= newShape[k]; k -= 1 }
      ni = nj
      oi = oj + 1
    }
    return view(shape: newShape, strides: newStrides, offset: offset)
  }
}

/// Whether the new dims from `ni` need a larger chunk than `size`.
private func chunkSizeNeedsMore(_ newShape: [Int], _ ni: Int, _ size: Int) -> Bool {
  var acc = 1
  var j = ni
  while j < newShape.count && acc < size { acc *= newShape[j]; j += 1 }
  return acc != size
}
