import ComplexModule
import RealModule

/// Shape arithmetic shared by the ops: element counts, strides, broadcasting and dim handling.
public enum Shape {
  /// The number of elements of a tensor with this shape (1 for a 0-d shape).
  public static func count(_ shape: [Int]) -> Int {
    var n = 1
    for d in shape { n &*= d }
    return n
  }

  /// Row-major (C-contiguous) strides, in elements, for a shape.
  public static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    var i = shape.count - 1
    while i >= 0 {
      strides[i] = s
      s &*= Swift.max(shape[i], 1)
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
