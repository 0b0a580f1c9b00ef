import ComplexModule
import RealModule

/// A value that can appear in a tensor subscript: an `Int`, a Swift range of `Int`, or a
/// ``TensorIndex`` such as `.all`, `.newAxis`, `.ellipsis` or `.range(0..<6, step: 2)`.
public protocol TensorIndexConvertible {
  /// The index this value stands for.
  var tensorIndex: TensorIndex { get }
}

/// One entry of a tensor subscript, PyTorch's basic indexing in Swift spelling.
///
/// | Swift                      | PyTorch        |
/// |----------------------------|----------------|
/// | `x[2]`, `x[-1]`            | `x[2]`, `x[-1]`|
/// | `x[1..<3]`, `x[1...2]`     | `x[1:3]`       |
/// | `x[2...]`, `x[..<(-1)]`    | `x[2:]`, `x[:-1]` |
/// | `x[.range(0..<6, step: 2)]`| `x[0:6:2]`     |
/// | `x[.all, 0]`               | `x[:, 0]`      |
/// | `x[.ellipsis, 0]`          | `x[..., 0]`    |
/// | `x[.newAxis]`              | `x[None]`      |
///
/// Negative positions count from the end. Range bounds are clamped to the dimension, as in
/// PyTorch; single indices must be in range.
public struct TensorIndex: TensorIndexConvertible, Sendable, Equatable, CustomStringConvertible {
  enum Kind: Sendable, Equatable {
    case index(Int)
    case range(lower: Int?, upper: Int?, step: Int)
    case newAxis
    case ellipsis
  }

  let kind: Kind

  init(kind: Kind) { self.kind = kind }

  /// The index itself.
  public var tensorIndex: TensorIndex { self }

  /// The index as written in PyTorch (`1:3:2`, `:`, `None`, `...`).
  public var description: String {
    switch kind {
    case .index(let i): "\(i)"
    case let .range(lo, hi, step): (lo.map(String.init) ?? "") + ":" + (hi.map(String.init) ?? "") + (step == 1 ? "" : ":\(step)")
    case .newAxis: "None"
    case .ellipsis: "..."
    }
  }
}

extension TensorIndexConvertible where Self == TensorIndex {
  /// Every element of a dimension (`:` in PyTorch).
  public static var all: TensorIndex { TensorIndex(kind: .range(lower: nil, upper: nil, step: 1)) }
  /// A new dimension of size 1 (`None` in PyTorch).
  public static var newAxis: TensorIndex { TensorIndex(kind: .newAxis) }
  /// As many `.all` as needed to index every dimension (`...` in PyTorch); at most one per subscript.
  public static var ellipsis: TensorIndex { TensorIndex(kind: .ellipsis) }
  /// A single position; negative counts from the end.
  public static func index(_ i: Int) -> TensorIndex { TensorIndex(kind: .index(i)) }
  /// Every `step`-th element of a range (`a:b:step` in PyTorch).
  ///
  /// - Precondition: `step > 0` (checked when the subscript is applied).
  public static func range(_ range: some TensorIndexConvertible, step: Int) -> TensorIndex {
    guard case let .range(lo, hi, s) = range.tensorIndex.kind, s == 1 else {
      misuse("TensorIndex.range: expected a range, got \(range.tensorIndex)")
    }
    return TensorIndex(kind: .range(lower: lo, upper: hi, step: step))
  }
  /// Every `step`-th element from `start` (inclusive) to `end` (exclusive) (`start:end:step`);
  /// `nil` bounds run to the edge.
  public static func range(from start: Int? = nil, to end: Int? = nil, step: Int = 1) -> TensorIndex {
    TensorIndex(kind: .range(lower: start, upper: end, step: step))
  }
}

extension Int: TensorIndexConvertible {
  /// A single position.
  public var tensorIndex: TensorIndex { .index(self) }
}

extension Range: TensorIndexConvertible where Bound == Int {
  /// The positions `lowerBound..<upperBound`.
  public var tensorIndex: TensorIndex { TensorIndex(kind: .range(lower: lowerBound, upper: upperBound, step: 1)) }
}

extension ClosedRange: TensorIndexConvertible where Bound == Int {
  /// The positions `lowerBound...upperBound` (`upperBound` −1 means through the last).
  public var tensorIndex: TensorIndex {
    TensorIndex(kind: .range(lower: lowerBound, upper: upperBound == -1 ? nil : upperBound + 1, step: 1))
  }
}

extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
  /// The positions from `lowerBound` to the end.
  public var tensorIndex: TensorIndex { TensorIndex(kind: .range(lower: lowerBound, upper: nil, step: 1)) }
}

extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
  /// The positions before `upperBound`.
  public var tensorIndex: TensorIndex { TensorIndex(kind: .range(lower: nil, upper: upperBound, step: 1)) }
}

extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
  /// The positions through `upperBound` (`...(-1)` means through the last).
  public var tensorIndex: TensorIndex {
    TensorIndex(kind: .range(lower: nil, upper: upperBound == -1 ? nil : upperBound + 1, step: 1))
  }
}

extension Tensor {
  /// Basic indexing, like PyTorch's `x[i, a:b, ..., None]`: each entry is an `Int` (removes
  /// the dim), a range (keeps it), `.range(_:step:)`, `.all`, `.newAxis` or `.ellipsis`.
  /// Reading gives a view (no copy).
  ///
  /// ```swift
  /// let row = x[0]                 // x[0]
  /// let block = x[1..<3, .all]     // x[1:3, :]
  /// let evens = x[.range(0..., step: 2)]
  /// x[0..<2, 1] = y                // x[0:2, 1] = y
  /// ```
  ///
  /// Assigning broadcasts the value to the indexed region and converts it to this tensor's
  /// dtype. It writes in place when the storage is uniquely referenced and nothing is being
  /// differentiated, and otherwise builds a new tensor (copy-on-write), so assignment is an
  /// out-of-place, differentiable op like PyTorch's `index_put`.
  /// - Precondition: there are no more indices than dims, at most one `.ellipsis`, single
  ///   indices are in range and steps are positive.
  /// Derivative: linear. Reading: the VJP embeds the cotangent in zeros. Assigning: the
  /// tensor's cotangent is zeroed on the region, the value's is the region of the cotangent
  /// (summed over broadcast dims).
  public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
    get { self[indices.map(\.tensorIndex)] }
    set { self[indices.map(\.tensorIndex)] = newValue }
  }

  /// Basic indexing with an array of indices, for index lists built at run time. See the
  /// variadic subscript.
  public subscript(_ indices: [TensorIndex]) -> Tensor {
    get {
      let region = sliceRegion(indices)
      if region.isIdentity(for: shape) { return self }
      return reading(region)
    }
    set {
      assign(newValue, to: sliceRegion(indices), op: "subscript assignment")
    }
  }

  /// Resolves indices against this tensor's shape.
  func sliceRegion(_ indices: [TensorIndex]) -> SliceRegion {
    let consumed = indices.filter {
      switch $0.kind {
      case .index, .range: true
      default: false
      }
    }.count
    let ellipses = indices.filter { $0.kind == .ellipsis }.count
    check(ellipses <= 1, "subscript: at most one .ellipsis is allowed, got \(ellipses) in \(indices)")
    check(
      consumed <= rank,
      "subscript: too many indices (\(consumed)) for a tensor of rank \(rank) (shape \(shape)) in \(indices)")
    var items: [SliceRegion.Item] = []
    var d = 0
    for index in indices {
      switch index.kind {
      case .ellipsis:
        for _ in 0..<(rank - consumed) {
          items.append(.range(start: 0, count: shape[d], step: 1))
          d += 1
        }
      case .newAxis:
        items.append(.newAxis)
      case .index(let i):
        let n = shape[d]
        check(
          i >= -n && i < n, "subscript: index \(i) is out of range for dimension \(d) of size \(n) (shape \(shape))")
        items.append(.index(i < 0 ? i + n : i))
        d += 1
      case let .range(lo, hi, step):
        check(step > 0, "subscript: step must be positive, got \(step) in \(index)")
        let n = shape[d]
        func clamp(_ v: Int?, _ def: Int) -> Int {
          guard let v else { return def }
          return Swift.min(Swift.max(v < 0 ? v + n : v, 0), n)
        }
        let start = clamp(lo, 0), end = clamp(hi, n)
        let count = end > start ? (end - start + step - 1) / step : 0
        items.append(.range(start: start, count: count, step: step))
        d += 1
      }
    }
    return SliceRegion(items: items, name: "subscript")
  }
}
