import Foundation
import Testing

@testable import Tangent

// The GEMM kernel against a naive triple loop, over layouts BLAS reads directly (row- and
// column-contiguous, strided and broadcast batches), layouts it cannot (copied), complex
// conjugation flags, int64, and degenerate sizes.

/// A tensor of `shape` with deterministic values (complex when `dtype` is).
func randomTensor(_ shape: [Int], _ dtype: DType = .float64, seed: UInt64 = 1) -> Tensor {
  var g = SplitMix(seed: seed)
  let n = Shape.count(shape)
  switch dtype {
  case .complex128, .complex64:
    let t = Tensor(shape: shape, scalars: (0..<n).map { _ in Complex(2 * g.unit() - 1, 2 * g.unit() - 1) })
    return t.converted(to: dtype)
  case .int64:
    return Tensor(shape: shape, scalars: (0..<n).map { _ in Int64(g.next() % 11) - 5 })
  default:
    return Tensor(shape: shape, scalars: (0..<n).map { _ in 2 * g.unit() - 1 }).converted(to: dtype)
  }
}

/// The batched product through multi-indices, as (real, imaginary) pairs in row-major order.
func naiveMatmul(_ a: Tensor, _ b: Tensor, conjugateA: Bool = false, conjugateB: Bool = false) -> (shape: [Int], values: [(Double, Double)]) {
  let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
  let batch = Shape.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)))!
  var values: [(Double, Double)] = []
  for bi in multiIndices(batch) {
    let ia = Array(bi.suffix(a.rank - 2)).enumerated().map { a.shape[$0.offset] == 1 ? 0 : $0.element }
    let ib = Array(bi.suffix(b.rank - 2)).enumerated().map { b.shape[$0.offset] == 1 ? 0 : $0.element }
    for i in 0..<m {
      for j in 0..<n {
        var s = (0.0, 0.0)
        for p in 0..<k {
          var x = a.element(at: ia + [i, p]), y = b.element(at: ib + [p, j])
          if conjugateA { x.1 = -x.1 }
          if conjugateB { y.1 = -y.1 }
          s = (s.0 + x.0 * y.0 - x.1 * y.1, s.1 + x.0 * y.1 + x.1 * y.0)
        }
        values.append(s)
      }
    }
  }
  return (batch + [m, n], values)
}

/// Checks a product against the naive one.
func expectMatmul(
  _ a: Tensor, _ b: Tensor, conjugateA: Bool = false, conjugateB: Bool = false, _ label: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let y = GEMM.matmul(a, b, conjugateA: conjugateA, conjugateB: conjugateB)
  let ref = naiveMatmul(a, b, conjugateA: conjugateA && a.dtype.isComplex, conjugateB: conjugateB && b.dtype.isComplex)
  #expect(y.shape == ref.shape, "\(label): shape \(y.shape) vs \(ref.shape)", sourceLocation: sourceLocation)
  #expect(y.dtype == a.dtype, sourceLocation: sourceLocation)
  let tol = a.dtype == .float32 || a.dtype == .complex64 ? 1e-5 : 1e-12
  var worst = 0.0
  for (u, v) in zip(pairs(y), ref.values) { worst = Swift.max(worst, abs(u.0 - v.0), abs(u.1 - v.1)) }
  #expect(worst <= tol * Swift.max(1, Double(a.shape.last!)), "\(label): max error \(worst)", sourceLocation: sourceLocation)
}

