import Foundation
import Testing

@testable import Tangent

// Tensor.matmul and its wrappers: every rank combination of torch.matmul against a naive
// reference, and both derivative rules against central finite differences.

/// A deterministic tensor (complex when `dtype` is); local so the file stands alone.
private func sample(_ shape: [Int], _ dtype: DType = .float64, seed: UInt64) -> Tensor {
  var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
  func unit() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Double((z ^ (z >> 31)) >> 11) * 0x1p-53 * 2 - 1
  }
  let n = shape.reduce(1, *)
  if dtype.isComplex {
    return Tensor(shape: shape, scalars: (0..<n).map { _ in Complex(unit(), unit()) }).converted(to: dtype)
  }
  return Tensor(shape: shape, scalars: (0..<n).map { _ in unit() }).converted(to: dtype)
}

/// Values as (real, imaginary) pairs in row-major order.
private func values(_ t: Tensor) -> [(Double, Double)] {
  let c = t.converted(to: t.dtype.isComplex ? .complex128 : .float64)
  if c.dtype.isComplex { return c.scalars(as: Complex<Double>.self).map { ($0.real, $0.imaginary) } }
  return c.scalars(as: Double.self).map { ($0, 0) }
}

/// The largest absolute difference between two tensors' values.
private func maxDifference(_ a: Tensor, _ b: Tensor) -> Double {
  zip(values(a), values(b)).reduce(0) { Swift.max($0, abs($1.0.0 - $1.1.0), abs($1.0.1 - $1.1.1)) }
}

/// The reference product for torch.matmul's rank rules, through GEMM-free loops.
private func reference(_ a: Tensor, _ b: Tensor) -> Tensor {
  let a2 = a.rank == 1 ? a.reshaped([1, a.shape[0]]) : a
  let b2 = b.rank == 1 ? b.reshaped([b.shape[0], 1]) : b
  let r = naiveMatmul(a2, b2)
  var shape = r.shape
  if b.rank == 1 { shape.removeLast() }
  if a.rank == 1 { shape.remove(at: shape.count - (b.rank == 1 ? 1 : 2)) }
  if a.dtype.isComplex {
    return Tensor(shape: shape, scalars: r.values.map { Complex($0.0, $0.1) }).converted(to: a.dtype)
  }
  return Tensor(shape: shape, scalars: r.values.map(\.0)).converted(to: a.dtype)
}

// MARK: Finite differences

/// Central finite differences of `f` at `inputs` along `directions` (one per input, `nil` for
/// a fixed input): (f(x + h·v) − f(x − h·v)) / 2h.
private func finiteDifference(_ f: ([Tensor]) -> Tensor, at inputs: [Tensor], along directions: [Tensor?], h: Double = 1e-6) -> Tensor {
  let plus = zip(inputs, directions).map { x, v in v.map { x + $0 * h } ?? x }
  let minus = zip(inputs, directions).map { x, v in v.map { x - $0 * h } ?? x }
  return (f(plus) - f(minus)) / (2 * h)
}

/// Re Σ conj(u)·v, the real inner product that pairs cotangents with tangents.
private func realInner(_ u: Tensor, _ v: Tensor) -> Double {
  zip(values(u), values(v)).reduce(0) { $0 + $1.0.0 * $1.1.0 + $1.0.1 * $1.1.1 }
}

/// Checks the JVP (forward mode, one tangent per input) and the VJP (reverse mode) of `f`
/// against finite differences, in random directions.
private func checkDerivatives(
  _ name: String, _ f: @escaping ([Tensor]) -> Tensor, _ inputs: [Tensor], tolerance: Double = 1e-6,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let directions = inputs.enumerated().map { sample($0.element.shape, $0.element.dtype, seed: 100 + UInt64($0.offset)) }
  // Forward mode: all inputs dual at once.
  let (y, tangent): (Tensor, Tensor?) = withDualLevel { l in
    let duals = zip(inputs, directions).map { $0.dual(tangent: $1, at: l) }
    return f(duals).unpacked(at: l)
  }
  let fd = finiteDifference(f, at: inputs, along: directions)
  #expect(tangent != nil, "\(name): no tangent", sourceLocation: sourceLocation)
  if let tangent {
    #expect(tangent.shape == y.shape, "\(name): tangent shape \(tangent.shape) vs \(y.shape)", sourceLocation: sourceLocation)
    let err = maxDifference(tangent, fd)
    #expect(err <= tolerance, "\(name): JVP differs from finite differences by \(err)", sourceLocation: sourceLocation)
  }
  // Reverse mode: ⟨seed, J v⟩ = Σᵢ ⟨gradᵢ, vᵢ⟩ for each input separately.
  let seed = sample(y.shape, y.dtype, seed: 200)
  let leaves = inputs.map { $0.requiringGrad() }
  let grads = gradients(of: f(leaves), wrt: leaves, seed: seed)
  for i in inputs.indices {
    #expect(grads[i].shape == inputs[i].shape, "\(name): gradient \(i) shape \(grads[i].shape) vs \(inputs[i].shape)", sourceLocation: sourceLocation)
    var only: [Tensor?] = Array(repeating: nil, count: inputs.count)
    only[i] = directions[i]
    let lhs = realInner(seed, finiteDifference(f, at: inputs, along: only))
    let rhs = realInner(grads[i], directions[i])
    #expect(abs(lhs - rhs) <= tolerance * Swift.max(1, abs(lhs)), "\(name): VJP of input \(i) gives \(rhs), finite differences \(lhs)", sourceLocation: sourceLocation)
  }
}

