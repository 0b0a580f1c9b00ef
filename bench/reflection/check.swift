// The reflected conformance in debug and release: leaves, rebuild, let fields, generics, arrays, @TreeStatic (see run.sh).
func t(_ v: Double) -> Tensor { Tensor(storage: Storage([v]), shape: [1]) }
struct D: TensorTree { var w: Tensor; let b: Tensor }
struct G<X: TensorTree>: TensorTree { var x: X; var arr: [D]; @TreeStatic var n = 3; var last: Tensor }
@main struct Main {
  static func main() {
    let g = G(x: D(w: t(1), b: t(2)), arr: [D(w: t(3), b: t(4)), D(w: t(5), b: t(6))], last: t(7))
    let vals = g.leaves.map { $0.storage.v[0] }
    let r = g.rebuilt(from: (10...16).map { t(Double($0)) })
    let back = r.leaves.map { $0.storage.v[0] }
    print(vals, back, r.n, r.arr[1].b.storage.v)
    precondition(vals == [1, 2, 3, 4, 5, 6, 7] && back == (10...16).map(Double.init) && r.n == 3)
    print("OK")
  }
}
