import Foundation
import Tangent
import TangentTesting
import Testing

/// The spy plots of the sparse guide (docs/sparse.md) are the ones the code draws today: each
/// test draws its plot and compares it with the committed file. After a deliberate change (a
/// colouring heuristic, the plot's style), regenerate them with
/// `TANGENT_WRITE_DOCS=1 swift test --filter SparseGuideTests`.
@Suite struct SparseGuideTests {
  static let docs = RepositoryFiles.url("docs")

  /// Compares `svg` with the committed `docs/<name>`, or writes it when TANGENT_WRITE_DOCS is set.
  func checkCommitted(_ svg: String, as name: String) throws {
    let url = Self.docs.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["TANGENT_WRITE_DOCS"] != nil {
      try svg.write(to: url, atomically: true, encoding: .utf8)
    }
    let committed = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    #expect(committed == svg, "docs/\(name) is out of date: TANGENT_WRITE_DOCS=1 swift test --filter SparseGuideTests")
  }

  /// The Jacobian pattern of the N = 8 Brusselator (128 unknowns), read off the dense Jacobian at
  /// a random point (every structural nonzero is nonzero there), coloured for forward passes.
  @Test func brusselatorSpyPlot() throws {
    let bruss = Brusselator2D(n: 8)
    var g = TestRandom(seed: 8)
    let state = g.tensor([bruss.unknowns], in: 0.5...1.5)
    let forcing = bruss.forcing(t: 1.1)
    let pattern = SparseMatrix<Double>(dense: jacfwd(of: { bruss.rhs($0, forcing: forcing) }, at: state)).pattern
    // 5 Laplacian neighbours and the other species at the same point: 6 per row.
    #expect(pattern.nonzeroCount == 6 * bruss.unknowns)
    let coloring = pattern.coloring(.jacobian)
    #expect(pattern.isValid(coloring))
    #expect(coloring.colorCount <= 12)
    try checkCommitted(pattern.spySVG(coloring: coloring, size: 512), as: "brusselator-spy.svg")
  }

  /// An arrowhead Jacobian (dense first row and column): `n` colours by columns or by rows
  /// alone, a few with a bidirectional colouring.
  @Test func arrowheadBidirectionalSpyPlot() throws {
    let pattern = SparsityPattern.arrowhead(24)
    #expect(pattern.coloring(.jacobian).colorCount == 24)
    let both = pattern.coloring(.bidirectional)
    #expect(pattern.isValid(both))
    #expect(both.colorCount <= 4)
    try checkCommitted(pattern.spySVG(coloring: both, size: 384), as: "arrowhead-bidirectional.svg")
  }

  /// The snippet of the DocC article SparseDerivatives.md, on the N = 32 Brusselator, with the
  /// counts the article states (12,288 nonzeros, 11 colours).
  @Test func articleSnippet() throws {
    let bruss = Brusselator2D(n: 32)
    let forcing = bruss.forcing(t: 1.1)
    let f = { (u: Tensor) in bruss.rhs(u, forcing: forcing) }
    let u0 = bruss.initialState()
    let pattern = jacobianSparsity(of: f, at: u0)
    let coloring = pattern.coloring(.jacobian)
    let seeds = coloring.columnSeed()
    let products = jvp(of: f, at: u0, along: seeds.mT, chunked: true).tangent.mT
    let jacobian: SparseMatrix<Double> = coloring.decompress(columnProducts: products.contiguous())
    let lu = try SuperLUFactorization(jacobian)
    let step = lu.solve(f(u0))
    #expect(pattern.nonzeroCount == 12_288 && pattern.rows == 2048 && pattern.columns == 2048)
    #expect(coloring.problem == .column && coloring.colorCount == 11)
    #expect(jacobian.dense().allClose(jacfwd(of: f, at: u0), rtol: 1e-13, atol: 1e-10))
    #expect(jacobian.matmul(step).allClose(f(u0), rtol: 1e-8, atol: 1e-8))
  }
}
