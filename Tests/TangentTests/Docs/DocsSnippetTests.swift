import Foundation
import Tangent
import TangentTesting
import Testing

/// The code of the DocC articles (Sources/Tangent/Tangent.docc), line for line: each test
/// compiles an article's snippets and checks the values the article states, so the articles
/// cannot drift from the API.
@Suite struct DocsSnippetTests {
  @Test func landingPage() {
    let x = Tensor([0.5, -1.0, 2.0])
    let f = { (x: Tensor) in (x * x).sin().exp().sum() }
    let (y, dy) = jvp(of: f, at: x, along: Tensor([1.0, 0.0, 0.0]))
    let g = gradient(of: f, at: x)
    let H = hessian(of: f, at: x)
    #expect(abs(dy.scalar - g.doubles[0]) < 1e-12)
    #expect(H.shape == [3, 3])
    #expect(y.shape == [])
  }

  @Test func gettingStartedTensors() {
    let a = Tensor([1.0, 2.0, 3.0])
    let m = Tensor([[1.0, 2.0], [3.0, 4.0]])
    let z = Tensor.zeros([2, 3], dtype: .float32)
    let r = Tensor.randn([4, 4])
    let i = Tensor.arange(0, 5, dtype: .int64)
    let b = m.matmul(m) + 1
    let s = b.sum(dim: 0)
    let t = r.reshaped([2, 8]).transposed()
    let value: Double = s.sum().scalar
    #expect(a.dtype == .float64 && a.shape == [3])
    #expect(m.shape == [2, 2] && z.dtype == .float32)
    #expect(i.dtype == .int64 && i.scalars(as: Int64.self) == [0, 1, 2, 3, 4])
    #expect(b.doubles == [8, 11, 16, 23])
    #expect(s.doubles == [24, 34])
    #expect(t.shape == [8, 2])
    #expect(value == 58)
  }

  @Test func gettingStartedPromotion() {
    // "int64 + float32 is float32, a Swift Double scalar does not raise a float32 tensor".
    let i = Tensor.arange(0, 3, dtype: .int64)
    let f = Tensor.ones([3], dtype: .float32)
    #expect((i + f).dtype == .float32)
    #expect((f * 2.5).dtype == .float32)
  }

  @Test func gettingStartedDerivative() {
    let x = Tensor([0.5, -1.0, 2.0])
    let f = { (x: Tensor) in (x * x).sin().exp().sum() }
    let g = gradient(of: f, at: x)
    let (y, dy) = jvp(of: f, at: x, along: Tensor([1.0, 0.0, 0.0]))
    #expect(abs(dy.scalar - g.doubles[0]) < 1e-12)
    #expect(abs(y.scalar - f(x).scalar) < 1e-12)
  }

  @Test func gettingStartedTraining() {
    let inputs = Tensor.randn([32, 4])
    let targets = inputs.sum(dim: 1, keepdim: true).sin()
    var params: [String: Tensor] = [
      "w": Tensor.randn([4, 1]) * 0.1,
      "b": Tensor.zeros([1]),
    ]
    func loss(_ p: [String: Tensor]) -> Tensor {
      NN.mseLoss(inputs.matmul(p["w"]!) + p["b"]!, targets)
    }
    let before = loss(params).scalar
    for _ in 0..<100 {
      let (value, grad) = valueWithGradient(of: loss, at: params)
      params = params.merging(grad) { p, g in p - 0.1 * g }
      _ = value
    }
    #expect(loss(params).scalar < before)
  }

  @Test func forwardModeOneLevel() {
    let x = Tensor([1.0, 2.0, 3.0])
    let v = Tensor([1.0, 0.0, 0.0])
    let (y, dy) = withDualLevel { level in
      let xd = x.dual(tangent: v, at: level)
      let yd = (xd * xd).sum()
      let (primal, tangent) = yd.unpacked(at: level)
      return (primal, tangent)
    }
    #expect(y.scalar == 14)
    #expect(dy?.scalar == 2)
  }

