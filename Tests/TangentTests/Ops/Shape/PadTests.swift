import Testing
import TangentTesting
@testable import Tangent

@Suite struct PadTests {
  /// The reference: `out[j] = x[source(j − before)]` per padded dim, or `value` when the
  /// source is `nil`.
  func padReference(_ x: Tensor, _ pad: [Int], _ source: @escaping (Int, Int) -> Int?, value: Double = 0) -> Tensor {
    let k = pad.count / 2
    var outShape = x.shape
    for j in 0..<k { outShape[x.rank - 1 - j] += pad[2 * j] + pad[2 * j + 1] }
    return reference(outShape) { i in
      var src = i
      for j in 0..<k {
        let d = x.rank - 1 - j
        guard let s = source(i[d] - pad[2 * j], x.shape[d]) else { return value }
        src[d] = s
      }
      return PadTests.read(x, src)
    }
  }

  static func read(_ x: Tensor, _ i: [Int]) -> Double { value(x, i) }

  @Test func constant() {
    let x = grid([2, 3, 4])
    let y = x.padded([1, 2])
    #expect(y.shape == [2, 3, 7])
    #expect(y.doubles == padReference(x, [1, 2]) { i, n in i >= 0 && i < n ? i : nil }.doubles)
    let z = x.padded([1, -1, 2, 0], value: 0.5)  // crops the last column
    #expect(z.shape == [2, 5, 4])
    #expect(z.doubles == padReference(x, [1, -1, 2, 0], { i, n in i >= 0 && i < n ? i : nil }, value: 0.5).doubles)
    #expect(Tensor([1.0, 2]).padded([0, 0]).doubles == [1, 2])
    #expect(Tensor.arange(1, 3).padded([1, 1], value: 7).doubles == [7, 1, 2, 7])
  }

  @Test func reflectReplicateCircular() {
    let v = Tensor([1.0, 2, 3])
    #expect(v.padded([2, 0], mode: .reflect).doubles == [3, 2, 1, 2, 3])
    #expect(v.padded([2, 0], mode: .replicate).doubles == [1, 1, 1, 2, 3])
    #expect(v.padded([2, 0], mode: .circular).doubles == [2, 3, 1, 2, 3])
    #expect(v.padded([0, 2], mode: .reflect).doubles == [1, 2, 3, 2, 1])
    #expect(v.padded([0, 3], mode: .circular).doubles == [1, 2, 3, 1, 2, 3])
    let x = grid([1, 2, 3, 4])
    let reflect = x.padded([1, 1, 2, 0], mode: .reflect)
    #expect(reflect.shape == [1, 2, 5, 6])
    #expect(reflect.doubles == padReference(x, [1, 1, 2, 0]) { i, n in i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i) }.doubles)
    let replicate = x.padded([2, 1, 1, 3], mode: .replicate)
    #expect(replicate.doubles == padReference(x, [2, 1, 1, 3]) { i, n in Swift.min(Swift.max(i, 0), n - 1) }.doubles)
    let circular = x.padded([3, -1, 1, 2, 0, 1], mode: .circular)
    #expect(circular.shape == [1, 3, 6, 6])
    #expect(x.padded([3, 0, 1, 2, 0, 1], mode: .circular).doubles == padReference(x, [3, 0, 1, 2, 0, 1]) { i, n in ((i % n) + n) % n }.doubles)
    // A negative amount crops first and the wrap reads what is left (OpInfo
    // `nn.functional.pad#169`); the values are PyTorch's.
    let w = Tensor([0.0, 1, 2, 3, 4])
    #expect(w.padded([-1, 1], mode: .circular).doubles == [1, 2, 3, 4, 1])
    #expect(w.padded([1, -1], mode: .circular).doubles == [3, 0, 1, 2, 3])
    #expect(w.padded([2, -3], mode: .circular).doubles == [0, 1, 0, 1])
    #expect(w.padded([-2, 3], mode: .circular).doubles == [2, 3, 4, 2, 3, 4])
    #expect(w.padded([3, -1], mode: .circular).doubles == [1, 2, 3, 0, 1, 2, 3])
  }

  @Test func nonContiguous() {
    let x = grid([4, 3]).transposed()  // [3, 4]
    #expect(x.padded([1, 1]).doubles == padReference(x, [1, 1]) { i, n in i >= 0 && i < n ? i : nil }.doubles)
    #expect(x.padded([1, 2, 2, 1], mode: .reflect).doubles
      == padReference(x, [1, 2, 2, 1]) { i, n in i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i) }.doubles)
  }

  @Test func gradients() {
    expectGradients([2, 3, 4]) { $0.padded([1, 2]) }
    expectGradients([2, 3, 4]) { $0.padded([-1, 2, 1, -2], value: 3) }
    expectGradients([4, 3]) { $0.transposed().padded([2, 1, 1, 1], mode: .reflect) }
    expectGradients([2, 3, 4]) { $0.padded([2, 1, 0, 3], mode: .replicate) }
    expectGradients([3, 5]) { $0.padded([3, -1, 1, 2], mode: .circular) }
    expectGradients([3, 5]) { $0.padded([-1, 1, -2, 1], mode: .circular) }
  }

  @Test func reflectTooWideStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 3]).padded([3, 0], mode: .reflect)
    }
  }

  @Test func oddPaddingStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor.zeros([2, 3]).padded([1])
    }
  }
}
