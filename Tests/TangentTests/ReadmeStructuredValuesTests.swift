import Foundation
import Tangent
import Testing

/// The README's "Structured values" section, line for line: it must compile and give the
/// shapes and values it claims.
@Test func readmeStructuredValuesRuns() {
  struct Dense: TensorTree {              // a tree by declaring it: fields found by reflection
    var weight: Tensor
    var bias: Tensor
  }
  struct MLP: TensorTree {
    var hidden: Dense
    var output: Dense
    @TreeStatic var activation = "tanh"   // not a parameter: skipped
    func callAsFunction(_ x: Tensor) -> Tensor {
      let h = NN.linear(x, weight: hidden.weight, bias: hidden.bias).tanh()
      return NN.linear(h, weight: output.weight, bias: output.bias)
    }
  }
  let params = MLP(hidden: Dense(weight: Tensor.randn([8, 3]), bias: Tensor.zeros([8])),
                   output: Dense(weight: Tensor.randn([1, 8]), bias: Tensor.zeros([1])))
  let xs = Tensor.randn([16, 3])

  // Jacobians of and with respect to trees: one block per pair of leaves, in JAX's layout.
  let J = jacrev(of: { (p: MLP) in p(xs) }, at: params)       // TreeJacobian<Tensor, MLP>
  let dW = J[output: \.self, input: \.hidden.weight]           // shape [16, 1, 8, 3]
  let blocks = J.inputTree                                     // an MLP of blocks, as JAX returns
  let H = hessian(of: { (p: MLP) in p(xs).square().mean() }, at: params)   // H.matrix(): [41, 41]

  // has_aux: return (output, aux). argnums: pass the arguments as a tuple and choose.
  let (Jx, logits) = jacfwd(of: { (x: Tensor) in (params(x).tanh(), params(x)) }, at: xs)
  let loss = { (p: MLP, x: Tensor) in p(x).square().mean() }
  let gp = gradient(of: loss, at: (params, xs), wrt: .first)   // an MLP
  let both = gradient(of: loss, at: (params, xs), wrt: .both)  // a TreePair: .first, .second

  // Flatten to one vector and back; map over several trees at once.
  let (theta, unravel) = ravel(params)                         // theta: [41]; unravel(theta)
  let sgd = Tree.map(params, gp) { p, g in p - 0.1 * g }
  let scaled = Tree.map(params, gp, both.first) { p, g, h in p - 0.01 * g / (h.abs() + 1e-8) }

  #expect(dW.shape == [16, 1, 8, 3] && blocks.output.bias.shape == [16, 1, 1])
  #expect(H.matrix().shape == [41, 41] && Jx.shape == [16, 1, 16, 3] && logits.shape == [16, 1])
  #expect(theta.shape == [41] && unravel(theta).hidden.weight.doubles == params.hidden.weight.doubles)
  #expect(both.second.shape == [16, 3] && both.first.output.bias.doubles == gp.output.bias.doubles)
  #expect(sgd.output.bias.doubles == (params.output.bias - 0.1 * gp.output.bias).doubles)
  #expect(scaled.activation == "tanh")
  #expect(String(describing: J) == "TreeJacobian<Tensor, MLP>(1 × 4 blocks: [[16, 1, 8, 3], [16, 1, 8], [16, 1, 1, 8], [16, 1, 1]])")
}

/// The README's code block is the body above, so the two cannot drift apart.
@Test func readmeStructuredValuesMatchesTheTest() throws {
  let readme = RepositoryFiles.text("README.md")
  let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
  /// The lines from the one starting `struct Dense: TensorTree {` to the one starting `let scaled`.
  func block(_ text: String) -> [String] { RepositoryFiles.block(text, from: "struct Dense: TensorTree {", through: "let scaled") }
  #expect(!block(readme).isEmpty && block(readme) == block(test))
}
