import Tangent
import TangentTesting
import Testing

/// Regression tests for the defects PyTorch's OpInfo sample inputs found (issue 10, defect 11):
/// wrong derivatives, missing outputs and missing arguments. Derivatives are checked against
/// finite differences (`gradcheck`) and outputs against values worked out by hand.
@Suite struct OpInfoSampleFixTests {
  /// Calls the golden adapter of a PyTorch op, as the conformance runner does.
  func golden(_ op: String, _ arguments: [GoldenArgument], _ keywords: [String: JSONValue] = [:]) throws -> [Tensor] {
    let record = try #require(OpDatabase.record(torchName: op), "no record answers to \(op)")
    return try record.golden!(GoldenCall(op: op, arguments: arguments, keywords: keywords))
  }

  // MARK: clamp with a 0-d tensor bound

  @Test(arguments: ["clamp_min", "clamp_max", "clamp"])
  func clampZeroDimTensorBoundIsDifferentiable(op: String) throws {
    var rng = TestRandom(seed: 11)
    let x = rng.tensor([3, 4], dtype: .float64, in: -2...2, avoiding: [-0.5, 0.7])
    let low = Tensor.full([], -0.5, dtype: .float64), high = Tensor.full([], 0.7, dtype: .float64)
    let bounds = op == "clamp" ? [low, high] : [op == "clamp_min" ? low : high]
    let f: ([Tensor]) -> [Tensor] = { xs in try! self.golden(op, xs.map { .tensor($0) }) }
    expectGradcheck("\(op) with 0-d tensor bounds", f, at: [x] + bounds)
    // The old adapter turned the bound into a number: its tangent was dropped. Along the bound
    // alone the JVP is 1 at every clamped element.
    let along = [Tensor.zeros([3, 4])] + bounds.map { _ in Tensor.ones([]) }
    let tangent = jvp(of: f, at: [x] + bounds, along: along).tangent[0]
    let clamped = x.doubles.filter { op == "clamp_min" ? $0 < -0.5 : op == "clamp_max" ? $0 > 0.7 : ($0 < -0.5 || $0 > 0.7) }.count
    #expect(clamped > 0)
    #expect(tangent.sum().doubles == [Double(clamped)])
  }

  // MARK: lstsq residuals

  /// ‖A x − b‖² per column, computed directly from the solution.
  func directResiduals(_ a: Tensor, _ b: Tensor, _ x: Tensor) -> Tensor {
    let e = a.matmul(x) - b
    return (e.conj() * e).real.sum(dim: -2)
  }

  @Test func lstsqResidualValuesAndDerivatives() throws {
    var rng = TestRandom(seed: 12)
    for dtype in [DType.float64, .complex128] {
      let a = rng.tensor([2, 5, 3], dtype: dtype), b = rng.tensor([5, 2], dtype: dtype)
      for driver in [Linalg.LstsqDriver.gels, .gelsd] {
        let r = try Linalg.lstsq(a, b, driver: driver)
        #expect(r.residuals.shape == [2, 2])
        expectClose(r.residuals, directResiduals(a, b, r.solution).doubles, atol: 1e-12, rtol: 1e-10, "\(dtype) \(driver) residual values")
        expectGradcheck("\(dtype) \(driver) residuals", { [try! Linalg.lstsq($0[0], $0[1], driver: driver).residuals] }, at: [a, b])
      }
    }
    // PyTorch's conventions: gelsy (the default) computes no residuals, nor does a wide A.
    #expect(try Linalg.lstsq(rng.tensor([5, 3], dtype: .float64), rng.tensor([5, 2], dtype: .float64)).residuals.count == 0)
    #expect(try Linalg.lstsq(rng.tensor([3, 5], dtype: .float64), rng.tensor([3, 2], dtype: .float64), driver: .gelsd).residuals.count == 0)
  }

