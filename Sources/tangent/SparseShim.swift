// TEMPORARY (issue 11, showcase branch): stand-ins for the sparse evaluation API that is being
// written at the same time (`PreparedSparseJacobian`, `PreparedSparseHessian`, `sparseJacobian`,
// `sparseHessian`), with exactly its names, so the demo and `tangent bench sparse` compile.
// They are naive: dense `jacfwd`/`hessian`, the pattern read off the dense matrix's nonzeros at
// the preparation point. DELETE THIS FILE when the real API is merged.
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
    let p = pattern ?? SparseMatrix<Double>(dense: jacfwd(of: f, at: x).reshaped([f(x).count, x.count])).pattern
    self.pattern = p
    coloring = p.coloring(problem, algorithm: algorithm)
  }

  func jacobian<Scalar: FloatingScalar>(at x: Tensor, as _: Scalar.Type) -> SparseMatrix<Scalar> {
    let y = function(x)
    let dense = jacfwd(of: function, at: x).reshaped([y.count, x.count]).scalars(as: Scalar.self)
    let rows = pattern.rowIndices
    return SparseMatrix(pattern: pattern, values: zip(rows, pattern.columnIndices).map { dense[$0 * x.count + $1] })
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
    let p = pattern ?? SparseMatrix<Double>(dense: Tangent.hessian(of: f, at: x).reshaped([x.count, x.count])).pattern
    self.pattern = p
    coloring = p.coloring(problem, algorithm: algorithm)
  }

  func hessian<Scalar: FloatingScalar>(at x: Tensor, as _: Scalar.Type) -> SparseMatrix<Scalar> {
    let dense = Tangent.hessian(of: function, at: x).reshaped([x.count, x.count]).scalars(as: Scalar.self)
    return SparseMatrix(pattern: pattern, values: zip(pattern.rowIndices, pattern.columnIndices).map { dense[$0 * x.count + $1] })
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
