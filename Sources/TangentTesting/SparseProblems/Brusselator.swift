import Foundation
import Tangent

/// The 2-D Brusselator reaction–diffusion system of the SciML benchmarks (`brusselator_2d`), a
/// standard test of sparse Jacobians: two species `u` and `v` on an `N × N` periodic grid of the
/// unit square, `2·N²` unknowns, a Jacobian with at most 6 nonzeros per row.
///
/// ```
/// ∂u/∂t = α/Δx² · ∇²u + B + u²v − (A + 1)·u + f(x, y, t)
/// ∂v/∂t = α/Δx² · ∇²v + A·u − u²v
/// ```
///
/// with the periodic 5-point Laplacian `∇²w[i, j] = w[i−1, j] + w[i+1, j] + w[i, j−1] + w[i, j+1]
/// − 4·w[i, j]`, `A = 3.4`, `B = 1`, `α = 10`, grid points `x_i = i/(N−1)`, `y_j = j/(N−1)`
/// (`Δx = 1/(N−1)`), and the forcing `f = 5` inside the disc `(x−0.3)² + (y−0.6)² ≤ 0.1²` from
/// `t ≥ 1.1` on, 0 elsewhere. The forcing does not depend on the state, so it is a constant of
/// each evaluation and leaves the Jacobian alone.
///
/// The state is a flat tensor of `2·N²` elements: `u` then `v`, each row-major over `(i, j)`
/// (the layout of a `[2, N, N]` tensor). The right-hand side uses only ops that sparsity
/// detection follows exactly: reshape, range subscripts, `roll`, elementwise arithmetic,
/// `square` and `cat`.
public struct Brusselator2D: Sendable {
  /// Grid points per side.
  public let n: Int
  /// The reaction constants and the diffusion coefficient of the SciML benchmark.
  public let a = 3.4, b = 1.0, alpha = 10.0

  /// The Brusselator on an `n × n` grid.
  ///
  /// - Precondition: `n ≥ 3`.
  public init(n: Int) {
    check(n >= 3, "Brusselator2D: the grid needs at least 3 points per side, got \(n)")
    self.n = n
  }

  /// The number of unknowns, `2·n²`.
  public var unknowns: Int { 2 * n * n }

  /// The grid spacing `1/(n−1)`.
  public var dx: Double { 1 / Double(n - 1) }

  /// The forcing term at time `t`, shape `[n, n]`: 5 inside the disc of radius 0.1 around
  /// (0.3, 0.6) once `t ≥ 1.1`, else 0.
  public func forcing(t: Double) -> Tensor {
    var f = [Double](repeating: 0, count: n * n)
    if t >= 1.1 {
      for i in 0..<n {
        for j in 0..<n {
          let x = Double(i) * dx, y = Double(j) * dx
          if (x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6) <= 0.1 * 0.1 { f[i * n + j] = 5 }
        }
      }
    }
    return Tensor(shape: [n, n], scalars: f)
  }

  /// The SciML initial state: `u = 22·(y(1−y))^{3/2}`, `v = 27·(x(1−x))^{3/2}`, flat `[2n²]`.
  public func initialState() -> Tensor {
    var s = [Double](repeating: 0, count: unknowns)
    for i in 0..<n {
      for j in 0..<n {
        let x = Double(i) * dx, y = Double(j) * dx
        s[i * n + j] = 22 * pow(y * (1 - y), 1.5)
        s[n * n + i * n + j] = 27 * pow(x * (1 - x), 1.5)
      }
    }
    return Tensor(shape: [unknowns], scalars: s)
  }

  /// The right-hand side `f(state, t)` as a flat `[2n²]` tensor.
  ///
  /// - Parameters:
  ///   - state: `u` then `v`, `2n²` elements (any shape with that count).
  ///   - t: The time of the forcing term.
  /// - Precondition: `state` has `2n²` elements.
  public func rhs(_ state: Tensor, t: Double = 0) -> Tensor {
    rhs(state, forcing: forcing(t: t))
  }

  /// The right-hand side with a precomputed forcing term (from ``forcing(t:)``).
  ///
  /// - Precondition: `state` has `2n²` elements and `forcing` has shape `[n, n]`.
  public func rhs(_ state: Tensor, forcing: Tensor) -> Tensor {
    check(state.count == unknowns, "Brusselator2D.rhs: the state has \(state.count) elements, expected 2·\(n)² = \(unknowns)")
    check(forcing.shape == [n, n], "Brusselator2D.rhs: the forcing has shape \(forcing.shape), expected [\(n), \(n)]")
    let s = state.reshaped([2, n, n])
    let u = s[0..<1], v = s[1..<2]
    let scale = alpha / (dx * dx)
    func laplacian(_ w: Tensor) -> Tensor {
      (w.roll(1, dim: 1) + w.roll(-1, dim: 1) + w.roll(1, dim: 2) + w.roll(-1, dim: 2) - w * 4) * scale
    }
    let u2v = u.square() * v
    let du = laplacian(u) + b + u2v - u * (a + 1) + forcing
    let dv = laplacian(v) + u * a - u2v
    return Tensor.cat([du, dv], dim: 0).reshaped([unknowns])
  }
}
