import ComplexModule
import RealModule

/// The product along one dim.
///
/// Derivative: ∂y/∂xᵢ = Πⱼ≠ᵢ xⱼ, the product of the others. Without zeros that is y/xᵢ; with
/// zeros it is the exclusive cumulative product from the front times the one from the back
/// (PyTorch's `prod_safe_zeros_backward`), whose own derivatives are exact, so every order is
/// right with any number of zeros. The JVP is Σᵢ dxᵢ·Πⱼ≠ᵢ xⱼ; the VJP is ḡ·conj(Πⱼ≠ᵢ xⱼ).
struct ProdOp: UnaryOp {
  /// The dim, negative.
  let dim: Int
  let keepdim: Bool
  var name: String { "prod" }
  var sparsity: SparsityRule { .reduction(dims: [dim], .nonlinear) }

  func primal(_ x: Tensor) -> Tensor { Reductions.prod(x, dims: [dim + x.rank], keepdim: keepdim) }

  /// Πⱼ≠ᵢ xⱼ along the dim, with the input's shape.
  func others(_ x: Tensor, y: Tensor) -> Tensor {
    if !x.containsZero {
      return restoringReducedDims(y, inputShape: x.shape, dims: [dim], keepdim: keepdim) / x
    }
    let front = CumprodOp(dim: dim, reverse: false), back = CumprodOp(dim: dim, reverse: true)
    return front.exclusive(Tensor.apply(front, x)) * back.exclusive(Tensor.apply(back, x))
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    (dx * others(x, y: y)).sum(dims: [dim], keepdim: keepdim)
  }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    restoringReducedDims(gy, inputShape: x.shape, dims: [dim], keepdim: keepdim) * others(x, y: y).conj()
  }
}

extension Tensor {
  /// The product of all elements, as a 0-d tensor, like `torch.prod`. Integers and booleans
  /// give `int64`.
  ///
  /// Derivative: ∂/∂xᵢ = Πⱼ≠ᵢ xⱼ, exact with zeros and at every order.
  public func prod() -> Tensor {
    if rank == 0 { return self }
    return reshaped([-1]).prod(dim: 0)
  }

  /// The product along `dim`, like `torch.prod(x, dim, keepdim)`. Integers and booleans give
  /// `int64`.
  ///
  /// Derivative: ∂/∂xᵢ = Πⱼ≠ᵢ xⱼ along the dim, exact with zeros and at every order.
  /// - Precondition: `dim` is in range.
  public func prod(dim: Int, keepdim: Bool = false) -> Tensor {
    let d = negativeDim(dim, op: "prod")
    if rank == 0 { return self }
    return Tensor.apply(ProdOp(dim: d, keepdim: keepdim), self)
  }
}
