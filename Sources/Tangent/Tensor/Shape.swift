import ComplexModule
import RealModule

/// Shape arithmetic shared by the ops: element counts, strides, broadcasting and dim handling.
public enum Shape {
  /// The number of elements of a tensor with this shape (1 for a 0-d shape).
  ///
  /// Checked: a negative size, or a product that overflows `Int`, stops with a message naming
  /// the shape (a shape with a zero size has no elements, whatever its other sizes).
  /// - Complexity: O(rank).
  public static func count(_ shape: [Int]) -> Int { count(shape, op: "Shape.count") }

  /// The number of elements of a tensor with this shape, stopping with a message naming `op`
  /// when a size is negative or the product overflows `Int`.
  ///
  /// Creation functions and ops that take sizes from the user call this once, when the shape
  /// is made, so the kernels never see a wrapped element count.
  /// - Complexity: O(rank).
  public static func count(_ shape: [Int], op: String) -> Int {
    var n = 1
    var overflow = false
    for d in shape {
      if _slowPath(d < 0) { misuse("\(op): negative dimension \(d) in shape \(shape)") }
      let (p, o) = n.multipliedReportingOverflow(by: d)
      n = p
      overflow = overflow || o
    }
    if _slowPath(overflow) {
      if shape.contains(0) { return 0 }
      misuse("\(op): shape \(shape) has more elements than Int can count (the product of its sizes overflows)")
    }
    return n
  }

  /// The byte count of a buffer of `count` elements of `dtype`, stopping with a message naming
  /// `op` and `shape` when it overflows `Int`.
  static func byteCount(_ count: Int, _ dtype: DType, shape: [Int], op: String) -> Int {
    let (b, o) = count.multipliedReportingOverflow(by: dtype.byteCount)
    if _slowPath(o) { misuse("\(op): shape \(shape) of \(dtype) needs more bytes than Int can count") }
    return b
  }

  /// Row-major (C-contiguous) strides, in elements, for a shape.
  ///
  /// The shape's element count must fit in `Int` (``count(_:op:)`` checks it), so no stride
  /// of a non-empty shape overflows. An empty shape (a zero size) addresses no element, so its
  /// strides are only nominal: past an overflow they saturate at `Int.max`.
  public static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    var i = shape.count - 1
    while i >= 0 {
      strides[i] = s
      let (p, o) = s.multipliedReportingOverflow(by: Swift.max(shape[i], 1))
      if _slowPath(o) {
        check(shape.contains(0), "contiguousStrides: the strides of shape \(shape) overflow Int")
        s = Int.max
      } else {
        s = p
      }
      i -= 1
    }
    return strides
  }

  /// The broadcast shape of two shapes by NumPy/PyTorch rules, or `nil` when they do not broadcast.
  public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    if a == b { return a }
    let n = Swift.max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
      let da = i < n - a.count ? 1 : a[i - (n - a.count)]
      let db = i < n - b.count ? 1 : b[i - (n - b.count)]
      if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
    }
    return out
  }

  /// The broadcast shape of two shapes; stops with a message naming `op` when they do not broadcast.
  public static func broadcast(_ a: [Int], _ b: [Int], op: String) -> [Int] {
    guard let s = broadcast(a, b) else {
      misuse("\(op): shapes \(a) and \(b) do not broadcast")
    }
    return s
  }

  /// Normalises a possibly negative dim against a rank, stopping with a clear message when out of range.
  public static func normalize(_ dim: Int, rank: Int, op: String) -> Int {
    let r = Swift.max(rank, 1)
    check(dim >= -r && dim < r, "\(op): dim \(dim) is out of range for a tensor of rank \(rank) (expected -\(r)..<\(r))")
    return dim < 0 ? dim + r : dim
  }

  /// Normalises a list of dims (negative allowed), sorted, stopping on duplicates.
  public static func normalize(_ dims: [Int], rank: Int, op: String) -> [Int] {
    let out = dims.map { normalize($0, rank: rank, op: op) }.sorted()
    for i in out.indices.dropFirst() where out[i] == out[i - 1] {
      misuse("\(op): dim \(out[i]) appears more than once in \(dims)")
    }
    return out
  }
}
