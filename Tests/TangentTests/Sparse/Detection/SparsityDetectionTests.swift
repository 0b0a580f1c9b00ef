import Testing
import Tangent

/// Detection on small functions whose patterns are known by hand.
@Suite struct SparsityDetectionTests {
  /// The pattern of a dense matrix's nonzeros.
  static func nonzeros(_ j: Tensor) -> SparsityPattern {
    let v = j.complexDoubles, columns = j.shape[1]
    return SparsityPattern(rows: j.shape[0], columns: columns) { v[$0 * columns + $1] != .zero }
  }

  @Test func elementwiseIsDiagonal() {
    let p = jacobianSparsity(of: { $0.sin() * 2 + 1 }, at: Tensor.ones([6]))
    #expect(p == .diagonal(6))
  }

  @Test func neighbourProductIsBidiagonal() {
    let f = { (x: Tensor) in x[1...] * x[..<(-1)] }
    let p = jacobianSparsity(of: f, at: Tensor.ones([5]))
    #expect(p == SparsityPattern(rows: 4, columns: 5) { $1 == $0 || $1 == $0 + 1 })
  }

  @Test func stencilWithRollAndCat() {
    let f = { (x: Tensor) in x.roll(1, dim: 0) + x.roll(-1, dim: 0) - 2 * x }
    let n = 8
    let p = jacobianSparsity(of: f, at: Tensor.ones([n]))
    #expect(p == SparsityPattern(rows: n, columns: n) { i, j in (i - j + n) % n <= 1 || (j - i + n) % n <= 1 })
    let g = { (x: Tensor) in Tensor.cat([x[..<1], x[1...] - x[..<(-1)]], dim: 0) }
    #expect(jacobianSparsity(of: g, at: Tensor.ones([n])) == SparsityPattern(rows: n, columns: n) { $1 == $0 || $1 == $0 - 1 })
  }

  @Test func reductionsAndSoftmax() {
    let x = Tensor.ones([3, 4])
    let rows = jacobianSparsity(of: { $0.sum(dims: [1]) }, at: x)
    #expect(rows == SparsityPattern(rows: 3, columns: 12) { $1 / 4 == $0 })
    let columns = jacobianSparsity(of: { $0.exp().sum(dims: [0], keepdim: true) }, at: x)
    #expect(columns == SparsityPattern(rows: 4, columns: 12) { $1 % 4 == $0 })
    let soft = jacobianSparsity(of: { $0.softmax(dim: 1) }, at: x)
    #expect(soft == SparsityPattern(rows: 12, columns: 12) { $0 / 4 == $1 / 4 })
    let scan = jacobianSparsity(of: { $0.cumsum(dim: 1) }, at: x)
    #expect(scan == SparsityPattern(rows: 12, columns: 12) { $0 / 4 == $1 / 4 && $1 <= $0 })
  }

  /// Large reductions take the marking path of the set unions (groups of 1024 indices or more
  /// that cover a quarter of the inputs); a strided reduction gives every group its own
  /// scattered columns, and a reshape (an identity index map) keeps the sets.
  @Test func largeReductions() {
    let x = Tensor.ones([3, 2000])
    let full = jacobianSparsity(of: { ($0 * $0).sum() }, at: x)
    #expect(full == SparsityPattern(rows: 1, columns: 6000) { _, _ in true })
    let rows = jacobianSparsity(of: { $0.exp().sum(dims: [1]) }, at: x)
    #expect(rows == SparsityPattern(rows: 3, columns: 6000) { $1 / 2000 == $0 })
    let strided = jacobianSparsity(of: { $0.reshaped([2000, 3]).sum(dims: [0]) }, at: x)
    #expect(strided == SparsityPattern(rows: 3, columns: 6000) { $1 % 3 == $0 })
    let shifted = jacobianSparsity(of: { ($0[1...] - $0[..<(-1)]).reshaped([2, 2999]).sum(dims: [1]) }, at: Tensor.ones([5999]))
    #expect(shifted == SparsityPattern(rows: 2, columns: 5999) { i, j in i == 0 ? j <= 2999 : j >= 2999 })
    #expect(hessianSparsity(of: { ($0 * $0).sum() }, at: x) == .diagonal(6000))
  }

