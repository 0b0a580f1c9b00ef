import Tangent
import TangentTesting

// Small structured problems shared by the tree-transform tests: a two-layer MLP whose
// parameters are a struct of nested structs (conforming by reflection), and its loss.

/// A dense layer, a TensorTree by reflection (no key paths listed).
struct DenseParams: TensorTree {
  var weight: Tensor
  var bias: Tensor
}

/// A two-layer tanh MLP, with nested layers and a field that is not a parameter.
struct TwoLayerParams: TensorTree {
  var hidden: DenseParams
  var output: DenseParams
  @TreeStatic var label = "mlp"

  /// The network at inputs `x` of shape [B, 3]: outputs [B, 2].
  func callAsFunction(_ x: Tensor) -> Tensor {
    NN.linear(NN.linear(x, weight: hidden.weight, bias: hidden.bias).tanh(), weight: output.weight, bias: output.bias)
  }

  /// Random parameters for 3 inputs, 4 hidden units and 2 outputs.
  static func random(_ rng: inout TestRandom) -> TwoLayerParams {
    TwoLayerParams(
      hidden: DenseParams(weight: rng.tensor([4, 3]), bias: rng.tensor([4])),
      output: DenseParams(weight: rng.tensor([2, 4]), bias: rng.tensor([2])))
  }
}

/// The central-difference Jacobian of `f` at the flat vector `theta`, of shape
/// `f(theta).shape + [n]`.
func numericJacobian(_ f: (Tensor) -> Tensor, at theta: Tensor, eps: Double = 1e-6) -> Tensor {
  let n = theta.count
  let columns = (0..<n).map { k -> Tensor in
    let e = Tensor((0..<n).map { $0 == k ? 1.0 : 0.0 }).converted(to: theta.dtype)
    return (f(theta + e * eps) - f(theta - e * eps)) / (2 * eps)
  }
  let stacked = Tensor.stack(columns, dim: -1)
  return stacked
}
