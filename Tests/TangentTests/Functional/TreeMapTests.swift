import Foundation
import Testing
import Tangent
import TangentTesting

// Tree.map over one to four trees: leaf by leaf, structure checks with messages.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

@Suite struct TreeMapTests {
  var rng = TestRandom(seed: 5)

  @Test mutating func mapsThreeTreesLeafByLeaf() {
    // One Adam-like step: parameters, first and second moments.
    let p = TwoLayerParams.random(&rng)
    let m = Tree.map(p) { $0 * 0.5 }
    let v = Tree.map(p) { $0.square() + 1 }
    let step = Tree.map(p, m, v) { p, m, v in p - 0.1 * m / (v.sqrt() + 1e-8) }
    for i in p.leaves.indices {
      let (pi, mi, vi) = (p.leaves[i], m.leaves[i], v.leaves[i])
      expectClose(step.leaves[i], pi - 0.1 * mi / (vi.sqrt() + 1e-8), tol: 0)
    }
    #expect(step.label == p.label)
    // Trees of different types with the same structure; the result has the first's type.
    let grads = gradient(of: { (q: TwoLayerParams) in q(Tensor.ones([1, 3])).sum() }, at: p)
    let asArray: [Tensor] = grads.leaves
    let updated: [Tensor] = Tree.map(asArray, p) { g, q in q - g }
    #expect(updated.count == 4)
    expectClose(updated[1], p.hidden.bias - grads.hidden.bias, tol: 0)
    let four = Tree.map(p, m, v, grads) { a, b, c, d in a + b + c + d }
    expectClose(four.output.bias, p.output.bias + m.output.bias + v.output.bias + grads.output.bias, tol: 0)
    // Shapes may differ when asked.
    let scaled = Tree.map([Tensor.ones([2, 2])], [Tensor([2.0])], requiringEqualShapes: false) { $0 * $1 }
    #expect(scaled[0].doubles == [2, 2, 2, 2])
  }

  @Test func structureMismatchStopsWithAMessage() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tree.map([Tensor.ones([2])], [Tensor.ones([2])], [Tensor.ones([2]), Tensor.ones([2])]) { a, b, c in a + b + c }
    }
    #expect(
      stderrText(r0).contains("Tree.map: tree 3 has 2 leaves and tree 1 has 1; the trees must have the same structure"),
      "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tree.map(["a": Tensor.ones([2]), "b": Tensor.ones([3])], [Tensor.ones([2]), Tensor.ones([4])]) { $0 + $1 }
    }
    #expect(
      stderrText(r1).contains("Tree.map: leaf 1 has shape [4] in tree 2 and [3] in tree 1; the trees must have the same leaf shapes"),
      "\(stderrText(r1))")
  }
}
