import CLapack

/// A scalar type BLAS multiplies: the only place where the s/d/c/z names appear.
protocol BLASScalar: FloatingScalar {
  /// `C = A·B` (row-major, with transposes given by flags), `?gemm`.
  static func gemm(
    _ transA: CBLAS_TRANSPOSE, _ transB: CBLAS_TRANSPOSE, _ m: Int, _ n: Int, _ k: Int,
    _ a: UnsafePointer<Self>, _ lda: Int, _ b: UnsafePointer<Self>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
}

extension Float: BLASScalar {
  static func gemm(
    _ ta: CBLAS_TRANSPOSE, _ tb: CBLAS_TRANSPOSE, _ m: Int, _ n: Int, _ k: Int,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int
  ) {
    cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
  }
}

extension Double: BLASScalar {
  static func gemm(
    _ ta: CBLAS_TRANSPOSE, _ tb: CBLAS_TRANSPOSE, _ m: Int, _ n: Int, _ k: Int,
    _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Double>, _ ldc: Int
  ) {
    cblas_dgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
  }
}

extension Complex: BLASScalar where RealType: RealScalar {
  static func gemm(
    _ ta: CBLAS_TRANSPOSE, _ tb: CBLAS_TRANSPOSE, _ m: Int, _ n: Int, _ k: Int,
    _ a: UnsafePointer<Complex<RealType>>, _ lda: Int, _ b: UnsafePointer<Complex<RealType>>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Complex<RealType>>, _ ldc: Int
  ) {
    let scalars = UnsafeMutablePointer<Complex<RealType>>.allocate(capacity: 2)
    defer { scalars.deallocate() }
    scalars.initialize(to: .one)
    (scalars + 1).initialize(to: .zero)
    let one = UnsafeRawPointer(scalars), zero = UnsafeRawPointer(scalars + 1)
    if RealType.self == Float.self {
      cblas_cgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), one, a, Int32(lda), b, Int32(ldb), zero, c, Int32(ldc))
    } else {
      cblas_zgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), one, a, Int32(lda), b, Int32(ldb), zero, c, Int32(ldc))
    }
  }
}

/// Batched matrix products on BLAS.
enum MatrixMultiply {
  /// `a @ b` for tensors of rank ≥ 2 with broadcast batch dims, in `a`'s dtype (already
  /// promoted by the caller), without copying transposed operands.
  static func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    switch a.dtype {
    case .float32: return run(a, b, Float.self)
    case .float64: return run(a, b, Double.self)
    case .complex64: return run(a, b, Complex<Float>.self)
    case .complex128: return run(a, b, Complex<Double>.self)
    default: preconditionFailure("matmul: integer and boolean matrices are not supported (got \(a.dtype))")
    }
  }

  static func run<T: BLASScalar>(_ a0: Tensor, _ b0: Tensor, _: T.Type) -> Tensor {
    let m = a0.shape[a0.rank - 2], k = a0.shape[a0.rank - 1], n = b0.shape[b0.rank - 1]
    let batch = Shape.broadcast(Array(a0.shape.dropLast(2)), Array(b0.shape.dropLast(2)), op: "matmul")
    let out = Tensor(uninitializedShape: batch + [m, n], dtype: a0.dtype)
    if out.count == 0 { return out }
    if k == 0 {
      out.pointer(as: T.self).initialize(repeating: T.zero, count: out.count)
      return out
    }
    func prepared(_ t: Tensor, _ r: Int, _ c: Int) -> (Tensor, CBLAS_TRANSPOSE, Int) {
      let rs = t.strides[t.rank - 2], cs = t.strides[t.rank - 1]
      // A row-major matrix needs ld ≥ cols; a column-major one ld ≥ rows.
      if (cs == 1 || c == 1) && rs >= Swift.max(c, 1) { return (t, CblasNoTrans, Swift.max(rs, 1)) }
      if (rs == 1 || r == 1) && cs >= Swift.max(r, 1) { return (t, CblasTrans, Swift.max(cs, 1)) }
      let c0 = t.contiguousValues()
      return (c0, CblasNoTrans, Swift.max(c, 1))
    }
    let batchCount = Shape.count(batch)
    if batchCount > 1 {
      let aBroadcast = a0.broadcastStrides(to: batch + [m, k]).dropLast(2).allSatisfy { $0 == 0 }
      let bBroadcast = b0.broadcastStrides(to: batch + [k, n]).dropLast(2).allSatisfy { $0 == 0 }
      if bBroadcast {
        // One product [batch·m, k] × [k, n]: the batch folds into the rows of A.
        let a = a0.expandedView(to: batch + [m, k], op: "matmul").contiguousValues()
        let rowsA = a.reshapedView([batchCount * m, k])!
        let b = b0.view(shape: [k, n], strides: Array(b0.strides.suffix(2)), offset: b0.offset)
        let c = run(rowsA, b, T.self)
        return c.reshapedView(batch + [m, n])!
      }
      if aBroadcast {
        // One product [m, k] × [k, batch·n]: the batch folds into the columns of B.
        let b = b0.expandedView(to: batch + [k, n], op: "matmul")
        let perm = [batch.count] + Array(0..<batch.count) + [batch.count + 1]
        let columns = b.view(shape: perm.map { b.shape[$0] }, strides: perm.map { b.strides[$0] }, offset: b.offset)
          .contiguousValues().reshapedView([k, batchCount * n])!
        let a = a0.view(shape: [m, k], strides: Array(a0.strides.suffix(2)), offset: a0.offset)
        let c = run(a, columns, T.self).reshapedView([m] + batch + [n])!
        let back = Array(1...batch.count) + [0, batch.count + 1]
        return c.view(shape: back.map { c.shape[$0] }, strides: back.map { c.strides[$0] }, offset: 0).contiguousValues()
      }
    }
    let (a, ta, lda) = prepared(a0, m, k)
    let (b, tb, ldb) = prepared(b0, k, n)
    let aBatch = a.broadcastStrides(to: batch + [m, k]).dropLast(2)
    let bBatch = b.broadcastStrides(to: batch + [k, n]).dropLast(2)
    let pa = UnsafePointer(a.pointer(as: T.self)), pb = UnsafePointer(b.pointer(as: T.self))
    let pc = out.pointer(as: T.self)
    let count = Shape.count(batch)
    var index = [Int](repeating: 0, count: batch.count)
    for i in 0..<count {
      var oa = 0, ob = 0
      for d in 0..<batch.count {
        oa += index[d] * aBatch[aBatch.startIndex + d]
        ob += index[d] * bBatch[bBatch.startIndex + d]
      }
      T.gemm(ta, tb, m, n, k, pa + oa, lda, pb + ob, ldb, pc + i * m * n, n)
      var d = batch.count - 1
      while d >= 0 {
        index[d] += 1
        if index[d] < batch[d] { break }
        index[d] = 0
        d -= 1
      }
    }
    return out
  }
}
