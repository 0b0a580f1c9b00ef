import ComplexModule
import RealModule

/// Rotates the elements along some dims: `y[i + shift mod n] = x[i]` (a copy, as in PyTorch).
/// Derivative: linear; the adjoint rolls back by the opposite shifts.
struct RollOp: LinearOp {
  /// The adjoint keeps leading dims, so a chunk of cotangents goes through at once.
  var acceptsChunkedCotangents: Bool { true }
  /// Shifts in `1..<n` for the size `n` of their dim.
  let shifts: [Int]
  /// Non-negative dims of the op's input; a dim may repeat.
  let dims: [Int]
  var name: String { "roll" }
  var sparsity: SparsityRule { .indexMap }

  func primal(_ x: Tensor) -> Tensor {
    let y = rolled(x)
    ReplayRecorder.noteWindow(ReplayWindow(rolling: x.shape, shifts: shifts, dims: dims, dtype: x.dtype), x, y)
    return y
  }

  private func rolled(_ x: Tensor) -> Tensor {
    if let y = Self.rolledByRows(x, shifts: shifts, dims: dims) { return y }
    var current = x
    for (s, d) in zip(shifts, dims) {
      let n = current.shape[d]
      let out = Tensor(uninitializedShape: current.shape, dtype: current.dtype)
      Self.narrow(out, dim: d, start: s, length: n - s).writeValues(from: Self.narrow(current, dim: d, start: 0, length: n - s))
      Self.narrow(out, dim: d, start: 0, length: s).writeValues(from: Self.narrow(current, dim: d, start: n - s, length: s))
      current = out
    }
    return current
  }

  /// `x` narrowed along `dim`, with no autodiff state.
  /// The roll by typed copy loops, one row of the rolled dim at a time, for a tensor whose
  /// dims from the rolled one on are contiguous (the dims before it may have any strides: a
  /// chunked tangent's slice). `y[o, (j + s) mod n, i] = x[o, j, i]` is two block copies per
  /// row. Rolling the last dim of a chunked tangent (`[K, 1, 32, 32]` in the Brusselator's
  /// Laplacian) copies blocks of 31 and 1 elements; through strided views and `memmove` that
  /// cost a call per block, here a short loop. `nil` when the layout does not fit or for
  /// element sizes without a loop (the strided path handles them).
  static func rolledByRows(_ x: Tensor, shifts: [Int], dims: [Int]) -> Tensor? {
    let size = x.dtype.byteCount
    guard [1, 2, 4, 8, 16].contains(size) else { return nil }
    var current = x
    for (s, d) in zip(shifts, dims) {
      let shape = current.shape, strides = current.strides
      // The dims from d on must be contiguous.
      var expected = 1
      for k in stride(from: shape.count - 1, through: d, by: -1) where shape[k] != 1 {
        guard strides[k] == expected else { return nil }
        expected *= shape[k]
      }
      let n = shape[d], inner = shape[(d + 1)...].reduce(1, *)
      // Where each row starts in the input (elements from its first), over the dims before d.
      let starts = StridedRows.offsets(shape: Array(shape[..<d]), Array(strides[..<d]))
      let out = Tensor(uninitializedShape: shape, dtype: current.dtype)
      switch size {
      case 1: rollRows(current, out, UInt8.self, starts: starts, n: n, inner: inner, shift: s)
      case 2: rollRows(current, out, UInt16.self, starts: starts, n: n, inner: inner, shift: s)
      case 4: rollRows(current, out, UInt32.self, starts: starts, n: n, inner: inner, shift: s)
      case 8: rollRows(current, out, UInt64.self, starts: starts, n: n, inner: inner, shift: s)
      default: rollRows(current, out, SIMD2<UInt64>.self, starts: starts, n: n, inner: inner, shift: s)
      }
      current = out
    }
    return current
  }

