import ComplexModule
import RealModule

extension NN {
  /// A size per spatial dim, written as one integer for all of them or a list with one per
  /// dim, like PyTorch's `int | tuple` arguments: `kernelSize: 3` or `kernelSize: [3, 2]`.
  public struct Sizes: ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, Equatable, Sendable {
    /// The sizes as written: one, or one per spatial dim.
    public let values: [Int]
    /// One size for every spatial dim.
    public init(_ value: Int) { values = [value] }
    /// One size per spatial dim.
    public init(_ values: [Int]) { self.values = values }
    /// One size for every spatial dim.
    public init(integerLiteral value: Int) { values = [value] }
    /// One size per spatial dim.
    public init(arrayLiteral elements: Int...) { values = elements }

    /// The sizes for `n` spatial dims.
    func expanded(_ n: Int, _ name: String, op: String, minimum: Int) -> [Int] {
      let v = values.count == 1 ? [Int](repeating: values[0], count: n) : values
      check(v.count == n, "\(op): \(name) \(values) must have 1 or \(n) values")
      check(v.allSatisfy { $0 >= minimum }, "\(op): \(name) \(values) must be at least \(minimum)")
      return v
    }
  }

  /// The geometry of a 2-d window op from its arguments, checked.
  static func geometry(kernelSize: Sizes, dilation: Sizes, padding: Sizes, stride: Sizes, op: String) -> PatchGeometry {
    let padding = padding.expanded(2, "padding", op: op, minimum: 0)
    return PatchGeometry(
      kernel: kernelSize.expanded(2, "kernelSize", op: op, minimum: 1), dilation: dilation.expanded(2, "dilation", op: op, minimum: 1),
      stride: stride.expanded(2, "stride", op: op, minimum: 1), padBefore: padding, padAfter: padding)
  }

  /// The sliding windows of a batch of images as columns (im2col), like
  /// `torch.nn.functional.unfold`: for input `[N, C, H, W]`, the result is
  /// `[N, C·kh·kw, L]` whose column `l = a·ow + b` holds the window at block `(a, b)`:
  /// ```
  /// y[n, (c·kh + i)·kw + j, a·ow + b] = x[n, c, a·sh + i·dh − ph, b·sw + j·dw − pw]
  /// ```
  /// (zero in the padding), with `oh = ⌊(H + 2ph − dh(kh − 1) − 1)/sh⌋ + 1` blocks down and
  /// `ow` likewise across.
  ///
  /// Derivative: linear; the VJP is ``fold(_:outputSize:kernelSize:dilation:padding:stride:)``
  /// (col2im, its adjoint), and each is the other's transpose, so derivatives of every order
  /// follow.
  /// - Parameters:
  ///   - input: `[N, C, H, W]` or `[C, H, W]` (more leading dims are batch dims too).
  ///   - kernelSize: the window size.
  ///   - dilation: the spacing of window elements.
  ///   - padding: zeros added on both sides of each spatial dim.
  ///   - stride: the step between windows.
  /// - Returns: `[N, C·kh·kw, L]` (or `[C·kh·kw, L]`), `L = oh·ow`.
  /// - Precondition: a floating input of at least 3 dims; sizes positive (padding
  ///   non-negative); at least one window fits.
  /// - Complexity: one strided copy of `C·kh·kw·L` elements per sample.
  public static func unfold(
    _ input: Tensor, kernelSize: Sizes, dilation: Sizes = 1, padding: Sizes = 0, stride: Sizes = 1
  ) -> Tensor {
    let op = "nn.functional.unfold"
    check(
      input.rank >= 3 && input.dtype.isFloatingPoint, "\(op): expected a floating input [N, C, H, W] or [C, H, W], got \(input.dtype) \(input.shape)")
    let g = geometry(kernelSize: kernelSize, dilation: dilation, padding: padding, stride: stride, op: op)
    checkBlocks(g, Array(input.shape.suffix(2)), input: input.shape, op: op)
    return Tensor.apply(UnfoldOp(geometry: g), input)
  }

