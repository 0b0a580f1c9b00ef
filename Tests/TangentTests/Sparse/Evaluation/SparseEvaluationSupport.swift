import ComplexModule
import Testing
import Tangent
import TangentTesting

/// The dense Jacobian of `f` at `x` by `jacfwd`, as an `f(x).count × x.count` matrix.
func denseJacobian(_ f: (Tensor) -> Tensor, at x: Tensor) -> Tensor {
  jacfwd(of: f, at: x).reshaped([f(x).count, x.count])
}

/// The pattern of the nonzeros of `jacfwd` at `x` (a random point has no accidental zeros).
func jacobianPattern(_ f: (Tensor) -> Tensor, at x: Tensor) -> SparsityPattern {
  let j = denseJacobian(f, at: x)
  return x.dtype.isComplex ? SparseMatrix<Complex<Double>>(dense: j).pattern : SparseMatrix<Double>(dense: j).pattern
}

/// Expects a sparse matrix, made dense, to equal a dense one to rounding.
func expectEqualToDense<Scalar: FloatingScalar>(
  _ got: SparseMatrix<Scalar>, _ want: Tensor, tolerance: Double = 1e-12, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(got.shape == want.shape, "\(what): shape \(got.shape), expected \(want.shape)", sourceLocation: sourceLocation)
  guard got.shape == want.shape else { return }
  let g = got.dense()
  if want.dtype.isComplex {
    expectClose(g, complex: want.complexDoubles, atol: tolerance, rtol: tolerance, what, sourceLocation: sourceLocation)
  } else {
    expectClose(g.doubles, want.doubles, atol: tolerance, rtol: tolerance, what, sourceLocation: sourceLocation)
  }
}

/// A tridiagonal map Rⁿ → Rⁿ⁻²: a second difference plus a nonlinear middle term.
func tridiagonalMap(_ u: Tensor) -> Tensor {
  let n = u.shape[0]
  let left = u[0..<(n - 2)], middle = u[1..<(n - 1)], right = u[2..<n]
  return left - 2 * middle + right + middle * middle * left.sin()
}

/// The periodic 5-point Laplacian of a `[..., N, N]` grid (no spacing factor).
func laplacian5(_ u: Tensor) -> Tensor {
  let h = u.rank - 2, w = u.rank - 1
  return u.roll(1, dim: h) + u.roll(-1, dim: h) + u.roll(1, dim: w) + u.roll(-1, dim: w) - 4 * u
}

/// The right-hand side of the 2-D Brusselator (SciML's, without the forcing term) on a periodic
/// `n × n` grid, for a state of shape `[2, n, n]` (the two species).
func brusselator(_ x: Tensor) -> Tensor {
  let u = x[0], v = x[1]
  let alpha = 10.0
  let uuv = u * u * v
  let du = 1 + uuv - 4.4 * u + alpha * laplacian5(u)
  let dv = 3.4 * u - uuv + alpha * laplacian5(v)
  return Tensor.stack([du, dv])
}

/// The chained Rosenbrock function Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)².
func chainedRosenbrock(_ x: Tensor) -> Tensor {
  let n = x.shape[0]
  let a = x[0..<(n - 1)], b = x[1..<n]
  let d = b - a * a
  return (100 * d * d + (1 - a) * (1 - a)).sum()
}

/// The arrowhead objective x₀·Σᵢ₌₁ xᵢ² + Σᵢ₌₁ sin xᵢ.
func arrowheadObjective(_ x: Tensor) -> Tensor {
  let rest = x[1...]
  return x[0] * (rest * rest).sum() + rest.sin().sum()
}

/// A map with an arrowhead Jacobian: a dense first row (`Σ xᵢ²`) and a dense first column
/// (`x₀·xᵢ + sin xᵢ` for i ≥ 1).
func arrowheadMap(_ x: Tensor) -> Tensor {
  let rest = x[1...]
  return Tensor.cat([(x * x).sum().reshaped([1]), rest * x[0] + rest.sin()])
}
