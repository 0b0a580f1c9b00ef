import Foundation
import Testing
import TangentTesting

@testable import Tangent

// The losses of NN: values against loops over the elements, derivatives by gradcheck in
// float64 (complex128 for l1Loss, which PyTorch takes), misuse messages.

/// Reduces a list of elementwise losses the way `reduction` says.
private func reduced(_ values: [Double], _ reduction: NN.Reduction, shape: [Int]) -> Tensor {
  switch reduction {
  case .none: return Tensor(shape: shape, scalars: values)
  case .sum: return Tensor(values.reduce(0, +))
  case .mean: return Tensor(values.reduce(0, +) / Double(values.count))
  case .batchMean: return Tensor(values.reduce(0, +) / Double(shape[0]))
  }
}

@Suite struct NNLossTests {
  let x = uniform([3, 4], -2...2, seed: 3)
  let t = uniform([3, 4], -2...2, seed: 4)

  /// Checks a pointwise loss against `f(input, target)` per element, for every reduction.
  private func checkPointwise(
    _ name: String, _ loss: @escaping (Tensor, Tensor, NN.Reduction) -> Tensor, _ f: (Double, Double) -> Double,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let values = zip(x.doubles, t.doubles).map(f)
    for r in [NN.Reduction.none, .sum, .mean] {
      let got = loss(x, t, r)
      let want = reduced(values, r, shape: [3, 4])
      #expect(got.shape == want.shape, "\(name) \(r): shape \(got.shape)", sourceLocation: sourceLocation)
      expectClose(got, want.doubles, atol: 1e-13, "\(name) \(r)", sourceLocation: sourceLocation)
    }
    // A broadcast target: the loss of each row against the same target row.
    let row = t.select(dim: 0, index: 1)
    let rowValues = (0..<12).map { f(x.doubles[$0], row.doubles[$0 % 4]) }
    expectClose(loss(x, row, .sum), [rowValues.reduce(0, +)], atol: 1e-12, "\(name) broadcast", sourceLocation: sourceLocation)
    expectGradients([[3, 4], [3, 4]], dtypes: [.float64], sourceLocation: sourceLocation) { [loss($0[0], $0[1], .mean)] }
    expectGradients([[2, 3], [3]], dtypes: [.float64], sourceLocation: sourceLocation) { [loss($0[0], $0[1], .none)] }
  }

  @Test func mseLoss() {
    checkPointwise("mse", { NN.mseLoss($0, $1, reduction: $2) }) { ($0 - $1) * ($0 - $1) }
    // Float32 stays float32.
    #expect(NN.mseLoss(x.converted(to: .float32), t.converted(to: .float32)).dtype == .float32)
  }

  @Test func l1Loss() {
    checkPointwise("l1", { NN.l1Loss($0, $1, reduction: $2) }) { Swift.abs($0 - $1) }
    let z = complexInputs([[2, 3], [2, 3]])
    let want = zip(z[0].complexDoubles, z[1].complexDoubles).map { ($0 - $1).length }.reduce(0, +) / 6
    expectClose(NN.l1Loss(z[0], z[1]), [want], "complex l1")
    #expect(NN.l1Loss(z[0], z[1]).dtype == .float64)
    expectGradients([[2, 3], [2, 3]], dtypes: [.complex128]) { [NN.l1Loss($0[0], $0[1])] }
  }

  @Test func huberLoss() {
    for delta in [0.5, 1.0, 2.5] {
      checkPointwise("huber \(delta)", { NN.huberLoss($0, $1, delta: delta, reduction: $2) }) {
        let d = Swift.abs($0 - $1)
        return d < delta ? 0.5 * d * d : delta * (d - 0.5 * delta)
      }
    }
  }

