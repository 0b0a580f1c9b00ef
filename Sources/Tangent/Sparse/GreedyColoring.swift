/// A greedy colouring algorithm: the vertex orders to try, keeping the colouring with the
/// fewest colours.
///
/// ```swift
/// let fast = GreedyColoring(.natural)
/// let thorough = GreedyColoring.bestOf(VertexOrder.allCases)
/// ```
public struct GreedyColoring: Sendable, Hashable {
  /// The orders tried, in turn; the first with the fewest colours wins.
  public let orders: [VertexOrder]

  /// One order (smallest-last by default: on the benchmark problems, Brusselator, Bratu,
  /// chained Rosenbrock and arrowhead, it needs as few colours as the best of every order).
  public init(_ order: VertexOrder = .smallestLast) { orders = [order] }

  /// Every order in `orders`, keeping the colouring with the fewest colours.
  ///
  /// - Precondition: `orders` is not empty.
  public static func bestOf(_ orders: [VertexOrder]) -> GreedyColoring {
    check(!orders.isEmpty, "GreedyColoring.bestOf: give at least one vertex order")
    return GreedyColoring(orders: orders)
  }

  private init(orders: [VertexOrder]) { self.orders = orders }

  /// The colours of `graph`'s vertices under `rule`, from the best of ``orders``.
  func color(_ graph: ColoringGraph, _ rule: (ColoringGraph, [Int]) -> [Int], count: ([Int]) -> Int) -> [Int] {
    var best: [Int]? = nil
    for order in orders {
      let colors = rule(graph, order.vertices(of: graph))
      if best == nil || count(colors) < count(best!) { best = colors }
    }
    return best!
  }
}

/// The greedy colouring rules on a graph, each visiting vertices in a given order and giving
/// each the smallest colour its rule allows. Colours start at 0; -1 means not yet coloured.
enum GreedyRules {
  /// A distance-1 colouring: adjacent vertices get different colours.
  static func distance1(_ g: ColoringGraph, _ order: [Int]) -> [Int] {
    var color = [Int](repeating: -1, count: g.vertexCount)
    var forbidden = [Int](repeating: -1, count: g.vertexCount + 1)
    for v in order {
      for w in g.neighbors(of: v) where color[w] >= 0 { forbidden[color[w]] = v }
      color[v] = smallestAllowed(forbidden, stamp: v)
    }
    return color
  }

