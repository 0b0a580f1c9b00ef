import Testing
import TangentTesting
@testable import Tangent

/// Distinct values 0, 1, 2, … in `shape` (float64 unless asked otherwise).
func grid(_ shape: [Int], dtype: DType = .float64) -> Tensor {
  Tensor.arange(0, Double(Shape.count(shape)), dtype: dtype).reshaped(shape)
}

/// A tensor of `shape` whose element at each multi-index is `f(index)`: the straightforward
/// reference the ops are checked against.
func reference(_ shape: [Int], _ f: ([Int]) -> Double) -> Tensor { tensorFromIndices(shape, f) }

/// A tensor of `shape` built element by element from its multi-indices, for any scalar type
/// (the real and complex references share it).
func tensorFromIndices<T: TensorScalar>(_ shape: [Int], _ f: ([Int]) -> T) -> Tensor {
  var out: [T] = []
  var index = [Int](repeating: 0, count: shape.count)
  func walk(_ d: Int) {
    if d == shape.count { out.append(f(index)); return }
    for i in 0..<shape[d] {
      index[d] = i
      walk(d + 1)
    }
  }
  if !shape.contains(0) { walk(0) }
  return Tensor(shape: shape, scalars: out)
}

/// The element of `t` at a multi-index, as a `Double` (real part).
func value(_ t: Tensor, _ index: [Int]) -> Double { t.element(at: index).0 }

/// Whether two tensors are views of one buffer (no copy was made).
func sharesStorage(_ a: Tensor, _ b: Tensor) -> Bool { a.storage === b.storage }

/// Runs `gradcheck` on `f` at random inputs of `shapes`, in float64 and in complex128.
func expectGradients(
  _ shapes: [[Int]], seed: UInt64 = 11, sourceLocation: SourceLocation = #_sourceLocation,
  _ f: @escaping ([Tensor]) -> [Tensor]
) {
  for dtype in [DType.float64, .complex128] {
    var rng = TestRandom(seed: seed)
    let inputs = shapes.map { rng.tensor($0, dtype: dtype) }
    let r = gradcheck(f, at: inputs)
    #expect(r.passed, "\(dtype): \(r)", sourceLocation: sourceLocation)
  }
}

/// Runs `gradcheck` on a one-input, one-output function. See ``expectGradients(_:seed:sourceLocation:_:)``.
func expectGradients(
  _ shape: [Int], seed: UInt64 = 11, sourceLocation: SourceLocation = #_sourceLocation, _ f: @escaping (Tensor) -> Tensor
) {
  expectGradients([shape], seed: seed, sourceLocation: sourceLocation) { [f($0[0])] }
}
