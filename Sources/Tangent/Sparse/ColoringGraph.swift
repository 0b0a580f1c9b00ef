/// An undirected graph without self-loops in adjacency (CSR) form: the graphs that colouring
/// works on (the column intersection graph of a Jacobian, the adjacency graph of a Hessian,
/// the bipartite graph of rows and columns).
struct ColoringGraph {
  /// Where the neighbours of each vertex start in ``neighbors``.
  let offsets: [Int]
  /// The neighbours of every vertex, vertex by vertex.
  let neighbors: [Int]

  /// The number of vertices.
  var vertexCount: Int { offsets.count - 1 }

  /// The neighbours of `v`.
  @inline(__always) func neighbors(of v: Int) -> ArraySlice<Int> { neighbors[offsets[v]..<offsets[v + 1]] }

  /// The degree of `v`.
  @inline(__always) func degree(_ v: Int) -> Int { offsets[v + 1] - offsets[v] }

  /// The column intersection graph of a pattern: columns are adjacent when they share a row.
  /// A distance-1 colouring of it is a partial distance-2 colouring of the bipartite graph.
  static func columnIntersection(_ pattern: SparsityPattern) -> ColoringGraph {
    let t = pattern.transposed
    let n = pattern.columns
    var marker = [Int](repeating: -1, count: n)
    var offsets = [Int](repeating: 0, count: n + 1)
    // Raw buffers: this runs over every pair of nonzeros that share a row.
    let neighbors = GrowableIndices(capacity: pattern.nonzeroCount)
    pattern.rowOffsets.withUnsafeBufferPointer { rowOffsets in
      pattern.columnIndices.withUnsafeBufferPointer { columnIndices in
        t.rowOffsets.withUnsafeBufferPointer { columnOffsets in
          t.columnIndices.withUnsafeBufferPointer { rowIndices in
            marker.withUnsafeMutableBufferPointer { marker in
              for j in 0..<n {
                marker[j] = j
                var bound = 0
                for k in columnOffsets[j]..<columnOffsets[j + 1] {
                  bound += rowOffsets[rowIndices[k] + 1] - rowOffsets[rowIndices[k]]
                }
                neighbors.reserve(bound)
                var p = neighbors.end
                for k in columnOffsets[j]..<columnOffsets[j + 1] {
                  let r = rowIndices[k]
                  for q in rowOffsets[r]..<rowOffsets[r + 1] where marker[columnIndices[q]] != j {
                    marker[columnIndices[q]] = j
                    p.initialize(to: columnIndices[q])
                    p += 1
                  }
                }
                neighbors.count = p - neighbors.base
                offsets[j + 1] = neighbors.count
              }
            }
          }
        }
      }
    }
    return ColoringGraph(offsets: offsets, neighbors: neighbors.array)
  }

  /// The adjacency graph of a symmetric pattern: `i` and `j ≠ i` are adjacent when `(i, j)` is
  /// a nonzero.
  static func adjacency(_ pattern: SparsityPattern) -> ColoringGraph {
    var offsets = [0]
    var neighbors: [Int] = []
    for i in 0..<pattern.rows {
      for j in pattern.columnIndices[pattern.rowOffsets[i]..<pattern.rowOffsets[i + 1]] where j != i {
        neighbors.append(j)
      }
      offsets.append(neighbors.count)
    }
    return ColoringGraph(offsets: offsets, neighbors: neighbors)
  }

  /// The bipartite graph of a pattern: vertices `0..<columns` are the columns, vertices
  /// `columns..<columns + rows` the rows, with an edge for every nonzero.
  static func bipartite(_ pattern: SparsityPattern) -> ColoringGraph {
    let t = pattern.transposed
    let n = pattern.columns
    var offsets = [0]
    var neighbors: [Int] = []
    for j in 0..<n {
      for r in t.columnIndices[t.rowOffsets[j]..<t.rowOffsets[j + 1]] { neighbors.append(n + r) }
      offsets.append(neighbors.count)
    }
    for i in 0..<pattern.rows {
      neighbors.append(contentsOf: pattern.columnIndices[pattern.rowOffsets[i]..<pattern.rowOffsets[i + 1]])
      offsets.append(neighbors.count)
    }
    return ColoringGraph(offsets: offsets, neighbors: neighbors)
  }
}

/// Vertices kept in buckets by an integer key, for the dynamic vertex orders: O(1) moves
/// between buckets, and a scan from a cursor to find the smallest or largest nonempty bucket.
struct BucketQueue {
  private var head: [Int]
  private var next: [Int]
  private var prev: [Int]
  private(set) var key: [Int]
  private var present: [Bool]

  /// A queue holding every vertex `v` with key `keys[v]`; keys stay in `0...maxKey`.
  init(keys: [Int], maxKey: Int) {
    head = [Int](repeating: -1, count: maxKey + 1)
    next = [Int](repeating: -1, count: keys.count)
    prev = [Int](repeating: -1, count: keys.count)
    key = keys
    present = [Bool](repeating: true, count: keys.count)
    for v in keys.indices.reversed() { link(v) }
  }

  private mutating func link(_ v: Int) {
    let k = key[v]
    prev[v] = -1
    next[v] = head[k]
    if head[k] >= 0 { prev[head[k]] = v }
    head[k] = v
  }

  private mutating func unlink(_ v: Int) {
    if prev[v] >= 0 { next[prev[v]] = next[v] } else { head[key[v]] = next[v] }
    if next[v] >= 0 { prev[next[v]] = prev[v] }
  }

  /// Whether `v` is still queued.
  func contains(_ v: Int) -> Bool { present[v] }

  /// Moves `v` to key `k`.
  mutating func update(_ v: Int, to k: Int) {
    unlink(v)
    key[v] = k
    link(v)
  }

  /// Removes and returns a vertex of the largest key, scanning down from `cursor` (which must
  /// be at least the largest key) and leaving it at the key found.
  mutating func popMax(cursor: inout Int) -> Int {
    while head[cursor] < 0 { cursor -= 1 }
    let v = head[cursor]
    unlink(v)
    present[v] = false
    return v
  }

  /// Removes and returns a vertex of the smallest key, scanning up from `cursor` (which must be
  /// at most the smallest key).
  mutating func popMin(cursor: inout Int) -> Int {
    while head[cursor] < 0 { cursor += 1 }
    let v = head[cursor]
    unlink(v)
    present[v] = false
    return v
  }
}
