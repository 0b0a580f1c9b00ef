import ComplexModule
import RealModule

// The fused "β·input + α·product" family of PyTorch (addmm, addmv, addr, baddbmm, addbmm),
// composed from matmul, mul and add: their rules come from those ops.

extension Tensor {
  /// This tensor times a real scalar, skipping the product for 1 and keeping an integer dtype
  /// for an integral scalar.
  func scaled(by s: Double, op: String) -> Tensor {
    if s == 1 { return self }
    if !dtype.isFloatingPoint {
      check(s.rounded() == s, "\(op): alpha and beta must be integers for \(dtype) tensors, got \(s)")
      return self * Int(s)
    }
    return self * s
  }

  /// `β·self + α·product`, with PyTorch's rule that β = 0 ignores `self` (NaN and ∞ in it
  /// do not propagate), and a check that `self` broadcasts to the product's shape.
  func addingScaled(_ product: Tensor, beta: Double, alpha: Double, op: String, operands: String) -> Tensor {
    check(
      Shape.broadcast(shape, product.shape) == product.shape,
      "\(op): input of shape \(shape) does not broadcast to the product's shape \(product.shape) (\(operands))")
    let p = product.scaled(by: alpha, op: op)
    if beta == 0 { return p }
    return scaled(by: beta, op: op) + p
  }

  /// `β·self + α·(mat1 @ mat2)`, like `torch.addmm(input, mat1, mat2, beta=β, alpha=α)`. When
  /// β is 0, `self` is ignored: NaN and ∞ in it do not propagate.
  ///
  /// Derivative: linear in `self` (β) and bilinear in the matrices (α times the rule of
  /// ``matmul(_:)``); the VJP of `self` is β·ḡ summed to its shape.
  /// - Precondition: `mat1` is `[n, k]` and `mat2` is `[k, m]` with the same dtype, and `self`
  ///   broadcasts to `[n, m]`.
  public func addmm(_ mat1: Tensor, _ mat2: Tensor, beta: Double = 1, alpha: Double = 1) -> Tensor {
    check(
      mat1.rank == 2 && mat2.rank == 2 && mat1.shape[1] == mat2.shape[0],
      "addmm: expected matrices [n, k] and [k, m], got \(mat1.shape) @ \(mat2.shape)")
    return addingScaled(
      mat1.matmul(mat2), beta: beta, alpha: alpha, op: "addmm", operands: "\(mat1.shape) @ \(mat2.shape)")
  }

  /// `β·self + α·(mat @ vec)`, like `torch.addmv(input, mat, vec, beta=β, alpha=α)`. When β is
  /// 0, `self` is ignored.
  ///
  /// Derivative: linear in `self` (β) and bilinear in `mat`, `vec` (α times the rule of
  /// ``matmul(_:)``).
  /// - Precondition: `mat` is `[n, k]` and `vec` is `[k]` with the same dtype, and `self`
  ///   broadcasts to `[n]`.
  public func addmv(_ mat: Tensor, _ vec: Tensor, beta: Double = 1, alpha: Double = 1) -> Tensor {
    check(
      mat.rank == 2 && vec.rank == 1 && mat.shape[1] == vec.shape[0],
      "addmv: expected a matrix [n, k] and a vector [k], got \(mat.shape) @ \(vec.shape)")
    return addingScaled(mat.matmul(vec), beta: beta, alpha: alpha, op: "addmv", operands: "\(mat.shape) @ \(vec.shape)")
  }

  /// `β·self + α·outer(vec1, vec2)`, like `torch.addr(input, vec1, vec2, beta=β, alpha=α)`.
  /// When β is 0, `self` is ignored.
  ///
  /// Derivative: linear in `self` (β) and bilinear in the vectors (α times the rule of
  /// ``outer(_:)``).
  /// - Precondition: `vec1` is `[n]` and `vec2` is `[m]`, and `self` broadcasts to `[n, m]`.
  public func addr(_ vec1: Tensor, _ vec2: Tensor, beta: Double = 1, alpha: Double = 1) -> Tensor {
    check(vec1.rank == 1 && vec2.rank == 1, "addr: expected two vectors, got \(vec1.shape) and \(vec2.shape)")
    return addingScaled(vec1.outer(vec2), beta: beta, alpha: alpha, op: "addr", operands: "outer of \(vec1.shape) and \(vec2.shape)")
  }

  /// `β·self + α·(batch1 @ batch2)`, like `torch.baddbmm(input, batch1, batch2, beta=β, alpha=α)`:
  /// a batch of `addmm`. When β is 0, `self` is ignored.
  ///
  /// Derivative: linear in `self` (β) and bilinear in the batches (α times the rule of
  /// ``matmul(_:)``).
  /// - Precondition: `batch1` is `[b, n, k]` and `batch2` is `[b, k, m]` with the same dtype,
  ///   and `self` broadcasts to `[b, n, m]`.
  public func baddbmm(_ batch1: Tensor, _ batch2: Tensor, beta: Double = 1, alpha: Double = 1) -> Tensor {
    check(
      batch1.rank == 3 && batch2.rank == 3 && batch1.shape[0] == batch2.shape[0] && batch1.shape[2] == batch2.shape[1],
      "baddbmm: expected batches [b, n, k] and [b, k, m], got \(batch1.shape) @ \(batch2.shape)")
    return addingScaled(
      batch1.matmul(batch2), beta: beta, alpha: alpha, op: "baddbmm", operands: "\(batch1.shape) @ \(batch2.shape)")
  }

  /// `β·self + α·Σᵦ batch1[b] @ batch2[b]`, like `torch.addbmm(input, batch1, batch2, beta=β, alpha=α)`.
  /// The sum of products is one matrix product `[n, b·k] @ [b·k, m]`. When β is 0, `self` is
  /// ignored.
  ///
  /// Derivative: linear in `self` (β) and bilinear in the batches (α times the rule of
  /// ``matmul(_:)``, through the reshapes).
  /// - Precondition: `batch1` is `[b, n, k]` and `batch2` is `[b, k, m]` with the same dtype,
  ///   and `self` broadcasts to `[n, m]`.
  public func addbmm(_ batch1: Tensor, _ batch2: Tensor, beta: Double = 1, alpha: Double = 1) -> Tensor {
    check(
      batch1.rank == 3 && batch2.rank == 3 && batch1.shape[0] == batch2.shape[0] && batch1.shape[2] == batch2.shape[1],
      "addbmm: expected batches [b, n, k] and [b, k, m], got \(batch1.shape) @ \(batch2.shape)")
    let (b, n, k, m) = (batch1.shape[0], batch1.shape[1], batch1.shape[2], batch2.shape[2])
    let lhs = batch1.permuted([1, 0, 2]).reshaped([n, b * k])
    let product = lhs.matmul(batch2.reshaped([b * k, m]))
    return addingScaled(product, beta: beta, alpha: alpha, op: "addbmm", operands: "\(batch1.shape) @ \(batch2.shape)")
  }
}