  @Test func lstsqResidualGradientMatchesTheDirectFormula() throws {
    var rng = TestRandom(seed: 13)
    let a = rng.tensor([6, 3], dtype: .float64), b = rng.tensor([6, 2], dtype: .float64)
    let weights = Tensor([0.7, -1.3])
    let viaResiduals = gradient(of: { (xs: [Tensor]) -> Tensor in
      (try! Linalg.lstsq(xs[0], xs[1], driver: .gelsd).residuals * weights).sum()
    }, at: [a, b])
    let viaSolution = gradient(of: { (xs: [Tensor]) -> Tensor in
      (directResiduals(xs[0], xs[1], try! Linalg.lstsq(xs[0], xs[1], driver: .gelsd).solution) * weights).sum()
    }, at: [a, b])
    // gA = 2 E diag(g) Xᵀ and gB = −2 E diag(g): nonzero, and the same as differentiating
    // ‖A X(A, B) − B‖² through the solution.
    #expect(viaResiduals[1].abs().sum().doubles[0] > 0.1)
    for i in 0..<2 { expectClose(viaResiduals[i], viaSolution[i].doubles, atol: 1e-10, rtol: 1e-8, "gradient \(i)") }
  }

  // MARK: upsample_bilinear

  @Test func upsampleBilinearAlignsCorners() throws {
    let x = Tensor(shape: [1, 1, 2, 2], scalars: [0.0, 1, 2, 3])
    let want = [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3]
    expectClose(NN.upsampleBilinear(x, size: [3, 3]), want, "upsampleBilinear")
    // PyTorch's upsample_bilinear(input, size, scale_factor) takes no mode: the adapter used to
    // fall back to nearest.
    let y = try golden("nn.functional.upsample_bilinear", [.tensor(x), .value(.number(3))])
    expectClose(y[0], want, "upsample_bilinear adapter")
    let z = try golden("nn.functional.upsample_bilinear", [.tensor(x), .value(.null), .value(.number(1.5))])
    expectClose(z[0], want, "upsample_bilinear adapter, scale factor")
    var rng = TestRandom(seed: 14)
    expectGradcheck("upsampleBilinear", { NN.upsampleBilinear($0, scaleFactor: [2]) }, at: rng.tensor([1, 2, 2, 3], dtype: .float64))
  }

  // MARK: LU: get_infos and pivot

  @Test func luWithGetInfosReturnsThreeOutputs() throws {
    var rng = TestRandom(seed: 15)
    let a = rng.tensor([2, 3, 3], dtype: .float64)
    let outputs = try golden("lu", [.tensor(a), .value(.bool(true)), .value(.bool(true))])
    #expect(outputs.count == 3)
    #expect(outputs[2].dtype == .int64 && outputs[2].shape == [2] && outputs[2].scalars(as: Int64.self) == [0, 0])
    #expect(try golden("lu", [.tensor(a)]).count == 2)
    #expect(try golden("lu", [.tensor(a)], ["get_infos": .bool(true)]).count == 3)
    #expect(try golden("linalg.lu_factor_ex", [.tensor(a)], ["pivot": .bool(true)]).count == 3)
    #expect(throws: ConformanceError.self) { try golden("linalg.lu_factor", [.tensor(a)], ["pivot": .bool(false)]) }
    #expect(throws: ConformanceError.self) { try golden("lu", [.tensor(a), .value(.bool(false))]) }
    let (p, l, u) = Linalg.lu(a, pivot: true)
    expectClose(p.matmul(l).matmul(u), a.doubles, atol: 1e-12, rtol: 1e-12, "P L U")
  }

