import Foundation
import Testing
@testable import Tangent
import TangentTesting

/// The elementwise drivers against a straightforward reference: contiguous, strided,
/// broadcast, scalar and large (multi-threaded) inputs, real and complex.
@Suite struct ElementwiseKernelTests {
  /// A reference binary op over broadcast shapes, computed element by element.
  func reference(_ a: Tensor, _ b: Tensor, _ f: (Complex<Double>, Complex<Double>) -> Complex<Double>) -> [Complex<Double>] {
    let shape = Shape.broadcast(a.shape, b.shape)!
    let n = shape.reduce(1, *)
    let av = a.expanded(to: shape).complexDoubles, bv = b.expanded(to: shape).complexDoubles
    return (0..<n).map { f(av[$0], bv[$0]) }
  }

  func expectNear(_ got: [Complex<Double>], _ want: [Complex<Double>], tol: Double = 1e-14) {
    #expect(got.count == want.count)
    for (p, q) in zip(got, want) { #expect((p - q).length <= tol * (1 + q.length), "\(p) vs \(q)") }
  }

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func binaryLayouts(dtype: DType) {
    var rng = TestRandom(seed: 9)
    let tol = dtype == .float32 || dtype == .complex64 ? 1e-6 : 1e-14
    let cases: [(Tensor, Tensor)] = [
      (rng.tensor([3, 4], dtype: dtype), rng.tensor([3, 4], dtype: dtype)),
      (rng.tensor([3, 4], dtype: dtype), rng.tensor([4], dtype: dtype)),
      (rng.tensor([3, 1], dtype: dtype), rng.tensor([1, 4], dtype: dtype)),
      (rng.tensor([], dtype: dtype), rng.tensor([2, 3], dtype: dtype)),
      (rng.tensor([4, 3], dtype: dtype).transposed(), rng.tensor([3, 4], dtype: dtype)),
      (rng.tensor([2, 5, 3], dtype: dtype).permuted([2, 0, 1]), rng.tensor([5, 1], dtype: dtype).transposed()),
      (rng.tensor([0, 3], dtype: dtype), rng.tensor([3], dtype: dtype)),
    ]
    for (a, b) in cases {
      let shifted: Tensor = b + 3
      let add: (Complex<Double>, Complex<Double>) -> Complex<Double> = { $0 + $1 }
      let sub: (Complex<Double>, Complex<Double>) -> Complex<Double> = { $0 - $1 }
      let mul: (Complex<Double>, Complex<Double>) -> Complex<Double> = { $0 * $1 }
      let div: (Complex<Double>, Complex<Double>) -> Complex<Double> = { $0 / $1 }
      expectNear((a + b).complexDoubles, reference(a, b, add), tol: tol)
      expectNear((a - b).complexDoubles, reference(a, b, sub), tol: tol)
      expectNear((a * b).complexDoubles, reference(a, b, mul), tol: tol)
      expectNear((a / shifted).complexDoubles, reference(a, shifted, div), tol: tol)
    }
  }

  @Test func largeTensorsUseEveryCore() {
    // Big enough to be split across threads; the result must equal the serial reference.
    let n = 1 << 18
    let a = Tensor((0..<n).map { Double($0) * 1e-4 })
    let b = Tensor((0..<n).map { 1 + Double($0 % 7) })
    let c = a * b - a
    let want: [Double] = (0..<n).map { (i: Int) -> Double in
      let x = Double(i) * 1e-4
      return x * (1 + Double(i % 7)) - x
    }
    #expect(c.doubles == want)
    let total: Double = (0..<n).reduce(0.0) { (acc: Double, i: Int) in acc + Double(i) * 1e-4 }
    #expect(abs(a.sum().scalar - total) < 1e-6)
    let e = a.transposedBlock().exp()
    #expect(e.count == n)
  }

  @Test func integerArithmeticStaysInteger() {
    let a = Tensor([Int64(7), -3, 2])
    #expect((a + a).scalars(as: Int64.self) == [14, -6, 4])
    #expect((a * a).scalars(as: Int64.self) == [49, 9, 4])
    #expect((-a).scalars(as: Int64.self) == [-7, 3, -2])
    #expect(a.exp().dtype == .float64)
  }

  @Test func unaryOnStridedAndComplex() {
    var rng = TestRandom(seed: 4)
    let x = rng.tensor([6, 5]).transposed()
    let want = x.contiguous().doubles.map { Foundation.exp($0) }
    for (p, q) in zip(x.exp().doubles, want) { #expect(abs(p - q) <= 1e-15 * abs(q)) }
    let z = rng.tensor([3], dtype: .complex128)
    for (p, q) in zip(z.exp().complexDoubles, z.complexDoubles.map { Complex.exp($0) }) { #expect((p - q).length < 1e-15) }
  }

  @Test func reductionsOverAnyDims() {
    var rng = TestRandom(seed: 2)
    let x = rng.tensor([3, 4, 5])
    let v = x.doubles
    func at(_ i: Int, _ j: Int, _ k: Int) -> Double { v[i * 20 + j * 5 + k] }
    let s1 = x.sum(dim: 1)
    #expect(s1.shape == [3, 5])
    for i in 0..<3 { for k in 0..<5 { #expect(abs(s1.doubles[i * 5 + k] - (0..<4).reduce(0) { $0 + at(i, $1, k) }) < 1e-14) } }
    let s02 = x.sum(dims: [0, -1], keepdim: true)
    #expect(s02.shape == [1, 4, 1])
    for j in 0..<4 {
      let want = (0..<3).reduce(0.0) { acc, i in acc + (0..<5).reduce(0.0) { $0 + at(i, j, $1) } }
      #expect(abs(s02.doubles[j] - want) < 1e-13)
    }
    let t = x.permuted([2, 0, 1]).sum(dim: 0)
    #expect(t.shape == [3, 4])
    #expect(abs(x.mean().scalar - v.reduce(0, +) / 60) < 1e-15)
  }

  /// A chunked tangent `[K, n]` against a primal `[n]` (and the primal first, and with leading
  /// size-1 dims) runs as contiguous pieces split by element: the result must be, bit for bit,
  /// the element-by-element one, also when the split across cores cuts through a period.
  @Test(arguments: [(3, 5), (3, 40_001), (2, 1 << 15)])
  func leadingBroadcastIsExact(k: Int, n: Int) {
    var rng = TestRandom(seed: 21)
    let big = rng.tensor([k, n]), small = rng.tensor([n])
    let bv = big.doubles, sv = small.doubles
    let right: [Double] = (0..<(k * n)).map { bv[$0] * sv[$0 % n] }
    let left: [Double] = (0..<(k * n)).map { sv[$0 % n] - bv[$0] }
    #expect((big * small).doubles == right)
    #expect((small - big).doubles == left)
    #expect((big * small.reshaped([1, n])).doubles == right)
    let lifted = big.reshaped([k, 1, n]) * small.reshaped([1, 1, n])
    #expect(lifted.shape == [k, 1, n] && lifted.doubles == right)
    // A period that is the whole tensor (no repetition) and a float32 one.
    #expect((big * big).doubles == bv.map { $0 * $0 })
    let b32 = big.converted(to: .float32), s32 = small.converted(to: .float32)
    let f32 = b32.scalars(as: Float.self), g32 = s32.scalars(as: Float.self)
    #expect((b32 + s32).scalars(as: Float.self) == (0..<(k * n)).map { f32[$0] + g32[$0 % n] })
    // A sliced (strided) chunked tangent: a few long rows, cut into pieces across cores.
    let wide = rng.tensor([k, n + 1])
    let sliced = wide[0..<k, 1..<(n + 1)]
    let wv = wide.doubles
    let slicedWant: [Double] = (0..<(k * n)).map { i in wv[(i / n) * (n + 1) + i % n + 1] * sv[i % n] }
    #expect(!sliced.isContiguous)
    #expect((sliced * small).doubles == slicedWant)
    #expect((small * sliced).doubles == slicedWant)
  }

  /// The fused product-rule tangent `da·b + a·db` equals the unfused chain bit for bit, for
  /// chunked and plain tangents, in float64 and float32, across the multi-core split.
  @Test(arguments: [DType.float64, .float32])
  func productTangentMatchesTheChain(dtype: DType) throws {
    var rng = TestRandom(seed: 22)
    for (k, n) in [(0, 7), (3, 7), (3, 40_001)] {
      let lead = k == 0 ? [] : [k]
      let a = rng.tensor([n], dtype: dtype), b = rng.tensor([n], dtype: dtype)
      let da = rng.tensor(lead + [n], dtype: dtype), db = rng.tensor(lead + [n], dtype: dtype)
      let fused = try #require(ElementwiseKernels.productTangent(a: a, b: b, da: da, db: db))
      let chain = da * b + a * db
      #expect(fused.shape == chain.shape)
      #expect(fused.doubles == chain.doubles)
    }
  }

  /// Operands the fused product rule does not take: it declines, and the rule falls back.
  @Test func productTangentDeclinesOtherLayouts() {
    var rng = TestRandom(seed: 23)
    let a = rng.tensor([4, 3]), b = rng.tensor([4, 3]), da = rng.tensor([2, 4, 3]), db = rng.tensor([2, 4, 3])
    #expect(ElementwiseKernels.productTangent(a: a, b: b, da: da, db: db) != nil)
    #expect(ElementwiseKernels.productTangent(a: a.converted(to: .float32), b: b, da: da, db: db) == nil)
    #expect(ElementwiseKernels.productTangent(a: rng.tensor([3, 4]).transposed(), b: b, da: da, db: db) == nil)
    #expect(ElementwiseKernels.productTangent(a: a, b: rng.tensor([3]), da: da, db: db) == nil)
    #expect(ElementwiseKernels.productTangent(a: a, b: b, da: da, db: rng.tensor([4, 3])) == nil)
    #expect(ElementwiseKernels.productTangent(a: a, b: b, da: rng.tensor([2, 3, 4, 3]), db: rng.tensor([2, 3, 4, 3])) == nil)
    #expect(ElementwiseKernels.productTangent(a: a, b: b, da: da.permuted([0, 2, 1]).contiguous().permuted([0, 2, 1]), db: db) == nil)
  }
}

extension Tensor {
  /// A non-contiguous view with the same elements count (a transposed square block).
  func transposedBlock() -> Tensor { reshaped([512, 512]).transposed() }
}
