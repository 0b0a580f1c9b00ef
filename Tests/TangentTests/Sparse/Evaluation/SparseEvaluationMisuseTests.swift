import Foundation
import Testing
import Tangent
import TangentTesting

// Misuse of the sparse Jacobian and Hessian entry points stops with a message that names the
// entry point, the shapes or dtypes, and the rule broken.

@Suite struct SparseEvaluationMisuseTests {
  @Test func jacobianMisuse() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor.zeros([10])
      _ = PreparedSparseJacobian(of: tridiagonalMap, at: x, pattern: .banded(size: 10, lower: 1, upper: 1))
    }
    #expect(
      sparseStderr(r0).contains("PreparedSparseJacobian: the pattern is 10 × 10, but f maps 10 elements (shape [10]) to 8 (shape [8]), so the Jacobian is 8 × 10"),
      "\(sparseStderr(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let prepared = PreparedSparseJacobian(of: { $0.sin() }, at: Tensor.zeros([4]), pattern: .diagonal(4))
      _ = prepared.jacobian(at: Tensor.zeros([5]), as: Double.self)
    }
    #expect(
      sparseStderr(r1).contains("PreparedSparseJacobian.jacobian(at:): the point has shape [5], but the Jacobian was prepared for shape [4]"),
      "\(sparseStderr(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let prepared = PreparedSparseJacobian(of: { $0.sin() }, at: Tensor.zeros([4]), pattern: .diagonal(4))
      _ = prepared.jacobian(at: Tensor.zeros([4]), as: Float.self)
    }
    #expect(
      sparseStderr(r2).contains("PreparedSparseJacobian.jacobian(at:): SparseMatrix<Float> holds float32, but the Jacobian is float64"),
      "\(sparseStderr(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let prepared = PreparedSparseJacobian(of: { $0.sin() }, at: Tensor.zeros([4]), pattern: .diagonal(4))
      _ = prepared.jacobian(at: Tensor.zeros([4], dtype: .float32), as: Float.self)
    }
    #expect(
      sparseStderr(r3).contains("PreparedSparseJacobian.jacobian(at:): the point holds float32, but the Jacobian was prepared for float64"),
      "\(sparseStderr(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = sparseJacobian(of: { $0.sin() }, at: Tensor.zeros([4]), as: Double.self, coloring: .star)
    }
    #expect(
      sparseStderr(r4).contains("sparseJacobian: .star colours a symmetric Hessian; a Jacobian takes .jacobian, .column, .row or .bidirectional"),
      "\(sparseStderr(r4))")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = sparseJacobian(of: { $0.sin() }, at: Tensor.zeros([4]), as: Double.self, pattern: .diagonal(4), chunkSize: 0)
    }
    #expect(sparseStderr(r5).contains("sparseJacobian: chunkSize must be positive, got 0"), "\(sparseStderr(r5))")
    let r6 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = sparseJacobian(of: { $0.abs() }, at: Tensor.zeros([3], dtype: .complex128), as: Double.self, pattern: .diagonal(3))
    }
    #expect(
      sparseStderr(r6).contains("sparseJacobian: f maps complex128 to float64; a sparse Jacobian needs the output in the input's dtype"),
      "\(sparseStderr(r6))")
    let r7 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      // f's output shape changes between preparation and evaluation.
      let prepared = PreparedSparseJacobian(
        of: { x in x.sum().item(as: Double.self) > 0 ? x.sin() : x[0..<2] }, at: Tensor.ones([3]), pattern: .diagonal(3))
      _ = prepared.jacobian(at: Tensor.zeros([3]) - 1, as: Double.self)
    }
    #expect(
      sparseStderr(r7).contains("PreparedSparseJacobian.jacobian(at:): f returned shape [2] (float64) at this point, but [3] (float64) when prepared"),
      "\(sparseStderr(r7))")
  }

  @Test func outerDerivativesAreNotDropped() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = jvp(of: { (p: Tensor) -> Tensor in
        sparseJacobian(of: { $0.sin() }, at: p, as: Double.self, pattern: .diagonal(3)).dense()
      }, at: Tensor.ones([3]), along: Tensor.ones([3]))
    }
    #expect(
      sparseStderr(r0).contains("sparseJacobian: the point (or a tensor f captures) carries derivatives of an outer transform"),
      "\(sparseStderr(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = jvp(of: { (p: Tensor) -> Tensor in
        sparseHessian(of: { ($0 * $0 * $0 * p).sum() }, at: Tensor.ones([3]), as: Double.self, pattern: .diagonal(3)).dense()
      }, at: Tensor.ones([3]), along: Tensor.ones([3]))
    }
    #expect(
      sparseStderr(r1).contains("sparseHessian: the point (or a tensor f captures) carries derivatives of an outer transform"),
      "\(sparseStderr(r1))")
  }

  @Test func hessianMisuse() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = sparseHessian(of: { $0 * $0 }, at: Tensor.zeros([3]), as: Double.self, pattern: .diagonal(3))
    }
    #expect(
      sparseStderr(r0).contains("sparseHessian: f must return a single element, got shape [3]; for a vector function use PreparedSparseJacobian"),
      "\(sparseStderr(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = PreparedSparseHessian(of: { ($0 * $0).sum() }, at: Tensor.zeros([3]), pattern: .diagonal(4))
    }
    #expect(
      sparseStderr(r1).contains("PreparedSparseHessian: the pattern is 4 × 4, but the point has 3 elements (shape [3]), so the Hessian is 3 × 3"),
      "\(sparseStderr(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let upper = SparsityPattern(rows: 3, columns: 3) { i, j in j >= i }
      _ = PreparedSparseHessian(of: { ($0 * $0).sum() }, at: Tensor.zeros([3]), pattern: upper)
    }
    #expect(sparseStderr(r2).contains("PreparedSparseHessian: the pattern must be symmetric, as a Hessian is"), "\(sparseStderr(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = PreparedSparseHessian(of: { ($0 * $0).sum() }, at: Tensor.zeros([3]), pattern: .diagonal(3), coloring: .column)
    }
    #expect(
      sparseStderr(r3).contains("PreparedSparseHessian: .column colours a Jacobian; a symmetric Hessian takes .star or .acyclic"),
      "\(sparseStderr(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = sparseHessian(of: { ($0 * $0).sum().real }, at: Tensor.zeros([3], dtype: .complex128), as: Double.self, pattern: .diagonal(3))
    }
    #expect(
      sparseStderr(r4).contains("sparseHessian: the point holds complex128; a sparse Hessian needs float32 or float64"),
      "\(sparseStderr(r4))")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let prepared = PreparedSparseHessian(of: { ($0 * $0).sum() }, at: Tensor.zeros([2, 3]), pattern: .diagonal(6))
      _ = prepared.hessian(at: Tensor.zeros([3, 2]), as: Double.self)
    }
    #expect(
      sparseStderr(r5).contains("PreparedSparseHessian.hessian(at:): the point has shape [3, 2], but the Hessian was prepared for shape [2, 3]"),
      "\(sparseStderr(r5))")
    let r6 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let prepared = PreparedSparseHessian(of: { ($0 * $0).sum() }, at: Tensor.zeros([3]), pattern: .diagonal(3))
      _ = prepared.hessian(at: Tensor.zeros([3]), as: Float.self)
    }
    #expect(
      sparseStderr(r6).contains("PreparedSparseHessian.hessian(at:): SparseMatrix<Float> holds float32, but the Hessian is float64"),
      "\(sparseStderr(r6))")
  }
}