  @Test func forwardModeNested() {
    let d2: Double = withDualLevel { outer in
      withDualLevel { inner in
        let x = Tensor(2.0)
          .dual(tangent: Tensor(1.0), at: outer)
          .dual(tangent: Tensor(1.0), at: inner)
        let y = x * x * x
        return y.tangent(at: inner)!.tangent(at: outer)!.scalar
      }
    }
    #expect(d2 == 12)
  }

  @Test func forwardModeChunked() {
    let x = Tensor([1.0, 2.0, 3.0])
    let directions = Tensor.eye(3)
    let J = withDualLevel { level in
      x.dual(tangent: directions, at: level).tanh().tangent(at: level)!
    }
    #expect(J.shape == [3, 3])
    #expect(J.allClose(jacfwd(of: { $0.tanh() }, at: x)))
  }

  @Test func transformsTable() {
    let x = Tensor([0.5, -1.0, 2.0])
    let f = { (x: Tensor) in (x * x).sin().exp().sum() }
    let v = Tensor([1.0, 1.0, 1.0])
    let (y, jv) = jvp(of: f, at: x, along: Tensor([1.0, 0.0, 0.0]))
    let (value, pullback) = vjp(of: { $0.tanh() }, at: x)
    let uJ = pullback(Tensor([1.0, 0.0, 0.0]))
    let g = gradient(of: f, at: x)
    let (y2, jvpAt) = linearize(of: { $0.tanh() }, at: x)
    let Jv = jvpAt(v)
    let J1 = jacfwd(of: { $0.tanh() * 2 }, at: x)
    let J2 = jacrev(of: { $0.tanh() * 2 }, at: x, chunkSize: 2)
    let H = hessian(of: f, at: x)
    let (grad, Hv) = hvp(of: f, at: x, along: v)
    #expect(y.allClose(f(x)) && abs(jv.scalar - g.doubles[0]) < 1e-12)
    #expect(value.allClose(x.tanh()) && y2.allClose(x.tanh()))
    #expect(uJ.allClose(J1[0] / 2))
    #expect(Jv.allClose(J1.matmul(v) / 2))
    #expect(J1.shape == [3, 3] && J1.allClose(J2))
    #expect(grad.allClose(g) && Hv.allClose(H.matmul(v)))
  }

  struct Layer: KeyPathTensorTree {
    var weight: Tensor
    var bias: Tensor
    static var tensorKeyPaths: [WritableKeyPath<Layer, Tensor>] { [\.weight, \.bias] }
  }

  @Test func transformsStructured() {
    let layer = Layer(weight: Tensor.randn([3, 2]), bias: Tensor.zeros([2]))
    let input = Tensor.randn([5, 3])
    let dLayer = gradient(of: { (p: Layer) in (input.matmul(p.weight) + p.bias).tanh().sum() }, at: layer)
    #expect(dLayer.weight.shape == [3, 2] && dLayer.bias.shape == [2])

    let (loss, grads, logits) = valueWithGradient(of: { (w: Tensor) in
      let logits = input.matmul(w)
      return (logits.square().mean(), logits)
    }, at: Tensor.randn([3, 2]))
    #expect(loss.shape == [] && grads.shape == [3, 2] && logits.shape == [5, 2])
  }

  @Test func transformsImperative() {
    let w = Tensor([1.0, 2.0]).requiringGrad()
    (w * w).sum().backward()
    #expect(w.grad?.doubles == [2, 4])

    let a = Tensor([1.0, 2.0]).requiringGrad()
    let out = (a * a * a).sum()
    let da = gradients(of: out, wrt: [a], createGraph: true)[0]
    let d2a = gradients(of: da.sum(), wrt: [a])[0]
    #expect(da.doubles == [3, 12])
    #expect(d2a.doubles == [6, 12])
  }

