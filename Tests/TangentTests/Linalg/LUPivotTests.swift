import Foundation
import Testing

@testable import Tangent

// Issue 10, defect 2: user pivots are checked (1…n) in the Linalg layer before any LAPACK kernel
// swaps rows by them; valid pivots that LAPACK itself would not produce still work.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

@Suite struct LUPivotTests {
  @Test func outOfRangePivotsStop() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Linalg.luSolve(Tensor.eye(3) * 2, Tensor([1, 99, -5] as [Int64]), Tensor.ones([3, 2]))
    }
    #expect(
      stderrText(r0).contains("Linalg.luSolve: pivot 99 at position 2 of batch 0 is out of range 1...3"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Linalg.luSolve(Tensor.eye(2).expanded(to: [2, 2, 2]), Tensor(shape: [2, 2], scalars: [1, 2, 2, 0] as [Int64]), Tensor.ones([2, 2, 1]))
    }
    #expect(
      stderrText(r1).contains("Linalg.luSolve: pivot 0 at position 2 of batch 1 is out of range 1...2"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Linalg.luUnpack(Tensor.eye(3), Tensor([1, 2, 4] as [Int64]))
    }
    #expect(
      stderrText(r2).contains("Linalg.luUnpack: pivot 4 at position 3 of batch 0 is out of range 1...3"), "\(stderrText(r2))")
    // Wide matrices: pivots index rows (m), not columns.
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Linalg.luUnpack(Tensor.zeros([2, 4]), Tensor([3, 2] as [Int64]))
    }
    #expect(stderrText(r3).contains("Linalg.luUnpack: pivot 3 at position 1 of batch 0 is out of range 1...2"), "\(stderrText(r3))")
  }

  @Test func unusualButValidPivotsWork() throws {
    // [2, 1, 3] swaps rows 1 and 2, then swaps them back: the identity permutation.
    let pivots = Tensor([2, 1, 3] as [Int64])
    let a = Tensor.eye(3) * 2
    let b = Tensor(shape: [3, 2], scalars: [1.0, 2, 3, 4, 5, 6])
    #expect(Linalg.luSolve(a, pivots, b).doubles == (b / 2).doubles)
    #expect(Linalg.luUnpack(a, pivots).p.doubles == Tensor.eye(3).doubles)
    // Pivots pointing above the diagonal are valid too: [3, 3, 3] is the cycle (1 3)(2 3).
    let (p, _, _) = Linalg.luUnpack(a, Tensor([3, 3, 3] as [Int64]))
    let perm = [2, 0, 1]  // rows after the swaps: (0 2) then (1 2)
    var expected = [Double](repeating: 0, count: 9)
    for i in 0..<3 { expected[perm[i] * 3 + i] = 1 }
    #expect(p.doubles == expected)
    // And a real factorisation still round-trips.
    let m = Tensor(shape: [3, 3], scalars: [0.0, 2, 1, 1, 1, 1, 4, 0, 3])
    let (lu, piv) = try Linalg.luFactor(m)
    let x = Linalg.luSolve(lu, piv, b)
    #expect((m.matmul(x) - b).abs().amax().scalar < 1e-12)
  }
}
