/// The pointwise binary cross entropy of logits, `(1 − t)·x − log σ(x)`, one pass per element.
enum BinaryCrossEntropyWithLogitsFunction: BinaryFunction {
  static var name: String { "nn.functional.binary_cross_entropy_with_logits" }
  @inline(__always) static func real<T: RealScalar>(_ x: T, _ t: T) -> T { (1 - t) * x - VectorMath.logSigmoid(x) }
  static var supportsComplex: Bool { false }
}

/// The unreduced, unweighted binary cross entropy of logits `x` against targets `t`,
/// elementwise: `(1 − t)·x − log σ(x)`, which is `−t·log σ(x) − (1 − t)·log(1 − σ(x))`
/// computed stably (``NN/binaryCrossEntropyWithLogits(_:_:weight:posWeight:reduction:)``
/// without `posWeight`). One fused op instead of four elementwise passes (log σ, 1 − t, the
/// product, the difference) forwards, and of the same number again in each derivative pass;
/// the value has the same bits as those four ops.
///
/// Derivative: `σ(x) − t` for `x`, `−x` for `t`.
///
/// Derivation: d/dx log σ(x) = σ′(x)/σ(x) = 1 − σ(x), so d/dx [(1 − t)x − log σ(x)] =
/// (1 − t) − (1 − σ(x)) = σ(x) − t; the loss is linear in t with slope −x. Both partials are
/// written with differentiable ops, so higher derivatives (forward-over-reverse, Taylor)
/// follow from sigmoid's and subtraction's rules.
struct BinaryCrossEntropyWithLogitsOp: ElementwiseBinaryOp {
  var name: String { "nn.functional.binary_cross_entropy_with_logits" }
  /// Contiguous operands of one real dtype and shape take the dispatched log-sigmoid loop
  /// and one vectorised pass for the rest (the same operations, so the same bits); others
  /// take the generic broadcasting kernel.
  func primal(_ a: Tensor, _ b: Tensor) -> Tensor {
    guard a.shape == b.shape && a.dtype == b.dtype && (a.dtype == .float32 || a.dtype == .float64)
      && a.isContiguous && b.isContiguous
    else { return ElementwiseKernels.apply(BinaryCrossEntropyWithLogitsFunction.self, a, b) }
    return a.dtype.visitReal(ContiguousPrimal(x: a, t: b), op: name)
  }

  /// `(1 − t)·x − log σ(x)` over contiguous operands, in chunks on several threads when large.
  private struct ContiguousPrimal: RealVisitor {
    let x, t: Tensor
    func visit<T: RealScalar>(_: T.Type) -> Tensor {
      let out = Tensor(uninitializedShape: x.shape, dtype: x.dtype)
      let px = UnsafePointer(x.pointer(as: T.self)), pt = UnsafePointer(t.pointer(as: T.self))
      let po = out.pointer(as: T.self)
      OptimizerUpdate.forEachChunk(x.count) { r in
        _ = VectorMath.logSigmoidLoop(px + r.lowerBound, po + r.lowerBound, r.count)
        for i in r { po[i] = (1 - pt[i]) * px[i] - po[i] }
      }
      return out
    }
  }
  var vjpReads: SavedValues { .inputs }
  /// `t` is read only for the input's cotangent.
  func vjpReadsInputs(needed: [Bool]) -> [Bool] { [true, needed[0]] }
  func partials(a: Tensor, b: Tensor, y: Tensor, wantA: Bool, wantB: Bool) -> (Tensor?, Tensor?) {
    (wantA ? a.sigmoid() - b : nil, wantB ? -a : nil)
  }
}