@Suite struct GEMMKernelTests {
  @Test(arguments: [DType.float64, .float32, .complex128, .complex64, .int64])
  func layouts(_ dtype: DType) {
    let a = randomTensor([3, 5], dtype, seed: 1), b = randomTensor([5, 4], dtype, seed: 2)
    let at = randomTensor([5, 3], dtype, seed: 3).transposed(0, 1)  // column-contiguous
    let bt = randomTensor([4, 5], dtype, seed: 4).transposed(0, 1)
    expectMatmul(a, b, "row @ row")
    expectMatmul(at, b, "col @ row")
    expectMatmul(a, bt, "row @ col")
    expectMatmul(at, bt, "col @ col")
    // Gaps between rows (a narrowed view) and an offset.
    let wide = randomTensor([3, 9], dtype, seed: 5)
    expectMatmul(wide.view(shape: [3, 5], strides: [9, 1], offset: 2), b, "strided rows")
    // Zero strides inside a matrix: BLAS cannot read it, so it is copied.
    let rowVector = randomTensor([1, 5], dtype, seed: 6)
    expectMatmul(rowVector.view(shape: [3, 5], strides: [0, 1], offset: 0), b, "expanded rows")
    expectMatmul(a, randomTensor([5, 1], dtype, seed: 7).view(shape: [5, 4], strides: [1, 0], offset: 0), "expanded columns")
    // Every-other-column: neither row- nor column-contiguous.
    expectMatmul(a, randomTensor([5, 8], dtype, seed: 8).view(shape: [5, 4], strides: [8, 2], offset: 1), "strided columns")
    // Vectors as matrices.
    expectMatmul(randomTensor([1, 5], dtype), randomTensor([5, 1], dtype, seed: 9), "dot")
    expectMatmul(randomTensor([4, 1], dtype), randomTensor([1, 6], dtype, seed: 9), "outer")
    expectMatmul(randomTensor([5, 1], dtype).transposed(0, 1), b, "row vector view")
  }

  @Test(arguments: [DType.complex128, .complex64])
  func conjugationFlags(_ dtype: DType) {
    let a = randomTensor([3, 5], dtype, seed: 11), b = randomTensor([5, 4], dtype, seed: 12)
    let at = randomTensor([5, 3], dtype, seed: 13).transposed(0, 1)
    let bt = randomTensor([4, 5], dtype, seed: 14).transposed(0, 1)
    for (x, nx) in [(a, "row"), (at, "col")] {
      for (y, ny) in [(b, "row"), (bt, "col")] {
        for ca in [false, true] {
          for cb in [false, true] {
            expectMatmul(x, y, conjugateA: ca, conjugateB: cb, "\(nx)\(ca ? "*" : "") @ \(ny)\(cb ? "*" : "")")
          }
        }
      }
    }
    // Flags are ignored for real dtypes.
    expectMatmul(randomTensor([2, 3]), randomTensor([3, 2], seed: 2), conjugateA: true, conjugateB: true, "real")
  }

  @Test(arguments: [DType.float64, .complex128, .int64])
  func batches(_ dtype: DType) {
    let a3 = randomTensor([4, 3, 5], dtype, seed: 21), b3 = randomTensor([4, 5, 2], dtype, seed: 22)
    let b2 = randomTensor([5, 2], dtype, seed: 23)
    expectMatmul(a3, b3, "batch @ batch")
    expectMatmul(a3, b2, "batch @ matrix (one tall product)")
    expectMatmul(randomTensor([3, 5], dtype), b3, "matrix @ batch")
    // A matrix times a batch of column vectors (the transposed product, no copies).
    let vectors = randomTensor([2, 4, 5, 1], dtype, seed: 33)
    expectMatmul(randomTensor([3, 5], dtype, seed: 34), vectors, "matrix @ batch of vectors")
    expectMatmul(randomTensor([5, 3], dtype, seed: 35).transposed(0, 1), vectors, "transposed matrix @ batch of vectors")
    if dtype.isComplex {
      for (ca, cb) in [(true, false), (false, true), (true, true)] {
        expectMatmul(randomTensor([3, 5], dtype, seed: 36), vectors, conjugateA: ca, conjugateB: cb, "conj \(ca) \(cb) @ vectors")
      }
    }
    expectMatmul(randomTensor([2, 1, 3, 5], dtype, seed: 24), randomTensor([4, 5, 2], dtype, seed: 25), "broadcast [2,1] × [4]")
    expectMatmul(randomTensor([1, 3, 5], dtype, seed: 26), b3, "size-1 batch")
    // Transposed batches and a batch dim in the middle of memory.
    expectMatmul(randomTensor([4, 5, 3], dtype, seed: 27).transposed(1, 2), b3.transposed(1, 2).transposed(1, 2), "transposed batch")
    expectMatmul(randomTensor([3, 4, 5], dtype, seed: 28).transposed(0, 1), b3, "batch dim not outermost")
    // Strided and zero-stride (expanded) batches.
    let big = randomTensor([8, 3, 5], dtype, seed: 29)
    expectMatmul(big.view(shape: [4, 3, 5], strides: [30, 5, 1], offset: 15), b3, "every other batch")
    expectMatmul(randomTensor([3, 5], dtype, seed: 30).view(shape: [4, 3, 5], strides: [0, 5, 1], offset: 0), b3, "expanded batch")
    expectMatmul(a3, b2.view(shape: [4, 5, 2], strides: [0, 2, 1], offset: 0), "expanded b (tall product)")
    // Many small products (the parallel batch path).
    expectMatmul(randomTensor([64, 3, 4], dtype, seed: 31), randomTensor([64, 4, 5], dtype, seed: 32), "64 small products")
  }

