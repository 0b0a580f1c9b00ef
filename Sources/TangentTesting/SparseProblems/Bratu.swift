import Foundation
import Tangent

/// The Bratu problem `Δu + λ·eᵘ = 0` on the unit square with `u = 0` on the boundary, by
/// finite differences: the residual at the `n × n` interior points of a grid of spacing
/// `h = 1/(n+1)`,
///
/// ```
/// F(u)[i, j] = (u[i−1, j] + u[i+1, j] + u[i, j−1] + u[i, j+1] − 4·u[i, j]) / h² + λ·e^{u[i, j]}
/// ```
///
/// where neighbours outside the interior are the boundary's zeros. `n²` unknowns, row-major
/// over `(i, j)`; the Jacobian has the 5-point pattern. λ = 6 by default (the benchmark's; the
/// problem has solutions for λ below about 6.81).
///
/// Written with constant zero padding, range subscripts, elementwise arithmetic, `exp` and
/// reshapes, all of which sparsity detection follows exactly.
public struct Bratu2D: Sendable {
  /// Interior points per side.
  public let n: Int
  /// The coefficient of the exponential.
  public let lambda: Double

  /// The Bratu problem on an `n × n` interior grid.
  ///
  /// - Precondition: `n ≥ 1`.
  public init(n: Int, lambda: Double = 6) {
    check(n >= 1, "Bratu2D: the grid needs at least one interior point per side, got \(n)")
    self.n = n
    self.lambda = lambda
  }

  /// The number of unknowns, `n²`.
  public var unknowns: Int { n * n }

  /// The grid spacing `1/(n+1)`.
  public var h: Double { 1 / Double(n + 1) }

  /// A smooth starting point: `u = s·sin(πx)·sin(πy)` at the interior points (0 on the
  /// boundary, as the solution), flat `[n²]`.
  public func startingPoint(scale s: Double = 1) -> Tensor {
    var u = [Double](repeating: 0, count: unknowns)
    for i in 0..<n {
      for j in 0..<n {
        u[i * n + j] = s * sin(Double.pi * Double(i + 1) * h) * sin(Double.pi * Double(j + 1) * h)
      }
    }
    return Tensor(shape: [unknowns], scalars: u)
  }

  /// The residual `F(u)`, flat `[n²]`.
  ///
  /// - Precondition: `u` has `n²` elements.
  public func residual(_ u: Tensor) -> Tensor {
    check(u.count == unknowns, "Bratu2D.residual: u has \(u.count) elements, expected \(n)² = \(unknowns)")
    let w = u.reshaped([n, n])
    let g = w.padded([1, 1, 1, 1])  // the zero boundary around the interior
    let neighbours = g[0..<n, 1..<(n + 1)] + g[2..<(n + 2), 1..<(n + 1)] + g[1..<(n + 1), 0..<n] + g[1..<(n + 1), 2..<(n + 2)]
    let laplacian = (neighbours - w * 4) * (1 / (h * h))
    return (laplacian + w.exp() * lambda).reshaped([unknowns])
  }
}
