extension Tensor {
  /// The row-major positions of an index tensor's values in a dim of size `n` (negative
  /// values count from the end).
  private static func flatPositions(_ index: Tensor, size n: Int, op: String) -> [Int64] {
    check(index.dtype == .int64, "\(op): indices must be int64, got \(index.dtype)")
    return index.scalars(as: Int64.self).map { v in
      check(v >= -Int64(n) && v < Int64(n), "\(op): index \(v) is out of range for \(n) elements")
      return v < 0 ? v + Int64(n) : v
    }
  }

  /// The row-major positions where a `bool` tensor is true.
  private static func truePositions(_ mask: Tensor) -> [Int64] {
    mask.converted(to: .int64).scalars(as: Int64.self).enumerated().compactMap { $0.element != 0 ? Int64($0.offset) : nil }
  }

  /// This tensor, flattened, with the elements at `positions` replaced by (or, accumulating,
  /// increased by) `values` (one per position), reshaped back.
  private func flatWrite(_ positions: [Int64], _ values: Tensor, accumulate: Bool) -> Tensor {
    let index = Tensor(shape: [positions.count], scalars: positions)
    let flat = reshaped([count])
    let v = values.reshaped([positions.count])
    return (accumulate ? flat.indexAdd(dim: 0, index: index, source: v) : flat.indexCopy(dim: 0, index: index, source: v)).reshaped(shape)
  }

  /// This tensor with `source`'s first elements, in order, written where `mask` is true, like
  /// `torch.masked_scatter` (out of place). This tensor and the mask broadcast together, as in
  /// PyTorch: the result has their broadcast shape.
  ///
  /// - Precondition: `mask` is `bool`, its shape broadcasts with this tensor's, and `source`
  ///   has at least as many elements as the broadcast mask has true elements.
  /// Derivative: linear in both (composed of `indexCopy`); the VJP gives this tensor the
  /// cotangent where the mask is false (summed over broadcast dims), and `source`'s leading
  /// elements the cotangent where it is true.
  public func maskedScatter(_ mask: Tensor, source: Tensor) -> Tensor {
    check(mask.dtype == .bool, "maskedScatter: the mask must be a bool tensor, got \(mask.dtype)")
    let shape = Shape.broadcast(self.shape, mask.shape, op: "maskedScatter")
    let base = shape == self.shape ? self : expanded(to: shape)
    let positions = Tensor.truePositions(mask.expanded(to: shape))
    check(
      source.count >= positions.count,
      "maskedScatter: source of shape \(source.shape) has fewer than the \(positions.count) elements the mask selects")
    return base.flatWrite(positions, source.reshaped([source.count]).narrowed(dim: 0, start: 0, length: positions.count), accumulate: false)
  }

  /// This tensor with `source`'s elements written at the row-major positions `index`, like
  /// `torch.put` (out of place); with `accumulate`, they are added instead.
  ///
  /// - Precondition: `index` is `int64` with as many elements as `source`, in range (negative
  ///   counts from the end).
  /// Derivative: linear in both (composed of `indexCopy` or `indexAdd`); the VJP gives
  /// `source` the cotangent at `index`, and this tensor the cotangent (zeroed at `index`
  /// unless accumulating).
  public func put(_ index: Tensor, source: Tensor, accumulate: Bool = false) -> Tensor {
    check(index.count == source.count, "put: \(index.count) indices but \(source.count) source elements")
    return flatWrite(Tensor.flatPositions(index, size: count, op: "put"), source, accumulate: accumulate)
  }