  @Test func customOpFromClosures() {
    let cube = CustomOp(
      name: "cube",
      primal: { x in [x[0] * x[0] * x[0]] },
      jvp: { x, _, dx in [dx[0].map { 3 * x[0] * x[0] * $0 }] },
      vjp: { x, _, gy, needed in [needed[0] ? gy[0].map { 3 * x[0] * x[0] * $0 } : nil] })
    let x = Tensor([1.0, 2.0])
    let y = cube(x)[0]
    let g = gradient(of: { cube($0)[0].sum() }, at: x)
    let h = hessian(of: { cube($0)[0].sum() }, at: x)
    #expect(y.doubles == [1, 8])
    #expect(g.doubles == [3, 12])
    #expect(h.allClose(Tensor([[6.0, 0.0], [0.0, 12.0]])))
    #expect(gradcheck({ cube($0)[0] }, at: Tensor.randn([3])).passed)
  }

  struct Softsign: ElementwiseOp {
    var name: String { "softsign" }
    func primal(_ x: Tensor) -> Tensor { x / (x.abs() + 1) }
    /// d/dx x / (1 + |x|) = 1 / (1 + |x|)².
    func derivative(x: Tensor, y: Tensor) -> Tensor { 1 / (x.abs() + 1).square() }
  }

  @Test func customOpAsType() {
    let s = Tensor.apply(Softsign(), Tensor([-2.0, 0.5]))
    let ds = gradient(of: { Tensor.apply(Softsign(), $0).sum() }, at: Tensor([-2.0, 0.5]))
    #expect(s.allClose(Tensor([-2.0 / 3, 0.5 / 1.5])))
    #expect(ds.allClose(Tensor([1.0 / 9, 1 / 2.25])))
    let result = gradcheck({ Tensor.apply(Softsign(), $0) }, at: Tensor.randn([4, 3]))
    #expect(result.passed, "\(result)")
  }

  @Test func linearAlgebra() throws {
    let a = Tensor.randn([4, 4]) + Tensor.eye(4) * 4
    let b = Tensor.randn([4, 2])
    let dDet = gradient(of: { Linalg.det($0) }, at: a)
    let (sign, logAbsDet) = Linalg.slogdet(a)
    let dLogdet = jvp(of: { Linalg.slogdet($0).logAbsDet }, at: a, along: Tensor.eye(4)).tangent
    let x = try Linalg.solve(a, b)
    let (w, v) = try Linalg.eigh(a + a.mT)
    let inv = try Linalg.inv(a)
    #expect(dDet.allClose(Linalg.det(a) * inv.mT))
    #expect(abs(sign.scalar) == 1 && logAbsDet.shape == [])
    #expect(dLogdet.allClose(inv.trace()))
    #expect(a.matmul(x).allClose(b, atol: 1e-10))
    #expect(w.shape == [4] && v.shape == [4, 4])

    var message = ""
    do {
      _ = try Linalg.inv(Tensor.zeros([3, 3]))
    } catch {
      message = "\(error)"
    }
    #expect(message.contains("inv: the matrix at batch index 0 is singular"), "\(message)")

    let dInv = jvp(of: { try! Linalg.inv($0) }, at: a, along: Tensor.eye(4)).tangent
    #expect(dInv.allClose(-inv.matmul(inv)))

    // "The eigenvalues and singular values themselves keep finite derivatives there"
    // (at repeated values: the identity has one eigenvalue, three times).
    let dEig = jvp(of: { try! Linalg.eigvalsh($0) }, at: Tensor.eye(3), along: Tensor.randn([3, 3])).tangent
    let gSvd = gradient(of: { try! Linalg.svdvals($0).sum() }, at: Tensor.eye(3))
    #expect(dEig.isFinite().all().scalar == 1 && gSvd.isFinite().all().scalar == 1)
  }

