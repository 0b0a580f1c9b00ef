import Foundation
import Testing
import TangentTesting

@testable import Tangent

/// The einsum of an explicit equation with letters only (`"ij,jk->ik"`), by a loop over every
/// assignment of every letter: sizes broadcast (1 against n), and a letter repeated within an
/// operand indexes it twice with the same value.
private func naiveEinsum(_ equation: String, _ operands: [Tensor]) -> Tensor {
  let sides = equation.replacingOccurrences(of: " ", with: "").components(separatedBy: "->")
  let terms = sides[0].split(separator: ",", omittingEmptySubsequences: false).map { Array($0) }
  let out = Array(sides[1])
  var letters: [Character] = []
  var size: [Character: Int] = [:]
  for (t, term) in zip(operands, terms) {
    for (d, l) in term.enumerated() {
      if !letters.contains(l) { letters.append(l) }
      // Sizes broadcast (1 against n); an empty dim stays empty.
      let n = t.shape[d]
      size[l] = size[l].map { $0 == 1 ? n : $0 } ?? n
    }
  }
  let outShape = out.map { size[$0]! }
  var sums: [[Int]: Complex<Double>] = [:]
  var value: [Character: Int] = [:]
  func walk(_ i: Int) {
    if i == letters.count {
      var p = Complex<Double>.one
      for (t, term) in zip(operands, terms) {
        p *= complexAt(t, term.enumerated().map { t.shape[$0.offset] == 1 ? 0 : value[$0.element]! })
      }
      sums[out.map { value[$0]! }, default: .zero] += p
      return
    }
    for v in 0..<size[letters[i]]! {
      value[letters[i]] = v
      walk(i + 1)
    }
  }
  walk(0)
  return complexReference(outShape) { sums[$0] ?? .zero }
}

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

@Suite struct EinsumTests {
  /// Explicit equations, checked against the loop.
  static let explicit: [(String, [[Int]])] = [
    ("ij,jk->ik", [[3, 4], [4, 2]]), ("bij,bjk->bik", [[2, 3, 4], [2, 4, 2]]), ("ii->i", [[4, 4]]), ("ii->", [[3, 3]]),
    ("ij->ji", [[2, 3]]), ("i,j->ij", [[3], [2]]), ("i,i->", [[4], [4]]), ("ij,ij->i", [[3, 4], [3, 4]]),
    ("iji->j", [[3, 2, 3]]), ("iii->i", [[2, 2, 2]]), ("bn,anm,bm->ba", [[2, 3], [4, 3, 5], [2, 5]]),
    ("ij,kj->ik", [[3, 1], [2, 4]]), ("ij,jk,kl->il", [[2, 3], [3, 4], [4, 2]]), ("ijk->", [[2, 3, 2]]),
    ("ab,ab,ab->a", [[2, 3], [2, 3], [1, 3]]), ("aij,ajk->ik", [[2, 3, 4], [2, 4, 2]]), ("ij,jk->ikj", [[2, 3], [3, 2]]),
    ("abc,cd,db->a", [[2, 3, 4], [4, 2], [2, 3]]), ("i,j,k->ijk", [[2], [3], [2]]), ("ij->", [[0, 3]]),
    ("bij,bjk->bik", [[1, 3, 4], [2, 4, 2]]), ("ii,i->i", [[3, 3], [3]]),
  ]

  @Test(arguments: 0..<explicit.count)
  func explicitEquations(_ index: Int) {
    let (equation, shapes) = Self.explicit[index]
    let operands = complexInputs(shapes, seed: UInt64(index + 1))
    expectValues(Tensor.einsum(equation, operands), naiveEinsum(equation, operands), atol: 1e-12, equation)
    // Real operands give the real part of nothing more: the same values in float64.
    let real = operands.map(\.real)
    let y = Tensor.einsum(equation, real)
    #expect(y.dtype == .float64)
    expectValues(y, naiveEinsum(equation, real), equation + " (float64)")
  }

  /// Implicit outputs, ellipses and spaces, each with an explicit equation that means the same.
  static let equivalent: [(String, String, [[Int]])] = [
    ("ij,jk", "ij,jk->ik", [[3, 4], [4, 2]]), ("ba", "ba->ab", [[2, 3]]), ("i,i", "i,i->", [[4], [4]]),
    ("ii", "ii->", [[3, 3]]), ("Ba,aA", "Ba,aA->AB", [[2, 3], [3, 4]]), ("ij, jk -> ik", "ij,jk->ik", [[3, 4], [4, 2]]),
    ("...ij,...jk", "yzij,zjk->yzik", [[2, 1, 3, 4], [5, 4, 2]]), ("...ii->...i", "bii->bi", [[2, 3, 3]]),
    ("ab,b...->a...", "ab,bxy->axy", [[2, 3], [3, 2, 2]]), ("i...->i", "ixy->i", [[2, 3, 2]]),
    ("...", "xy->xy", [[2, 3]]), ("...ij->...", "bij->b", [[2, 3, 4]]), ("i...,...->...i", "ixy,xy->xyi", [[2, 3, 4], [3, 4]]),
    ("...,...->...", "xy,y->xy", [[2, 3], [3]]), ("ij...,jk", "ijx,jk->xik", [[2, 3, 2], [3, 2]]), ("", "->", [[]]),
  ]

