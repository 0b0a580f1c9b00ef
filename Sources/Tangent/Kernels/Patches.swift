import ComplexModule
import RealModule

/// The sliding windows of a 2-d convolution or pooling: kernel size, dilation, stride and the
/// zero padding before and after each spatial dim (height, then width).
///
/// The padding after may differ from the padding before (pooling in ceil mode, transposed
/// convolutions with an output padding) and may be negative, which crops: the padded extent
/// is exactly what the windows cover.
struct PatchGeometry: Equatable, Sendable {
  var kernel: [Int]
  var dilation: [Int]
  var stride: [Int]
  var padBefore: [Int]
  var padAfter: [Int]

  /// The number of window positions along spatial dim `d` of size `n`.
  func blocks(_ n: Int, _ d: Int) -> Int {
    let span = n + padBefore[d] + padAfter[d] - dilation[d] * (kernel[d] - 1) - 1
    return span < 0 ? 0 : span / stride[d] + 1
  }

  /// The window positions `[oh, ow]` for a spatial size `[h, w]`.
  func blocks(_ size: [Int]) -> [Int] { [blocks(size[0], 0), blocks(size[1], 1)] }

  /// The number of kernel elements.
  var kernelCount: Int { kernel[0] * kernel[1] }
}

/// im2col and col2im: the windows of a `[…, C, H, W]` tensor as columns, and their sum back.
enum PatchKernels {
  /// The windows of `x` (`[…, C, H, W]`, any leading dims) as `[…, C·kh·kw, oh·ow]`, row
  /// `(c, i, j)` and column `(a, b)` holding `x[c, a·sh + i·dh − ph, b·sw + j·dw − pw]` (zero
  /// outside). One strided copy of the padded input.
  static func unfold(_ x: Tensor, _ g: PatchGeometry) -> Tensor {
    let r = x.rank
    let lead = Array(x.shape.prefix(r - 3))
    let c = x.shape[r - 3]
    let padded = g.padBefore == [0, 0] && g.padAfter == [0, 0]
      ? x : ConstantPadOp(pads: [(g.padBefore[0], g.padAfter[0]), (g.padBefore[1], g.padAfter[1])], value: 0).primal(x)
    let out = g.blocks(Array(x.shape.suffix(2)))
    let s = padded.strides
    let windows = padded.view(
      shape: lead + [c, g.kernel[0], g.kernel[1], out[0], out[1]],
      strides: Array(s.prefix(r - 3)) + [
        s[r - 3], s[r - 2] * g.dilation[0], s[r - 1] * g.dilation[1], s[r - 2] * g.stride[0], s[r - 1] * g.stride[1],
      ],
      offset: padded.offset)
    let shape = lead + [c * g.kernelCount, out[0] * out[1]]
    return windows.contiguousValues().view(shape: shape, strides: Shape.contiguousStrides(shape), offset: 0)
  }

  /// The adjoint of ``unfold(_:_:)``: each column entry `[…, (c, i, j), (a, b)]` added to
  /// position `(c, a·sh + i·dh − ph, b·sw + j·dw − pw)` of a `[…, C, H, W]` zero tensor
  /// (`size` is `[H, W]`); entries that land in the padding are dropped.
  static func fold(_ cols: Tensor, size: [Int], _ g: PatchGeometry) -> Tensor {
    let r = cols.rank
    let lead = Array(cols.shape.prefix(r - 2))
    let c = cols.shape[r - 2] / g.kernelCount
    let out = g.blocks(size)
    let source = cols.isContiguous ? cols : cols.contiguousValues()
    // The buffer holds the padding before and the windows' whole extent.
    let rows = g.padBefore[0] + size[0] + Swift.max(g.padAfter[0], 0)
    let columns = g.padBefore[1] + size[1] + Swift.max(g.padAfter[1], 0)
    let buffer = Tensor.zeros(lead + [c, rows, columns], dtype: cols.dtype)
    if cols.count > 0 {
      let bs = buffer.strides, n = lead.count
      let ss = Shape.contiguousStrides(lead + [c, g.kernel[0], g.kernel[1], out[0], out[1]])
      let windowShape = lead + [c, out[0], out[1]]
      for i in 0..<g.kernel[0] {
        for j in 0..<g.kernel[1] {
          let target = buffer.view(
            shape: windowShape,
            strides: Array(bs.prefix(n)) + [bs[n], bs[n + 1] * g.stride[0], bs[n + 2] * g.stride[1]],
            offset: i * g.dilation[0] * bs[n + 1] + j * g.dilation[1] * bs[n + 2])
          let part = source.view(
            shape: windowShape, strides: Array(ss.prefix(n)) + [ss[n], ss[n + 3], ss[n + 4]],
            offset: source.offset + i * ss[n + 1] + j * ss[n + 2])
          cols.dtype.visitFloating(AddInto(target: target, source: part), op: "fold")
        }
      }
    }
    let bs = buffer.strides, n = lead.count
    let inner = buffer.view(
      shape: lead + [c, size[0], size[1]], strides: bs, offset: g.padBefore[0] * bs[n + 1] + g.padBefore[1] * bs[n + 2])
    return rows == size[0] && columns == size[1] ? buffer : inner.contiguousValues()
  }

  /// `target += source` elementwise over two tensors of one shape (the target's elements
  /// distinct).
  private struct AddInto: FloatingVisitor {
    let target: Tensor
    let source: Tensor
    func visit<T: FloatingScalar>(_: T.Type) { IndexKernels.accumulate(target, source, T.self, +) }
  }
}
