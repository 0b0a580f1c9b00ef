import Foundation
import Testing

@testable import Tangent

// The shared kernel helpers: the LAPACK visitor (one dtype dispatch for every LAPACK kernel),
// the one batch-offset walk, the one sum-to-shape op, LinearOp's default applyLinear, and
// eigh/eig's failure flag now that LAPACK's info is not an op output.

/// Reports the dtype of the scalar type it is run with.
private struct ScalarDType: LAPACKVisitor {
  func visit<T: LAPACKScalar>(_: T.Type) -> DType { T.dtype }
}

/// A linear op that leaves `applyLinear` to the protocol's default.
private struct TripledOp: LinearOp {
  var name: String { "tripled" }
  func primal(_ x: Tensor) -> Tensor { x * 3 }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { Tensor.apply(self, gy) }
}

private func stderrText(_ result: ExitTest.Result?) -> String {
  String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
}

/// The row-major offsets of every index of `shape` with `strides`, by multi-indices.
private func naiveOffsets(_ shape: [Int], _ strides: [Int]) -> [Int] {
  multiIndices(shape).map { index in zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 } }
}

@Suite struct KernelHelperTests {
  @Test func lapackVisitorRunsTheScalarTypeOfEachFloatingDType() {
    for dtype in [DType.float32, .float64, .complex64, .complex128] {
      #expect(dtype.visitLAPACK(ScalarDType(), op: "test") == dtype)
    }
  }

