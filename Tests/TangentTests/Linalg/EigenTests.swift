import Tangent
import TangentTesting
import Testing

/// The Hermitian part of a batch, differentiably.
func hermitianPart(_ x: Tensor) -> Tensor { (x + x.mH) / 2 }

/// Whether every entry is finite.
func allFinite(_ t: Tensor) -> Bool { t.complexDoubles.allSatisfy { $0.real.isFinite && $0.imaginary.isFinite } }

@Suite struct LinalgEigenTests {
  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func eighReproducesTheMatrix(dtype: DType) throws {
    let a = hermitianPart(linalgRandom([3, 4, 4], dtype: dtype, seed: 11))
    let (l, v) = try Linalg.eigh(a)
    #expect(l.dtype == dtype.real && l.shape == [3, 4] && v.shape == [3, 4, 4])
    expectAllClose(a.matmul(v), v * l.converted(to: dtype).unsqueezed(dim: -2), tol: tolerance(dtype), "A V = V diag(L) \(dtype)")
    expectAllClose(v.mH.matmul(v), identityLike(a), tol: tolerance(dtype), "Vᴴ V = I \(dtype)")
    let values = l.doubles
    for b in 0..<3 { for i in 0..<3 { #expect(values[b * 4 + i] <= values[b * 4 + i + 1], "ascending") } }
    // Only one triangle is read.
    let junk = linalgRandom([3, 4, 4], dtype: dtype, seed: 12) * 100
    expectAllClose(try Linalg.eigh(a.tril() + junk.triu(diagonal: 1)).eigenvalues, l, tol: tolerance(dtype), "lower triangle")
    expectAllClose(try Linalg.eigh(a.triu() + junk.tril(diagonal: -1), uplo: .upper).eigenvalues, l, tol: tolerance(dtype), "upper triangle")
    expectAllClose(try Linalg.eigvalsh(a), l, tol: tolerance(dtype), "eigvalsh")
    expectAllClose(try Linalg.eigvalsh(a.mT.contiguous().mT), l, tol: tolerance(dtype), "column-major input")
  }

  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func eigReproducesTheMatrix(dtype: DType) throws {
    let a = linalgRandom([3, 4, 4], dtype: dtype, seed: 13)
    let (l, v) = try Linalg.eig(a)
    let c = dtype.isComplex ? dtype : (dtype == .float32 ? DType.complex64 : .complex128)
    #expect(l.dtype == c && v.dtype == c && l.shape == [3, 4] && v.shape == [3, 4, 4])
    expectAllClose(a.converted(to: c).matmul(v), v * l.unsqueezed(dim: -2), tol: tolerance(dtype), "A V = V diag(L) \(dtype)")
    expectAllClose(v.abs().square().sum(dim: -2), Tensor.ones([3, 4], dtype: dtype.real), tol: tolerance(dtype), "unit columns")
    expectAllClose(try Linalg.eigvals(a), l, tol: tolerance(dtype), "eigvals")
    // The eigenvalues of a real matrix come in conjugate pairs: their sum is the real trace.
    expectAllClose(l.sum(dim: -1).converted(to: c), a.diagonal(offset: 0, dim1: -2, dim2: -1).sum(dim: -1).converted(to: c), tol: tolerance(dtype), "trace")
  }

  @Test func eigOfARotationIsComplex() throws {
    let a = Tensor([[0.0, -1.0], [1.0, 0.0]])
    let (l, v) = try Linalg.eig(a)
    let values = l.complexDoubles.map { ($0.real, $0.imaginary) }.sorted { $0.1 < $1.1 }
    #expect(Swift.abs(values[0].0) < 1e-15 && Swift.abs(values[0].1 + 1) < 1e-15 && Swift.abs(values[1].1 - 1) < 1e-15)
    expectAllClose(a.converted(to: .complex128).matmul(v), v * l.unsqueezed(dim: -2), tol: 1e-14, "rotation")
  }

  @Test(arguments: [DType.float64, .complex128])
  func eighDerivatives(dtype: DType) {
    let x = linalgRandom([2, 4, 4], dtype: dtype, seed: 14)
    // Gauge-invariant functions of the eigenvectors.
    expectGradcheck("eigh values, |V| \(dtype)", {
      let (l, v) = try! Linalg.eigh(hermitianPart($0[0]))
      return [l, v.abs()]
    }, at: [x])
    expectGradcheck("V diag(sin L) Vᴴ \(dtype)", {
      let (l, v) = try! Linalg.eigh(hermitianPart($0[0]))
      return [(v * l.sin().converted(to: dtype).unsqueezed(dim: -2)).matmul(v.mH)]
    }, at: [x])
    expectGradcheck("eigh upper \(dtype)", {
      let (l, v) = try! Linalg.eigh(hermitianPart($0[0]), uplo: .upper)
      return [l, v.abs()]
    }, at: [x])
    expectGradcheck("eigvalsh \(dtype)", { [try! Linalg.eigvalsh(hermitianPart($0[0]))] }, at: [x])
  }

  @Test(arguments: [DType.float64, .complex128])
  func eigDerivatives(dtype: DType) {
    let x = linalgRandom([2, 4, 4], dtype: dtype, seed: 15)
    expectGradcheck("eig values, |V| \(dtype)", {
      let (l, v) = try! Linalg.eig($0[0])
      return [l, v.abs()]
    }, at: [x])
    expectGradcheck("eigvals \(dtype)", { [try! Linalg.eigvals($0[0])] }, at: [x])
  }

  /// At a repeated eigenvalue the eigenvectors' derivatives are not defined: Tangent gives
  /// non-finite entries (as PyTorch), never a wrong finite number; the eigenvalues' derivatives
  /// stay exact.
  @Test(arguments: [DType.float64, .complex128])
  func repeatedEigenvaluesGiveNonFiniteVectorDerivatives(dtype: DType) throws {
    let a = Tensor([1.0, 1.0, 2.0]).diagEmbed().converted(to: dtype)
    let da = hermitianPart(linalgRandom([3, 3], dtype: dtype, seed: 16))
    let (outs, tangents) = jvp(of: { (x: Tensor) -> [Tensor] in
      let (l, v) = try! Linalg.eigh(x)
      return [l, v]
    }, at: a, along: da)
    #expect(outs[0].doubles == [1, 1, 2])
    #expect(allFinite(tangents[0]), "eigenvalue derivatives stay finite")
    // dL = diag(Vᴴ dA V): the eigenvalues' derivative of the repeated pair is the
    // eigenvalues of the 2 × 2 block; its sum is the block's trace.
    let dl = tangents[0].doubles
    let block = da.real.doubles
    #expect(Swift.abs(dl[0] + dl[1] - block[0] - block[4]) < 1e-12)
    #expect(!allFinite(tangents[1]), "eigenvector derivatives are not finite at a repeated eigenvalue")
    let g = gradient(of: { (x: Tensor) in try! Linalg.eigvalsh(x).sum() }, at: a)
    expectAllClose(g, Tensor.eye(3, dtype: dtype), tol: 1e-12, "eigvalsh gradient at a repeated eigenvalue")
    let gv = gradient(of: { (x: Tensor) in try! Linalg.eigh(x).eigenvectors.abs().sum() }, at: a)
    #expect(!allFinite(gv), "eigenvector gradient is not finite at a repeated eigenvalue")
  }

  @Test func nonConvergenceThrows() {
    let a = Tensor.stack([Tensor.eye(3), Tensor.full([3, 3], .nan)])
    #expect(throws: LinalgError.noConvergence(op: "Linalg.eigh", batchIndex: 1)) { try Linalg.eigh(a) }
    #expect(throws: LinalgError.noConvergence(op: "Linalg.eig", batchIndex: 1)) { try Linalg.eig(a) }
  }
}

@Suite struct LinalgSVDTests {
  @Test(arguments: [DType.float32, .float64, .complex64, .complex128])
  func svdReproducesTheMatrix(dtype: DType) throws {
    for shape in [[2, 5, 3], [2, 3, 5], [4, 4]] {
      let a = linalgRandom(shape, dtype: dtype, seed: 21)
      let m = shape[shape.count - 2], n = shape[shape.count - 1], k = Swift.min(m, n)
      let (u, s, vh) = try Linalg.svd(a, fullMatrices: false)
      #expect(u.shape == Array(shape.dropLast(2)) + [m, k] && vh.shape == Array(shape.dropLast(2)) + [k, n] && s.dtype == dtype.real)
      expectAllClose((u * s.converted(to: dtype).unsqueezed(dim: -2)).matmul(vh), a, tol: tolerance(dtype), "U S Vh = A \(shape) \(dtype)")
      expectAllClose(u.mH.matmul(u), Tensor.eye(k, dtype: dtype).expanded(to: Array(shape.dropLast(2)) + [k, k]), tol: tolerance(dtype), "Uᴴ U")
      let (uf, sf, vhf) = try Linalg.svd(a)
      #expect(uf.shape.suffix(2) == [m, m] && vhf.shape.suffix(2) == [n, n])
      expectAllClose(uf.mH.matmul(uf), Tensor.eye(m, dtype: dtype).expanded(to: Array(shape.dropLast(2)) + [m, m]), tol: tolerance(dtype), "full U unitary")
      expectAllClose(vhf.matmul(vhf.mH), Tensor.eye(n, dtype: dtype).expanded(to: Array(shape.dropLast(2)) + [n, n]), tol: tolerance(dtype), "full Vh unitary")
      expectAllClose(sf, s, tol: tolerance(dtype), "full S")
      expectAllClose(try Linalg.svdvals(a), s, tol: tolerance(dtype), "svdvals")
      expectAllClose(try Linalg.svdvals(a.mT.contiguous().mT), s, tol: tolerance(dtype), "column-major input")
      let values = s.doubles
      for i in 0..<(values.count - 1) where (i + 1) % k != 0 { #expect(values[i] >= values[i + 1], "descending") }
    }
  }

  @Test(arguments: [DType.float64, .complex128])
  func svdDerivatives(dtype: DType) {
    for shape in [[2, 4, 3], [3, 5], [3, 3]] {
      let x = linalgRandom(shape, dtype: dtype, seed: 22)
      expectGradcheck("svd |U|, S, |Vh| \(shape) \(dtype)", {
        let (u, s, vh) = try! Linalg.svd($0[0], fullMatrices: false)
        return [u.abs(), s, vh.abs()]
      }, at: [x])
      expectGradcheck("U diag(S²) Vh \(shape) \(dtype)", {
        let (u, s, vh) = try! Linalg.svd($0[0], fullMatrices: false)
        return [(u * s.square().converted(to: dtype).unsqueezed(dim: -2)).matmul(vh)]
      }, at: [x])
      expectGradcheck("svdvals \(shape) \(dtype)", { [try! Linalg.svdvals($0[0])] }, at: [x])
      // Full matrices: the extra columns are not determined by A, and get zero tangents; the
      // determined part is checked.
      expectGradcheck("svd full \(shape) \(dtype)", {
        let (u, s, vh) = try! Linalg.svd($0[0])
        let k = s.shape[s.rank - 1]
        return [u.narrowed(dim: -1, start: 0, length: k).abs(), s, vh.narrowed(dim: -2, start: 0, length: k).abs()]
      }, at: [x])
    }
  }

  @Test func repeatedSingularValuesGiveNonFiniteVectorDerivatives() {
    let a = Tensor.eye(3) * 2
    let g = gradient(of: { (x: Tensor) in try! Linalg.svdvals(x).sum() }, at: a)
    expectAllClose(g, Tensor.eye(3), tol: 1e-12, "svdvals gradient at repeated singular values")
    let gv = gradient(of: { (x: Tensor) in try! Linalg.svd(x).u.abs().sum() }, at: a)
    #expect(!allFinite(gv))
  }

  @Test func nonFiniteInputThrows() {
    #expect(throws: LinalgError.noConvergence(op: "Linalg.svd", batchIndex: 0)) { try Linalg.svd(Tensor.full([2, 3], .infinity)) }
  }
}
