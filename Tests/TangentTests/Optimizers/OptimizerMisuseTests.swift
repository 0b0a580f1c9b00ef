import Testing

@testable import Tangent

private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

/// Bad hyperparameters and mismatched parameters stop with a message that names the
/// optimizer, the value and the rule.
@Suite struct OptimizerMisuseTests {
  @Test func badFirstOrderHyperparameters() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = SGD(learningRate: -0.1) }
    #expect(stderrText(r0).contains("SGD: learningRate must be >= 0, got -0.1"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Adam(betas: (1.0, 0.999)) }
    #expect(stderrText(r1).contains("Adam: betas.0 must be in [0, 1), got 1.0"), "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = AdamW(betas: (0.9, -0.5)) }
    #expect(stderrText(r2).contains("AdamW: betas.1 must be in [0, 1), got -0.5"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Adam(epsilon: -1e-8) }
    #expect(stderrText(r3).contains("Adam: epsilon must be >= 0, got -1e-08"), "\(stderrText(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = SGD(learningRate: 0.1, nesterov: true) }
    #expect(
      stderrText(r4).contains("SGD: Nesterov momentum needs momentum > 0 and dampening = 0, got momentum 0.0 and dampening 0.0"),
      "\(stderrText(r4))")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: -0.01)
    }
    #expect(stderrText(r5).contains("SGD: weightDecay must be >= 0, got -0.01"), "\(stderrText(r5))")
    // A hyperparameter changed to a bad value after creation is caught at the next step.
    let r6 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var adam = Adam()
      adam.learningRate = -1
      var x = Tensor([1.0])
      adam.step(&x, gradient: Tensor([1.0]))
    }
    #expect(stderrText(r6).contains("Adam: learningRate must be >= 0, got -1.0"), "\(stderrText(r6))")
  }

  @Test func mismatchedParameters() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var adam = Adam()
      var x = [Tensor([1.0, 2.0])]
      adam.step(&x, gradient: [Tensor([1.0, 2.0, 3.0])])
    }
    #expect(stderrText(r0).contains("Adam: gradient 0 has shape [3] but its parameter has shape [2]"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var adam = AdamW()
      var x = [Tensor([1.0, 2.0])]
      adam.step(&x, gradient: [Tensor([1.0, 2.0])])
      var y = [Tensor([1.0, 2.0]), Tensor([3.0])]
      adam.step(&y, gradient: y)
    }
    #expect(
      stderrText(r1).contains("AdamW: the parameters have 2 tensors but the optimizer's state was made for 1; call resetState()"),
      "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var sgd = SGD(learningRate: 0.1)
      var x = Tensor([1, 2])
      sgd.step(&x, gradient: Tensor([1, 2]))
    }
    #expect(stderrText(r2).contains("SGD: parameter 0 has dtype int64; optimizers update float32 or float64 tensors"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var sgd = SGD(learningRate: 0.1, momentum: 0.5)
      var x = Tensor([1.0, 2.0])
      sgd.step(&x, gradient: Tensor([1.0, 2.0]).converted(to: .float32))
    }
    #expect(stderrText(r3).contains("SGD: gradient 0 has dtype float32 but its parameter has float64"), "\(stderrText(r3))")
  }

  @Test func badSecondOrderSettings() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = LBFGS(historySize: 0) }
    #expect(stderrText(r0).contains("LBFGS: historySize must be >= 1, got 0"), "\(stderrText(r0))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NewtonCG(lineSearch: StrongWolfe(sufficientDecrease: 0.5, curvature: 0.1))
    }
    #expect(
      stderrText(r1).contains("NewtonCG: the strong Wolfe constants need 0 < sufficientDecrease < curvature < 1, got 0.5 and 0.1"),
      "\(stderrText(r1))")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = LevenbergMarquardt(initialDamping: -1)
    }
    #expect(stderrText(r2).contains("LevenbergMarquardt: initialDamping must be finite and >= 0, got -1.0"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = LBFGS(learningRate: 0) }
    #expect(stderrText(r3).contains("LBFGS: learningRate must be > 0, got 0.0"), "\(stderrText(r3))")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = LBFGS().minimize(from: Tensor([1.0, 2.0])) { $0 * $0 }
    }
    #expect(stderrText(r4).contains("gradient: the function must return a single element, got shape [2]"), "\(stderrText(r4))")
  }
}
