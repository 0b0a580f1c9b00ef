import Foundation
import Testing

@testable import Tangent

/// SGD, Adam and AdamW against torch.optim's trajectories: 5 steps on a fixed problem,
/// float64, from Tests/Goldens/optimizers/first_order.json (made by make_fixtures.py there).
@Suite struct FirstOrderFixtureTests {
  nonisolated(unsafe) static let fixture: [String: Any] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Goldens/optimizers/first_order.json")
    let data = try! Data(contentsOf: url)
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
  }()

  static var cases: [[String: Any]] { fixture["cases"] as! [[String: Any]] }
  static var caseNames: [String] { cases.map { $0["name"] as! String } }

  /// The fixture's problem: L(w, b) = ½Σ(w − 0.3)² + Σ tanh(X w + b) + ½Σb².
  static func loss(_ p: [String: Tensor]) -> Tensor {
    let problem = fixture["problem"] as! [String: Any]
    let x = Tensor(problem["X"] as! [[Double]])
    let w = p["w"]!, b = p["b"]!
    return 0.5 * ((w - 0.3) * (w - 0.3)).sum() + (x.matmul(w) + b).tanh().sum() + 0.5 * (b * b).sum()
  }

  static func start() -> [String: Tensor] {
    let problem = fixture["problem"] as! [String: Any]
    return ["w": Tensor(problem["w0"] as! [[Double]]), "b": Tensor(problem["b0"] as! [Double])]
  }

  /// The optimizer a case names, built from its options (PyTorch's keyword names).
  static func optimizer(kind: String, options o: [String: Any]) -> any Optimizer {
    let lr = o["lr"] as? Double
    let betas = (o["betas"] as? [Double]).map { ($0[0], $0[1]) }
    let maximize = o["maximize"] as? Bool ?? false
    switch kind {
    case "SGD":
      return SGD(
        learningRate: lr ?? 1e-3, momentum: o["momentum"] as? Double ?? 0, dampening: o["dampening"] as? Double ?? 0,
        weightDecay: o["weight_decay"] as? Double ?? 0, nesterov: o["nesterov"] as? Bool ?? false, maximize: maximize)
    case "Adam":
      return Adam(
        learningRate: lr ?? 1e-3, betas: betas ?? (0.9, 0.999), epsilon: o["eps"] as? Double ?? 1e-8,
        weightDecay: o["weight_decay"] as? Double ?? 0, amsgrad: o["amsgrad"] as? Bool ?? false, maximize: maximize)
    case "AdamW":
      return AdamW(
        learningRate: lr ?? 1e-3, betas: betas ?? (0.9, 0.999), epsilon: o["eps"] as? Double ?? 1e-8,
        weightDecay: o["weight_decay"] as? Double ?? 0.01, amsgrad: o["amsgrad"] as? Bool ?? false, maximize: maximize)
    default:
      fatalError("unknown optimizer \(kind)")
    }
  }

  /// max|a − b| ≤ 1e-12 · max|b|.
  static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    let scale = b.map(Swift.abs).max() ?? 1
    return zip(a, b).map { Swift.abs($0 - $1) }.max()! / scale
  }

  @Test("torch.optim trajectories", arguments: caseNames)
  func matchesPyTorch(name: String) {
    let c = Self.cases.first { $0["name"] as! String == name }!
    var optimizer = Self.optimizer(kind: c["optimizer"] as! String, options: c["options"] as! [String: Any])
    let trajectory = c["trajectory"] as! [[String: [Double]]]
    var params = Self.start()
    #expect(trajectory.count == 6)
    for (k, expected) in trajectory.enumerated() {
      if k > 0 { optimizer.step(&params, loss: Self.loss) }
      for key in ["b", "w"] {
        let error = Self.relativeError(params[key]!.doubles, expected[key]!)
        #expect(error <= 1e-12, "\(name) step \(k) \(key): relative error \(error)")
      }
    }
    #expect(optimizer.stepCount == 5)
  }

  /// The fixture steps change the parameters measurably, so matching them tests the updates.
  @Test func fixtureTrajectoriesMove() {
    for c in Self.cases {
      let trajectory = c["trajectory"] as! [[String: [Double]]]
      let moved = Self.relativeError(trajectory[5]["w"]!, trajectory[0]["w"]!)
      #expect(moved > 1e-3, "\(c["name"]!)")
    }
  }
}