  @Test func luWithoutPivotingStops() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Linalg.luFactorEx(Tensor.eye(3), pivot: false)
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("Linalg.luFactorEx") && message.contains("pivot: false"), "\(message)")
  }

  // MARK: max pooling indices

  /// The flat indices of the maxima, found by brute force over each window's elements.
  func bruteForceIndices(_ x: Tensor, values: Tensor, spatial: Int) -> [Int64] {
    let count = x.shape.suffix(spatial).reduce(1, *)
    let xs = x.doubles, vs = values.doubles
    let perPlane = values.shape.suffix(spatial).reduce(1, *)
    return vs.enumerated().map { i, v in
      let plane = i / perPlane
      let hits = (0..<count).filter { xs[plane * count + $0] == v }
      return hits.count == 1 ? Int64(hits[0]) : -1
    }
  }

  @Test func maxPoolIndicesInOneTwoAndThreeDims() throws {
    var rng = TestRandom(seed: 16)
    let x1 = rng.tensor([2, 3, 8], dtype: .float64)
    let p1 = NN.maxPool1dWithIndices(x1, kernelSize: 3, stride: 2, padding: 1)
    #expect(p1.values.doubles == NN.maxPool1d(x1, kernelSize: 3, stride: 2, padding: 1).doubles)
    #expect(p1.indices.scalars(as: Int64.self) == bruteForceIndices(x1, values: p1.values, spatial: 1))
    let x3 = rng.tensor([1, 2, 4, 5, 4], dtype: .float64)
    let p3 = NN.maxPool3dWithIndices(x3, kernelSize: [2, 3, 2], stride: [2, 1, 2], dilation: [1, 2, 1])
    #expect(p3.values.doubles == NN.maxPool3d(x3, kernelSize: [2, 3, 2], stride: [2, 1, 2], dilation: [1, 2, 1]).doubles)
    #expect(p3.indices.scalars(as: Int64.self) == bruteForceIndices(x3, values: p3.values, spatial: 3))
    let a2 = NN.adaptiveMaxPool2dWithIndices(rng.tensor([2, 7, 5], dtype: .float64), outputSize: [3, nil])
    #expect(a2.indices.shape == [2, 3, 5])
    // Through the adapters, return_indices given positionally.
    let x2 = rng.tensor([1, 2, 7, 5], dtype: .float64)
    let outs = try golden("nn.functional.adaptive_max_pool2d", [.tensor(x2), .value(.array([.number(3), .number(2)])), .value(.bool(true))])
    #expect(outs.count == 2)
    #expect(outs[1].scalars(as: Int64.self) == bruteForceIndices(x2, values: outs[0], spatial: 2))
    #expect(try golden("nn.functional.max_pool1d", [.tensor(x1), .value(.number(3))], ["return_indices": .bool(true)]).count == 2)
    let o3 = try golden(
      "nn.functional.max_pool3d", [.tensor(x3), .value(.number(2)), .value(.null), .value(.number(0)), .value(.number(1)), .value(.bool(false)), .value(.bool(true))])
    #expect(o3.count == 2 && o3[1].scalars(as: Int64.self) == bruteForceIndices(x3, values: o3[0], spatial: 3))
    #expect(try golden("nn.functional.adaptive_max_pool1d", [.tensor(x1), .value(.number(3)), .value(.bool(true))]).count == 2)
    #expect(try golden("nn.functional.adaptive_max_pool3d", [.tensor(x3), .value(.number(2)), .value(.bool(true))]).count == 2)
    expectGradcheck("maxPool3dWithIndices values", { NN.maxPool3dWithIndices($0, kernelSize: 2).values }, at: rng.tensor([1, 1, 4, 4, 4], dtype: .float64))
  }

  // MARK: convolution padding "same" / "valid"

  @Test func convolutionNamedPadding() throws {
    var rng = TestRandom(seed: 17)
    // An even kernel pads unevenly: d·(k − 1) = 3 zeros, 1 before and 2 after.
    let x1 = rng.tensor([2, 3, 7], dtype: .float64), w1 = rng.tensor([2, 3, 4], dtype: .float64)
    let same1 = NN.conv1d(x1, weight: w1, padding: .same)
    #expect(same1.shape == [2, 2, 7])
    expectClose(same1, NN.conv1d(x1.padded([1, 2]), weight: w1).doubles, atol: 1e-12, rtol: 1e-12, "conv1d same")
    let viaAdapter = try golden("nn.functional.conv1d", [.tensor(x1), .tensor(w1), .value(.null), .value(.number(1)), .value(.string("same"))])
    expectClose(viaAdapter[0], same1.doubles, "conv1d adapter")
    expectClose(NN.conv1d(x1, weight: w1, padding: .valid), NN.conv1d(x1, weight: w1).doubles, "conv1d valid")
    let x2 = rng.tensor([1, 2, 5, 4], dtype: .float64), w2 = rng.tensor([3, 2, 3, 2], dtype: .float64)
    let same2 = try golden("nn.functional.conv2d", [.tensor(x2), .tensor(w2)], ["padding": .string("same"), "dilation": .number(2)])
    #expect(same2[0].shape == [1, 3, 5, 4])
    expectClose(same2[0], NN.conv2d(x2.padded([1, 1, 2, 2]), weight: w2, dilation: 2).doubles, atol: 1e-12, rtol: 1e-12, "conv2d same")
    let x3 = rng.tensor([1, 2, 4, 3, 5], dtype: .float64), w3 = rng.tensor([2, 2, 3, 2, 2], dtype: .float64)
    let same3 = try golden("nn.functional.conv3d", [.tensor(x3), .tensor(w3)], ["padding": .string("same")])
    #expect(same3[0].shape == [1, 2, 4, 3, 5])
    expectClose(same3[0], NN.conv3d(x3.padded([0, 1, 0, 1, 1, 1]), weight: w3).doubles, atol: 1e-12, rtol: 1e-12, "conv3d same")
    expectGradcheck("conv3d same", { [NN.conv3d($0[0], weight: $0[1], padding: .same)] }, at: [x3, w3])
    #expect(throws: ConformanceError.self) { try golden("nn.functional.conv2d", [.tensor(x2), .tensor(w2)], ["padding": .string("full")]) }
  }

  @Test func samePaddingWithStrideStops() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NN.conv2d(Tensor.zeros([1, 1, 5, 5]), weight: Tensor.zeros([1, 1, 3, 3]), stride: 2, padding: .same)
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("nn.functional.conv2d") && message.contains("same") && message.contains("stride"), "\(message)")
  }

  // MARK: norm "nuc", scatter reduce, gradient edge order 2, stft return_complex false

  @Test func nuclearNormThroughNorm() throws {
    var rng = TestRandom(seed: 18)
    let x = rng.tensor([3, 4], dtype: .float64)
    let want = try Linalg.svdvals(x).sum().doubles
    expectClose(try golden("norm", [.tensor(x)], ["p": .string("nuc")])[0], want, atol: 1e-12, rtol: 1e-12, "norm p nuc")
    expectClose(try golden("norm", [.tensor(x), .value(.string("nuc"))])[0], want, atol: 1e-12, rtol: 1e-12, "norm positional nuc")
    expectClose(try golden("norm.nuc", [.tensor(x)], ["p": .string("nuc")])[0], want, atol: 1e-12, rtol: 1e-12, "norm.nuc")
    expectClose(try golden("linalg.norm", [.tensor(x)], ["ord": .string("nuc")])[0], want, atol: 1e-12, rtol: 1e-12, "linalg.norm nuc")
  }

  @Test func scatterReduceAndValue() throws {
    let x = Tensor(shape: [2, 3], scalars: [1.0, 2, 3, 4, 5, 6])
    let index = Tensor(shape: [2, 2], scalars: [Int64(0), 0, 2, 2])
    let source = Tensor(shape: [2, 2], scalars: [10.0, 20, 30, 40])
    let added = try golden("scatter", [.tensor(x), .value(.number(1)), .tensor(index), .tensor(source)], ["reduce": .string("add")])
    expectClose(added[0], [31, 2, 3, 4, 5, 76], "scatter reduce add")
    let filled = try golden("scatter", [.tensor(x), .value(.number(1)), .tensor(index), .value(.number(-1))])
    expectClose(filled[0], [-1, 2, 3, 4, 5, -1], "scatter value")
    let multiplied = try golden("scatter", [.tensor(x), .value(.number(1)), .tensor(index), .tensor(source)], ["reduce": .string("multiply")])
    expectClose(multiplied[0], [200, 2, 3, 4, 5, 7200], "scatter reduce multiply (repeats multiply in)")
    #expect(throws: ConformanceError.self) {
      try golden("scatter", [.tensor(x), .value(.number(1)), .tensor(index), .tensor(source)], ["reduce": .string("max")])
    }
    var rng = TestRandom(seed: 25)
    expectGradcheck("scatterMultiply", { [$0[0].scatterMultiply(dim: 0, index: Tensor(shape: [3, 2], scalars: [Int64(1), 0, 1, 0, 1, 1]), source: $0[1])] },
                    at: [rng.tensor([2, 3], dtype: .float64), rng.tensor([3, 2], dtype: .float64)])
  }

  @Test func gradientEdgeOrderTwoIsExactForQuadratics() throws {
    // x = t² at t = 0, 0.5, …, 2.5: the derivative 2t is exact at every point, ends included.
    let t = (0..<6).map { Double($0) * 0.5 }
    let x = Tensor(t.map { $0 * $0 })
    expectClose(x.gradient(spacing: 0.5, edgeOrder: 2)[0], t.map { 2 * $0 }, atol: 1e-12, rtol: 1e-12, "edgeOrder 2")
    let viaAdapter = try golden("gradient", [.tensor(x)], ["spacing": .number(0.5), "edge_order": .number(2)])
    expectClose(viaAdapter[0], t.map { 2 * $0 }, atol: 1e-12, rtol: 1e-12, "adapter edge_order 2")
    var rng = TestRandom(seed: 19)
    expectGradcheck("gradient edgeOrder 2", { $0.gradient(edgeOrder: 2)[1] }, at: rng.tensor([3, 4], dtype: .float64))
  }

  @Test func stftRealView() throws {
    var rng = TestRandom(seed: 20)
    let x = rng.tensor([12], dtype: .float64)
    let complex = FFT.stft(x, nFFT: 4, hopLength: 2)
    let real = try golden("stft", [.tensor(x), .value(.number(4)), .value(.number(2))], ["return_complex": .bool(false)])
    #expect(real[0].shape == complex.shape + [2])
    expectClose(real[0], complex.viewAsReal().doubles, "stft return_complex false")
  }

  // MARK: complex inputs, as PyTorch supports them

  @Test func complexLogAddExpSoftsignAndLogCumSumExp() throws {
    var rng = TestRandom(seed: 21)
    let a = rng.tensor([3, 4], dtype: .complex128), b = rng.tensor([4], dtype: .complex128)
    let direct = (a.exp() + b.exp()).log()
    expectClose(a.logAddExp(b), complex: direct.complexDoubles, atol: 1e-12, rtol: 1e-12, "logaddexp")
    // Large real parts: the shifted form does not overflow.
    let big = Tensor.complex(real: Tensor([800.0, -800]), imaginary: Tensor([0.5, 0.25]))
    let small = Tensor.complex(real: Tensor([799.0, -801]), imaginary: Tensor([0.0, 0.0]))
    let shifted = big.logAddExp(small).complexDoubles
    #expect(shifted.allSatisfy { $0.real.isFinite && $0.imaginary.isFinite })
    expectClose(a.softsign(), complex: (a / (1 + a.abs()).converted(to: .complex128)).complexDoubles, "softsign")
    let scan = a.logCumSumExp(dim: 1)
    expectClose(scan, complex: a.exp().cumsum(dim: 1).log().complexDoubles, atol: 1e-12, rtol: 1e-12, "logcumsumexp")
    expectGradcheck("complex logcumsumexp", { $0.logCumSumExp(dim: 0) }, at: a)
    expectGradcheck("complex logaddexp", { [$0[0].logAddExp($0[1])] }, at: [a, b])
  }

  @Test func complexRMSNormAndTripletMarginLoss() throws {
    var rng = TestRandom(seed: 22)
    // Real parts dominate, so x² stays off the square root's branch cut.
    let x = Tensor.complex(real: rng.tensor([2, 5], dtype: .float64, in: 1...2), imaginary: rng.tensor([2, 5], dtype: .float64, in: -0.5...0.5))
    let y = NN.rmsNorm(x, normalizedShape: [5], eps: 0)
    expectClose(y, complex: (x / (x * x).mean(dims: [1], keepdim: true).sqrt()).complexDoubles, atol: 1e-12, rtol: 1e-12, "rms_norm")
    expectGradcheck("complex rms_norm", { NN.rmsNorm($0, normalizedShape: [5]) }, at: x)
    let (a, p, n) = (rng.tensor([4, 3], dtype: .complex128), rng.tensor([4, 3], dtype: .complex128), rng.tensor([4, 3], dtype: .complex128))
    let loss = NN.tripletMarginLoss(a, p, n, margin: 2, reduction: .none)
    let want = ((a - p + 1e-6).abs().square().sum(dim: -1).sqrt() - (a - n + 1e-6).abs().square().sum(dim: -1).sqrt() + 2).relu()
    expectClose(loss, want.doubles, atol: 1e-12, rtol: 1e-12, "triplet_margin_loss")
  }

  @Test func complexMaskedReductions() async throws {
    var rng = TestRandom(seed: 23)
    let x = rng.tensor([3, 4], dtype: .complex128)
    let mask = Tensor(shape: [3, 4], scalars: [true, false, true, true, false, true, true, true, true, true, false, true])
    // PyTorch supports these for complex inputs.
    expectClose(Masked.prod(x, dims: [1], mask: mask), complex: Tensor.where(mask, x, 1.0).prod(dim: 1).complexDoubles, atol: 1e-12, rtol: 1e-12, "masked prod")
    expectClose(Masked.norm(x, dims: [1], mask: mask), Tensor.where(mask, x, 0.0).vectorNorm(ord: 2, dims: [1]).doubles, atol: 1e-12, rtol: 1e-12, "masked norm")
    expectGradcheck("complex masked prod", { Masked.prod($0, dims: [1], mask: mask) }, at: x)
    // PyTorch does not support complex amax: a clear stop naming the op.
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Masked.amax(Tensor.zeros([2, 2], dtype: .complex128))
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("Masked.amax") && message.contains("complex"), "\(message)")
  }

  @Test func complexSTFTRoundTrip() throws {
    var rng = TestRandom(seed: 24)
    let x = rng.tensor([2, 12], dtype: .complex128)
    let spectrum = FFT.stft(x, nFFT: 4, hopLength: 1)
    #expect(spectrum.dtype == .complex128 && spectrum.shape[1] == 4)
    // The two-sided inverse gives the complex signal back.
    let back = FFT.istft(spectrum, nFFT: 4, hopLength: 1, length: 12, returnComplex: true)
    expectClose(back, complex: x.complexDoubles, atol: 1e-12, rtol: 1e-12, "istft(stft(x))")
    let viaAdapter = try golden("istft", [.tensor(spectrum), .value(.number(4)), .value(.number(1))], ["length": .number(12), "onesided": .bool(false), "return_complex": .bool(true)])
    expectClose(viaAdapter[0], complex: x.complexDoubles, atol: 1e-12, rtol: 1e-12, "istft adapter")
    expectGradcheck("complex stft", { FFT.stft($0, nFFT: 4, hopLength: 2) }, at: x)
    expectGradcheck("complex istft", { FFT.istft($0, nFFT: 4, hopLength: 1, returnComplex: true) }, at: spectrum)
  }

  // MARK: OpInfo's max_pool2d_with_indices_backward wrapper

  /// OpInfo's `max_pool2d_with_indices_backward` entry passes the input alone, with max
  /// pooling's keyword arguments: the backward of a cotangent of ones with the indices of
  /// the pooling, so each element gets the number of windows whose maximum it is.
  @Test func maxPoolBackwardOfTheInputAlone() throws {
    let x = Tensor.arange(0, 16).converted(to: .float64).reshaped([1, 1, 4, 4])
    let keywords: [String: JSONValue] = ["kernel_size": .array([.number(2), .number(2)]), "stride": .number(1), "return_indices": .bool(true)]
    let y = try golden("max_pool2d_with_indices_backward", [.tensor(x)], keywords)[0]
    // Increasing values: each 2×2 window's maximum is its bottom-right element.
    #expect(y.shape == [1, 1, 4, 4])
    #expect(y.doubles == [0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1])
  }
}
