import ComplexModule
import RealModule

/// The iteration plan of an elementwise loop over up to three strided operands.
///
/// Dimensions of size 1 are dropped and neighbouring dimensions that are contiguous in every
/// operand are merged, so a contiguous tensor becomes a single row and the kernels run flat
/// loops. What is left is a set of rows: the innermost dimension, with its own stride per
/// operand, visited for every index of the outer dimensions.
///
/// The plan keeps its outer dimensions in one flat array (none at all when everything merges
/// into one row), and iterating uses stack scratch space, so planning costs at most one
/// allocation.
struct StridedRows {
  /// Outer sizes, then the outer strides of operand 0, 1 and 2: `4 × outerRank` entries.
  private var table: [Int]
  /// The number of outer dimensions.
  let outerRank: Int
  /// The number of operands planned (1 to 3).
  let operandCount: Int
  /// The length of each row.
  var length: Int
  /// The stride along the row for operand 0, 1, 2.
  var step: (Int, Int, Int)

  /// Plans a loop over `shape`, with each operand's strides (missing operands get zeros).
  init(shape: [Int], strides: [[Int]]) {
    check(strides.count >= 1 && strides.count <= 3, "StridedRows: 1 to 3 operands, got \(strides.count)")
    self.init(shape: shape, strides.first!, strides.count > 1 ? strides[1] : nil, strides.count > 2 ? strides[2] : nil)
  }

  /// Plans a loop over `shape` for one, two or three operands' strides.
  init(shape: [Int], _ s0: [Int], _ s1: [Int]? = nil, _ s2: [Int]? = nil) {
    let rank = shape.count
    operandCount = s2 != nil ? 3 : s1 != nil ? 2 : 1
    var table: [Int] = []
    var length = shape.contains(0) ? 0 : 1
    var step = (1, 1, 1)
    var outerRank = 0
    if rank > 0 {
      withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * rank) { buf in
        // Merged dims: sizes in buf[0..<r], strides of operand j in buf[(j+1)·rank + 0..<r].
        var r = 0
        for i in 0..<rank where shape[i] != 1 {
          let n = shape[i]
          let a = s0[i], b = s1?[i] ?? 0, c = s2?[i] ?? 0
          if r > 0 && buf[rank + r - 1] == a &* n && buf[2 &* rank + r - 1] == b &* n && buf[3 &* rank + r - 1] == c &* n {
            buf[r - 1] &*= n
            buf[rank + r - 1] = a
            buf[2 &* rank + r - 1] = b
            buf[3 &* rank + r - 1] = c
            continue
          }
          buf[r] = n
          buf[rank + r] = a
          buf[2 &* rank + r] = b
          buf[3 &* rank + r] = c
          r += 1
        }
        if r == 0 { return }
        length = buf[r - 1]
        step = (buf[rank + r - 1], buf[2 &* rank + r - 1], buf[3 &* rank + r - 1])
        outerRank = r - 1
        if outerRank > 0 {
          table = [Int](unsafeUninitializedCapacity: 4 &* outerRank) { out, count in
            for j in 0..<4 {
              for d in 0..<outerRank { out[j &* outerRank + d] = buf[j &* rank + d] }
            }
            count = 4 &* outerRank
          }
        }
      }
    }
    if shape.contains(0) { length = 0 }
    self.table = table
    self.outerRank = outerRank
    self.length = length
    self.step = step
  }

  /// Outer dimension sizes (outermost first).
  var outer: ArraySlice<Int> { table[0..<outerRank] }

  /// The number of rows.
  var rowCount: Int {
    var n = 1
    for d in 0..<outerRank { n &*= table[d] }
    return n
  }

  /// Whether the whole loop is one row with unit steps in every operand.
  var isFlat: Bool {
    outerRank == 0 && step.0 == 1 && (operandCount < 2 || step.1 == 1) && (operandCount < 3 || step.2 == 1)
  }

  /// Calls `body(offset0, offset1, offset2)` for each row in `rows`, in order.
  func forEachRow(in rows: Range<Int>, _ body: (Int, Int, Int) -> Void) {
    if outerRank == 0 {
      if !rows.isEmpty { body(0, 0, 0) }
      return
    }
    let r = outerRank
    table.withUnsafeBufferPointer { t in
      let size = t.baseAddress!, s0 = size + r, s1 = size + 2 &* r, s2 = size + 3 &* r
      withUnsafeTemporaryAllocation(of: Int.self, capacity: r) { index in
        var rem = rows.lowerBound
        var o = (0, 0, 0)
        var d = r - 1
        while d >= 0 {
          index[d] = rem % size[d]
          rem /= size[d]
          o.0 &+= index[d] &* s0[d]
          o.1 &+= index[d] &* s1[d]
          o.2 &+= index[d] &* s2[d]
          d -= 1
        }
        for _ in rows {
          body(o.0, o.1, o.2)
          var d = r - 1
          while d >= 0 {
            index[d] &+= 1
            o.0 &+= s0[d]
            o.1 &+= s1[d]
            o.2 &+= s2[d]
            if index[d] < size[d] { break }
            o.0 &-= s0[d] &* size[d]
            o.1 &-= s1[d] &* size[d]
            o.2 &-= s2[d] &* size[d]
            index[d] = 0
            d -= 1
          }
        }
      }
    }
  }
}

extension StridedRows {
  /// How many pieces to cut each row into when a loop over `rows` rows of `length` elements
  /// is split across cores: 1 unless the loop is large enough to split and has fewer rows than
  /// the split wants chunks (four per worker), then enough pieces for that many chunks.
  static func piecesPerRow(rows: Int, length: Int) -> Int {
    let wanted = 4 &* Parallel.workers
    guard Parallel.workers > 1, rows > 0, rows < wanted, rows &* length >= Parallel.grain else { return 1 }
    return Swift.min((wanted + rows - 1) / rows, Swift.max(1, length / 1024))
  }

  /// The element offsets of every index of `shape`, in row-major order, for one to three
  /// operands' strides, interleaved (`[a₀, b₀, a₁, b₁, …]` for two operands): the one walk over
  /// a batch of broadcast items that the kernels share.
  static func offsets(shape: [Int], _ s0: [Int], _ s1: [Int]? = nil, _ s2: [Int]? = nil) -> [Int] {
    let plan = StridedRows(shape: shape, s0, s1, s2)
    let len = plan.length, k = plan.operandCount
    let (t0, t1, t2) = plan.step
    var out: [Int] = []
    out.reserveCapacity(k &* plan.rowCount &* len)
    plan.forEachRow(in: 0..<plan.rowCount) { o0, o1, o2 in
      for i in 0..<len {
        out.append(o0 &+ i &* t0)
        if k > 1 { out.append(o1 &+ i &* t1) }
        if k > 2 { out.append(o2 &+ i &* t2) }
      }
    }
    return out
  }
}
