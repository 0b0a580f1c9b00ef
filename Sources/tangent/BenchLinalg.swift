import ArgumentParser
import Tangent

/// `tangent bench linalg64`: primal and JVP of the linear-algebra ops on 64×64 float64.
///
/// The matrices follow `linalg_problem` in `bench/peers.py` (same distributions and
/// conditioning, Tangent's own generator): a general well-conditioned A, a symmetric positive
/// definite S, 8 right-hand sides B, tangents dA and a symmetric dS. Right-hand sides are
/// constants, so `solve`'s JVP has a zero tangent for B, which costs nothing.
struct BenchLinalg64: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "linalg64",
    abstract: "inv, solve (8 rhs), cholesky, eigh, svd, qr, det, slogdet, eig of 64×64 float64: primal and jvp.")
  @OptionGroup var options: WorkloadOptions
  var parameters: [String: Any] { ["n": 64, "rhs": 8, "dtype": "float64"] }

  func cases() -> [BenchCase] {
    var rng = SeededGenerator(seed: 17)
    let n = 64
    let a = Tensor.randn([n, n], using: &rng) * (1 / 8.0) + Tensor.eye(n) * 2
    let m = Tensor.randn([n, n], using: &rng) * (1 / 8.0)
    let s = m.matmul(m.mT) + Tensor.eye(n)
    let b = Tensor.randn([n, 8], using: &rng)
    let da = Tensor.randn([n, n], using: &rng)
    let e = Tensor.randn([n, n], using: &rng)
    let ds = (e + e.mT) / 2
    // Every op, as a function of one matrix returning its outputs.
    let ops: [(String, Tensor, Tensor, ([Tensor]) -> [Tensor])] = [
      ("inv", a, da, { [try! Linalg.inv($0[0])] }),
      ("solve", a, da, { [try! Linalg.solve($0[0], b)] }),
      ("cholesky", s, ds, { [try! Linalg.cholesky($0[0])] }),
      ("eigh", s, ds, { let r = try! Linalg.eigh($0[0]); return [r.eigenvalues, r.eigenvectors] }),
      ("svd", a, da, { let r = try! Linalg.svd($0[0], fullMatrices: false); return [r.u, r.s, r.vh] }),
      ("qr", a, da, { let r = Linalg.qr($0[0]); return [r.q, r.r] }),
      ("det", a, da, { [Linalg.det($0[0])] }),
      ("slogdet", a, da, { let r = Linalg.slogdet($0[0]); return [r.sign, r.logAbsDet] }),
      ("eig", a, da, { let r = try! Linalg.eig($0[0]); return [r.eigenvalues, r.eigenvectors] }),
    ]
    return ops.flatMap { name, x, dx, f in
      [
        BenchCase(name: name + ".primal") { blackHole(f([x])) },
        BenchCase(name: name + ".jvp") { blackHole(jvp(of: f, at: [x], along: [dx])) },
      ]
    }
  }
}
