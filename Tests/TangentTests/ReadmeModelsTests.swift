import Foundation
import Tangent
import Testing

/// The README's "Models" section, line for line: it must compile and train.
@Test func readmeModelsRuns() {
  var printed: [String] = []
  func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }
  var gen = SeededGenerator(seed: 0)
  let x = Tensor.randn([256, 2], using: &gen)                             // two features
  let labels = x.sum(dim: 1).gt(0).converted(to: .int64)                  // class 0 or 1
  var model = Sequential(Linear(2, 16, using: &gen), Activation.tanh, Linear(16, 2, using: &gen))
  print(model.parameters.names)                          // ["0.weight", "0.bias", "2.weight", "2.bias"]
  var adam = Adam(learningRate: 0.05)
  for epoch in 0..<100 {
    let loss = adam.step(&model) { m in NN.crossEntropy(m(x), labels) }
    if epoch % 25 == 0 { print(epoch, loss.scalar) }
  }
  // Or fit the same parameters to high accuracy with a second-order method:
  let fit = LBFGS().minimize(from: model.parameters) { p in NN.crossEntropy(functionalCall(model, parameters: p, x), labels) }
  model.parameters = fit.parameters

  #expect(printed.first == #"["0.weight", "0.bias", "2.weight", "2.bias"]"#)
  let losses = printed.dropFirst().map { Double($0.split(separator: " ")[1])! }
  #expect(losses.count == 4 && losses.last! < losses.first! * 0.5, "\(printed)")
  #expect(fit.value < losses.last! && Swift.abs(NN.crossEntropy(model(x), labels).scalar - fit.value) < 1e-12)
}

/// The README's code block is the body above, so the two cannot drift apart.
@Test func readmeModelsMatchesTheTest() throws {
  let readme = RepositoryFiles.text("README.md")
  let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
  /// The lines from `var gen = SeededGenerator(seed: 0)` followed by the README's
  /// `Tensor.randn([256, 2]` line, to the one starting `model.parameters = fit`.
  func block(_ text: String) -> [String] {
    RepositoryFiles.block(text, from: "var gen = SeededGenerator(seed: 0)", followedBy: "let x = Tensor.randn([256, 2]", through: "model.parameters = fit")
  }
  #expect(!block(readme).isEmpty && block(readme) == block(test))
  #expect(block(readme).count <= 15, "the README promises a training loop of at most 15 lines")
}