  @Test func matmulIsStructural() {
    let f = { (x: Tensor) in x.reshaped([2, 3]).matmul(Tensor.ones([3, 2])) }
    let p = jacobianSparsity(of: f, at: Tensor.ones([6]))
    #expect(p == SparsityPattern(rows: 4, columns: 6) { $1 / 3 == $0 / 2 })
  }

  @Test func hessianOfSeparableSquaresIsDiagonal() {
    let p = hessianSparsity(of: { ($0 * $0).sum() }, at: Tensor.ones([5]))
    #expect(p == .diagonal(5))
    let chained = hessianSparsity(of: { x in ((x[1...] - x[..<(-1)] * x[..<(-1)]).square()).sum() }, at: Tensor.ones([6]))
    #expect(chained == SparsityPattern.banded(size: 6, lower: 1, upper: 1))
    let linear = hessianSparsity(of: { ($0 * 3).relu().sum() }, at: Tensor.ones([4]))
    #expect(linear.nonzeroCount == 0)
  }

  @Test func arrowheadHessian() {
    let f = { (x: Tensor) in x[0] * (x[1...] * x[1...]).sum() + x[1...].sin().sum() }
    let p = hessianSparsity(of: f, at: Tensor.ones([6]))
    // ∂²f/∂x₀² = 0: the arrowhead without its corner.
    #expect(p == SparsityPattern(rows: 6, columns: 6) { i, j in (i == 0) != (j == 0) || (i == j && i > 0) })
  }

  @Test func localDropsFlatRegions() {
    let x = Tensor([-1.0, 2, -3, 4])
    let global = jacobianSparsity(of: { $0.relu() }, at: x)
    let local = jacobianSparsity(of: { $0.relu() }, at: x, detection: .local)
    #expect(global == .diagonal(4))
    #expect(local == SparsityPattern(rows: 4, columns: 4) { $0 == $1 && $0 % 2 == 1 })
    let product = jacobianSparsity(of: { $0 * Tensor([0.0, 1, 0, 1]) }, at: x, detection: .local)
    #expect(product.nonzeroCount == 2)
  }

  /// An op that declares no rule: the dense fallback.
  struct Undeclared: UnaryOp {
    var name: String { "undeclaredCube" }
    func primal(_ x: Tensor) -> Tensor { x * x * x }
    func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor { 3 * x * x * dx }
    func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor { 3 * x * x * gy }
  }

  @Test func fallbackIsDenseAndListed() {
    let f = { (x: Tensor) in Tensor.apply(Undeclared(), x) }
    let x = Tensor([1.0, 2, 3, 5])
    #expect(jacobianSparsity(of: f, at: x) == .dense(rows: 4, columns: 4))
    #expect(hessianSparsity(of: { f($0).sum() }, at: x) == .dense(rows: 4, columns: 4))
    #expect(sparsityFallbacks(of: f, at: x) == ["undeclaredCube"])
    #expect(sparsityFallbacks(of: { $0.sin() }, at: x).isEmpty)
  }

  @Test func linearAlgebraIsDensePerMatrix() {
    let f = { (x: Tensor) in Linalg.det(x.reshaped([2, 2, 2])) }
    let p = jacobianSparsity(of: f, at: Tensor([1.0, 2, 3, 5, 2, 1, 1, 3]))
    #expect(p == SparsityPattern(rows: 2, columns: 8) { $1 / 4 == $0 })
  }

  @Test func complexViewsKeepBothParts() {
    let z = Tensor([1.0, 2, 3, 4]).reshaped([2, 2]).viewAsComplex()  // 2 complex numbers from 4 reals
    #expect(jacobianSparsity(of: { $0.viewAsComplex() }, at: Tensor([1.0, 2, 3, 4]).reshaped([2, 2])) == SparsityPattern(rows: 2, columns: 4) { $1 / 2 == $0 })
    #expect(jacobianSparsity(of: { $0.viewAsReal() }, at: z) == SparsityPattern(rows: 4, columns: 2) { $0 / 2 == $1 })
  }

  @Test func constantOutputHasNoNonzeros() {
    let p = jacobianSparsity(of: { _ in Tensor.ones([3]) }, at: Tensor.ones([2]))
    #expect(p.rows == 3 && p.columns == 2 && p.nonzeroCount == 0)
  }
}
