import Foundation
import Testing
import TangentTesting

@testable import Tangent

// Issue 10, defects 6 and 9 and the throwing transforms: chunked directions are asked for
// explicitly (jvp, vjp, linearize, hvp), a direction of the wrong shape stops with a message
// naming the transform and both shapes, a rule that drops the chunk dimension is caught, the
// transforms rethrow, and hessian names itself.

/// The standard error of an exit test, as text.
private func stderrText(_ result: ExitTest.Result?) -> String {
  result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
}

@Suite struct TransformContractTests {
  var rng = TestRandom(seed: 10)
  let f = { (x: Tensor) in (x.sin() * x).tanh() * 3 }

  @Test func jvpWithATangentOfAnotherShapeStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = jvp(of: { $0.sin() }, at: Tensor([1.0, 2.0, 3.0]), along: Tensor.ones([2, 3]))
    }
    let text = stderrText(r)
    #expect(text.contains("jvp: a tangent of shape [2, 3] does not fit a primal of shape [3]"), "\(text)")
    #expect(text.contains("chunked: true"), "the message says how to push several directions: \(text)")
    let r2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = jvp(of: { $0.sin() }, at: Tensor([1.0, 2.0, 3.0]), along: Tensor.ones([3]), chunked: true)
    }
    #expect(stderrText(r2).contains("jvp: a chunked tangent of shape [3] does not fit a primal of shape [3] (expected [K] + [3])"), "\(stderrText(r2))")
    let r3 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = jvp(of: { $0[0] * $0[1] }, at: [Tensor.ones([3]), Tensor.ones([3])], along: [Tensor.ones([2, 3]), Tensor.ones([4, 3])], chunked: true)
    }
    #expect(stderrText(r3).contains("jvp: chunked tangents have different chunk sizes (2 and 4)"), "\(stderrText(r3))")
  }

  @Test mutating func chunkedJVPEqualsSingleJVPs() {
    let x = rng.tensor([2, 3])
    let dirs = (0..<4).map { _ in rng.tensor([2, 3]) }
    let (y, t) = jvp(of: f, at: x, along: Tensor.stack(dirs, dim: 0), chunked: true)
    #expect(t.shape == [4, 2, 3])
    expectClose(y, f(x), tol: 0)
    for (k, d) in dirs.enumerated() {
      expectClose(t.select(dim: 0, index: k), jvp(of: f, at: x, along: d).tangent, tol: 1e-13)
    }
  }

  @Test mutating func chunkedPullbackEqualsSinglePullbacks() async {
    let x = rng.tensor([2, 3])
    let (_, pullback) = vjp(of: f, at: x, chunked: true)
    let (_, single) = vjp(of: f, at: x)
    let cots = (0..<3).map { _ in rng.tensor([2, 3]) }
    let g = pullback(Tensor.stack(cots, dim: 0))
    #expect(g.shape == [3, 2, 3])
    for (k, u) in cots.enumerated() { expectClose(g.select(dim: 0, index: k), single(u), tol: 1e-13) }
    // Without `chunked`, a stacked cotangent is a shape error, not K cotangents.
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let (_, pb) = vjp(of: { (x: Tensor) in x.sin() }, at: Tensor.ones([2, 3]))
      _ = pb(Tensor.ones([3, 2, 3]))
    }
    #expect(stderrText(r).contains("vjp: a cotangent of shape [3, 2, 3] does not fit a primal of shape [2, 3]"), "\(stderrText(r))")
  }

  @Test mutating func chunkedHVPEqualsSingleHVPs() {
    let x = rng.tensor([3])
    let scalar = { (x: Tensor) in (x.sin() * x).sum() }
    let dirs = (0..<2).map { _ in rng.tensor([3]) }
    let (_, hv) = hvp(of: scalar, at: x, along: Tensor.stack(dirs, dim: 0), chunked: true)
    for (k, d) in dirs.enumerated() { expectClose(hv.select(dim: 0, index: k), hvp(of: scalar, at: x, along: d).hvp, tol: 1e-13) }
  }

  /// A rule that forgets the chunk dimension gave a tangent that the engine used to broadcast
  /// over the K directions, so every direction got the same (wrong) tangent.
  @Test func aRuleThatDropsTheChunkDimensionStops() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let bad = CustomOp(
        name: "dropsChunk", primal: { [$0[0] * 2] },
        jvp: { x, _, dx in [dx[0].map { $0.rank > x[0].rank ? $0.select(dim: 0, index: 0) * 2 : $0 * 2 }] },
        vjp: { _, _, gy, _ in [gy[0].map { $0 * 2 }] })
      _ = jvp(of: { bad($0)[0] }, at: Tensor.ones([3]), along: Tensor.ones([2, 3]), chunked: true)
    }
    #expect(stderrText(r).contains("dropsChunk: the JVP rule gave a tangent of shape [3] for an output tangent of shape [2, 3]"), "\(stderrText(r))")
  }

  /// sum, softmax, relu and permute take chunked cotangents (one backward pass for K rows of
  /// a Jacobian): jacrev through them equals jacfwd.
  @Test mutating func jacrevThroughOpsThatTakeChunkedCotangents() {
    let x = rng.tensor([3, 4])
    let g = { (x: Tensor) in x.relu().permuted([1, 0]).softmax(dim: 1).sum(dims: [1]) * x.sum(dims: [0]).sin() }
    let rev = jacrev(of: g, at: x, chunkSize: 3)
    expectClose(rev, jacfwd(of: g, at: x), tol: 1e-12)
    #expect(rev.shape == [4, 3, 4])
  }

  @Test func transformsRethrow() throws {
    // Differentiating a throwing function needs `try`, not `try!`.
    let a = Tensor([[4.0, 1.0], [1.0, 3.0]])
    let logdet = { (m: Tensor) throws -> Tensor in try Linalg.cholesky(m).diagonal().log().sum() * 2 }
    let inverse = try Linalg.inv(a)
    let g = try gradient(of: logdet, at: a)
    expectClose(g, inverse.mT, tol: 1e-12)
    let (_, t) = try jvp(of: logdet, at: a, along: Tensor.eye(2))
    expectClose(t, inverse.diagonal().sum(), tol: 1e-12)
    #expect(try hessian(of: logdet, at: a).shape == [2, 2, 2, 2])
    #expect(try jacrev(of: { try Linalg.cholesky($0) }, at: a).shape == [2, 2, 2, 2])
    #expect(try jacfwd(of: { try Linalg.cholesky($0) }, at: a).shape == [2, 2, 2, 2])
    _ = try vjp(of: { try Linalg.cholesky($0) }, at: a)
    _ = try linearize(of: { try Linalg.cholesky($0) }, at: a)
    _ = try hvp(of: logdet, at: a, along: Tensor.eye(2))
    // A function that throws passes its error through.
    let notPD = Tensor([[1.0, 2.0], [2.0, 1.0]])
    #expect(throws: LinalgError.self) { _ = try gradient(of: logdet, at: notPD) }
    #expect(throws: LinalgError.self) { _ = try jvp(of: logdet, at: notPD, along: notPD) }
  }

  @Test func hessianOfANonScalarFunctionNamesHessian() async {
    let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = hessian(of: { $0.sin() }, at: Tensor([1.0, 2.0, 3.0]))
    }
    let text = stderrText(r)
    #expect(text.contains("hessian: the function must return a single element, got shape [3]"), "\(text)")
    #expect(!text.contains("gradient:"), "\(text)")
  }
}
