import Testing
import Tangent
import TangentTesting

/// x ↦ x³ with hand-written rules (the VJP conjugates the derivative, PyTorch's convention).
let cube = CustomOp(
  name: "cube",
  primal: { x in [x[0] * x[0] * x[0]] },
  jvp: { x, _, dx in [dx[0].map { 3 * x[0] * x[0] * $0 }] },
  vjp: { x, _, gy, needed in [needed[0] ? gy[0].map { (3 * x[0] * x[0]).conj() * $0 } : nil] })

/// The same op with a wrong derivative (2x² instead of 3x²), which gradcheck must catch.
let wrongCube = CustomOp(
  name: "wrongCube",
  primal: { x in [x[0] * x[0] * x[0]] },
  jvp: { x, _, dx in [dx[0].map { 2 * x[0] * x[0] * $0 }] },
  vjp: { x, _, gy, _ in [gy[0].map { 2 * x[0] * x[0] * $0 }] })

/// x ↦ Σx claiming chunked cotangents but ignoring the chunk dim (it broadcasts `gy` as if it
/// were a scalar): the engine stops on the cotangent without its chunk dim.
let wrongChunkedSum = CustomOp(
  name: "wrongChunkedSum",
  primal: { x in [x[0].sum()] },
  jvp: { _, _, dx in [dx[0].map { $0.sum(dims: [-1]) }] },
  vjp: { x, _, gy, _ in [gy[0].map { $0.expanded(to: x[0].shape) }] },
  acceptsChunkedCotangents: true)

/// The same sum with a chunk-aware VJP.
let chunkedSum = CustomOp(
  name: "chunkedSum",
  primal: { x in [x[0].sum()] },
  jvp: { _, _, dx in [dx[0].map { $0.sum(dims: [-1]) }] },
  vjp: { x, _, gy, _ in [gy[0].map { $0.unsqueezed(dim: -1).expanded(to: $0.shape + x[0].shape) }] },
  acceptsChunkedCotangents: true)

@Suite struct CustomOpTests {
  @Test func chunkedCotangentClaimsAreChecked() async {
    let x = Tensor([0.5, 1.5, -2.0])
    // A rule that drops the chunk dim used to be broadcast over the K members, every member
    // getting the same cotangent; now the engine stops with the shapes.
    let wrong = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = jacrev(of: { wrongChunkedSum($0)[0].expanded(to: [3]) * Tensor([1.0, 2.0, 3.0]) }, at: Tensor([0.5, 1.5, -2.0]))
    }
    let text = wrong.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
    #expect(text.contains("wrongChunkedSum: the VJP rule gave a cotangent of shape [3] for an input cotangent of shape [3, 3]"), "\(text)")
    #expect(gradcheck({ wrongChunkedSum($0)[0] }, at: x, options: { var o = GradcheckOptions(); o.checkChunked = false; return o }()).passed)
    let right = gradcheck({ chunkedSum($0)[0] }, at: x)
    #expect(right.passed, "\(right)")
    #expect(right.checked.contains { $0.hasPrefix("chunked vjp") })
  }

  @Test func customOpPassesEveryCheck() {
    var rng = TestRandom(seed: 5)
    let r = gradcheck({ cube($0)[0].sin() }, at: rng.tensor([4]))
    #expect(r.passed, "\(r)")
    let c = gradcheck({ cube($0)[0] }, at: rng.tensor([3], dtype: .complex128))
    #expect(c.passed, "\(c)")
  }

  @Test func customOpInEveryTransform() {
    let x = Tensor([0.5, -1.0])
    #expect(jvp(of: { cube($0)[0] }, at: x, along: Tensor([1.0, 1.0])).tangent.doubles == [0.75, 3])
    #expect(gradient(of: { cube($0)[0].sum() }, at: x).doubles == [0.75, 3])
    #expect(hessian(of: { cube($0)[0].sum() }, at: x).doubles == [3, 0, 0, -6])
    #expect(jacrev(of: { cube($0)[0] }, at: x).doubles == [0.75, 0, 0, 3])
  }

  @Test func gradcheckCatchesAWrongRule() {
    let r = gradcheck({ wrongCube($0)[0] }, at: Tensor([0.5, 1.5]))
    #expect(!r.passed)
    #expect(r.failures.contains { $0.hasPrefix("jvp") })
    #expect(r.failures.contains { $0.hasPrefix("vjp") })
  }
}
