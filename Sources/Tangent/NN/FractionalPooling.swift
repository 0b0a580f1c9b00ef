extension NN {
  /// The window starts of fractional max pooling along one dim (PyTorch's
  /// `generate_intervals`): with `α = (n − k)/(o − 1)`, start `i` is
  /// `⌊(i + u)·α⌋ − ⌊u·α⌋`, the last `n − k`.
  static func fractionalStarts(_ u: Double, _ n: Int, _ o: Int, _ k: Int) -> [Int] {
    guard o > 1 else { return [n - k] }
    let alpha = Double(n - k) / Double(o - 1)
    return (0..<o - 1).map { Int((Double($0) + u) * alpha) - Int(u * alpha) } + [n - k]
  }

  /// Fractional max pooling over the last `spatial` dims, one dim at a time: per plane, a
  /// gather of its windows along the dim (broadcast over the other dims) and a max.
  static func fractionalMaxPool<G: RandomNumberGenerator>(
    _ input: Tensor, spatial: Int, kernelSize: Sizes, outputSize: [Int]?, outputRatio: [Double]?, randomSamples: Tensor?,
    using generator: inout G, op: String
  ) -> Tensor {
    checkPoolInput(input, spatial: spatial, op: op)
    let x = input.rank == spatial + 2 ? input : input.unsqueezed(dim: 0)
    let (n, c) = (x.shape[0], x.shape[1]), size = Array(x.shape.suffix(spatial))
    let k = kernelSize.expanded(spatial, "kernelSize", op: op, minimum: 1)
    check((outputSize == nil) != (outputRatio == nil), "\(op): give exactly one of outputSize and outputRatio")
    var out: [Int]
    if let outputSize {
      out = outputSize.count == 1 ? [Int](repeating: outputSize[0], count: spatial) : outputSize
    } else {
      let r = outputRatio!.count == 1 ? [Double](repeating: outputRatio![0], count: spatial) : outputRatio!
      check(r.count == spatial && r.allSatisfy { $0 > 0 && $0 < 1 }, "\(op): outputRatio \(outputRatio!) must have 1 or \(spatial) values in (0, 1)")
      out = (0..<spatial).map { Int(Double(size[$0]) * r[$0]) }
    }
    check(
      out.count == spatial && (0..<spatial).allSatisfy { out[$0] > 0 && out[$0] + k[$0] - 1 <= size[$0] },
      "\(op): outputSize \(out) with kernel \(k) does not fit in input \(input.shape)")
    let u: [Double]
    if let randomSamples {
      check(
        randomSamples.shape == [n, c, spatial] && randomSamples.dtype.isFloatingPoint && !randomSamples.dtype.isComplex,
        "\(op): randomSamples \(randomSamples.dtype) \(randomSamples.shape) must be real floating [\(n), \(c), \(spatial)]")
      u = randomSamples.converted(to: .float64).scalars(as: Double.self)
    } else {
      u = Tensor.rand([n, c, spatial], using: &generator).scalars(as: Double.self)
    }
    // PyTorch's samples run from the last spatial dim in 2-d (width, then height) and from the
    // first in 3-d.
    let sampleOf = spatial == 2 ? { (d: Int) in 1 - d } : { (d: Int) in d }
    var y = x
    for i in 0..<spatial {
      let d = 2 + i
      var index: [Int64] = []
      for plane in 0..<n * c {
        for start in fractionalStarts(u[plane * spatial + sampleOf(i)], size[i], out[i], k[i]) {
          index += (0..<k[i]).map { Int64(start + $0) }
        }
      }
      var shape = [n, c] + [Int](repeating: 1, count: spatial)
      shape[d] = out[i] * k[i]
      var split = y.shape
      split.replaceSubrange(d...d, with: [out[i], k[i]])
      y = y.takeAlongDim(Tensor(shape: shape, scalars: index), dim: d).reshaped(split).max(dim: d + 1).values
    }
    return input.rank == spatial + 2 ? y : y.squeezed(dim: 0)
  }

  /// The 2-d fractional max pooling of Graham (2014), like
  /// `torch.nn.functional.fractional_max_pool2d`: the maximum over `kh × kw` windows whose
  /// starts advance by a random mix of ⌊α⌋ and ⌈α⌉ (`α = (H − kh)/(oh − 1)`), so the output can
  /// be any size between 1 and `H − kh + 1`. Each plane `(n, c)` draws its own offsets `u` in
  /// [0, 1): start `i` is `⌊(i + u)·α⌋ − ⌊u·α⌋`, the last `H − kh` (likewise for the width).
  ///
  /// Derivative: the gradient of each output goes to its window's maximum (the first along
  /// each dim on ties).
  /// - Parameters:
  ///   - input: `[N, C, H, W]` or `[C, H, W]`.
  ///   - kernelSize: the window size.
  ///   - outputSize: `[oh, ow]` (or one value for both); or
  ///   - outputRatio: the output size as a fraction of the input's, in (0, 1).
  ///   - randomSamples: the offsets, `[N, C, 2]` (`[1, C, 2]` unbatched), `[…, 0]` for the
  ///     width and `[…, 1]` for the height as in PyTorch; drawn from `generator` when absent.
  ///   - generator: the source of randomness.
  /// - Returns: `[N, C, oh, ow]` (or `[C, oh, ow]`).
  /// - Precondition: a real floating input of 3 or 4 dims; exactly one of `outputSize` and
  ///   `outputRatio`; `o + k − 1 ≤` the input's size in each dim; samples of the shape above.
  public static func fractionalMaxPool2d<G: RandomNumberGenerator>(
    _ input: Tensor, kernelSize: Sizes, outputSize: [Int]? = nil, outputRatio: [Double]? = nil, randomSamples: Tensor? = nil,
    using generator: inout G
  ) -> Tensor {
    fractionalMaxPool(
      input, spatial: 2, kernelSize: kernelSize, outputSize: outputSize, outputRatio: outputRatio, randomSamples: randomSamples,
      using: &generator, op: "nn.functional.fractional_max_pool2d")
  }

  /// ``fractionalMaxPool2d(_:kernelSize:outputSize:outputRatio:randomSamples:using:)`` with the
  /// system's random numbers.
  public static func fractionalMaxPool2d(
    _ input: Tensor, kernelSize: Sizes, outputSize: [Int]? = nil, outputRatio: [Double]? = nil, randomSamples: Tensor? = nil
  ) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return fractionalMaxPool2d(
      input, kernelSize: kernelSize, outputSize: outputSize, outputRatio: outputRatio, randomSamples: randomSamples, using: &g)
  }

  /// The 3-d fractional max pooling, like `torch.nn.functional.fractional_max_pool3d`: as
  /// ``fractionalMaxPool2d(_:kernelSize:outputSize:outputRatio:randomSamples:using:)`` in each
  /// of the depth, height and width, with the samples `[N, C, 3]` in that order.
  ///
  /// Derivative: the gradient of each output goes to its window's maximum.
  /// - Parameters:
  ///   - input: `[N, C, D, H, W]` or `[C, D, H, W]`.
  ///   - kernelSize: the window size.
  ///   - outputSize: `[od, oh, ow]` (or one value for all); or
  ///   - outputRatio: the output size as a fraction of the input's, in (0, 1).
  ///   - randomSamples: the offsets, `[N, C, 3]`; drawn from `generator` when absent.
  ///   - generator: the source of randomness.
  /// - Returns: `[N, C, od, oh, ow]` (or without `N`).
  /// - Precondition: as for the 2-d op, with 4 or 5 dims.
  public static func fractionalMaxPool3d<G: RandomNumberGenerator>(
    _ input: Tensor, kernelSize: Sizes, outputSize: [Int]? = nil, outputRatio: [Double]? = nil, randomSamples: Tensor? = nil,
    using generator: inout G
  ) -> Tensor {
    fractionalMaxPool(
      input, spatial: 3, kernelSize: kernelSize, outputSize: outputSize, outputRatio: outputRatio, randomSamples: randomSamples,
      using: &generator, op: "nn.functional.fractional_max_pool3d")
  }

  /// ``fractionalMaxPool3d(_:kernelSize:outputSize:outputRatio:randomSamples:using:)`` with the
  /// system's random numbers.
  public static func fractionalMaxPool3d(
    _ input: Tensor, kernelSize: Sizes, outputSize: [Int]? = nil, outputRatio: [Double]? = nil, randomSamples: Tensor? = nil
  ) -> Tensor {
    var g = SystemRandomNumberGenerator()
    return fractionalMaxPool3d(
      input, kernelSize: kernelSize, outputSize: outputSize, outputRatio: outputRatio, randomSamples: randomSamples, using: &g)
  }
}
