import Foundation
import Testing
import TangentTesting

@testable import Tangent

// NN.linear, bilinear, normalize, cosineSimilarity and pairwiseDistance: values against loops,
// derivatives by gradcheck (complex128 where PyTorch takes complex inputs), misuse messages.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

/// The p-norm of a list of complex numbers.
private func pNorm(_ z: [Complex<Double>], _ p: Double) -> Double {
  Foundation.pow(z.reduce(0) { $0 + Foundation.pow($1.length, p) }, 1 / p)
}

@Suite struct NNFunctionalTests {
  @Test func linear() {
    let v = complexInputs([[2, 3, 4], [5, 4], [5], [4]])
    let (x, w, b, w1) = (v[0], v[1], v[2], v[3])
    let want = complexReference([2, 3, 5]) { i in
      (0..<4).reduce(complexAt(b, [i[2]])) { $0 + complexAt(x, [i[0], i[1], $1]) * complexAt(w, [i[2], $1]) }
    }
    expectValues(NN.linear(x, weight: w, bias: b), want, "linear with bias")
    expectValues(NN.linear(x, weight: w), want - b, "linear without bias")
    expectValues(NN.linear(x.select(dim: 0, index: 1).select(dim: 0, index: 2), weight: w, bias: b),
                 want.select(dim: 0, index: 1).select(dim: 0, index: 2), "1-d input")
    expectValues(NN.linear(x, weight: w1), complexReference([2, 3]) { i in
      (0..<4).reduce(Complex<Double>.zero) { $0 + complexAt(x, [i[0], i[1], $1]) * complexAt(w1, [$1]) }
    }, "1-d weight")
    expectValues(NN.linear(Tensor.zeros([0, 4], dtype: .complex128), weight: w, bias: b), Tensor.zeros([0, 5], dtype: .complex128), "empty batch")
    expectGradients([[2, 3, 4], [5, 4], [5]]) { [NN.linear($0[0], weight: $0[1], bias: $0[2])] }
    expectGradients([[3, 4], [4]]) { [NN.linear($0[0], weight: $0[1])] }
  }

  @Test func bilinear() {
    let v = complexInputs([[2, 2, 3], [2, 2, 4], [5, 3, 4], [5]])
    let (x1, x2, w, b) = (v[0], v[1], v[2], v[3])
    let want = complexReference([2, 2, 5]) { i in
      var s = complexAt(b, [i[2]])
      for p in 0..<3 { for q in 0..<4 { s += complexAt(x1, [i[0], i[1], p]) * complexAt(w, [i[2], p, q]) * complexAt(x2, [i[0], i[1], q]) } }
      return s
    }
    expectValues(NN.bilinear(x1, x2, weight: w, bias: b), want, "bilinear")
    expectValues(NN.bilinear(x1, x2, weight: w), want - b, "bilinear without bias")
    expectValues(
      NN.bilinear(x1.select(dim: 0, index: 0).select(dim: 0, index: 1), x2.select(dim: 0, index: 0).select(dim: 0, index: 1), weight: w, bias: b),
      want.select(dim: 0, index: 0).select(dim: 0, index: 1), "vectors")
    expectValues(Tensor.einsum("abi,oij,abj->abo", x1, w, x2) + b, want, "as an einsum")
    expectGradients([[3, 2], [3, 3], [2, 2, 3], [2]]) { [NN.bilinear($0[0], $0[1], weight: $0[2], bias: $0[3])] }
  }

  @Test func normalize() {
    let x = complexInputs([[3, 4]])[0]
    for (p, dim) in [(2.0, 1), (3.0, 0), (Double.infinity, -1)] {
      let len = dim == 0 ? 3 : 4
      let want = complexReference([3, 4]) { i in
        let line = (0..<len).map { k in complexAt(x, dim == 0 ? [k, i[1]] : [i[0], k]) }
        let n = p.isInfinite ? line.map(\.length).max()! : pNorm(line, p)
        return complexAt(x, i) / Complex(n)
      }
      expectValues(NN.normalize(x, p: p, dim: dim), want, "normalize p \(p) dim \(dim)")
    }
    // A zero row stays zero (the denominator is eps).
    let z = Tensor(shape: [2, 2], scalars: [0.0, 0, 3, 4])
    expectClose(NN.normalize(z), [0, 0, 0.6, 0.8], "zero row")
    #expect(NN.normalize(x.real.converted(to: .float32)).dtype == .float32)
    expectGradients([[3, 4]]) { [NN.normalize($0[0], dim: -1)] }
    expectGradients([[2, 3, 2]]) { [NN.normalize($0[0], p: 3)] }
  }