  /// Matrix-vector products (n = 1) and vector-matrix products (m = 1): every layout of the
  /// matrix, strided and transposed vectors, offsets, a size-1 batch and alpha.
  @Test(arguments: [DType.float64, .float32, .complex128])
  func matrixVectorProducts(_ dtype: DType) {
    let a = randomTensor([7, 5], dtype, seed: 51), at = randomTensor([5, 7], dtype, seed: 52).transposed(0, 1)
    let x = randomTensor([5, 1], dtype, seed: 53)
    let strided = randomTensor([5, 3], dtype, seed: 54).view(shape: [5, 1], strides: [3, 1], offset: 1)
    let rowsOfWide = randomTensor([7, 9], dtype, seed: 55).view(shape: [7, 5], strides: [9, 1], offset: 2)
    for (m, name) in [(a, "row-major"), (at, "column-major"), (rowsOfWide, "strided rows")] {
      expectMatmul(m, x, "\(name) @ vector")
      expectMatmul(m, strided, "\(name) @ strided vector")
      expectMatmul(m, randomTensor([1, 5], dtype, seed: 56).transposed(0, 1), "\(name) @ transposed row")
      let y = randomTensor([1, m.shape[0]], dtype, seed: 57)
      expectMatmul(y, m, "vector @ \(name)")
      expectMatmul(randomTensor([m.shape[0], 2], dtype, seed: 58).view(shape: [1, m.shape[0]], strides: [1, 2], offset: 1), m,
                   "strided vector @ \(name)")
    }
    expectMatmul(randomTensor([1, 7, 5], dtype, seed: 59), randomTensor([5, 1], dtype, seed: 60), "size-1 batch @ vector")
    expectMatmul(randomTensor([1, 3], dtype, seed: 61), randomTensor([1, 3, 4], dtype, seed: 62), "vector @ size-1 batch")
    // A tall product (X·w and Xᵀ·g of a regression), big enough for BLAS's threads, and alpha.
    let tall = randomTensor([3000, 40], dtype, seed: 63), w = randomTensor([40, 1], dtype, seed: 64)
    let g = randomTensor([3000, 1], dtype, seed: 65)
    expectMatmul(tall, w, "tall @ vector")
    expectMatmul(tall.transposed(0, 1), g, "tallᵀ @ vector")
    let scaled = GEMM.matmul(tall, w, alpha: -2), plain = GEMM.matmul(tall, w)
    for (u, v) in zip(pairs(scaled), pairs(plain)) {
      #expect(abs(u.0 + 2 * v.0) <= 1e-4 * Swift.max(1, abs(v.0)) && abs(u.1 + 2 * v.1) <= 1e-4 * Swift.max(1, abs(v.1)))
    }
  }

