import Foundation
import Testing

@testable import Tangent

// The elementwise drivers (flat, scalar-broadcast, general broadcast and strided paths) and
// the StridedRows plan, against element-by-element references.

@Suite struct ElementwiseDriverTests {
  /// `a + b` and `a * b` computed through multi-indices.
  func reference(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) -> (shape: [Int], values: [Double]) {
    let shape = Shape.broadcast(a.shape, b.shape)!
    let values = multiIndices(shape).map { idx -> Double in
      let ia = Array(idx.suffix(a.rank)).enumerated().map { a.shape[$0.offset] == 1 ? 0 : $0.element }
      let ib = Array(idx.suffix(b.rank)).enumerated().map { b.shape[$0.offset] == 1 ? 0 : $0.element }
      return f(a.element(at: ia).0, b.element(at: ib).0)
    }
    return (shape, values)
  }

  @Test func binaryLayoutsAndBroadcasting() {
    let m = Tensor(shape: [3, 4], scalars: (0..<12).map { Double($0) - 5 })
    let wide = Tensor(shape: [4, 6], scalars: (0..<24).map { Double($0) * 0.5 })
    let operands: [(String, Tensor)] = [
      ("matrix", m), ("transposed", Tensor(shape: [4, 3], scalars: (0..<12).map { Double($0) }).transposed(0, 1)),
      ("row", Tensor([1.0, -2, 3, 0.5])), ("column", Tensor(shape: [3, 1], scalars: [2.0, -1, 4])),
      ("scalar", Tensor(3.0)), ("one", Tensor([7.0])), ("strided", wide.view(shape: [3, 4], strides: [6, 1], offset: 2)),
      ("batch", Tensor(shape: [2, 1, 4], scalars: (0..<8).map { Double($0) })),
    ]
    for (na, a) in operands {
      for (nb, b) in operands {
        let sum = a + b, product = a * b
        let r = reference(a, b, +), p = reference(a, b, *)
        #expect(sum.shape == r.shape && sum.doubles == r.values, "\(na) + \(nb)")
        #expect(product.doubles == p.values, "\(na) * \(nb)")
      }
    }
  }

  @Test func dtypesThroughTheDrivers() {
    let i = Tensor(shape: [2, 3], scalars: [Int64(1), -2, 3, 4, -5, 6])
    #expect((i + i).scalars(as: Int64.self) == [2, -4, 6, 8, -10, 12])
    #expect((i * Tensor(Int64(3))).scalars(as: Int64.self) == [3, -6, 9, 12, -15, 18])
    #expect((i / Tensor(Int64(2))).dtype == .float64)
    let f = Tensor(shape: [3], scalars: [Float(1), 2, 4])
    #expect((f + f).scalars(as: Float.self) == [2, 4, 8])
    let z = Tensor.complex(real: Tensor([1.0, 2]), imaginary: Tensor([3.0, -1]))
    let zz = (z * z).scalars(as: Complex<Double>.self)
    #expect(zz == [Complex(-8, 6), Complex(3, -4)])
    #expect((-i).scalars(as: Int64.self) == [-1, 2, -3, -4, 5, -6])
    let b = Tensor(shape: [2], scalars: [true, false])
    #expect((b + b).dtype == .int64)
    #expect(Tensor.zeros([0, 3]).exp().shape == [0, 3])
    #expect((Tensor.zeros([0, 3]) + Tensor.ones([1, 3])).shape == [0, 3])
  }

  @Test func comparisons() {
    let a = Tensor([1.0, 2, .nan, 4]), b = Tensor([1.0, 3, .nan, 0])
    let eq = ElementwiseKernels.compare(TestEqual.self, a, b).scalars(as: Bool.self)
    #expect(eq == [true, false, false, false])
    let lt = ElementwiseKernels.compare(TestLess.self, a, Tensor(2.5)).scalars(as: Bool.self)
    #expect(lt == [true, true, false, false])
    let z = Tensor.complex(real: Tensor([1.0, 2]), imaginary: Tensor([0.0, 1]))
    #expect(ElementwiseKernels.compare(TestEqual.self, z, z).scalars(as: Bool.self) == [true, true])
    let flags = Tensor(shape: [3], scalars: [true, false, true])
    #expect(ElementwiseKernels.compare(TestLess.self, flags, Tensor(true)).scalars(as: Bool.self) == [false, true, false])
  }

  @Test func largeInputsSplitAcrossCores() {
    let n = 300_001
    let x = Tensor((0..<n).map { Double($0) * 1e-4 - 10 })
    let y = x.exp().doubles
    let xs = x.doubles
    #expect(zip(xs, y).allSatisfy { ulpError($1, WideReal(Foundation.exp($0))) <= 1 })
    let s = (x + Tensor(1.0)).doubles
    #expect(zip(xs, s).allSatisfy { $1 == $0 + 1 })
    // A large strided (transposed) input takes the row plan, split by rows.
    let m = Tensor(shape: [600, 500], scalars: (0..<300_000).map { Double($0 % 97) }).transposed(0, 1)
    let t = m.exp()
    #expect(t.shape == [500, 600])
    #expect(t.doubles[601] == Foundation.exp(Double((1 * 500 + 1) % 97)))
  }

  @Test func stridedRowsMergesAndIterates() {
    // Contiguous: one flat row.
    let flat = StridedRows(shape: [2, 3, 4], [12, 4, 1], [12, 4, 1])
    #expect(flat.isFlat && flat.length == 24 && flat.rowCount == 1)
    // Size-1 dims are dropped; a transposed operand keeps two dims.
    let t = StridedRows(shape: [3, 1, 4], [1, 99, 3], [4, 4, 1])
    #expect(t.length == 4 && t.rowCount == 3 && t.step == (3, 1, 0))
    var offsets: [Int] = []
    t.forEachRow(in: 1..<3) { o0, o1, _ in offsets.append(o0 * 100 + o1) }
    #expect(offsets == [104, 208])
    // Three operands, partial merging, zero strides.
    let b = StridedRows(shape: [2, 3, 4], [12, 4, 1], [0, 4, 1], [0, 0, 1])
    #expect(b.length == 4 && b.rowCount == 6 && Array(b.outer) == [2, 3])
    var rows: [[Int]] = []
    b.forEachRow(in: 0..<6) { rows.append([$0, $1, $2]) }
    #expect(rows == [[0, 0, 0], [4, 4, 0], [8, 8, 0], [12, 0, 0], [16, 4, 0], [20, 8, 0]])
    #expect(StridedRows(shape: [], [], []).length == 1)
    #expect(StridedRows(shape: [3, 0], [1, 1]).length == 0)
  }
}

enum TestEqual: ComparisonFunction {
  static var name: String { "eq" }
  static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a == b }
  static var allowsComplex: Bool { true }
}

enum TestLess: ComparisonFunction {
  static var name: String { "lt" }
  static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a < b }
}
