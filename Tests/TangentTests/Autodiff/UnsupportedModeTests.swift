import Foundation
import Testing
import TangentTesting

@testable import Tangent

// Issue 10, defect 7: an op declares the modes it has no rule for, the engine stops with a
// message naming the op and the mode, and the op database reads the same declaration.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

@Suite struct UnsupportedModeTests {
  @Test func nextAfterHasNoDerivativeInEitherMode() async {
    // Plain values, and a recorded forward pass, still work (PyTorch raises only at backward).
    let a = Tensor([1.0, 2.0]), b = Tensor([2.0, 0.0])
    #expect(a.nextAfter(b).doubles == [Double(1).nextUp, Double(2).nextDown])
    #expect(a.requiringGrad().nextAfter(b).doubles == [Double(1).nextUp, Double(2).nextDown])
    let forward = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = jvp(of: { $0.nextAfter(Tensor([2.0, 0.0])) }, at: Tensor([1.0, 2.0]), along: Tensor([1.0, 1.0]))
    }
    #expect(stderrText(forward).contains("nextAfter: forward-mode differentiation is not supported"), "\(stderrText(forward))")
    let reverse = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = gradient(of: { $0.nextAfter(Tensor([2.0, 0.0])).sum() }, at: Tensor([1.0, 2.0]))
    }
    #expect(stderrText(reverse).contains("nextAfter: reverse-mode differentiation is not supported"), "\(stderrText(reverse))")
  }

  @Test func legacyTriangularSolveStopsUnderForwardOverReverse() async {
    let a = Tensor([[2.0, 1.0], [0.0, 3.0]]), b = Tensor([[1.0], [2.0]])
    let solve = { (a: Tensor) in Linalg.triangularSolve(b, a).solution.sum() }
    // Forward and reverse alone are supported.
    let g = gradient(of: solve, at: a)
    #expect(g.shape == [2, 2])
    #expect(jvp(of: solve, at: a, along: Tensor.eye(2)).tangent.shape == [])
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let a = Tensor([[2.0, 1.0], [0.0, 3.0]]), b = Tensor([[1.0], [2.0]])
      _ = hessian(of: { Linalg.triangularSolve(b, $0).solution.sum() }, at: a)
    }
    #expect(
      stderrText(r).contains("Linalg.triangularSolve: forward-over-reverse-mode differentiation is not supported"),
      "\(stderrText(r))")
    // The current API has a consistent second derivative.
    #expect(hessian(of: { Linalg.solveTriangular($0, b, upper: true).sum() }, at: a).shape == [2, 2, 2, 2])
  }

  @Test func theOpDatabaseReadsTheDeclaration() {
    #expect(Set(Autodiff.unsupportedModes(ofOp: "nextAfter").keys) == [.forward, .reverse])
    #expect(Set(Autodiff.unsupportedModes(ofOp: "Linalg.triangularSolve").keys) == [.forwardOverReverse])
    #expect(Autodiff.unsupportedModes(ofOp: "Linalg.solveTriangular").isEmpty)
    let next = OpDatabase.all.first { $0.name == "nextAfter" }!
    #expect(next.modes == .none)
    #expect(next.limits.contains { $0.contains("declared by the op") })
    let legacy = OpDatabase.all.first { $0.name == "Linalg.triangularSolve" }!
    #expect(legacy.modes == [.forward, .reverse, .forwardOverForward, .chunked])
    // Every declaring op is named by a record, so the op database cannot miss a declaration.
    for op in Autodiff.opsWithUnsupportedModes {
      #expect(OpDatabase.all.contains { $0.name == op.name }, "\(op.name) declares unsupported modes but has no record")
    }
  }
}
