import Testing
import TangentTesting

@testable import Tangent

// Helpers for the product and nn tests: references built from loops over multi-indices.

/// A complex128 tensor of `shape` whose element at each multi-index is `f(index)`.
func complexReference(_ shape: [Int], _ f: ([Int]) -> Complex<Double>) -> Tensor { tensorFromIndices(shape, f) }

/// The element of `t` at a multi-index, as a complex number.
func complexAt(_ t: Tensor, _ index: [Int]) -> Complex<Double> {
  let (re, im) = t.element(at: index)
  return Complex(re, im)
}

/// Expects `got` to have `want`'s shape and values (as complex numbers).
func expectValues(
  _ got: Tensor, _ want: Tensor, atol: Double = 1e-12, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(got.shape == want.shape, "\(what): shape \(got.shape), expected \(want.shape)", sourceLocation: sourceLocation)
  if got.shape == want.shape {
    expectClose(got, complex: want.complexDoubles, atol: atol, rtol: 1e-12, what, sourceLocation: sourceLocation)
  }
}

/// Random complex inputs of the given shapes.
func complexInputs(_ shapes: [[Int]], seed: UInt64 = 5) -> [Tensor] {
  var rng = TestRandom(seed: seed)
  return shapes.map { rng.tensor($0, dtype: .complex128) }
}

/// Runs `gradcheck` on `f` at random inputs of `shapes`, in each of `dtypes` (for ops that
/// PyTorch defines for real inputs only).
func expectGradients(
  _ shapes: [[Int]], dtypes: [DType], seed: UInt64 = 11, sourceLocation: SourceLocation = #_sourceLocation,
  _ f: @escaping ([Tensor]) -> [Tensor]
) {
  for dtype in dtypes {
    var rng = TestRandom(seed: seed)
    let r = gradcheck(f, at: shapes.map { rng.tensor($0, dtype: dtype) })
    #expect(r.passed, "\(dtype): \(r)", sourceLocation: sourceLocation)
  }
}