  @Test func smoothL1Loss() {
    for beta in [0.0, 0.5, 1.0] {
      checkPointwise("smooth l1 \(beta)", { NN.smoothL1Loss($0, $1, beta: beta, reduction: $2) }) {
        let d = Swift.abs($0 - $1)
        return d < beta ? 0.5 * d * d / beta : d - 0.5 * beta
      }
    }
    // smooth L1 is the Huber loss divided by beta.
    expectClose(NN.smoothL1Loss(x, t, beta: 0.5), (NN.huberLoss(x, t, delta: 0.5) / 0.5).doubles, atol: 1e-14, "huber relation")
  }

  @Test func binaryCrossEntropy() {
    let p = uniform([3, 4], 0.05...0.95, seed: 5), y = uniform([3, 4], 0...1, seed: 6), w = uniform([4], 0.5...2, seed: 7)
    let values = (0..<12).map { i -> Double in
      let (a, b) = (p.doubles[i], y.doubles[i])
      return -w.doubles[i % 4] * (b * Foundation.log(a) + (1 - b) * Foundation.log(1 - a))
    }
    for r in [NN.Reduction.none, .sum, .mean] {
      expectClose(NN.binaryCrossEntropy(p, y, weight: w, reduction: r), reduced(values, r, shape: [3, 4]).doubles, atol: 1e-13, "bce \(r)")
    }
    // Inputs of exactly 0 and 1: each log is clamped at −100.
    let edge = NN.binaryCrossEntropy(Tensor([0.0, 1.0]), Tensor([1.0, 1.0]), reduction: .none)
    expectClose(edge, [100, 0], "clamped logs")
    var rng = TestRandom(seed: 8)
    let inputs = [rng.tensor([3, 4], in: 0.1...0.9), rng.tensor([3, 4], in: 0...1), rng.tensor([4], in: 0.5...2)]
    expectGradcheck("bce", { [NN.binaryCrossEntropy($0[0], $0[1], weight: $0[2])] }, at: inputs)
  }

  @Test func binaryCrossEntropyWithLogits() {
    let z = uniform([3, 4], -4...4, seed: 5), y = uniform([3, 4], 0...1, seed: 6)
    let w = uniform([3, 1], 0.5...2, seed: 7), pw = uniform([4], 0.5...3, seed: 8)
    let values = (0..<12).map { i -> Double in
      let s = 1 / (1 + Foundation.exp(-z.doubles[i])), (b, q) = (y.doubles[i], pw.doubles[i % 4])
      return -w.doubles[i / 4] * (q * b * Foundation.log(s) + (1 - b) * Foundation.log(1 - s))
    }
    for r in [NN.Reduction.none, .sum, .mean] {
      expectClose(NN.binaryCrossEntropyWithLogits(z, y, weight: w, posWeight: pw, reduction: r),
                  reduced(values, r, shape: [3, 4]).doubles, atol: 1e-13, "bce with logits \(r)")
    }
    // Without weights it is the binary cross entropy of the sigmoid.
    expectClose(NN.binaryCrossEntropyWithLogits(z, y), NN.binaryCrossEntropy(z.sigmoid(), y).doubles, atol: 1e-13, "as bce")
    // Large logits stay finite.
    expectClose(NN.binaryCrossEntropyWithLogits(Tensor([800.0, -800]), Tensor([1.0, 0]), reduction: .none), [0, 0], "stable")
    var rng = TestRandom(seed: 9)
    let inputs = [rng.tensor([3, 4], in: -3...3), rng.tensor([3, 4], in: 0...1), rng.tensor([3, 1], in: 0.5...2), rng.tensor([4], in: 0.5...3)]
    expectGradcheck("bce with logits", { [NN.binaryCrossEntropyWithLogits($0[0], $0[1], weight: $0[2], posWeight: $0[3])] }, at: inputs)
    // Without posWeight it runs the fused op (gradcheck also checks the second-order rules).
    expectGradcheck("fused bce with logits", { [NN.binaryCrossEntropyWithLogits($0[0], $0[1], weight: $0[2])] }, at: Array(inputs.prefix(3)))
  }

