import Foundation
import Testing
import TangentTesting

@testable import Tangent

// Colourings: validity on seeded random patterns for every problem and vertex order, exact
// decompression from dense compressed products, known colour counts, and the validity check
// rejecting bad colourings.

@Suite struct ColoringTests {
  static let orders = VertexOrder.allCases

  /// Compresses `a` with the colouring's seeds through dense products and decompresses.
  func roundTrip(_ a: SparseMatrix<Double>, _ c: ColoringResult) -> SparseMatrix<Double> {
    let dense = a.dense()
    let forward = c.columnColorCount > 0 ? dense.matmul(c.columnSeed()) : nil
    let reverse = c.rowColorCount > 0 ? c.rowSeed().transposed(0, 1).matmul(dense) : nil
    return c.decompress(columnProducts: forward, rowProducts: reverse, as: Double.self)
  }

  @Test(arguments: [ColoringProblem.column, .row, .jacobian, .bidirectional])
  func jacobianColoringsAreValidAndExact(problem: ColoringProblem) {
    var g = TestRandom(seed: 11)
    for trial in 0..<12 {
      let m = 1 + Int(g.next() % 30), n = 1 + Int(g.next() % 30)
      let p = randomPattern(m, n, density: [0.05, 0.15, 0.4][trial % 3], &g)
      for order in Self.orders {
        let c = p.coloring(problem, algorithm: GreedyColoring(order))
        #expect(p.isValid(c), "\(problem) \(order) on \(p)")
        let a = randomMatrix(p, &g)
        let b = roundTrip(a, c)
        #expect(b.pattern == p)
        #expect(zip(b.values, a.values).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(problem) \(order) on \(p)")
      }
    }
  }

  @Test(arguments: [ColoringProblem.star, .acyclic])
  func hessianColoringsAreValidAndExact(problem: ColoringProblem) {
    var g = TestRandom(seed: 12)
    for trial in 0..<12 {
      let n = 1 + Int(g.next() % 40)
      let p = randomSymmetricPattern(n, density: [0.03, 0.1, 0.3][trial % 3], &g)
      for order in Self.orders {
        let c = p.coloring(problem, algorithm: GreedyColoring(order))
        #expect(p.isValid(c), "\(problem) \(order) on \(p)")
        #expect(c.rowColorCount == 0)
        let h = randomSymmetricMatrix(p, &g)
        let b = roundTrip(h, c)
        let scale = h.values.map(abs).max() ?? 1
        #expect(zip(b.values, h.values).allSatisfy { abs($0 - $1) <= 1e-12 * scale * Double(n) }, "\(problem) \(order) on \(p)")
      }
    }
  }

  @Test func acyclicNeedsNoMoreColoursThanStarOverall() {
    // Acyclic colourings are weaker than star ones; greedy may lose on a single graph, so the
    // totals over several random graphs are compared.
    var g = TestRandom(seed: 13)
    let best = GreedyColoring.bestOf(VertexOrder.allCases)
    var star = 0, acyclic = 0
    for _ in 0..<10 {
      let p = randomSymmetricPattern(30, density: 0.1, &g)
      star += p.coloring(.star, algorithm: best).colorCount
      acyclic += p.coloring(.acyclic, algorithm: best).colorCount
    }
    #expect(acyclic <= star, "acyclic \(acyclic), star \(star)")
  }

  @Test func knownColourCounts() {
    // A band of width w needs w colours for its columns, and a star colouring needs about as many.
    for (lower, upper) in [(0, 0), (1, 1), (2, 1), (3, 3)] {
      let p = SparsityPattern.banded(size: 50, lower: lower, upper: upper)
      for order in [VertexOrder.natural, .smallestLast] {
        #expect(p.coloring(.column, algorithm: GreedyColoring(order)).colorCount == lower + upper + 1, "band \(lower), \(upper), \(order)")
      }
    }
    #expect(SparsityPattern.diagonal(20).coloring(.column).colorCount == 1)
    #expect(SparsityPattern.diagonal(20).coloring(.star).colorCount == 1)
    #expect(SparsityPattern.banded(size: 50, lower: 1, upper: 1).coloring(.star, algorithm: .bestOf(VertexOrder.allCases)).colorCount == 3)
    #expect(SparsityPattern.banded(size: 50, lower: 1, upper: 1).coloring(.acyclic, algorithm: .bestOf(VertexOrder.allCases)).colorCount <= 3)
    // The arrowhead: n colours by columns or by rows alone, 2 for a star colouring (hub + leaves),
    // and 3 products for a bicolouring.
    let arrow = SparsityPattern.arrowhead(40)
    #expect(arrow.coloring(.column).colorCount == 40)
    #expect(arrow.coloring(.row).colorCount == 40)
    #expect(arrow.coloring(.jacobian).colorCount == 40)
    #expect(arrow.coloring(.star, algorithm: .bestOf(VertexOrder.allCases)).colorCount == 2)
    let bi = arrow.coloring(.bidirectional)
    #expect(arrow.isValid(bi))
    #expect(bi.colorCount == 3, "bidirectional arrowhead used \(bi.columnColorCount) + \(bi.rowColorCount)")
  }

  @Test func brusselatorNeedsNoMoreColoursThanAsdex() {
    // asdex colours the N = 32 Brusselator Jacobian with 12 colours (issue 11's table).
    let p = brusselatorPattern(32)
    #expect(p.nonzeroCount == 2048 * 6)
    let c = p.coloring(.jacobian, algorithm: .bestOf(VertexOrder.allCases))
    #expect(p.isValid(c))
    #expect(c.colorCount <= 12)
  }