  /// The products that run as one pass over a stored matrix's rows (`GEMM.rowCombination`,
  /// at least 16 output elements): a column-major matrix times a vector, a vector times a
  /// row-major matrix, with strided and transposed vectors, strided rows, row counts that
  /// are not a multiple of four, a size-1 batch and alpha; and the narrow products next to
  /// them that BLAS keeps.
  @Test(arguments: [DType.float64, .float32])
  func rowCombinationProducts(_ dtype: DType) {
    for rows in [1, 6, 33] {
      let columnMajor = randomTensor([rows, 20], dtype, seed: 71).transposed(0, 1)  // [20, rows]
      let rowMajor = randomTensor([rows, 20], dtype, seed: 72)
      let stridedRows = randomTensor([rows, 27], dtype, seed: 73).view(shape: [rows, 20], strides: [27, 1], offset: 3)
      expectMatmul(columnMajor, randomTensor([rows, 1], dtype, seed: 74), "Aᵀ @ vector, \(rows) rows")
      expectMatmul(
        columnMajor, randomTensor([rows, 3], dtype, seed: 75).view(shape: [rows, 1], strides: [3, 1], offset: 2),
        "Aᵀ @ strided vector, \(rows) rows")
      expectMatmul(columnMajor, randomTensor([1, rows], dtype, seed: 76).transposed(0, 1), "Aᵀ @ transposed row, \(rows) rows")
      for (b, name) in [(rowMajor, "row-major"), (stridedRows, "strided rows")] {
        expectMatmul(randomTensor([1, rows], dtype, seed: 77), b, "vector @ \(name), \(rows) rows")
        expectMatmul(
          randomTensor([rows, 2], dtype, seed: 78).view(shape: [1, rows], strides: [1, 2], offset: 1), b,
          "strided vector @ \(name), \(rows) rows")
        expectMatmul(randomTensor([rows, 1], dtype, seed: 79).transposed(0, 1), b, "transposed column @ \(name), \(rows) rows")
      }
      expectMatmul(randomTensor([1, rows, 20], dtype, seed: 80).transposed(1, 2), randomTensor([rows, 1], dtype, seed: 81),
                   "size-1 batch Aᵀ @ vector, \(rows) rows")
      // 15 output elements: BLAS.
      expectMatmul(randomTensor([rows, 15], dtype, seed: 82).transposed(0, 1), randomTensor([rows, 1], dtype, seed: 83), "narrow Aᵀ @ vector")
    }
    let x = randomTensor([500, 40], dtype, seed: 84), r = randomTensor([500, 1], dtype, seed: 85)
    let scaled = GEMM.matmul(x.transposed(0, 1), r, alpha: -2), plain = GEMM.matmul(x.transposed(0, 1), r)
    expectMatmul(x.transposed(0, 1), r, "Xᵀ @ r")
    for (u, v) in zip(pairs(scaled), pairs(plain)) { #expect(abs(u.0 + 2 * v.0) <= 1e-5 * Swift.max(1, abs(v.0))) }
  }

  @Test func degenerateSizes() {
    #expect(GEMM.matmul(Tensor.zeros([0, 3]), Tensor.zeros([3, 4])).shape == [0, 4])
    #expect(GEMM.matmul(Tensor.zeros([2, 3]), Tensor.zeros([3, 0])).shape == [2, 0])
    #expect(GEMM.matmul(Tensor.zeros([0, 2, 3]), Tensor.zeros([3, 4])).shape == [0, 2, 4])
    let k0 = GEMM.matmul(Tensor.ones([2, 0]), Tensor.ones([0, 3]))
    #expect(k0.shape == [2, 3] && k0.doubles == [0, 0, 0, 0, 0, 0])
    let c0 = GEMM.matmul(Tensor.ones([2, 0], dtype: .complex64), Tensor.ones([0, 1], dtype: .complex64))
    #expect(c0.scalars(as: Complex<Float>.self) == [.zero, .zero])
  }

  @Test func largeProductMatchesReference() {
    // Big enough for BLAS's own threading; checked against sums of rows.
    let n = 300
    let a = randomTensor([n, n], seed: 41), b = randomTensor([n, n], seed: 42)
    let y = GEMM.matmul(a, b)
    let ones = Tensor.ones([n, 1])
    // (a @ b) @ 1 == a @ (b @ 1)
    let lhs = GEMM.matmul(y, ones).doubles, rhs = GEMM.matmul(a, GEMM.matmul(b, ones)).doubles
    #expect(zip(lhs, rhs).allSatisfy { abs($0 - $1) < 1e-10 * Double(n) })
    let ref = naiveMatmul(a.view(shape: [3, n], strides: [n, 1], offset: 0), b).values
    #expect(zip(y.doubles.prefix(3 * n), ref).allSatisfy { abs($0 - $1.0) < 1e-12 * Double(n) })
  }
}