  /// Rows of `n · inner` elements starting at `starts` in `src`, written one after another to
  /// `dst`: each row's last `shift · inner` elements move to its front, the others after them.
  ///
  /// Rows that follow each other in `src` form a run, copied with one shifted block copy
  /// (each row's first `shift · inner` elements then hold the previous row's tail) and fixed
  /// up row by row: two short copies per row (31 and 1 elements for a 32-wide last dim) cost
  /// more than one long one.
  @inline(__always)
  private static func rollRows<T>(
    _ src: Tensor, _ dst: Tensor, _: T.Type, starts: [Int], n: Int, inner: Int, shift: Int
  ) {
    // Elements of the dtype's size, moved as bits (the offset counts elements).
    let a = UnsafePointer(src.pointer(as: T.self)), b = dst.pointer(as: T.self)
    let row = n * inner, head = (n - shift) * inner, tail = shift * inner
    var o = 0
    while o < starts.count {
      var end = o + 1
      while end < starts.count && starts[end] == starts[end - 1] + row { end += 1 }
      let x = a + starts[o], y = b + o * row
      (y + tail).update(from: x, count: (end - o) * row - tail)
      for r in 0..<(end - o) {
        let fixed = y + r * row, wrapped = x + r * row + head
        for k in 0..<tail { fixed[k] = wrapped[k] }
      }
      o = end
    }
  }

  static func narrow(_ x: Tensor, dim: Int, start: Int, length: Int) -> Tensor {
    var shape = x.shape
    shape[dim] = length
    return x.view(shape: shape, strides: x.strides, offset: x.offset + (length > 0 ? start * x.strides[dim] : 0))
  }

  func applyLinear(_ dx: Tensor, inputShape: [Int]) -> Tensor {
    let more = dx.rank - inputShape.count
    return Tensor.apply(RollOp(shifts: shifts, dims: dims.map { $0 + more }), dx)
  }

  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    let more = gy.rank - inputShape.count
    let back = zip(shifts, dims).map { s, d in inputShape[d] - s }
    return Tensor.apply(RollOp(shifts: back.reversed(), dims: dims.reversed().map { $0 + more }), gy)
  }
}

extension Tensor {
  /// The elements rotated by `shifts[i]` places along `dims[i]`, like `torch.roll`: elements
  /// pushed past the end come back at the start. With no dims, the tensor is rolled as if
  /// flattened, and keeps its shape. A copy.
  ///
  /// ```swift
  /// Tensor([1.0, 2, 3, 4]).roll(1)  // [4, 1, 2, 3]
  /// ```
  /// - Parameters:
  ///   - shifts: the shifts (negative rolls towards the start).
  ///   - dims: the dims (negative counts from the end), as many as the shifts; a dim may
  ///     repeat. Empty: a single shift of the flattened tensor.
  /// - Precondition: `shifts` and `dims` have one length (one shift when `dims` is empty).
  /// Derivative: linear; the VJP rolls the cotangent back.
  public func roll(_ shifts: [Int], dims: [Int] = []) -> Tensor {
    if dims.isEmpty {
      check(shifts.count == 1, "roll: without dims, expected one shift, got \(shifts)")
      if rank == 1 { return roll(shifts, dims: [0]) }
      return reshaped([count]).roll(shifts, dims: [0]).reshaped(shape)
    }
    check(
      shifts.count == dims.count, "roll: shifts \(shifts) and dims \(dims) have different lengths")
    var s: [Int] = [], d: [Int] = []
    for (shift, dim) in zip(shifts, dims) {
      let k = Shape.normalize(dim, rank: rank, op: "roll")
      let n = shape[k]
      guard n > 0 else { continue }
      let r = ((shift % n) + n) % n
      if r != 0 { s.append(r); d.append(k) }
    }
    if s.isEmpty { return self }
    return Tensor.apply(RollOp(shifts: s, dims: d), self)
  }

  /// The elements rotated by `shift` places along `dim`, or along the flattened tensor
  /// (keeping the shape) when `dim` is `nil`, like `torch.roll(x, shift, dim)`. A copy. See
  /// ``roll(_:dims:)``.
  ///
  /// - Precondition: `dim` is in range (negative counts from the end).
  /// Derivative: linear; the VJP rolls the cotangent back.
  public func roll(_ shift: Int, dim: Int? = nil) -> Tensor {
    roll([shift], dims: dim.map { [$0] } ?? [])
  }
}
