import Foundation
import Tangent
import TangentTesting
import Testing

// Regression tests for the edge shapes (0-d, empty, size-1) and PyTorch OpInfo samples that
// used to crash or give another answer than PyTorch (issue 10, defects 10 and 11). The edge
// suite of the op database (`OpDatabaseTests.edgeChecks`) runs the generic checks on these
// shapes; the tests here pin the values and the derivatives PyTorch gives.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

/// Calls a record's golden adapter with positional arguments and keywords.
private func golden(_ torchName: String, _ arguments: [GoldenArgument], _ keywords: [String: JSONValue] = [:]) throws -> [Tensor] {
  let record = try #require(OpDatabase.record(torchName: torchName), "no record answers to \(torchName)")
  let adapter = try #require(record.golden, "\(record.name) has no golden adapter")
  return try adapter(GoldenCall(op: torchName, arguments: arguments, keywords: keywords))
}

/// Central finite differences of a scalar-valued `f` along `v` at `x`.
private func finiteDifference(_ f: (Tensor) -> Tensor, at x: Tensor, along v: Tensor, eps: Double = 1e-6) -> Tensor {
  (f(x + v * eps) - f(x - v * eps)) / (2 * eps)
}

@Suite struct EdgeShapeRegressionTests {
  // MARK: - Reductions

  @Test func meanOfZeroDimOverDimZeroAndMinusOne() {
    let x = Tensor(2.5)
    for dim in [0, -1] {
      let m = x.mean(dims: [dim])
      #expect(m.shape == [])
      expectClose(m, [2.5], "mean over dim \(dim)")
      #expect(x.mean(dims: [dim], keepdim: true).shape == [])
      let (_, dm) = jvp(of: { $0.mean(dims: [dim]) }, at: x, along: Tensor(1.0))
      expectClose(dm, [1], "JVP over dim \(dim)")
    }
    // Integer input gives float64, as in PyTorch.
    #expect(Tensor(3).mean(dims: [0]).dtype == .float64)
  }

  /// The variance over an empty dim has NaN values (as in PyTorch) but a zero derivative:
  /// the output depends on no element.
  @Test func varianceOverAnEmptyDimHasAZeroDerivative() {
    let x = Tensor.zeros([3, 0])
    let (y, dy) = jvp(of: { $0.var(dims: [1]) }, at: x, along: Tensor.zeros([3, 0]))
    #expect(y.doubles.allSatisfy { $0.isNaN })
    #expect(dy.shape == [3])
    expectClose(dy, [0, 0, 0], "JVP of var over an empty dim")
    // The whole of an empty input.
    let (v, dv) = jvp(of: { $0.var() }, at: Tensor.zeros([0]), along: Tensor.zeros([0]))
    #expect(v.scalar.isNaN)
    expectClose(dv, [0], "JVP of var of an empty input")
    let (_, pullback) = vjp(of: { $0.var(dims: [1]) }, at: x)
    #expect(pullback(Tensor.ones([3])).shape == [3, 0])
    // A non-empty dim still follows 2(x − x̄)/(N − 1).
    let z = Tensor([1.0, 2.0, 4.0])
    let (_, dz) = jvp(of: { $0.var() }, at: z, along: Tensor([1.0, 0.0, 0.0]))
    expectClose(dz, [2 * (1 - 7.0 / 3) / 2], "JVP of var")
  }

  // MARK: - Index ops on 0-d tensors