  /// The fused op gives the bits of the formula it replaces, (1 − t)·x − log σ(x), in both
  /// precisions, including large logits of either sign.
  @Test(arguments: [DType.float64, .float32])
  func fusedBinaryCrossEntropyWithLogitsMatchesFormula(dtype: DType) {
    let z = (uniform([200], -40...40, seed: 11) * Tensor(Array(repeating: 1.0, count: 199) + [1e3])).converted(to: dtype)
    let y = uniform([200], 0...1, seed: 12).converted(to: dtype)
    let fused = NN.binaryCrossEntropyWithLogits(z, y, reduction: .none).doubles
    let formula = ((1 - y) * z - z.logSigmoid()).doubles
    #expect(zip(fused, formula).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(dtype): fused \(fused.prefix(4)), formula \(formula.prefix(4))")
  }

  @Test func klDiv() {
    let logQ = uniform([3, 4], -3...0, seed: 5), p = uniform([3, 4], 0.01...1, seed: 6)
    let values = (0..<12).map { p.doubles[$0] * (Foundation.log(p.doubles[$0]) - logQ.doubles[$0]) }
    for r in NN.Reduction.allCases {
      expectClose(NN.klDiv(logQ, p, reduction: r), reduced(values, r, shape: [3, 4]).doubles, atol: 1e-13, "kl \(r)")
    }
    expectClose(NN.klDiv(logQ, p.log(), logTarget: true, reduction: .none), values, atol: 1e-13, "log target")
    // A zero target contributes nothing (0·log 0 is 0).
    expectClose(NN.klDiv(Tensor([-2.0, -1]), Tensor([0.0, 0.5]), reduction: .none), [0, 0.5 * (Foundation.log(0.5) + 1)], "zero target")
    var rng = TestRandom(seed: 9)
    let inputs = [rng.tensor([3, 4], in: -2...0), rng.tensor([3, 4], in: 0.05...1)]
    expectGradcheck("kl", { [NN.klDiv($0[0], $0[1], reduction: .batchMean)] }, at: inputs)
    expectGradcheck("kl log target", { [NN.klDiv($0[0], $0[1], logTarget: true, reduction: .none)] }, at: [inputs[0], inputs[0]])
  }

  @Test func nllLoss() {
    let logP = uniform([5, 4], -3...0, seed: 5), w = uniform([4], 0.5...2, seed: 6)
    let labels: [Int64] = [3, 0, -100, 1, 3]
    let target = Tensor(labels)
    let picked = labels.enumerated().map { n, c in c < 0 ? 0 : -w.doubles[Int(c)] * value(logP, [n, Int(c)]) }
    let weightSum = labels.filter { $0 >= 0 }.reduce(0) { $0 + w.doubles[Int($1)] }
    expectClose(NN.nllLoss(logP, target, weight: w, reduction: .none), picked, atol: 1e-14, "none")
    expectClose(NN.nllLoss(logP, target, weight: w, reduction: .sum), [picked.reduce(0, +)], atol: 1e-14, "sum")
    expectClose(NN.nllLoss(logP, target, weight: w), [picked.reduce(0, +) / weightSum], atol: 1e-14, "weighted mean")
    // Without weights the mean is over the samples that count.
    let plain = labels.enumerated().map { n, c in c < 0 ? 0 : -value(logP, [n, Int(c)]) }
    expectClose(NN.nllLoss(logP, target), [plain.reduce(0, +) / 4], atol: 1e-14, "mean skips ignored")
    // A custom ignoreIndex, a 1-d input and a spatial input [N, C, d].
    expectClose(NN.nllLoss(logP, Tensor([3, 0, 2, 1, 3] as [Int64]), ignoreIndex: 2, reduction: .none), plain, atol: 1e-14, "ignoreIndex 2")
    expectClose(NN.nllLoss(logP.select(dim: 0, index: 0), Tensor(Int64(3))), [-value(logP, [0, 3])], "1-d")
    let spatial = uniform([2, 3, 4], -3...0, seed: 7)
    let st = Tensor(shape: [2, 4], scalars: [0, 1, 2, 0, 2, 2, 1, 0] as [Int64])
    let want = reference([2, 4]) { i in -value(spatial, [i[0], Int(st.scalars(as: Int64.self)[i[0] * 4 + i[1]]), i[1]]) }
    expectClose(NN.nllLoss(spatial, st, reduction: .none), want.doubles, atol: 1e-14, "spatial")
    expectGradcheck("nll", { [NN.nllLoss($0[0], target, weight: $0[1])] }, at: [logP, w])
    expectGradcheck("nll spatial", { [NN.nllLoss($0[0], st, reduction: .none)] }, at: [spatial])
  }

