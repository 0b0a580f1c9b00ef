import ComplexModule
import RealModule

/// The iteration plan of an elementwise loop over up to three strided operands.
///
/// Dimensions of size 1 are dropped and neighbouring dimensions that are contiguous in every
/// operand are merged, so a contiguous tensor becomes a single row and the kernels run flat
/// loops. What is left is a set of rows: the innermost dimension, with its own stride per
/// operand, visited for every index of the outer dimensions.
struct StridedRows {
  /// Outer dimension sizes (outermost first).
  var outer: [Int]
  /// Outer strides for operand 0, 1, 2.
  var outerStrides: [[Int]]
  /// The length of each row.
  var length: Int
  /// The stride along the row for operand 0, 1, 2.
  var step: (Int, Int, Int)

  /// Plans a loop over `shape`, with each operand's strides (missing operands get zeros).
  init(shape: [Int], strides: [[Int]]) {
    let k = strides.count
    var dims: [Int] = []
    var st: [[Int]] = Array(repeating: [], count: 3)
    for i in shape.indices where shape[i] != 1 {
      let n = shape[i]
      if let last = dims.last {
        var mergeable = true
        for j in 0..<k where st[j].last! != strides[j][i] &* n { mergeable = false; break }
        if mergeable {
          dims[dims.count - 1] = last &* n
          for j in 0..<k { st[j][st[j].count - 1] = strides[j][i] }
          continue
        }
      }
      dims.append(n)
      for j in 0..<k { st[j].append(strides[j][i]) }
    }
    for j in k..<3 { st[j] = Array(repeating: 0, count: dims.count) }
    if dims.isEmpty {
      outer = []; outerStrides = [[], [], []]; length = shape.contains(0) ? 0 : 1; step = (1, 1, 1)
      if shape.contains(0) { length = 0 }
      return
    }
    length = dims.removeLast()
    step = (st[0].removeLast(), st[1].removeLast(), st[2].removeLast())
    outer = dims
    outerStrides = st
  }

  /// The number of rows.
  var rowCount: Int { Shape.count(outer) }

  /// Whether the whole loop is one row with unit steps in every operand.
  var isFlat: Bool { outer.isEmpty && step == (1, 1, 1) }

  /// Calls `body(offset0, offset1, offset2)` for each row in `rows`, in order.
  func forEachRow(in rows: Range<Int>, _ body: (Int, Int, Int) -> Void) {
    if outer.isEmpty {
      if !rows.isEmpty { body(0, 0, 0) }
      return
    }
    let r = outer.count
    var index = [Int](repeating: 0, count: r)
    var rem = rows.lowerBound
    var o = (0, 0, 0)
    var d = r - 1
    while d >= 0 {
      index[d] = rem % outer[d]
      rem /= outer[d]
      o.0 &+= index[d] &* outerStrides[0][d]
      o.1 &+= index[d] &* outerStrides[1][d]
      o.2 &+= index[d] &* outerStrides[2][d]
      d -= 1
    }
    for _ in rows {
      body(o.0, o.1, o.2)
      var d = r - 1
      while d >= 0 {
        index[d] &+= 1
        o.0 &+= outerStrides[0][d]
        o.1 &+= outerStrides[1][d]
        o.2 &+= outerStrides[2][d]
        if index[d] < outer[d] { break }
        o.0 &-= outerStrides[0][d] &* outer[d]
        o.1 &-= outerStrides[1][d] &* outer[d]
        o.2 &-= outerStrides[2][d] &* outer[d]
        index[d] = 0
        d -= 1
      }
    }
  }
}