  @Test func indexOpsOnZeroDimTensors() {
    let x = Tensor(3.0)
    let zero = Tensor(shape: [1], scalars: [Int64(0)])
    let scalarIndex = Tensor(Int64(-1))
    #expect(x.indexSelect(dim: 0, index: zero).shape == [])
    expectClose(x.indexSelect(dim: -1, index: Tensor(Int64(0))), [3])
    expectClose(x.indexFill(dim: 0, index: zero, value: -1), [-1])
    expectClose(x.indexFill(dim: -1, index: scalarIndex, value: Tensor(7.0)), [7])
    expectClose(x.indexCopy(dim: 0, index: zero, source: Tensor(5.0)), [5])
    expectClose(x.indexAdd(dim: 0, index: zero, source: Tensor(5.0)), [8])
    #expect(x.indexAdd(dim: 0, index: zero, source: Tensor([5.0])).shape == [])
    // Derivatives: index_select and index_add pass the tangent through; index_copy takes the
    // source's; index_fill blocks it.
    let g = gradient(of: { $0.indexSelect(dim: 0, index: zero) * 2 }, at: x)
    expectClose(g, [2])
    let (_, dc) = jvp(of: { Tensor.zeros([]).indexCopy(dim: 0, index: zero, source: $0) }, at: x, along: Tensor(1.0))
    expectClose(dc, [1])
    let (_, df) = jvp(of: { $0.indexFill(dim: 0, index: zero, value: 1) }, at: x, along: Tensor(1.0))
    expectClose(df, [0])
  }

