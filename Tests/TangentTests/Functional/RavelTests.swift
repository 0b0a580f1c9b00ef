import Foundation
import Testing
import Tangent
import TangentTesting

// ravel: the flat vector and its inverse, dtype promotion, derivatives through both ways,
// and the length check.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

@Suite struct RavelTests {
  var rng = TestRandom(seed: 77)

  @Test mutating func roundTripKeepsOrderShapesAndFields() {
    var params = TwoLayerParams.random(&rng)
    params.label = "kept"
    let (theta, unravel) = ravel(params)
    #expect(theta.shape == [26] && theta.dtype == .float64)
    // Leaf by leaf, row-major, in declaration order.
    let expected = params.leaves.flatMap(\.doubles)
    #expect(theta.doubles == expected)
    let back = unravel(theta)
    #expect(back.label == "kept")
    for (a, b) in zip(back.leaves, params.leaves) {
      #expect(a.shape == b.shape && a.doubles == b.doubles)
    }
    let doubled = unravel(theta * 2)
    #expect(doubled.output.weight.doubles == params.output.weight.doubles.map { $0 * 2 })
    // An empty tree gives an empty float64 vector.
    let (empty, unravelEmpty) = ravel([Tensor]())
    #expect(empty.shape == [0] && empty.dtype == .float64 && unravelEmpty(empty).isEmpty)
  }

  @Test mutating func dtypesArePromotedAndRestored() {
    let tree: [String: Tensor] = ["a": rng.tensor([2], dtype: .float32), "b": rng.tensor([3])]
    let (v, unravel) = ravel(tree)
    #expect(v.dtype == .float64)
    let back = unravel(v)
    #expect(back["a"]!.dtype == .float32 && back["b"]!.dtype == .float64)
    #expect(back["a"]!.doubles == tree["a"]!.doubles && back["b"]!.doubles == tree["b"]!.doubles)
    let mixed = [rng.tensor([2]), rng.tensor([2], dtype: .complex128)]
    let (z, unravelZ) = ravel(mixed)
    #expect(z.dtype == .complex128)
    let restored = unravelZ(z)
    #expect(restored[0].dtype == .float64 && restored[0].doubles == mixed[0].doubles)
    #expect(restored[1].complexDoubles == mixed[1].complexDoubles)
  }

  @Test mutating func gradientsFlowThroughRavelAndUnravel() {
    let params = TwoLayerParams.random(&rng)
    let x = rng.tensor([4, 3])
    let loss = { (p: TwoLayerParams) in (p(x).tanh() * 3).sum() }
    let (theta, unravel) = ravel(params)
    // Through unravel: the flat gradient is the raveled tree gradient.
    let flat = gradient(of: { loss(unravel($0)) }, at: theta)
    expectClose(flat, ravel(gradient(of: loss, at: params)).vector, tol: 1e-14)
    // Through ravel: d/dp ⟨w, ravel(p)⟩ = unravel(w), in reverse and forward mode.
    let w = rng.tensor([26])
    let g = gradient(of: { (p: TwoLayerParams) in (ravel(p).vector * w).sum() }, at: params)
    expectClose(ravel(g).vector, w, tol: 0)
    let direction = unravel(rng.tensor([26]))
    let (_, t) = jvp(of: { (p: TwoLayerParams) in ravel(p).vector }, at: params, along: direction)
    expectClose(t, ravel(direction).vector, tol: 0)
    // The flat gradient against finite differences.
    let numeric = numericJacobian({ loss(unravel($0)).reshaped([1]) }, at: theta).reshaped([26])
    expectClose(flat, numeric, tol: 1e-7)
  }

  @Test func wrongLengthStopsWithAMessage() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let (_, unravel) = ravel([Tensor.ones([2, 3]), Tensor.ones([4])])
      _ = unravel(Tensor.ones([9]))
    }
    #expect(
      stderrText(r0).contains("ravel: unravel expects a vector of 10 elements (shape [10]), the length of the raveled tree, but got shape [9] (9 elements)"),
      "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let (_, unravel) = ravel([Tensor.ones([2, 3]), Tensor.ones([4])])
      _ = unravel(Tensor.ones([2, 5]))
    }
    #expect(stderrText(r1).contains("ravel: unravel expects a vector of 10 elements (shape [10]), the length of the raveled tree, but got shape [2, 5]"), "\(stderrText(r1))")
  }
}