  @Test func cosineSimilarity() {
    var rng = TestRandom(seed: 9)
    let a = rng.tensor([2, 1, 4], dtype: .float64), b = rng.tensor([3, 4], dtype: .float64)
    let want = reference([2, 3]) { i in
      let u = (0..<4).map { value(a, [i[0], 0, $0]) }, w = (0..<4).map { value(b, [i[1], $0]) }
      let dot = zip(u, w).reduce(0) { $0 + $1.0 * $1.1 }
      return dot / (Foundation.sqrt(u.reduce(0) { $0 + $1 * $1 }) * Foundation.sqrt(w.reduce(0) { $0 + $1 * $1 }))
    }
    expectClose(NN.cosineSimilarity(a, b, dim: -1), want.doubles, atol: 1e-14, "broadcast")
    expectClose(NN.cosineSimilarity(b, b), [1, 1, 1], atol: 1e-14, "with itself")
    // Parallel and opposite vectors; a zero vector gives 0, not NaN.
    let u = Tensor([[1.0, 2, 3], [1, 2, 3], [0, 0, 0]]), w = Tensor([[2.0, 4, 6], [-1, -2, -3], [1, 1, 1]])
    expectClose(NN.cosineSimilarity(u, w), [1, -1, 0], atol: 1e-15, "special cases")
    expectGradients([[2, 1, 4], [3, 4]], dtypes: [.float64]) { [NN.cosineSimilarity($0[0], $0[1], dim: -1)] }
    expectGradients([[4, 3], [4, 3]], dtypes: [.float64]) { [NN.cosineSimilarity($0[0], $0[1], dim: 0)] }
  }

  @Test func pairwiseDistance() {
    let v = complexInputs([[3, 4], [4]])
    let (a, b) = (v[0], v[1])
    for p in [2.0, 1.5, 3] {
      let want = complexReference([3]) { i in
        Complex(pNorm((0..<4).map { complexAt(a, [i[0], $0]) - complexAt(b, [$0]) + Complex(1e-6) }, p))
      }
      expectValues(NN.pairwiseDistance(a, b, p: p), want, "p \(p)")
    }
    #expect(NN.pairwiseDistance(a, b, keepdim: true).shape == [3, 1])
    #expect(NN.pairwiseDistance(a, b).dtype == .float64)
    // eps keeps the distance of equal rows away from the kink: √n·eps.
    expectClose(NN.pairwiseDistance(a.real, a.real), [2e-6, 2e-6, 2e-6], atol: 1e-18, "equal rows")
    expectGradients([[3, 4], [4]]) { [NN.pairwiseDistance($0[0], $0[1])] }
    expectGradients([[2, 5], [2, 5]]) { [NN.pairwiseDistance($0[0], $0[1], p: 3, keepdim: true)] }
  }

  @Test func misuseStopsWithTheShapes() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.linear(Tensor.zeros([2, 3]), weight: Tensor.zeros([4, 5]))
    }
    #expect(stderrText(r0).contains("nn.functional.linear: input [2, 3] has 3 features but weight [4, 5] expects 5"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.bilinear(Tensor.zeros([2, 3]), Tensor.zeros([3, 4]), weight: Tensor.zeros([5, 3, 4]))
    }
    #expect(stderrText(r1).contains("nn.functional.bilinear: the inputs need the same rank and leading dims"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.cosineSimilarity(Tensor.zeros([2, 3], dtype: .complex128), Tensor.zeros([2, 3], dtype: .complex128))
    }
    #expect(stderrText(r2).contains("nn.functional.cosine_similarity: expected real floating operands"), "\(stderrText(r2))")
    await #expect(processExitsWith: .failure) { _ = NN.linear(Tensor.zeros([2, 3]), weight: Tensor.zeros([4, 3]), bias: Tensor.zeros([3])) }
    await #expect(processExitsWith: .failure) { _ = NN.normalize(Tensor.zeros([3])) }
  }
}