  @Test func lapackKernelsStopOnOtherDTypesNamingTheOp() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = LAPACK.determinant(lu: Tensor.zeros([2, 2], dtype: .int64), pivots: Tensor.ones([2], dtype: .int64))
    }
    #expect(stderrText(r0).contains("det: expected a floating dtype, got int64"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = LAPACK.eigh(Tensor.zeros([2, 2], dtype: .bool), upper: false, vectors: true)
    }
    #expect(stderrText(r1).contains("eigh: expected a floating dtype, got bool"), "\(stderrText(r1))")
  }

  @Test func stridedOffsetsWalkEveryIndexInRowMajorOrder() {
    // One operand, with merged (contiguous) and broadcast (zero-stride) dims.
    #expect(StridedRows.offsets(shape: [2, 3, 4], [12, 4, 1]) == Array(0..<24))
    #expect(StridedRows.offsets(shape: [2, 3, 2], [0, 5, 1]) == naiveOffsets([2, 3, 2], [0, 5, 1]))
    // Two and three operands, interleaved.
    let a = naiveOffsets([3, 2], [1, 3]), b = naiveOffsets([3, 2], [2, 0]), c = naiveOffsets([3, 2], [2, 1])
    #expect(StridedRows.offsets(shape: [3, 2], [1, 3], [2, 0]) == zip(a, b).flatMap { [$0, $1] })
    #expect(StridedRows.offsets(shape: [3, 2], [1, 3], [2, 0], [2, 1]) == (0..<6).flatMap { [a[$0], b[$0], c[$0]] })
    // A 0-d batch is one item at offset 0; an empty batch has none.
    #expect(StridedRows.offsets(shape: [], []) == [0])
    #expect(StridedRows.offsets(shape: [3, 0], [1, 1]).isEmpty)
  }

  @Test func batchOffsetsBroadcastTheLeadingDims() {
    // A [3, 1, 2, 2] tensor against the batch [4, 3, 5]: the missing and size-1 dims repeat.
    let t = Tensor.zeros([3, 1, 2, 2])
    let got = LAPACK.batchOffsets(t, inner: 2, batch: [4, 3, 5])
    #expect(got == naiveOffsets([4, 3, 5], [0, 4, 0]))
    // Pivots: one inner dim.
    let p = Tensor.zeros([2, 3], dtype: .int64)
    #expect(LAPACK.batchOffsets(p, inner: 1, batch: [5, 2]) == naiveOffsets([5, 2], [0, 3]))
  }

  @Test func sumToShapeKeepsLeadingChunkDims() {
    // g: a chunk dim of 2 in front of an output [3, 4]; the input was [1, 4].
    let g = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Double.init))
    let got = summed(g, toInputShape: [1, 4], outputRank: 2)
    #expect(got.shape == [2, 1, 4])
    #expect(got.scalars(as: Double.self) == [12, 15, 18, 21, 48, 51, 54, 57])
    // An input of lower rank ([4]): the added dim is summed and dropped.
    let dropped = summed(g, toInputShape: [4], outputRank: 2)
    #expect(dropped.shape == [2, 4])
    #expect(dropped.scalars(as: Double.self) == got.scalars(as: Double.self))
    // Without chunk dims, the plain sum to the shape.
    let plain = summed(g, toInputShape: [1, 3, 1], outputRank: 3)
    #expect(plain.shape == [1, 3, 1])
    #expect(plain.scalars(as: Double.self) == [60, 92, 124])
  }

  @Test func sumToShapeIsTheAdjointOfExpand() {
    // ⟨expand(x), y⟩ = ⟨x, sumToShape(y)⟩, with and without leading chunk dims.
    let x = Tensor(shape: [2, 1, 3], scalars: (0..<6).map { Double($0) - 2.5 })
    let y = Tensor(shape: [2, 4, 3], scalars: (0..<24).map { sin(Double($0)) })
    let lhs = (x.expanded(to: [2, 4, 3]) * y).sum().scalars(as: Double.self)[0]
    let rhs = (x * Tensor.apply(SumToShapeOp(shape: [1, 3], leading: 1), y)).sum().scalars(as: Double.self)[0]
    #expect(abs(lhs - rhs) < 1e-12)
    let whole = (x * y.summed(toShape: [2, 1, 3])).sum().scalars(as: Double.self)[0]
    #expect(abs(lhs - whole) < 1e-12)
  }

  @Test func linearOpsApplyThemselvesToTangentsByDefault() {
    let x = Tensor([1.0, -2.0, 0.5])
    let v = Tensor([0.25, 1.0, -4.0])
    let (value, tangent) = jvp(of: { Tensor.apply(TripledOp(), $0) }, at: x, along: v)
    #expect(value.scalars(as: Double.self) == [3, -6, 1.5])
    #expect(tangent.scalars(as: Double.self) == [0.75, 3, -12])
    let g = gradient(of: { Tensor.apply(TripledOp(), $0).sum() }, at: x)
    #expect(g.scalars(as: Double.self) == [3, 3, 3])
  }

  @Test func eigenFailuresAreFlaggedByNaNEigenvalues() throws {
    // The second matrix of the batch has a NaN entry: LAPACK's info is 1 there.
    var values = [Double](repeating: 0, count: 18)
    for i in 0..<3 { values[i * 4] = Double(i + 1); values[9 + i * 4] = Double(i + 1) }
    values[9 + 1] = .nan
    values[9 + 3] = .nan
    let a = Tensor(shape: [2, 3, 3], scalars: values)
    #expect(throws: LinalgError.noConvergence(op: "Linalg.eigh", batchIndex: 1)) { _ = try Linalg.eigh(a) }
    #expect(throws: LinalgError.noConvergence(op: "Linalg.eig", batchIndex: 1)) { _ = try Linalg.eig(a) }
    #expect(throws: LinalgError.noConvergence(op: "Linalg.eigvalsh", batchIndex: 1)) { _ = try Linalg.eigvalsh(a) }
    // A batch that converges: named results, eigenvalues ascending.
    let ok = a.narrowed(dim: 0, start: 0, length: 1)
    let (l, v) = try Linalg.eigh(ok)
    #expect(zip(l.scalars(as: Double.self), [1.0, 2, 3]).allSatisfy { abs($0 - $1) < 1e-12 })
    #expect(v.shape == [1, 3, 3])
    // The flag itself: NaN eigenvalues in the third matrix of four.
    let flagged = Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, .nan, .nan, 7, 8])
    #expect(throws: LinalgError.noConvergence(op: "op", batchIndex: 2)) { try Linalg.checkConvergence(eigenvalues: flagged, op: "op") }
    try Linalg.checkConvergence(eigenvalues: Tensor.zeros([3, 0]), op: "op")
  }
}
