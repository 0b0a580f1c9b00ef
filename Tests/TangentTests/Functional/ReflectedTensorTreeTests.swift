import Foundation
import Testing
import Tangent
import TangentTesting

// The default TensorTree conformance by reflection: nested structs, arrays, dictionaries,
// generic structs and skipped fields; messages for fields it cannot handle.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

/// A struct with every kind of field the reflection handles.
struct ReflectedModel: TensorTree {
  var embedding: Tensor
  var blocks: [DenseParams]
  var heads: [String: Tensor]
  @TreeStatic var width = 3
  var scale: Tensor
}

/// A generic struct: each specialisation has its own field table.
struct Boxed<Inner: TensorTree>: TensorTree {
  var inner: Inner
  var extra: Tensor
}

/// A field the reflection rejects.
struct WithInt: TensorTree {
  var weight: Tensor
  var steps: Int
}

/// `let` fields are leaves too (rebuilt in place).
struct WithLet: TensorTree {
  var weight: Tensor
  let bias: Tensor
}

struct WithOptional: TensorTree {
  var weight: Tensor
  var bias: Tensor?
}

final class ClassTree: TensorTree {
  var weight = Tensor.ones([2])
}

@Suite struct ReflectedTensorTreeTests {
  var rng = TestRandom(seed: 21)

  @Test mutating func nestedStructsArraysAndDictionariesAreLeaves() {
    let model = ReflectedModel(
      embedding: rng.tensor([2, 2]),
      blocks: [DenseParams(weight: rng.tensor([2, 2]), bias: rng.tensor([2])), DenseParams(weight: rng.tensor([1, 2]), bias: rng.tensor([1]))],
      heads: ["z": rng.tensor([1]), "a": rng.tensor([3])],
      scale: rng.tensor([]))
    // Declaration order; arrays in order, dictionaries by sorted key; @TreeStatic skipped.
    let expected = [model.embedding, model.blocks[0].weight, model.blocks[0].bias, model.blocks[1].weight, model.blocks[1].bias,
      model.heads["a"]!, model.heads["z"]!, model.scale]
    #expect(model.leaves.map(\.shape) == expected.map(\.shape))
    #expect(model.leaves.map(\.doubles) == expected.map(\.doubles))
    let negated = model.mapLeaves { -$0 }
    #expect(negated.blocks[1].bias.doubles == model.blocks[1].bias.doubles.map { -$0 })
    #expect(negated.heads["z"]!.doubles == model.heads["z"]!.doubles.map { -$0 } && negated.width == 3)
    // Generic structs, and a gradient over a reflected tree.
    let boxed = Boxed(inner: Boxed(inner: model.blocks[0], extra: rng.tensor([2])), extra: rng.tensor([1]))
    #expect(boxed.leaves.count == 4 && Boxed(inner: Tensor.ones([1]), extra: Tensor.ones([2])).leaves.count == 2)
    let g = gradient(of: { (m: ReflectedModel) in (m.embedding * m.scale).sum() + m.blocks[1].weight.square().sum() }, at: model)
    expectClose(g.embedding, Tensor.ones([2, 2]) * model.scale, tol: 0)
    expectClose(g.blocks[1].weight, 2 * model.blocks[1].weight, tol: 0)
    expectClose(g.heads["a"]!, Tensor.zeros([3]), tol: 0)
    let withLet = WithLet(weight: Tensor.ones([1]), bias: Tensor.ones([2])).rebuilt(from: [Tensor([3.0]), Tensor([4.0, 5.0])])
    #expect(withLet.weight.doubles == [3] && withLet.bias.doubles == [4, 5])
  }

  @Test mutating func reflectedAndKeyPathConformancesAgree() {
    // `Layer` (TransformTests) lists its key paths; DenseParams is reflected.
    let w = rng.tensor([3, 2]), b = rng.tensor([3])
    let listed = Layer(weight: w, bias: b), reflected = DenseParams(weight: w, bias: b)
    #expect(listed.leaves.map(\.doubles) == reflected.leaves.map(\.doubles))
    let x = rng.tensor([2])
    let jl = jacrev(of: { (l: Layer) in NN.linear(x, weight: l.weight, bias: l.bias) }, at: listed)
    let jr = jacrev(of: { (l: DenseParams) in NN.linear(x, weight: l.weight, bias: l.bias) }, at: reflected)
    expectClose(jl.matrix(), jr.matrix(), tol: 0)
  }

  @Test func unsupportedFieldsStopWithMessages() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = WithInt(weight: Tensor.ones([1]), steps: 3).leaves
    }
    #expect(
      stderrText(r0).contains("TensorTree: the field WithInt.steps has type Int, which is not a TensorTree"), "\(stderrText(r0))")
    #expect(stderrText(r0).contains("Mark it @TreeStatic if it is not a parameter"), "\(stderrText(r0))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = WithOptional(weight: Tensor.ones([1]), bias: nil).leaves
    }
    #expect(stderrText(r2).contains("WithOptional.bias has type Optional<Tensor>, which is not a TensorTree"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = ClassTree().leaves
    }
    #expect(stderrText(r3).contains("TensorTree: ClassTree is a class; the default conformance reflects the stored fields of a struct"), "\(stderrText(r3))")
  }
}
