import ArgumentParser
import Tangent
import TangentTesting

/// `tangent bench sparse`: sparse Jacobians and Hessians of the benchmark problems
/// (TangentTesting's `Brusselator2D`, `Bratu2D`, `ChainedRosenbrock`, `Arrowhead`), float64.
///
/// For each case `C` (`brusselator32.jacobian`, …) these timings; `C`, `C.prepare`, `C.primal`
/// and `C.dense` have the same names as in `workload_sparse` of `bench/peers.py` (asdex and
/// dense JAX), the others are Tangent's alone:
/// - `C`: one evaluation with the prepared form (compressed passes and decompression), which
///   replays its recorded plan (fused); its record carries the colour and nonzero counts, the
///   replay status and how the plan runs (fused groups);
/// - `C.engine`: the same evaluation through the engine (`replay: false`), for comparison;
/// - `C.first`: preparation and the first evaluation, which records and checks the plan;
/// - `C.prepare`: detection and colouring, from the function and a point;
/// - `C.detect`: detection alone (Tangent only: the part of `C.prepare` that is not colouring);
/// - `C.primal`: one evaluation of the function itself;
/// - `C.dense`: the dense `jacfwd`/`hessian` (left out where the dense matrix would not fit:
///   `rosenbrock1e5`).
struct BenchSparse: WorkloadCommand {
  static let configuration = CommandConfiguration(
    commandName: "sparse",
    abstract: "Sparse Jacobians (Brusselator 2·32², Bratu 64²) and Hessians (chained Rosenbrock 2000 and 10⁵, arrowhead 1000), float64: prepare, evaluate, primal, dense.")
  @OptionGroup var options: WorkloadOptions
  var parameters: [String: Any] { ["dtype": "float64", "brusselator_n": 32, "bratu_n": 64] }

  /// One problem: a function, a point, and whether it is a Jacobian or a Hessian case.
  struct Problem {
    let name: String
    let hessian: Bool
    let f: (Tensor) -> Tensor
    let x: Tensor
    var dense = true
  }

  static func problems() -> [Problem] {
    let bruss = Brusselator2D(n: 32)
    let forcing = bruss.forcing(t: 1.1)
    let bratu = Bratu2D(n: 64)
    return [
      Problem(name: "brusselator32.jacobian", hessian: false, f: { bruss.rhs($0, forcing: forcing) }, x: bruss.initialState()),
      Problem(name: "bratu64.jacobian", hessian: false, f: bratu.residual, x: bratu.startingPoint()),
      Problem(name: "rosenbrock2000.hessian", hessian: true, f: ChainedRosenbrock.value, x: ChainedRosenbrock.startingPoint(2000)),
      Problem(name: "rosenbrock1e5.hessian", hessian: true, f: ChainedRosenbrock.value, x: ChainedRosenbrock.startingPoint(100_000), dense: false),
      Problem(name: "arrowhead1000.hessian", hessian: true, f: Arrowhead.value, x: Arrowhead.startingPoint(1000)),
    ]
  }

  func cases() -> [BenchCase] {
    // Prepare only the problems `--only` keeps (preparing is the slow part of building a case).
    let kept = Self.problems().filter { p in
      options.only.map { only in ["", ".prepare", ".detect", ".dense", ".primal", ".engine", ".first"].contains { (p.name + $0).contains(only) } } ?? true
    }
    return kept.flatMap { p -> [BenchCase] in
      let f = p.f, x = p.x
      var list: [BenchCase] = []
      if p.hessian {
        let prepared = PreparedSparseHessian(of: f, at: x)
        let engine = PreparedSparseHessian(of: f, at: x, replay: false)
        // The first evaluation records and checks the replay plan.
        blackHole(prepared.hessian(at: x, as: Double.self))
        let info: [String: Any] = [
          "colors": prepared.colorCount, "nonzeros": prepared.pattern.nonzeroCount, "n": x.count,
          "coloring": "\(prepared.coloring.problem)", "replay": "\(prepared.replayStatus)",
          "fusion": prepared.replayFusion.map { "\($0)" } ?? "none",
        ]
        list.append(BenchCase(name: p.name, info: info) { blackHole(prepared.hessian(at: x, as: Double.self)) })
        list.append(BenchCase(name: p.name + ".engine") { blackHole(engine.hessian(at: x, as: Double.self)) })
        list.append(BenchCase(name: p.name + ".first", calls: (1, 3)) {
          blackHole(PreparedSparseHessian(of: f, at: x).hessian(at: x, as: Double.self))
        })
        list.append(BenchCase(name: p.name + ".prepare", calls: (1, 3)) { blackHole(PreparedSparseHessian(of: f, at: x)) })
        list.append(BenchCase(name: p.name + ".detect", calls: (1, 3)) { blackHole(hessianSparsity(of: f, at: x)) })
        if p.dense { list.append(BenchCase(name: p.name + ".dense", calls: (1, 3)) { blackHole(hessian(of: f, at: x)) }) }
      } else {
        let prepared = PreparedSparseJacobian(of: f, at: x)
        let engine = PreparedSparseJacobian(of: f, at: x, replay: false)
        // The first evaluation records and checks the replay plan.
        blackHole(prepared.jacobian(at: x, as: Double.self))
        let info: [String: Any] = [
          "colors": prepared.colorCount, "nonzeros": prepared.pattern.nonzeroCount, "n": x.count,
          "coloring": "\(prepared.coloring.problem)", "replay": "\(prepared.replayStatus)",
          "fusion": prepared.replayFusion.map { "\($0)" } ?? "none",
        ]
        list.append(BenchCase(name: p.name, info: info) { blackHole(prepared.jacobian(at: x, as: Double.self)) })
        list.append(BenchCase(name: p.name + ".engine") { blackHole(engine.jacobian(at: x, as: Double.self)) })
        list.append(BenchCase(name: p.name + ".first", calls: (1, 3)) {
          blackHole(PreparedSparseJacobian(of: f, at: x).jacobian(at: x, as: Double.self))
        })
        list.append(BenchCase(name: p.name + ".prepare", calls: (1, 3)) { blackHole(PreparedSparseJacobian(of: f, at: x)) })
        list.append(BenchCase(name: p.name + ".detect", calls: (1, 3)) { blackHole(jacobianSparsity(of: f, at: x)) })
        if p.dense { list.append(BenchCase(name: p.name + ".dense", calls: (1, 3)) { blackHole(jacfwd(of: f, at: x)) }) }
      }
      list.append(BenchCase(name: p.name + ".primal") { blackHole(f(x)) })
      return list
    }
  }
}
