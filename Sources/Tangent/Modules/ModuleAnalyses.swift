/// The gradient of the loss of each sample separately, like the `torch.func` per-sample
/// gradients tutorial: `vmap` of `gradient` through ``functionalCall(_:parameters:_:)-(M,NamedTensors,M.Input)``.
///
/// Sample `i` is run as a batch of one (`inputs[i]` and `targets[i]` with a leading dim of
/// 1), so a module written for batches needs no change; the module must treat samples
/// independently (``BatchNorm`` in evaluation mode, ``Dropout`` off).
///
/// ```swift
/// let g = perSampleGradients(of: model, inputs: x, targets: labels) { NN.crossEntropy($0, $1) }
/// g["0.weight"]   // [N, out, in]: one gradient per sample
/// ```
/// - Parameters:
///   - module: the module.
///   - inputs: the samples, `[N, …]`.
///   - targets: the targets, `[N, …]`.
///   - chunkSize: the most samples mapped at once (bounds memory); `nil` for all.
///   - loss: the scalar loss of a batch of one: the module's output and the target.
/// - Returns: the parameters' gradients with a leading dim `N`, named as ``Module/parameters``.
/// - Precondition: `inputs` and `targets` have the same size along dim 0; `loss` returns one
///   element.
public func perSampleGradients<M: Module>(
  of module: M, inputs: Tensor, targets: Tensor, chunkSize: Int? = nil, loss: @escaping (Tensor, Tensor) -> Tensor
) -> NamedTensors where M.Input == Tensor, M.Output == Tensor {
  check(
    inputs.rank >= 1 && targets.rank >= 1 && inputs.shape[0] == targets.shape[0],
    "perSampleGradients: inputs \(inputs.shape) and targets \(targets.shape) need the same size along dim 0")
  let p = module.parameters
  let perSample = vmap(
    of: { (x: Tensor, t: Tensor) -> NamedTensors in
      gradient(of: { (q: NamedTensors) in loss(functionalCall(module, parameters: q, x.unsqueezed(dim: 0)), t.unsqueezed(dim: 0)) }, at: p)
    }, chunkSize: chunkSize)
  return perSample(inputs, targets)
}

/// How ``empiricalNTK(of:_:_:method:jacobianBudget:)`` computes the kernel (the two methods
/// of the `torch.func` neural-tangent-kernel tutorial and of Novak et al. 2022, *Fast Finite
/// Width Neural Tangent Kernel*).
public enum NTKMethod: Sendable {
  /// Jacobian contraction when the two Jacobians fit in the budget, NTK-vector products
  /// otherwise (see ``empiricalNTK(of:_:_:method:jacobianBudget:)`` for the rule).
  case automatic
  /// Form the per-sample Jacobians `J₁` `[N·O, P]` and `J₂` `[M·O, P]` (one `vmap` of a chunked
  /// VJP each) and multiply: Θ = J₁ J₂ᵀ.
  case jacobianContraction
  /// Never form `J₁`: for each sample of the second batch, pull the `O` basis vectors back
  /// (`J₂ᵀ eᵦ`, one chunked VJP) and push them forward through the whole first batch (`J₁ v`,
  /// one chunked JVP: forward mode). Memory `O·P + N·O²` at a time.
  case ntkVectorProducts
}

/// The empirical neural tangent kernel of a module between two batches,
/// `Θ[i, j, a, b] = Σₚ ∂f_a(x₁ᵢ)/∂θₚ · ∂f_b(x₂ⱼ)/∂θₚ`, like the `torch.func` NTK tutorial
/// (its `compute='full'`).
///
/// The output of a sample is flattened to `O` values. The module must treat samples
/// independently (evaluation mode for ``BatchNorm``).
///
/// **Choosing the method.** With `P` parameters and `F` the cost of one sample's forward pass,
/// Jacobian contraction costs about `(N + M)·O·F + N·M·O²·P` operations in two batched
/// reverse passes and one matrix product, and holds `(N + M)·O·P` numbers; NTK-vector
/// products cost about `M·O·(N + 1)·F` in `2M` passes and hold `O·(P + N·O)`. For dense
/// layers (`F ≈ 2P` per sample) the operation counts are of the same order, and the
/// contraction's few large passes and single GEMM run far faster than `2M` smaller passes
/// (measured in `ModuleAnalysesTests`; see the DocC article *Modules*), so `.automatic`
/// contracts Jacobians whenever `(N + M)·O·P ≤ jacobianBudget`, and falls back to
/// NTK-vector products, whose memory does not grow with `N·P`, when they would not fit.
/// - Parameters:
///   - module: the module; its output for a batch of `n` is `[n, …]`.
///   - x1: the first batch, `[N, …]`.
///   - x2: the second batch, `[M, …]`.
///   - method: how to compute the kernel.
///   - jacobianBudget: the most Jacobian elements `.automatic` lets the contraction hold
///     (default 2²⁵, 256 MB of float64).
/// - Returns: `[N, M, O, O]`.
/// - Precondition: both batches have at least one sample.
public func empiricalNTK<M: Module>(
  of module: M, _ x1: Tensor, _ x2: Tensor, method: NTKMethod = .automatic, jacobianBudget: Int = 1 << 25
) -> Tensor where M.Input == Tensor, M.Output == Tensor {
  check(
    x1.rank >= 1 && x2.rank >= 1 && x1.shape[0] > 0 && x2.shape[0] > 0,
    "empiricalNTK: expected two non-empty batches, got \(x1.shape) and \(x2.shape)")
  let p = module.parameters
  let n = x1.shape[0], m = x2.shape[0]
  /// The flattened output of one sample.
  let single = { (q: NamedTensors, x: Tensor) -> Tensor in functionalCall(module, parameters: q, x.unsqueezed(dim: 0)).reshaped([-1]) }
  let o = single(p, x1.select(dim: 0, index: 0)).count
  let dtype = p.tensors.first?.dtype ?? .float64
  let basis = Tensor.eye(o, dtype: dtype)
  let useContraction: Bool
  switch method {
  case .jacobianContraction: useContraction = true
  case .ntkVectorProducts: useContraction = false
  case .automatic: useContraction = (n + m) * o * p.scalarCount <= jacobianBudget
  }
  if useContraction {
    /// The per-sample Jacobians of a batch, `[n·O, P]`.
    func jacobian(_ xs: Tensor) -> Tensor {
      let rows = vmap(of: { (x: Tensor) -> NamedTensors in
        vjp(of: { (q: NamedTensors) in single(q, x) }, at: p, chunked: true).pullback(basis)
      })(xs)
      let k = xs.shape[0] * o
      return Tensor.cat(rows.tensors.map { $0.reshaped([k, -1]) }, dim: 1)
    }
    let theta = jacobian(x1).matmul(jacobian(x2).mT)  // [N·O, M·O]
    return theta.reshaped([n, o, m, o]).permuted([0, 2, 1, 3])
  }
  let batch1 = { (q: NamedTensors) in functionalCall(module, parameters: q, x1).reshaped([n, o]) }
  var slices: [Tensor] = []
  for j in 0..<m {
    let xj = x2.select(dim: 0, index: j)
    let pulled = vjp(of: { (q: NamedTensors) in single(q, xj) }, at: p, chunked: true).pullback(basis)  // [O(b)] + shapes
    let pushed = jvp(of: batch1, at: p, along: pulled, chunked: true).tangent  // [O(b), N, O(a)]
    slices.append(pushed.permuted([1, 2, 0]))
  }
  return Tensor.stack(slices, dim: 1)
}
