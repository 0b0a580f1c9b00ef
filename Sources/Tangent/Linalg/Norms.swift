import ComplexModule
import RealModule

extension Linalg {
  /// The order of a norm, like PyTorch's `ord`.
  public enum NormOrder: Sendable, Equatable {
    /// The Frobenius norm `√Σ|aᵢⱼ|²` (matrices).
    case fro
    /// The nuclear norm, the sum of the singular values (matrices).
    case nuc
    /// A numeric order: for matrices ±1 (largest/smallest absolute column sum), ±2
    /// (largest/smallest singular value) and ±∞ (largest/smallest absolute row sum); for
    /// vectors any `p` (see ``Tensor/vectorNorm(ord:dims:keepdim:)``).
    case p(Double)
  }

  /// The matrix norm of each matrix (over `dims`, the last two by default), like
  /// `torch.linalg.matrix_norm`: Frobenius, nuclear, or of order ±1, ±2, ±∞. The result is
  /// real.
  ///
  /// Derivative: through the ops it is made of: the vector 2-norm for `.fro`, sums and maxima
  /// of absolute values for ±1 and ±∞, and the singular values (``svdvals(_:)``) for `.nuc` and
  /// ±2, whose derivatives are exact (ties, as in PyTorch, share the gradient of a maximum).
  /// Where the SVD does not converge the result is NaN. An empty matrix has norm 0.
  /// - Precondition: `a` is floating with at least 2 dims; `dims` are two distinct dims.
  public static func matrixNorm(_ a: Tensor, ord: NormOrder = .fro, dims: [Int] = [-2, -1], keepdim: Bool = false) -> Tensor {
    let op = "Linalg.matrixNorm"
    requireMatrix(a, op)
    check(dims.count == 2, "\(op): dims must name two dims, got \(dims)")
    let d = dims.map { $0 < 0 ? $0 + a.rank : $0 }
    check(d.allSatisfy { $0 >= 0 && $0 < a.rank } && d[0] != d[1], "\(op): dims \(dims) are not two distinct dims of \(a.shape)")
    // The matrices as the last two dims.
    let x = a.movedim(d, to: [a.rank - 2, a.rank - 1])
    var result: Tensor
    if x.shape[x.rank - 2] == 0 || x.shape[x.rank - 1] == 0 {
      // An empty matrix has norm 0 in every order, as in PyTorch (the maxima and sums run over
      // nothing); the zeros stay connected to `a` so that every mode sees a zero derivative.
      result = x.abs().sum(dims: [-2, -1])
      if keepdim { for k in d.sorted() { result = result.unsqueezed(dim: k) } }
      return result
    }
    switch ord {
    case .fro: result = x.vectorNorm(ord: 2, dims: [-2, -1])
    case .nuc: result = svdvalsEx(x).0.sum(dim: -1)
    case .p(let p):
      switch p {
      case 2: result = svdvalsEx(x).0.amax(dim: -1)
      case -2: result = svdvalsEx(x).0.amin(dim: -1)
      case 1: result = x.abs().sum(dim: -2).amax(dim: -1)
      case -1: result = x.abs().sum(dim: -2).amin(dim: -1)
      case .infinity: result = x.abs().sum(dim: -1).amax(dim: -1)
      case -.infinity: result = x.abs().sum(dim: -1).amin(dim: -1)
      default: misuse("\(op): the order of a matrix norm is fro, nuc, ±1, ±2 or ±inf, got \(p)")
      }
    }
    if keepdim { for k in d.sorted() { result = result.unsqueezed(dim: k) } }
    return result
  }

  /// A vector or matrix norm, like `torch.linalg.norm`. With no `dims`, `ord = nil` is the
  /// 2-norm of all the elements; otherwise `a` must be 1-d (a vector norm) or 2-d (a matrix
  /// norm). One dim in `dims` gives vector norms, two give matrix norms. The result is real.
  ///
  /// Derivative: that of ``Tensor/vectorNorm(ord:dims:keepdim:)`` or
  /// ``matrixNorm(_:ord:dims:keepdim:)``.
  /// - Precondition: `a` is floating; `ord` suits the kind of norm.
  public static func norm(_ a: Tensor, ord: NormOrder? = nil, dims: [Int]? = nil, keepdim: Bool = false) -> Tensor {
    let op = "Linalg.norm"
    requireFloating(a, op)
    let dims = dims ?? (ord == nil ? nil : Array(0..<a.rank))
    guard let dims else { return a.vectorNorm(ord: 2, dims: nil, keepdim: keepdim) }
    switch dims.count {
    case 1:
      switch ord ?? .p(2) {
      case .p(let p): return a.vectorNorm(ord: p, dims: dims, keepdim: keepdim)
      case let other: misuse("\(op): \(other) is a matrix norm; a vector norm takes a number")
      }
    case 2: return matrixNorm(a, ord: ord ?? .fro, dims: dims, keepdim: keepdim)
    default: misuse("\(op): a norm over \(dims.count) dims needs ord = nil (or a 1-d or 2-d input), got \(a.shape)")
    }
  }

