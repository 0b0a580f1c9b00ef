/// The order in which a greedy colouring visits the vertices.
///
/// Greedy colouring gives each vertex the smallest colour its neighbours allow, so the order
/// decides the number of colours. The degree-based orders often need fewer colours than
/// ``natural``; none is best on every graph, which is why ``GreedyColoring/bestOf(_:)`` tries
/// several.
public enum VertexOrder: String, Sendable, CaseIterable {
  /// The vertices by index.
  case natural
  /// By degree, largest first (ties by index).
  case largestFirst
  /// Repeatedly remove a vertex of smallest degree in what remains; colour in reverse order of
  /// removal (Matula and Beck).
  case smallestLast
  /// Repeatedly take the vertex with the most neighbours already ordered.
  case incidenceDegree
  /// Repeatedly take the vertex of largest degree among the vertices not yet ordered, counting
  /// only neighbours not yet ordered.
  case dynamicLargestFirst

  /// The smallest-last order (the default one) on raw buffers: the bucket queue of
  /// ``BucketQueue`` inlined, with the same tie-breaking (each bucket a list, a vertex moved to
  /// the front of its new bucket, the first vertex of the smallest bucket removed).
  private static func smallestLast(_ graph: ColoringGraph, degrees: [Int], maxDegree: Int) -> [Int] {
    let n = graph.vertexCount
    let buffer = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * n + maxDegree + 1)
    defer { buffer.deallocate() }
    buffer.initialize(repeating: -1)
    let key = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
    let next = UnsafeMutableBufferPointer(rebasing: buffer[n..<(2 * n)])
    let prev = UnsafeMutableBufferPointer(rebasing: buffer[(2 * n)..<(3 * n)])
    let present = UnsafeMutableBufferPointer(rebasing: buffer[(3 * n)..<(4 * n)])  // 1 while queued
    let head = UnsafeMutableBufferPointer(rebasing: buffer[(4 * n)...])
    @inline(__always) func link(_ v: Int) {
      let k = key[v]
      prev[v] = -1
      next[v] = head[k]
      if head[k] >= 0 { prev[head[k]] = v }
      head[k] = v
    }
    @inline(__always) func unlink(_ v: Int) {
      if prev[v] >= 0 { next[prev[v]] = next[v] } else { head[key[v]] = next[v] }
      if next[v] >= 0 { prev[next[v]] = prev[v] }
    }
    for v in 0..<n {
      key[v] = degrees[v]
      present[v] = 1
    }
    for v in stride(from: n - 1, through: 0, by: -1) { link(v) }
    var removed = [Int](repeating: 0, count: n)
    graph.offsets.withUnsafeBufferPointer { offsets in
      graph.neighbors.withUnsafeBufferPointer { adjacent in
        var cursor = 0
        for step in 0..<n {
          while head[cursor] < 0 { cursor += 1 }
          let v = head[cursor]
          unlink(v)
          present[v] = 0
          // Coloured in reverse order of removal.
          removed[n - 1 - step] = v
          for t in offsets[v]..<offsets[v + 1] where present[adjacent[t]] == 1 {
            let w = adjacent[t]
            unlink(w)
            key[w] -= 1
            link(w)
            cursor = Swift.min(cursor, key[w])
          }
        }
      }
    }
    return removed
  }

  /// The vertices of `graph` in this order.
  func vertices(of graph: ColoringGraph) -> [Int] {
    let n = graph.vertexCount
    let degrees = (0..<n).map(graph.degree)
    let maxDegree = degrees.max() ?? 0
    switch self {
    case .natural:
      return Array(0..<n)
    case .largestFirst:
      return (0..<n).sorted { degrees[$0] != degrees[$1] ? degrees[$0] > degrees[$1] : $0 < $1 }
    case .smallestLast:
      return Self.smallestLast(graph, degrees: degrees, maxDegree: maxDegree)
    case .incidenceDegree, .dynamicLargestFirst:
      let incidence = self == .incidenceDegree
      var queue = BucketQueue(keys: incidence ? [Int](repeating: 0, count: n) : degrees, maxKey: maxDegree)
      var order: [Int] = []
      order.reserveCapacity(n)
      var cursor = incidence ? 0 : maxDegree
      for _ in 0..<n {
        let v = queue.popMax(cursor: &cursor)
        order.append(v)
        for w in graph.neighbors(of: v) where queue.contains(w) {
          let k = queue.key[w] + (incidence ? 1 : -1)
          queue.update(w, to: k)
          cursor = max(cursor, k)
        }
      }
      return order
    }
  }
}
