import Foundation
import Testing

@testable import Tangent

// The reduction kernels against a naive reference that walks multi-indices.

/// Row-major multi-indices of a shape.
func multiIndices(_ shape: [Int]) -> [[Int]] {
  var out: [[Int]] = [[]]
  for d in shape { out = out.flatMap { idx in (0..<d).map { idx + [$0] } } }
  return shape.contains(0) ? [] : out
}

/// The naive reduction of `x` over `dims` (non-negative) with `fold` over (real, imaginary)
/// pairs in row-major order of the reduced dims; returns the kept-dims shape and values.
func naiveReduce(
  _ x: Tensor, dims: [Int], initial: (Double, Double), _ fold: ((Double, Double), (Double, Double)) -> (Double, Double)
) -> (shape: [Int], values: [(Double, Double)]) {
  let kept = x.shape.enumerated().map { dims.contains($0.offset) ? 1 : $0.element }
  let inner = x.shape.enumerated().map { dims.contains($0.offset) ? $0.element : 1 }
  var values: [(Double, Double)] = []
  for o in multiIndices(kept) {
    var acc = initial
    for r in multiIndices(inner) {
      let idx = zip(o, r).map { $0 + $1 }
      acc = fold(acc, x.element(at: idx))
    }
    values.append(acc)
  }
  return (kept, values)
}

/// Values of a tensor as (real, imaginary) pairs in row-major order.
func pairs(_ t: Tensor) -> [(Double, Double)] { multiIndices(t.shape).map { t.element(at: $0) } }

/// All subsets of 0..<n.
func subsets(_ n: Int) -> [[Int]] {
  (0..<(1 << n)).map { m in (0..<n).filter { m & (1 << $0) != 0 } }
}

/// Close in relative terms (NaN equals NaN, infinities must match).
func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool {
  if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
  if a.isInfinite || b.isInfinite { return a == b }
  return abs(a - b) <= tol * Swift.max(1, abs(a), abs(b))
}

/// Test tensors of several dtypes and layouts, all with shape [3, 4, 5].
func layoutVariants(_ dtype: DType, seed: Int = 0) -> [(String, Tensor)] {
  let n = 60
  let values = (0..<n).map { i -> Double in
    let v = Double((i * 37 + seed * 11) % 23) - 11  // small integers, with ties
    return dtype == .bool ? (v > 0 ? 1 : 0) : v / (dtype == .int64 ? 1 : 4)
  }
  let imag = (0..<n).map { Double(($0 * 13) % 7) - 3 }
  var base: Tensor
  if dtype.isComplex {
    base = Tensor.complex(real: Tensor(shape: [3, 4, 5], scalars: values), imaginary: Tensor(shape: [3, 4, 5], scalars: imag))
      .converted(to: dtype)
  } else {
    base = Tensor(shape: [3, 4, 5], scalars: values).converted(to: dtype)
  }
  let big = Tensor(shape: [5, 4, 3], scalars: values.reversed()).converted(to: dtype.isComplex ? dtype.real : dtype)
  var out = [("contiguous", base)]
  if !dtype.isComplex {
    // A permuted view, and a view with an offset and gaps.
    out.append(("permuted", big.permuted([2, 1, 0])))
    let wide = Tensor(shape: [3, 4, 10], scalars: (0..<120).map { values[$0 % 60] }).converted(to: dtype)
    out.append(("strided", wide.view(shape: [3, 4, 5], strides: [40, 10, 2], offset: 1)))
  }
  // A broadcast view (zero strides).
  out.append(("expanded", base.view(shape: [3, 4, 5], strides: [20, 0, 1], offset: 0)))
  return out
}

