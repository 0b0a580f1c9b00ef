// TEMPORARY (issue 11, showcase branch): stand-ins for the sparse evaluation API that is being
// written at the same time (`PreparedSparseJacobian`, `PreparedSparseHessian`, `sparseJacobian`,
// `sparseHessian`), with exactly its names, so the demo and `tangent bench sparse` compile and
// run. The pattern comes from `jacobianSparsity`/`hessianSparsity`; evaluation pushes the
// colouring's seeds through one chunked `jvp` (or `hvp`) and decompresses (a dense `jacfwd` for
// row and bidirectional colourings). DELETE THIS FILE when the real API is merged.
import Tangent

/// TEMPORARY stand-in (see the top of this file).
struct PreparedSparseJacobian {
  let function: (Tensor) -> Tensor
  let pattern: SparsityPattern
  let coloring: ColoringResult
  var colorCount: Int { coloring.colorCount }

  init(
    of f: @escaping (Tensor) -> Tensor, at x: Tensor, pattern: SparsityPattern? = nil,
    coloring problem: ColoringProblem = .jacobian, algorithm: GreedyColoring = GreedyColoring(), chunkSize: Int? = nil
  ) {
    function = f
    let p = pattern ?? jacobianSparsity(of: f, at: x)
    self.pattern = p
    coloring = p.coloring(problem, algorithm: algorithm)
  }

  func jacobian<Scalar: FloatingScalar>(at x: Tensor, as type: Scalar.Type) -> SparseMatrix<Scalar> {
    let m = pattern.rows, n = pattern.columns, c = coloring.columnColorCount
    if coloring.rowColorCount == 0 && c > 0 {
      let seeds = coloring.columnSeed(dtype: x.dtype).mT.reshaped([c] + x.shape)
      let b = jvp(of: function, at: x, along: seeds, chunked: true).tangent.reshaped([c, m]).mT
      return coloring.decompress(columnProducts: b.contiguous(), as: type)
    }
    let dense = jacfwd(of: function, at: x).reshaped([m, n]).scalars(as: Scalar.self)
    return SparseMatrix(pattern: pattern, values: zip(pattern.rowIndices, pattern.columnIndices).map { dense[$0 * n + $1] })
  }
}

/// TEMPORARY stand-in (see the top of this file).
struct PreparedSparseHessian {
  let function: (Tensor) -> Tensor
  let pattern: SparsityPattern
  let coloring: ColoringResult
  var colorCount: Int { coloring.colorCount }

  init(
    of f: @escaping (Tensor) -> Tensor, at x: Tensor, pattern: SparsityPattern? = nil,
    coloring problem: ColoringProblem = .star, algorithm: GreedyColoring = GreedyColoring(), chunkSize: Int? = nil
  ) {
    function = f
    let p = pattern ?? hessianSparsity(of: f, at: x)
    self.pattern = p
    coloring = p.coloring(problem, algorithm: algorithm)
  }

  func hessian<Scalar: FloatingScalar>(at x: Tensor, as type: Scalar.Type) -> SparseMatrix<Scalar> {
    let n = pattern.columns, c = coloring.columnColorCount
    guard c > 0 else { return SparseMatrix(zerosIn: pattern) }
    let seeds = coloring.columnSeed(dtype: x.dtype).mT.reshaped([c] + x.shape)
    let b = hvp(of: function, at: x, along: seeds, chunked: true).hvp.reshaped([c, n]).mT
    return coloring.decompress(columnProducts: b.contiguous(), as: type)
  }
}

/// TEMPORARY stand-in (see the top of this file).
func sparseJacobian<Scalar: FloatingScalar>(of f: @escaping (Tensor) -> Tensor, at x: Tensor, as type: Scalar.Type) -> SparseMatrix<Scalar> {
  PreparedSparseJacobian(of: f, at: x).jacobian(at: x, as: type)
}

/// TEMPORARY stand-in (see the top of this file).
func sparseHessian<Scalar: FloatingScalar>(of f: @escaping (Tensor) -> Tensor, at x: Tensor, as type: Scalar.Type) -> SparseMatrix<Scalar> {
  PreparedSparseHessian(of: f, at: x).hessian(at: x, as: type)
}
