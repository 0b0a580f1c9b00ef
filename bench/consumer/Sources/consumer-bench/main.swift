import Dispatch
import Tangent

// Three loops, each timed per iteration (median and minimum, µs):
//   train: a training step of a 2-layer tanh MLP (32 → 64 → 1, batch 32): valueWithGradient
//     over a dictionary of parameters, then a gradient-descent update;
//   mlp: `tangent bench mlp`'s vjp case, a 3-layer tanh MLP, batch 64, width 256, forward + pullback;
//   ops: 1000 chained `sin` on 8 elements under a dual level (`tangent bench overhead`'s dual case).
func time(_ name: String, _ n: Int, _ body: () -> Void) {
  for _ in 0..<max(3, n / 10) { body() }
  var ts: [Double] = []
  for _ in 0..<n {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    ts.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
  }
  ts.sort()
  print("\(name): median \(ts[n / 2]) µs, min \(ts[0]) µs (\(n) runs)")
}
let scale = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1
do {
  let x = Tensor.randn([32, 32]), target = x.sum(dim: 1, keepdim: true).sin()
  var params: [String: Tensor] = ["w1": Tensor.randn([32, 64]) * 0.15, "b1": Tensor.zeros([64]), "w2": Tensor.randn([64, 1]) * 0.1, "b2": Tensor.zeros([1])]
  func loss(_ p: [String: Tensor]) -> Tensor {
    NN.mseLoss((x.matmul(p["w1"]!) + p["b1"]!).tanh().matmul(p["w2"]!) + p["b2"]!, target)
  }
  time("train", 100 * scale) {
    let (_, g) = valueWithGradient(of: loss, at: params)
    params = params.merging(g) { p, g in p - 0.05 * g }
  }
}
do {
  let ws = (0..<3).map { _ in Tensor.randn([256, 256]) * (1.0 / 16) }, bs = (0..<3).map { _ in Tensor.randn([256]) * 0.1 }
  let x = Tensor.randn([64, 256]), v = Tensor.randn([64, 256])
  func mlp(_ h0: Tensor) -> Tensor { var h = h0; for (w, b) in zip(ws, bs) { h = (h.matmul(w) + b).tanh() }; return h }
  time("mlp", 20 * scale) { let (_, pb) = vjp(of: mlp, at: x); _ = pb(v) }
}
do {
  let x = Tensor.randn([8])
  time("ops", 10 * scale) {
    _ = withDualLevel { l in
      var y = x.dual(tangent: Tensor.ones([8]), at: l)
      for _ in 0..<1000 { y = y.sin() }
      return y.unpacked(at: l).tangent
    }
  }
}