  @Test func crossEntropyWithClasses() {
    let z = uniform([5, 4], -2...2, seed: 5), w = uniform([4], 0.5...2, seed: 6)
    let labels: [Int64] = [3, 0, -100, 1, 3]
    let target = Tensor(labels)
    let logP = (0..<5).map { n -> [Double] in
      let row = (0..<4).map { value(z, [n, $0]) }
      let lse = Foundation.log(row.map(Foundation.exp).reduce(0, +))
      return row.map { $0 - lse }
    }
    for eps in [0.0, 0.2] {
      // Per sample: (1 − ε)·(−w[c]·logp[c]) + ε/C·(−Σ w·logp), 0 when ignored.
      let nll = labels.enumerated().map { n, c in c < 0 ? 0 : -w.doubles[Int(c)] * logP[n][Int(c)] }
      let smooth = labels.enumerated().map { n, c in c < 0 ? 0 : -(0..<4).reduce(0) { $0 + w.doubles[$1] * logP[n][$1] } }
      let perSample = zip(nll, smooth).map { (1 - eps) * $0 + eps / 4 * $1 }
      let weightSum = labels.filter { $0 >= 0 }.reduce(0) { $0 + w.doubles[Int($1)] }
      expectClose(NN.crossEntropy(z, target, weight: w, labelSmoothing: eps, reduction: .none), perSample, atol: 1e-13, "none ε \(eps)")
      expectClose(NN.crossEntropy(z, target, weight: w, labelSmoothing: eps), [perSample.reduce(0, +) / weightSum], atol: 1e-13, "mean ε \(eps)")
    }
    // Cross entropy is nll of the log-softmax.
    expectClose(NN.crossEntropy(z, target), NN.nllLoss(z.logSoftmax(dim: 1), target).doubles, atol: 1e-14, "nll of log-softmax")
    expectGradcheck("cross entropy", { [NN.crossEntropy($0[0], target, weight: $0[1], labelSmoothing: 0.1)] }, at: [z, w])
    let spatial = uniform([2, 3, 2], -2...2, seed: 7), st = Tensor(shape: [2, 2], scalars: [0, 2, 1, 1] as [Int64])
    expectGradcheck("cross entropy spatial", { [NN.crossEntropy($0[0], st, labelSmoothing: 0.3, reduction: .sum)] }, at: [spatial])
  }