@Suite struct MatmulOpTests {
  static let rankCases: [([Int], [Int])] = [
    ([4], [4]), ([4], [4, 3]), ([3, 4], [4]), ([4], [2, 4, 3]), ([2, 3, 4], [4]), ([3, 4], [4, 2]),
    ([2, 3, 4], [4, 5]), ([3, 4], [2, 4, 5]), ([2, 1, 3, 4], [5, 4, 2]), ([1, 3, 4], [2, 2, 4, 3]), ([2, 3, 4], [2, 4, 1]),
  ]

  @Test func everyRankCombination() {
    for dtype in [DType.float64, .float32, .complex128] {
      for (sa, sb) in Self.rankCases {
        let a = sample(sa, dtype, seed: 1), b = sample(sb, dtype, seed: 2)
        let y = a.matmul(b), r = reference(a, b)
        #expect(y.shape == r.shape, "\(sa) @ \(sb): \(y.shape) vs \(r.shape)")
        #expect(y.dtype == dtype)
        #expect(maxDifference(y, r) < (dtype == .float32 ? 1e-5 : 1e-12), "\(dtype) \(sa) @ \(sb)")
      }
    }
    // Integers run on the plain loop.
    let i = Tensor(shape: [2, 2], scalars: [Int64(1), 2, 3, 4])
    #expect(i.matmul(i).scalars(as: Int64.self) == [7, 10, 15, 22])
    #expect(Tensor([Int64(1), 2, 3]).dot(Tensor([Int64(4), 5, 6])).item(as: Int64.self) == 32)
  }

  @Test func wrappers() {
    let a = sample([3, 4], seed: 1), b = sample([4, 2], seed: 2), v = sample([4], seed: 3), w = sample([4], seed: 4)
    #expect(maxDifference(a.mm(b), reference(a, b)) < 1e-12)
    #expect(maxDifference(a.mv(v), reference(a, v)) < 1e-12)
    let d = v.dot(w)
    #expect(d.shape == [] && abs(d.scalar - zip(v.doubles, w.doubles).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-12)
    let x = sample([5, 3, 4], seed: 5), z = sample([5, 4, 2], seed: 6)
    #expect(maxDifference(x.bmm(z), reference(x, z)) < 1e-12)
    // dot does not conjugate (unlike vdot).
    let c = Tensor([Complex(0.0, 1.0)])
    #expect(c.dot(c).item(as: Complex<Double>.self) == Complex(-1, 0))
    // Transposed views go straight to BLAS and agree with copies.
    let t = sample([4, 3], seed: 7)
    #expect(maxDifference(t.mT.matmul(b), reference(t.mT.converted(to: .float64).reshaped([3, 4]), b)) < 1e-12)
  }

  @Test func firstDerivativesMatchFiniteDifferences() {
    for (sa, sb) in Self.rankCases {
      for dtype in [DType.float64, .complex128] {
        let a = sample(sa, dtype, seed: 11), b = sample(sb, dtype, seed: 12)
        checkDerivatives("\(dtype) \(sa) @ \(sb)", { $0[0].matmul($0[1]) }, [a, b])
      }
    }
    // Only one operand differentiated, transposed operands, conjugate transposes.
    let a = sample([3, 4], seed: 13), b = sample([3, 2], seed: 14)
    checkDerivatives("a.mT @ b", { $0[0].mT.matmul(b) }, [a])
    let c = sample([3, 4], .complex128, seed: 15), d = sample([3, 2], .complex128, seed: 16)
    checkDerivatives("c.mH @ d", { $0[0].mH.matmul($0[1]) }, [c, d])
    checkDerivatives("d.mH @ c @ c.mH", { $0[1].mH.matmul($0[0]).matmul($0[0].mH) }, [c, d])
  }