  @Test func indexSelectOnZeroDimNeedsOneIndex() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor(3.0).indexSelect(dim: 0, index: Tensor(shape: [2], scalars: [Int64(0), 0]))
    }
    #expect(stderrText(r).contains("indexSelect: a 0-d tensor takes one index, got 2"), "\(stderrText(r))")
    let r1 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor(3.0).indexFill(dim: 0, index: Tensor(shape: [1], scalars: [Int64(1)]), value: 0)
    }
    #expect(stderrText(r1).contains("index 1 is out of range"), "\(stderrText(r1))")
  }

  // MARK: - Linear algebra of empty matrices

  @Test func normsAndConditionNumbersOfEmptyMatrices() {
    let empty = Tensor.zeros([0, 0])
    let orders: [Linalg.NormOrder] = [.fro, .nuc, .p(2), .p(-2), .p(1), .p(-1), .p(.infinity), .p(-.infinity)]
    for ord in orders {
      let n = Linalg.matrixNorm(empty, ord: ord)
      #expect(n.shape == [], "\(ord)")
      expectClose(n, [0], "matrix norm \(ord) of 0 × 0")
      #expect(gradient(of: { Linalg.matrixNorm($0, ord: ord) }, at: empty).shape == [0, 0])
    }
    expectClose(Linalg.matrixNorm(Tensor.zeros([2, 3, 0]), ord: .p(1)), [0, 0])
    #expect(Linalg.matrixNorm(Tensor.zeros([0, 0]), keepdim: true).shape == [1, 1])
    for p: Linalg.NormOrder? in [nil, .p(-2), .fro, .nuc, .p(1), .p(.infinity)] {
      expectClose(Linalg.cond(empty, p: p), [0], "cond \(String(describing: p)) of 0 × 0")
    }
    #expect(Linalg.cond(Tensor.zeros([0, 3, 3])).shape == [0])
  }

  @Test func householderProductWithNoReflectors() {
    let a = Tensor.randn([4, 3]), tau = Tensor.zeros([0])
    let q = Linalg.householderProduct(a, tau)
    expectClose(q, Tensor.eye(4, 3).doubles, "no reflectors give the identity's columns")
    let (_, pullback) = vjp(of: { (x: [Tensor]) in Linalg.householderProduct(x[0], x[1]) }, at: [a, tau])
    let g = pullback(Tensor.ones([4, 3]))
    #expect(g[0].shape == [4, 3] && g[1].shape == [0])
    expectClose(g[0], [Double](repeating: 0, count: 12))
    let e = Linalg.householderProduct(Tensor.zeros([0, 0]), Tensor.zeros([0]))
    #expect(e.shape == [0, 0])
  }

  @Test func vanderOfAZeroDimInput() {
    let x = Tensor(2.0)
    let v = Linalg.vander(x)
    #expect(v.shape == [1, 1])
    expectClose(Linalg.vander(x, n: 3), [1, 2, 4])
    #expect(Linalg.vander(x, n: 3).shape == [1, 3])
    let (_, dv) = jvp(of: { Linalg.vander($0, n: 3) }, at: x, along: Tensor(1.0))
    expectClose(dv, [0, 1, 4], "d(1, x, x²) = (0, 1, 2x)")
  }

  /// PyTorch's own sample: after moving dims 0 and 2 to the end, A is [3, 2, 6] and B [2, 3].
  @Test func tensorsolveWithDims() throws {
    var rng = TestRandom(seed: 3)
    let m = rng.tensor([6, 6]) + Tensor.eye(6) * 4
    let a = m.reshaped([3, 2, 6]).permuted([1, 0, 2])
    let b = rng.tensor([2, 3])
    let x = try Linalg.tensorsolve(a, b, dims: [0, 2])
    #expect(x.shape == [6])
    // tensordot(A moved, X) = B, as counts: the moved A as a 6 × 6 matrix times X is B flattened.
    let moved = a.movedim([0, 2], to: [1, 2]).reshaped([6, 6])
    expectClose(moved.matmul(x), b.reshaped([6]).doubles, atol: 1e-10, rtol: 1e-10)
    let result = gradcheck({ [try! Linalg.tensorsolve($0[0], $0[1], dims: [0, 2])] }, at: [a, b])
    #expect(result.passed, "\(result)")
  }

  // MARK: - Shapes

  @Test func chunkOfAnEmptyTensorGivesTheChunksAskedFor() {
    let pieces = Tensor.zeros([0, 3]).chunked(3)
    #expect(pieces.count == 3)
    #expect(pieces.allSatisfy { $0.shape == [0, 3] })
    let columns = Tensor.zeros([2, 0]).chunked(4, dim: -1)
    #expect(columns.count == 4 && columns.allSatisfy { $0.shape == [2, 0] })
    // Non-empty dims keep PyTorch's ⌈n / chunks⌉ rule, which may give fewer pieces.
    #expect(Tensor.zeros([5]).chunked(4).map(\.shape) == [[2], [2], [1]])
  }

  @Test func expandAsAdapter() throws {
    let x = Tensor.randn([5, 1, 1])
    let y = try golden("expand_as", [.tensor(x), .tensor(Tensor.zeros([5, 5, 5]))])
    #expect(y[0].shape == [5, 5, 5])
    expectClose(y[0], x.expanded(to: [5, 5, 5]).doubles)
    let s = try golden("expand_as", [.tensor(Tensor(2.0)), .tensor(Tensor.zeros([1, 1]))])
    #expect(s[0].shape == [1, 1])
    expectClose(s[0], [2])
    // expand keeps taking a size list.
    let e = try golden("expand", [.tensor(x), .value(.array([.number(5), .number(-1), .number(4)]))])
    #expect(e[0].shape == [5, 1, 4])
  }

  @Test func rmatmulAdapterSwapsTheOperands() throws {
    let v = Tensor.randn([3]), m = Tensor.randn([3, 4])
    // `m.__rmatmul__(v)` is `v @ m`.
    let y = try golden("__rmatmul__", [.tensor(m), .tensor(v)])
    #expect(y[0].shape == [4])
    expectClose(y[0], v.matmul(m).doubles, atol: 1e-12, rtol: 1e-12)
    let z = try golden("matmul", [.tensor(v), .tensor(m)])
    expectClose(z[0], v.matmul(m).doubles)
  }

  // MARK: - Masked norms: the order comes before the dims

  @Test func maskedNormAdaptersReadTheOrderFirst() throws {
    let x = Tensor([3.0, -4.0, 1.0])
    let n = try golden("masked.norm", [.tensor(x), .value(.number(2)), .value(.number(0))])
    expectClose(n[0], [Foundation.sqrt(26.0)])
    let one = try golden("masked.norm", [.tensor(x), .value(.number(1)), .value(.number(-1))], ["keepdim": .bool(true)])
    #expect(one[0].shape == [1])
    expectClose(one[0], [8])
    let s = try golden("masked.norm", [.tensor(Tensor(-2.0)), .value(.number(2)), .value(.array([]))])
    expectClose(s[0], [2])
    let u = try golden("masked.normalize", [.tensor(x), .value(.number(1)), .value(.number(0))])
    expectClose(u[0], [3 / 8.0, -4 / 8.0, 1 / 8.0])
    let z = try golden("masked.normalize", [.tensor(Tensor(-2.0)), .value(.number(2)), .value(.number(0))])
    expectClose(z[0], [-1])
    // −∞: the smallest magnitude, masked-out elements count as +∞.
    let mask = Tensor([true, true, false])
    expectClose(Masked.norm(x, ord: -.infinity, mask: mask), [3])
  }

  // MARK: - Convolution

  /// PyTorch's own sample: width 4, kernel 3, stride 2, padding 2; the windows cover 7 of the
  /// 8 padded columns.
  @Test func conv1dStrideTwoPaddingTwoReverseRule() {
    var rng = TestRandom(seed: 5)
    let x = rng.tensor([1, 3, 4]), w = rng.tensor([3, 3, 3]), b = rng.tensor([3])
    let y = NN.conv1d(x, weight: w, bias: b, stride: 2, padding: 2)
    #expect(y.shape == [1, 3, 3])
    let result = gradcheck({ [NN.conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 2)] }, at: [x, w, b])
    #expect(result.passed, "\(result)")
  }

  // MARK: - Embedding's padding row

  /// PyTorch's conventions: the padding row gets no gradient in backward, but forward AD sees
  /// that the output reads it (finite differences agree with the JVP).
  @Test func embeddingPaddingRowJVPIsNonzeroAndVJPIsZero() {
    let weight = Tensor.randn([4, 2])
    let input = Tensor(shape: [3], scalars: [Int64(1), 0, 1])
    let f = { (w: Tensor) in NN.embedding(input, weight: w, paddingIndex: 1) }
    let direction = Tensor.ones([4, 2])
    let (_, dy) = jvp(of: f, at: weight, along: direction)
    expectClose(dy, [1, 1, 1, 1, 1, 1], "the JVP reads the padding row")
    expectClose(dy, finiteDifference(f, at: weight, along: direction).doubles, atol: 1e-8, rtol: 1e-8)
    let g = gradient(of: { f($0).sum() }, at: weight)
    expectClose(g, [1, 1, 0, 0, 0, 0, 0, 0], "row 1 is padding: no gradient")
    // Forward-over-reverse (the HVP path) sees the same zero row.
    let (_, hv) = hvp(of: { (f($0) * f($0)).sum() }, at: weight, along: direction)
    #expect(hv.doubles[2] == 0 && hv.doubles[3] == 0)
  }

  // MARK: - Cross entropy's message

  @Test func crossEntropyNamesInt64ClassIndices() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      // A float64 tensor of class indices, as `Tensor([0.0, 2.0])` would be.
      _ = NN.crossEntropy(Tensor.zeros([2, 3]), Tensor([0.0, 2.0]))
    }
    #expect(stderrText(r).contains("class-index targets must be int64"), "\(stderrText(r))")
  }
}

/// PyTorch's conv1d sample passes `stride=(2,)`: the adapter reads 1-tuples as sizes (it used to
/// take the default stride 1, so the output, and the golden cotangent, had the wrong shape).
@Test func conv1dAdapterReadsOneTupleSizes() throws {
  let x = Tensor.randn([1, 3, 4]), w = Tensor.randn([3, 3, 3]), b = Tensor.randn([3])
  let record = try #require(OpDatabase.record(torchName: "nn.functional.conv1d"))
  let y = try record.golden!(GoldenCall(
    op: "nn.functional.conv1d", arguments: [.tensor(x), .tensor(w), .tensor(b)],
    keywords: ["stride": .array([.number(2)]), "padding": .number(2), "groups": .number(1)]))
  #expect(y[0].shape == [1, 3, 3])
  #expect(y[0].allClose(NN.conv1d(x, weight: w, bias: b, stride: 2, padding: 2), rtol: 1e-12, atol: 1e-12))
}