  /// This tensor with `values` written at the elements that the index tensors pick from its
  /// leading dims, like `torch.index_put` (`x[indices] = values`, out of place); with
  /// `accumulate`, they are added instead.
  ///
  /// Each index is an `int64` tensor (the index tensors broadcast together to a shape `B`), or
  /// a `bool` tensor, which stands for the positions of its true elements over as many dims as
  /// it has. `values` broadcasts to `B` plus the dims not indexed.
  /// - Precondition: the indices are in range and the shapes fit.
  /// Derivative: linear in both (composed of `indexCopy` or `indexAdd` on the flattened
  /// leading dims); the VJP gives `values` the cotangent at the picked elements (summed over
  /// broadcasting), and this tensor the cotangent (zeroed there unless accumulating).
  public func indexPut(_ indices: [Tensor], values: Tensor, accumulate: Bool = false) -> Tensor {
    // Bool masks become one int64 tensor per dim they cover.
    var ints: [Tensor] = []
    for index in indices {
      if index.dtype == .bool {
        let positions = Tensor.truePositions(index)
        var strides = [Int](repeating: 1, count: index.rank)
        for d in stride(from: index.rank - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * index.shape[d + 1] }
        for d in 0..<index.rank {
          ints.append(Tensor(shape: [positions.count], scalars: positions.map { ($0 / Int64(strides[d])) % Int64(index.shape[d]) }))
        }
      } else {
        ints.append(index)
      }
    }
    let k = ints.count
    check(k >= 1 && k <= rank, "indexPut: \(k) index dims for a tensor of shape \(shape)")
    let lead = Array(shape.prefix(k)), rest = Array(shape.dropFirst(k))
    let b = ints.dropFirst().reduce(ints[0].shape) { Shape.broadcast($0, $1.shape, op: "indexPut") }
    let n = Shape.count(b)
    var linear = [Int64](repeating: 0, count: n)
    for (d, index) in ints.enumerated() {
      let values = Tensor.flatPositions(index.expanded(to: b), size: lead[d], op: "indexPut")
      for i in 0..<n { linear[i] = linear[i] * Int64(lead[d]) + values[i] }
    }
    let flat = reshaped([Shape.count(lead)] + rest)
    let v = values.converted(to: dtype).expanded(to: b + rest).reshaped([n] + rest)
    let index = Tensor(shape: [n], scalars: linear)
    let out = accumulate ? flat.indexAdd(dim: 0, index: index, source: v) : flat.indexCopy(dim: 0, index: index, source: v)
    return out.reshaped(shape)
  }

  /// The strided view of this tensor's elements (in row-major order, as if contiguous) with
  /// the given sizes, strides and offset, like `torch.as_strided` on a contiguous tensor.
  /// A copy; elements may repeat.
  ///
  /// - Precondition: `size` and `stride` have the same length, strides are non-negative, and
  ///   every position is within the tensor.
  /// Derivative: linear (a `take`); the VJP adds the cotangent back at each position.
  public func asStrided(size: [Int], stride: [Int], storageOffset: Int = 0) -> Tensor {
    reshaped([count]).take(stridedPositions(size: size, stride: stride, offset: storageOffset, op: "asStrided"))
  }

  /// This tensor with the strided view ``asStrided(size:stride:storageOffset:)`` picks
  /// replaced by `source`, like `torch.as_strided_scatter` (out of place).
  ///
  /// - Precondition: as for `asStrided`, and `source` has shape `size`.
  /// Derivative: linear in both; the VJP gives `source` the cotangent at the positions and
  /// this tensor the cotangent zeroed there.
  public func asStridedScatter(_ source: Tensor, size: [Int], stride: [Int], storageOffset: Int = 0) -> Tensor {
    check(source.shape == size, "asStridedScatter: source of shape \(source.shape) does not match size \(size)")
    let positions = stridedPositions(size: size, stride: stride, offset: storageOffset, op: "asStridedScatter")
    return flatWrite(positions.scalars(as: Int64.self), source, accumulate: false)
  }

  /// The row-major positions a strided view picks, as an `int64` tensor of shape `size`.
  private func stridedPositions(size: [Int], stride: [Int], offset: Int, op: String) -> Tensor {
    check(size.count == stride.count, "\(op): \(size.count) sizes but \(stride.count) strides")
    check(stride.allSatisfy { $0 >= 0 } && size.allSatisfy { $0 >= 0 } && offset >= 0, "\(op): negative size, stride or offset")
    // The farthest element the view reaches, in checked arithmetic, before any position is made.
    if Shape.count(size, op: op) > 0 {
      var reach = offset
      for (s, st) in zip(size, stride) {
        let (step, o1) = (s - 1).multipliedReportingOverflow(by: st)
        let (r, o2) = reach.addingReportingOverflow(step)
        check(!o1 && !o2, "\(op): size \(size), stride \(stride) and offset \(offset) reach past Int")
        reach = r
      }
      check(
        reach < count,
        "\(op): size \(size), stride \(stride) and offset \(offset) reach element \(reach), past the \(count) elements of shape \(shape)")
    }
    var positions: [Int64] = [Int64(offset)]
    for (s, st) in zip(size, stride) {
      positions = positions.flatMap { p in (0..<s).map { p + Int64($0 * st) } }
    }
    check(positions.allSatisfy { $0 < Int64(count) }, "\(op): the view reaches past the \(count) elements of shape \(shape)")
    return Tensor(shape: size, scalars: positions)
  }
}