  /// The condition number of each matrix in a norm, like `torch.linalg.cond`: for `nil` (the
  /// 2-norm) and ±2 the ratio of the largest and smallest singular values (any `m × n`), for
  /// the other orders `‖A‖ · ‖A⁻¹‖` (square matrices; `+∞` for a singular one, as in PyTorch).
  /// An input with no elements (0 × 0 matrices, an empty batch) gives 0, as in PyTorch.
  ///
  /// Derivative: through the singular values, or through ``matrixNorm(_:ord:dims:keepdim:)``
  /// and ``inv(_:)``.
  /// - Precondition: `a` is a floating batch of matrices, square unless `p` is `nil` or ±2.
  public static func cond(_ a: Tensor, p: NormOrder? = nil) -> Tensor {
    let op = "Linalg.cond"
    requireMatrix(a, op)
    let order = p ?? .p(2)
    // No elements: 0, as in PyTorch (NumPy leaves the condition number of 0 × 0 undefined).
    if a.count == 0 {
      if order != .p(2) && order != .p(-2) { requireSquare(a, op) }
      return a.abs().sum(dims: [-2, -1])
    }
    if order == .p(2) || order == .p(-2) {
      let s = svdvalsEx(a).0
      let ratio = s.amax(dim: -1) / s.amin(dim: -1)
      return order == .p(2) ? ratio : 1 / ratio
    }
    requireSquare(a, op)
    let (inverse, info) = invEx(a, op: op)
    let value = matrixNorm(a, ord: order) * matrixNorm(inverse, ord: order)
    return Tensor.where(info.ne(0), Double.infinity, value)
  }

  /// The inverse of a tensor as a linear map, like `torch.linalg.tensorinv`: for `a` of shape
  /// `I + J` (`I` its first `ind` dims, `∏I = ∏J`), the tensor of shape `J + I` that inverts
  /// it (`tensordot` of the two over `ind` dims is the identity).
  ///
  /// Derivative: that of ``inv(_:)`` through the reshapes.
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` when the map is singular.
  /// - Precondition: `ind > 0` and the products of the two groups of dims match.
  public static func tensorinv(_ a: Tensor, ind: Int = 2) throws(LinalgError) -> Tensor {
    let op = "Linalg.tensorinv"
    requireFloating(a, op)
    check(ind > 0 && ind <= a.rank, "\(op): ind must be in 1...\(a.rank), got \(ind)")
    let outer = Array(a.shape.prefix(ind)), inner = Array(a.shape.dropFirst(ind))
    let rows = Shape.count(outer), cols = Shape.count(inner)
    check(rows == cols, "\(op): the product of the first \(ind) dims (\(rows)) must equal that of the others (\(cols)) in \(a.shape)")
    let (y, info) = invEx(a.reshaped([rows, cols]), op: op)
    try LinalgError.checkSingular(info, op: op)
    return y.reshaped(inner + outer)
  }

  /// The solution `X` of `tensordot(A, X, X.rank) = B`, like `torch.linalg.tensorsolve`: `A`
  /// has shape `E + X.shape` (after moving `dims`, when given, to the end) where `E` holds
  /// `B.count` elements in `B.rank` dims (usually `B.shape`), and the system is solved as a
  /// square matrix of size `B.count`.
  ///
  /// Derivative: that of ``solve(_:_:left:)`` through the reshapes.
  /// - Throws: ``LinalgError/singular(op:batchIndex:)`` when the system is singular.
  /// - Precondition: the shapes match and the system is square.
  public static func tensorsolve(_ a: Tensor, _ b: Tensor, dims: [Int]? = nil) throws(LinalgError) -> Tensor {
    let op = "Linalg.tensorsolve"
    requireFloating(a, op)
    requireSameDType(a, b, op)
    var a = a
    if let dims {
      let d = dims.map { $0 < 0 ? $0 + a.rank : $0 }
      a = a.movedim(d, to: Array((a.rank - d.count)..<a.rank))
    }
    // As in PyTorch, only the element counts must agree: A's first B.rank dims hold B.count
    // equations (in any shape), its other dims the unknowns.
    check(
      a.rank >= b.rank && Shape.count(Array(a.shape.prefix(b.rank))) == b.count,
      "\(op): the first \(b.rank) dims of A \(a.shape) (after moving dims) must hold as many elements as B \(b.shape)")
    let xShape = Array(a.shape.dropFirst(b.rank))
    let rows = b.count, cols = Shape.count(xShape)
    check(rows == cols, "\(op): the system is not square: \(rows) equations, \(cols) unknowns")
    let (x, info) = solveEx(a.reshaped([rows, cols]), b.reshaped([rows]), left: true, op: op)
    try LinalgError.checkSingular(info, op: op)
    return x.reshaped(xShape)
  }

  /// The Vandermonde matrix of each vector `x` (the last dim), like `torch.linalg.vander`:
  /// columns `x⁰, x¹, …, x^(n−1)`, `n` defaulting to the length of `x`.
  ///
  /// A 0-d `x` counts as a vector of one element, as in PyTorch.
  ///
  /// Derivative: through the cumulative product, `d(xᵏ) = k xᵏ⁻¹ dx`.
  /// - Precondition: `n ≥ 0`.
  public static func vander(_ x: Tensor, n: Int? = nil) -> Tensor {
    let op = "Linalg.vander"
    // A 0-d x is one point, as in PyTorch (and NumPy's `x[np.newaxis]`).
    let x = x.rank == 0 ? x.reshaped([1]) : x
    let n = n ?? x.shape[x.rank - 1]
    check(n >= 0, "\(op): n must not be negative, got \(n)")
    let column = x.unsqueezed(dim: -1)
    let ones = Tensor.ones(like: column.detached)
    if n <= 1 { return n == 0 ? Tensor.zeros(x.shape + [0], dtype: x.dtype) : ones }
    let powers = column.expanded(to: x.shape + [n - 1]).cumprod(dim: -1)
    return Tensor.cat([ones, powers], dim: -1)
  }
}
