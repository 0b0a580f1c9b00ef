import Testing
@testable import Tangent

@Suite struct DescriptionTests {
  @Test func fixedPointMatrix() {
    let t: Tensor = [[1.0, 2.5], [3, 4]]
    #expect(t.description == """
      Tensor([[1.0000, 2.5000],
              [3.0000, 4.0000]])
      """)
  }

  @Test func integralFloatsAndIntegers() {
    #expect(Tensor([1.0, 2.0]).description == "Tensor([1., 2.])")
    let i: Tensor = [1, 2, -30]
    #expect(i.description == "Tensor([  1,   2, -30], dtype: int64)")
    let b: Tensor = [true, false]
    #expect(b.description == "Tensor([ true, false], dtype: bool)")
    #expect(Tensor(3.5).description == "Tensor(3.5000)")
    #expect(Tensor(Int64(7)).description == "Tensor(7, dtype: int64)")
  }

  @Test func alignmentAndScientific() {
    #expect(Tensor([-1.5, 100.25]).description == "Tensor([ -1.5000, 100.2500])")
    #expect(Tensor([1e-5, 1.0]).description == "Tensor([1.0000e-05, 1.0000e+00])")
    #expect(Tensor([1.0, 2e9]).description == "Tensor([1.0000e+00, 2.0000e+09])")
    #expect(Tensor([Double.nan, 1, -.infinity]).description == "Tensor([nan, 1., -inf])")
    #expect(Tensor([0.0, 0]).description == "Tensor([0., 0.])")
    #expect(Tensor([Float(0.5)]).description == "Tensor([0.5000], dtype: float32)")
  }

  @Test func complexValues() {
    let z: Tensor = [.complex(1, 2), .complex(3, -1)]
    #expect(z.description == "Tensor([1.+2.j, 3.-1.j], dtype: complex128)")
    let w: Tensor = [.complex(1.5, 2), .complex(0, 0.25)]
    #expect(w.description == "Tensor([1.5000+2.0000j, 0.0000+0.2500j], dtype: complex128)")
    let inf: Tensor = [.complex(.infinity, 1), .complex(2, -3)]
    #expect(inf.description == "Tensor([inf+1.j, 2.-3.j], dtype: complex128)")
  }

  @Test func emptyTensors() {
    #expect(Tensor.zeros([0]).description == "Tensor([])")
    #expect(Tensor.zeros([2, 0], dtype: .int64).description == "Tensor([], shape: [2, 0], dtype: int64)")
  }

  @Test func longRowsWrap() {
    let t = Tensor.arange(0, 30).converted(to: .float64)
    #expect(t.description == """
      Tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,
              14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,
              28., 29.])
      """)
  }

  @Test func bigTensorsAreSummarised() {
    let v = Tensor.arange(0, 1001).converted(to: .float64)
    #expect(v.description == "Tensor([   0.,    1.,    2.,  ...,  998.,  999., 1000.])")
    let m = Tensor.zeros([40, 40])
    #expect(m.description == """
      Tensor([[0., 0., 0.,  ..., 0., 0., 0.],
              [0., 0., 0.,  ..., 0., 0., 0.],
              [0., 0., 0.,  ..., 0., 0., 0.],
              ...,
              [0., 0., 0.,  ..., 0., 0., 0.],
              [0., 0., 0.,  ..., 0., 0., 0.],
              [0., 0., 0.,  ..., 0., 0., 0.]])
      """)
    // 1000 elements is still printed in full.
    #expect(!Tensor.zeros([1000]).description.contains("..."))
  }

  @Test func threeDimensionsSeparateBlocksByBlankLines() {
    let t = Tensor.arange(0, 8, dtype: .float64).reshaped([2, 2, 2])
    #expect(t.description == """
      Tensor([[[0., 1.],
               [2., 3.]],

              [[4., 5.],
               [6., 7.]]])
      """)
  }

  @Test func nonContiguousViewsPrintTheirValues() {
    let t = Tensor.arange(0, 6, dtype: .float64).reshaped([2, 3]).transposed()
    #expect(t.description == """
      Tensor([[0., 3.],
              [1., 4.],
              [2., 5.]])
      """)
  }

  @Test func autodiffNotes() {
    let x = Tensor([1.0, 2.0]).requiringGrad()
    #expect(x.description == "Tensor([1., 2.], requiresGrad: true)")
    #expect((x * x).description == "Tensor([1., 4.], gradFn: mul)")
    withDualLevel { level in
      let d = Tensor([1.0]).dual(tangent: Tensor([1.0]), at: level)
      #expect(d.description == "Tensor([1.], dual: [level \(level.id)])")
    }
  }

  @Test func layoutIsShownOnRequest() {
    let t = Tensor.zeros([2, 3]).transposed()
    #expect(t.layoutDescription == "shape: [3, 2], strides: [1, 3], offset: 0, contiguous: false, storage: 48 bytes")
  }

  /// `print` of a tuple, an Optional or an array uses `debugDescription`: it reads like
  /// `description`, as PyTorch's `repr` does, with no strides or storage.
  @Test func debugDescriptionReadsLikeDescription() {
    let t = Tensor([1.0, 2.0])
    #expect(t.debugDescription == t.description)
    let o: Tensor? = t
    #expect(String(describing: o) == "Optional(Tensor([1., 2.]))")
    #expect(String(describing: (t, 1)) == "(Tensor([1., 2.]), 1)")
    #expect(!String(describing: [t]).contains("strides"))
  }

  /// Values returned by the functional transforms carry no `gradFn`; the imperative tape's do.
  @Test func functionalValuesPrintNoGradFn() {
    let (y, _) = vjp(of: { $0.tanh() * 2 }, at: Tensor([0.0, 1.0]))
    #expect(!y.description.contains("gradFn"))
    #expect(!y.description.contains("requiresGrad"))
    let (v, _) = valueWithGradient(of: { ($0 * $0).sum() }, at: Tensor([1.0]))
    #expect(v.description == "Tensor(1.)")
    let w = Tensor([1.0]).requiringGrad()
    #expect((w * 2).description.contains("gradFn: mul"))
  }
}
