extension Tensor {
  /// The most frequent value along `dim` and a position of it, like `torch.mode`: among
  /// equally frequent values the smallest wins, and the index is its last position in the
  /// slice. Real tensors.
  ///
  /// - Precondition: real dtype and a non-empty `dim`.
  /// Derivative: the values are gathered at the indices, so the cotangent goes to the chosen
  /// element (as in PyTorch); the indices have none.
  public func mode(dim: Int = -1, keepdim: Bool = false) -> (values: Tensor, indices: Tensor) {
    check(!dtype.isComplex, "mode: expected a real tensor, got \(dtype)")
    if rank == 0 { return (self, Tensor(Int64(0))) }
    let d = Shape.normalize(dim, rank: rank, op: "mode")
    let n = shape[d]
    check(n > 0, "mode: dimension \(d) of shape \(shape) is empty")
    let moved = detached.movedim(d, to: -1)
    // Under vmap, every member's lines (the batch dims in front).
    let every = moved.valuesOfEveryMember
    let values = every.doubles
    var picked: [Int64] = []
    picked.reserveCapacity(values.count / n)
    for start in stride(from: 0, to: values.count, by: n) {
      let slice = values[start..<start + n]
      var counts: [Double: Int] = [:]
      for v in slice { counts[v, default: 0] += 1 }
      let best = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
      picked.append(Int64(slice.lastIndex(of: best)! - start))
    }
    var kept = shape
    kept[d] = 1
    let index = moved.rebatching(Tensor(shape: Array(every.shape.dropLast()), scalars: picked))
      .unsqueezed(dim: -1).movedim(-1, to: d).contiguous()
    let gathered = gather(dim: d, index: index)
    return keepdim ? (gathered, index) : (gathered.squeezed(dim: d), index.squeezed(dim: d))
  }
}
