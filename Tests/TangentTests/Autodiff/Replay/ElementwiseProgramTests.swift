import Testing
import TangentTesting
@testable import Tangent

// Which recorded steps are graphs of element functions (an `ElementwiseProgram`): steps made of
// stateless element kernels are; a step whose kernel is a closure, or that computes a value
// outside the recorded kernels (a copy), is not and replays whole; a fused plan around such a
// step still gives the function's bits.

@Suite struct ElementwiseProgramTests {
  /// The recorded steps of `f` at `x`, by name, with whether each has a program.
  func steps(_ f: (Tensor) -> Tensor, at x: Tensor) throws -> [(name: String, program: ElementwiseProgram?)] {
    let recorder = ReplayRecorder(point: x)
    let y = recorder.recording { f(recorder.point) }
    return try recorder.plan(results: [y]).get().steps.map { ($0.name, $0.program) }
  }

  @Test func stepsOfElementKernelsArePrograms() throws {
    var g = TestRandom(seed: 21)
    let s = try steps({ ($0 * 2).sin() - $0 }, at: g.tensor([7]))
    #expect(s.count == 3)
    for step in s {
      let p = try #require(step.program, "\(step.name) has no program")
      #expect(p.nodes.count == 1, "\(step.name): \(p.nodes.count) kernels")
    }
  }

  @Test func aClosureKernelIsNotAProgram() throws {
    // softplus runs a parametric function through a closure kernel, which may capture anything.
    var g = TestRandom(seed: 22)
    let s = try steps({ ($0 * 2).softplus(beta: 2) }, at: g.tensor([7]))
    let softplus = try #require(s.first { $0.name.contains("softplus") }, "\(s.map(\.name))")
    #expect(softplus.program == nil)
    #expect(s.first { $0.name == "mul" }?.program != nil)
  }

  @Test func aCopyInsideAStepIsNotAProgram() throws {
    // Reshaping a transposed view copies it: the copy is no element kernel.
    var g = TestRandom(seed: 23)
    let s = try steps({ $0.transposed().reshaped([12]) }, at: g.tensor([3, 4]))
    #expect(s.contains { $0.program == nil }, "\(s.map { "\($0.name): \($0.program == nil ? "whole" : "program")" })")
  }

  @Test func aFusedPlanAroundAWholeStepKeepsTheBits() throws {
    var g = TestRandom(seed: 24)
    let f = { (u: Tensor) -> Tensor in ((u * u - 1).softplus(beta: 2) * u + u.cos()).exp() }
    let x0 = g.tensor([3000])
    let recorder = ReplayRecorder(point: x0)
    let y = recorder.recording { f(recorder.point) }
    let plan = try recorder.plan(results: [y]).get()
    let fused = try #require(FusedReplayPlan(plan))
    #expect(fused.wholeStepCount == 1 && fused.groupCount == 2, "\(fused)")
    for _ in 0..<3 {
      let x = g.tensor([3000])
      let r = try #require(fused.replay(at: x))[0]
      let expected = f(x)
      #expect(r.scalars(as: Double.self).map(\.bitPattern) == expected.scalars(as: Double.self).map(\.bitPattern))
    }
  }
}
