// A timing of reflected against key-path leaves (see run.sh).
import Foundation
func t() -> Tensor { Tensor(storage: Storage([1]), shape: [1]) }
struct Dense: TensorTree { var weight: Tensor; var bias: Tensor }
struct MLP: TensorTree { var l1: Dense; var l2: Dense; @TreeStatic var name = "x" }
struct Flat: TensorTree { var a: Tensor; var b: Tensor; var c: Tensor; var d: Tensor }
struct DenseK: KeyPathTensorTree { var weight: Tensor; var bias: Tensor
  static var tensorKeyPaths: [WritableKeyPath<DenseK, Tensor>] { [\.weight, \.bias] } }
struct MLPK: KeyPathTensorTree { var l1: DenseK; var l2: DenseK
  static var tensorKeyPaths: [WritableKeyPath<MLPK, Tensor>] { [\.l1.weight, \.l1.bias, \.l2.weight, \.l2.bias] } }
@inline(never) func lv<T: TensorTree>(_ m: T) -> Int { m.leaves.count }
@inline(never) func rb<T: TensorTree>(_ m: T, _ l: [Tensor]) -> Int { _ = m.rebuilt(from: l); return 1 }
let m = MLP(l1: Dense(weight: t(), bias: t()), l2: Dense(weight: t(), bias: t()))
let f = Flat(a: t(), b: t(), c: t(), d: t())
let mk = MLPK(l1: DenseK(weight: t(), bias: t()), l2: DenseK(weight: t(), bias: t()))
let n = 100_000
var s = 0
func time(_ name: String, _ body: () -> Int) { let t0 = Date(); for _ in 0..<n { s += body() }; print(name, Int(Date().timeIntervalSince(t0) / Double(n) * 1e9), "ns") }
let l = m.leaves
for _ in 0..<2 {
  time("reflected nested leaves") { lv(m) }
  time("reflected flat leaves") { lv(f) }
  time("keypath nested leaves") { lv(mk) }
  time("reflected nested rebuild") { rb(m, l) }
  time("reflected flat rebuild") { rb(f, l) }
  time("keypath nested rebuild") { rb(mk, l) }
}