  /// The README's relative links (LICENSE, the name table, bench results) name files that
  /// exist, and every article the README and the landing page promise is in the catalog.
  @Test func readmeLinksAndCatalog() {
    let root = RepositoryFiles.root
    let readme = RepositoryFiles.text("README.md")
    let links = readme.split(separator: "](").dropFirst().compactMap { $0.split(separator: ")").first.map(String.init) }
    let local = links.filter { !$0.contains("://") && !$0.hasPrefix("#") }
    #expect(local.contains("LICENSE") && local.contains("Sources/Tangent/Tangent.docc/PyTorchAndJAXNames.md"))
    for link in local {
      #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(link).path), "README links to a missing \(link)")
    }
    let catalog = root.appendingPathComponent("Sources/Tangent/Tangent.docc")
    for article in ["Tangent", "GettingStarted", "ForwardModeAndDualLevels", "TheTransforms", "CustomOps",
                    "LinearAlgebraDerivatives", "Performance", "PyTorchAndJAXNames", "Vmap", "TaylorMode",
                    "SparseDerivatives", "Optimizers", "Modules"] {
      #expect(FileManager.default.fileExists(atPath: catalog.appendingPathComponent(article + ".md").path), "\(article).md")
    }
  }

  /// Every Swift spelling in the name table (PyTorchAndJAXNames.md), called once.
  @Test func nameTableNamesExist() {
    let x = Tensor.randn([2, 3, 4])
    let m = Tensor.randn([3, 3])
    let i = Tensor.arange(0, 2, dtype: .int64)
    let mask = x.gt(Tensor(0.0))
    let f = { (t: Tensor) in t.tanh().sum() }
    withDualLevel { level in
      let d = m.dual(tangent: m, at: level)
      _ = (d.unpacked(at: level), d.tangent(at: level), d.primal(at: level))
    }
    _ = (jvp(of: f, at: m, along: m), vjp(of: f, at: m).value, gradient(of: f, at: m))
    _ = (valueWithGradient(of: f, at: m), jacfwd(of: { $0.tanh() }, at: m, chunkSize: nil))
    _ = (jacrev(of: { $0.tanh() }, at: m, chunkSize: 2), hessian(of: f, at: m), hvp(of: f, at: m, along: m))
    _ = linearize(of: f, at: m).value
    let leaf = m.requiringGrad()
    f(leaf).backward(seed: nil, retainGraph: false, createGraph: false)
    _ = (leaf.requiresGrad, leaf.grad, leaf.isLeaf)
    leaf.zeroGrad()
    _ = gradients(of: [f(leaf)], wrt: [leaf], seeds: nil, createGraph: false, chunked: false)
    _ = withoutDerivative { f(m) }
    _ = m.detached
    _ = (x.logSumExp(dim: 1), m.logAddExp(m), m.logCumSumExp(dim: 0), m.logSoftmax(dim: 1))
    _ = (x.reshaped([6, 4]), x.permuted([2, 0, 1]), x.transposed(0, 1), x.unsqueezed(dim: 0))
    _ = (x.squeezed(), x.squeezed(dim: 0), x.flattened(from: 1, through: 2), x.unflattened(dim: 2, sizes: [2, 2]))
    _ = (m.expanded(to: [2, 3, 3]), x.narrowed(dim: 2, start: 1, length: 2), x.flipped(dims: [0]))
    _ = (m.repeated([2, 1]), m.tiled([2]), x.chunked(2, dim: 2), x.split(size: 2, dim: 2))
    _ = (Tensor.cat([m, m], dim: 0), Tensor.stack([m, m], dim: 0), Tensor.where(mask, x, x))
    _ = (Tensor.blockDiag([m, m]), Tensor.cartesianProd([i, i]), Tensor.multiDot([m, m, m]))
    _ = (m.converted(to: .float32), m[0, 0].scalar, m[0, 0].item(as: Double.self), m.doubles)
    _ = m.converted(to: .float32).scalars(as: Float.self)
    _ = (x.var(dim: 1, correction: 1), x.varMean(dims: [1]), x.stdMean(dims: [1]))
    _ = (m.abs().floatPower(2), m.nanToNum(), m.isNaN(), m.isInf(), m.isFinite())
    _ = (x.maskedFill(mask, value: 0), x.maskedSelect(mask), m.indexSelect(dim: 0, index: i))
    _ = m.indexAdd(dim: 0, index: i, source: Tensor.ones([2, 3]))
    _ = (m.gather(dim: 0, index: Tensor.zeros([2, 3], dtype: .int64)))
    _ = m.scatterAdd(dim: 0, index: Tensor.zeros([2, 3], dtype: .int64), source: Tensor.ones([2, 3]))
    _ = (m.takeAlongDim(Tensor.zeros([3, 1], dtype: .int64), dim: 1), m.repeatInterleave(2, dim: 0))
    _ = (m.diagEmbed(), m.vectorNorm(ord: 2), Linalg.matrixExp(m), m.leakyRelu(negativeSlope: 0.1))
    _ = (m.isClose(m), m.allClose(m), Tensor.zeros([3, 4]), Tensor.eye(3), Tensor.arange(0, 3), Tensor.randn([3]))
  }