  @Test(arguments: 0..<equivalent.count)
  func implicitAndEllipsis(_ index: Int) {
    let (equation, explicit, shapes) = Self.equivalent[index]
    let operands = complexInputs(shapes, seed: UInt64(index + 40))
    expectValues(Tensor.einsum(equation, operands), naiveEinsum(explicit, operands), atol: 1e-12, "\(equation) as \(explicit)")
  }

  @Test func agreesWithTheDedicatedOps() {
    let v = complexInputs([[3, 4], [4, 5], [2, 3, 3], [4]])
    expectValues(Tensor.einsum("ij,jk->ik", v[0], v[1]), v[0].matmul(v[1]), "matmul")
    expectValues(Tensor.einsum("bii->b", v[2]), v[2].diagonal(dim1: 1, dim2: 2).sum(dim: -1), "batched trace")
    expectValues(Tensor.einsum("ij->ji", v[0]), v[0].transposed(), "transpose")
    expectValues(Tensor.einsum("i,j", v[3], v[3]), v[3].outer(v[3]), "outer")
    expectValues(Tensor.einsum("ij,j", v[0], v[3]), v[0].matmul(v[3]), "matrix-vector")
    // A transposed (non-contiguous) operand.
    expectValues(Tensor.einsum("ij,jk->ik", v[1].mT, v[0].mT), v[1].mT.matmul(v[0].mT), "transposed operands")
    // A single operand with nothing to do is returned as is.
    #expect(sharesStorage(Tensor.einsum("ij->ij", v[0]), v[0]))
  }

  @Test func derivatives() {
    expectGradients([[2, 3, 4], [2, 4, 2]]) { [Tensor.einsum("bij,bjk->bik", $0)] }
    expectGradients([[3, 3]]) { [Tensor.einsum("ii->i", $0)] }
    expectGradients([[3, 3]]) { [Tensor.einsum("ii", $0)] }
    expectGradients([[2, 3], [4, 3, 5], [2, 5]]) { [Tensor.einsum("bn,anm,bm->ba", $0)] }
    expectGradients([[2, 1, 3, 4], [5, 4, 2]]) { [Tensor.einsum("...ij,...jk", $0)] }
    expectGradients([[3, 4], [3, 4]]) { [Tensor.einsum("ij,ij->i", $0)] }
    expectGradients([[3, 1], [2, 4]]) { [Tensor.einsum("ij,kj->ik", $0)] }
    expectGradients([[3, 2, 3], [2]]) { [Tensor.einsum("iji,j->i", $0)] }
    expectGradients([[2, 3], [3, 4], [4, 2]]) { [Tensor.einsum("ij,jk,kl->il", $0)] }
  }

  @Test func misuseStopsWithAMessage() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.einsum("ij,jk->ik", Tensor.zeros([2, 2])) }
    #expect(stderrText(r0).contains("einsum(): the equation \"ij,jk->ik\" has 2 operand term(s) but 1 operand(s) were given"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.einsum("i1->i", Tensor.zeros([2, 2])) }
    #expect(stderrText(r1).contains("einsum(): invalid subscript given at index 1 in the equation string \"i1->i\", subscripts must be in [a-zA-Z]"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.einsum("ij->i", Tensor.zeros([2, 3, 4])) }
    #expect(stderrText(r2).contains("einsum(): the term for operand 0 has 2 subscript(s) but the operand has shape [2, 3, 4] and no ellipsis was given"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.einsum("ij,jk->ik", Tensor.zeros([2, 3]), Tensor.zeros([5, 2])) }
    #expect(stderrText(r3).contains("einsum(): subscript j has size 5 for operand 1 which does not broadcast with previously seen size 3"), "\(stderrText(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.einsum("ij->ik", Tensor.zeros([2, 3])) }
    #expect(stderrText(r4).contains("einsum(): output subscript k does not appear in the equation for any input operand"), "\(stderrText(r4))")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.einsum("ii->i", Tensor.zeros([2, 3])) }
    #expect(stderrText(r5).contains("einsum(): subscript i is repeated for operand 0 but the sizes don't match, 3 != 2"), "\(stderrText(r5))")
    let r6 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.einsum("ij->ii", Tensor.zeros([2, 2])) }
    #expect(stderrText(r6).contains("einsum(): output subscript i appears more than once in the output"), "\(stderrText(r6))")
    let r7 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.einsum("...i...", Tensor.zeros([2, 2])) }
    #expect(stderrText(r7).contains("einsum(): more than one ellipsis (...) for operand 0"), "\(stderrText(r7))")
  }
}