  /// A star colouring: distance-1, and no path on four vertices uses only two colours.
  ///
  /// When `v` is coloured `c` a two-coloured path `v w x y` (v at an end) needs
  /// `color(x) = c` and `color(y) = color(w)`; a path `u v w x` (v inside) needs
  /// `color(u) = color(w)` and `color(x) = c`. Both are excluded by forbidding such `c`; paths
  /// with a vertex still uncoloured are checked when their last vertex is coloured.
  static func star(_ g: ColoringGraph, _ order: [Int]) -> [Int] {
    let n = g.vertexCount
    // Raw buffers: the scan of a hub's neighbours runs once per vertex next to it, so the
    // loops are kept bare.
    let scratch = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * n + 3)
    defer { scratch.deallocate() }
    scratch.initialize(repeating: -1)
    let color = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
    let forbidden = UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 * n + 1)])
    let seen = UnsafeMutableBufferPointer(rebasing: scratch[(2 * n + 1)..<(3 * n + 2)])  // colours met once among v's neighbours
    let repeated = UnsafeMutableBufferPointer(rebasing: scratch[(3 * n + 2)...])  // colours met twice or more
    // The neighbours of each vertex that have other neighbours: only they can be the x of a
    // path v w x y (y ≠ w). An arrowhead's leaves have no neighbour but the centre, so a leaf
    // scans nothing through the centre unless the centre's colour repeats around it.
    var branchOffsets = [Int](repeating: 0, count: n + 1)
    var branchList: [Int] = []
    branchList.reserveCapacity(g.neighbors.count)
    for w in 0..<n {
      for x in g.neighbors(of: w) where g.degree(x) > 1 { branchList.append(x) }
      branchOffsets[w + 1] = branchList.count
    }
    branchList.withUnsafeBufferPointer { branches in
      g.offsets.withUnsafeBufferPointer { offsets in
        g.neighbors.withUnsafeBufferPointer { adjacent in
          for v in order {
            for t in offsets[v]..<offsets[v + 1] where color[adjacent[t]] >= 0 {
              let a = color[adjacent[t]]
              forbidden[a] = v
              if seen[a] == v { repeated[a] = v } else { seen[a] = v }
            }
            for t in offsets[v]..<offsets[v + 1] where color[adjacent[t]] >= 0 {
              let w = adjacent[t], a = color[w]
              if repeated[a] == v {
                // v inside: u v w x with color(u) = color(w), u ≠ w: every colour around w is out.
                for u in offsets[w]..<offsets[w + 1] {
                  let x = adjacent[u], cx = color[x]
                  if x != v && cx >= 0 { forbidden[cx] = v }
                }
                continue
              }
              // v at an end: v w x y with color(y) = color(w), y ≠ w (so x has another
              // neighbour). A colour already forbidden needs no second look.
              for u in branchOffsets[w]..<branchOffsets[w + 1] {
                let x = branches[u], cx = color[x]
                guard x != v, cx >= 0, forbidden[cx] != v else { continue }
                for r in offsets[x]..<offsets[x + 1] {
                  let y = adjacent[r]
                  if y != w && color[y] == a {
                    forbidden[cx] = v
                    break
                  }
                }
              }
            }
            var c = 0
            while forbidden[c] == v { c += 1 }
            color[v] = c
          }
        }
      }
    }
    return Array(color)
  }

  /// An acyclic colouring: distance-1, and every cycle uses at least three colours (each
  /// two-coloured subgraph is a forest).
  ///
  /// Colouring `v` with `c` closes a two-coloured cycle exactly when two neighbours of `v` with
  /// one colour `a` are joined by a path coloured `a` and `c`; such `c` are skipped.
  static func acyclic(_ g: ColoringGraph, _ order: [Int]) -> [Int] {
    let n = g.vertexCount
    var color = [Int](repeating: -1, count: n)
    var forbidden = [Int](repeating: -1, count: n + 1)
    var visited = [Int](repeating: -1, count: n)
    var stamp = 0
    var byColor: [Int: [Int]] = [:]
    for v in order {
      byColor.removeAll(keepingCapacity: true)
      for w in g.neighbors(of: v) where color[w] >= 0 {
        forbidden[color[w]] = v
        byColor[color[w], default: []].append(w)
      }
      let shared = byColor.filter { $0.value.count > 1 }
      var c = 0
      search: while true {
        while forbidden[c] == v { c += 1 }
        for (a, ws) in shared {
          // Flood the {a, c} component of ws[0] (v is uncoloured, so paths avoid it).
          stamp += 1
          var stack = [ws[0]]
          visited[ws[0]] = stamp
          while let u = stack.popLast() {
            for x in g.neighbors(of: u) where visited[x] != stamp && (color[x] == a || color[x] == c) {
              visited[x] = stamp
              stack.append(x)
            }
          }
          if ws.dropFirst().contains(where: { visited[$0] == stamp }) {
            forbidden[c] = v
            continue search
          }
          // Different trees of one {a, c} forest may still meet through v if two of ws share a tree.
          for i in 1..<ws.count where visited[ws[i]] != stamp {
            stamp += 1
            stack = [ws[i]]
            visited[ws[i]] = stamp
            var hits = 0
            while let u = stack.popLast() {
              if ws.contains(u) { hits += 1 }
              for x in g.neighbors(of: u) where visited[x] != stamp && (color[x] == a || color[x] == c) {
                visited[x] = stamp
                stack.append(x)
              }
            }
            if hits > 1 {
              forbidden[c] = v
              continue search
            }
          }
        }
        break
      }
      color[v] = c
    }
    return color
  }

  /// The smallest colour not stamped with `stamp` in `forbidden`.
  @inline(__always) static func smallestAllowed(_ forbidden: [Int], stamp: Int) -> Int {
    var c = 0
    while forbidden[c] == stamp { c += 1 }
    return c
  }
}