  @Test func jacobianPicksTheSideWithFewerColours() {
    // One dense row: columns all conflict (n colours) but rows need 1 each... a dense row with a
    // diagonal below: rows 1... share no column with each other.
    let p = SparsityPattern(rows: 21, columns: 20) { i, j in i == 0 || i - 1 == j }
    let c = p.coloring(.jacobian)
    #expect(c.problem == .row)
    #expect(c.colorCount == 2)
    #expect(p.transposed.coloring(.jacobian).problem == .column)
  }

  @Test func bestOfIsNoWorseThanEachOrder() {
    var g = TestRandom(seed: 14)
    let p = randomPattern(40, 40, density: 0.08, &g)
    let best = p.coloring(.column, algorithm: .bestOf(VertexOrder.allCases)).colorCount
    for order in VertexOrder.allCases { #expect(best <= p.coloring(.column, algorithm: GreedyColoring(order)).colorCount) }
  }

  @Test func vertexOrdersArePermutations() {
    var g = TestRandom(seed: 15)
    let graph = ColoringGraph.columnIntersection(randomPattern(25, 25, density: 0.1, &g))
    for order in VertexOrder.allCases { #expect(order.vertices(of: graph).sorted() == Array(0..<25), "\(order)") }
  }

  /// The raw-buffer smallest-last order is the bucket-queue one (same ties), and the raw-buffer
  /// column intersection graph joins exactly the columns that share a row.
  @Test func smallestLastAndIntersectionGraphMatchReferences() {
    var g = TestRandom(seed: 16)
    for trial in 0..<10 {
      let p = randomPattern(30 + trial, 35, density: [0.03, 0.1, 0.3][trial % 3], &g)
      let graph = ColoringGraph.columnIntersection(p)
      for j in 0..<p.columns {
        let rows = Set(p.transposed.columns(inRow: j))
        let expected = (0..<p.columns).filter { c in c != j && !rows.isDisjoint(with: p.transposed.columns(inRow: c)) }
        #expect(graph.neighbors(of: j).sorted() == expected, "column \(j)")
      }
      let degrees = (0..<graph.vertexCount).map(graph.degree)
      var queue = BucketQueue(keys: degrees, maxKey: degrees.max() ?? 0)
      var removed: [Int] = []
      var cursor = 0
      for _ in 0..<graph.vertexCount {
        let v = queue.popMin(cursor: &cursor)
        removed.append(v)
        for w in graph.neighbors(of: v) where queue.contains(w) {
          queue.update(w, to: queue.key[w] - 1)
          cursor = min(cursor, queue.key[w])
        }
      }
      #expect(VertexOrder.smallestLast.vertices(of: graph) == removed.reversed(), "trial \(trial)")
    }
  }

  @Test func validityCheckRejectsBadColourings() {
    let band = SparsityPattern.banded(size: 6, lower: 1, upper: 1)
    #expect(!band.isValidColoring(.column, columnColors: [0, 1, 0, 1, 0, 1], rowColors: [Int](repeating: -1, count: 6)))
    #expect(band.isValidColoring(.column, columnColors: [0, 1, 2, 0, 1, 2], rowColors: [Int](repeating: -1, count: 6)))
    #expect(!band.isValidColoring(.column, columnColors: [0, 1, 2], rowColors: []))
    // A path 0-1-2-3 coloured a b a b is a proper colouring but not a star one.
    let path = SparsityPattern.banded(size: 4, lower: 1, upper: 1)
    #expect(!path.isValidColoring(.star, columnColors: [0, 1, 0, 1], rowColors: [-1, -1, -1, -1]))
    #expect(path.isValidColoring(.acyclic, columnColors: [0, 1, 0, 1], rowColors: [-1, -1, -1, -1]))
    // A 4-cycle coloured a b a b has a two-coloured cycle.
    let cycle = SparsityPattern(rows: 4, columns: 4) { i, j in i == j || (i - j + 4) % 4 == 1 || (j - i + 4) % 4 == 1 }
    #expect(!cycle.isValidColoring(.acyclic, columnColors: [0, 1, 0, 1], rowColors: [-1, -1, -1, -1]))
    #expect(!cycle.isValidColoring(.acyclic, columnColors: [0, 0, 1, 2], rowColors: [-1, -1, -1, -1]))
    // The arrowhead cannot be recovered from its first column alone.
    let arrow = SparsityPattern.arrowhead(4)
    #expect(!arrow.isValidColoring(.bidirectional, columnColors: [0, 1, 1, 1], rowColors: [-1, -1, -1, -1]))
    #expect(arrow.isValidColoring(.bidirectional, columnColors: [0, 1, 1, 1], rowColors: [0, -1, -1, -1]))
  }

  @Test func seedsHaveOneOnePerSeededVertex() {
    let c = SparsityPattern.arrowhead(10).coloring(.bidirectional, algorithm: .bestOf(VertexOrder.allCases))
    let s = c.columnSeed()
    #expect(s.shape == [10, c.columnColorCount])
    #expect(s.doubles.reduce(0, +) == Double(c.columnColors.filter { $0 >= 0 }.count))
    #expect(c.rowSeed(dtype: .float32).dtype == .float32)
    #expect(c.columnGroups.joined().count == c.columnColors.filter { $0 >= 0 }.count)
  }

  @Test func misuseMessages() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = SparsityPattern(rows: 3, columns: 3, positions: [(0, 1)]).coloring(.star)
    }
    #expect(sparseStderr(r0).contains("SparsityPattern.coloring(.star): a Hessian pattern must be symmetric"))
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let c = SparsityPattern.diagonal(3).coloring(.column)
      let _: SparseMatrix<Double> = c.decompress(columnProducts: Tensor.zeros([3, 2]))
    }
    #expect(sparseStderr(r1).contains("ColoringResult.decompress: columnProducts has shape [3, 2], expected [3, 1]"))
  }
}
