import Foundation
import Tangent
import TangentTesting

/// The state an implicit Euler step's residual reads: the previous state and the forcing at
/// the new time. One residual closure reads it, so the sparse Jacobian is prepared once and
/// serves every step.
private final class EulerStep {
  var previous: Tensor
  var forcing: Tensor
  init(previous: Tensor, forcing: Tensor) {
    self.previous = previous
    self.forcing = forcing
  }
}

extension Demo {
  /// `tangent demo`'s sparse section: implicit Euler on the 2-D Brusselator (N = 32, 2,048
  /// unknowns), Newton's method with the sparse Jacobian (detected pattern, colouring,
  /// compressed JVPs) and SuperLU, timed against dense `jacfwd` + `Linalg.solve`.
  func brusselatorSection() {
    section("Sparse Jacobians: implicit Euler on the 2-D Brusselator, N = 32 (2,048 unknowns)")
    let bruss = Brusselator2D(n: 32)
    let dt = 0.01
    var t = 1.1  // the forcing switches on at t = 1.1
    var u = bruss.initialState()
    let step = EulerStep(previous: u, forcing: bruss.forcing(t: t + dt))
    let residual = { (w: Tensor) -> Tensor in w - step.previous - bruss.rhs(w, forcing: step.forcing) * dt }
    print("F(u) = u − uₙ − Δt·f(u), Δt = \(dt); f: the SciML brusselator_2d (periodic 5-point Laplacian, α = 10)")

    let (prepared, prepareTime) = timed { PreparedSparseJacobian(of: residual, at: u) }
    let pattern = prepared.pattern
    print(
      "pattern: \(pattern.rows) × \(pattern.columns), \(pattern.nonzeroCount) nonzeros "
        + "(\(String(format: "%.2f", 100 * pattern.density)) %), \(prepared.colorCount) colours "
        + "(\(prepared.coloring.problem)): \(prepared.colorCount) JVPs per Jacobian instead of \(pattern.columns)")
    print("prepared (detection + colouring) in \(ms(prepareTime))")

    // Newton's method per time step; SuperLU orders the columns once and refactors per iteration.
    var lu: SuperLUFactorization<Double>? = nil
    let tolerance = 1e-10
    for n in 1...3 {
      step.previous = u
      step.forcing = bruss.forcing(t: t + dt)
      var r = residual(u)
      var norms = [maxAbs(r)]
      for _ in 0..<8 where norms.last! > tolerance {
        let jacobian = prepared.jacobian(at: u, as: Double.self)
        do {
          if let lu { try lu.refactor(jacobian) } else { lu = try SuperLUFactorization(jacobian) }
        } catch {
          print("step \(n): the Jacobian is singular (\(error)); stopping")
          return
        }
        u = u - lu!.solve(r)
        r = residual(u)
        norms.append(maxAbs(r))
      }
      t += dt
      print("step \(n) (t = \(String(format: "%.2f", t))): max |F| " + norms.map { String(format: "%.1e", $0) }.joined(separator: " → "))
    }

    // Timing: one Jacobian, and one Newton iteration (Jacobian, factorisation, solve, residual),
    // sparse against dense, from the same state; the dense path only twice (it is slow).
    step.previous = u
    step.forcing = bruss.forcing(t: t + dt)
    let start = u + 0.01  // a point off the solution, so the Newton step does something
    let sparseJacobianTime = best(of: 5) { _ = prepared.jacobian(at: start, as: Double.self) }
    let factor = try! SuperLUFactorization(prepared.jacobian(at: start, as: Double.self))
    var sparseNext = start
    let sparseStepTime = best(of: 5) {
      let r = residual(start)
      try! factor.refactor(prepared.jacobian(at: start, as: Double.self))
      sparseNext = start - factor.solve(r)
    }
    let startJacobian = prepared.jacobian(at: start, as: Double.self), startResidual = residual(start)
    let refactorTime = best(of: 5) { try! factor.refactor(startJacobian) }
    let solveTime = best(of: 5) { _ = factor.solve(startResidual) }
    var denseJacobian = Tensor(0.0)
    var denseNext = start
    let denseJacobianTime = best(of: 2) { denseJacobian = jacfwd(of: residual, at: start) }
    let denseStepTime = best(of: 2) {
      let r = residual(start)
      let j = jacfwd(of: residual, at: start)
      denseNext = start - (try! Linalg.solve(j, r.unsqueezed(dim: 1))).squeezed(dim: 1)
    }
    let sparseAtStart = prepared.jacobian(at: start, as: Double.self).dense()
    print("one Jacobian:        sparse \(ms(sparseJacobianTime)), dense jacfwd \(ms(denseJacobianTime)): "
      + "\(String(format: "%.0f", denseJacobianTime / sparseJacobianTime))× faster; max |J_sparse − J_dense| = \(maxDiff(sparseAtStart, denseJacobian))")
    print("one Newton iteration: sparse \(ms(sparseStepTime)) (Jacobian, SuperLU refactor \(ms(refactorTime)), solve \(ms(solveTime))), "
      + "dense (jacfwd + Linalg.solve) \(ms(denseStepTime)): \(String(format: "%.0f", denseStepTime / sparseStepTime))× faster")
    print("the two Newton iterates agree to max |Δ| = \(maxDiff(sparseNext, denseNext)) (|u| ≈ \(String(format: "%.1f", maxAbs(start))))")
  }

  /// The result of `body` and its wall time in seconds.
  func timed<T>(_ body: () -> T) -> (T, Double) {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let result = body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
  }

  /// The fastest of `runs` wall times of `body`, in seconds.
  func best(of runs: Int, _ body: () -> Void) -> Double {
    (0..<runs).map { _ in timed(body).1 }.min()!
  }

  func ms(_ seconds: Double) -> String {
    seconds < 1e-3 ? String(format: "%.0f µs", seconds * 1e6) : String(format: "%.1f ms", seconds * 1e3)
  }

  func maxAbs(_ x: Tensor) -> Double { x.abs().amax().scalar }
}
