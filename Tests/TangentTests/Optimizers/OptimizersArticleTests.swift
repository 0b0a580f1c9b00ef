import Tangent
import Testing

/// The code of Sources/Tangent/Tangent.docc/Optimizers.md, line for line, with the values the
/// article states.
@Suite struct OptimizersArticleTests {
  @Test func firstOrderLoop() {
    var gen = SeededGenerator(seed: 0)
    let x = Tensor.randn([128, 4], using: &gen)
    let y = x.matmul(Tensor([[1.0], [-2.0], [0.5], [3.0]])) + 0.1

    var params: [String: Tensor] = ["w": Tensor.zeros([4, 1]), "b": Tensor.zeros([1])]
    var optimizer = Adam(learningRate: 0.05)
    for _ in 0..<500 {
      optimizer.step(&params) { p in (x.matmul(p["w"]!) + p["b"]! - y).square().mean() }
    }
    let loss = (x.matmul(params["w"]!) + params["b"]! - y).square().mean().scalar
    #expect(loss < 1e-6, "\(loss)")
    #expect(Swift.abs(params["b"]!.scalar - 0.1) < 1e-3)
  }

  @Test func lbfgsSnippet() {
    let rosenbrock = { (x: Tensor) in
      let a = x.narrowed(dim: 0, start: 0, length: 9), b = x.narrowed(dim: 0, start: 1, length: 9)
      return (100 * (b - a * a).square() + (1 - a).square()).sum()
    }
    let result = LBFGS(maxIterations: 500).minimize(from: Tensor.zeros([10]), rosenbrock)
    #expect(result.converged, "\(result.reason)")
    #expect(result.parameters.doubles.allSatisfy { Swift.abs($0 - 1) < 1e-4 }, "\(result.parameters.doubles)")
    #expect(result.iterations > 0 && result.functionEvaluations >= result.iterations)
  }

  @Test func levenbergMarquardtSnippet() {
    let t = Tensor.linspace(0, 4, count: 30)
    let model = { (p: [String: Tensor]) in p["a"]! * (-p["b"]! * t).exp() + p["c"]! }
    let data = model(["a": Tensor([2.5]), "b": Tensor([1.3]), "c": Tensor([0.5])])
    let fit = LevenbergMarquardt().minimize(from: ["a": Tensor([1.0]), "b": Tensor([0.3]), "c": Tensor([0.0])]) { p in
      model(p) - data
    }
    #expect(Swift.abs(fit.parameters["b"]!.scalar - 1.3) < 1e-9)
  }
}
