import Testing

@testable import Tangent

/// The vector operations of the second-order optimizers (Sources/Tangent/Optimizers/LeafVector.swift)
/// run as flat loops on float32/float64 leaves; they must agree with the tensor ops they stand
/// for, on contiguous, transposed and 0-d leaves.
@Suite struct LeafVectorTests {
  static func vectors(_ dtype: DType) -> (LeafVector, LeafVector) {
    let a = Tensor(shape: [3, 7], scalars: (0..<21).map { Double($0) * 0.37 - 3 }).converted(to: dtype)
    let b = Tensor(shape: [7, 3], scalars: (0..<21).map { 1.5 - Double($0 * $0) * 0.01 }).converted(to: dtype).transposed(0, 1)
    let c = Tensor(2.5).converted(to: dtype), d = Tensor(-0.75).converted(to: dtype)
    return (LeafVector([a, c]), LeafVector([b, d]))
  }

  @Test(arguments: [DType.float64, .float32, .complex128])
  func operationsMatchTensorOps(_ dtype: DType) {
    let (x0, y0) = Self.vectors(dtype)
    // Leaves taken from a tree are contiguous (the transposed one is copied).
    let x = LeafVector(leavesOf: x0.tensors), y = LeafVector(leavesOf: y0.tensors)
    #expect(y.tensors.allSatisfy(\.isContiguous) && y.tensors[0].doubles == y0.tensors[0].doubles)
    let tol = dtype == .float32 ? 1e-5 : 1e-13
    func expectClose(_ v: LeafVector, _ expected: [Tensor], _ label: String) {
      for (u, w) in zip(v.tensors, expected) {
        #expect(u.shape == w.shape && u.dtype == w.dtype, "\(label)")
        if dtype.isComplex { #expect(u.allClose(w, rtol: tol, atol: tol), "\(label)"); continue }
        for (p, q) in zip(u.doubles, w.doubles) { #expect(Swift.abs(p - q) <= tol * Swift.max(1, Swift.abs(q)), "\(label): \(p) vs \(q)") }
      }
    }
    let xs = x.tensors, ys = y.tensors
    expectClose(x + y, zip(xs, ys).map { $0 + $1 }, "a + b")
    expectClose(x - y, zip(xs, ys).map { $0 - $1 }, "a - b")
    expectClose(0.3 * x, xs.map { $0 * 0.3 }, "s·a")
    expectClose(-x, xs.map { -$0 }, "-a")
    expectClose(x.adding(y, scaledBy: -1.25), zip(xs, ys).map { $0 + $1 * -1.25 }, "a + s·b")
    expectClose(x.zeros, xs.map { Tensor.zeros(like: $0) }, "zeros")
    if !dtype.isComplex {
      let dot = zip(xs, ys).reduce(0.0) { $0 + zip($1.0.doubles, $1.1.doubles).reduce(0) { $0 + $1.0 * $1.1 } }
      #expect(Swift.abs(x.dot(y) - dot) <= tol * Swift.abs(dot) * 10)
      #expect(Swift.abs(x.norm - x.dot(x).squareRoot()) == 0)
      let all = xs.flatMap(\.doubles)
      #expect(x.maxAbs == all.map(Swift.abs).max()!)
      #expect(Swift.abs(x.l1Norm - all.map(Swift.abs).reduce(0, +)) <= tol * 100)
      let nan = LeafVector([Tensor([1.0, .nan, 3.0]).converted(to: dtype)])
      #expect(nan.maxAbs.isNaN)
    }
  }
}
