import ComplexModule
import RealModule

/// Basic indexing as a region: per input dim a strided range or a single index, with new
/// size-1 axes in between. The dims after the last item are kept whole.
struct SliceRegion: ViewRegion {
  /// One step of basic indexing, in non-negative, checked positions.
  enum Item: Equatable {
    /// `count` elements from `start`, `step` apart (step > 0); consumes one dim.
    case range(start: Int, count: Int, step: Int)
    /// One element; consumes (removes) one dim.
    case index(Int)
    /// A new dim of size 1; consumes none.
    case newAxis
  }

  let items: [Item]
  let name: String

  var rankChange: Int {
    items.reduce(0) { r, item in
      switch item {
      case .range: r
      case .index: r - 1
      case .newAxis: r + 1
      }
    }
  }

  func view(of x: Tensor, extra: Int) -> Tensor {
    var shape = Array(x.shape.prefix(extra))
    var strides = Array(x.strides.prefix(extra))
    var offset = x.offset
    var d = extra
    for item in items {
      switch item {
      case let .range(start, count, step):
        if count > 0 { offset += start * x.strides[d] }
        shape.append(count)
        strides.append(x.strides[d] * step)
        d += 1
      case let .index(i):
        offset += i * x.strides[d]
        d += 1
      case .newAxis:
        shape.append(1)
        strides.append(1)
      }
    }
    shape += x.shape[d...]
    strides += x.strides[d...]
    return x.view(shape: shape, strides: strides, offset: offset)
  }

  /// Whether the region is the whole tensor, unchanged.
  func isIdentity(for shape: [Int]) -> Bool {
    for (d, item) in items.enumerated() {
      guard case let .range(start, count, step) = item, start == 0, count == shape[d], step == 1 || count <= 1 else {
        return false
      }
    }
    return true
  }
}

extension Tensor {
  /// The elements `start..<start + length` along `dim`, like `torch.narrow`; a view.
  ///
  /// - Parameters:
  ///   - dim: the dimension (negative counts from the end).
  ///   - start: the first index (negative counts from the end of the dimension).
  ///   - length: the number of elements kept.
  /// - Precondition: the range lies inside the dimension, e.g.
  ///   `narrow: start 5 + length 3 exceeds dimension 1 of size 6 (shape [2, 6])`.
  /// Derivative: linear; the VJP pads the cotangent with zeros outside the range.
  public func narrowed(dim: Int, start: Int, length: Int) -> Tensor {
    check(rank > 0, "narrow: cannot narrow a 0-d tensor")
    let d = Shape.normalize(dim, rank: rank, op: "narrow")
    let n = shape[d]
    check(start >= -n && start <= n, "narrow: start \(start) is out of range for dimension \(d) of size \(n) (shape \(shape))")
    let s = start < 0 ? start + n : start
    check(length >= 0, "narrow: length \(length) is negative")
    check(s + length <= n, "narrow: start \(start) + length \(length) exceeds dimension \(d) of size \(n) (shape \(shape))")
    if s == 0 && length == n { return self }
    let items = (0..<d).map { SliceRegion.Item.range(start: 0, count: shape[$0], step: 1) }
      + [.range(start: s, count: length, step: 1)]
    return reading(SliceRegion(items: items, name: "narrow"))
  }

  /// The slice at `index` along `dim`, with that dim removed, like `torch.select`; a view.
  ///
  /// `x.select(dim: 0, index: i)` is `x[i]`; a negative index counts from the end.
  /// - Precondition: `index` is inside the dimension.
  /// Derivative: linear; the VJP embeds the cotangent in zeros at `index`.
  public func select(dim: Int, index: Int) -> Tensor {
    check(rank > 0, "select: cannot select from a 0-d tensor")
    let d = Shape.normalize(dim, rank: rank, op: "select")
    let n = shape[d]
    check(index >= -n && index < n, "select: index \(index) is out of range for dimension \(d) of size \(n) (shape \(shape))")
    let items = (0..<d).map { SliceRegion.Item.range(start: 0, count: shape[$0], step: 1) } + [.index(index < 0 ? index + n : index)]
    return reading(SliceRegion(items: items, name: "select"))
  }

  /// Every `step`-th element of `range` along `dim`, like `x[..., a:b:step]` in PyTorch; a view.
  ///
  /// The bounds count from the end when negative and are clamped to the dimension, as in
  /// PyTorch's slicing.
  /// - Precondition: `step > 0`.
  /// Derivative: linear; the VJP embeds the cotangent in zeros.
  public func sliced(dim: Int, _ range: some TensorIndexConvertible, step: Int = 1) -> Tensor {
    check(rank > 0, "slice: cannot slice a 0-d tensor")
    let d = Shape.normalize(dim, rank: rank, op: "slice")
    var index = range.tensorIndex
    if case let .range(lo, hi, _) = index.kind { index = TensorIndex(kind: .range(lower: lo, upper: hi, step: step)) }
    guard case .range = index.kind else { misuse("slice: expected a range, got \(index)") }
    return self[[TensorIndex](repeating: .all, count: d) + [index]]
  }
}