  /// Stops unless at least one window fits in each spatial dim.
  static func checkBlocks(_ g: PatchGeometry, _ size: [Int], input: [Int], op: String) {
    let blocks = g.blocks(size)
    check(
      blocks[0] > 0 && blocks[1] > 0,
      "\(op): a window of kernel \(g.kernel), dilation \(g.dilation) does not fit in input \(input) padded by \(g.padBefore)")
  }

  /// Sums columns of windows back into a batch of images (col2im), like
  /// `torch.nn.functional.fold`: the adjoint of
  /// ``unfold(_:kernelSize:dilation:padding:stride:)``. Overlapping windows add up; window
  /// entries in the padding are dropped.
  ///
  /// Derivative: linear; the VJP unfolds the cotangent.
  /// - Parameters:
  ///   - input: `[N, C·kh·kw, L]` or `[C·kh·kw, L]`.
  ///   - outputSize: `[H, W]`.
  ///   - kernelSize: as for `unfold`.
  ///   - dilation: as for `unfold`.
  ///   - padding: as for `unfold`.
  ///   - stride: as for `unfold`.
  /// - Returns: `[N, C, H, W]` (or `[C, H, W]`).
  /// - Precondition: a floating input of at least 2 dims; dim −2 is a multiple of `kh·kw`;
  ///   `L` is the number of blocks that `unfold` would give for `outputSize`.
  public static func fold(
    _ input: Tensor, outputSize: Sizes, kernelSize: Sizes, dilation: Sizes = 1, padding: Sizes = 0, stride: Sizes = 1
  ) -> Tensor {
    let op = "nn.functional.fold"
    let g = geometry(kernelSize: kernelSize, dilation: dilation, padding: padding, stride: stride, op: op)
    let size = outputSize.expanded(2, "outputSize", op: op, minimum: 1)
    check(
      input.rank >= 2 && input.dtype.isFloatingPoint, "\(op): expected a floating input [N, C·kh·kw, L] or [C·kh·kw, L], got \(input.dtype) \(input.shape)")
    let r = input.rank
    check(
      input.shape[r - 2] % g.kernelCount == 0,
      "\(op): dim -2 of input \(input.shape) must be a multiple of the kernel's \(g.kernelCount) elements")
    let blocks = g.blocks(size)
    check(
      input.shape[r - 1] == blocks[0] * blocks[1],
      "\(op): input \(input.shape) has \(input.shape[r - 1]) blocks, but output \(size) gives \(blocks[0]) × \(blocks[1])")
    return Tensor.apply(FoldOp(geometry: g, size: size), input)
  }
}

/// im2col as a differentiable op: the windows of `[…, C, H, W]` as `[…, C·kh·kw, L]`.
///
/// Derivative: linear; the JVP unfolds the tangent (its chunk dim is one more leading dim) and
/// the VJP folds the cotangent (``FoldOp``, the adjoint), so every order follows.
struct UnfoldOp: LinearOp {
  let geometry: PatchGeometry
  var name: String { "unfold" }
  var sparsity: SparsityRule { .indexMap }

  func primal(_ x: Tensor) -> Tensor { PatchKernels.unfold(x, geometry) }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor {
    Tensor.apply(FoldOp(geometry: geometry, size: Array(inputShape.suffix(2))), gy)
  }
}

/// col2im as a differentiable op: columns `[…, C·kh·kw, L]` summed into `[…, C, H, W]`.
///
/// Derivative: linear; the JVP folds the tangent and the VJP unfolds the cotangent
/// (``UnfoldOp``, the adjoint).
struct FoldOp: LinearOp {
  let geometry: PatchGeometry
  /// `[H, W]`.
  let size: [Int]
  var name: String { "fold" }
  var sparsity: SparsityRule { .adjointIndexMap }

  func primal(_ x: Tensor) -> Tensor { PatchKernels.fold(x, size: size, geometry) }
  func transpose(_ gy: Tensor, inputShape: [Int]) -> Tensor { Tensor.apply(UnfoldOp(geometry: geometry), gy) }
}
