import Testing

@testable import Tangent

// Found by PyTorch's OpInfo samples after the engine began to check a rule's tangent shape:
// an unchunked term of lower rank (a 0-d operand of `add`) must still broadcast, while a
// chunked tangent must keep its chunk dimension.
@Suite struct FitTangentTests {
  /// addcmul of a [5, 5] tensor with two 0-d factors, differentiated twice along the factors:
  /// inside the outer JVP the inner rule adds a 0-d term to a [5, 5] output.
  @Test func aLowerRankTermBroadcastsUnderForwardOverForward() {
    let base = Tensor.randn([5, 5])
    let f = { (x: Tensor) in base.addcmul(x, x, value: 3) }
    // d/dx of 3x² is 6x, and d²/dx² is 6, at every element.
    let (_, second) = jvp(of: { x in jvp(of: f, at: x, along: Tensor(1.0)).1 }, at: Tensor(0.5), along: Tensor(1.0))
    #expect(second.shape == [5, 5])
    #expect(second.doubles.allSatisfy { abs($0 - 6) < 1e-12 })
  }

  @Test func aChunkedLowerRankTermKeepsItsChunk() {
    let base = Tensor.randn([2, 3])
    let (_, t) = jvp(of: { base + $0 }, at: Tensor(1.0), along: Tensor([1.0, 2.0, 3.0, 4.0]), chunked: true)
    #expect(t.shape == [4, 2, 3])
    #expect(t[3].doubles.allSatisfy { $0 == 4 })
  }

  @Test func scatterReduceExtremaOnZeroDimTensors() {
    let x = Tensor(-4.0), source = Tensor(-7.5), index = Tensor(Int64(0))
    #expect(x.scatterReduce(dim: 0, index: index, source: source, reduce: .amin, includeSelf: false).scalar == -7.5)
    #expect(x.scatterReduce(dim: 0, index: index, source: source, reduce: .amax, includeSelf: true).scalar == -4.0)
  }
}

@Suite struct OpInfoFollowUpTests {
  /// PyTorch's logsumexp of a 0-d complex tensor is the principal log(eˣ): its imaginary
  /// part is wrapped into (−π, π].
  @Test func logSumExpOfAZeroDimComplexIsPrincipal() {
    let x = Tensor.complex(real: Tensor(-4.8), imaginary: Tensor(-7.5))
    let y = x.logSumExp(dims: [0])
    #expect(abs(y.real.scalar - -4.8) < 1e-12)
    #expect(abs(y.imag.scalar - (-7.5 + 2 * Double.pi)) < 1e-12)
  }
}

extension OpInfoFollowUpTests {
  /// PyTorch's out-of-place masked_scatter broadcasts the tensor and the mask together.
  @Test func maskedScatterBroadcastsTheTensorWithTheMask() {
    let x = Tensor([1.0, 2.0, 3.0])
    let mask = Tensor([[true, false, false], [false, false, true]])
    let y = x.maskedScatter(mask, source: Tensor([10.0, 20.0]))
    #expect(y.shape == [2, 3])
    #expect(y.doubles == [10, 2, 3, 1, 2, 20])
    // The tensor's cotangent sums over the broadcast rows where the mask is false.
    let g = gradient(of: { $0.maskedScatter(mask, source: Tensor([10.0, 20.0])).sum() }, at: x)
    #expect(g.doubles == [1, 2, 1])
  }
}

extension OpInfoFollowUpTests {
  /// PyTorch's gather skips its shape checks for an empty index and returns an empty tensor
  /// of the index's shape; a non-empty index of another rank still stops (IndexBoundsTests).
  @Test func gatherWithAnEmptyIndexOfAnotherRank() {
    let y = Tensor([1.0, 2.0, 3.0, 4.0, 5.0]).gather(dim: 0, index: Tensor.zeros([2, 0], dtype: .int64))
    #expect(y.shape == [2, 0])
    #expect(y.dtype == .float64)
  }
}

extension OpInfoFollowUpTests {
  /// A 0-d input gathers with a 1-d index, as PyTorch allows; the result has the index's shape.
  @Test func gatherFromAZeroDimInputWithAOneDimIndex() {
    let y = Tensor(2.5).gather(dim: 0, index: Tensor([Int64(0), 0]))
    #expect(y.shape == [2])
    #expect(y.doubles == [2.5, 2.5])
    #expect(gradient(of: { $0.gather(dim: 0, index: Tensor([Int64(0), 0])).sum() }, at: Tensor(2.5)).scalar == 2)
  }
}

extension OpInfoFollowUpTests {
  /// l1_loss of a complex input and a real target of the same precision promotes, as PyTorch.
  @Test func l1LossPromotesARealTargetOfAComplexInput() {
    let input = Tensor.complex(real: Tensor([3.0, 0.0]), imaginary: Tensor([4.0, 1.0]))
    let loss = NN.l1Loss(input, Tensor([0.0, 0.0]), reduction: .sum)
    #expect(abs(loss.scalar - 6) < 1e-12)
    #expect(loss.dtype == .float64)
  }
}

extension OpInfoFollowUpTests {
  /// `x[mask]` with a bool mask over the leading dims selects those rows, as in PyTorch.
  @Test func subscriptWithABoolMaskSelectsRows() {
    let x = Tensor(shape: [3, 2], scalars: [1.0, 2, 3, 4, 5, 6])
    let y = x[Tensor([true, false, true])]
    #expect(y.shape == [2, 2])
    #expect(y.doubles == [1, 2, 5, 6])
    let g = gradient(of: { $0[Tensor([true, false, true])].sum() }, at: x)
    #expect(g.doubles == [1, 1, 0, 0, 1, 1])
  }
}
