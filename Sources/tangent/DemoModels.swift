import Foundation
import Tangent

extension Demo {
  /// `tangent demo`'s models section: a small classifier (a `Sequential` MLP) trained with
  /// Adam on a seeded synthetic dataset, then fitted from the same start with L-BFGS and
  /// Newton-CG on the full-batch loss; the three loss curves, and a check that each decreases.
  func modelsSection() {
    section("Models: an MLP 2-32-32-3 on three seeded spirals (300 points), Adam, then L-BFGS and Newton-CG")
    let (x, labels) = Self.spirals(perClass: 100, seed: 21)
    var gen = SeededGenerator(seed: 22)
    let start = Sequential.mlp(widths: [2, 32, 32, 3], activation: .tanh, using: &gen)
    print("parameters:", start.parameters.names.joined(separator: ", "), "(\(start.parameters.scalarCount) numbers)")
    let loss = { (p: NamedTensors) in NN.crossEntropy(functionalCall(start, parameters: p, x), labels) }

    // Adam, full batch, with the module-aware step.
    var model = start
    var adam = Adam(learningRate: 0.02)
    var adamCurve: [Double] = []
    let (_, adamTime) = timed {
      for _ in 0..<300 { adamCurve.append(adam.step(&model) { m in NN.crossEntropy(m(x), labels) }.scalar) }
    }
    adamCurve.append(loss(model.parameters).scalar)
    print("Adam (lr 0.02), 300 steps in \(ms(adamTime)):", curve(adamCurve, at: [0, 50, 100, 200, 300]), "accuracy", accuracy(model(x), labels))

    // L-BFGS and Newton-CG from the same start: the loss at each evaluation, kept as the best so far.
    var evaluations: [Double] = []
    let recording = { (p: NamedTensors) -> Tensor in
      let l = loss(p)
      evaluations.append(l.scalar)
      return l
    }
    let (lbfgs, lbfgsTime) = timed { LBFGS(historySize: 10, maxIterations: 150).minimize(from: start.parameters, recording) }
    let lbfgsCurve = bestSoFar(evaluations)
    evaluations = []
    let (newton, newtonTime) = timed {
      NewtonCG(maxIterations: 30, maxConjugateGradientIterations: 40).minimize(from: start.parameters, recording)
    }
    let newtonCurve = bestSoFar(evaluations)
    print("L-BFGS: \(lbfgs.iterations) iterations, \(lbfgs.functionEvaluations) evaluations in \(ms(lbfgsTime)), stopped by \(lbfgs.reason):",
      curve(lbfgsCurve, at: [0, 10, 30, 60, lbfgsCurve.count - 1]), "accuracy", accuracy(start.withParameters(lbfgs.parameters)(x), labels))
    print("Newton-CG: \(newton.iterations) iterations, \(newton.innerIterations) Hessian-vector products (forward-over-reverse) in \(ms(newtonTime)), stopped by \(newton.reason):",
      curve(newtonCurve, at: [0, 5, 10, 20, newtonCurve.count - 1]), "accuracy", accuracy(start.withParameters(newton.parameters)(x), labels))
    let finals = [("Adam", adamCurve), ("L-BFGS", lbfgsCurve), ("Newton-CG", newtonCurve)]
    print("final losses:", finals.map { "\($0.0) \(String(format: "%.4f", $0.1.last!))" }.joined(separator: ", "))
    let decreased = finals.allSatisfy { $0.1.last! < 0.5 * $0.1.first! }
    print("check: every curve ends below half its start (\(String(format: "%.4f", adamCurve.first!))):", decreased ? "yes" : "NO")
  }

  /// Three interleaved noisy spirals in the plane, labelled 0, 1, 2 (the classic toy problem),
  /// from a seeded generator.
  static func spirals(perClass: Int, seed: UInt64) -> (x: Tensor, labels: Tensor) {
    var g = SeededGenerator(seed: seed)
    var points: [Double] = [], labels: [Int] = []
    for c in 0..<3 {
      for i in 0..<perClass {
        let r = Double(i) / Double(perClass)
        let angle = Double(c) * 2 * Double.pi / 3 + 3.5 * r + 0.15 * Tensor.randn([1], using: &g).scalar
        points += [r * cos(angle), r * sin(angle)]
        labels.append(c)
      }
    }
    return (Tensor(shape: [3 * perClass, 2], scalars: points), Tensor(labels))
  }

  /// `values[i]` at the given indices, printed as `i: value`.
  func curve(_ values: [Double], at indices: [Int]) -> String {
    Array(Set(indices.filter { $0 < values.count })).sorted().map { "\($0): \(String(format: "%.4f", values[$0]))" }.joined(separator: "  ")
  }

  /// The running minimum (a line search's rejected trials do not count as progress).
  func bestSoFar(_ values: [Double]) -> [Double] {
    var best = Double.infinity
    return values.map { best = Swift.min(best, $0); return best }
  }

  /// The fraction of rows whose largest logit is the label.
  func accuracy(_ logits: Tensor, _ labels: Tensor) -> String {
    let predicted = logits.argmax(dim: 1).doubles, truth = labels.doubles
    let right = zip(predicted, truth).filter { $0 == $1 }.count
    return String(format: "%.0f%%", 100 * Double(right) / Double(truth.count))
  }
}
