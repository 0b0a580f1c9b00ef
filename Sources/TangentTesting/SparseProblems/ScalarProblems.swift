import Foundation
import Tangent

/// The chained Rosenbrock function, a standard test of sparse Hessians (tridiagonal):
///
/// ```
/// f(x) = Σ_{i=0}^{n−2} 100·(x_{i+1} − x_i²)² + (1 − x_i)²
/// ```
///
/// Written with range subscripts, elementwise arithmetic, `square` and `sum`.
public enum ChainedRosenbrock {
  /// The function value, a scalar tensor.
  ///
  /// - Precondition: `x` is 1-d with at least 2 elements.
  public static func value(_ x: Tensor) -> Tensor {
    check(x.rank == 1 && x.count >= 2, "ChainedRosenbrock.value: x must be 1-d with at least 2 elements, got shape \(x.shape)")
    let n = x.count
    let head = x[0..<(n - 1)], tail = x[1..<n]
    return ((tail - head.square()).square() * 100 + (head - 1).square()).sum()
  }

  /// The classic starting point (−1.2, 1, −1.2, 1, …), perturbed by `0.1·sin(i)` so that no
  /// two Hessian rows are alike.
  public static func startingPoint(_ n: Int) -> Tensor {
    Tensor((0..<n).map { i in (i % 2 == 0 ? -1.2 : 1.0) + 0.1 * sin(Double(i)) })
  }
}

/// A scalar function with an arrowhead Hessian (a dense first row and column and a diagonal):
///
/// ```
/// f(x) = x₀ · Σ_{i≥1} x_i² + Σ_{i≥0} sin x_i
/// ```
///
/// Its Hessian has `H₀₀ = −sin x₀`, `H₀ᵢ = 2xᵢ` and `Hᵢᵢ = 2x₀ − sin xᵢ`: a star colouring needs
/// 2 colours, a column colouring of it as a Jacobian `n`. Written with range subscripts,
/// elementwise arithmetic, `square`, `sin` and `sum`.
public enum Arrowhead {
  /// The function value, a scalar tensor.
  ///
  /// - Precondition: `x` is 1-d with at least 2 elements.
  public static func value(_ x: Tensor) -> Tensor {
    check(x.rank == 1 && x.count >= 2, "Arrowhead.value: x must be 1-d with at least 2 elements, got shape \(x.shape)")
    let n = x.count
    return (x[0..<1] * x[1..<n].square().sum()).sum() + x.sin().sum()
  }

  /// A starting point with distinct entries: `x_i = 0.5 + 0.4·cos(i)`.
  public static func startingPoint(_ n: Int) -> Tensor {
    Tensor((0..<n).map { i in 0.5 + 0.4 * cos(Double(i)) })
  }
}