  @Test func chunkedTangentsMatchSingleDirections() {
    // K = 3 directions pushed at once through a broadcast batched product.
    let a = sample([2, 1, 3, 4], seed: 21), b = sample([5, 4, 2], seed: 22)
    let da = sample([3, 2, 1, 3, 4], seed: 23), db = sample([3, 5, 4, 2], seed: 24)
    let chunked: Tensor = withDualLevel { l in
      a.dual(tangent: da, at: l).matmul(b.dual(tangent: db, at: l)).tangent(at: l)!
    }
    #expect(chunked.shape == [3, 2, 5, 3, 2])
    for k in 0..<3 {
      let single: Tensor = withDualLevel { l in
        let ta = da.contiguousValues().view(shape: [2, 1, 3, 4], strides: [12, 12, 4, 1], offset: 24 * k)
        let tb = db.contiguousValues().view(shape: [5, 4, 2], strides: [8, 2, 1], offset: 40 * k)
        return a.dual(tangent: ta, at: l).matmul(b.dual(tangent: tb, at: l)).tangent(at: l)!
      }
      let slice = chunked.contiguousValues().view(shape: [2, 5, 3, 2], strides: [30, 6, 2, 1], offset: 60 * k)
      #expect(maxDifference(slice, single) < 1e-12, "chunk \(k)")
    }
    // A matrix times a batch: the chunk dim must stay in front of the batch dim (K ≠ batch).
    let p = sample([3, 4], seed: 28), q = sample([5, 4, 2], seed: 29), dp = sample([3, 3, 4], seed: 30)
    let tp: Tensor = withDualLevel { l in p.dual(tangent: dp, at: l).matmul(q).tangent(at: l)! }
    #expect(tp.shape == [3, 5, 3, 2])
    #expect(maxDifference(tp, reference(dp.reshaped([3, 1, 3, 4]), q)) < 1e-12)
    // A chunked tangent on a vector operand (reshaped inside matmul).
    let v = sample([4], seed: 25), m = sample([3, 4], seed: 26)
    let dv = sample([2, 4], seed: 27)
    let t: Tensor = withDualLevel { l in m.matmul(v.dual(tangent: dv, at: l)).tangent(at: l)! }
    #expect(t.shape == [2, 3])
    #expect(maxDifference(t, reference(dv, m.mT.contiguousValues())) < 1e-12)
  }

  @Test func misuseStopsWithTheShapes() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3, 4]).matmul(Tensor.zeros([5, 2]))
    }
    let message = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
    #expect(message.contains("matmul: inner dimensions differ: [3, 4] @ [5, 2]"), "\(message)")
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 3, 4]).matmul(Tensor.zeros([3, 4, 2]))  // batch 2 vs 3
    }
  }

  @Test func secondDerivatives() {
    // L(a) = Σ (a @ b)²: ∇L = 2 (a b) bᵀ; its derivative along v is 2 (v b) bᵀ.
    let a = sample([3, 4], seed: 31), b = sample([4, 2], seed: 32), v = sample([3, 4], seed: 33)
    let hv: Tensor = withDualLevel { l in
      let x = a.dual(tangent: v, at: l).requiringGrad()
      let y = x.matmul(b)
      let g = gradients(of: (y * y).sum(), wrt: [x], createGraph: true)[0]
      return g.tangent(at: l)!
    }
    let expected = reference(reference(v, b) * 2, b.mT.contiguousValues())
    #expect(maxDifference(hv, expected) < 1e-12)
    // Reverse over reverse: d/da ⟨∇L, v⟩ = 2 (v b) bᵀ too.
    let leaf = a.requiringGrad()
    let y = leaf.matmul(b)
    let g = gradients(of: (y * y).sum(), wrt: [leaf], createGraph: true)[0]
    let h = gradients(of: (g * v).sum(), wrt: [leaf])[0]
    #expect(maxDifference(h, expected) < 1e-12)
  }

  /// The gradient of a weight used transposed (`x · wᵀ`, as `NN.linear` does) comes back in
  /// the weight's own layout, contiguous, and equals the general formula `aᵀ · gy`.
  @Test func transposedWeightGradientIsContiguous() {
    var g = SeededGenerator(seed: 11)
    let x = Tensor.randn([5, 4], using: &g)
    let w = Tensor.randn([3, 4], using: &g)
    let gy = Tensor.randn([5, 3], using: &g)
    let gw = vjp(of: { w in x.matmul(w.mT) }, at: w).pullback(gy)
    #expect(gw.isContiguous, "\(gw.layoutDescription)")
    #expect(gw.allClose(gy.mT.matmul(x)))
    // The same weight stored contiguously as `wᵀ` takes the general rule.
    let wt = w.mT.contiguousCopy()
    let gwt = vjp(of: { wt in x.matmul(wt) }, at: wt).pullback(gy)
    #expect(gwt.allClose(x.mT.matmul(gy)))
  }
}

