import ComplexModule
import RealModule

/// How ``Tensor/padded(_:mode:value:)`` fills the new positions, as in
/// `torch.nn.functional.pad`.
public enum PaddingMode: String, Sendable, CaseIterable {
  /// A constant value.
  case constant
  /// The mirror image about the edge, without repeating it: `[a, b, c]` padded by 2 on
  /// the left gives `[c, b, a, b, c]`.
  case reflect
  /// Copies of the edge element: `[a, b, c]` padded by 2 on the left gives `[a, a, a, b, c]`.
  case replicate
  /// Wraps around: `[a, b, c]` padded by 2 on the left gives `[b, c, a, b, c]`. A negative
  /// amount crops first and the wrap reads what is left, as in PyTorch: `[a, b, c, d]` padded
  /// by (−1, 1) gives `[b, c, d, b]`.
  case circular
}

/// Constant padding (cropping for negative amounts) of the trailing dims:
/// `y[j] = x[j − before]` inside, `value` outside, per dim.
///
/// Derivative: the JVP pads the tangent with zeros (the linear part); the VJP pads the
/// cotangent by the opposite amounts, which crops what was padded and zero-fills what was
/// cropped.
struct ConstantPadOp: UnaryOp {
  /// `(before, after)` per trailing dim, innermost last: `pads[k]` is dim `rank − pads.count + k`.
  let pads: [(before: Int, after: Int)]
  let value: Double
  var name: String { "pad" }
  var sparsity: SparsityRule { .indexMap }

  /// Batching: the pads address trailing dims, so the batch is one more leading dim.
  func batched(_ inputs: [Tensor], isBatched: [Bool], batchSize: Int) -> [Tensor]? { [Tensor.apply(self, inputs[0])] }

  func primal(_ x: Tensor) -> Tensor {
    let lead = x.rank - pads.count
    var outShape = x.shape
    var src: [(start: Int, count: Int)] = [], dst: [Int] = []
    for (k, p) in pads.enumerated() {
      let d = lead + k, n = x.shape[d]
      outShape[d] = n + p.before + p.after
      src.append((Swift.max(0, -p.before), n - Swift.max(0, -p.before) - Swift.max(0, -p.after)))
      dst.append(Swift.max(0, p.before))
    }
    let out = value == 0 ? Tensor.zeros(outShape, dtype: x.dtype) : Tensor.full(outShape, value, dtype: x.dtype)
    if value == 0 { ReplayRecorder.noteWindow(window(over: x.shape, dtype: x.dtype), x, out) }
    if src.contains(where: { $0.count <= 0 }) || x.count == 0 { return out }
    var inner = x, target = out
    for (k, s) in src.enumerated() {
      inner = RollOp.narrow(inner, dim: lead + k, start: s.start, length: s.count)
      target = RollOp.narrow(target, dim: lead + k, start: dst[k], length: s.count)
    }
    target.writeValues(from: inner)
    return out
  }

  /// The zero pad of a source of `shape` as a window (``ReplayWindow``): per padded dim, zeros,
  /// the source shifted by `before` (cropped where negative), zeros.
  func window(over shape: [Int], dtype: DType) -> ReplayWindow? {
    let lead = shape.count - pads.count
    var outShape = shape
    var segments = shape.map { [ReplayWindow.Segment(range: 0..<$0, shift: 0)] }
    for (k, p) in pads.enumerated() {
      let d = lead + k, n = shape[d], m = n + p.before + p.after
      guard m >= 0 else { return nil }
      let lo = Swift.min(Swift.max(0, p.before), m)
      let hi = Swift.min(lo + Swift.max(0, n - Swift.max(0, -p.before) - Swift.max(0, -p.after)), m)
      outShape[d] = m
      segments[d] = [.init(range: 0..<lo, shift: nil), .init(range: lo..<hi, shift: -p.before), .init(range: hi..<m, shift: nil)]
    }
    return ReplayWindow(shape: outShape, sourceShape: shape, segments: segments, dtype: dtype)
  }

  func jvp(x: Tensor, y: Tensor, dx: Tensor) -> Tensor {
    Tensor.apply(ConstantPadOp(pads: pads, value: 0), dx)
  }

  func vjp(x: Tensor, y: Tensor, gy: Tensor) -> Tensor {
    Tensor.apply(ConstantPadOp(pads: pads.map { (-$0.before, -$0.after) }, value: 0), gy)
  }
}