@Suite struct ReductionKernelTests {
  @Test(arguments: [DType.float64, .float32, .int64, .bool, .complex128, .complex64])
  func sumAndProdMatchNaive(_ dtype: DType) {
    for (name, x) in layoutVariants(dtype) {
      for dims in subsets(3) {
        for keepdim in [false, true] {
          let s = Reductions.sum(x, dims: dims, keepdim: keepdim)
          let ref = naiveReduce(x, dims: dims, initial: (0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
          let p = Reductions.prod(x, dims: dims, keepdim: keepdim)
          let refP = naiveReduce(x, dims: dims, initial: (1, 0)) { ($0.0 * $1.0 - $0.1 * $1.1, $0.0 * $1.1 + $0.1 * $1.0) }
          let expectedShape = keepdim ? ref.shape : x.shape.enumerated().filter { !dims.contains($0.offset) }.map(\.element)
          #expect(s.shape == expectedShape && p.shape == expectedShape, "\(dtype) \(name) dims \(dims)")
          #expect(s.dtype == (dtype == .bool ? .int64 : dtype))
          let tol = dtype == .float32 || dtype == .complex64 ? 1e-5 : 1e-12
          for (a, b) in zip(pairs(s), ref.values) {
            #expect(close(a.0, b.0, tol) && close(a.1, b.1, tol), "sum \(dtype) \(name) dims \(dims): \(a) vs \(b)")
          }
          for (a, b) in zip(pairs(p), refP.values) where dtype != .int64 || abs(b.0) < 0x1p53 {  // int64 wraps
            #expect(close(a.0, b.0, tol) && close(a.1, b.1, tol), "prod \(dtype) \(name) dims \(dims): \(a) vs \(b)")
          }
        }
      }
    }
  }

  @Test(arguments: [DType.float64, .float32, .int64, .bool])
  func amaxAminMatchNaive(_ dtype: DType) {
    for (name, x) in layoutVariants(dtype, seed: 3) {
      for dims in subsets(3) {
        let mx = Reductions.amax(x, dims: dims, keepdim: true)
        let mn = Reductions.amin(x, dims: dims, keepdim: false)
        let refMax = naiveReduce(x, dims: dims, initial: (-.infinity, 0)) { (Swift.max($0.0, $1.0), 0) }
        let refMin = naiveReduce(x, dims: dims, initial: (.infinity, 0)) { (Swift.min($0.0, $1.0), 0) }
        #expect(mx.dtype == dtype && mx.shape == refMax.shape)
        #expect(pairs(mx).map(\.0) == refMax.values.map(\.0), "amax \(dtype) \(name) \(dims)")
        #expect(pairs(mn).map(\.0) == refMin.values.map(\.0), "amin \(dtype) \(name) \(dims)")
      }
    }
  }

  @Test func extremaPropagateNaN() {
    var v = (0..<40).map { Double($0) }
    v[13] = .nan
    let x = Tensor(shape: [2, 20], scalars: v)
    #expect(Reductions.amax(x, dims: [0, 1], keepdim: false).scalar.isNaN)
    #expect(Reductions.amin(x, dims: [1], keepdim: false).doubles.map(\.isNaN) == [true, false])
    #expect(Reductions.amax(x, dims: [0], keepdim: false).doubles.enumerated().allSatisfy { $0.element.isNaN == ($0.offset == 13) })
    let (values, indices) = Reductions.max(x, dim: 1, keepdim: false)
    #expect(values.doubles[0].isNaN && values.doubles[1] == 39)
    #expect(indices.scalars(as: Int64.self) == [13, 19])
    let (_, minIndices) = Reductions.min(x.transposed(0, 1), dim: 0, keepdim: false)
    #expect(minIndices.scalars(as: Int64.self) == [13, 0])
    // Long rows take the vectorised path; the NaN may be in any lane.
    for at in [0, 7, 16, 999] {
      var w = [Float](repeating: 1, count: 1000)
      w[at] = .nan
      w[500] = 2
      let t = Tensor(shape: [1000], scalars: w)
      #expect(Reductions.amax(t, dims: [0], keepdim: false).item(as: Float.self).isNaN)
      #expect(Reductions.argmax(t, dim: nil, keepdim: false).item(as: Int64.self) == Int64(at))
      #expect(Reductions.argmin(t, dim: 0, keepdim: false).item(as: Int64.self) == Int64(at))
    }
  }

  @Test(arguments: [DType.float64, .float32, .int64, .bool])
  func maxMinWithIndicesMatchNaive(_ dtype: DType) {
    for (name, x) in layoutVariants(dtype, seed: 5) {
      for dim in [0, 1, 2, -1] {
        for keepdim in [false, true] {
          let d = (dim + 3) % 3
          let (values, indices) = Reductions.max(x, dim: dim, keepdim: keepdim)
          let (minValues, minIndices) = Reductions.min(x, dim: dim, keepdim: keepdim)
          var expectedShape = x.shape
          if keepdim { expectedShape[d] = 1 } else { expectedShape.remove(at: d) }
          #expect(values.shape == expectedShape && indices.shape == expectedShape && indices.dtype == .int64)
          #expect(values.dtype == dtype)
          var kept = x.shape
          kept[d] = 1
          for (j, o) in multiIndices(kept).enumerated() {
            let column = (0..<x.shape[d]).map { k -> Double in
              var idx = o
              idx[d] = k
              return x.element(at: idx).0
            }
            let mx = column.max()!, mn = column.min()!
            // Ties give the first index.
            #expect(values.doubles[j] == mx && indices.scalars(as: Int64.self)[j] == Int64(column.firstIndex(of: mx)!), "max \(dtype) \(name) dim \(dim) at \(o)")
            #expect(minValues.doubles[j] == mn && minIndices.scalars(as: Int64.self)[j] == Int64(column.firstIndex(of: mn)!), "min \(dtype) \(name) dim \(dim) at \(o)")
          }
          #expect(Reductions.argmax(x, dim: dim, keepdim: keepdim).scalars(as: Int64.self) == indices.scalars(as: Int64.self))
          #expect(Reductions.argmin(x, dim: dim, keepdim: keepdim).scalars(as: Int64.self) == minIndices.scalars(as: Int64.self))
        }
      }
      let flat = x.contiguousValues().doubles
      let a = Reductions.argmax(x, dim: nil, keepdim: false)
      #expect(a.shape == [] && a.item(as: Int64.self) == Int64(flat.firstIndex(of: flat.max()!)!), "argmax \(dtype) \(name)")
      let b = Reductions.argmin(x, dim: nil, keepdim: true)
      #expect(b.shape == [1, 1, 1] && b.scalars(as: Int64.self) == [Int64(flat.firstIndex(of: flat.min()!)!)])
    }
  }

  @Test func scalarAndEmptyInputs() {
    let s = Tensor(2.5)
    #expect(Reductions.sum(s, dims: [], keepdim: false).scalar == 2.5)
    #expect(Reductions.prod(s, dims: [0], keepdim: true).shape == [])
    #expect(Reductions.amax(s, dims: [-1], keepdim: false).scalar == 2.5)
    let (v, i) = Reductions.max(s, dim: 0, keepdim: false)
    #expect(v.scalar == 2.5 && i.item(as: Int64.self) == 0)
    let e = Tensor.zeros([0, 3])
    #expect(Reductions.sum(e, dims: [0], keepdim: false).doubles == [0, 0, 0])
    #expect(Reductions.prod(e, dims: [0, 1], keepdim: false).scalar == 1)
    #expect(Reductions.sum(e, dims: [1], keepdim: true).shape == [0, 1])
    #expect(Reductions.amax(e, dims: [1], keepdim: false).shape == [0])
  }

  @Test func largeSumsAreAccurateAndParallel() {
    // Many values whose naive running sum loses digits; compare with a compensated sum.
    let n = 1_000_003
    let values = (0..<n).map { (i: Int) -> Double in
      let big: Double = i % 2 == 0 ? 1e8 : -1e8
      return 1 + Double(i % 1000) * 1e-7 + big
    }
    var ref = 0.0, c = 0.0
    for v in values {
      let y = v - c
      let t = ref + y
      c = (t - ref) - y
      ref = t
    }
    let x = Tensor(values)
    let s = Reductions.sum(x, dims: [0], keepdim: false).scalar
    #expect(abs(s - ref) <= 1e-9 * abs(ref), "\(s) vs \(ref)")
    // Float32 pairwise keeps the relative error near ε·log n, far below n·ε.
    let f = Tensor(shape: [n], scalars: [Float](repeating: 0.1, count: n))
    let sf = Double(Reductions.sum(f, dims: [0], keepdim: false).item(as: Float.self))
    #expect(abs(sf - Double(Float(0.1)) * Double(n)) / (0.1 * Double(n)) < 1e-6)
    // Rows and columns of a large matrix (trailing and leading fast paths).
    let m = Tensor(shape: [1000, 1001], scalars: (0..<1_001_000).map { Double($0 % 7) })
    let rows = Reductions.sum(m, dims: [1], keepdim: false).doubles
    let cols = Reductions.sum(m, dims: [0], keepdim: false).doubles
    #expect(rows.enumerated().allSatisfy { r in r.element == (0..<1001).reduce(0.0) { $0 + Double((r.offset * 1001 + $1) % 7) } })
    #expect(cols.enumerated().allSatisfy { c in c.element == (0..<1000).reduce(0.0) { $0 + Double(($1 * 1001 + c.offset) % 7) } })
    let complexSum = Reductions.sum(Tensor.complex(real: Tensor(values), imaginary: Tensor(values) * -2), dims: [0], keepdim: false)
    let z = complexSum.item(as: Complex<Double>.self)
    #expect(abs(z.real - ref) <= 1e-9 * abs(ref) && abs(z.imaginary + 2 * ref) <= 1e-9 * abs(ref))
  }

  @Test(arguments: [DType.float64, .float32, .complex128])
  func varianceMatchesTwoPassReference(_ dtype: DType) {
    for (name, x) in layoutVariants(dtype, seed: 7) {
      for dims in subsets(3) where !dims.isEmpty {
        for correction in [0.0, 1, 2] {
          let v = Reductions.variance(x, dims: dims, correction: correction, keepdim: false)
          #expect(v.dtype == dtype.real)
          let n = dims.reduce(1) { $0 * x.shape[$1] }
          let sums = naiveReduce(x, dims: dims, initial: (0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
          let kept = sums.shape
          var expected: [Double] = []
          for (j, o) in multiIndices(kept).enumerated() {
            let mean = (sums.values[j].0 / Double(n), sums.values[j].1 / Double(n))
            var ss = 0.0
            let inner = x.shape.enumerated().map { dims.contains($0.offset) ? $0.element : 1 }
            for r in multiIndices(inner) {
              let e = x.element(at: zip(o, r).map { $0 + $1 })
              ss += (e.0 - mean.0) * (e.0 - mean.0) + (e.1 - mean.1) * (e.1 - mean.1)
            }
            expected.append(ss / Swift.max(0, Double(n) - correction))
          }
          let tol = dtype == .float32 ? 1e-5 : 1e-12
          for (a, b) in zip(v.doubles, expected) {
            #expect(close(a, b, tol), "var \(dtype) \(name) dims \(dims) correction \(correction): \(a) vs \(b)")
          }
        }
      }
    }
    // N − correction ≤ 0: ∞ for a spread, NaN for 0/0.
    let pair = Tensor([1.0, 3.0])
    #expect(Reductions.variance(pair, dims: [0], correction: 2, keepdim: false).scalar == .infinity)
    #expect(Reductions.variance(Tensor([1.0]), dims: [0], correction: 1, keepdim: true).doubles[0].isNaN)
  }
}
