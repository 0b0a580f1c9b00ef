import Tangent
import TangentTesting
import Testing

/// The naive O(n²) DFT Xₖ = Σⱼ xⱼ·e^(sign·2πi·jk/n), with the angle reduced exactly.
func naiveDFT(_ x: [Complex<Double>], sign: Double = -1) -> [Complex<Double>] {
  let n = x.count
  return (0..<n).map { k in
    var s = Complex<Double>(0, 0)
    for j in 0..<n {
      let angle = sign * 2 * Double.pi * Double((j * k) % n) / Double(n)
      s = s + x[j] * Complex(Double.cos(angle), Double.sin(angle))
    }
    return s
  }
}

/// The naive DFT along `dim` of a tensor, as complex128.
func naiveDFT(_ x: Tensor, dim: Int, sign: Double = -1) -> Tensor {
  let d = dim < 0 ? dim + x.rank : dim
  let moved = x.converted(to: .complex128).movedim(d, to: -1).contiguousCopy()
  let n = moved.shape.last!
  let values = moved.complexDoubles
  var out: [Complex<Double>] = []
  for start in stride(from: 0, to: values.count, by: Swift.max(n, 1)) {
    out += naiveDFT(Array(values[start..<(start + n)]), sign: sign)
  }
  return Tensor(shape: moved.shape, scalars: out).movedim(-1, to: d)
}

/// Random complex128 values.
func randomComplex(_ shape: [Int], seed: UInt64 = 3) -> Tensor {
  var rng = TestRandom(seed: seed)
  return rng.tensor(shape, dtype: .complex128)
}

/// Random float64 values.
func randomReal(_ shape: [Int], seed: UInt64 = 5) -> Tensor {
  var rng = TestRandom(seed: seed)
  return rng.tensor(shape, dtype: .float64)
}

/// Expects two tensors of one shape to agree to `tol` relative to the largest magnitude.
func expectSpectraClose(
  _ got: Tensor, _ want: Tensor, tol: Double = 1e-12, _ what: @autoclosure () -> String = "",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(got.shape == want.shape, "\(what()): shape \(got.shape), expected \(want.shape)", sourceLocation: sourceLocation)
  guard got.shape == want.shape else { return }
  let a = got.complexDoubles, b = want.complexDoubles
  let scale = Swift.max(1, b.map(\.length).max() ?? 0)
  var worst = 0.0
  for (p, q) in zip(a, b) { worst = Swift.max(worst, (p - q).length) }
  #expect(worst <= tol * scale, "\(what()): error \(worst) (scale \(scale))", sourceLocation: sourceLocation)
}