  /// CustomOps.md, "Declare how outputs depend on inputs".
  struct ShiftLeft: LinearOp {
    var name: String { "shiftLeft" }
    var sparsity: SparsityRule { .indexMap }
    func primal(_ x: Tensor) -> Tensor { x.narrowed(dim: -1, start: 1, length: x.shape.last! - 1).padded([0, 1]) }
    func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
      gy.narrowed(dim: -1, start: 0, length: gy.shape.last! - 1).padded([1, 0])
    }
  }

  @Test func customOpsSparsity() {
    let p = jacobianSparsity(of: { Tensor.apply(ShiftLeft(), $0) }, at: Tensor.ones([4]))
    #expect(p == SparsityPattern(rows: 4, columns: 4, positions: [(0, 1), (1, 2), (2, 3)]))
    #expect(gradcheck({ [Tensor.apply(ShiftLeft(), $0[0])] }, at: [Tensor.randn([4])]).passed)
  }

  @Test func taylorMode() {
    let x = Tensor([0.5, 1.0])
    let v = Tensor([1.0, 2.0])
    let zero = Tensor.zeros([2])
    let (y, series) = jet(of: { $0.sin() }, at: x, series: [v, zero, zero])
    // y = sin x; series = [cos(x)·v, −sin(x)·v², −cos(x)·v³]
    #expect(y.doubles == x.sin().doubles)
    for (got, expected) in zip(series, [x.cos() * v, -x.sin() * v * v, -x.cos() * v * v * v]) {
      #expect(zip(got.doubles, expected.doubles).allSatisfy { abs($0 - $1) < 1e-14 })
    }

    var g = SeededGenerator(seed: 7)
    let w = Tensor.randn([3, 16], using: &g)
    let a = Tensor.randn([16, 1], using: &g)
    let u = { (x: Tensor) in x.matmul(w).tanh().matmul(a).squeezed(dim: -1) }
    let points = Tensor.randn([8, 3], using: &g)

    let (value, grad, lap) = laplacian(of: u, at: points)   // [8], [8, 3], [8]
    let (_, diagonal) = hessianDiagonal(of: u, at: points)  // [8, 3]
    let (_, bilap) = biharmonic(of: u, at: points)          // [8]
    let (_, estimate, error) = randomizedLaplacian(of: u, at: points, samples: 2, using: &g)
    #expect(value.shape == [8] && grad.shape == [8, 3] && lap.shape == [8])
    #expect(diagonal.shape == [8, 3] && bilap.shape == [8] && estimate.shape == [8] && error.shape == [8])
    let trace = diagonal.sum(dim: -1)
    #expect(zip(lap.doubles, trace.doubles).allSatisfy { abs($0 - $1) < 1e-12 * (1 + abs($1)) })
  }
}