  @Test func crossEntropyWithProbabilities() {
    let z = uniform([4, 3], -2...2, seed: 5), p = uniform([4, 3], 0...1, seed: 6), w = uniform([3], 0.5...2, seed: 7)
    let eps = 0.1
    let perSample = (0..<4).map { n -> Double in
      let row = (0..<3).map { value(z, [n, $0]) }
      let lse = Foundation.log(row.map(Foundation.exp).reduce(0, +))
      return -(0..<3).reduce(0) { $0 + w.doubles[$1] * ((1 - eps) * value(p, [n, $1]) + eps / 3) * (row[$1] - lse) }
    }
    expectClose(NN.crossEntropy(z, p, weight: w, labelSmoothing: eps, reduction: .none), perSample, atol: 1e-13, "none")
    expectClose(NN.crossEntropy(z, p, weight: w, labelSmoothing: eps), [perSample.reduce(0, +) / 4], atol: 1e-13, "mean over samples")
    // One-hot probabilities give the class-index loss.
    let labels = Tensor([2, 0, 1, 1] as [Int64])
    let oneHot = reference([4, 3]) { i in Double(labels.scalars(as: Int64.self)[i[0]]) == Double(i[1]) ? 1 : 0 }
    expectClose(NN.crossEntropy(z, oneHot), NN.crossEntropy(z, labels).doubles, atol: 1e-14, "one-hot")
    expectGradcheck("cross entropy probabilities", { [NN.crossEntropy($0[0], $0[1], weight: $0[2], labelSmoothing: 0.2)] }, at: [z, p, w])
  }

  @Test func misuseStopsWithTheShapes() async {
    let r0 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.mseLoss(Tensor.zeros([2, 3]), Tensor.zeros([4]))
    }
    expectMessage(r0, "nn.functional.mse_loss")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.nllLoss(Tensor.zeros([3, 4]), Tensor([0, 4, 1] as [Int64]))
    }
    expectMessage(r1, "nn.functional.nll_loss: target 4 is out of bounds for 4 classes")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.crossEntropy(Tensor.zeros([3, 4]), Tensor([0, 1] as [Int64]))
    }
    expectMessage(r2, "nn.functional.cross_entropy: target [2] does not fit input [3, 4]")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.binaryCrossEntropy(Tensor.zeros([3, 4]), Tensor.zeros([4]))
    }
    expectMessage(r3, "nn.functional.binary_cross_entropy: target [4] must have the input's shape [3, 4]")
    let r4 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.mseLoss(Tensor.zeros([3]), Tensor.zeros([3]), reduction: .batchMean)
    }
    expectMessage(r4, "reduction batchmean is only for kl_div")
    let r5 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.nllLoss(Tensor.zeros([3, 4]), Tensor([0, 1, 1] as [Int64]), weight: Tensor.zeros([3]))
    }
    expectMessage(r5, "nn.functional.nll_loss: weight must be a float64 tensor of shape [4]")
    await #expect(processExitsWith: .failure) { _ = NN.crossEntropy(Tensor.zeros([3, 4]), Tensor.zeros([3])) }
    await #expect(processExitsWith: .failure) { _ = NN.huberLoss(Tensor.zeros([3]), Tensor.zeros([3]), delta: 0) }
  }
}

@Suite struct NNLinearCrossEntropyTests {
  @Test func linearCrossEntropyIsCrossEntropyOfTheLogits() {
    let x = uniform([5, 4], -1...1, seed: 51), w = uniform([3, 4], -1...1, seed: 52), b = Tensor([0.1, -0.2, 0.3])
    let target = Tensor([0, 2, 1, 2, 0] as [Int64])
    expectClose(
      NN.linearCrossEntropy(x, linearWeight: w, target: target, linearBias: b, labelSmoothing: 0.1),
      NN.crossEntropy(NN.linear(x, weight: w, bias: b), target, labelSmoothing: 0.1).doubles, atol: 1e-14, "classes")
    // A K-dimensional loss: the weight [C, d, in] gives logits [N, C, d].
    let wide = uniform([3, 2, 4], -1...1, seed: 53), targets = Tensor(shape: [5, 2], scalars: [0, 1, 2, 0, 1, 2, 0, 1, 2, 0] as [Int64])
    let logits = NN.linear(x, weight: wide.reshaped([6, 4])).reshaped([5, 3, 2])
    expectClose(
      NN.linearCrossEntropy(x, linearWeight: wide, target: targets, reduction: .none),
      NN.crossEntropy(logits, targets, reduction: .none).doubles, atol: 1e-14, "K-dimensional")
  }
}
