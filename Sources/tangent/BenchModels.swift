import ArgumentParser
import Foundation
import Tangent

/// `tangent bench models`: training and fitting with Tangent's optimizers, in float64 and
/// float32, the same case names as `bench/peers_models.py` (PyTorch: `torch.optim`,
/// `torch.func`; JAX: jitted, `optax`). Each case is `<case>.<dtype>`:
/// - `train_step`: one Adam step (learning rate 1e-3) of an MLP 784-256-256-10 (ReLU) at batch
///   128, the gradient of the mean cross-entropy by reverse mode, then the fused update;
/// - `lbfgs`: 20 L-BFGS iterations (history 100, strong-Wolfe line search, tolerances 0 so that
///   all 20 run) on a ridge-regularised logistic regression, 10⁴ samples × 100 features, from 0;
/// - `newton_cg`: 10 Newton-CG steps on the same problem (CG to ‖r‖ ≤ min(½, √‖g‖)·‖g‖, at
///   most 20 products per step), the Hessian-vector products by forward-over-reverse.
///
/// The logistic-regression data is a closed formula (``LogisticProblem``), so every
/// implementation fits the same data; each record carries the final loss, the iterations, the
/// function evaluations and (Newton-CG) the Hessian-vector products.
struct BenchModels: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "models",
    abstract: "Models, float64 and float32: an Adam step of an MLP 784-256-256-10 (batch 128), 20 L-BFGS iterations and 10 Newton-CG steps on a logistic regression (10⁴ × 100).")
  @OptionGroup var options: WorkloadOptions
  var parameters: [String: Any] {
    ["train_step": "MLP 784-256-256-10 ReLU, batch 128, Adam lr 1e-3", "lbfgs": "20 iterations, 10^4 x 100 logistic, strong Wolfe",
     "newton_cg": "10 steps, CG <= 20 HVPs (fwd-over-rev)"]
  }

  /// The classifier's parameters, in PyTorch's `nn.Linear` layout (weight `[out, in]`).
  struct ClassifierParameters: TensorTree {
    var weight1, bias1, weight2, bias2, weight3, bias3: Tensor

    /// Weights and biases uniform in ±1/√fan-in, as PyTorch's `nn.Linear` initialises them.
    init(dtype: DType, seed: UInt64) {
      var rng = SeededGenerator(seed: seed)
      func layer(_ fanIn: Int, _ fanOut: Int) -> (Tensor, Tensor) {
        let bound = 1 / Double(fanIn).squareRoot()
        return ((Tensor.rand([fanOut, fanIn], dtype: dtype, using: &rng) * 2 - 1) * bound,
                (Tensor.rand([fanOut], dtype: dtype, using: &rng) * 2 - 1) * bound)
      }
      (weight1, bias1) = layer(784, 256)
      (weight2, bias2) = layer(256, 256)
      (weight3, bias3) = layer(256, 10)
    }

    /// The logits of a batch `[N, 784]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
      let h1 = NN.linear(x, weight: weight1, bias: bias1).relu()
      let h2 = NN.linear(h1, weight: weight2, bias: bias2).relu()
      return NN.linear(h2, weight: weight3, bias: bias3)
    }
  }

  /// The logistic regression's parameters.
  struct LogisticParameters: TensorTree {
    var weight: Tensor  // [100]
    var bias: Tensor  // [1]
  }

  /// The logistic-regression problem, shared with the peers: sample i, feature j,
  ///
  ///     X[i, j] = sin(0.37·(i·100 + j) + 0.5) · (1 + j/10)
  ///     z[i]    = Σⱼ X[i, j] · cos(0.71·j) / 10 + 0.3·sin(1.7·i)
  ///     y[i]    = 1 if z[i] > 0 else 0
  ///
  /// and the loss, with λ = 10⁻³, mean(BCE-with-logits(X w + b, y)) + λ/2 ‖w‖².
  struct LogisticProblem {
    static let samples = 10_000, features = 100, ridge = 1e-3
    let x: Tensor, y: Tensor

    init(dtype: DType) {
      let n = Self.samples, d = Self.features
      var xs = [Double](repeating: 0, count: n * d), ys = [Double](repeating: 0, count: n)
      for i in 0..<n {
        var z = 0.0
        for j in 0..<d {
          let v = Foundation.sin(0.37 * Double(i * d + j) + 0.5) * (1 + Double(j) / 10)
          xs[i * d + j] = v
          z += v * Foundation.cos(0.71 * Double(j)) / 10
        }
        z += 0.3 * Foundation.sin(1.7 * Double(i))
        ys[i] = z > 0 ? 1 : 0
      }
      x = Tensor(shape: [n, d], scalars: xs).converted(to: dtype)
      y = Tensor(shape: [n], scalars: ys).converted(to: dtype)
    }

    func loss(_ p: LogisticParameters) -> Tensor {
      NN.binaryCrossEntropyWithLogits(x.matmul(p.weight) + p.bias, y) + 0.5 * Self.ridge * (p.weight * p.weight).sum()
    }

    func start(_ dtype: DType) -> LogisticParameters {
      LogisticParameters(weight: Tensor.zeros([Self.features], dtype: dtype), bias: Tensor.zeros([1], dtype: dtype))
    }
  }

  func cases() -> [BenchCase] {
    let wanted = { (name: String) in options.only.map { name.contains($0) } ?? true }
    var list: [BenchCase] = []
    for dtype in [DType.float64, .float32] {
      let suffix = dtype == .float64 ? "float64" : "float32"

      if wanted("train_step.\(suffix)") {
        var params = ClassifierParameters(dtype: dtype, seed: 51)
        var rng = SeededGenerator(seed: 52)
        let x = Tensor.randn([128, 784], dtype: dtype, using: &rng)
        let labels = Tensor.randint(0, 10, [128], using: &rng)
        var adam = Adam(learningRate: 1e-3)
        let first = adam.step(&params) { p in NN.crossEntropy(p(x), labels) }.scalar
        list.append(BenchCase(name: "train_step.\(suffix)", info: ["first_loss": first]) {
          blackHole(adam.step(&params) { p in NN.crossEntropy(p(x), labels) })
        })
      }

      if wanted("lbfgs.\(suffix)") || wanted("newton_cg.\(suffix)") {
        let problem = LogisticProblem(dtype: dtype)
        let start = problem.start(dtype)
        if wanted("lbfgs.\(suffix)") {
          let lbfgs = LBFGS(historySize: 100, maxIterations: 20, maxEvaluations: 1000, gradientTolerance: 0, changeTolerance: 0)
          let r = lbfgs.minimize(from: start, problem.loss)
          list.append(BenchCase(name: "lbfgs.\(suffix)", info: Self.info(r)) { blackHole(lbfgs.minimize(from: start, problem.loss)) })
        }
        if wanted("newton_cg.\(suffix)") {
          let newton = NewtonCG(
            maxIterations: 10, maxEvaluations: 1000, maxConjugateGradientIterations: 20, gradientTolerance: 0, changeTolerance: 0)
          let r = newton.minimize(from: start, problem.loss)
          list.append(BenchCase(name: "newton_cg.\(suffix)", info: Self.info(r)) { blackHole(newton.minimize(from: start, problem.loss)) })
        }
      }
    }
    return list
  }

  /// The record fields of a minimization: the final loss and the work done.
  static func info<P>(_ r: MinimizationResult<P>) -> [String: Any] {
    ["final_loss": r.value, "iterations": r.iterations, "evaluations": r.functionEvaluations, "hvps": r.innerIterations,
     "stop": r.reason.description]
  }
}