extension Tensor {
  /// This tensor padded, like `torch.nn.functional.pad(x, pad, mode, value)`.
  ///
  /// `pad` lists `(before, after)` amounts for the last dims, from the last dim backwards:
  /// `[left, right]` pads the last dim, `[left, right, top, bottom]` the last two, and so on.
  /// Negative amounts crop. Unlike PyTorch, which ties each non-constant mode to inputs of
  /// particular ranks, every mode pads any number of trailing dims of a tensor of any rank.
  /// ```swift
  /// x.padded([1, 2])                         // [2, 3, 4] → [2, 3, 7], zeros
  /// x.padded([1, 1, 2, 0], mode: .reflect)   // [1, 2, 3, 4] → [1, 2, 5, 6]
  /// ```
  /// - Parameters:
  ///   - pad: an even number of amounts, at most two per dim.
  ///   - mode: how to fill: a constant, the reflection, the edge value, or wrapping around.
  ///   - value: the constant of `.constant` mode, converted to this tensor's dtype.
  /// - Precondition: `pad` has an even length of at most `2 · rank`; padded sizes are not
  ///   negative; `.reflect` amounts are smaller than the dim, `.circular` amounts at most
  ///   the dim left after cropping, and `.replicate` needs a non-empty dim; `value` is 0
  ///   outside `.constant` mode.
  /// Derivative: linear in the tensor. `.constant`: the VJP crops the cotangent. Other modes
  /// gather along each padded dim, so the VJP adds each position's cotangents back to the
  /// element it copies.
  public func padded(_ pad: [Int], mode: PaddingMode = .constant, value: Double = 0) -> Tensor {
    check(pad.count % 2 == 0, "pad: the padding must have an even length, got \(pad)")
    check(
      pad.count / 2 <= rank,
      "pad: padding \(pad) covers \(pad.count / 2) dimensions of a tensor of shape \(shape)")
    check(
      mode == .constant || value == 0, "pad: \(mode.rawValue) mode takes no value (got \(value))")
    let k = pad.count / 2
    // pads[j] is for dim rank − k + j, innermost last.
    let pads = (0..<k).map { j in (before: pad[2 * (k - 1 - j)], after: pad[2 * (k - 1 - j) + 1]) }
    for (j, p) in pads.enumerated() {
      let d = rank - k + j, n = shape[d]
      check(
        n + p.before + p.after >= 0,
        "pad: padding \(pad) gives dimension \(d) (size \(n)) the negative size \(n + p.before + p.after)")
      switch mode {
      case .constant: break
      case .reflect:
        check(
          p.before < n && p.after < n,
          "pad: reflect padding (\(p.before), \(p.after)) must be smaller than dimension \(d) of size \(n) (shape \(shape))")
      case .replicate:
        check(
          n > 0 || (p.before <= 0 && p.after <= 0),
          "pad: replicate padding needs a non-empty dimension \(d) (shape \(shape))")
      case .circular:
        // Negative amounts crop first; the wrap reads the cropped extent (as PyTorch).
        let kept = n - Swift.max(-p.before, 0) - Swift.max(-p.after, 0)
        check(
          p.before <= kept && p.after <= kept,
          "pad: circular padding (\(p.before), \(p.after)) wraps around dimension \(d) of size \(n) (\(kept) after cropping) more than once (shape \(shape))")
      }
    }
    if pads.allSatisfy({ $0.before == 0 && $0.after == 0 }) { return self }
    if mode == .constant { return Tensor.apply(ConstantPadOp(pads: pads, value: value), self) }
    var result = self
    for (j, p) in pads.enumerated() where p.before != 0 || p.after != 0 {
      let d = rank - k + j, n = shape[d]
      // Circular: a negative amount crops, and the wrap reads what is left, the `kept`
      // elements from `first` on: PyTorch's `pad(x, (-1, 1), "circular")` of [a, b, c, d] is
      // [b, c, d, b].
      let first = Swift.max(-p.before, 0), kept = n - first - Swift.max(-p.after, 0)
      let indices = (-p.before..<(n + p.after)).map { i -> Int in
        switch mode {
        case .reflect: i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i)
        case .replicate: Swift.min(Swift.max(i, 0), n - 1)
        default: first + (((i - first) % kept) + kept) % kept
        }
      }
      result = Tensor.apply(IndexSelectOp(dim: d, indices: indices), result)
    }
    return result
  }
}

// MARK: Taylor rule

extension ConstantPadOp {
  /// Affine (the pad value is constant): the JVP on each coefficient.
  func taylor(inputs: [Tensor], outputs: [Tensor], series: [TaylorSeries?]) -> [TaylorSeries?]? {
    taylorByLinearity(inputs: inputs, outputs: outputs, series: series)
  }
}
