import Foundation
import Testing
import TangentTesting

@testable import Tangent

// multi_head_attention_forward against scaled dot-product attention of the projected heads;
// derivatives are checked by the op database.

@Suite struct NNMultiheadAttentionTests {
  @Test func matchesScaledDotProductAttentionOfTheHeads() {
    let (l, s, n, e, h) = (3, 5, 2, 4, 2)
    let query = uniform([l, n, e], -1...1, seed: 71), key = uniform([s, n, e], -1...1, seed: 72), value = uniform([s, n, e], -1...1, seed: 73)
    let w = uniform([3 * e, e], -1...1, seed: 74), b = uniform([3 * e], -1...1, seed: 75)
    let wo = uniform([e, e], -1...1, seed: 76), bo = uniform([e], -1...1, seed: 77)
    let mask = uniform([l, s], -1...1, seed: 78)
    let r = NN.multiHeadAttentionForward(
      query: query, key: key, value: value, numHeads: h, inProjWeight: w, inProjBias: b, outProjWeight: wo, outProjBias: bo, attnMask: mask)
    // [T, N, E] → [N, H, T, E/H].
    func heads(_ x: Tensor, _ i: Int) -> Tensor {
      let p = NN.linear(x, weight: w.narrowed(dim: 0, start: i * e, length: e), bias: b.narrowed(dim: 0, start: i * e, length: e))
      return p.reshaped([x.shape[0], n, h, e / h]).permuted([1, 2, 0, 3])
    }
    let attended = NN.scaledDotProductAttention(heads(query, 0), heads(key, 1), heads(value, 2), attnMask: mask)  // [N, H, L, E/H]
    let want = NN.linear(attended.permuted([2, 0, 1, 3]).reshaped([l, n, e]), weight: wo, bias: bo)
    expectClose(r.output, want.doubles, atol: 1e-13, "output")
    let scores = heads(query, 0).matmul(heads(key, 1).mT) / Double(e / h).squareRoot() + mask
    expectClose(r.weights!, scores.softmax(dim: -1).mean(dims: [1]).doubles, atol: 1e-13, "weights")
    // A boolean key padding mask removes those keys.
    let padding = Tensor(shape: [n, s], scalars: [false, true, false, false, true, false, false, false, false, false])
    let masked = NN.multiHeadAttentionForward(
      query: query, key: key, value: value, numHeads: h, inProjWeight: w, inProjBias: b, outProjWeight: wo, outProjBias: bo,
      keyPaddingMask: padding, averageAttnWeights: false)
    let weights = masked.weights!.doubles  // [N, H, L, S]
    for (i, x) in weights.enumerated() where padding.scalars(as: Bool.self)[(i / (h * l * s)) * s + i % s] { #expect(x == 0) }
  }
}
