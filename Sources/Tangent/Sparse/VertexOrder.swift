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
      var queue = BucketQueue(keys: degrees, maxKey: maxDegree)
      var removed: [Int] = []
      removed.reserveCapacity(n)
      var cursor = 0
      for _ in 0..<n {
        let v = queue.popMin(cursor: &cursor)
        removed.append(v)
        for w in graph.neighbors(of: v) where queue.contains(w) {
          queue.update(w, to: queue.key[w] - 1)
          cursor = min(cursor, queue.key[w])
        }
      }
      return removed.reversed()
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
